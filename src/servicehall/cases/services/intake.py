"""Intake at a window or over the API: identify the applicant, tick the materials, and accept,
accept pending supplement, or return — with a case number in the same transaction."""

import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError
from django.utils.translation import gettext as _

from servicehall.catalog.models import ServiceItem
from servicehall.catalog.selectors import version_materials
from servicehall.core import audit, businessday
from servicehall.core.audited import audited_service
from servicehall.core.counters import bump
from servicehall.core.errors import ValidationFailed
from servicehall.core.identifiers import (
    InvalidIdentifier,
    validate_credit_code,
    validate_id_number,
)
from servicehall.core.inserts import insert, insert_many
from servicehall.core.permissions import require_perm

from ..choices import (
    RETURN_REASONS,
    AcceptanceMode,
    ApplicantKind,
    CaseStatus,
    CaseType,
    EventKind,
    IntakeChannel,
    IntakeOutcome,
)
from ..models import Case, CaseEvent, CaseMaterial, CaseNumberCounter
from ..notifications import INTAKE_NOTICES, notify_applicant
from ..outcome import RequiredMaterial, missing_materials, propose_outcome
from ..selectors import case_for_key
from .common import case_saved, refresh_deadlines, working_days_after
from .lifecycle import TYPE_OF_ACCEPTED_ITEM, create_handling_rows

RETURN_REVIEW_WORKING_DAYS = 3  # seed 001: a return needing review is decided within 3 days


RETURNS = frozenset({IntakeOutcome.RETURN, IntakeOutcome.RETURN_REVIEW})


@dataclass(frozen=True)
class Applicant:
    kind: str
    name: str
    id_number: str = ""
    credit_code: str = ""
    agent_name: str = ""
    agent_id_number: str = ""
    phone: str = ""


@dataclass
class _Checked:
    applicant: Applicant
    errors: dict[str, list[str]] = field(default_factory=dict)


def _checked_id(value: str, field_name: str, errors: dict) -> str:
    try:
        return validate_id_number(value)
    except InvalidIdentifier as invalid:
        errors[field_name] = [invalid.message]
        return value


def check_applicant(applicant: Applicant) -> _Checked:
    """Person: name and ID number. Enterprise: name, credit code, and an agent with ID."""
    errors: dict[str, list[str]] = {}
    if not applicant.name.strip():
        errors["name"] = [_("Enter the applicant's name.")]
    if applicant.kind == ApplicantKind.PERSON:
        id_number = _checked_id(applicant.id_number, "id_number", errors)
        return _Checked(Applicant(**{**applicant.__dict__, "id_number": id_number}), errors)
    if applicant.kind != ApplicantKind.ENTERPRISE:
        errors["kind"] = [_("Choose person or enterprise.")]
        return _Checked(applicant, errors)
    try:
        credit_code = validate_credit_code(applicant.credit_code)
    except InvalidIdentifier as invalid:
        errors["credit_code"] = [invalid.message]
        credit_code = applicant.credit_code
    if not applicant.agent_name.strip():
        errors["agent_name"] = [_("Enter the name of the enterprise's agent.")]
    agent_id = _checked_id(applicant.agent_id_number, "agent_id_number", errors)
    return _Checked(Applicant(**{**applicant.__dict__, "credit_code": credit_code,
                                 "agent_id_number": agent_id}), errors)


def _provisional_number() -> str:
    """Unique, and replaced by the day's number before the intake commits."""
    return f"~{uuid.uuid4().hex}"


def next_case_number(center, day) -> str:
    """The next number of the day, e.g. 440300-20261013-00042: gapless, because the counter
    row stays locked until the case that uses the number commits (or both roll back)."""
    last = bump(CaseNumberCounter, key={"center_id": center.pk, "day": day}, column="last")
    return f"{center.code}-{day:%Y%m%d}-{last:05d}"


def _proposed(materials, received: set[int], mode: str) -> str:
    """容缺受理 and 告知承诺制 accept with minor materials missing; a main one missing is still
    a return."""
    proposed = propose_outcome(materials, received)
    if mode != AcceptanceMode.STANDARD and proposed == IntakeOutcome.SUPPLEMENT:
        return IntakeOutcome.ACCEPT
    return proposed


