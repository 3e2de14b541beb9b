"""Keeping the rollups: the increment a case transition makes, inside the case's transaction,
and the full rebuild from the cases."""

from collections import Counter
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from servicehall.cases.models import Case, CaseEvent
from servicehall.catalog.models import ItemVersion
from servicehall.core import businessday
from servicehall.core.compiled import Compiled

from .contributions import (
    COUNTERS,
    RETURNED_STATUSES,
    CaseFacts,
    Contribution,
    MonthKey,
    RollupKey,
    by_month,
    delta,
    recount,
)
from .models import DailyRollup, HourlyRollup, MonthlyRollup

# The Case fields the statistics read; a save that touches none of them changes nothing.
CASE_FIELDS = ("center_id", "department_id", "item_id", "created_by_id", "channel", "case_type",
               "status", "received_on", "accepted_on", "completed_on", "on_time", "early",
               "working_days_used", "visits", "item_version_id", "window_id")
_VERSION_FIELDS = ("item_version__promised_limit", "item_version__promised_limit_unit",
                   "item_version__legal_limit", "item_version__legal_limit_unit")
_KEY_COLUMNS = ("day", "center_id", "department_id", "item_id", "window_id", "staff_id",
                "channel", "case_type")
_MONTH_COLUMNS = ("month", "center_id", "department_id", "item_id", "channel", "case_type")


def _facts(values: dict) -> CaseFacts:
    return CaseFacts(
        center_id=values["center_id"], department_id=values["department_id"],
        item_id=values["item_id"], staff_id=values["created_by_id"] or 0,
        channel=values["channel"], case_type=values["case_type"], status=values["status"],
        received_on=values["received_on"], accepted_on=values["accepted_on"],
        completed_on=values["completed_on"], on_time=values["on_time"],
        early=values["early"], working_days_used=values["working_days_used"],
        visits=values["visits"],
        promised_limit=values["item_version__promised_limit"],
        promised_unit=values["item_version__promised_limit_unit"],
        legal_limit=values["item_version__legal_limit"],
        legal_unit=values["item_version__legal_limit_unit"] or "",
        window_id=values["window_id"] or 0)


def facts_of(case: Case) -> CaseFacts:
    """The facts of a case as it is in memory (about to be, or just, saved)."""
    version = case.item_version
    values = {name: getattr(case, name) for name in CASE_FIELDS}
    values.update({"item_version__promised_limit": version.promised_limit,
                   "item_version__promised_limit_unit": version.promised_limit_unit,
                   "item_version__legal_limit": version.legal_limit,
                   "item_version__legal_limit_unit": version.legal_limit_unit})
    return _facts(values)


_STORED = Compiled(lambda pk: Case.objects.filter(pk=pk).order_by().values(
    *CASE_FIELDS, *_VERSION_FIELDS), pk=int)


def facts_stored(pk: int) -> CaseFacts | None:
    """The facts of a case as the database holds them now (under the caller's row lock)."""
    values = _STORED.first(pk=pk)
    return _facts(values) if values else None


def facts_all(queryset=None):
    """Every case's facts, streamed."""
    rows = (queryset if queryset is not None else Case.objects.all()).order_by().values(
        *CASE_FIELDS, *_VERSION_FIELDS)
    return (_facts(values) for values in rows.iterator(chunk_size=5000))


def _upsert_sql(table: str, key_columns, counters, rows: int) -> str:
    columns = [*key_columns, *counters]
    placeholders = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * rows)
    updates = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in counters)
    return (f"INSERT INTO {table} ({', '.join(columns)}) VALUES {placeholders} "
            f"ON CONFLICT ({', '.join(key_columns)}) DO UPDATE SET {updates}")


def _upsert(table: str, key_columns, changes: dict) -> None:
    params: list = []
    for key in sorted(changes):
        counts = changes[key]
        params.extend(getattr(key, column) for column in key_columns)
        params.extend(counts.get(name, 0) for name in COUNTERS)
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(table, key_columns, COUNTERS, len(changes)), params)


def rollups_apply(changes: Contribution) -> None:
    """Add `changes` to the daily and monthly rollups, one upsert each: new rows are inserted,
    existing ones incremented in place (`counter = counter + n`), so concurrent transitions on
    other cases of the same row add up instead of overwriting each other. Works on PostgreSQL
    and SQLite."""
    if not changes:
        return
    _upsert(DailyRollup._meta.db_table, _KEY_COLUMNS, changes)
    months = by_month(changes)
    if months:
        _upsert(MonthlyRollup._meta.db_table, _MONTH_COLUMNS, months)


