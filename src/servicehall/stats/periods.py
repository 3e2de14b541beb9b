"""Report periods — a month, a quarter, a year, or any range of days — and the periods they are
compared with. Plain Python."""

from dataclasses import dataclass
from datetime import date, timedelta

MONTH, QUARTER, YEAR, RANGE = "month", "quarter", "year", "range"


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # inclusive

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        following = date(year + month // 12, month % 12 + 1, 1)
        return cls(MONTH, date(year, month, 1), following - timedelta(days=1))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        first = cls.month(year, 3 * quarter - 2)
        return cls(QUARTER, first.start, cls.month(year, 3 * quarter).end)

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(YEAR, date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def chosen(cls, kind: str, year: int, n: int | None, *, today: date) -> "Period":
        """The period a filter names: a year, its quarter `n` or its month `n`; without `n`
        the quarter or month `today` falls in."""
        if kind == MONTH:
            return cls.month(year, n or today.month)
        if kind == QUARTER:
            return cls.quarter(year, n or (today.month + 2) // 3)
        return cls.year(year)

    @property
    def label(self) -> str:
        """The period as the reports name it: 2026年, 2026年第3季度, 2026年9月."""
        if self.kind == YEAR:
            return f"{self.start.year}年"
        if self.kind == QUARTER:
            return f"{self.start.year}年第{(self.start.month + 2) // 3}季度"
        if self.kind == MONTH:
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start:%Y-%m-%d}至{self.end:%Y-%m-%d}"

    def previous(self) -> "Period":
        """The period just before (month-on-month, quarter-on-quarter)."""
        if self.kind == YEAR:
            return Period.year(self.start.year - 1)
        if self.kind == QUARTER:
            q = (self.start.month + 2) // 3
            return Period.quarter(self.start.year - (q == 1), 4 if q == 1 else q - 1)
        if self.kind == MONTH:
            day = self.start - timedelta(days=1)
            return Period.month(day.year, day.month)
        length = self.end - self.start
        return Period(RANGE, self.start - length - timedelta(days=1),
                      self.start - timedelta(days=1))

    def year_before(self) -> "Period":
        """The same period one year earlier (year-on-year)."""
        def back(d: date) -> date:
            return d.replace(year=d.year - 1, day=min(d.day, 28 if d.month == 2 else d.day))
        if self.kind in (MONTH, QUARTER, YEAR):
            end = back(self.end.replace(day=1))
            end = Period.month(end.year, end.month).end
            return Period(self.kind, back(self.start), end)
        return Period(RANGE, back(self.start), back(self.end))

    def months(self) -> list[str]:
        """Every month the period touches, as "YYYY-MM"."""
        months, d = [], self.start.replace(day=1)
        while d <= self.end:
            months.append(f"{d:%Y-%m}")
            d = date(d.year + d.month // 12, d.month % 12 + 1, 1)
        return months


def working_days(calendar, period: Period) -> int:
    """Working days of the period on a WorkCalendar; days outside the calendar count none."""
    count, d = 0, period.start
    while d <= period.end:
        if calendar.covers(d) and calendar.is_working_day(d):
            count += 1
        d += timedelta(days=1)
    return count
