import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache, partial
from types import SimpleNamespace

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicehall.accounts.choices import DEPARTMENT_ROLES
from servicehall.accounts.scoping import visible_rows
from servicehall.core.compiled import Compiled
from servicehall.core.errors import NotFound
from servicehall.core.fields import LOOKUP_TAIL_LENGTH, tail_index
from servicehall.core.statements import fetch

from .choices import OPEN_STATUSES, CaseStatus, Decision, EventKind, TaskStatus
from .models import Case, JointTask

EVENT_KINDS = frozenset(EventKind.values)  # `.values` builds a new list on every call
# timeline entries an applicant does not see (staff names, internal handovers and notes)
INTERNAL_EVENTS = frozenset({EventKind.COMMENTED, EventKind.STEP_ASSIGNED, EventKind.STEP_TAKEN,
                             EventKind.STEP_HANDED_OVER, EventKind.STEP_TAKEN_BACK})


class Queue(models.TextChoices):
    MINE = "mine", _("My desk")
    DEPARTMENT = "department", _("Department pool")


URGENCY_ORDER = (F("is_urgent").desc(), F("current_step_due").asc(nulls_last=True),
                 F("promised_due").asc(nulls_last=True), "number")


def _case_rows(user) -> Q:
    """The user's own scope, plus the joint cases their department works on."""
    scope = visible_rows(user)
    if user.is_authenticated and user.role in DEPARTMENT_ROLES and user.department_id:
        scope |= Q(Exists(JointTask.objects.filter(
            case=OuterRef("pk"), department_id=user.department_id)), center_id=user.center_id)
    return scope


def cases_for_staff(*, user, query: str = "", status: str = "", item: str = "",
                    received_from: date | None = None, received_to: date | None = None,
                    queue: str = "") -> QuerySet[Case]:
    """Cases the user may see, urgent first, then by the due date of the step in hand and the
    promised deadline. `query` matches the number or the applicant, `item` the item's code or
    name."""
    cases = Case.objects.filter(_case_rows(user))
    if status:
        cases = cases.filter(status=status)
    if query:
        cases = cases.filter(Q(number__icontains=query) | Q(applicant_name__icontains=query))
    if item:
        cases = cases.filter(Q(item__code__icontains=item)
                             | Q(item_version__name__icontains=item))
    if received_from:
        cases = cases.filter(received_on__gte=received_from)
    if received_to:
        cases = cases.filter(received_on__lte=received_to)
    if queue:
        cases = cases.filter(_queue_filter(user, queue))
    return cases.select_related("item_version", "department").order_by(*URGENCY_ORDER)


def _queue_filter(user, queue: str) -> Q:
    """My desk: open cases whose step in hand I hold, and my department's open joint tasks.
    The department pool: open steps nobody holds yet."""
    if queue == Queue.MINE:
        mine = Q(current_assignee_id=user.pk, status__in=OPEN_STATUSES)
        if user.department_id:
            mine |= Q(Exists(JointTask.objects.filter(
                case=OuterRef("pk"), department_id=user.department_id, status=TaskStatus.OPEN)),
                status__in=OPEN_STATUSES)
        return mine
    return Q(status=CaseStatus.IN_PROGRESS, current_step__isnull=False,
             current_assignee__isnull=True, department_id=user.department_id)


def work_queue(*, user) -> QuerySet[Case]:
    return cases_for_staff(user=user).filter(status__in=OPEN_STATUSES)


_BY_KEY = Compiled(lambda center_id, key: Case.objects.filter(
    center_id=center_id, idempotency_key=key).order_by()[:1], center_id=int, key=str)


def case_for_key(*, center_id: int, key: str) -> Case | None:
    """The case an intake with this Idempotency-Key made, if any (every intake asks, on the
    unique index, and nearly every one finds none)."""
    return _BY_KEY.first(center_id=center_id, key=key)


def _one_case(shapes: dict[tuple, Compiled[Case]], user, number: str,
              tail: Callable[[QuerySet[Case]], QuerySet[Case]]) -> Case:
    """The case with this number that the user may see (`tail` says what to load of it), by a
    statement written once per kind of user: the scope filter's shape depends on whether
    they are a superuser, their role and whether they have a department, and its values on
    their center and department. Numbers are unique, so no order is needed."""
    if not (user.is_authenticated and user.is_active):
        raise NotFound()
    kind = (user.is_superuser, user.role, bool(user.department_id))
    shape = shapes.get(kind)
    if shape is None:
        def build(number, center_id, department_id):
            alike = SimpleNamespace(is_authenticated=True, is_active=True, is_superuser=kind[0],
                                    role=kind[1], center_id=center_id,
                                    department_id=department_id if kind[2] else None)
            return tail(Case.objects.filter(_case_rows(alike), number=number).order_by())[:1]
        shape = shapes[kind] = Compiled(build, number=str, center_id=int, department_id=int,
                                        optional=("center_id", "department_id"))
    case = shape.first(number=number, center_id=user.center_id,
                       department_id=user.department_id)
    if case is None:
        raise NotFound()
    return case


