"""The numbered notices a case gives the applicant, as Chinese PDFs (seed 001, 审批服务操作规程):
every outcome is put in writing — the acceptance of an immediate case, the promised completion
date of a promised, joint or reported-up case, ALL missing materials of a supplement case at
once (一次性告知), the reasons of a return with the way to appeal, and the final decision.

The notice is an official Chinese document: it is rendered in Simplified Chinese whatever the
language of the page that asks for it, and shows identity numbers only in masked form."""

from dataclasses import dataclass
from datetime import date

import qrcode
import qrcode.image.svg
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from servicehall.core.identifiers import mask_credit_code, mask_id_number

from .choices import RETURN_REASONS, ApplicantKind, CaseStatus, CaseType, Decision
from .models import Case

IMMEDIATE, PROMISED, JOINT = "immediate", "promised", "joint"
SUPPLEMENT, RETURNED, DECISION = "supplement", "returned", "decision"

# Code name → the document's Chinese title (the forms of seed 001, 行政审批服务中心××窗口…).
NOTICE_TITLES = {
    IMMEDIATE: "即办件受理回执",
    PROMISED: "承诺件通知书",
    JOINT: "联办件通知书",
    SUPPLEMENT: "补办件通知书",
    RETURNED: "退回件通知书",
    DECISION: "办理决定书",
}

# The notice an accepted case gets, by the handling type of its item version.
_ACCEPTED_NOTICE = {"immediate": IMMEDIATE, "promised": PROMISED, "joint": JOINT,
                    "reported": PROMISED}
_NOTICE_OF_TYPE = {CaseType.IMMEDIATE: IMMEDIATE, CaseType.PROMISED: PROMISED,
                   CaseType.JOINT: JOINT, CaseType.REPORTED: PROMISED}

DOCUMENT_LANGUAGE = "zh-hans"


def notice_kind(case: Case) -> str:
    """The notice that states where `case` stands now: a return (also while appealed), a
    decision, a supplement still awaited, or the acceptance by the case's handling type."""
    if case.status in (CaseStatus.RETURNED, CaseStatus.UNDER_APPEAL):
        return RETURNED
    if case.status == CaseStatus.COMPLETED and case.decision:
        return DECISION
    if case.status == CaseStatus.AWAITING_MATERIALS:
        return SUPPLEMENT
    if case.case_type in _NOTICE_OF_TYPE:
        return _NOTICE_OF_TYPE[CaseType(case.case_type)]
    # A supplement case whose materials are complete is accepted like any case of its item.
    return _ACCEPTED_NOTICE.get(case.item_version.processing_type, PROMISED)


def applicant_notice_kinds(case: Case) -> list[str]:
    """The notices an applicant may download for `case`: the acceptance notice (the receipt)
    once the case is accepted with its materials complete, and the notice of where it stands
    now (supplement, return, decision) when that is another one. A return still under the
    department's review has no notice yet."""
    if case.status == CaseStatus.RETURN_REVIEW:
        return []
    kinds: list[str] = []
    if (case.accepted_on is not None and case.case_type != CaseType.RETURNED
            and case.status != CaseStatus.AWAITING_MATERIALS):
        kinds.append(_NOTICE_OF_TYPE[CaseType(case.case_type)] if case.case_type
                     in _NOTICE_OF_TYPE else _ACCEPTED_NOTICE.get(
                         case.item_version.processing_type, PROMISED))
    current = notice_kind(case)
    if current not in kinds:
        kinds.append(current)
    return kinds


def chinese_date(day: date | None) -> str:
    """2026-10-20 → "2026年10月20日"; no date → an empty string."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def qr_svg(url: str) -> SafeString:
    """A QR code for `url` as inline SVG (vector, no image library needed)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    return mark_safe(image.to_string(encoding="unicode"))  # generated here, no user markup


@dataclass(frozen=True)
class MissingMaterial:
    name: str
    form: str
    copies: int
    notes: str


