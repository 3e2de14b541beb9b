from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from .calendar import calendar_for, due_date
from .errors import CalendarMissing
from .models import Center
from .workcalendar import CalendarNotConfigured, LimitUnit

router = Router(tags=["calendar"])


class DueDateOut(Schema):
    center: str
    start: date
    days: int
    unit: LimitUnit
    due: date
    working_days_until_due: int


class CalendarDayOut(Schema):
    date: date
    is_working: bool
    note: str


@router.get("/due-date", response=DueDateOut, auth=None,
            summary="Due date of a time limit on a center's working calendar")
def get_due_date(request, center: str, start: date, days: int = Query(..., ge=0, le=3650),
                 unit: LimitUnit = LimitUnit.WORKING):
    """Day 1 is the first working day after `start`. A natural-day limit that ends on a rest
    day moves to the next working day. A year without a calendar is an error, never a guess."""
    the_center = get_object_or_404(Center, code=center, is_active=True)
    due = due_date(center=the_center, start=start, days=days, unit=unit)
    used = calendar_for(the_center).working_days_between(start, due)
    return {"center": the_center.code, "start": start, "days": days, "unit": unit, "due": due,
            "working_days_until_due": used}


@router.get("/{center}/days", response=list[CalendarDayOut], auth=None,
            summary="Every date of one year with working/rest and its note")
def list_days(request, center: str, year: int):
    the_center = get_object_or_404(Center, code=center, is_active=True)
    calendar = calendar_for(the_center)
    try:
        calendar.is_working_day(date(year, 1, 1))
    except (CalendarNotConfigured, ValueError) as missing:
        raise CalendarMissing(str(missing)) from missing
    return list(the_center.calendar_days.filter(date__year=year).order_by("date")
                .values("date", "is_working", "note"))
