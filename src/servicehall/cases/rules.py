import rules

from servicehall.accounts.choices import Role
from servicehall.accounts.scoping import (
    can_see_in_center,
    has_role,
    in_own_department,
    in_same_center,
    is_department_role,
    is_superuser,
)

is_window_staff = has_role(Role.WINDOW_STAFF)
in_department_of_case = is_department_role & in_own_department



@rules.predicate
def in_co_department(user, case) -> bool:
    """A co-department of a joint case sees the case its task belongs to."""
    if case is None or not getattr(user, "department_id", None):
        return False
    return case.joint_tasks.filter(department_id=user.department_id).exists()


rules.add_perm("cases.view_case", can_see_in_center | (
    is_department_role & in_same_center & in_co_department))
rules.add_perm("cases.intake", is_superuser | (in_same_center & (is_window_staff
                                                                 | in_department_of_case)))
rules.add_perm("cases.receive_materials", is_superuser | (
    in_same_center & (is_window_staff | in_department_of_case)))
rules.add_perm("cases.handle_case", is_superuser | (in_same_center & in_department_of_case))
rules.add_perm("cases.appeal", is_superuser | (
    in_same_center & has_role(Role.WINDOW_STAFF, Role.BUSINESS_SECTION)))
rules.add_perm("cases.decide_appeal", is_superuser | (
    in_same_center & has_role(Role.BUSINESS_SECTION)))
rules.add_perm("cases.mark_urgent", is_superuser | (
    in_same_center & has_role(Role.BUSINESS_SECTION, Role.CENTER_LEADER)))
rules.add_perm("cases.handle_joint_task", is_superuser | (
    in_same_center & in_department_of_case))
rules.add_perm("cases.approve_extension", is_superuser | (
    in_same_center & has_role(Role.BUSINESS_SECTION, Role.CENTER_LEADER)))
