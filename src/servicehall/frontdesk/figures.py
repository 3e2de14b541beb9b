"""Queue statistics from ticket rows: counts, waiting and service times (mean, p90) per
category, window and staff member, no-show and abandonment rates, and the peak-hour heat map.
Plain Python, no Django: the figures are tested without a database."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from .queueing import percentile

SERVED, NO_SHOW = "done", "no_show"
STILL_OPEN = frozenset({"waiting", "called"})
HOURS = range(7, 20)


@dataclass(frozen=True)
class TicketRow:
    category: str
    window: str | None
    staff: str | None
    status: str
    day: date
    issued_at: datetime  # local time
    first_called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None


@dataclass
class Group:
    name: str
    tickets: int = 0
    served: int = 0
    no_shows: int = 0
    abandoned: int = 0
    waits: list[float] = field(default_factory=list)
    services: list[float] = field(default_factory=list)

    def add(self, row: TicketRow, *, today: date) -> None:
        self.tickets += 1
        if row.status == SERVED:
            self.served += 1
        elif row.status == NO_SHOW:
            self.no_shows += 1
        elif row.status in STILL_OPEN and row.day < today:
            self.abandoned += 1
        if row.first_called_at is not None:
            self.waits.append((row.first_called_at - row.issued_at).total_seconds() / 60)
        if row.status == SERVED and row.started_at and row.finished_at:
            self.services.append((row.finished_at - row.started_at).total_seconds() / 60)

    @staticmethod
    def _mean(values: list[float]) -> float | None:
        return sum(values) / len(values) if values else None

    @property
    def mean_wait(self) -> float | None:
        return self._mean(self.waits)

    @property
    def p90_wait(self) -> float | None:
        return percentile(self.waits, 0.9)

    @property
    def mean_service(self) -> float | None:
        return self._mean(self.services)

    @property
    def p90_service(self) -> float | None:
        return percentile(self.services, 0.9)

    @property
    def no_show_rate(self) -> float | None:
        called = self.served + self.no_shows
        return self.no_shows / called if called else None


@dataclass
class Figures:
    total: Group
    by_category: list[Group]
    by_window: list[Group]
    by_staff: list[Group]
    heat: dict[int, list[int]]  # weekday (0 = Monday) -> tickets issued per hour in HOURS
    heat_max: int


def summarize(rows: Iterable[TicketRow], *, today: date) -> Figures:
    total = Group("")
    groups: dict[str, dict[str, Group]] = {"category": {}, "window": {}, "staff": {}}
    heat = {weekday: [0] * len(HOURS) for weekday in range(7)}
    for row in rows:
        total.add(row, today=today)
        for kind, key in (("category", row.category), ("window", row.window),
                          ("staff", row.staff)):
            if key:
                groups[kind].setdefault(key, Group(key)).add(row, today=today)
        if row.issued_at.hour in HOURS:
            heat[row.issued_at.weekday()][row.issued_at.hour - HOURS.start] += 1
    ordered = {kind: sorted(found.values(), key=lambda g: (-g.tickets, g.name))
               for kind, found in groups.items()}
    return Figures(total=total, by_category=ordered["category"], by_window=ordered["window"],
                   by_staff=ordered["staff"], heat=heat,
                   heat_max=max((n for hours in heat.values() for n in hours), default=0))


def busiest_hours(figures: Figures, top: int = 3) -> list[tuple[int, int]]:
    """The hours of the day with the most tickets, as (hour, tickets)."""
    per_hour: dict[int, int] = defaultdict(int)
    for hours in figures.heat.values():
        for index, count in enumerate(hours):
            per_hour[HOURS.start + index] += count
    busy = [(hour, count) for hour, count in per_hour.items() if count]
    return sorted(busy, key=lambda item: (-item[1], item[0]))[:top]


# --- Extended, door-to-door, Saturday-duty and staggered services (seed 000's figures) ------

@dataclass(frozen=True)
class ServiceRow:
    kind: str
    department: str
    day: date
    hours: float
    cases: int


@dataclass(frozen=True)
class ServiceFigures:
    kind: str
    departments: int
    department_share: float | None  # of all departments in the hall
    cases: int
    case_share: float | None  # of all cases received in the period
    cases_per_day: float | None  # per working day of the period
    hours: float
    hours_per_day: float | None
    sessions: int


def service_figures(rows: Iterable[ServiceRow], *, kinds: Iterable[str],
                    departments_total: int, cases_total: int,
                    working_days: int) -> list[ServiceFigures]:
    """Per kind of service, as the reports print them: departments offering it and their
    share of all departments, cases handled through it and their share of all cases, the daily
    average, and the (overtime) hours in total and per working day."""
    by_kind: dict[str, list[ServiceRow]] = defaultdict(list)
    for row in rows:
        by_kind[row.kind].append(row)

    def share(part: float, whole: float) -> float | None:
        return part / whole if whole else None

    result = []
    for kind in kinds:
        found = by_kind.get(kind, [])
        departments = len({r.department for r in found})
        cases = sum(r.cases for r in found)
        hours = sum(r.hours for r in found)
        result.append(ServiceFigures(
            kind=kind, departments=departments,
            department_share=share(departments, departments_total), cases=cases,
            case_share=share(cases, cases_total), cases_per_day=share(cases, working_days),
            hours=hours, hours_per_day=share(hours, working_days), sessions=len(found)))
    return result