_FOR_STAFF: dict[tuple, Compiled[Case]] = {}
_TO_CHANGE: dict[tuple, Compiled[Case]] = {}


def case_for_staff(*, user, number: str) -> Case:
    return _one_case(_FOR_STAFF, user, number, lambda cases: cases.select_related(
        "item_version", "department", "center", "item"))


def case_to_change(*, user, number: str) -> Case:
    """The case the user may see, loaded only as far as a transition reads it before locking its
    row (which loads it whole): its key, number, revision and the step in hand the caller
    saw. The case, its item, version, department and center with every column would cost the
    ORM more CPU to write than the transition spends on its own statements."""
    return _one_case(_TO_CHANGE, user, number, lambda cases: cases.only(
        "pk", "number", "current_step_id", "revision"))


def case_clock(*, case: Case, today):
    """The clock as of `today` for the case page, or None where the calendar does not reach."""
    from .services.common import case_clock_state

    return case_clock_state(case=case, today=today)


def intake_items(*, user, query: str):
    """Published items a window can take in, searched by name or code."""
    from servicehall.catalog.selectors import published_items

    if user.center is None:
        return []
    return published_items(center=user.center, query=query)[:20] if query else []


PUBLIC_CENTER_COLUMNS = ("code", "name", "address", "phone", "opening_hours")


@dataclass(frozen=True)
class PublicCenter:
    code: str
    name: str
    address: str
    phone: str
    opening_hours: str


@dataclass(frozen=True)
class PublicProgress:
    """What the anonymous lookup shows of a case, and nothing else: no applicant, no staff."""

    pk: int
    number: str
    status: str
    received_on: date
    promised_due: date | None
    completed_on: date | None
    decision: str
    item_name: str
    department_name: str
    center: PublicCenter
    steps: tuple[dict, ...] = ()  # name and status, in order
    events: tuple["PublicEvent", ...] = ()  # the public timeline, oldest first

    def get_status_display(self) -> str:
        return str(CaseStatus(self.status).label)

    def get_decision_display(self) -> str:
        return str(Decision(self.decision).label) if self.decision else ""


@dataclass(frozen=True)
class PublicEvent:
    kind: str
    at: datetime

    def get_kind_display(self) -> str:
        return str(EventKind(self.kind).label) if self.kind in EVENT_KINDS else self.kind


def _column(model, name):
    """`table.column` of a model field, quoted for the current database."""
    from django.db import connection

    q = connection.ops.quote_name
    return f"{q(model._meta.db_table)}.{q(model._meta.get_field(name).column)}"


# JSON aggregate and row constructor of each database, for the lists of a case
JSON_ROWS = {"postgresql": ("json_agg", "json_build_array"),
             "sqlite": ("json_group_array", "json_array")}


def _rows_of_case(vendor: str, model, columns, joins: str = "", where: str = "") -> str:
    """A subquery: the `columns` of the outer case's rows of `model` as one JSON array (NULL
    for none), each row an array; a column already written as `table.column` is kept."""
    from django.db import connection

    aggregate, row = JSON_ROWS[vendor]
    values = ", ".join(c if "." in c else _column(model, c) for c in columns)
    return (f"(SELECT {aggregate}({row}({values})) "
            f"FROM {connection.ops.quote_name(model._meta.db_table)} {joins} "
            f"WHERE {_column(model, 'case')} = {_column(Case, 'id')} {where})")