def _missing_materials(case: Case) -> list[MissingMaterial]:
    """Every required material still missing, in the order of the item's list."""
    rows = (case.materials.filter(received=False, material__is_required=True)
            .select_related("material").order_by("material__position"))
    return [MissingMaterial(name=row.material.name, form=row.material.get_form_display(),
                            copies=row.material.copies, notes=row.material.notes)
            for row in rows]


def _applicant(case: Case) -> dict:
    if case.applicant_kind == ApplicantKind.ENTERPRISE:
        return {"label": "申请单位", "name": case.applicant_name,
                "id_label": "统一社会信用代码", "id_masked": mask_credit_code(case.credit_code),
                "agent_name": case.agent_name,
                "agent_id_masked": mask_id_number(case.agent_id_number)
                if case.agent_id_number else ""}
    return {"label": "申请人", "name": case.applicant_name, "id_label": "身份证号码",
            "id_masked": mask_id_number(case.applicant_id_number)
            if case.applicant_id_number else "",
            "agent_name": case.agent_name,
            "agent_id_masked": mask_id_number(case.agent_id_number)
            if case.agent_id_number else ""}


def _issued_on(case: Case, kind: str) -> date:
    """The date the notice bears: the day of the outcome it states, so a reprint is the same
    document."""
    if kind == DECISION and case.completed_on:
        return case.completed_on
    if kind in (RETURNED, SUPPLEMENT):
        return case.received_on
    return case.accepted_on or case.received_on


def notice_context(case: Case, *, kind: str, progress_url: str) -> dict:
    if kind not in NOTICE_TITLES:
        raise ValueError(f"unknown notice kind {kind!r}")
    version = case.item_version
    with translation.override(DOCUMENT_LANGUAGE):
        joint_departments = ([d.name for d in version.joint_departments.exclude(
            pk=case.department_id).order_by("sort_order", "code")] if kind == JOINT else [])
        return {
            "kind": kind,
            "title": NOTICE_TITLES[kind],
            "center_name": case.center.name,
            "number": case.number,
            "department": case.department,
            "applicant": _applicant(case),
            "item_name": version.name,
            "item_code": case.item.code,
            "version_number": version.number,
            "received_on": chinese_date(case.received_on),
            "accepted_on": chinese_date(case.accepted_on),
            "promised_limit": f"{version.promised_limit}个"
                              f"{version.get_promised_limit_unit_display()}",
            "promised_due": chinese_date(case.promised_due),
            "is_reported": case.case_type == CaseType.REPORTED,
            "joint_departments": joint_departments,
            "missing_materials": _missing_materials(case) if kind == SUPPLEMENT else [],
            "return_reasons": [str(RETURN_REASONS[r]) for r in case.return_reasons
                               if r in RETURN_REASONS],
            "return_note": case.return_note,
            "decision": case.get_decision_display() if case.decision else "",
            "is_denied": case.decision == Decision.DENIED,
            "has_conditions": case.decision == Decision.APPROVED_WITH_CONDITIONS,
            "decision_note": case.decision_note,
            "completed_on": chinese_date(case.completed_on),
            "complaint_phone": version.complaint_phone,
            "consultation_phone": version.consultation_phone or case.department.phone,
            "issued_on": chinese_date(_issued_on(case, kind)),
            "progress_url": progress_url,
            "qr_svg": qr_svg(progress_url),
        }


def notice_html(case: Case, *, kind: str, progress_url: str) -> str:
    context = notice_context(case, kind=kind, progress_url=progress_url)
    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string("cases/documents/notice.html", context)


def notice_pdf(case: Case, *, kind: str, progress_url: str) -> bytes:
    """The notice of `kind` for `case` as an A4 PDF with the WenQuanYi font embedded."""
    from weasyprint import HTML  # imported on use: loading Pango takes a moment

    html = notice_html(case, kind=kind, progress_url=progress_url)
    return HTML(string=html).write_pdf()
