import hmac
from datetime import date

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from servicehall.accounts.choices import DEPARTMENT_ROLES
from servicehall.accounts.scoping import visible_rows
from servicehall.core.errors import NotFound
from servicehall.core.fields import LOOKUP_TAIL_LENGTH, tail_index

from .choices import OPEN_STATUSES, CaseStatus, TaskStatus
from .models import Case, JointTask


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


def case_for_staff(*, user, number: str) -> Case:
    case = (Case.objects.filter(_case_rows(user), number=number)
            .select_related("item_version", "department", "center", "item").first())
    if case is None:
        raise NotFound()
    return case


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


# what the progress page and the terminal show, and nothing else (one indexed row by number)
LOOKUP_FIELDS = ("number", "status", "received_on", "promised_due", "completed_on", "decision",
                 "id_tail_index", "center__code", "center__name", "center__address",
                 "center__phone", "center__opening_hours", "item_version__name",
                 "department__name", "department__short_name")


def case_for_lookup(*, number: str, id_tail: str, center=None) -> Case | None:
    """The case with `number` whose applicant's ID number (or credit code) ends in `id_tail`
    (6 characters, letters in any case); None when either does not match, so a visitor cannot
    tell a wrong number from a wrong ID. One query on the unique number; the tail is compared
    as a keyed hash (`Case.id_tail_index`), never by decrypting the ID. `center` narrows the
    search to one hall (the self-service terminal)."""
    tail, number = id_tail.strip().upper(), number.strip()
    if len(tail) != LOOKUP_TAIL_LENGTH or not number:
        return None
    rows = Case.objects.filter(number=number)
    if center is not None:
        rows = rows.filter(center=center)
    try:
        case = (rows.select_related("center", "item_version", "department")
                .only(*LOOKUP_FIELDS).get())
    except Case.DoesNotExist:
        return None
    expected = case.id_tail_index
    return case if expected and hmac.compare_digest(expected, tail_index(tail)) else None


def lookup_steps(case: Case):
    return case.steps.order_by("position").only("name", "status", "case_id")


def public_timeline(case: Case):
    """The events an applicant may see: what happened and when, without staff names or
    internal notes."""
    from .choices import EventKind

    internal = {EventKind.COMMENTED, EventKind.STEP_ASSIGNED, EventKind.STEP_TAKEN,
                EventKind.STEP_HANDED_OVER, EventKind.STEP_TAKEN_BACK}
    return case.events.exclude(kind__in=internal).order_by("at", "pk").only("kind", "at", "case_id")
