"""A realistic history of cases for dashboards and benchmarks, shaped like seed 000's hall:
about 4,348 cases accepted per working day (1.09 million a year), 53% of them immediate cases,
about 42% of all cases completed early, a few returned or accepted pending supplement, a busy
morning and afternoon, most cases at a window. Cases are written with bulk inserts (COPY on
PostgreSQL; not through the services, which would take days for millions), each with its
intake entry on the timeline; the rollups are rebuilt afterwards. For millions of cases on
PostgreSQL, `generate_history_sql` has the database draw them by the same rules."""

import json
import random
from collections.abc import Sequence
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

from .rollups import is_superuser

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


# --- PostgreSQL: set-based ------------------------------------------------------------------
# The same cases drawn by the database itself (INSERT … SELECT over generate_series), one
# transaction per chunk: ten million cases in minutes instead of hours of COPY from Python.

SQL_FROM = 100_000  # the command's choice: from this many cases on PostgreSQL, set-based
SQL_CHUNK = 250_000
REBUILD_INDEXES_FROM = 1_000_000  # from this many cases, drop and rebuild the secondary indexes


def _lower_bounds(weights: list[float]) -> list[float]:
    """Where each choice's share of [0, total) starts, for `width_bucket`: the bucket of
    `random() * total` is the choice, as `random.choices` with these weights would draw."""
    bounds, total = [], 0.0
    for weight in weights:
        bounds.append(total)
        total += weight
    return bounds


def _draw(weighted: Sequence[tuple[str | int, float]], roll: str) -> str:
    """A SQL expression choosing one of the values of `weighted` by the uniform `roll`."""
    values = [v for v, _ in weighted]
    bounds = _lower_bounds([w for _, w in weighted])
    total = sum(w for _, w in weighted)
    cases = " ".join(f"WHEN {n + 1} THEN " + (f"'{v}'" if isinstance(v, str) else str(int(v)))
                     for n, v in enumerate(values))
    return (f"CASE width_bucket({roll} * {total}, ARRAY{bounds}::float8[]) {cases} END")


class _SqlCatalog:
    """The items, days and staff the chunks draw from, as query parameters: items by index
    into arrays of their fields, drawn by weight (immediate ones for immediate cases, as
    `_Picker`), and the working days extended Monday to Friday beyond the last one, as
    `_Clock.add` does."""

    def __init__(self, center, weighted: list[tuple[_Item, float]], clock: _Clock,
                 staff: list[int]):
        items = [i for i, _ in weighted]
        index = {item: n + 1 for n, item in enumerate(items)}

        def part(kind: bool):
            chosen = [(i, w) for i, w in weighted if i.immediate is kind] or weighted
            return ([index[i] for i, _ in chosen], _lower_bounds([w for _, w in chosen]),
                    sum(w for _, w in chosen))

        imm, imm_bounds, imm_total = part(True)
        other, other_bounds, other_total = part(False)
        reach = max(max(max(i.promised, 1) + 3, i.legal or 0) for i in items)
        extension: list[date] = []
        d = clock.days[-1]
        while len(extension) <= reach:
            d += timedelta(days=1)
            if d.isoweekday() <= 5:
                extension.append(d)
        self.params = {
            "center": center.pk, "code": center.code, "until": clock.until,
            "days": clock.days + extension, "n_days": len(clock.days), "staff": staff,
            "item_pk": [i.pk for i in items], "item_version": [i.version_id for i in items],
            "item_department": [i.department_id for i in items],
            "item_promised": [max(i.promised, 1) for i in items],
            "item_legal": [i.legal or 0 for i in items],
            "imm": imm, "imm_bounds": imm_bounds, "imm_total": imm_total,
            "other": other, "other_bounds": other_bounds, "other_total": other_total,
            "tz": timezone.get_current_timezone_name(),
        }


def _case_defaults(center) -> dict[str, tuple]:
    """Every case column (name → value, SQL type): the value of a fresh case, like the COPY
    writer's prepared defaults; the columns the generator draws are replaced in the SQL."""
    prototype = Case(center=center, number="", received_on=timezone.localdate())
    defaults: dict[str, tuple] = {}
    for f in Case._meta.concrete_fields:
        if f.primary_key:
            continue
        defaults[str(f.column)] = (f.get_db_prep_save(getattr(prototype, f.attname), connection),
                              f.db_type(connection))
    return defaults


