from datetime import date, datetime

from ninja import Field, Header, Query, Router, Schema, Status

from servicehall.catalog.selectors import item_for_intake

from . import selectors, services
from .choices import (
    AcceptanceMode,
    AppealResult,
    ApplicantKind,
    CaseStatus,
    Decision,
    DeliveryMode,
    IntakeChannel,
    IntakeOutcome,
    PauseKind,
)

router = Router(tags=["cases"])


class ApplicantIn(Schema):
    kind: ApplicantKind
    name: str = Field(..., max_length=100)
    id_number: str = ""
    credit_code: str = ""
    agent_name: str = ""
    agent_id_number: str = ""
    phone: str = Field("", max_length=20)


class IntakeIn(Schema):
    item_code: str
    applicant: ApplicantIn
    received_material_ids: list[int] = []
    outcome: IntakeOutcome | None = None
    override_reason: str = Field("", max_length=200)
    return_reasons: list[str] = []
    return_note: str = ""
    acceptance_mode: AcceptanceMode = AcceptanceMode.STANDARD
    commitment_signed: bool = False


class EventOut(Schema):
    kind: str
    at: datetime
    by: str
    note: str


class CaseOut(Schema):
    number: str
    item_code: str
    item_name: str
    item_version: int
    department: str
    case_type: str
    status: str
    status_label: str
    is_urgent: bool
    applicant_name: str
    applicant_id_masked: str
    received_on: date
    accepted_on: date | None
    clock_start: date | None
    promised_due: date | None
    legal_due: date | None
    paused_working_days: int
    completed_on: date | None
    decision: str
    visits: int
    revision: int


class StepOut(Schema):
    position: int
    name: str
    status: str
    assignee: str
    due_on: date | None
    opinion: str


class JointTaskOut(Schema):
    department: str
    status: str
    due_on: date | None
    opinion: str


class ExtensionOut(Schema):
    working_days: int
    reason: str
    status: str


class CaseDetail(CaseOut):
    acceptance_mode: str
    working_days_used: int
    on_time: bool | None
    early: bool | None
    return_review_due: date | None
    decision_note: str
    certificate_number: str
    delivery_mode: str
    tracking_number: str
    delivered_on: date | None
    verification_due: date | None
    verification_result: str
    missing_materials: list[str]
    steps: list[StepOut]
    joint_tasks: list[JointTaskOut]
    extensions: list[ExtensionOut]
    events: list[EventOut]


class SuspendIn(Schema):
    kind: PauseKind
    reason: str = Field(..., max_length=300)
    expected_working_days: int | None = Field(None, ge=1, le=365)


class TextIn(Schema):
    text: str = Field(..., max_length=2000)


class DecideIn(Schema):
    decision: Decision
    note: str = ""
    certificate_number: str = Field("", max_length=60)
    delivery_mode: DeliveryMode | None = None
    expected_revision: int | None = None


class OpinionIn(Schema):
    opinion: str = Field(..., max_length=2000)
    expected_revision: int | None = None


class UserIn(Schema):
    user_id: int
    note: str = Field("", max_length=500)


class MaterialsIn(Schema):
    material_ids: list[int]
    note: str = Field("", max_length=500)


class ReviewIn(Schema):
    confirm: bool
    note: str = Field(..., max_length=2000)


class ExtensionIn(Schema):
    working_days: int = Field(..., ge=1, le=60)
    reason: str = Field(..., max_length=2000)


class ApprovalIn(Schema):
    approve: bool
    note: str = Field("", max_length=2000)


class DeliverIn(Schema):
    mode: DeliveryMode
    tracking_number: str = Field("", max_length=40)


class VerifyIn(Schema):
    passed: bool
    note: str = Field(..., max_length=2000)


class AppealDecisionIn(Schema):
    result: AppealResult
    note: str


def _out(case) -> dict:
    from servicehall.core.identifiers import mask_credit_code, mask_id_number

    masked = (mask_id_number(case.applicant_id_number) if case.applicant_id_number
              else mask_credit_code(case.credit_code) if case.credit_code else "")
    return {
        "number": case.number, "item_code": case.item.code, "item_name": case.item_version.name,
        "item_version": case.item_version.number, "department": case.department.short_name,
        "case_type": case.case_type, "status": case.status,
        "status_label": str(case.get_status_display()), "is_urgent": case.is_urgent,
        "applicant_name": case.applicant_name, "applicant_id_masked": masked,
        "received_on": case.received_on, "accepted_on": case.accepted_on,
        "clock_start": case.clock_start, "promised_due": case.promised_due,
        "legal_due": case.legal_due, "paused_working_days": case.paused_working_days,
        "completed_on": case.completed_on, "decision": case.decision, "visits": case.visits,
        "revision": case.revision,
    }


