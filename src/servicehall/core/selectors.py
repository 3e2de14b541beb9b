import calendar as month_calendar
from datetime import date

from django.db.models import QuerySet

from .models import AuditEntry, CalendarDay, Center


def calendar_year(*, center: Center, year: int) -> list[dict]:
    """Twelve months of weeks (Monday first) for the calendar page; None pads the weeks."""
    days = {d.date: d for d in CalendarDay.objects.filter(center=center, date__year=year)}
    months = []
    for month in range(1, 13):
        weeks = [[days.get(day) if day.month == month else None for day in week]
                 for week in month_calendar.Calendar().monthdatescalendar(year, month)]
        months.append({"month": month, "weeks": weeks,
                       "working": sum(1 for d in days.values()
                                      if d.date.month == month and d.is_working)})
    return months


def configured_years(*, center: Center) -> list[int]:
    return sorted({d.year for d in CalendarDay.objects.filter(
        center=center, date__month=1, date__day=1).values_list("date", flat=True)})


def audit_entries(*, center: Center | None, action: str = "", actor: str = "",
                  day: date | None = None) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("actor")
    if center is not None:
        entries = entries.filter(center=center)
    if action:
        entries = entries.filter(action__startswith=action)
    if actor:
        entries = entries.filter(actor_label__icontains=actor)
    if day:
        entries = entries.filter(created_at__date=day)
    return entries.order_by("-pk")