def _chunk_sql(drawn: dict[str, str], defaults: dict[str, tuple]) -> tuple[str, dict]:
    """One chunk of cases [lo, hi) and their intake entries, in one statement."""
    params, columns, values = {}, [], []
    for column, (value, db_type) in defaults.items():
        columns.append(column)
        if column in drawn:
            values.append(drawn[column])
        else:
            params[f"default_{column}"] = value
            values.append(f"%(default_{column})s::{db_type}")
    return f"""
        WITH r AS MATERIALIZED (
            SELECT i, nextval(pg_get_serial_sequence('{Case._meta.db_table}', 'id')) AS id,
                   (i::bigint * %(n_days)s / %(cases)s)::int + 1 AS d,
                   random() AS roll, random() AS pick, random() AS chan, random() AS vis,
                   random() AS speed, random() AS span, random() AS supp, random() AS who,
                   random() AS hr, random() AS minute
            FROM generate_series(%(lo)s::int, %(hi)s::int - 1) AS i
        ), k AS (
            SELECT r.*, (%(days)s::date[])[r.d] AS day,
                   CASE WHEN roll < {RETURN_SHARE} THEN 'returned'
                        WHEN roll < {RETURN_SHARE + IMMEDIATE_SHARE} THEN 'immediate'
                        ELSE 'promised' END AS kind,
                   CASE WHEN roll >= {RETURN_SHARE} AND roll < {RETURN_SHARE + IMMEDIATE_SHARE}
                        THEN (%(imm)s::int[])[width_bucket(pick * %(imm_total)s,
                                                           %(imm_bounds)s::float8[])]
                        ELSE (%(other)s::int[])[width_bucket(pick * %(other_total)s,
                                                             %(other_bounds)s::float8[])]
                   END AS it,
                   {_draw(CHANNELS, "chan")} AS channel
            FROM r
        ), p AS (
            SELECT k.*, (%(item_promised)s::int[])[it] AS promised,
                   (%(item_legal)s::int[])[it] AS legal
            FROM k
        ), u AS (
            SELECT p.*,
                   CASE WHEN speed < {EARLY_OF_PROMISED}
                        THEN promised / 4 + floor(span * (promised - promised / 4))::int
                        WHEN speed < 0.998 THEN promised
                        ELSE promised + 1 + floor(span * 3)::int END AS used
            FROM p
        ), c AS (
            SELECT u.*, (%(days)s::date[])[d + used] AS completed,
                   (%(days)s::date[])[d + used] <= %(until)s AS done,
                   CASE WHEN kind = 'promised' AND supp < {SUPPLEMENT_SHARE / (1 - IMMEDIATE_SHARE)}
                        THEN 'supplement' ELSE kind END AS case_type,
                   (day + make_time({_draw(HOURS, "hr")}, floor(minute * 60)::int, 0))
                       AT TIME ZONE %(tz)s AS at
            FROM u
        ), cases AS (
            INSERT INTO {Case._meta.db_table} (id, {", ".join(columns)})
            SELECT id, {", ".join(values)} FROM c
        )
        INSERT INTO {CaseEvent._meta.db_table} (case_id, kind, at, note)
        SELECT id, CASE WHEN kind = 'returned' THEN '{EventKind.RETURNED}'
                        ELSE '{EventKind.ACCEPTED}' END, at, '' FROM c
        """, params


def _drawn_columns() -> dict[str, str]:
    """The SQL of every column the generator sets, over the chunk's drawn values (`c`): the
    same rules as `_case`."""
    returned, immediate = "kind = 'returned'", "kind = 'immediate'"
    visits = (f"CASE WHEN channel = '{IntakeChannel.WINDOW}' THEN "
              f"{_draw(WINDOW_VISITS, 'vis')} ELSE {_draw(ONLINE_VISITS, 'vis')} END")
    return {
        "center_id": "%(center)s",
        "number": "%(code)s || '-H' || lpad((%(offset)s + i)::text, "
                  "greatest(9, length((%(offset)s + i)::text)), '0')",
        "item_id": "(%(item_pk)s::bigint[])[it]",
        "item_version_id": "(%(item_version)s::bigint[])[it]",
        "department_id": "(%(item_department)s::bigint[])[it]",
        "channel": "channel", "applicant_kind": f"'{ApplicantKind.PERSON}'",
        "applicant_name": "'历史申请人'", "received_on": "day",
        "created_by_id": f"CASE WHEN channel = '{IntakeChannel.WINDOW}' "
                         "AND cardinality(%(staff)s::bigint[]) > 0 THEN "
                         "(%(staff)s::bigint[])[1 + floor(who * cardinality("
                         "%(staff)s::bigint[]))::int] END",
        "visits": visits,
        "case_type": "case_type",
        "status": f"CASE WHEN {returned} THEN '{CaseStatus.RETURNED}' "
                  f"WHEN {immediate} OR done THEN '{CaseStatus.COMPLETED}' "
                  f"ELSE '{CaseStatus.IN_PROGRESS}' END",
        "return_reasons": f"CASE WHEN {returned} THEN '[\"key_materials_missing\"]'::jsonb "
                          "ELSE '[]'::jsonb END",
        "accepted_on": f"CASE WHEN NOT {returned} THEN day END",
        "materials_completed_on": f"CASE WHEN NOT {returned} THEN day END",
        "clock_start": f"CASE WHEN NOT {returned} THEN day END",
        "promised_due": f"CASE WHEN {immediate} THEN day WHEN NOT {returned} "
                        "THEN (%(days)s::date[])[d + promised] END",
        "legal_due": f"CASE WHEN NOT {returned} AND NOT {immediate} AND legal > 0 "
                     "THEN (%(days)s::date[])[d + legal] END",
        "completed_on": f"CASE WHEN {immediate} THEN day WHEN NOT {returned} AND done "
                        "THEN completed END",
        "working_days_used": f"CASE WHEN NOT {returned} AND NOT {immediate} AND done "
                             "THEN used ELSE 0 END",
        "on_time": f"CASE WHEN {immediate} THEN true WHEN NOT {returned} AND done "
                   "THEN used <= promised END",
        "early": f"CASE WHEN {immediate} THEN false WHEN NOT {returned} AND done "
                 "THEN used < promised END",
        "decision": f"CASE WHEN {immediate} OR (NOT {returned} AND done) "
                    f"THEN '{Decision.APPROVED}' ELSE '' END",
        "created_at": "now()", "updated_at": "now()",
    }


