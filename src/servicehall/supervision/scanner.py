"""The scanner: every open case's light, kept in `CaseWatch`, set-based and idempotent.

Two passes, both writing only the rows whose values change:

1. *sync* reads the open cases in primary-key chunks, turns their deadlines into boundaries
   (the first day of each colour, `lights.boundaries`, memoised: many cases share the same
   dates) and inserts, updates or deletes watch rows whose values differ. A full sync runs on
   the first scan and whenever a center's calendar or the rules change; otherwise only the
   cases created since the last scan are read. Transitions update their case at once through
   `watch_case` (see `receivers.py`).
2. *relight* is one UPDATE over the watch table: the colour of today read from the stored
   boundaries, written where it differs from the stored one. Nothing changed, nothing written.

On PostgreSQL new and changed rows travel by COPY; elsewhere by bulk statements.
"""

import hashlib
import time
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.db.models import Count, Max, Q, Value
from django.db.models import When as W
from django.db.models.expressions import Case as CaseWhen

from servicehall.cases.choices import OPEN_STATUSES, PAUSED_STATUSES
from servicehall.cases.models import Case
from servicehall.core import businessday
from servicehall.core.calendar import calendar_for
from servicehall.core.models import Center
from servicehall.core.workcalendar import WorkCalendar

from .lights import DEFAULTS, Boundaries, CaseFacts, Light, Reason, Thresholds, boundaries, light_on
from .models import CaseWatch, ScanState, SupervisionRule

CHUNK = 20_000
OPEN = sorted(OPEN_STATUSES)
CASE_FIELDS = ("pk", "center_id", "department_id", "item_id", "status", "clock_start",
               "promised_due", "legal_due", "current_step_due", "is_urgent")
# The columns a sync computes; `since` and `warned_on` follow from them.
COMPUTED = ("center_id", "department_id", "paused", "warn_from", "step_late_from", "red_from",
            "legal_from", "is_urgent", "light", "reason")
ALL_COLUMNS = ("case_id", *COMPUTED, "since", "warned_on")


@dataclass
class ScanReport:
    full: bool = False
    read: int = 0
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    relit: int = 0
    seconds: float = 0.0
    lights: dict = field(default_factory=dict)

    @property
    def written(self) -> int:
        return self.inserted + self.updated + self.deleted + self.relit


def thresholds_of(rules: list[SupervisionRule]) -> dict[tuple[int, int | None], Thresholds]:
    return {(r.center_id, r.item_id): Thresholds(
        warn_working_days=r.warn_working_days, warn_percent=r.warn_percent,
        untouched_working_days=r.untouched_working_days,
        card_finish_working_days=r.card_finish_working_days) for r in rules}


