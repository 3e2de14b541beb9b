"""The scanner: every open case's light, kept in `CaseWatch`, set-based and idempotent.

Two passes, both writing only the rows whose values change:

1. *sync* turns the open cases' deadlines into boundaries (the first day of each colour, see
   `lights.py`). The only part that needs the working calendar, the first warning day, depends
   on (center, item, clock start, promised deadline) alone: it is computed in Python once per
   distinct combination (a few thousand for a million cases) into a small table. Everything
   else is SQL: one statement builds the new rows in a staging table by joining the cases to
   that table, three more insert, update or delete the watch rows whose values differ. A full
   sync runs on the first scan and whenever a calendar or a rule changes; otherwise only the
   cases created since the last scan are read. Transitions update their case at once through
   `watch_case` (see `receivers.py`), in Python with the same rules.
2. *relight*, when the date has changed since the last scan, is one UPDATE over the watch
   table: today's colour read from the stored boundaries, written where it differs from the
   stored one. On the same day nothing can have changed but what the sync and the
   transitions wrote, with today's light already.
"""

import hashlib
import time
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Count, Max, Q

from servicehall.cases.choices import OPEN_STATUSES, PAUSED_STATUSES, CaseStatus
from servicehall.cases.models import Case
from servicehall.core import businessday
from servicehall.core.calendar import calendar_for
from servicehall.core.compiled import Compiled
from servicehall.core.models import Center
from servicehall.core.saves import update_by_key
from servicehall.core.workcalendar import CalendarNotConfigured, WorkCalendar

from .lights import (
    DEFAULTS,
    CaseFacts,
    Light,
    Reason,
    Thresholds,
    assemble,
    light_on,
    warn_from,
)
from .models import CaseWatch, ScanState, SupervisionRule

OPEN = sorted(OPEN_STATUSES)
# Open cases whose clock does not run: paused, or still waiting for materials (the clock
# starts when they are complete).
CLOCK_STOPPED = sorted(PAUSED_STATUSES | {CaseStatus.AWAITING_MATERIALS})
# A return the department is reviewing runs on its own clock instead (seed 001: decided
# within 3 working days): yellow on the day it is due, red after it.
REVIEW = CaseStatus.RETURN_REVIEW.value
CASE_FIELDS = ("pk", "center_id", "department_id", "item_id", "status", "clock_start",
               "promised_due", "legal_due", "current_step_due", "is_urgent",
               "return_review_due")
# The columns a sync computes; `since` and `warned_on` follow from them.
COMPUTED = ("center_id", "department_id", "paused", "warn_from", "step_late_from", "red_from",
            "legal_from", "is_urgent", "light", "reason")


@dataclass
class ScanReport:
    full: bool = False
    read: int = 0
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    relit: int = 0
    seconds: float = 0.0
    top: int = 0

    @property
    def written(self) -> int:
        return self.inserted + self.updated + self.deleted + self.relit


def thresholds_of(rules: list[SupervisionRule]) -> dict[tuple[int, int | None], Thresholds]:
    return {(r.center_id, r.item_id): Thresholds(
        warn_working_days=r.warn_working_days, warn_percent=r.warn_percent,
        untouched_working_days=r.untouched_working_days,
        card_finish_working_days=r.card_finish_working_days) for r in rules}


