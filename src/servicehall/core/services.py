import secrets
from datetime import date

from django.utils.translation import gettext as _

from . import audit
from .audited import audited_service
from .errors import ValidationFailed
from .models import CalendarDay, Center
from .official_calendar import official_days
from .permissions import require_perm
from .workcalendar import Day


def _bump_calendar_version(center: Center) -> None:
    # Random, not +1: a bump inside a transaction that rolls back must never be reused by a
    # later bump, or a process could keep serving the rolled-back calendar from its cache.
    center.calendar_version = secrets.randbits(62)
    Center.objects.filter(pk=center.pk).update(calendar_version=center.calendar_version)


def _configured_years(center: Center) -> set[int]:
    return {d.year for d in CalendarDay.objects.filter(center=center, date__month=1,
                                                       date__day=1).values_list("date",
                                                                                flat=True)}


@audited_service("core.center_create")
def center_create(*, code: str, name: str, level: str, by, parent: Center | None = None,
                  short_name: str = "", address: str = "", phone: str = "",
                  opening_hours: str = "") -> Center:
    """A new center; its calendar starts as a copy of its parent's, or the official one."""
    require_perm(by, "accounts.manage_users", parent)
    if Center.objects.filter(code=code).exists():
        raise ValidationFailed(fields={"code": [_("This center code is already used.")]})
    center = Center.objects.create(code=code, name=name, level=level, parent=parent,
                                   short_name=short_name, address=address, phone=phone,
                                   opening_hours=opening_hours)
    if parent is not None and parent.calendar_days.exists():
        days = [Day(d.date, d.is_working, d.note) for d in parent.calendar_days.all()]
    else:
        days = official_days()
    _insert_days(center, days)
    audit.record("core.center_created", obj=center, by=by, changes=audit.diff(
        {}, audit.snapshot(center, ["code", "name", "level", "parent"])))
    return center


def _insert_days(center: Center, days: list[Day]) -> None:
    CalendarDay.objects.bulk_create(
        (CalendarDay(center=center, date=d.date, is_working=d.is_working, note=d.note)
         for d in days), batch_size=2000)
    _bump_calendar_version(center)


@audited_service("core.calendar_day_set")
def calendar_day_set(*, center: Center, day: date, is_working: bool, note: str, by
                     ) -> CalendarDay:
    """Change one configured date (a holiday moved by the State Council, a local rest day)."""
    require_perm(by, "accounts.keep_calendar", center)
    row = CalendarDay.objects.select_for_update().filter(center=center, date=day).first()
    if row is None:
        raise ValidationFailed(fields={"date": [_("{year} is not in the calendar yet; load the "
                                                  "whole year first.").format(year=day.year)]})
    before = audit.snapshot(row, ["is_working", "note"])
    row.is_working, row.note = is_working, note
    row.save(update_fields=["is_working", "note"])
    changes = audit.diff(before, audit.snapshot(row, ["is_working", "note"]))
    if changes:
        _bump_calendar_version(center)
        audit.record("core.calendar_day_changed", obj=row, by=by, center=center, changes=changes)
    return row


def _year_errors(center: Center, year: int, days: list[Day]) -> list[str]:
    expected = (date(year, 12, 31) - date(year, 1, 1)).days + 1
    dates = sorted(d.date for d in days)
    if len(dates) != expected or len(set(dates)) != expected or any(
            d.year != year for d in dates):
        return [_("The file must list every date of {year} exactly once ({n} dates).").format(
            year=year, n=expected)]
    configured = _configured_years(center)
    if configured and year not in configured and year - 1 not in configured \
            and year + 1 not in configured:
        return [_("{year} does not join the configured years {first}–{last}.").format(
            year=year, first=min(configured), last=max(configured))]
    return []


@audited_service("core.calendar_year_load")
def calendar_year_load(*, center: Center, year: int, days: list[Day], by) -> int:
    """Load or replace a whole year, e.g. when the State Council publishes next year's
    holidays. Returns the number of working days in the year."""
    require_perm(by, "accounts.keep_calendar", center)
    errors = _year_errors(center, year, days)
    if errors:
        raise ValidationFailed(fields={"year": errors})
    replaced = CalendarDay.objects.filter(center=center, date__year=year).delete()[0]
    _insert_days(center, sorted(days, key=lambda d: d.date))
    working = sum(d.is_working for d in days)
    audit.record("core.calendar_year_loaded", obj=center, by=by, changes={
        "year": [None, year], "working_days": [None, working], "replaced_rows": [None, replaced]})
    return working