class Classifier:
    """Computes watch values of case rows, with each center's calendar and rules loaded once."""

    def __init__(self, today: date):
        self.today = today
        self.thresholds = thresholds_of(list(SupervisionRule.objects.all()))
        self._calendars: dict[int, WorkCalendar | None] = {}
        self._memo: dict[tuple, tuple] = {}

    def calendar(self, center_id: int) -> WorkCalendar | None:
        if center_id not in self._calendars:
            try:
                self._calendars[center_id] = calendar_for(Center.objects.get(pk=center_id))
            except ValueError:  # no calendar day at all
                self._calendars[center_id] = None
        return self._calendars[center_id]

    def prime(self, center: Center) -> None:
        """Use an already loaded center (saves a query on the transition path)."""
        if center.pk not in self._calendars:
            try:
                self._calendars[center.pk] = calendar_for(center)
            except ValueError:
                self._calendars[center.pk] = None

    def rule(self, center_id: int, item_id: int) -> Thresholds:
        return (self.thresholds.get((center_id, item_id))
                or self.thresholds.get((center_id, None)) or DEFAULTS)

    def values(self, row: tuple) -> tuple:
        """COMPUTED values for one row of CASE_FIELDS."""
        (_pk, center_id, department_id, item_id, status, start, due, legal, step_due,
         urgent) = row
        paused = status in PAUSED_STATUSES
        key = (center_id, item_id, paused, start, due, legal, step_due)
        cached = self._memo.get(key)
        if cached is None:
            cal = self.calendar(center_id)
            facts = CaseFacts(paused=paused, clock_start=start, promised_due=due,
                              legal_due=legal, step_due=step_due)
            b = (boundaries(facts, cal, self.rule(center_id, item_id)) if cal
                 else Boundaries(paused=paused))
            light, reason = light_on(b, self.today)
            cached = (b.paused, b.warn_from, b.step_late_from, b.red_from, b.legal_from,
                      light.value, reason.value)
            self._memo[key] = cached
        paused_, warn, step_late, red, legal_from, light, reason = cached
        return (center_id, department_id, paused_, warn, step_late, red, legal_from, urgent,
                light, reason)


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _copy_rows(table: str, rows: list[tuple]) -> None:
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(ALL_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _insert(rows: list[tuple]) -> None:
    if not rows:
        return
    if _is_postgres():
        _copy_rows(CaseWatch._meta.db_table, rows)
        return
    CaseWatch.objects.bulk_create([CaseWatch(**dict(zip(ALL_COLUMNS, row, strict=True)))
                                   for row in rows], batch_size=2000)


def _update(rows: list[tuple]) -> None:
    if not rows:
        return
    if _is_postgres():
        table = CaseWatch._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE sup_changes (LIKE {table}) ON COMMIT DROP")
            _copy_rows("sup_changes", rows)
            sets = ", ".join(f"{c} = c.{c}" for c in ALL_COLUMNS[1:])
            cursor.execute(f"UPDATE {table} w SET {sets} FROM sup_changes c "
                           f"WHERE w.case_id = c.case_id")
            cursor.execute("DROP TABLE sup_changes")
        return
    CaseWatch.objects.bulk_update([CaseWatch(**dict(zip(ALL_COLUMNS, row, strict=True)))
                                   for row in rows], ALL_COLUMNS[1:], batch_size=500)


def _merge(row: tuple, computed: tuple, old: tuple | None, today: date) -> tuple | None:
    """The full watch row to write, or None when the stored one is already right."""
    if old is not None and old[:len(COMPUTED)] == computed:
        return None
    light_changed = old is None or old[COMPUTED.index("light")] != computed[-2] \
        or old[COMPUTED.index("reason")] != computed[-1]
    since = today if light_changed else old[len(COMPUTED)]
    warned_on = None if old is None or computed[-2] == Light.GREEN else old[-1]
    return (row[0], *computed, since, warned_on)


def _sync_chunk(rows: list[tuple], lo: int, hi: int, classifier: Classifier, report: ScanReport,
                *, deletes: bool) -> None:
    existing = {r[0]: r[1:] for r in CaseWatch.objects.filter(pk__gt=lo, pk__lte=hi)
                .values_list("case_id", *COMPUTED, "since", "warned_on")}
    new, changed = [], []
    for row in rows:
        old = existing.pop(row[0], None)
        merged = _merge(row, classifier.values(row), old, classifier.today)
        if merged is not None:
            (changed if old is not None else new).append(merged)
    with transaction.atomic():
        _insert(new)
        _update(changed)
        if deletes and existing:  # watched cases in this range that are no longer open
            CaseWatch.objects.filter(pk__in=list(existing)).delete()
            report.deleted += len(existing)
    report.read += len(rows)
    report.inserted += len(new)
    report.updated += len(changed)


def sync(*, classifier: Classifier, report: ScanReport, after: int = 0) -> int:
    """Bring the watch rows of the open cases with pk > `after` up to date; returns the
    highest case pk read. With `after=0` it also removes the rows of closed cases."""
    last, top = after, after
    full = after == 0
    while True:
        rows = list(Case.objects.filter(status__in=OPEN, pk__gt=last).order_by("pk")
                    .values_list(*CASE_FIELDS)[:CHUNK])
        hi = rows[-1][0] if len(rows) == CHUNK else None
        if hi is None and full:
            hi = max(last, CaseWatch.objects.aggregate(m=Max("pk"))["m"] or 0,
                     rows[-1][0] if rows else 0)
        elif hi is None:
            hi = rows[-1][0] if rows else last
        _sync_chunk(rows, last, hi, classifier, report, deletes=full)
        top = max(top, hi)
        if len(rows) < CHUNK:
            return top
        last = hi


def light_expression(today: date):
    """Today's light, read from the stored boundaries (mirrors rules.light_on)."""
    return CaseWhen(
        W(paused=True, then=Value(Light.PAUSED.value)),
        W(red_from__isnull=True, then=Value(Light.UNKNOWN.value)),
        W(Q(legal_from__lte=today) | Q(red_from__lte=today), then=Value(Light.RED.value)),
        W(Q(warn_from__lte=today) | Q(step_late_from__lte=today),
          then=Value(Light.YELLOW.value)),
        default=Value(Light.GREEN.value))


def reason_expression(today: date):
    return CaseWhen(
        W(paused=True, then=Value(Reason.PAUSED.value)),
        W(red_from__isnull=True, then=Value(Reason.NO_DEADLINE.value)),
        W(legal_from__lte=today, then=Value(Reason.LEGAL_BREACH.value)),
        W(red_from__lte=today, then=Value(Reason.OVERDUE.value)),
        W(warn_from__lte=today, then=Value(Reason.DUE_SOON.value)),
        W(step_late_from__lte=today, then=Value(Reason.STEP_OVERDUE.value)),
        default=Value(Reason.NONE.value))


def relight(*, today: date) -> int:
    """Today's light on every watch row whose stored light or reason is out of date."""
    light, reason = light_expression(today), reason_expression(today)
    stale = CaseWatch.objects.filter(~Q(light=light) | ~Q(reason=reason))
    relit = stale.update(light=light, reason=reason, since=today)
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
    state, _ = ScanState.objects.get_or_create(pk=1)
    key = sync_key()
    report = ScanReport(full=full or key != state.sync_key or state.last_full_scan_at is None)
    classifier = Classifier(today)
    top = sync(classifier=classifier, report=report,
               after=0 if report.full else state.last_case_id)
    report.relit = relight(today=today)
    now = businessday.now()
    ScanState.objects.filter(pk=1).update(
        last_case_id=max(top, state.last_case_id if not report.full else 0),
        sync_key=key, last_scan_at=now,
        **({"last_full_scan_at": now} if report.full else {}))
    report.seconds = time.perf_counter() - started
    return report


def watch_case(*, case: Case, today: date) -> None:
    """Bring one case's light up to date at once (called on every transition)."""
    if case.status not in OPEN_STATUSES:
        CaseWatch.objects.filter(pk=case.pk).delete()
        return
    row = tuple(getattr(case, "pk" if f == "pk" else f) for f in CASE_FIELDS)
    old = (CaseWatch.objects.filter(pk=case.pk)
           .values_list(*COMPUTED, "since", "warned_on").first())
    classifier = Classifier(today)
    classifier.prime(case.center)
    merged = _merge(row, classifier.values(row), old, today)
    if merged is None:
        return
    values = dict(zip(ALL_COLUMNS[1:], merged[1:], strict=True))
    CaseWatch.objects.update_or_create(case_id=case.pk, defaults=values)


def light_counts() -> dict[str, int]:
    rows = CaseWatch.objects.values("light").annotate(n=Count("pk")).order_by()
    return {r["light"]: r["n"] for r in rows}