class Classifier:
    """Computes watch values of case rows, with each center's calendar and rules loaded once
    and the calendar part (the first warning day) memoised: many cases share their dates."""

    def __init__(self, today: date, rules=None):
        """`rules`: the rules that can apply, when fewer than all of them (one case's)."""
        self.today = today
        self.thresholds = thresholds_of(list(
            SupervisionRule.objects.all() if rules is None else rules))
        self._calendars: dict[int, WorkCalendar | None] = {}
        self._warn: dict[tuple, date | None] = {}

    def calendar(self, center_id: int) -> WorkCalendar | None:
        if center_id not in self._calendars:
            self.prime(Center.objects.get(pk=center_id))
        return self._calendars[center_id]

    def prime(self, center: Center) -> None:
        """Use an already loaded center (saves a query on the transition path)."""
        if center.pk not in self._calendars:
            try:
                self._calendars[center.pk] = calendar_for(center)
            except ValueError:  # no calendar day at all
                self._calendars[center.pk] = None

    def rule(self, center_id: int, item_id: int | None) -> Thresholds:
        return (self.thresholds.get((center_id, item_id))
                or self.thresholds.get((center_id, None)) or DEFAULTS)

    def warn_from(self, center_id: int, item_id: int, start: date | None, due: date
                  ) -> date | None:
        key = (center_id, item_id, start, due)
        if key not in self._warn:
            cal = self.calendar(center_id)
            try:
                self._warn[key] = cal and warn_from(cal, clock_start=start, due=due,
                                                    thresholds=self.rule(center_id, item_id))
            except CalendarNotConfigured:
                self._warn[key] = None
        return self._warn[key]

    def values(self, row: tuple) -> tuple:
        """The case id and the COMPUTED values for one row of CASE_FIELDS."""
        (pk, center_id, department_id, item_id, status, start, due, legal, step_due,
         urgent, review_due) = row
        if status == REVIEW:
            facts = CaseFacts(paused=False, clock_start=start, promised_due=review_due,
                              legal_due=None, step_due=None)
            warn = review_due
        else:
            facts = CaseFacts(paused=status in CLOCK_STOPPED, clock_start=start,
                              promised_due=due, legal_due=legal, step_due=step_due)
            warn = (self.warn_from(center_id, item_id, start, due)
                    if due is not None and not facts.paused else None)
        b = assemble(facts, warn)
        light, reason = light_on(b, self.today)
        return (pk, center_id, department_id, b.paused, b.warn_from, b.step_late_from,
                b.red_from, b.legal_from, urgent, light.value, reason.value)


CHUNK = 50_000
STAGE = "supervision_stage"
STAGE_COLUMNS = ("case_id", *COMPUTED)
WATCH = CaseWatch._meta.db_table
STAGE, WARN = "supervision_stage", "supervision_warn"
NO_START = date(1, 1, 1)  # stands for "no clock start" in the warning table's join key


def _plus_one_day(column: str) -> str:
    if connection.vendor == "sqlite":
        return f"date({column}, '+1 day')"
    return f"({column} + 1)"


def _light_sql(b: str) -> tuple[str, str]:
    """Today's light and reason from the boundaries of row alias `b` (mirrors
    lights.light_on); `%(today)s` is today."""
    light = (f"CASE WHEN {b}.paused THEN '{Light.PAUSED}' "
             f"WHEN {b}.red_from IS NULL THEN '{Light.UNKNOWN}' "
             f"WHEN {b}.legal_from <= %(today)s OR {b}.red_from <= %(today)s THEN '{Light.RED}' "
             f"WHEN {b}.warn_from <= %(today)s OR {b}.step_late_from <= %(today)s "
             f"THEN '{Light.YELLOW}' ELSE '{Light.GREEN}' END")
    reason = (f"CASE WHEN {b}.paused THEN '{Reason.PAUSED}' "
              f"WHEN {b}.red_from IS NULL THEN '{Reason.NO_DEADLINE}' "
              f"WHEN {b}.legal_from <= %(today)s THEN '{Reason.LEGAL_BREACH}' "
              f"WHEN {b}.red_from <= %(today)s THEN '{Reason.OVERDUE}' "
              f"WHEN {b}.warn_from <= %(today)s THEN '{Reason.DUE_SOON}' "
              f"WHEN {b}.step_late_from <= %(today)s THEN '{Reason.STEP_OVERDUE}' "
              f"ELSE '{Reason.NONE}' END")
    return light, reason


def _open_cases_sql(after: int) -> tuple[str, dict]:
    statuses = ", ".join(f"'{s}'" for s in OPEN)
    return f"c.status IN ({statuses}) AND c.id > %(after)s", {"after": after}


