import rules

from servicehall.accounts.choices import Role
from servicehall.accounts.scoping import has_role, in_same_center, is_superuser

# Who reads the center's statistics: the leaders and sections of the center for the whole
# center, a department's chief representative for that department (rows are scoped).
STATS_READERS = frozenset({Role.BUSINESS_SECTION, Role.SUPERVISION_SECTION, Role.CENTER_LEADER,
                           Role.CENTER_ADMIN, Role.CHIEF_REPRESENTATIVE})

rules.add_perm("stats.view_statistics", is_superuser | (has_role(*STATS_READERS)
                                                        & in_same_center))
