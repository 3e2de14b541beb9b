"""The working calendar of a center, loaded from the database into the plain-Python core."""

from datetime import date

from .errors import CalendarMissing
from .models import CalendarDay, Center
from .workcalendar import CalendarNotConfigured, Day, LimitUnit, WorkCalendar

_loaded: dict[tuple[int, int], WorkCalendar] = {}


def calendar_for(center: Center) -> WorkCalendar:
    """The center's calendar, cached per process until its `calendar_version` changes."""
    key = (center.pk, center.calendar_version)
    calendar = _loaded.get(key)
    if calendar is None:
        rows = CalendarDay.objects.filter(center=center).order_by("date")
        calendar = WorkCalendar.from_days(
            Day(d, working, note) for d, working, note in rows.values_list(
                "date", "is_working", "note"))
        for stale in [k for k in _loaded if k[0] == center.pk]:
            del _loaded[stale]
        _loaded[key] = calendar
    return calendar


def due_date(*, center: Center, start: date, days: int, unit: str = LimitUnit.WORKING) -> date:
    """`start` plus a time limit on the center's calendar; a missing year is a CalendarMissing."""
    try:
        return calendar_for(center).add(start, days, unit)
    except CalendarNotConfigured as missing:
        raise CalendarMissing(str(missing), fields={"year": [str(missing.year)]}) from missing
