"""The supervision board over the API: light counts per department, the live list, cards and
irregularities to review — the same scoped reads as the board page."""

from datetime import date

from ninja import Query, Router, Schema

from servicehall.core.permissions import require_perm

from . import selectors
from .choices import LightChoice

router = Router(tags=["supervision"])


class DepartmentLightsOut(Schema):
    department: str
    total: int
    green: int
    yellow: int
    red: int
    paused: int
    unknown: int


class BoardOut(Schema):
    totals: dict[str, int]
    departments: list[DepartmentLightsOut]
    cards: dict[str, int]


class WatchedCaseOut(Schema):
    number: str
    item: str
    department: str
    light: str
    light_label: str
    reason: str
    reason_label: str
    since: date
    is_urgent: bool
    promised_due: date | None
    overdue_from: date | None
    step: str
    handler: str


class CardOut(Schema):
    id: int
    case_number: str
    department: str
    staff: str
    level: str
    reason: str
    issued_on: date
    finish_by: date | None
    status: str
    status_label: str


class FindingOut(Schema):
    id: int
    case_number: str
    department: str
    staff: str
    kind: str
    kind_label: str
    found_on: date


def _require_board(user) -> None:
    require_perm(user, "supervision.view_board", getattr(user, "center", None))


@router.get("/board", response=BoardOut, summary="Lights per department and card counts")
def board(request):
    _require_board(request.user)
    rows = selectors.department_lights(user=request.user)
    return {"totals": selectors.light_totals(rows),
            "departments": [{"department": r["department__short_name"] or r["department__name"],
                             "total": r["total"],
                             **{light: r[light] for light in LightChoice.values}}
                            for r in rows],
            "cards": selectors.card_counts(user=request.user)}


@router.get("/cases", response=list[WatchedCaseOut],
            summary="Cases needing attention, most urgent first")
def live_cases(request, limit: int = Query(100, ge=1, le=500)):
    _require_board(request.user)
    return [{"number": w.case.number, "item": w.case.item_version.name,
             "department": w.department.short_name, "light": w.light,
             "light_label": w.get_light_display(), "reason": w.reason,
             "reason_label": w.get_reason_display(), "since": w.since,
             "is_urgent": w.is_urgent, "promised_due": w.case.promised_due,
             "overdue_from": w.red_from,
             "step": w.case.current_step.name if w.case.current_step else "",
             "handler": str(w.case.current_assignee or "")}
            for w in selectors.live_cases(user=request.user, limit=limit)]


@router.get("/cards", response=list[CardOut], summary="Yellow and red cards, open first")
def cards(request, limit: int = Query(50, ge=1, le=500)):
    _require_board(request.user)
    return [{"id": c.pk, "case_number": c.case.number, "department": c.department.short_name,
             "staff": str(c.staff or ""), "level": c.level, "reason": c.reason,
             "issued_on": c.issued_on, "finish_by": c.finish_by, "status": c.status,
             "status_label": c.get_status_display()}
            for c in selectors.recent_cards(user=request.user, limit=limit)]


@router.get("/findings", response=list[FindingOut], summary="Irregularities to review")
def findings(request, limit: int = Query(50, ge=1, le=500)):
    _require_board(request.user)
    return [{"id": f.pk, "case_number": f.case.number, "department": f.department.short_name,
             "staff": str(f.staff or ""), "kind": f.kind, "kind_label": f.get_kind_display(),
             "found_on": f.found_on}
            for f in selectors.findings_to_review(user=request.user, limit=limit)]
