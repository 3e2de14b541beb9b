"""The end of a case: the decision (and the silent consent of the law), handing over the
result, the post-approval verification of a notify-and-commit case, and extensions of the limit
granted by the center."""

from django.conf import settings
from django.utils.translation import gettext as _

from servicehall.core import audit, businessday
from servicehall.core.audited import audited_service
from servicehall.core.compiled import Compiled
from servicehall.core.errors import Conflict, DomainError, ValidationFailed
from servicehall.core.permissions import require_perm

from ..choices import (
    DECIDABLE_STATUSES,
    AcceptanceMode,
    CaseStatus,
    CaseType,
    Decision,
    DeliveryMode,
    EventKind,
    ExtensionStatus,
    VerificationResult,
)
from ..models import Case, CaseExtension, CaseMaterial
from ..notifications import DECIDED, DELIVERED, READY_FOR_PICKUP, REVOKED, notify_applicant
from .common import CaseStateError, locked, require_text, save_transition, working_days_after
from .joint import JOINT_WORKING_STATUSES, open_joint_departments
from .steps import close_open_steps, steps_before_decision_open

SILENT_CONSENT_NOTE = "法定期限届满未作出决定,依法视为准予(逾期默认)。"


_TOLERATED_MISSING = Compiled(lambda case_id: CaseMaterial.objects.filter(
    case_id=case_id, received=False, due_on__isnull=False).order_by().values_list("pk")[:1],
    case_id=int)


def _check_ready_to_decide(case: Case, decision: str) -> None:
    """Steps in order, every co-department done, tolerated materials in before an approval.
    Immediate and notify-and-commit cases are decided at once."""
    at_once = (case.case_type == CaseType.IMMEDIATE
               or case.acceptance_mode == AcceptanceMode.NOTIFY_COMMIT)
    if not at_once:
        pending = steps_before_decision_open(case)
        if pending:
            raise CaseStateError(_("Finish the earlier steps first: {steps}.").format(
                steps="、".join(pending)))
    departments = open_joint_departments(case)
    if departments:
        raise CaseStateError(_("Co-departments have not finished yet: {departments}.").format(
            departments="、".join(departments)))
    if decision != Decision.DENIED and _TOLERATED_MISSING.all(case_id=case.pk):
        raise CaseStateError(_("Materials accepted as missing (容缺) must be in before the "
                               "approval."))


def _delivery_mode(case: Case, requested: str) -> str:
    offered = list(case.item_version.delivery_modes) or [DeliveryMode.WINDOW]
    mode = requested or offered[0]
    if mode not in DeliveryMode.values or mode not in offered:
        raise ValidationFailed(fields={"delivery_mode": [_("Choose a delivery mode this item "
                                                           "offers.")]})
    return mode


def _complete(case: Case, *, decision: str, note: str, certificate_number: str,
              delivery_mode: str, by, event: str, action: str) -> Case:
    before, today = audit.snapshot(case), businessday.today()
    case.decision, case.decision_note = decision, note.strip()
    case.certificate_number, case.delivery_mode = certificate_number.strip(), delivery_mode
    case.status, case.completed_on = CaseStatus.COMPLETED, today
    if case.acceptance_mode == AcceptanceMode.NOTIFY_COMMIT and decision != Decision.DENIED:
        case.verification_due = working_days_after(
            case, today, settings.CASES_VERIFICATION_WORKING_DAYS)
    close_open_steps(case, by=by)
    case = save_transition(case, kind=event, by=by, note=case.decision_note, before=before,
                           action=action, today=today)
    notify_applicant(case, DECIDED)
    if decision != Decision.DENIED and delivery_mode == DeliveryMode.WINDOW:
        notify_applicant(case, READY_FOR_PICKUP)
    return case


@audited_service("cases.decide")
def case_decide(*, case: Case, decision: str, note: str, by, certificate_number: str = "",
                delivery_mode: str = "", expected_revision: int | None = None) -> Case:
    """Approve, approve with conditions, or deny (with reasons): the case is completed today."""
    case = locked(case, allowed=DECIDABLE_STATUSES, expected_revision=expected_revision)
    require_perm(by, "cases.handle_case", case)
    if decision not in Decision.values:
        raise ValidationFailed(fields={"decision": [_("Choose a decision.")]})
    if decision != Decision.APPROVED:
        require_text(note, "note", _("Conditions or reasons for a denial are required."))
    _check_ready_to_decide(case, decision)
    return _complete(case, decision=decision, note=note,
                     certificate_number=certificate_number,
                     delivery_mode=_delivery_mode(case, delivery_mode), by=by,
                     event=EventKind.DECIDED, action="cases.decided")


@audited_service("cases.apply_silent_consent")
def case_silent_consent(*, case: Case, today) -> Case:
    """逾期默认 (seed 003): the legal limit passed without a decision on an item that allows it;
    the application is approved by law. Run by the system, never by a person."""
    case = locked(case, allowed=DECIDABLE_STATUSES)  # a stopped clock never runs out
    if not case.item_version.silent_consent or case.legal_due is None or case.legal_due >= today:
        raise CaseStateError(_("Case {number} is not past a legal limit with silent consent.")
                             .format(number=case.number))
    return _complete(case, decision=Decision.APPROVED, note=SILENT_CONSENT_NOTE,
                     certificate_number="", delivery_mode=_delivery_mode(case, ""), by=None,
                     event=EventKind.SILENT_CONSENT, action="cases.silent_consent")


