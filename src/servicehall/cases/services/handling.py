"""What happens to a case after intake. Each function: lock the row, check the state and the
permission, change, refresh the deadlines, write the timeline and the audit entry."""

from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit
from servicehall.core.audited import audited_service
from servicehall.core.errors import ValidationFailed
from servicehall.core.permissions import require_perm

from ..choices import (
    DECIDABLE_STATUSES,
    OPEN_STATUSES,
    AppealResult,
    CaseStatus,
    CaseType,
    Decision,
    EventKind,
    PauseKind,
)
from ..models import Case, CasePause
from ..notifications import ACCEPTED, DECIDED, notify_applicant
from .common import locked, save_transition


def _require_text(value: str, field: str, message: str) -> None:
    if not value.strip():
        raise ValidationFailed(fields={field: [message]})


@audited_service("cases.materials_complete")
def case_materials_complete(*, case: Case, by, at_window: bool = True) -> Case:
    """The last missing material arrived: the clock starts today (seed 001: supplement time
    is counted from the day the materials are complete)."""
    case = locked(case, allowed={CaseStatus.AWAITING_MATERIALS})
    require_perm(by, "cases.receive_materials", case)
    before, today = audit.snapshot(case), timezone.localdate()
    case.materials.filter(received=False).update(received=True, received_on=today)
    case.status, case.materials_completed_on = CaseStatus.IN_PROGRESS, today
    case.visits += 1 if at_window else 0
    return save_transition(case, kind=EventKind.MATERIALS_COMPLETED, by=by, before=before,
                           action="cases.materials_completed", today=today)


def _pause(case: Case, *, kind: str, reason: str, expected_working_days: int | None, by,
           status: str, event: str, action: str) -> Case:
    before, today = audit.snapshot(case), timezone.localdate()
    CasePause.objects.create(case=case, kind=kind, reason=reason, start=today,
                             expected_working_days=expected_working_days)
    case.status = status
    return save_transition(case, kind=event, by=by, note=reason, before=before, action=action,
                           today=today)


def _resume(case: Case, *, by, note: str, action: str) -> Case:
    before, today = audit.snapshot(case), timezone.localdate()
    case.pauses.filter(end__isnull=True).update(end=today)
    case.status = CaseStatus.IN_PROGRESS
    return save_transition(case, kind=EventKind.RESUMED, by=by, note=note, before=before,
                           action=action, today=today)


@audited_service("cases.suspend")
def case_suspend(*, case: Case, kind: str, reason: str, by,
                 expected_working_days: int | None = None) -> Case:
    """A special procedure (hearing, expert review, survey, notice, correction): the clock
    stops until the case resumes, and the paused days move the deadlines."""
    case = locked(case, allowed={CaseStatus.IN_PROGRESS})
    require_perm(by, "cases.handle_case", case)
    _require_text(reason, "reason", _("A suspension states its reason."))
    if kind not in PauseKind.values or kind == PauseKind.REPORTED_UP:
        raise ValidationFailed(fields={"kind": [_("Choose a special procedure.")]})
    return _pause(case, kind=kind, reason=reason, expected_working_days=expected_working_days,
                  by=by, status=CaseStatus.SUSPENDED, event=EventKind.SUSPENDED,
                  action="cases.suspended")


@audited_service("cases.resume")
def case_resume(*, case: Case, by, note: str = "") -> Case:
    case = locked(case, allowed={CaseStatus.SUSPENDED})
    require_perm(by, "cases.handle_case", case)
    return _resume(case, by=by, note=note, action="cases.resumed")


@audited_service("cases.report_up")
def case_report_up(*, case: Case, authority: str, by) -> Case:
    """Forwarded to a higher authority: the hall's clock pauses until the answer arrives."""
    case = locked(case, allowed={CaseStatus.IN_PROGRESS})
    require_perm(by, "cases.handle_case", case)
    _require_text(authority, "authority", _("Name the authority the case goes to."))
    return _pause(case, kind=PauseKind.REPORTED_UP, reason=authority,
                  expected_working_days=None, by=by, status=CaseStatus.REPORTED_UP,
                  event=EventKind.SUSPENDED, action="cases.reported_up")