def _detail(case) -> dict:
    record = selectors.case_record(case)
    return {
        **_out(case),
        **{name: getattr(case, name) for name in (
            "acceptance_mode", "working_days_used", "on_time", "early", "return_review_due",
            "decision_note", "certificate_number", "delivery_mode", "tracking_number",
            "delivered_on", "verification_due", "verification_result")},
        "missing_materials": list(record.missing_materials), "steps": list(record.steps),
        "joint_tasks": list(record.joint_tasks), "extensions": list(record.extensions),
        "events": list(record.events),
    }


def _case(request, number: str):
    return selectors.case_for_staff(user=request.user, number=number)


def _to_change(request, number: str):
    return selectors.case_to_change(user=request.user, number=number)


@router.post("", response={201: CaseDetail}, summary="Register an application (intake)")
def intake(request, payload: IntakeIn,
           idempotency_key: str | None = Header(None, alias="Idempotency-Key",
                                                max_length=64)):
    """The outcome defaults to what the ticked materials allow. Replaying the same
    Idempotency-Key returns the case created the first time."""
    item = item_for_intake(center_id=request.user.center_id, code=payload.item_code)
    case = services.case_intake(
        item=item, applicant=services.Applicant(**payload.applicant.dict()),
        received=set(payload.received_material_ids), by=request.user,
        channel=IntakeChannel.API, outcome=payload.outcome,
        override_reason=payload.override_reason, return_reasons=payload.return_reasons,
        return_note=payload.return_note, idempotency_key=idempotency_key,
        acceptance_mode=payload.acceptance_mode, commitment_signed=payload.commitment_signed)
    return Status(201, _detail(case))  # the clerk's own new case, or the one the key made


@router.get("", response=list[CaseOut], summary="Cases you may see, urgent first")
def list_cases(request, q: str = "", status: CaseStatus | None = None, item: str = "",
               received_from: date | None = None, received_to: date | None = None,
               queue: selectors.Queue | None = None,
               limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0)):
    """Search by number or applicant (`q`), item code or name (`item`), status and the day
    received; `queue=mine` is the caller's desk, `queue=department` the department's pool."""
    cases = selectors.cases_for_staff(
        user=request.user, query=q, status=status or "", item=item,
        received_from=received_from, received_to=received_to, queue=queue or "")
    return [_out(c) for c in cases.select_related("item")[offset:offset + limit]]


@router.get("/{number}", response=CaseDetail, summary="One case with its timeline")
def get_case(request, number: str):
    return _detail(_case(request, number))


@router.post("/{number}/materials-complete", response=CaseDetail)
def materials_complete(request, number: str):
    case = services.case_materials_complete(case=_to_change(request, number), by=request.user)
    return _detail(case)


@router.post("/{number}/suspend", response=CaseDetail)
def suspend(request, number: str, payload: SuspendIn):
    case = services.case_suspend(case=_to_change(request, number), kind=payload.kind,
                                 reason=payload.reason,
                                 expected_working_days=payload.expected_working_days,
                                 by=request.user)
    return _detail(case)


@router.post("/{number}/resume", response=CaseDetail)
def resume(request, number: str):
    case = services.case_resume(case=_to_change(request, number), by=request.user)
    return _detail(case)


@router.post("/{number}/report-up", response=CaseDetail)
def report_up(request, number: str, payload: TextIn):
    case = services.case_report_up(case=_to_change(request, number), authority=payload.text,
                                   by=request.user)
    return _detail(case)


@router.post("/{number}/report-answer", response=CaseDetail)
def report_answer(request, number: str, payload: TextIn):
    case = services.case_report_answered(case=_to_change(request, number), answer=payload.text,
                                         by=request.user)
    return _detail(case)


@router.post("/{number}/decide", response=CaseDetail)
def decide(request, number: str, payload: DecideIn):
    return _detail(services.case_decide(
        case=_to_change(request, number), decision=payload.decision, note=payload.note,
        certificate_number=payload.certificate_number,
        delivery_mode=payload.delivery_mode or "", by=request.user,
        expected_revision=payload.expected_revision))


@router.post("/{number}/appeal", response=CaseDetail)
def appeal(request, number: str, payload: TextIn):
    case = services.case_appeal(case=_to_change(request, number), reason=payload.text,
                                by=request.user)
    return _detail(case)


@router.post("/{number}/appeal-decision", response=CaseDetail)
def appeal_decision(request, number: str, payload: AppealDecisionIn):
    case = services.case_appeal_decide(case=_to_change(request, number), result=payload.result,
                                       note=payload.note, by=request.user)
    return _detail(case)


