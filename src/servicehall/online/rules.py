"""Who may do what with online applications. Applicants reach only their own (the selectors
filter by owner); staff pre-review the applications of their scope."""

import rules

from servicehall.accounts.choices import Role
from servicehall.accounts.scoping import (
    has_role,
    in_own_department,
    in_same_center,
    is_department_role,
    is_staff_member,
    is_superuser,
)

is_applicant = has_role(Role.APPLICANT)
is_window_staff = has_role(Role.WINDOW_STAFF)


@rules.predicate
def owns_application(user, application) -> bool:
    return application is not None and application.applicant_id == user.pk


# Window staff and the department's reviewers accept cases at intake; they pre-review too.
may_pre_review = is_window_staff | (is_department_role & in_own_department)

rules.add_perm("online.apply", is_applicant)
rules.add_perm("online.view_queue", is_superuser | (
    is_staff_member & in_same_center & (is_window_staff | is_department_role)))
rules.add_perm("online.pre_review", is_superuser | (in_same_center & may_pre_review))
rules.add_perm("online.view_file", owns_application | is_superuser | (
    is_staff_member & in_same_center & (has_role(
        Role.WINDOW_STAFF, Role.BUSINESS_SECTION, Role.SUPERVISION_SECTION, Role.CENTER_LEADER,
        Role.CENTER_ADMIN) | (is_department_role & in_own_department))))
