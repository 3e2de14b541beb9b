"""A realistic history of cases for dashboards and benchmarks, shaped like seed 000's hall:
about 4,348 cases accepted per working day (1.09 million a year), 53% of them immediate cases,
about 42% of all cases completed early, a few returned or accepted pending supplement, a busy
morning and afternoon, most cases at a window. Cases are written with bulk inserts (COPY on
PostgreSQL; not through the services, which would take days for millions), each with its
intake entry on the timeline; the rollups are rebuilt afterwards."""

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone

from servicehall.accounts.models import User
from servicehall.cases.choices import (
    ApplicantKind,
    CaseStatus,
    CaseType,
    Decision,
    EventKind,
    IntakeChannel,
)
from servicehall.cases.models import Case, CaseEvent
from servicehall.catalog.models import ServiceItem
from servicehall.core.calendar import calendar_for
from servicehall.core.workcalendar import CalendarNotConfigured

PER_WORKING_DAY = 4348  # seed 000: 日均业务受理量4348件
MIN_WORKING_DAYS = 500  # a small history still spans two years, for year-on-year figures
IMMEDIATE_SHARE = 0.53  # 即办件占业务总量的53.17%
EARLY_OF_PROMISED = 0.89  # 提前办结率41.55% of all cases ≈ 89% of the non-immediate ones
RETURN_SHARE = 0.015
SUPPLEMENT_SHARE = 0.03
CHANNELS = [(IntakeChannel.WINDOW, 80), (IntakeChannel.ONLINE, 18), (IntakeChannel.API, 2)]
# seed 002: 76.53% of online applications needed at most one visit, 12.03% none at all
ONLINE_VISITS = [(0, 12), (1, 65), (2, 23)]
WINDOW_VISITS = [(1, 85), (2, 15)]
HOURS = [(9, 14), (10, 18), (11, 14), (12, 3), (13, 6), (14, 15), (15, 16), (16, 12), (17, 2)]


@dataclass(frozen=True)
class _Item:
    pk: int
    version_id: int
    department_id: int
    immediate: bool
    promised: int
    legal: int | None