@router.post("/{number}/urgent", response=CaseDetail)
def mark_urgent(request, number: str, payload: TextIn):
    case = services.case_mark_urgent(case=_to_change(request, number), reason=payload.text,
                                     by=request.user)
    return _detail(case)


@router.post("/{number}/steps/take", response=CaseDetail, summary="Take the step in hand from "
             "the department's pool")
def step_take(request, number: str):
    case = services.case_step_take(case=_to_change(request, number), by=request.user)
    return _detail(case)


@router.post("/{number}/steps/assign", response=CaseDetail, summary="Assign the step in hand")
def step_assign(request, number: str, payload: UserIn):
    case = services.case_step_assign(case=_to_change(request, number), to_user_id=payload.user_id,
                                     by=request.user)
    return _detail(case)


@router.post("/{number}/steps/hand-over", response=CaseDetail,
             summary="Hand the step in hand over to a colleague")
def step_hand_over(request, number: str, payload: UserIn):
    case = services.case_step_hand_over(case=_to_change(request, number),
                                        to_user_id=payload.user_id, note=payload.note,
                                        by=request.user)
    return _detail(case)


@router.post("/{number}/steps/take-back", response=CaseDetail,
             summary="Take back a step you handed over")
def step_take_back(request, number: str):
    case = services.case_step_take_back(case=_to_change(request, number), by=request.user)
    return _detail(case)


@router.post("/{number}/steps/complete", response=CaseDetail,
             summary="Complete the step in hand with an opinion")
def step_complete(request, number: str, payload: OpinionIn):
    return _detail(services.case_step_complete(
        case=_to_change(request, number), opinion=payload.opinion, by=request.user,
        expected_revision=payload.expected_revision))


@router.post("/{number}/comments", response=CaseDetail, summary="Comment on the timeline")
def comment(request, number: str, payload: TextIn):
    case = services.case_comment(case=_to_change(request, number), text=payload.text,
                                 by=request.user)
    return _detail(case)


@router.post("/{number}/supplement", response=CaseDetail,
             summary="Ask for missing materials after acceptance (clock paused)")
def request_supplement(request, number: str, payload: MaterialsIn):
    case = services.case_request_supplement(case=_to_change(request, number),
                                            material_ids=set(payload.material_ids),
                                            note=payload.note, by=request.user)
    return _detail(case)


@router.post("/{number}/tolerated-materials", response=CaseDetail,
             summary="Materials accepted as missing (容缺) came in")
def tolerated_materials(request, number: str, payload: MaterialsIn):
    case = services.case_tolerated_materials_received(
        case=_to_change(request, number), material_ids=set(payload.material_ids),
        by=request.user)
    return _detail(case)


@router.post("/{number}/return-review", response=CaseDetail,
             summary="Confirm a return, or accept the case instead")
def return_review(request, number: str, payload: ReviewIn):
    case = services.case_return_review(case=_to_change(request, number), confirm=payload.confirm,
                                       note=payload.note, by=request.user)
    return _detail(case)


@router.post("/{number}/joint-task", response=CaseDetail,
             summary="A co-department finishes its task on a joint case")
def joint_task(request, number: str, payload: OpinionIn):
    case = services.case_joint_task_complete(case=_to_change(request, number),
                                             opinion=payload.opinion, by=request.user)
    return _detail(case)


@router.post("/{number}/extensions", response=CaseDetail,
             summary="Ask the center for more time")
def extension_request(request, number: str, payload: ExtensionIn):
    services.case_extension_request(case=_to_change(request, number),
                                    working_days=payload.working_days, reason=payload.reason,
                                    by=request.user)
    return _detail(_case(request, number))


@router.post("/{number}/extensions/decision", response=CaseDetail,
             summary="Grant or refuse the pending extension")
def extension_decide(request, number: str, payload: ApprovalIn):
    case = services.case_extension_decide(case=_to_change(request, number), approve=payload.approve,
                                          note=payload.note, by=request.user)
    return _detail(case)


@router.post("/{number}/deliver", response=CaseDetail, summary="Hand over the result")
def deliver(request, number: str, payload: DeliverIn):
    case = services.case_deliver(case=_to_change(request, number), mode=payload.mode,
                                 tracking_number=payload.tracking_number, by=request.user)
    return _detail(case)


@router.post("/{number}/verify", response=CaseDetail,
             summary="Post-approval verification of a notify-and-commit case")
def verify(request, number: str, payload: VerifyIn):
    case = services.case_verify(case=_to_change(request, number), passed=payload.passed,
                                note=payload.note, by=request.user)
    return _detail(case)