@lru_cache(maxsize=4)
def _lookup_sql(vendor: str) -> str:
    """The one statement of a lookup, written once from the models' table and column names:
    the case with its hall, item and department, and its steps and public timeline as two JSON
    arrays (in no particular order; `case_for_lookup` sorts them). Plain SQL because the ORM
    spent more CPU compiling the queries than the database spent answering them, and one round
    trip instead of three (bench/bench_progress.py)."""
    from django.db import connection

    from servicehall.catalog.models import Department, ItemVersion
    from servicehall.core.models import Center

    from .models import CaseEvent, CaseStep

    q, col = connection.ops.quote_name, _column

    case_cols = ["id", "number", "status", "received_on", "promised_due", "completed_on",
                 "decision", "id_tail_index", "center_id"]
    center_cols = PUBLIC_CENTER_COLUMNS
    t = {m: q(m._meta.db_table) for m in (Case, Center, ItemVersion, Department)}
    steps = _rows_of_case(vendor, CaseStep, ["position", "name", "status"])
    hidden = ", ".join(f"'{kind}'" for kind in sorted(INTERNAL_EVENTS))
    events = _rows_of_case(vendor, CaseEvent, ["at", "id", "kind"],
                           where=f"AND {col(CaseEvent, 'kind')} NOT IN ({hidden})")
    return (f"SELECT {', '.join(col(Case, c) for c in case_cols)}, "
            f"{col(ItemVersion, 'name')}, {col(Department, 'name')}, "
            f"{', '.join(col(Center, c) for c in center_cols)}, {steps}, {events} "
            f"FROM {t[Case]} "
            f"INNER JOIN {t[Center]} ON {col(Case, 'center')} = {col(Center, 'id')} "
            f"INNER JOIN {t[ItemVersion]} "
            f"ON {col(Case, 'item_version')} = {col(ItemVersion, 'id')} "
            f"INNER JOIN {t[Department]} ON {col(Case, 'department')} = {col(Department, 'id')} "
            f"WHERE {col(Case, 'number')} = %s")


def case_for_lookup(*, number: str, id_tail: str, center=None) -> PublicProgress | None:
    """The case with `number` whose applicant's ID number (or credit code) ends in `id_tail`
    (6 characters, letters in any case); None when either does not match, so a visitor cannot
    tell a wrong number from a wrong ID. One query on the unique number, loading only what the
    page shows; the tail is compared as a keyed hash (`Case.id_tail_index`), never by
    decrypting the ID. `center` narrows the search to one hall (the self-service terminal)."""
    from django.db import connection

    tail, number = id_tail.strip().upper(), number.strip()
    if len(tail) != LOOKUP_TAIL_LENGTH or not number or len(number) > 40:
        return None
    rows = fetch(_lookup_sql(connection.vendor), [number])
    if not rows:
        return None
    (pk, number, status, received_on, promised_due, completed_on, decision, expected,
     center_id, item_name, department_name, *center_row, steps, events) = rows[0]
    if center is not None and center_id != center.pk:
        return None
    if not expected or not hmac.compare_digest(expected, tail_index(tail)):
        return None
    return PublicProgress(pk, number, status, _day(received_on), _day(promised_due),
                          _day(completed_on), decision, item_name, department_name,
                          PublicCenter(*center_row), _steps(steps), _events(events))


@lru_cache(maxsize=4)
def _hall_sql(vendor: str, configured: bool) -> str:
    """The hall a lookup page names when it shows no case, chosen as
    `catalog.selectors.default_center` chooses it: the configured code, else the first
    top-level hall by code; only the columns the page shows."""
    from django.db import connection

    from servicehall.core.models import Center

    q = connection.ops.quote_name

    def col(name):
        return _column(Center, name)

    where = f"{col('code')} = %s" if configured else f"{col('parent')} IS NULL"
    return (f"SELECT {', '.join(col(c) for c in PUBLIC_CENTER_COLUMNS)} "
            f"FROM {q(Center._meta.db_table)} WHERE {col('is_active')} = %s AND {where} "
            f"ORDER BY {col('code')} LIMIT 1")


def hall_for_lookup() -> PublicCenter | None:
    """The default hall for a lookup page without a case (a miss, a refusal, the empty form):
    one plain statement, prepared on PostgreSQL like the lookup's, read on every request so
    the header never names a stale hall."""
    from django.conf import settings
    from django.db import connection

    code = settings.SERVICEHALL_DEFAULT_CENTER
    rows = fetch(_hall_sql(connection.vendor, bool(code)), [True, code] if code else [True])
    return PublicCenter(*rows[0]) if rows else None


