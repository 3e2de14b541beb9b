import rules

from servicehall.accounts.choices import CATALOG_KEEPERS
from servicehall.accounts.scoping import (
    can_see_in_center,
    has_role,
    in_own_department,
    in_same_center,
    is_department_role,
    is_staff_member,
    is_superuser,
)

is_catalog_keeper = has_role(*CATALOG_KEEPERS)

rules.add_perm("catalog.browse_staff_catalog", is_superuser | is_staff_member)
rules.add_perm("catalog.view_item", can_see_in_center)
rules.add_perm("catalog.change_item", is_superuser | (
    in_same_center & (is_catalog_keeper | (is_department_role & in_own_department))))
rules.add_perm("catalog.import_catalog", is_superuser | (in_same_center & is_catalog_keeper))
rules.add_perm("catalog.change_department", is_superuser | (in_same_center & is_catalog_keeper))
