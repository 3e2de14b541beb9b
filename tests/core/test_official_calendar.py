"""official_days(): chinese_calendar turned into Day rows."""

from __future__ import annotations

import calendar
from datetime import date
from functools import cache

import chinese_calendar
import pytest

from servicehall.core.official_calendar import official_days, official_range
from servicehall.core.workcalendar import CalendarNotConfigured, Day


@cache
def rows_2026() -> dict[date, Day]:
    return {d.date: d for d in official_days(2026, 2026)}


def test_range_comes_from_the_library() -> None:
    first, last = official_range()
    assert first == 2004
    assert last >= 2026
    assert chinese_calendar.is_workday(date(last, 6, 1)) in (True, False)
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(last + 1, 6, 1))


def test_national_day_make_up_saturday_is_working_with_note() -> None:
    day = rows_2026()[date(2026, 10, 10)]
    assert day.is_working
    assert "国庆" in day.note
    assert day.note == "调休上班(国庆节)"


def test_national_day_is_rest_with_holiday_name() -> None:
    day = rows_2026()[date(2026, 10, 1)]
    assert not day.is_working
    assert day.note == "国庆节"


def test_spring_festival_notes() -> None:
    rows = rows_2026()
    assert rows[date(2026, 2, 17)] == Day(date(2026, 2, 17), False, "春节")
    assert rows[date(2026, 2, 14)] == Day(date(2026, 2, 14), True, "调休上班(春节)")


def test_ordinary_days_and_weekends_have_empty_note() -> None:
    rows = rows_2026()
    assert rows[date(2026, 3, 10)] == Day(date(2026, 3, 10), True, "")  # Tuesday
    assert rows[date(2026, 3, 14)] == Day(date(2026, 3, 14), False, "")  # Saturday


@pytest.mark.parametrize("year", [2004, 2015, 2020, 2024, 2026])
def test_row_count_is_a_whole_year(year: int) -> None:
    rows = official_days(year, year)
    assert len(rows) == (366 if calendar.isleap(year) else 365)
    assert rows[0].date == date(year, 1, 1) and rows[-1].date == date(year, 12, 31)


def test_all_rows_agree_with_the_library() -> None:
    rows = official_days()
    first, last = official_range()
    assert rows[0].date == date(first, 1, 1) and rows[-1].date == date(last, 12, 31)
    for day in rows:
        assert day.is_working == chinese_calendar.is_workday(day.date)
        assert day.note.startswith("调休上班(") == (day.date in chinese_calendar.workdays)


def test_years_outside_the_library_raise() -> None:
    with pytest.raises(CalendarNotConfigured) as info:
        official_days(2003, 2010)
    assert info.value.year == 2003
    _, last = official_range()
    with pytest.raises(CalendarNotConfigured):
        official_days(last, last + 1)
    with pytest.raises(ValueError):
        official_days(2020, 2019)
