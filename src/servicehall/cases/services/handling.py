"""What happens to a case after intake. Each function: lock the row, check the state and the
permission, change, refresh the deadlines, write the timeline and the audit entry."""

from django.utils.translation import gettext as _

from servicehall.core import audit, businessday
from servicehall.core.audited import audited_service
from servicehall.core.errors import ValidationFailed
from servicehall.core.permissions import require_perm

from ..choices import (
    OPEN_STATUSES,
    AppealResult,
    CaseStatus,
    CaseType,
    EventKind,
    IrregularityKind,
    PauseKind,
)
from ..models import Case, CasePause, Irregularity
from ..notifications import ACCEPTED, RETURNED, SUPPLEMENT_REQUESTED, notify_applicant
from .common import CaseStateError, locked, require_text, save_transition
from .joint import move_joint_dues_after_pause
from .lifecycle import TYPE_OF_ACCEPTED_ITEM, create_handling_rows, start_handling
from .steps import move_step_due_after_pause


def _correction_pause(case: Case) -> CasePause | None:
    return case.pauses.filter(end__isnull=True, kind=PauseKind.APPLICANT_CORRECTION).first()


@audited_service("cases.materials_complete")
def case_materials_complete(*, case: Case, by, at_window: bool = True) -> Case:
    """The last missing material arrived: the clock starts today (seed 001: supplement time
    is counted from the day the materials are complete), or resumes after a later request."""
    case = locked(case, allowed={CaseStatus.AWAITING_MATERIALS, CaseStatus.SUSPENDED})
    require_perm(by, "cases.receive_materials", case)
    correction = _correction_pause(case) if case.status == CaseStatus.SUSPENDED else None
    if case.status == CaseStatus.SUSPENDED and correction is None:
        raise CaseStateError(_("Case {number} is not waiting for materials.").format(
            number=case.number))
    before, today = audit.snapshot(case), businessday.today()
    # The required materials came in; those accepted as missing (容缺) keep their own track.
    case.materials.filter(received=False, due_on__isnull=True,
                          material__is_required=True).update(received=True, received_on=today)
    if correction is not None:
        _close_pause(case, correction, today=today)
    else:
        case.materials_completed_on = today
    case.status = CaseStatus.IN_PROGRESS
    case.visits += 1 if at_window else 0
    start_handling(case, today=today)
    return save_transition(case, kind=EventKind.MATERIALS_COMPLETED, by=by, before=before,
                           action="cases.materials_completed", today=today)


@audited_service("cases.request_supplement")
def case_request_supplement(*, case: Case, material_ids: set[int], note: str, by) -> Case:
    """The department finds materials lacking after acceptance: ALL of them are listed at once,
    the clock pauses until they arrive. Any request after the first one on the same case is an
    irregularity for supervision (一次性告知)."""
    case = locked(case, allowed={CaseStatus.IN_PROGRESS})
    require_perm(by, "cases.handle_case", case)
    rows = list(case.materials.select_related("material").filter(material_id__in=material_ids))
    if not material_ids or len(rows) != len(set(material_ids)):
        raise ValidationFailed(fields={"material_ids": [_("Tick the materials of this case "
                                                          "that are lacking.")]})
    rows.sort(key=lambda row: row.material.position)
    names = "、".join(row.material.name for row in rows)
    earlier = case.events.filter(kind=EventKind.SUPPLEMENT_REQUESTED).count()
    before, today = audit.snapshot(case), businessday.today()
    case.materials.filter(pk__in=[r.pk for r in rows]).update(received=False, received_on=None)
    CasePause.objects.create(case=case, kind=PauseKind.APPLICANT_CORRECTION,
                             reason=_("Materials lacking: {names}").format(names=names),
                             start=today)
    case.status = CaseStatus.SUSPENDED
    if earlier:
        Irregularity.objects.create(
            case=case, department_id=case.department_id, by=by,
            kind=IrregularityKind.REPEATED_SUPPLEMENT,
            note=_("Supplement request no. {n}: {names}").format(n=earlier + 1, names=names))
    case = save_transition(case, kind=EventKind.SUPPLEMENT_REQUESTED, by=by,
                           note=f"{names} {note.strip()}".strip(),
                           action="cases.supplement_requested", before=before, today=today)
    notify_applicant(case, SUPPLEMENT_REQUESTED, materials=[r.material.name for r in rows])
    return case


