"""Who may see what: the row filters every selector applies and the predicates every service
checks, so department scoping holds whatever the entry point (page, API, admin, command)."""

import rules
from django.db.models import Q

from .choices import CENTER_WIDE_ROLES, DEPARTMENT_ROLES, STAFF_ROLES


def _department_id_of(obj) -> int | None:
    if obj.__class__.__name__ == "Department":
        return obj.pk
    return getattr(obj, "department_id", None)


def visible_rows(user, *, center_lookup: str = "center_id",
                 department_lookup: str | None = "department_id") -> Q:
    """A filter for the rows `user` may see on staff pages and the API.

    Superusers see everything; center-wide roles see their center; department roles see their
    department's rows in their center; anyone else sees nothing."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    if user.role in CENTER_WIDE_ROLES:
        return Q(**{center_lookup: user.center_id})
    if user.role in DEPARTMENT_ROLES:
        if department_lookup is None:
            return Q(**{center_lookup: user.center_id})
        return Q(**{center_lookup: user.center_id, department_lookup: user.department_id})
    return Q(pk__in=[])


@rules.predicate
def is_staff_member(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in STAFF_ROLES


@rules.predicate
def is_superuser(user) -> bool:
    return user.is_authenticated and user.is_superuser


def has_role(*roles):
    wanted = frozenset(roles)

    @rules.predicate(name=f"has_role:{','.join(sorted(wanted))}")
    def predicate(user) -> bool:
        return user.is_authenticated and user.is_active and user.role in wanted

    return predicate


@rules.predicate
def in_same_center(user, obj) -> bool:
    if obj is None:
        return True
    center_id = obj.pk if obj.__class__.__name__ == "Center" else obj.center_id
    return user.is_authenticated and center_id == user.center_id


@rules.predicate
def in_own_department(user, obj) -> bool:
    if obj is None:
        return True
    return user.is_authenticated and _department_id_of(obj) == user.department_id


is_department_role = has_role(*DEPARTMENT_ROLES)
is_center_wide_role = has_role(*CENTER_WIDE_ROLES)
can_see_in_center = is_superuser | (
    is_staff_member & in_same_center & (is_center_wide_role | in_own_department)
)