def _day(value):
    """SQLite hands dates back as text through a plain cursor."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _moment(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)


def _json_rows(value) -> list:
    """A JSON array column: psycopg parses it, SQLite hands back text; no rows is NULL."""
    if value is None:
        return []
    return json.loads(value) if isinstance(value, str) else value


def _steps(value) -> tuple[dict, ...]:
    return tuple({"name": name, "status": status}
                 for _position, name, status in sorted(_json_rows(value)))


def _events(value) -> tuple["PublicEvent", ...]:
    rows = sorted((_moment(at), pk, kind) for at, pk, kind in _json_rows(value))
    return tuple(PublicEvent(kind, at) for at, _pk, kind in rows)


def public_timeline(case: Case):
    """The events an applicant may see: what happened and when, without staff names or
    internal notes."""
    return (case.events.exclude(kind__in=INTERNAL_EVENTS).order_by("at", "pk")
            .only("kind", "at", "case_id"))


@dataclass(frozen=True)
class CaseRecord:
    """What the case API shows beside the case's own columns, read in one statement."""

    missing_materials: tuple[str, ...]
    steps: tuple[dict, ...]
    joint_tasks: tuple[dict, ...]
    extensions: tuple[dict, ...]
    events: tuple[dict, ...]


@lru_cache(maxsize=4)
def _record_sql(vendor: str) -> str:
    """The case's missing materials, steps, co-department tasks, extensions and timeline as
    five JSON arrays of one row, each element led by its sort key (`case_record` sorts). Plain
    SQL for the reason of `_lookup_sql`: five ORM queries after every transition cost the
    server more CPU than the rest of an intake (bench/bench_cases.py)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from servicehall.catalog.models import Department, Material

    from .models import CaseEvent, CaseExtension, CaseMaterial, CaseStep

    q, col, user = connection.ops.quote_name, _column, get_user_model()
    array = partial(_rows_of_case, vendor)

    person = [col(user, "full_name"), col(user, "username")]  # str(user), or "" for nobody

    def left_join_user(model, field: str) -> str:
        return f"LEFT JOIN {q(user._meta.db_table)} ON {col(model, field)} = {col(user, 'id')}"

    missing = array(CaseMaterial, [col(Material, "position"), col(Material, "name")],
                    f"INNER JOIN {q(Material._meta.db_table)} "
                    f"ON {col(CaseMaterial, 'material')} = {col(Material, 'id')}",
                    f"AND {col(CaseMaterial, 'received')} = FALSE "
                    f"AND {col(Material, 'is_required')} = TRUE")
    steps = array(CaseStep, ["position", "name", "status", *person, "due_on", "opinion"],
                  left_join_user(CaseStep, "assignee"))
    joint = array(JointTask, [col(Department, "sort_order"), col(Department, "code"),
                              col(Department, "short_name"), "status", "due_on", "opinion"],
                  f"INNER JOIN {q(Department._meta.db_table)} "
                  f"ON {col(JointTask, 'department')} = {col(Department, 'id')}")
    extensions = array(CaseExtension, ["requested_at", "id", "working_days", "reason", "status"])
    events = array(CaseEvent, ["at", "id", "kind", *person, "note"],
                   left_join_user(CaseEvent, "by"))
    return (f"SELECT {missing}, {steps}, {joint}, {extensions}, {events} "
            f"FROM {q(Case._meta.db_table)} WHERE {col(Case, 'id')} = %s")


def _name(full_name, username) -> str:
    """`str(user)`, or empty for nobody."""
    return full_name or username or ""


def case_record(case: Case) -> CaseRecord:
    """The case's collections as the API shows them, in their models' order."""
    from django.db import connection

    rows = fetch(_record_sql(connection.vendor), [case.pk])
    missing, steps, joint, extensions, events = (_json_rows(v) for v in rows[0])
    return CaseRecord(
        missing_materials=tuple(name for _position, name in sorted(missing)),
        steps=tuple({"position": position, "name": name, "status": status,
                     "assignee": _name(full_name, username), "due_on": _day(due_on),
                     "opinion": opinion}
                    for position, name, status, full_name, username, due_on, opinion
                    in sorted(steps, key=lambda s: s[0])),
        joint_tasks=tuple({"department": short_name, "status": status, "due_on": _day(due_on),
                           "opinion": opinion}
                          for _order, _code, short_name, status, due_on, opinion
                          in sorted(joint, key=lambda t: (t[0], t[1]))),
        extensions=tuple({"working_days": days, "reason": reason, "status": status}
                         for _at, _pk, days, reason, status
                         in sorted(extensions, key=lambda x: (_moment(x[0]), x[1]))),
        events=tuple({"kind": kind, "at": at, "by": _name(full_name, username), "note": note}
                     for at, _pk, kind, full_name, username, note
                     in sorted(((_moment(e[0]), *e[1:]) for e in events),
                               key=lambda e: (e[0], e[1]))),
    )
