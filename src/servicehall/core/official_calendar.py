"""Official State Council holiday arrangements as ``Day`` rows.

The only module that imports ``chinese_calendar``; the covered years are
taken from the library's own data, never hard-coded.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

from servicehall.core.workcalendar import CalendarNotConfigured, Day


def official_range() -> tuple[int, int]:
    """First and last year covered by the installed ``chinese_calendar``."""
    years = [d.year for d in chinese_calendar.holidays] + [
        d.year for d in chinese_calendar.workdays
    ]
    return min(years), max(years)


def _note(d: date, is_working: bool, name: str | None) -> str:
    if name is None:
        return ""
    chinese: str = chinese_calendar.Holiday(name).chinese
    return f"调休上班({chinese})" if is_working else chinese


def official_days(first_year: int | None = None, last_year: int | None = None) -> list[Day]:
    """Every date of the covered years (optionally limited), with holiday notes."""
    lo, hi = official_range()
    first = lo if first_year is None else first_year
    last = hi if last_year is None else last_year
    if first > last:
        raise ValueError(f"first_year {first} > last_year {last}")
    for year in (first, last):
        if not lo <= year <= hi:
            raise CalendarNotConfigured(year)
    days = []
    d, end = date(first, 1, 1), date(last, 12, 31)
    while d <= end:
        is_holiday, name = chinese_calendar.get_holiday_detail(d)
        days.append(Day(d, not is_holiday, _note(d, not is_holiday, name)))
        d += timedelta(days=1)
    return days
