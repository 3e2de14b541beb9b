import rules

from servicehall.accounts.choices import CATALOG_KEEPERS, Role
from servicehall.accounts.scoping import has_role, in_same_center, is_staff_member, is_superuser

FLOOR_ROLES = (Role.WINDOW_STAFF, Role.CHIEF_REPRESENTATIVE, Role.REVIEWER,
               Role.BUSINESS_SECTION, Role.CENTER_ADMIN)

# Hand out tickets and take appointments by phone: anyone on the floor of the center.
rules.add_perm("frontdesk.issue_ticket", is_superuser | (is_staff_member & in_same_center))
# Call, recall, serve and transfer tickets at a window.
rules.add_perm("frontdesk.call_ticket", is_superuser | (has_role(*FLOOR_ROLES) & in_same_center))
rules.add_perm("frontdesk.book_appointment",
               is_superuser | (is_staff_member & in_same_center))
# Categories, window mappings, Saturday service days and the hall policy.
rules.add_perm("frontdesk.manage_hall",
               is_superuser | (has_role(*CATALOG_KEEPERS) & in_same_center))
rules.add_perm("frontdesk.view_hall", is_superuser | (is_staff_member & in_same_center))
