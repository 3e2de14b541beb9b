from datetime import date

import pytest

from servicehall.accounts.choices import Role
from servicehall.core import calendar as hall_calendar
from servicehall.core.calendar_excel import parse_year, year_workbook
from servicehall.core.errors import CalendarMissing, PermissionDenied, ValidationFailed
from servicehall.core.models import AuditEntry, CalendarDay
from servicehall.core.official_calendar import official_days
from servicehall.core.services import calendar_day_set, calendar_year_load, center_create
from servicehall.core.workcalendar import Day

pytestmark = pytest.mark.django_db


def test_due_date_crosses_national_day_with_make_up_saturday(center):
    assert hall_calendar.due_date(center=center, start=date(2026, 9, 30), days=5) == date(
        2026, 10, 13)


def test_due_date_crosses_spring_festival_2026(center):
    # Spring Festival 2026: rest 2-15 … 2-23; Sat 2-14 and Sat 2-28 are make-up working days.
    assert hall_calendar.due_date(center=center, start=date(2026, 2, 13), days=1) == date(
        2026, 2, 14)
    assert hall_calendar.due_date(center=center, start=date(2026, 2, 14), days=1) == date(
        2026, 2, 24)


def test_unconfigured_year_is_an_error_not_a_guess(center):
    with pytest.raises(CalendarMissing) as missing:
        hall_calendar.due_date(center=center, start=date(2026, 12, 20), days=20)
    assert "2027" in missing.value.message


def test_changing_a_day_moves_deadlines_at_once(center, business_section):
    before = hall_calendar.due_date(center=center, start=date(2026, 6, 1), days=1)
    calendar_day_set(center=center, day=date(2026, 6, 2), is_working=False, note="地方休息日",
                     by=business_section)
    center.refresh_from_db()
    after = hall_calendar.due_date(center=center, start=date(2026, 6, 1), days=1)
    assert (before, after) == (date(2026, 6, 2), date(2026, 6, 3))
    entry = AuditEntry.objects.filter(action="core.calendar_day_changed").get()
    assert entry.changes["is_working"] == [True, False]


def test_window_staff_cannot_change_the_calendar(center, make_user):
    clerk = make_user(Role.WINDOW_STAFF)
    with pytest.raises(PermissionDenied):
        calendar_day_set(center=center, day=date(2026, 6, 2), is_working=False, note="",
                         by=clerk)
    assert CalendarDay.objects.get(center=center, date=date(2026, 6, 2)).is_working


def _year_2027(rest=()):
    days = []
    current = date(2027, 1, 1)
    while current.year == 2027:
        working = current.weekday() < 5 and current not in rest
        days.append(Day(current, working, "元旦" if current in rest else ""))
        current = date.fromordinal(current.toordinal() + 1)
    return days


def test_loading_next_year_makes_its_deadlines_computable(center, business_section):
    working = calendar_year_load(center=center, year=2027,
                                 days=_year_2027(rest={date(2027, 1, 1)}), by=business_section)
    center.refresh_from_db()
    assert working == 260
    assert hall_calendar.due_date(center=center, start=date(2026, 12, 31), days=1) == date(
        2027, 1, 4)


def test_a_partial_year_is_refused_and_nothing_is_written(center, business_section):
    with pytest.raises(ValidationFailed):
        calendar_year_load(center=center, year=2027, days=_year_2027()[:100],
                           by=business_section)
    assert not CalendarDay.objects.filter(center=center, date__year=2027).exists()


def test_a_year_that_leaves_a_gap_is_refused(center, business_section):
    days = [Day(d.date.replace(year=2030), d.is_working) for d in _year_2027()]
    with pytest.raises(ValidationFailed) as refused:
        calendar_year_load(center=center, year=2030, days=days, by=business_section)
    assert "2030" in refused.value.fields["year"][0]
    assert not CalendarDay.objects.filter(center=center, date__year=2030).exists()


def test_calendar_year_round_trips_through_excel(center, tmp_path):
    days = [d for d in official_days() if d.date.year == 2026]
    path = tmp_path / "2026.xlsx"
    year_workbook(days).save(path)
    with open(path, "rb") as handle:
        parsed = parse_year(handle, 2026)
    assert [(d.date, d.is_working) for d in parsed] == [(d.date, d.is_working) for d in days]


def test_excel_with_bad_cells_reports_each_row(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["日期", "类型", "备注"])
    sheet.append(["2027-01-01", "休息日", "元旦"])
    sheet.append(["not a date", "工作日", ""])
    sheet.append(["2027-01-03", "maybe", ""])
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    with open(path, "rb") as handle, pytest.raises(ValidationFailed) as failed:
        parse_year(handle, 2027)
    assert failed.value.fields["file"] == [
        "第3行A列:不是日期。", "第4行B列:请填写“工作日”或“休息日”。"]


def test_new_center_copies_its_parents_calendar(center):
    district = center_create(code="440304", name="福田区行政服务大厅", level="district",
                             parent=center, by=None)
    assert district.calendar_days.count() == center.calendar_days.count()
    assert hall_calendar.due_date(center=district, start=date(2026, 9, 30), days=5) == date(
        2026, 10, 13)
