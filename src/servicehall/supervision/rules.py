import rules

from servicehall.accounts.choices import Role
from servicehall.accounts.scoping import (
    has_role,
    in_own_department,
    in_same_center,
    is_department_role,
    is_superuser,
)

BOARD_READERS = (Role.SUPERVISION_SECTION, Role.CENTER_LEADER, Role.CENTER_ADMIN)

rules.add_perm("supervision.view_board", is_superuser | (has_role(*BOARD_READERS)
                                                         & in_same_center))
# The supervision section closes cards and reviews findings.
rules.add_perm("supervision.supervise", is_superuser | (has_role(Role.SUPERVISION_SECTION)
                                                        & in_same_center))
# The department that got the card answers it.
rules.add_perm("supervision.respond_card", is_superuser | (
    is_department_role & in_same_center & in_own_department))
rules.add_perm("supervision.view_card", is_superuser | (has_role(*BOARD_READERS) & in_same_center)
               | (is_department_role & in_same_center & in_own_department))
