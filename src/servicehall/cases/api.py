from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Header, Query, Router, Schema, Status

from servicehall.catalog.models import ServiceItem

from . import selectors, services
from .choices import (
    AppealResult,
    ApplicantKind,
    CaseStatus,
    Decision,
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


class CaseDetail(CaseOut):
    missing_materials: list[str]
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
    expected_revision: int | None = None


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
    events = case.events.select_related("by").order_by("at", "pk")
    missing = case.materials.filter(received=False).select_related("material")
    return {**_out(case), "missing_materials": [m.material.name for m in missing],
            "events": [{"kind": e.kind, "at": e.at, "by": str(e.by or ""), "note": e.note}
                       for e in events]}


def _case(request, number: str):
    return selectors.case_for_staff(user=request.user, number=number)


@router.post("", response={201: CaseDetail}, summary="Register an application (intake)")
def intake(request, payload: IntakeIn,
           idempotency_key: str | None = Header(None, alias="Idempotency-Key",
                                                max_length=64)):
    """The outcome defaults to what the ticked materials allow. Replaying the same
    Idempotency-Key returns the case created the first time."""
    item = get_object_or_404(ServiceItem.objects.select_related("center", "department"),
                             code=payload.item_code, is_active=True,
                             center_id=request.user.center_id)
    case = services.case_intake(
        item=item, applicant=services.Applicant(**payload.applicant.dict()),
        received=set(payload.received_material_ids), by=request.user,
        channel=IntakeChannel.API, outcome=payload.outcome,
        override_reason=payload.override_reason, return_reasons=payload.return_reasons,
        return_note=payload.return_note, idempotency_key=idempotency_key)
    return Status(201, _detail(_case(request, case.number)))


@router.get("", response=list[CaseOut], summary="Cases you may see, urgent first")
def list_cases(request, q: str = "", status: CaseStatus | None = None,
               limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0)):
    cases = selectors.cases_for_staff(user=request.user, query=q, status=status or "")
    return [_out(c) for c in cases.select_related("item")[offset:offset + limit]]


@router.get("/{number}", response=CaseDetail, summary="One case with its timeline")
def get_case(request, number: str):
    return _detail(_case(request, number))


@router.post("/{number}/materials-complete", response=CaseDetail)
def materials_complete(request, number: str):
    case = services.case_materials_complete(case=_case(request, number), by=request.user)
    return _detail(_case(request, case.number))


@router.post("/{number}/suspend", response=CaseDetail)
def suspend(request, number: str, payload: SuspendIn):
    services.case_suspend(case=_case(request, number), kind=payload.kind, reason=payload.reason,
                          expected_working_days=payload.expected_working_days,
                          by=request.user)
    return _detail(_case(request, number))


@router.post("/{number}/resume", response=CaseDetail)
def resume(request, number: str):
    services.case_resume(case=_case(request, number), by=request.user)
    return _detail(_case(request, number))


@router.post("/{number}/report-up", response=CaseDetail)
def report_up(request, number: str, payload: TextIn):
    services.case_report_up(case=_case(request, number), authority=payload.text,
                            by=request.user)
    return _detail(_case(request, number))


@router.post("/{number}/report-answer", response=CaseDetail)
def report_answer(request, number: str, payload: TextIn):
    services.case_report_answered(case=_case(request, number), answer=payload.text,
                                  by=request.user)
    return _detail(_case(request, number))


@router.post("/{number}/decide", response=CaseDetail)
def decide(request, number: str, payload: DecideIn):
    services.case_decide(case=_case(request, number), decision=payload.decision,
                         note=payload.note, by=request.user,
                         expected_revision=payload.expected_revision)
    return _detail(_case(request, number))


@router.post("/{number}/appeal", response=CaseDetail)
def appeal(request, number: str, payload: TextIn):
    services.case_appeal(case=_case(request, number), reason=payload.text, by=request.user)
    return _detail(_case(request, number))


@router.post("/{number}/appeal-decision", response=CaseDetail)
def appeal_decision(request, number: str, payload: AppealDecisionIn):
    services.case_appeal_decide(case=_case(request, number), result=payload.result,
                                note=payload.note, by=request.user)
    return _detail(_case(request, number))


@router.post("/{number}/urgent", response=CaseDetail)
def mark_urgent(request, number: str, payload: TextIn):
    services.case_mark_urgent(case=_case(request, number), reason=payload.text,
                              by=request.user)
    return _detail(_case(request, number))
