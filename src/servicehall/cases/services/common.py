"""What every case service shares: the row lock and state check, the timeline and audit
entry, and keeping the deadlines current."""

from dataclasses import replace
from datetime import date

from django.dispatch import Signal
from django.utils.translation import gettext as _

from servicehall.core import audit
from servicehall.core.calendar import calendar_for
from servicehall.core.compiled import Compiled
from servicehall.core.errors import Conflict, ValidationFailed
from servicehall.core.inserts import insert
from servicehall.core.workcalendar import CalendarNotConfigured, LimitUnit

from ..choices import CaseStatus
from ..clock import ClockInput, ClockState, Limit, Pause, PauseKind, clock_state
from ..models import Case, CaseEvent, CasePause

# Sent by every transition, inside its transaction (supervision relights the case at once).
case_saved = Signal()


class CaseStateError(Conflict):
    code = "invalid_state"


_LOCKED = Compiled(lambda pk: Case.objects.select_for_update(of=("self",)).select_related(
    "center", "item_version", "item", "department").filter(pk=pk), pk=int)
_PAUSES = Compiled(lambda case_id: CasePause.objects.filter(case_id=case_id).order_by("start"),
                   case_id=int)


def locked(case: Case, *, allowed, expected_revision: int | None = None) -> Case:
    """The case row, locked for this transaction, in one of the `allowed` states. Only the case
    row: locking the joined center too would queue every case of the center behind one row
    and deadlock with intakes whose foreign keys point at it."""
    case = _LOCKED.get(pk=case.pk)
    if expected_revision is not None and case.revision != expected_revision:
        raise Conflict(_("Case {number} was changed by someone else meanwhile; reload it and "
                         "try again.").format(number=case.number))
    if case.status not in allowed:
        raise CaseStateError(_("Case {number} is {status}; this cannot be done now.").format(
            number=case.number, status=case.get_status_display()))
    return case


def clock_input(case: Case, *, today: date) -> ClockInput:
    version = case.item_version
    legal = (Limit(version.legal_limit, LimitUnit(version.legal_limit_unit))
             if version.legal_limit is not None else None)
    return ClockInput(
        accepted_on=case.accepted_on or case.received_on,
        promised=Limit(version.promised_limit, LimitUnit(version.promised_limit_unit)),
        legal=legal,
        complete_materials_on=case.materials_completed_on,
        awaiting_materials=case.status == CaseStatus.AWAITING_MATERIALS,
        pauses=tuple(Pause(kind=PauseKind(p.kind), reason=p.reason, start=p.start, end=p.end,
                           expected_working_days=p.expected_working_days)
                     for p in (_PAUSES.all(case_id=case.pk) if case.pk else ())),
        extension_working_days=case.extension_working_days,
        completed_on=case.completed_on,
    )


def case_clock_state(case: Case, *, today: date) -> ClockState | None:
    """The clock as of `today`. Where the calendar does not reach a limit's end yet, that
    deadline stays empty — never a guess: a legal limit running into an unconfigured year
    leaves the promised one (often inside the calendar) standing; None when neither fits."""
    calendar, ledger = calendar_for(case.center), clock_input(case, today=today)
    try:
        return clock_state(calendar, ledger, today)
    except CalendarNotConfigured:
        if ledger.legal is None:
            return None
    try:
        return clock_state(calendar, replace(ledger, legal=None), today)
    except CalendarNotConfigured:
        return None


def refresh_deadlines(case: Case, *, today: date) -> None:
    """Recompute the deadlines and paused days from the clock ledger."""
    state = case_clock_state(case, today=today)
    if state is None:
        case.promised_due = case.legal_due = None
        return
    case.clock_start = state.clock_start
    case.promised_due, case.legal_due = state.promised_due, state.legal_due
    case.paused_working_days = state.paused_working_days
    case.working_days_used = max(0, state.working_days_used)
    case.on_time, case.early = state.on_time, state.early


def working_days_after(case: Case, start: date, days: int) -> date | None:
    """`days` working days after `start` on the case's calendar; None where it does not reach."""
    try:
        return calendar_for(case.center).add(start, days, LimitUnit.WORKING)
    except CalendarNotConfigured:
        return None


def require_text(value: str, field: str, message: str) -> None:
    if not value.strip():
        raise ValidationFailed(fields={field: [message]})


def save_transition(case: Case, *, kind: str, by, note: str = "", action: str,
                    before: dict, today: date) -> Case:
    """Refresh deadlines, bump the revision, save, and write the timeline and audit entries."""
    refresh_deadlines(case, today=today)
    case.revision += 1
    case.save()
    insert(CaseEvent(case=case, kind=kind, by=by, note=note))
    audit.record(action, obj=case, by=by, changes=audit.diff(before, audit.snapshot(case)))
    case_saved.send(sender=Case, case=case, today=today)
    return case
