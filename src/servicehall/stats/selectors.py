"""The reads of the dashboard and the reports: a handful of aggregate queries over the monthly
rollups (every period is whole months), already scoped to what the user may see."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q, Sum
from django.utils import timezone

from servicehall.accounts.scoping import visible_rows
from servicehall.catalog.choices import OnlineDepth
from servicehall.catalog.models import Department, ServiceItem
from servicehall.core.calendar import calendar_for
from servicehall.core.workcalendar import CalendarNotConfigured

from .anomalies import DEFAULT_BAND, Anomaly, anomalies
from .contributions import COUNTERS
from .figures import Figures, OnlineFigures, figures, online_figures, percent, totals
from .models import DailyRollup, HourlyRollup, MonthlyRollup
from .periods import Period, working_days

SUMS = {name: Sum(name) for name in COUNTERS}
ONLINE_COUNTERS = ("received", "completed", "zero_visits", "one_visit_at_most")


@dataclass(frozen=True)
class Scope:
    """Whose statistics: a center, narrowed to a department and an item if chosen."""

    center: object
    department_id: int | None = None
    item_id: int | None = None

    def rows(self, user, model=MonthlyRollup):
        q = visible_rows(user) & Q(center=self.center)
        if self.department_id:
            q &= Q(department_id=self.department_id)
        if self.item_id:
            q &= Q(item_id=self.item_id)
        return model.objects.filter(q)


def _in(period: Period) -> Q:
    return Q(month__gte=period.start, month__lte=period.end)


def period_working_days(center, period: Period) -> int:
    try:
        return working_days(calendar_for(center), period)
    except CalendarNotConfigured:
        return 0


def period_figures(*, user, scope: Scope, period: Period) -> Figures:
    """The report figures of a period, compared with the period before and a year before.
    Three aggregate queries (period, year before and the pending balance) plus the channels."""
    rows = scope.rows(user)
    # one pass over the rows of the period, the year before and the period before
    both = rows.filter(_in(period) | _in(period.year_before()) | _in(period.previous()))
    current = both.aggregate(
        **{f"sum_{name}": Sum(name, filter=_in(period)) for name in COUNTERS},
        prev_year=Sum("accepted", filter=_in(period.year_before())),
        prev_period=Sum("accepted", filter=_in(period.previous())))
    pending = (rows.filter(month__lte=period.end).exclude(pending_delta=0)  # rows that move it
               .aggregate(p=Sum("pending_delta"))["p"] or 0)
    channels = dict(rows.filter(_in(period)).values_list("channel").annotate(n=Sum("accepted"))
                    .order_by())
    counts = {name: current[f"sum_{name}"] or 0 for name in COUNTERS}
    return figures(counts, working_days=period_working_days(scope.center, period),
                   pending=pending,
                   previous_year={"accepted": current["prev_year"]}
                   if current["prev_year"] else None,
                   previous_period={"accepted": current["prev_period"]}
                   if current["prev_period"] else None,
                   by_channel=channels)


def monthly_trend(*, user, scope: Scope, period: Period) -> list[dict]:
    """Per month of the period: received, accepted, completed, on time, early."""
    rows = (scope.rows(user).filter(_in(period)).values("month").annotate(**SUMS)
            .order_by("month"))
    by_month = {f"{row['month']:%Y-%m}": row for row in rows}
    return [{"month": m, **{name: (by_month.get(m) or {}).get(name) or 0 for name in COUNTERS}}
            for m in period.months()]


@dataclass
class DepartmentLine:
    department: Department
    accepted: int
    completed: int
    on_time: int
    early: int
    on_time_rate: object = None
    early_rate: object = None
    share: object = None


def _departments(ids, names: dict | None) -> dict:
    if names is not None and set(ids) <= set(names):
        return names
    return {d.pk: d for d in Department.objects.filter(pk__in=list(ids))}


def by_department(*, user, scope: Scope, period: Period,
                  names: dict | None = None) -> list[DepartmentLine]:
    """Every department's volume and timeliness, largest first. `names` (pk → Department),
    when the caller has them, saves a query."""
    rows = (scope.rows(user).filter(_in(period)).values("department_id")
            .annotate(**{n: Sum(n) for n in ("accepted", "completed", "on_time", "early")})
            .order_by())
    names = _departments([r["department_id"] for r in rows], names)
    total = sum(r["accepted"] for r in rows)
    lines = [DepartmentLine(names[r["department_id"]], r["accepted"], r["completed"],
                            r["on_time"], r["early"], percent(r["on_time"], r["completed"]),
                            percent(r["early"], r["completed"]), percent(r["accepted"], total))
             for r in rows]
    return sorted(lines, key=lambda line: (-line.accepted, line.department.sort_order,
                                           line.department.code))


@dataclass(frozen=True)
class StaffLine:
    staff: str
    received: int
    accepted: int
    immediate: int
    returned: int
    share: object = None


STAFF_LINES = 20


def by_staff(*, user, scope: Scope, period: Period) -> list[StaffLine]:
    """The receiving staff with the most applications (个人受理量), largest first, from the
    daily rollups (the monthly ones do not keep the staff); cases that came in without a staff
    member (online, over the API) are left out."""
    rows = list(scope.rows(user, DailyRollup).filter(day__gte=period.start, day__lte=period.end)
                .exclude(staff_id=0).values("staff_id")
                .annotate(**{n: Sum(n) for n in ("received", "accepted", "immediate",
                                                  "returned")})
                .order_by("-received", "staff_id"))
    total = sum(r["received"] for r in rows)
    top = rows[:STAFF_LINES]
    names = {u.pk: str(u) for u in get_user_model().objects.filter(
        pk__in=[r["staff_id"] for r in top]).only("username", "full_name")}
    return [StaffLine(names.get(r["staff_id"], str(r["staff_id"])), r["received"],
                      r["accepted"], r["immediate"], r["returned"],
                      percent(r["received"], total)) for r in top]


WEEKDAYS = range(1, 8)
HOURS = range(7, 20)


@dataclass
class HeatMap:
    cells: dict = field(default_factory=dict)  # (weekday, hour) → received
    hours: list = field(default_factory=list)

    @property
    def peak(self) -> int:
        return max(self.cells.values(), default=0)

    def rows(self) -> list[tuple[int, list[int]]]:
        return [(weekday, [self.cells.get((weekday, hour), 0) for hour in self.hours])
                for weekday in WEEKDAYS]


def heat_map(*, user, scope: Scope, period: Period) -> HeatMap:
    """Applications received by weekday × hour of the day (from the time each case was
    received, `Case.created_at`, in the hall's time zone)."""
    rows = (scope.rows(user, HourlyRollup).filter(_in(period)).values("weekday", "hour")
            .annotate(n=Sum("received")).order_by())
    cells = {(r["weekday"], r["hour"]): r["n"] for r in rows}
    hours = sorted(set(HOURS) | {hour for _, hour in cells})
    return HeatMap(cells, hours)


def anomaly_band() -> Decimal:
    """The band of the anomaly flags: `STATS_ANOMALY_BAND` (a fraction, e.g. "0.3")."""
    return Decimal(str(getattr(settings, "STATS_ANOMALY_BAND", DEFAULT_BAND)))


def department_anomalies(*, user, scope: Scope, period: Period, band: Decimal | None = None,
                         trailing: int = 3, names: dict | None = None) -> list[Anomaly]:
    """Departments whose volume in the period's last month (up to this month, for a period
    not over yet) leaves the band around their mean of the `trailing` months before."""
    band = anomaly_band() if band is None else band
    this_month = f"{timezone.localdate():%Y-%m}"
    last = min(period.months()[-1], max(this_month, period.months()[0]))
    year, month = map(int, last.split("-"))
    window = Period.month(year, month)
    first = window
    for _ in range(trailing):
        first = first.previous()
    span = Period("range", first.start, window.end)
    rows = (scope.rows(user).filter(_in(span)).values("department_id", "month")
            .annotate(n=Sum("accepted")).order_by())
    volumes: dict = defaultdict(dict)
    for r in rows:
        volumes[r["department_id"]][f"{r['month']:%Y-%m}"] = r["n"]
    names = _departments(volumes, names)
    series = {names[d]: [(m, v.get(m, 0)) for m in span.months()] for d, v in volumes.items()}
    return anomalies(series, month=last, band=band, trailing=trailing)


def online_hall(*, user, scope: Scope, period: Period) -> OnlineFigures:
    """The online hall's rates (seed 002): the period's counters per intake channel, and the
    hall's published items with how many of them are fully online. Two aggregate queries."""
    sums = {name: Sum(name) for name in ONLINE_COUNTERS}
    channels = {row.pop("channel"): row for row in scope.rows(user).filter(_in(period))
                .values("channel").annotate(**sums).order_by()}
    items = ServiceItem.objects.filter(visible_rows(user) & Q(center=scope.center),
                                       current_version__isnull=False)
    if scope.department_id:
        items = items.filter(department_id=scope.department_id)
    if scope.item_id:
        items = items.filter(pk=scope.item_id)
    counted = items.aggregate(total=Count("pk"), full=Count("pk", filter=Q(
        current_version__online_depth=OnlineDepth.FULLY_ONLINE)))
    return online_figures(channels, items=counted["total"], items_fully_online=counted["full"])


def filter_choices(*, user, center) -> tuple[list, list]:
    """The departments and items the filters offer: those the user may see."""
    departments = list(Department.objects.filter(visible_rows(user, department_lookup="pk"),
                                                 center=center).order_by("sort_order", "code"))
    items = list(ServiceItem.objects.filter(visible_rows(user), center=center)
                 .select_related("current_version").order_by("department__sort_order", "code"))
    return departments, items


__all__ = ["Scope", "by_department", "by_staff", "department_anomalies", "filter_choices",
           "heat_map", "monthly_trend", "online_hall", "period_figures", "totals"]