def _fill_warn_table(cursor, classifier: Classifier, after: int) -> None:
    """The first warning day of every distinct (center, item, clock start, deadline)."""
    where, params = _open_cases_sql(after)
    paused = ", ".join(f"'{s}'" for s in CLOCK_STOPPED)
    cursor.execute(f"SELECT DISTINCT c.center_id, c.item_id, c.clock_start, c.promised_due "
                   f"FROM {Case._meta.db_table} c WHERE {where} "
                   f"AND c.status NOT IN ({paused}, '{REVIEW}') "
                   f"AND c.promised_due IS NOT NULL", params)
    rows = []
    for center_id, item_id, start, due in cursor.fetchall():
        if isinstance(due, str):  # SQLite hands raw DISTINCT dates back as text
            due = date.fromisoformat(due)
            start = date.fromisoformat(start) if start else None
        warn = classifier.warn_from(center_id, item_id, start, due)
        if warn is not None:
            rows.append((center_id, item_id, start or NO_START, due, warn))
    cursor.execute(f"DROP TABLE IF EXISTS {WARN}")
    cursor.execute(f"CREATE TEMPORARY TABLE {WARN} (center_id bigint, item_id bigint, "
                   "clock_start date, promised_due date, warn_from date)")
    cursor.executemany(f"INSERT INTO {WARN} VALUES (%s, %s, %s, %s, %s)", rows)
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {WARN}")


def _fence() -> str:
    """Keeps a subquery from being flattened into the outer query, which would evaluate its
    expressions again for every reference."""
    return " OFFSET 0" if connection.vendor == "postgresql" else " LIMIT -1 OFFSET 0"


def _fill_stage(cursor, *, today: date, after: int, into: str = "") -> None:
    """The new watch rows of the open cases with pk > `after`, built in one statement:
    the cases joined to their first warning day, then the boundaries, then today's light."""
    where, params = _open_cases_sql(after)
    paused = "c.status IN ({})".format(", ".join(f"'{s}'" for s in CLOCK_STOPPED))
    known = "NOT i.paused AND i.warn IS NOT NULL"
    review = f"CASE WHEN c.status = '{REVIEW}'"
    light, reason = _light_sql("b")
    if into:  # straight into an empty watch table
        head = (f"INSERT INTO {into} ({', '.join(STAGE_COLUMNS)}, since, warned_on) "
                f"SELECT b.*, {light}, {reason}, %(today)s, NULL ")
    else:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        head = (f"CREATE TEMPORARY TABLE {STAGE} AS "
                f"SELECT b.*, {light} AS light, {reason} AS reason ")
    cursor.execute(
        f"{head}"
        f"FROM (SELECT i.case_id, i.center_id, i.department_id, i.paused, "
        f"CASE WHEN {known} THEN i.warn END AS warn_from, "
        f"CASE WHEN {known} THEN {_plus_one_day('i.step_due')} END AS step_late_from, "
        f"CASE WHEN {known} THEN {_plus_one_day('i.due')} END AS red_from, "
        f"CASE WHEN {known} THEN {_plus_one_day('i.legal')} END AS legal_from, i.is_urgent "
        f"FROM (SELECT c.id AS case_id, c.center_id, c.department_id, {paused} AS paused, "
        f"{review} THEN c.return_review_due ELSE w.warn_from END AS warn, "
        f"{review} THEN NULL ELSE c.current_step_due END AS step_due, "
        f"{review} THEN c.return_review_due ELSE c.promised_due END AS due, "
        f"{review} THEN NULL ELSE c.legal_due END AS legal, "
        f"c.is_urgent FROM {Case._meta.db_table} c LEFT JOIN {WARN} w "
        f"ON w.center_id = c.center_id AND w.item_id = c.item_id "
        f"AND w.clock_start = COALESCE(c.clock_start, %(no_start)s) "
        f"AND w.promised_due = c.promised_due WHERE {where}{_fence()}) i{_fence()}) b",
        {**params, "today": today, "no_start": NO_START})