def hourly_add(case: Case) -> None:
    """Count a newly received case in its day × hour: the time of its intake, which is the
    time of its first timeline entry (`businessday.now()`, so also in a replayed history)."""
    local = timezone.localtime(businessday.now())
    table = HourlyRollup._meta.db_table
    sql = (f"INSERT INTO {table} (month, weekday, hour, center_id, department_id, item_id, "
           f"received) VALUES (%s, %s, %s, %s, %s, %s, 1) ON CONFLICT (month, weekday, hour, "
           f"center_id, department_id, item_id) DO UPDATE SET received = {table}.received + 1")
    with connection.cursor() as cursor:
        cursor.execute(sql, [local.date().replace(day=1), local.isoweekday(), local.hour,
                             case.center_id, case.department_id, case.item_id])


def case_rollups_update(*, before: CaseFacts | None, case: Case) -> None:
    """A case was saved: move its counts from what it was to what it is."""
    rollups_apply(delta(before, facts_of(case)))


def _insert(model, columns, rows) -> None:
    """Plain rows (tuples in `columns` order) into `model`'s table: COPY on PostgreSQL,
    executemany elsewhere; far faster than model instances for the rebuild of millions."""
    table, names = model._meta.db_table, ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))


def _rows(columns, total: dict):
    for key, counts in total.items():
        yield (*(getattr(key, column) for column in columns),
               *(counts.get(name, 0) for name in COUNTERS))


def _hourly_rows(queryset):
    """Cases per day × hour of intake: the first timeline entry of each case (its creation
    time where it has none)."""
    counts: Counter = Counter()
    rows = (queryset.order_by().annotate(first=Min("events__at"))
            .values_list("center_id", "department_id", "item_id", "first", "created_at"))
    for center_id, department_id, item_id, first, created_at in rows.iterator(chunk_size=5000):
        local: datetime = timezone.localtime(first or created_at)
        counts[(local.date().replace(day=1), local.isoweekday(), local.hour, center_id,
                department_id, item_id)] += 1
    for key, n in counts.items():
        yield (*key, n)  # month, weekday, hour, center, department, item, received


@transaction.atomic
def rollups_rebuild(*, center=None, progress=None, in_database: bool | None = None) -> int:
    """Recompute every rollup from the cases (of one center, or all); returns the number of
    daily rows. On PostgreSQL (unless `in_database` is False) the database sums the
    contributions itself (three INSERT … SELECT … GROUP BY), elsewhere they are summed in
    Python. `progress(total)` makes a progress bar (`advance`, `wrap`, `finish`) for the work
    there is."""
    for model in (DailyRollup, MonthlyRollup, HourlyRollup):
        (model.objects.all() if center is None else model.objects.filter(center=center)).delete()
    if in_database is None:
        in_database = connection.vendor == "postgresql"
    if in_database:
        return _rebuild_in_database(center, progress)
    return _rebuild_in_python(center, progress)


def _rebuild_in_python(center, progress) -> int:
    cases = Case.objects.all() if center is None else Case.objects.filter(center=center)
    facts = facts_all(cases)
    if progress is not None:
        facts = progress(cases.count()).wrap(facts)
    total = recount(facts)
    _insert(DailyRollup, (*_KEY_COLUMNS, *COUNTERS), _rows(_KEY_COLUMNS, total))
    _insert(MonthlyRollup, (*_MONTH_COLUMNS, *COUNTERS), _rows(_MONTH_COLUMNS, by_month(total)))
    _insert(HourlyRollup, ("month", "weekday", "hour", "center_id", "department_id", "item_id",
                           "received"), list(_hourly_rows(cases)))  # read before COPY starts
    return len(total)


# `contribution` in SQL: the counters each of a case's (up to) three days adds, the rest 0.
_COMPARABLE = ("(v.promised_limit_unit = 'working' AND v.legal_limit IS NOT NULL "
               "AND v.legal_limit_unit = 'working')")
_CONTRIBUTIONS = (
    ("c.received_on", {
        "received": "1",
        "returned": "(c.accepted_on IS NULL AND c.status IN ({returned}))::int"}),
    ("c.accepted_on", {
        "accepted": "1", "pending_delta": "1",
        "immediate": "(c.case_type = 'immediate')::int",
        "supplement": "(c.case_type = 'supplement')::int"}),
    ("CASE WHEN c.accepted_on IS NOT NULL THEN c.completed_on END", {
        "completed": "1", "pending_delta": "-1", "on_time": "coalesce(c.on_time, false)::int",
        "early": "coalesce(c.early, false)::int", "overdue": "(c.on_time IS false)::int",
        "visits": "c.visits", "zero_visits": "(c.visits = 0)::int",
        "one_visit_at_most": "(c.visits <= 1)::int",
        "limit_cases": f"{_COMPARABLE}::int",
        "promised_days": f"CASE WHEN {_COMPARABLE} THEN v.promised_limit ELSE 0 END",
        "legal_days": f"CASE WHEN {_COMPARABLE} THEN coalesce(v.legal_limit, 0) ELSE 0 END",
        "used_days": f"CASE WHEN {_COMPARABLE} THEN c.working_days_used ELSE 0 END"}),
)


def _sums(source: str = "") -> str:
    return ", ".join(f"sum({source}{name})" for name in COUNTERS)


