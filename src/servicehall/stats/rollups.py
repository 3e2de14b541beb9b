"""Keeping the rollups: the increment a case transition makes, inside the case's transaction,
and the full rebuild from the cases."""

from collections import Counter
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from servicehall.cases.models import Case
from servicehall.core import businessday

from .contributions import COUNTERS, CaseFacts, Contribution, RollupKey, delta, recount
from .models import DailyRollup, HourlyRollup

# The Case fields the statistics read; a save that touches none of them changes nothing.
CASE_FIELDS = ("center_id", "department_id", "item_id", "created_by_id", "channel", "case_type",
               "status", "received_on", "accepted_on", "completed_on", "on_time", "early",
               "working_days_used", "visits", "item_version_id")
_VERSION_FIELDS = ("item_version__promised_limit", "item_version__promised_limit_unit",
                   "item_version__legal_limit", "item_version__legal_limit_unit")
_KEY_COLUMNS = ("day", "center_id", "department_id", "item_id", "window_id", "staff_id",
                "channel", "case_type")


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
        legal_unit=values["item_version__legal_limit_unit"] or "")


def facts_of(case: Case) -> CaseFacts:
    """The facts of a case as it is in memory (about to be, or just, saved)."""
    version = case.item_version
    values = {name: getattr(case, name) for name in CASE_FIELDS}
    values.update({"item_version__promised_limit": version.promised_limit,
                   "item_version__promised_limit_unit": version.promised_limit_unit,
                   "item_version__legal_limit": version.legal_limit,
                   "item_version__legal_limit_unit": version.legal_limit_unit})
    return _facts(values)


def facts_stored(pk: int) -> CaseFacts | None:
    """The facts of a case as the database holds them now (under the caller's row lock)."""
    values = Case.objects.filter(pk=pk).values(*CASE_FIELDS, *_VERSION_FIELDS).first()
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


def rollups_apply(changes: Contribution) -> None:
    """Add `changes` to the daily rollups in one upsert: new rows are inserted, existing ones
    incremented in place (`counter = counter + n`), so concurrent transitions on other cases
    of the same row add up instead of overwriting each other. Works on PostgreSQL and SQLite."""
    if not changes:
        return
    params: list = []
    for key in sorted(changes):
        counts = changes[key]
        params.extend([key.day, key.center_id, key.department_id, key.item_id, key.window_id,
                       key.staff_id, key.channel, key.case_type])
        params.extend(counts.get(name, 0) for name in COUNTERS)
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(DailyRollup._meta.db_table, _KEY_COLUMNS, COUNTERS,
                                   len(changes)), params)


def hourly_add(case: Case) -> None:
    """Count a newly received case in its day × hour: the time of its intake, which is the
    time of its first timeline entry (`businessday.now()`, so also in a replayed history)."""
    local = timezone.localtime(businessday.now())
    table = HourlyRollup._meta.db_table
    sql = (f"INSERT INTO {table} (day, hour, weekday, center_id, department_id, item_id, "
           f"received) VALUES (%s, %s, %s, %s, %s, %s, 1) ON CONFLICT (day, hour, center_id, "
           f"department_id, item_id) DO UPDATE SET received = {table}.received + 1")
    with connection.cursor() as cursor:
        cursor.execute(sql, [local.date(), local.hour, local.isoweekday(), case.center_id,
                             case.department_id, case.item_id])


def case_rollups_update(*, before: CaseFacts | None, case: Case) -> None:
    """A case was saved: move its counts from what it was to what it is."""
    rollups_apply(delta(before, facts_of(case)))


def _rows(total: Contribution):
    for key, counts in total.items():
        yield DailyRollup(**{column: getattr(key, column) for column in _KEY_COLUMNS},
                          **{name: counts.get(name, 0) for name in COUNTERS})


def _hourly_rows(queryset):
    """Cases per day × hour of intake: the first timeline entry of each case (its creation
    time where it has none)."""
    counts: Counter = Counter()
    rows = (queryset.order_by().annotate(first=Min("events__at"))
            .values_list("center_id", "department_id", "item_id", "first", "created_at"))
    for center_id, department_id, item_id, first, created_at in rows.iterator(chunk_size=5000):
        local: datetime = timezone.localtime(first or created_at)
        counts[(local.date(), local.hour, center_id, department_id, item_id)] += 1
    for (day, hour, center_id, department_id, item_id), n in counts.items():
        yield HourlyRollup(day=day, hour=hour, weekday=day.isoweekday(), center_id=center_id,
                           department_id=department_id, item_id=item_id, received=n)


@transaction.atomic
def rollups_rebuild(*, center=None, progress=None) -> int:
    """Recompute every rollup from the cases (of one center, or all); returns the row count."""
    cases = Case.objects.all() if center is None else Case.objects.filter(center=center)
    daily = DailyRollup.objects.all() if center is None else DailyRollup.objects.filter(
        center=center)
    hourly = HourlyRollup.objects.all() if center is None else HourlyRollup.objects.filter(
        center=center)
    daily.delete()
    hourly.delete()
    facts = facts_all(cases)
    if progress is not None:
        facts = progress(facts)
    rows = list(_rows(recount(facts)))
    DailyRollup.objects.bulk_create(rows, batch_size=5000)
    HourlyRollup.objects.bulk_create(list(_hourly_rows(cases)), batch_size=5000)
    return len(rows)


def stored_rollups(queryset=None) -> Contribution:
    """The daily rollups as the database holds them, in the shape `recount` returns."""
    rows = (queryset if queryset is not None else DailyRollup.objects.all()).values(
        *_KEY_COLUMNS, *COUNTERS)
    stored: Contribution = {}
    for row in rows:
        counts = Counter({name: row[name] for name in COUNTERS if row[name]})
        if counts:
            stored[RollupKey(*(row[c] for c in _KEY_COLUMNS))] = counts
    return stored