def _merge(cursor, *, today: date, full: bool, report: ScanReport) -> None:
    """Insert, update (only rows whose values differ) and, on a full sync, delete."""
    cursor.execute(f"SELECT 1 FROM {WATCH} LIMIT 1")
    first_fill = cursor.fetchone() is None
    if not first_fill:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {STAGE}")
        differs = " OR ".join(f"{WATCH}.{c} IS DISTINCT FROM s.{c}" for c in COMPUTED)
        sets = ", ".join(f"{c} = s.{c}" for c in COMPUTED)
        cursor.execute(
            f"UPDATE {WATCH} SET {sets}, "
            f"since = CASE WHEN {WATCH}.light <> s.light OR {WATCH}.reason <> s.reason "
            f"THEN %(today)s ELSE {WATCH}.since END, "
            f"warned_on = CASE WHEN s.light = %(green)s THEN NULL ELSE {WATCH}.warned_on END "
            f"FROM {STAGE} s WHERE {WATCH}.case_id = s.case_id AND ({differs})",
            {"today": today, "green": Light.GREEN.value})
        report.updated += max(0, cursor.rowcount)
    # The first scan fills an empty table: no anti-join, whose plan on a table the statistics
    # still believe empty would rescan the rows this very statement inserts.
    missing = ("" if first_fill else
               f"WHERE NOT EXISTS (SELECT 1 FROM {WATCH} w WHERE w.case_id = s.case_id)")
    cursor.execute(
        f"INSERT INTO {WATCH} ({', '.join(STAGE_COLUMNS)}, since, warned_on) "
        f"SELECT {', '.join('s.' + c for c in STAGE_COLUMNS)}, %(today)s, NULL "
        f"FROM {STAGE} s {missing}", {"today": today})
    report.inserted += max(0, cursor.rowcount)
    if full and not first_fill:
        cursor.execute(f"DELETE FROM {WATCH} WHERE NOT EXISTS "
                       f"(SELECT 1 FROM {STAGE} s WHERE s.case_id = {WATCH}.case_id)")
        report.deleted += max(0, cursor.rowcount)
    if report.inserted > 10_000 and connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {WATCH}")  # fresh statistics for the next plans
    cursor.execute(f"SELECT COUNT(*), MAX(case_id) FROM {STAGE}")
    report.read, top = cursor.fetchone()
    report.top = top or 0
    cursor.execute(f"DROP TABLE {STAGE}")
    cursor.execute(f"DROP TABLE {WARN}")


def _first_fill(cursor, *, today: date, report: ScanReport) -> None:
    """The very first scan writes every open case straight into the empty watch table."""
    _fill_stage(cursor, today=today, after=0, into=WATCH)
    report.inserted = report.read = max(0, cursor.rowcount)
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {WATCH}")
    cursor.execute(f"SELECT MAX(case_id) FROM {WATCH}")
    report.top = cursor.fetchone()[0] or 0
    cursor.execute(f"DROP TABLE {WARN}")


def sync(*, classifier: Classifier, report: ScanReport, after: int = 0) -> int:
    """Bring the watch rows of the open cases with pk > `after` up to date, writing only rows
    whose values change; with `after=0` also remove the rows of cases no longer open.
    Returns the highest case pk read."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One hash of the small warning table rather than sorting a million cases for a
            # merge join; room in memory for the hashes of a full sync.
            cursor.execute("SET LOCAL enable_mergejoin = off")
            cursor.execute("SET LOCAL work_mem = '256MB'")
        _fill_warn_table(cursor, classifier, after)
        cursor.execute(f"SELECT 1 FROM {WATCH} LIMIT 1")
        if cursor.fetchone() is None and after == 0:
            _first_fill(cursor, today=classifier.today, report=report)
        else:
            _fill_stage(cursor, today=classifier.today, after=after)
            _merge(cursor, today=classifier.today, full=after == 0, report=report)
    return max(after, report.top)


def relight(*, today: date) -> int:
    """Today's light on every watch row whose stored light or reason is out of date."""
    light, reason = _light_sql(WATCH)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {WATCH} SET light = {light}, reason = {reason}, "
                       f"since = %(today)s WHERE light <> {light} OR reason <> {reason}",
                       {"today": today})
        relit = max(0, cursor.rowcount)
    if relit:  # back to green: a later warning is a new one
        CaseWatch.objects.filter(light=Light.GREEN.value, warned_on__isnull=False).update(
            warned_on=None)
    return relit