def cases_apply_silent_consent(*, today) -> list[str]:
    """Every open case past its legal limit on an item with silent consent; each in its own
    transaction. Returns the case numbers approved."""
    due = Case.objects.filter(status__in=DECIDABLE_STATUSES, legal_due__lt=today,
                              item_version__silent_consent=True).order_by("legal_due", "pk")
    approved = []
    for case in due:
        try:
            approved.append(case_silent_consent(case=case, today=today).number)
        except DomainError:
            continue  # decided, suspended or extended since the query ran: left as it is
    return approved


@audited_service("cases.deliver")
def case_deliver(*, case: Case, mode: str, by, tracking_number: str = "") -> Case:
    """The result (certificate or decision document) leaves the hall: picked up at the window,
    posted with a tracking number, or delivered electronically."""
    case = locked(case, allowed={CaseStatus.COMPLETED})
    require_perm(by, "cases.receive_materials", case)
    if case.delivered_on is not None:
        raise CaseStateError(_("The result of case {number} was already delivered on {day}.")
                             .format(number=case.number, day=case.delivered_on))
    if mode not in DeliveryMode.values:
        raise ValidationFailed(fields={"mode": [_("Choose a delivery mode.")]})
    if mode == DeliveryMode.POST:
        require_text(tracking_number, "tracking_number", _("Enter the postal tracking number."))
    before, today = audit.snapshot(case), businessday.today()
    case.delivery_mode, case.tracking_number = mode, tracking_number.strip()
    case.delivered_on = today
    case.visits += 1 if mode == DeliveryMode.WINDOW else 0
    case = save_transition(case, kind=EventKind.DELIVERED, by=by,
                           note=DeliveryMode(mode).label + (f" {case.tracking_number}"
                                                            if case.tracking_number else ""),
                           action="cases.delivered", before=before, today=today)
    if mode != DeliveryMode.WINDOW:
        notify_applicant(case, DELIVERED)
    return case


@audited_service("cases.verify")
def case_verify(*, case: Case, passed: bool, note: str, by) -> Case:
    """告知承诺制: after the approval the department checks that the committed conditions are
    really met. A failed check revokes the decision."""
    case = locked(case, allowed={CaseStatus.COMPLETED})
    require_perm(by, "cases.handle_case", case)
    if case.acceptance_mode != AcceptanceMode.NOTIFY_COMMIT or case.decision == Decision.DENIED:
        raise CaseStateError(_("Only an approved notify-and-commit case is verified."))
    if case.verification_result:
        raise CaseStateError(_("Case {number} was already verified.").format(
            number=case.number))
    require_text(note, "note", _("Record what the verification found."))
    before, today = audit.snapshot(case), businessday.today()
    case.verified_on, case.verification_note = today, note.strip()
    case.verification_result = (VerificationResult.PASSED if passed
                                else VerificationResult.FAILED)
    if not passed:
        case.status = CaseStatus.REVOKED
    case = save_transition(case, kind=EventKind.VERIFIED if passed else EventKind.REVOKED,
                           by=by, note=note.strip(), before=before,
                           action="cases.verified" if passed else "cases.revoked", today=today)
    if not passed:
        notify_applicant(case, REVOKED)
    return case


@audited_service("cases.extension_request")
def case_extension_request(*, case: Case, working_days: int, reason: str, by) -> CaseExtension:
    """The department asks the center for more time (延期), with its reason."""
    case = locked(case, allowed=JOINT_WORKING_STATUSES)
    require_perm(by, "cases.handle_case", case)
    if not 1 <= working_days <= 60:
        raise ValidationFailed(fields={"working_days": [_("Between 1 and 60 working days.")]})
    require_text(reason, "reason", _("State why the case needs more time."))
    if case.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise Conflict(_("An extension of case {number} is already awaiting approval.").format(
            number=case.number))
    extension = CaseExtension.objects.create(case=case, working_days=working_days,
                                             reason=reason.strip(), requested_by=by)
    save_transition(case, kind=EventKind.EXTENSION_REQUESTED, by=by,
                    note=_("{days} working days: {reason}").format(days=working_days,
                                                                   reason=reason.strip()),
                    action="cases.extension_requested", before=audit.snapshot(case),
                    today=businessday.today())
    return extension


@audited_service("cases.extension_decide")
def case_extension_decide(*, case: Case, approve: bool, note: str, by) -> Case:
    """The center (business section or a leader) grants or refuses the pending extension."""
    case = locked(case, allowed=JOINT_WORKING_STATUSES)
    require_perm(by, "cases.approve_extension", case)
    extension = case.extensions.select_for_update().filter(
        status=ExtensionStatus.PENDING).first()
    if extension is None:
        raise CaseStateError(_("Case {number} has no extension awaiting approval.").format(
            number=case.number))
    if not approve:
        require_text(note, "note", _("State why the extension is refused."))
    before, today = audit.snapshot(case), businessday.today()
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    extension.decided_by, extension.decided_at = by, businessday.now()
    extension.decision_note = note.strip()
    extension.save()
    if approve:
        case.extension_working_days += extension.working_days
    return save_transition(case, kind=EventKind.EXTENSION_DECIDED, by=by,
                           note=f"{extension.get_status_display()} {note.strip()}".strip(),
                           action="cases.extension_decided", before=before, today=today)