def _decide_outcome(*, materials, received: set[int], outcome: str | None,
                    override_reason: str, return_reasons: list[str], mode: str) -> str:
    proposed = _proposed(materials, received, mode)
    chosen = outcome or proposed
    errors: dict[str, list[str]] = {}
    if chosen not in IntakeOutcome.values:
        errors["outcome"] = [_("Choose accept, supplement or return.")]
    if chosen == IntakeOutcome.RETURN_REVIEW and proposed == IntakeOutcome.RETURN:
        proposed = chosen  # the window leaves the return to the department: no override
    if chosen != proposed and not override_reason.strip():
        errors["override_reason"] = [_("The materials suggest “{proposed}”; give a reason to "
                                       "choose otherwise.").format(
            proposed=IntakeOutcome(proposed).label)]
    if chosen in (IntakeOutcome.RETURN, IntakeOutcome.RETURN_REVIEW):
        unknown = [r for r in return_reasons if r not in RETURN_REASONS]
        if not return_reasons or unknown:
            errors["return_reasons"] = [_("A return states at least one reason from the list.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return chosen


def _check_mode(mode: str, commitment_signed: bool, outcome: str) -> None:
    if mode not in AcceptanceMode.values:
        raise ValidationFailed(fields={"acceptance_mode": [_("Choose an acceptance mode.")]})
    if mode == AcceptanceMode.NOTIFY_COMMIT and not commitment_signed:
        raise ValidationFailed(fields={"commitment_signed": [
            _("Notify-and-commit needs the applicant's signed written commitment.")]})
    if mode != AcceptanceMode.STANDARD and outcome == IntakeOutcome.SUPPLEMENT:
        raise ValidationFailed(fields={"outcome": [
            _("This acceptance mode accepts with the minor materials missing; choose accept.")]})


def _status_and_type(outcome: str, processing_type: str) -> tuple[str, str]:
    if outcome == IntakeOutcome.RETURN:
        return CaseStatus.RETURNED, CaseType.RETURNED
    if outcome == IntakeOutcome.RETURN_REVIEW:
        return CaseStatus.RETURN_REVIEW, CaseType.RETURNED
    if outcome == IntakeOutcome.SUPPLEMENT:
        return CaseStatus.AWAITING_MATERIALS, CaseType.SUPPLEMENT
    return CaseStatus.IN_PROGRESS, TYPE_OF_ACCEPTED_ITEM[processing_type]


@audited_service("cases.intake")
def _intake(*, item: ServiceItem, applicant: Applicant, received: set[int], by, channel: str,
            outcome: str | None, override_reason: str, return_reasons: list[str],
            return_note: str, idempotency_key: str | None, acceptance_mode: str,
            commitment_signed: bool, account) -> Case:
    require_perm(by, "cases.intake", item)
    version = item.version
    checked = check_applicant(applicant)
    if checked.errors:
        raise ValidationFailed(fields=checked.errors)
    materials = version_materials(version)
    required = [RequiredMaterial(m.pk, m.is_required, m.is_key) for m in materials]
    unknown = received - {m.pk for m in materials}
    if unknown:
        raise ValidationFailed(fields={"received": [_("Materials that this item does not list "
                                                      "were ticked.")]})
    chosen = _decide_outcome(materials=required, received=received, outcome=outcome,
                             override_reason=override_reason, return_reasons=return_reasons,
                             mode=acceptance_mode)
    _check_mode(acceptance_mode, commitment_signed, chosen)
    today = businessday.today()
    status, case_type = _status_and_type(chosen, version.processing_type)
    a = checked.applicant
    case = Case(
        center=item.center, number=_provisional_number(), item=item,
        item_version=version, department=item.department, case_type=case_type, status=status,
        channel=channel, acceptance_mode=acceptance_mode,
        commitment_signed=commitment_signed, applicant_kind=a.kind, applicant_name=a.name,
        applicant_id_number=a.id_number if a.kind == ApplicantKind.PERSON else "",
        credit_code=a.credit_code, agent_name=a.agent_name, agent_id_number=a.agent_id_number,
        phone=a.phone, applicant_account=account, received_on=today,
        accepted_on=None if chosen in RETURNS else today,
        override_reason=override_reason, return_reasons=return_reasons,
        return_note=return_note, idempotency_key=idempotency_key, created_by=by,
        visits=0 if channel != IntakeChannel.WINDOW else 1)
    if chosen == IntakeOutcome.ACCEPT:
        case.materials_completed_on = today
    if chosen == IntakeOutcome.RETURN_REVIEW:
        case.return_review_due = working_days_after(case, today, RETURN_REVIEW_WORKING_DAYS)
    refresh_deadlines(case, today=today)
    case.save()
    tolerated_due = (working_days_after(case, today, settings.CASES_TOLERANCE_WORKING_DAYS)
                     if acceptance_mode == AcceptanceMode.TOLERANCE
                     and chosen == IntakeOutcome.ACCEPT else None)
    insert_many([
        CaseMaterial(case=case, material=m, received=m.pk in received,
                     received_on=today if m.pk in received else None,
                     due_on=tolerated_due if m.is_required and m.pk not in received else None)
        for m in materials])
    if chosen not in RETURNS:
        create_handling_rows(case, by=by,
                             start_on=today if chosen == IntakeOutcome.ACCEPT else None)
    # The day's number comes last: its counter row stays locked until the commit, and every
    # other intake of the center waits for it, so the wait covers only what must follow.
    case.number = next_case_number(item.center, today)
    case.save(update_fields=["number", "current_step", "current_assignee", "current_step_due"]
              if chosen == IntakeOutcome.ACCEPT else ["number"])
    _record_intake(case, chosen=chosen, required=required, received=received,
                   materials=materials, by=by)
    case_saved.send(sender=Case, case=case, today=today, fresh=True)
    return case


def _record_intake(case: Case, *, chosen: str, required, received, materials, by) -> None:
    names = {m.pk: m.name for m in materials}
    if chosen == IntakeOutcome.SUPPLEMENT:
        missing = "、".join(names[m.id] for m in missing_materials(required, received))
        insert(CaseEvent(case=case, kind=EventKind.SUPPLEMENT_REQUESTED, by=by, note=missing))
    elif chosen in RETURNS:
        insert(CaseEvent(case=case, kind=EventKind.RETURNED, by=by, note=case.return_note))
    else:
        insert(CaseEvent(case=case, kind=EventKind.ACCEPTED, by=by))
    audit.record(f"cases.{chosen}", obj=case, by=by, changes=audit.diff(
        {}, audit.snapshot(case, ["number", "item_version", "case_type", "status",
                                  "applicant_name", "applicant_id_number", "credit_code",
                                  "promised_due", "legal_due"])))
    if chosen in INTAKE_NOTICES:
        notify_applicant(case, INTAKE_NOTICES[chosen])


def _existing(item: ServiceItem, key: str | None) -> Case | None:
    if not key:
        return None
    return case_for_key(center_id=item.center_id, key=key)


def case_intake(*, item: ServiceItem, applicant: Applicant, received: set[int], by,
                channel: str = IntakeChannel.WINDOW, outcome: str | None = None,
                override_reason: str = "", return_reasons: list[str] | None = None,
                return_note: str = "", idempotency_key: str | None = None,
                acceptance_mode: str = AcceptanceMode.STANDARD,
                commitment_signed: bool = False, account=None) -> Case:
    """Register one application. The outcome defaults to what the materials allow; choosing
    another needs a reason. The same idempotency key always yields the same single case.
    `account` is the applicant's own sign-in, when the application came from the online hall."""
    existing = _existing(item, idempotency_key)
    if existing is not None:
        return existing
    try:
        return _intake(item=item, applicant=applicant, received=set(received), by=by,
                       channel=channel, outcome=outcome, override_reason=override_reason,
                       return_reasons=list(return_reasons or []), return_note=return_note,
                       idempotency_key=idempotency_key, acceptance_mode=acceptance_mode,
                       commitment_signed=commitment_signed, account=account)
    except IntegrityError:
        existing = _existing(item, idempotency_key)  # the same key won a race meanwhile
        if existing is None:
            raise
        return existing