@audited_service("cases.report_answered")
def case_report_answered(*, case: Case, answer: str, by) -> Case:
    case = locked(case, allowed={CaseStatus.REPORTED_UP})
    require_perm(by, "cases.handle_case", case)
    _require_text(answer, "answer", _("Record the higher authority's answer."))
    return _resume(case, by=by, note=answer, action="cases.report_answered")


@audited_service("cases.decide")
def case_decide(*, case: Case, decision: str, note: str, by,
                expected_revision: int | None = None) -> Case:
    """Approve, approve with conditions, or deny (with reasons): the case is completed today."""
    case = locked(case, allowed=DECIDABLE_STATUSES, expected_revision=expected_revision)
    require_perm(by, "cases.handle_case", case)
    if decision not in Decision.values:
        raise ValidationFailed(fields={"decision": [_("Choose a decision.")]})
    if decision != Decision.APPROVED:
        _require_text(note, "note", _("Conditions or reasons for a denial are required."))
    before, today = audit.snapshot(case), timezone.localdate()
    case.decision, case.decision_note = decision, note
    case.status, case.completed_on = CaseStatus.COMPLETED, today
    case = save_transition(case, kind=EventKind.DECIDED, by=by, note=note, before=before,
                           action="cases.decided", today=today)
    notify_applicant(case, DECIDED)
    return case


@audited_service("cases.appeal")
def case_appeal(*, case: Case, reason: str, by) -> Case:
    """The applicant disagrees with a return and appeals to the business section."""
    case = locked(case, allowed={CaseStatus.RETURNED})
    require_perm(by, "cases.appeal", case)
    _require_text(reason, "reason", _("State why the applicant appeals."))
    before, today = audit.snapshot(case), timezone.localdate()
    case.status, case.appeal_reason = CaseStatus.UNDER_APPEAL, reason
    return save_transition(case, kind=EventKind.APPEALED, by=by, note=reason, before=before,
                           action="cases.appealed", today=today)


@audited_service("cases.appeal_decide")
def case_appeal_decide(*, case: Case, result: str, note: str, by) -> Case:
    """The business section upholds the return, or re-opens the case: accepted today."""
    case = locked(case, allowed={CaseStatus.UNDER_APPEAL})
    require_perm(by, "cases.decide_appeal", case)
    if result not in AppealResult.values:
        raise ValidationFailed(fields={"result": [_("Uphold or re-open.")]})
    _require_text(note, "note", _("Explain the appeal decision."))
    before, today = audit.snapshot(case), timezone.localdate()
    case.appeal_result = result
    if result == AppealResult.UPHELD:
        case.status = CaseStatus.RETURNED
    else:
        case.status, case.case_type = CaseStatus.IN_PROGRESS, CaseType.PROMISED
        case.accepted_on = case.materials_completed_on = today
    case = save_transition(case, kind=EventKind.APPEAL_DECIDED, by=by, note=note,
                           before=before, action="cases.appeal_decided", today=today)
    if result == AppealResult.REOPENED:
        notify_applicant(case, ACCEPTED)
    return case


@audited_service("cases.mark_urgent")
def case_mark_urgent(*, case: Case, reason: str, by) -> Case:
    """急办件: designated by the business section or a leader; first in every list."""
    case = locked(case, allowed=OPEN_STATUSES)
    require_perm(by, "cases.mark_urgent", case)
    _require_text(reason, "reason", _("State why the case is urgent."))
    before, today = audit.snapshot(case), timezone.localdate()
    case.is_urgent, case.urgent_reason = True, reason
    return save_transition(case, kind=EventKind.MARKED_URGENT, by=by, note=reason,
                           before=before, action="cases.marked_urgent", today=today)
