"""WorkCalendar rules, checked against the real official calendar (2004-2026)."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servicehall.core.official_calendar import official_days
from servicehall.core.workcalendar import CalendarNotConfigured, Day, LimitUnit, WorkCalendar

ONE = timedelta(days=1)


@cache
def official() -> WorkCalendar:
    return WorkCalendar.from_days(official_days())


def synthetic(first_year: int, last_year: int) -> list[Day]:
    """Monday-Friday only, no holidays."""
    d, end, days = date(first_year, 1, 1), date(last_year, 12, 31), []
    while d <= end:
        days.append(Day(d, d.weekday() < 5))
        d += ONE
    return days


# --- examples from the official calendar -------------------------------------------------


def test_make_up_saturday_counts_as_working_day() -> None:
    # National Day 2026: rest 10-01..10-07; Sat 10-10 is a make-up working day (调休).
    cal = official()
    assert cal.is_working_day(date(2026, 10, 10))
    # 10-08 (1), 10-09 (2), Sat 10-10 (3), 10-12 (4), 10-13 (5)
    assert cal.add_working_days(date(2026, 9, 30), 5) == date(2026, 10, 13)


def test_national_day_2026_holiday_is_skipped() -> None:
    cal = official()
    for day in range(1, 8):
        assert not cal.is_working_day(date(2026, 10, day))
    assert cal.is_working_day(date(2026, 10, 8))
    assert cal.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert cal.working_days_between(date(2026, 9, 30), date(2026, 10, 9)) == 2


def test_spring_festival_2026_case_accepted_day_before_holiday() -> None:
    # Spring Festival 2026: rest 02-15..02-23; Sat 02-14 and Sat 02-28 are make-up working days.
    cal = official()
    accepted = date(2026, 2, 14)
    assert cal.is_working_day(accepted)
    assert not any(cal.is_working_day(date(2026, 2, d)) for d in range(15, 24))
    # 02-24 (1), 02-25 (2), 02-26 (3), 02-27 (4), Sat 02-28 (5)
    assert cal.add_working_days(accepted, 5) == date(2026, 2, 28)
    assert cal.add_working_days(accepted, 1) == date(2026, 2, 24)
    assert cal.add_working_days(date(2026, 2, 13), 1) == accepted


def test_zero_days_on_a_working_day_is_the_day_itself() -> None:
    assert official().add_working_days(date(2026, 9, 30), 0) == date(2026, 9, 30)
    assert official().add_working_days(date(2026, 10, 10), 0) == date(2026, 10, 10)


def test_zero_days_on_a_rest_day_is_the_next_working_day() -> None:
    assert official().add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 8)


def test_start_on_a_rest_day_counts_from_the_next_working_day() -> None:
    cal = official()
    assert cal.add_working_days(date(2026, 10, 3), 1) == date(2026, 10, 8)
    assert cal.add_working_days(date(2026, 10, 3), 3) == date(2026, 10, 10)
    assert cal.next_working_day(date(2026, 10, 3)) == date(2026, 10, 8)
    assert cal.next_working_day(date(2026, 10, 8)) == date(2026, 10, 9)


def test_negative_working_days_are_rejected() -> None:
    with pytest.raises(ValueError):
        official().add_working_days(date(2026, 10, 8), -1)


def test_working_days_between_examples() -> None:
    cal = official()
    assert cal.working_days_between(date(2026, 9, 30), date(2026, 10, 13)) == 5
    assert cal.working_days_between(date(2026, 10, 13), date(2026, 9, 30)) == -5
    assert cal.working_days_between(date(2026, 10, 1), date(2026, 10, 7)) == 0
    assert cal.working_days_between(date(2026, 10, 8), date(2026, 10, 8)) == 0
    assert cal.working_days_between(date(2026, 2, 13), date(2026, 2, 28)) == 6


def test_working_days_between_inverts_add_working_days() -> None:
    cal = official()
    start = date(2026, 9, 18)
    for n in range(1, 40):
        end = cal.add_working_days(start, n)
        assert cal.working_days_between(start, end) == n
        assert cal.add_working_days(start, cal.working_days_between(start, end)) == end


def test_natural_days_roll_over_a_holiday() -> None:
    cal = official()
    # 09-24 + 7 = 10-01 (国庆节) -> first working day after the holiday.
    assert cal.add_natural_days(date(2026, 9, 24), 7) == date(2026, 10, 8)
    assert cal.add_natural_days(date(2026, 9, 24), 7, roll_to_working_day=False) == date(
        2026, 10, 1
    )
    # Make-up Saturday is a working day, no roll.
    assert cal.add_natural_days(date(2026, 10, 3), 7) == date(2026, 10, 10)
    # Ordinary Sunday rolls to Monday.
    assert cal.add_natural_days(date(2026, 3, 1), 7) == date(2026, 3, 9)


def test_add_dispatches_on_unit() -> None:
    cal = official()
    start = date(2026, 9, 30)
    assert cal.add(start, 5, LimitUnit.WORKING) == date(2026, 10, 13)
    assert cal.add(start, 5, "working") == date(2026, 10, 13)
    assert cal.add(start, 5, LimitUnit.NATURAL) == date(2026, 10, 8)
    assert cal.add(start, 15, "natural") == date(2026, 10, 15)
    with pytest.raises(ValueError):
        cal.add(start, 5, "hours")


def test_range_properties() -> None:
    cal = official()
    assert (cal.first_year, cal.last_year) == (2004, 2026)
    assert cal.covers(date(2004, 1, 1)) and cal.covers(date(2026, 12, 31))
    assert not cal.covers(date(2003, 12, 31)) and not cal.covers(date(2027, 1, 1))


# --- unconfigured years ------------------------------------------------------------------

CALLS: list[tuple[str, Callable[[WorkCalendar, date], object]]] = [
    ("is_working_day", lambda c, d: c.is_working_day(d)),
    ("next_working_day", lambda c, d: c.next_working_day(d)),
    ("add_working_days", lambda c, d: c.add_working_days(d, 1)),
    ("add_working_days_0", lambda c, d: c.add_working_days(d, 0)),
    ("add_natural_days", lambda c, d: c.add_natural_days(d, 1)),
    ("add_natural_no_roll", lambda c, d: c.add_natural_days(d, 1, roll_to_working_day=False)),
    ("between_start", lambda c, d: c.working_days_between(d, date(2026, 6, 1))),
    ("between_end", lambda c, d: c.working_days_between(date(2026, 6, 1), d)),
    ("add", lambda c, d: c.add(d, 1, "working")),
]


@pytest.mark.parametrize("year", [2027, 2003])
@pytest.mark.parametrize(("name", "call"), CALLS, ids=[n for n, _ in CALLS])
def test_unconfigured_year_raises_with_year_and_chinese_message(
    year: int, name: str, call: Callable[[WorkCalendar, date], object]
) -> None:
    d = date(year, 6, 15)
    with pytest.raises(CalendarNotConfigured) as info:
        call(official(), d)
    assert info.value.year == year
    assert str(info.value) == f"{year}年的工作日历尚未配置,请先导入该年度日历"


def test_running_past_the_last_configured_working_day_raises_for_next_year() -> None:
    cal = official()
    last = date(2026, 12, 31)
    assert cal.is_working_day(last)
    with pytest.raises(CalendarNotConfigured) as info:
        cal.add_working_days(date(2026, 12, 30), 2)
    assert info.value.year == 2027
    with pytest.raises(CalendarNotConfigured):
        cal.next_working_day(last)
    with pytest.raises(CalendarNotConfigured) as info:
        cal.add_natural_days(date(2026, 12, 30), 2)
    assert info.value.year == 2027


def test_natural_days_landing_outside_range_raise() -> None:
    with pytest.raises(CalendarNotConfigured) as info:
        official().add_natural_days(date(2004, 1, 5), -10, roll_to_working_day=False)
    assert info.value.year == 2003


def test_calendar_not_configured_survives_pickle() -> None:
    err = pickle.loads(pickle.dumps(CalendarNotConfigured(2027)))
    assert err.year == 2027 and "2027年" in str(err)


# --- from_days validation ----------------------------------------------------------------


def test_from_days_accepts_tuples_in_any_order() -> None:
    rows = [(d.date, d.is_working) for d in synthetic(2030, 2031)]
    cal = WorkCalendar.from_days(reversed(rows))
    assert (cal.first_year, cal.last_year) == (2030, 2031)
    assert cal.add_working_days(date(2030, 12, 31), 1) == date(2031, 1, 1)


def test_partial_year_is_rejected() -> None:
    with pytest.raises(ValueError):
        WorkCalendar.from_days(synthetic(2030, 2030)[1:])
    with pytest.raises(ValueError):
        WorkCalendar.from_days(synthetic(2030, 2030)[:-1])


def test_gap_is_rejected() -> None:
    days = synthetic(2030, 2030)
    with pytest.raises(ValueError, match="2030-03-01"):
        WorkCalendar.from_days(days[:59] + days[60:])
    with pytest.raises(ValueError):
        WorkCalendar.from_days(synthetic(2030, 2030) + synthetic(2032, 2032))


def test_duplicate_and_empty_input_rejected() -> None:
    days = synthetic(2030, 2030)
    with pytest.raises(ValueError):
        WorkCalendar.from_days(days + [days[10]])
    with pytest.raises(ValueError):
        WorkCalendar.from_days([])


# --- property tests against a naive day-by-day reference --------------------------------


def ref_is_working(d: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        raise CalendarNotConfigured(d.year) from None


def ref_add_working_days(start: date, n: int) -> date:
    d = start
    if n == 0:
        while not ref_is_working(d):
            d += ONE
        return d
    ref_is_working(start)
    while n:
        d += ONE
        n -= ref_is_working(d)
    return d


def ref_working_days_between(start: date, end: date) -> int:
    if end < start:
        return -ref_working_days_between(end, start)
    ref_is_working(start)
    ref_is_working(end)
    count, d = 0, start
    while d < end:
        d += ONE
        count += ref_is_working(d)
    return count


def ref_add_natural_days(start: date, n: int) -> date:
    ref_is_working(start)
    d = start + timedelta(days=n)
    while not ref_is_working(d):
        d += ONE
    return d


def outcome(fn: Callable[[], object]) -> object:
    try:
        return fn()
    except CalendarNotConfigured as exc:
        return ("CalendarNotConfigured", exc.year)


# Mostly inside the official range, with margins to hit the unconfigured edges.
DATES = st.dates(date(2003, 11, 1), date(2027, 2, 28))
SETTINGS = settings(max_examples=300, deadline=None)


@SETTINGS
@given(start=DATES, n=st.integers(0, 250))
def test_add_working_days_matches_reference(start: date, n: int) -> None:
    cal = official()
    assert outcome(lambda: cal.add_working_days(start, n)) == outcome(
        lambda: ref_add_working_days(start, n)
    )


@SETTINGS
@given(start=DATES, n=st.integers(0, 250))
def test_add_natural_days_matches_reference(start: date, n: int) -> None:
    cal = official()
    assert outcome(lambda: cal.add_natural_days(start, n)) == outcome(
        lambda: ref_add_natural_days(start, n)
    )


@SETTINGS
@given(start=DATES, delta=st.integers(-250, 250))
def test_working_days_between_matches_reference(start: date, delta: int) -> None:
    cal = official()
    end = start + timedelta(days=delta)
    assert outcome(lambda: cal.working_days_between(start, end)) == outcome(
        lambda: ref_working_days_between(start, end)
    )


@SETTINGS
@given(start=st.dates(date(2004, 1, 1), date(2025, 12, 31)), n=st.integers(1, 250))
def test_between_is_inverse_of_add(start: date, n: int) -> None:
    cal = official()
    end = cal.add_working_days(start, n)
    assert cal.is_working_day(end)
    assert cal.working_days_between(start, end) == n
    assert cal.working_days_between(start, end - ONE) == n - 1