def _any_counted(source: str = "") -> str:
    """HAVING: the row counts something (`recount` and `by_month` drop all-zero rows)."""
    return " OR ".join(f"sum({source}{name}) <> 0" for name in COUNTERS)


def _daily_sql(where: str) -> str:
    returned = ", ".join(f"'{s}'" for s in sorted(RETURNED_STATUSES))
    values = ", ".join(
        "(" + ", ".join([day, *(counts.get(name, "0").format(returned=returned)
                                for name in COUNTERS)]) + ")"
        for day, counts in _CONTRIBUTIONS)
    return f"""
        INSERT INTO {DailyRollup._meta.db_table} ({", ".join((*_KEY_COLUMNS, *COUNTERS))})
        SELECT x.day, c.center_id, c.department_id, c.item_id, coalesce(c.window_id, 0),
               coalesce(c.created_by_id, 0), c.channel, c.case_type, {_sums("x.")}
        FROM {Case._meta.db_table} c
        JOIN {ItemVersion._meta.db_table} v ON v.id = c.item_version_id
        CROSS JOIN LATERAL (VALUES {values}) AS x (day, {", ".join(COUNTERS)})
        WHERE x.day IS NOT NULL {where}
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        HAVING {_any_counted("x.")}
        ORDER BY 1"""


def _monthly_sql(where: str) -> str:
    return f"""
        INSERT INTO {MonthlyRollup._meta.db_table} ({", ".join((*_MONTH_COLUMNS, *COUNTERS))})
        SELECT date_trunc('month', day)::date, center_id, department_id, item_id, channel,
               case_type, {_sums()}
        FROM {DailyRollup._meta.db_table} WHERE true {where}
        GROUP BY 1, 2, 3, 4, 5, 6
        HAVING {_any_counted()}
        ORDER BY 1"""


def _hourly_sql(where: str) -> str:
    """Cases per month × weekday × hour of intake (`_hourly_rows`): the first timeline entry
    of each case, its creation time where it has none, in the hall's time zone."""
    events = CaseEvent._meta.db_table
    return f"""
        INSERT INTO {HourlyRollup._meta.db_table}
            (month, weekday, hour, center_id, department_id, item_id, received)
        SELECT date_trunc('month', t)::date, extract(isodow FROM t), extract(hour FROM t),
               center_id, department_id, item_id, count(*)
        FROM (SELECT c.center_id, c.department_id, c.item_id,
                     coalesce(e.first, c.created_at) AT TIME ZONE %(tz)s AS t
              FROM {Case._meta.db_table} c
              LEFT JOIN (SELECT case_id, min(at) AS first FROM {events} GROUP BY case_id) e
                ON e.case_id = c.id
              WHERE true {where}) AS cases
        GROUP BY 1, 2, 3, 4, 5, 6
        ORDER BY 1"""


def _rebuild_in_database(center, progress) -> int:
    one = "" if center is None else "AND c.center_id = %(center)s"
    params = {"center": getattr(center, "pk", None),
              "tz": timezone.get_current_timezone_name()}
    steps = (_daily_sql(one), _monthly_sql(one.replace("c.", "")), _hourly_sql(one))
    bar = progress(len(steps)) if progress is not None else None
    inserted = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '512MB'")  # the sums of millions of cases
        replica = is_superuser(cursor)
        if replica:
            # every center, department and item of a rollup row is one a case refers to:
            # millions of foreign-key checks at commit would only say so again
            cursor.execute("SET LOCAL session_replication_role = replica")
        for sql in steps:
            cursor.execute(sql, params)
            inserted.append(cursor.rowcount)
            if bar is not None:
                bar.advance()
        if replica:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        cursor.execute("SET LOCAL work_mem = DEFAULT")
    if bar is not None:
        bar.finish()
    return inserted[0]  # the daily rows


def is_superuser(cursor) -> bool:
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    row = cursor.fetchone()
    return bool(row and row[0])


def rollups_vacuum() -> None:
    """VACUUM ANALYZE the rollup tables after a rebuild (PostgreSQL, outside a transaction):
    fresh statistics, and a visibility map for the index-only scans of the pending balance and
    the heat map, as autovacuum would leave them a while later."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    tables = ", ".join(m._meta.db_table for m in (DailyRollup, MonthlyRollup, HourlyRollup))
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {tables}")


def stored_rollups(model=DailyRollup) -> dict:
    """The daily (or monthly) rollups as the database holds them, in the shape `recount`
    (or `by_month`) returns."""
    columns, key = ((_KEY_COLUMNS, RollupKey) if model is DailyRollup
                    else (_MONTH_COLUMNS, MonthKey))
    stored: dict = {}
    for row in model.objects.values(*columns, *COUNTERS):
        counts = Counter({name: row[name] for name in COUNTERS if row[name]})
        if counts:
            stored[key(*(row[c] for c in columns))] = counts
    return stored
