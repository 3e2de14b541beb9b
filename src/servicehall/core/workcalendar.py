"""Working-day calendar: deadlines counted in working or natural days.

Plain Python (no Django). Built from explicit day rows covering whole,
contiguous calendar years; any date outside that range raises
``CalendarNotConfigured`` instead of guessing Monday-Friday.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class CalendarNotConfigured(Exception):
    """A date falls in a year whose working-day calendar has not been imported."""

    def __init__(self, year: int) -> None:
        super().__init__(f"{year}年的工作日历尚未配置,请先导入该年度日历")
        self.year = year

    def __reduce__(self) -> tuple[type[CalendarNotConfigured], tuple[int]]:
        return (type(self), (self.year,))


class LimitUnit(StrEnum):
    WORKING = "working"
    NATURAL = "natural"


@dataclass(frozen=True)
class Day:
    date: date
    is_working: bool
    note: str = ""


class WorkCalendar:
    """Immutable calendar with an O(1) index over working days.

    ``_cum[i]`` is the number of working days among day indexes ``0..i``
    (index = ordinal - ``_base``); ``_work`` lists the indexes of working days.
    """

    def __init__(self, first_year: int, flags: Iterable[bool]) -> None:
        self._first_year = first_year
        self._base = date(first_year, 1, 1).toordinal()
        self._cum = array("i")
        self._work = array("i")
        count = 0
        for i, working in enumerate(flags):
            if working:
                count += 1
                self._work.append(i)
            self._cum.append(count)
        self._last_year = date.fromordinal(self._base + len(self._cum) - 1).year

    @classmethod
    def from_days(cls, days: Iterable[Day] | Iterable[tuple[date, bool]]) -> WorkCalendar:
        """Build from rows covering contiguous whole years; ValueError otherwise."""
        rows = sorted(
            (d.date, d.is_working) if isinstance(d, Day) else (d[0], bool(d[1])) for d in days
        )
        if not rows:
            raise ValueError("no days given")
        first, last = rows[0][0], rows[-1][0]
        if (first.month, first.day) != (1, 1) or (last.month, last.day) != (12, 31):
            raise ValueError(f"days must cover whole years, got {first} .. {last}")
        prev = first.toordinal() - 1
        for d, _ in rows:
            ordinal = d.toordinal()
            if ordinal == prev:
                raise ValueError(f"duplicate day {d}")
            if ordinal != prev + 1:
                raise ValueError(f"gap in days: {date.fromordinal(prev + 1)} is missing")
            prev = ordinal
        return cls(first.year, (working for _, working in rows))

    @property
    def first_year(self) -> int:
        return self._first_year

    @property
    def last_year(self) -> int:
        return self._last_year

    def covers(self, d: date) -> bool:
        return 0 <= d.toordinal() - self._base < len(self._cum)

    def _index(self, d: date) -> int:
        i = d.toordinal() - self._base
        if not 0 <= i < len(self._cum):
            raise CalendarNotConfigured(d.year)
        return i

    def _is_working_index(self, i: int) -> bool:
        return self._cum[i] != (self._cum[i - 1] if i else 0)

    def _nth_working(self, k: int) -> date:
        """The k-th working day of the calendar (0-based)."""
        if k >= len(self._work):
            raise CalendarNotConfigured(self._last_year + 1)
        return date.fromordinal(self._base + self._work[k])

    def is_working_day(self, d: date) -> bool:
        return self._is_working_index(self._index(d))

    def next_working_day(self, d: date) -> date:
        """First working day strictly after ``d``."""
        return self._nth_working(self._cum[self._index(d)])

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start``; n == 0 rolls a rest day forward."""
        if n < 0:
            raise ValueError("n must be >= 0")
        i = self._index(start)
        k = self._cum[i]  # working days up to and including start
        if n == 0:
            return self._nth_working(k - 1 if self._is_working_index(i) else k)
        return self._nth_working(k + n - 1)

    def add_natural_days(self, start: date, n: int, *, roll_to_working_day: bool = True) -> date:
        """``start + n`` days; a rest-day result moves to the next working day."""
        self._index(start)
        end = date.fromordinal(start.toordinal() + n)
        if roll_to_working_day and not self.is_working_day(end):
            return self.next_working_day(end)
        self._index(end)
        return end

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end (negated when end < start)."""
        i, j = self._index(start), self._index(end)
        return self._cum[j] - self._cum[i]

    def add(self, start: date, n: int, unit: LimitUnit | str) -> date:
        if LimitUnit(unit) is LimitUnit.WORKING:
            return self.add_working_days(start, n)
        return self.add_natural_days(start, n)


__all__ = ["CalendarNotConfigured", "Day", "LimitUnit", "WorkCalendar"]