def sync_key() -> str:
    """Changes whenever a calendar or a rule changes: then every boundary is recomputed."""
    calendars = list(Center.objects.order_by("pk").values_list("pk", "calendar_version"))
    rules = SupervisionRule.objects.aggregate(n=Count("pk"), at=Max("updated_at"))
    return hashlib.sha256(repr((calendars, rules)).encode()).hexdigest()


def scan(*, today: date | None = None, full: bool = False) -> ScanReport:
    """One scan of every open case. Idempotent: a second scan on the same day with nothing
    changed writes no row."""
    started = time.perf_counter()
    today = today or businessday.today()
    ScanState.objects.get_or_create(pk=1)
    with transaction.atomic():  # one scan at a time: the state row stays locked meanwhile
        state = ScanState.objects.select_for_update().get(pk=1)
        report = _scan_locked(state, today=today, full=full)
    report.seconds = time.perf_counter() - started
    return report


def _scan_locked(state: ScanState, *, today: date, full: bool) -> ScanReport:
    key = sync_key()
    report = ScanReport(full=full or key != state.sync_key or state.last_full_scan_at is None)
    classifier = Classifier(today)
    top = sync(classifier=classifier, report=report,
               after=0 if report.full else state.last_case_id)
    # Synced rows carry today's light already; the others change only with the date.
    if not report.full and state.lit_on != today:
        report.relit = relight(today=today)
    now = businessday.now()
    ScanState.objects.filter(pk=1).update(
        last_case_id=max(top, state.last_case_id if not report.full else 0),
        sync_key=key, last_scan_at=now, lit_on=today,
        **({"last_full_scan_at": now} if report.full else {}))
    return report


_RULES_OF_CASE = Compiled(lambda item_id, center_id: SupervisionRule.objects.filter(
    Q(item__isnull=True) | Q(item_id=item_id), center_id=center_id), item_id=int, center_id=int)
_WATCH = Compiled(lambda pk: CaseWatch.objects.filter(pk=pk).order_by().values(
    *COMPUTED, "since", "warned_on"), pk=int)


def watch_case(*, case: Case, today: date, fresh: bool = False) -> None:
    """Bring one case's light up to date at once (called on every transition); nothing is
    written when it is already right. A `fresh` case (just taken in) has no row yet."""
    if case.status not in OPEN_STATUSES:
        CaseWatch.objects.filter(pk=case.pk).delete()
        return
    classifier = Classifier(today, rules=_RULES_OF_CASE.all(item_id=case.item_id,
                                                           center_id=case.center_id))
    classifier.prime(case.center)
    computed = dict(zip(STAGE_COLUMNS, classifier.values(
        tuple(getattr(case, f) for f in CASE_FIELDS)), strict=True))
    del computed["case_id"]
    old = None if fresh else _WATCH.first(pk=case.pk)
    if old is None:  # a scan inserting the same row meanwhile wins; it is as fresh
        CaseWatch.objects.bulk_create([CaseWatch(case_id=case.pk, since=today, **computed)],
                                      ignore_conflicts=True)
        return
    if all(old[c] == computed[c] for c in COMPUTED):
        return
    if (old["light"], old["reason"]) != (computed["light"], computed["reason"]):
        computed["since"] = today
    if computed["light"] == Light.GREEN.value:
        computed["warned_on"] = None
    update_by_key(CaseWatch, case.pk, **computed)


def light_counts() -> dict[str, int]:
    rows = CaseWatch.objects.values("light").annotate(n=Count("pk")).order_by()
    return {r["light"]: r["n"] for r in rows}