def _secondary_indexes(cursor) -> list[tuple[str, str]]:
    """The case and timeline tables' indexes that no constraint stands behind (not the
    primary keys, not the unique case number): name and definition."""
    cursor.execute("""
        SELECT i.relname, pg_get_indexdef(i.oid)
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relname IN (%s, %s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
        """, [Case._meta.db_table, CaseEvent._meta.db_table])
    return cursor.fetchall()


def generate_history_sql(*, center, cases: int, until: date | None = None, seed: int = 1,
                         chunk: int = SQL_CHUNK, progress=None,
                         rebuild_indexes: bool | None = None) -> int:
    """`generate_history` on PostgreSQL, drawn by the database: the same columns, rules and
    proportions, one transaction per chunk of `chunk` cases (`progress(n)` after each). From
    REBUILD_INDEXES_FROM cases (or with `rebuild_indexes`) the secondary indexes of the case
    and timeline tables are dropped first and built again at the end, which is several times
    faster than keeping them up to date row by row; as superuser the chunks also skip the
    foreign-key triggers (every reference is drawn from existing rows)."""
    weighted = _items(center)
    if not weighted:
        raise ValueError("The center has no service items to generate cases for.")
    until = until or timezone.localdate() - timedelta(days=1)
    count = max(MIN_WORKING_DAYS, -(-cases // PER_WORKING_DAY))
    clock = _Clock(_working_days(center, until, count), until)
    staff = list(User.objects.filter(center=center).values_list("pk", flat=True)[:50])
    catalog = _SqlCatalog(center, weighted, clock, staff)
    sql, defaults = _chunk_sql(_drawn_columns(), _case_defaults(center))
    params = {**catalog.params, **defaults, "cases": cases,
              "offset": Case.objects.filter(center=center).count()}
    if rebuild_indexes is None:
        rebuild_indexes = cases >= REBUILD_INDEXES_FROM
    with connection.cursor() as cursor:
        dropped = _secondary_indexes(cursor) if rebuild_indexes else []
        replica = is_superuser(cursor)
        try:
            for name, _definition in dropped:
                cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
            for lo in range(0, cases, chunk):
                hi = min(cases, lo + chunk)
                with transaction.atomic():
                    cursor.execute("SELECT setseed(%s)", [_chunk_seed(seed, lo)])
                    if replica:
                        cursor.execute("SET LOCAL session_replication_role = replica")
                    cursor.execute(sql, {**params, "lo": lo, "hi": hi})
                    if replica:  # not beyond the chunk, should a caller's transaction hold it
                        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
                if progress is not None:
                    progress(hi - lo)
        finally:
            if dropped:
                cursor.execute("SET maintenance_work_mem = '512MB'")
            for _name, definition in dropped:
                cursor.execute(definition.replace("INDEX", "INDEX IF NOT EXISTS", 1))
        if dropped:
            cursor.execute("RESET maintenance_work_mem")
            cursor.execute(f"ANALYZE {Case._meta.db_table}, {CaseEvent._meta.db_table}")
    return cases


def _chunk_seed(seed: int, lo: int) -> float:
    """A seed in [-1, 1] for `setseed`, different for every chunk, the same on a rerun."""
    return random.Random(f"{seed}:{lo}").uniform(-1, 1)