@audited_service("cases.tolerated_materials_received")
def case_tolerated_materials_received(*, case: Case, material_ids: set[int], by) -> Case:
    """容缺受理: materials accepted as missing come in while the case is handled."""
    case = locked(case, allowed=OPEN_STATUSES)
    require_perm(by, "cases.receive_materials", case)
    rows = case.materials.filter(material_id__in=material_ids, received=False,
                                 due_on__isnull=False)
    if not material_ids or rows.count() != len(set(material_ids)):
        raise ValidationFailed(fields={"material_ids": [_("Tick materials that were accepted "
                                                          "as missing.")]})
    before, today = audit.snapshot(case), businessday.today()
    names = "、".join(rows.values_list("material__name", flat=True))
    rows.update(received=True, received_on=today)
    return save_transition(case, kind=EventKind.MATERIALS_COMPLETED, by=by, note=names,
                           before=before, action="cases.tolerated_materials_received",
                           today=today)


@audited_service("cases.return_review")
def case_return_review(*, case: Case, confirm: bool, note: str, by) -> Case:
    """The department decides, within 3 working days, a return the window could not decide
    alone: the return stands, or the case is accepted today."""
    case = locked(case, allowed={CaseStatus.RETURN_REVIEW})
    require_perm(by, "cases.handle_case", case)
    require_text(note, "note", _("Explain the review's conclusion."))
    before, today = audit.snapshot(case), businessday.today()
    if confirm:
        case.status, case.case_type = CaseStatus.RETURNED, CaseType.RETURNED
        case.return_note = "\n".join(filter(None, [case.return_note, note.strip()]))
        event = EventKind.RETURN_CONFIRMED
    else:
        case.status = CaseStatus.IN_PROGRESS
        case.case_type = TYPE_OF_ACCEPTED_ITEM[case.item_version.processing_type]
        case.accepted_on = case.materials_completed_on = today
        case.save()
        create_handling_rows(case, by=by)
        start_handling(case, today=today)
        event = EventKind.RETURN_OVERTURNED
    case = save_transition(case, kind=event, by=by, note=note.strip(), before=before,
                           action=f"cases.{event}", today=today)
    notify_applicant(case, RETURNED if confirm else ACCEPTED)
    return case


def _pause(case: Case, *, kind: str, reason: str, expected_working_days: int | None, by,
           status: str, event: str, action: str) -> Case:
    before, today = audit.snapshot(case), businessday.today()
    CasePause.objects.create(case=case, kind=kind, reason=reason, start=today,
                             expected_working_days=expected_working_days)
    case.status = status
    return save_transition(case, kind=event, by=by, note=reason, before=before, action=action,
                           today=today)


def _close_pause(case: Case, pause: CasePause, *, today) -> None:
    pause.end = today
    pause.save(update_fields=["end"])
    move_step_due_after_pause(case, paused_from=pause.start, resumed_on=today)
    move_joint_dues_after_pause(case, paused_from=pause.start, resumed_on=today)


def _resume(case: Case, *, by, note: str, action: str) -> Case:
    before, today = audit.snapshot(case), businessday.today()
    for pause in case.pauses.filter(end__isnull=True):
        _close_pause(case, pause, today=today)
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
    require_text(reason, "reason", _("A suspension states its reason."))
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
    require_text(authority, "authority", _("Name the authority the case goes to."))
    return _pause(case, kind=PauseKind.REPORTED_UP, reason=authority,
                  expected_working_days=None, by=by, status=CaseStatus.REPORTED_UP,
                  event=EventKind.SUSPENDED, action="cases.reported_up")


@audited_service("cases.report_answered")
def case_report_answered(*, case: Case, answer: str, by) -> Case:
    case = locked(case, allowed={CaseStatus.REPORTED_UP})
    require_perm(by, "cases.handle_case", case)
    require_text(answer, "answer", _("Record the higher authority's answer."))
    return _resume(case, by=by, note=answer, action="cases.report_answered")


@audited_service("cases.appeal")
def case_appeal(*, case: Case, reason: str, by) -> Case:
    """The applicant disagrees with a return and appeals to the business section."""
    case = locked(case, allowed={CaseStatus.RETURNED})
    require_perm(by, "cases.appeal", case)
    require_text(reason, "reason", _("State why the applicant appeals."))
    before, today = audit.snapshot(case), businessday.today()
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
    require_text(note, "note", _("Explain the appeal decision."))
    before, today = audit.snapshot(case), businessday.today()
    case.appeal_result = result
    if result == AppealResult.UPHELD:
        case.status = CaseStatus.RETURNED
    else:
        case.status = CaseStatus.IN_PROGRESS
        case.case_type = TYPE_OF_ACCEPTED_ITEM[case.item_version.processing_type]
        case.accepted_on = case.materials_completed_on = today
        if not case.steps.exists():
            case.save()
            create_handling_rows(case, by=by)
        start_handling(case, today=today)
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
    require_text(reason, "reason", _("State why the case is urgent."))
    before, today = audit.snapshot(case), businessday.today()
    case.is_urgent, case.urgent_reason = True, reason
    return save_transition(case, kind=EventKind.MARKED_URGENT, by=by, note=reason,
                           before=before, action="cases.marked_urgent", today=today)
