from django.db.models import QuerySet

from servicehall.accounts.scoping import visible_rows
from servicehall.core.errors import NotFound

from .choices import OPEN_STATUSES
from .models import Case


def cases_for_staff(*, user, query: str = "", status: str = "") -> QuerySet[Case]:
    """Cases the user may see, urgent first, then by promised deadline."""
    cases = Case.objects.filter(visible_rows(user))
    if status:
        cases = cases.filter(status=status)
    if query:
        cases = cases.filter(number__icontains=query) | cases.filter(
            applicant_name__icontains=query)
    return (cases.select_related("item_version", "department")
            .order_by("-is_urgent", "promised_due", "number"))


def work_queue(*, user) -> QuerySet[Case]:
    return cases_for_staff(user=user).filter(status__in=OPEN_STATUSES)


def case_for_staff(*, user, number: str) -> Case:
    case = (Case.objects.filter(visible_rows(user), number=number)
            .select_related("item_version", "department", "center", "item").first())
    if case is None:
        raise NotFound()
    return case


def case_clock(*, case: Case, today):
    """The clock as of `today` for the case page, or None where the calendar does not reach."""
    from servicehall.core.calendar import calendar_for
    from servicehall.core.workcalendar import CalendarNotConfigured

    from .clock import clock_state
    from .services.common import clock_input

    try:
        return clock_state(calendar_for(case.center), clock_input(case, today=today), today)
    except CalendarNotConfigured:
        return None


def intake_items(*, user, query: str):
    """Published items a window can take in, searched by name or code."""
    from servicehall.catalog.selectors import published_items

    if user.center is None:
        return []
    return published_items(center=user.center, query=query)[:20] if query else []