def _items(center) -> list[tuple[_Item, float]]:
    """The center's items, weighted so that departments differ in volume (a few large ones,
    as in seed 000's top-10 list)."""
    items = list(ServiceItem.objects.filter(center=center, current_version__isnull=False)
                 .select_related("current_version").order_by("department_id", "code"))
    departments = sorted({i.department_id for i in items})
    rank = {d: n for n, d in enumerate(departments)}
    per_department = {d: sum(1 for i in items if i.department_id == d) for d in departments}
    weighted = []
    for item in items:
        version = item.current_version
        assert version is not None  # filtered above
        weight = 1 / (1 + rank[item.department_id]) ** 0.9 / per_department[item.department_id]
        weighted.append((_Item(item.pk, version.pk, item.department_id,
                               version.processing_type == "immediate",
                               version.promised_limit if version.promised_limit_unit == "working"
                               else max(1, version.promised_limit * 5 // 7),
                               version.legal_limit), weight))
    return weighted


def _working_days(center, until: date, count: int) -> list[date]:
    calendar = calendar_for(center)
    days: list[date] = []
    d = until
    while len(days) < count:
        try:
            working = calendar.is_working_day(d)
        except CalendarNotConfigured:
            working = d.isoweekday() <= 5  # before the calendar's first year: Mon-Fri
        if working:
            days.append(d)
        d -= timedelta(days=1)
    return days[::-1]


class _Clock:
    """Working-day arithmetic for the generated dates, tolerant of years the center's
    calendar does not hold (Monday to Friday there)."""

    def __init__(self, days: list[date], until: date):
        self.days, self.index = days, {d: n for n, d in enumerate(days)}
        self.until = until

    def add(self, start: date, n: int) -> date:
        i = self.index[start] + n
        if i < len(self.days):
            return self.days[i]
        extra, d = i - len(self.days) + 1, self.days[-1]
        while extra:
            d += timedelta(days=1)
            extra -= d.isoweekday() <= 5
        return d


class _Picker:
    """Items drawn by weight, immediate ones for immediate cases (any item where the center
    has none of that kind)."""

    def __init__(self, weighted: list[tuple[_Item, float]]):
        def split(kind):
            chosen = [(i, w) for i, w in weighted if i.immediate is kind] or weighted
            items, cumulative, total = [], [], 0.0
            for item, weight in chosen:
                total += weight
                items.append(item)
                cumulative.append(total)
            return items, cumulative

        self.immediate, self.other = split(True), split(False)

    def pick(self, rng: random.Random, immediate: bool) -> _Item:
        items, cumulative = self.immediate if immediate else self.other
        return rng.choices(items, cum_weights=cumulative)[0]


def _visits(rng: random.Random, channel: str) -> int:
    """Visits to the hall: one or two at a window; none, one or two for an online
    application (to show originals or fetch the result), in seed 002's proportions."""
    table = WINDOW_VISITS if channel == IntakeChannel.WINDOW else ONLINE_VISITS
    return rng.choices([v for v, _ in table], [w for _, w in table])[0]


def _case(rng: random.Random, *, center, number: str, day: date, picker: _Picker,
          clock: _Clock, staff: list[int]) -> dict:
    """The field values (attribute names) of one generated case."""
    roll = rng.random()
    item = picker.pick(rng, RETURN_SHARE <= roll < RETURN_SHARE + IMMEDIATE_SHARE)
    channel = rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
    common = dict(center_id=center.pk, number=number, item_id=item.pk,
                  item_version_id=item.version_id, department_id=item.department_id,
                  channel=channel, applicant_kind=ApplicantKind.PERSON,
                  applicant_name="历史申请人", received_on=day,
                  created_by_id=rng.choice(staff) if staff and channel == "window" else None,
                  visits=_visits(rng, channel))
    if roll < RETURN_SHARE:
        return dict(**common, case_type=CaseType.RETURNED, status=CaseStatus.RETURNED,
                    return_reasons=["key_materials_missing"])
    if roll < RETURN_SHARE + IMMEDIATE_SHARE:
        return dict(**common, case_type=CaseType.IMMEDIATE, status=CaseStatus.COMPLETED,
                    accepted_on=day, materials_completed_on=day, clock_start=day,
                    promised_due=day, completed_on=day, on_time=True, early=False,
                    decision=Decision.APPROVED)
    promised = max(item.promised, 1)
    speed = rng.random()
    used = (rng.randint(max(0, promised // 4), promised - 1) if speed < EARLY_OF_PROMISED
            else promised if speed < 0.998 else promised + rng.randint(1, 3))
    supplement = rng.random() < SUPPLEMENT_SHARE / (1 - IMMEDIATE_SHARE)
    completed = clock.add(day, used)
    done = completed <= clock.until
    return dict(**common, case_type=CaseType.SUPPLEMENT if supplement else CaseType.PROMISED,
                status=CaseStatus.COMPLETED if done else CaseStatus.IN_PROGRESS,
                accepted_on=day, materials_completed_on=day, clock_start=day,
                promised_due=clock.add(day, promised),
                legal_due=clock.add(day, item.legal) if item.legal else None,
                completed_on=completed if done else None,
                working_days_used=used if done else 0,
                on_time=(used <= promised) if done else None,
                early=(used < promised) if done else None,
                decision=Decision.APPROVED if done else "")


def _moment(rng: random.Random, day: date) -> datetime:
    hour = rng.choices([h for h, _ in HOURS], [w for _, w in HOURS])[0]
    return timezone.make_aware(datetime.combine(day, time(hour, rng.randrange(60))))


def _orm_writer(rows: list[dict], moments: list[datetime]) -> None:
    created = Case.objects.bulk_create(Case(**row) for row in rows)
    CaseEvent.objects.bulk_create(
        CaseEvent(case=case, at=at, kind=_intake_event(case.status))
        for case, at in zip(created, moments, strict=True))


def _intake_event(status: str) -> str:
    return EventKind.RETURNED if status == CaseStatus.RETURNED else EventKind.ACCEPTED


class _CopyWriter:
    """PostgreSQL's COPY, about ten times faster than INSERTs for millions of rows: every
    column of the case table, the ones the generator does not set taken from a prepared
    default case, and ids drawn from the table's own sequence."""

    def __init__(self, center):
        self.fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
        prototype = Case(center=center, number="", received_on=timezone.localdate())
        now = timezone.now()
        self.defaults = {}
        for f in self.fields:
            value = now if f.attname in ("created_at", "updated_at") else getattr(
                prototype, f.attname)
            self.defaults[f.attname] = f.get_db_prep_save(value, connection)
        self.json = {f.attname for f in self.fields if f.get_internal_type() == "JSONField"}
        self.columns = ", ".join(str(f.column) for f in self.fields)

    def __call__(self, rows: list[dict], moments: list[datetime]) -> None:
        table = Case._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
                           f"FROM generate_series(1, %s)", [len(rows)])
            ids = [pk for (pk,) in cursor.fetchall()]
            raw = cursor.cursor
            with raw.copy(f"COPY {table} (id, {self.columns}) FROM STDIN") as copy:
                for pk, row in zip(ids, rows, strict=True):
                    copy.write_row([pk, *(
                        (json.dumps(row[name]) if name in self.json else row[name])
                        if name in row else self.defaults[name]
                        for name in (f.attname for f in self.fields))])
            with raw.copy(f"COPY {CaseEvent._meta.db_table} (case_id, kind, at, note) "
                          f"FROM STDIN") as copy:
                for pk, row, at in zip(ids, rows, moments, strict=True):
                    copy.write_row([pk, _intake_event(row["status"]), at, ""])


def generate_history(*, center, cases: int, until: date | None = None, seed: int = 1,
                     batch: int = 5000, progress=None) -> int:
    """Write `cases` historical cases for `center`, ending on `until` (default yesterday);
    returns the number written. `progress(n)` is called after each batch."""
    rng = random.Random(seed)
    weighted = _items(center)
    if not weighted:
        raise ValueError("The center has no service items to generate cases for.")
    picker = _Picker(weighted)
    until = until or timezone.localdate() - timedelta(days=1)
    count = max(MIN_WORKING_DAYS, -(-cases // PER_WORKING_DAY))
    days = _working_days(center, until, count)
    clock = _Clock(days, until)
    staff = list(User.objects.filter(center=center).values_list("pk", flat=True)[:50])
    offset = Case.objects.filter(center=center).count()  # numbers stay unique on a rerun
    write = _CopyWriter(center) if connection.vendor == "postgresql" else _orm_writer
    written = 0
    while written < cases:
        size = min(batch, cases - written)
        rows, moments = [], []
        for n in range(written, written + size):
            day = days[n * len(days) // cases]
            number = f"{center.code}-H{offset + n:09d}"
            rows.append(_case(rng, center=center, number=number, day=day, picker=picker,
                              clock=clock, staff=staff))
            moments.append(_moment(rng, day))
        with transaction.atomic():
            write(rows, moments)
        written += size
        if progress is not None:
            progress(size)
    return written
