import rules

from .choices import AUDIT_READERS, CALENDAR_KEEPERS, Role
from .scoping import has_role, in_same_center, is_staff_member, is_superuser

rules.add_perm("accounts.use_staff_site", is_staff_member | is_superuser)
rules.add_perm("accounts.view_auditlog", is_superuser | (has_role(*AUDIT_READERS) & in_same_center))
rules.add_perm("accounts.keep_calendar",
               is_superuser | (has_role(*CALENDAR_KEEPERS) & in_same_center))
rules.add_perm("accounts.manage_users", is_superuser | (has_role(Role.CENTER_ADMIN)
                                                        & in_same_center))
