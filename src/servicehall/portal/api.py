"""/api/v1/my: the signed-in applicant's own cases (session or token, like the whole API).
Someone else's case answers 404, exactly like a case that does not exist."""

from datetime import date, datetime

from django.urls import reverse
from ninja import Query, Router, Schema

from . import selectors

router = Router(tags=["my cases"])


class MyCaseOut(Schema):
    number: str
    item_name: str
    department: str
    status: str
    status_label: str
    received_on: date
    promised_due: date | None
    completed_on: date | None
    decision: str


class EventOut(Schema):
    kind: str
    label: str
    at: datetime


class NeededOut(Schema):
    name: str
    due_on: date | None


class NoticeOut(Schema):
    at: datetime
    text: str


class DocumentOut(Schema):
    kind: str
    title: str
    url: str


class MyCaseDetailOut(MyCaseOut):
    timeline: list[EventOut]
    needed: list[NeededOut]
    notices: list[NoticeOut]
    documents: list[DocumentOut]


class Paging(Schema):
    limit: int = 50
    offset: int = 0


def _case_out(case) -> dict:
    return {"number": case.number, "item_name": case.item_version.name,
            "department": case.department.name, "status": case.status,
            "status_label": str(case.get_status_display()), "received_on": case.received_on,
            "promised_due": case.promised_due, "completed_on": case.completed_on,
            "decision": case.decision}


@router.get("/cases", response=list[MyCaseOut], summary="My cases, newest first")
def my_cases(request, paging: Query[Paging]):
    limit, offset = max(1, min(paging.limit, 200)), max(0, paging.offset)
    cases = selectors.applicant_cases(user=request.user)[offset:offset + limit]
    return [_case_out(case) for case in cases]


@router.get("/cases/{number}", response=MyCaseDetailOut, summary="One of my cases")
def my_case(request, number: str):
    case = selectors.applicant_case(user=request.user, number=number)
    page = selectors.case_page(case)
    return {
        **_case_out(case),
        "timeline": [{"kind": e.kind, "label": str(e.get_kind_display()), "at": e.at}
                     for e in page["events"]],
        "needed": [{"name": n.name, "due_on": n.due_on} for n in page["needed"]],
        "notices": [{"at": n.at, "text": n.text} for n in page["notices"]],
        "documents": [{"kind": d.kind, "title": d.title,
                       "url": reverse("portal:case_document", args=[case.number, d.kind])}
                      for d in page["documents"]],
    }
