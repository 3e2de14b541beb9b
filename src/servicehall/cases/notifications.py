"""Text messages to the applicant at each step a case takes in their sight: accepted, asked to
supplement, returned, decided, ready for pickup. Called at the end of the service function of
that step, so the message is in the outbox if and only if the step committed. The texts use
the applicant's name and the case number, never an ID number."""

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _

from servicehall.core.choices import MessageChannel
from servicehall.core.models import OutboxMessage
from servicehall.core.outbox import enqueue

from .choices import RETURN_REASONS, ApplicantKind, CaseType, IntakeOutcome
from .models import Case

ACCEPTED, SUPPLEMENT_REQUESTED, RETURNED = "accepted", "supplement_requested", "returned"
DECIDED, READY_FOR_PICKUP = "decided", "ready_for_pickup"
DELIVERED, REVOKED = "delivered", "revoked"
INTAKE_NOTICES: dict[str, str] = {IntakeOutcome.ACCEPT: ACCEPTED,
                                   IntakeOutcome.SUPPLEMENT: SUPPLEMENT_REQUESTED,
                                   IntakeOutcome.RETURN: RETURNED}


def _day(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _sentence(text: str) -> str:
    """Free text set into a message: trimmed, without its closing punctuation."""
    return text.strip().rstrip("。.;；,，")


def _name(case: Case) -> str:
    if case.applicant_kind == ApplicantKind.PERSON:
        return _("{name} (Ms/Mr)").format(name=case.applicant_name)
    return case.applicant_name


def _accepted(case: Case, **fields) -> str:
    if case.case_type != CaseType.IMMEDIATE and case.promised_due:
        return _("Dear {name}, your application for “{item}” was accepted on {accepted}, case "
                 "number {number}. It will be completed by {due}; check its progress with the "
                 "case number.").format(accepted=_day(case.accepted_on),
                                        due=_day(case.promised_due), **fields)
    return _("Dear {name}, your application for “{item}” was accepted on {accepted}, case "
             "number {number}, and is being handled.").format(
        accepted=_day(case.accepted_on), **fields)


def _supplement_requested(case: Case, *, materials: list[str] | None = None, **fields) -> str:
    """At intake: every missing required material, and the limit starts once they are all
    in. Later (`materials` named by the department): exactly those, and the handling, paused
    meanwhile, goes on when they arrive."""
    if materials:
        return _("Dear {name}, to go on with your application for “{item}” (case number "
                 "{number}) the department needs: {materials}. Please bring all of them "
                 "together; the handling is paused until they arrive.").format(
            materials="、".join(materials), **fields)
    missing = case.materials.filter(received=False, material__is_required=True).order_by(
        "material__position").values_list("material__name", flat=True)
    return _("Dear {name}, your application for “{item}” (case number {number}) still lacks: "
             "{materials}. Please bring all of them together; the time limit starts on the day "
             "the materials are complete.").format(materials="、".join(missing), **fields)


def _returned(case: Case, **fields) -> str:
    reasons = [str(RETURN_REASONS[r]) for r in case.return_reasons if r in RETURN_REASONS]
    note = _sentence(case.return_note)
    reasons_text = "、".join(reasons) + (";" if reasons and note else "") + note
    return _("Dear {name}, your application for “{item}” (case number {number}) was returned. "
             "Reason: {reasons}. If you disagree, you may appeal to the center's business "
             "section.").format(reasons=reasons_text, **fields)


def _decided(case: Case, **fields) -> str:
    fields.update(day=_day(case.completed_on), decision=case.get_decision_display())
    if _sentence(case.decision_note):
        return _("Dear {name}, your application for “{item}” (case number {number}) was "
                 "decided on {day}: {decision}. Conditions or reasons: {note}.").format(
            note=_sentence(case.decision_note), **fields)
    return _("Dear {name}, your application for “{item}” (case number {number}) was decided on "
             "{day}: {decision}.").format(**fields)


def _ready_for_pickup(case: Case, **fields) -> str:
    return _("Dear {name}, the result of your application for “{item}” (case number {number}) "
             "is ready. Please collect it at the hall with your acceptance receipt and a valid "
             "identity document.").format(**fields)


def _delivered(case: Case, **fields) -> str:
    if case.tracking_number:
        return _("Dear {name}, the result of your application for “{item}” (case number "
                 "{number}) was posted, tracking number {tracking}.").format(
            tracking=case.tracking_number, **fields)
    return _("Dear {name}, the result of your application for “{item}” (case number {number}) "
             "was delivered electronically; download it in the online hall.").format(**fields)


def _revoked(case: Case, **fields) -> str:
    return _("Dear {name}, the verification after the approval of “{item}” (case number "
             "{number}) found that the committed conditions are not met: {note}. The approval "
             "is revoked.").format(note=_sentence(case.verification_note), **fields)


TEXTS = {ACCEPTED: _accepted, SUPPLEMENT_REQUESTED: _supplement_requested, RETURNED: _returned,
         DECIDED: _decided, READY_FOR_PICKUP: _ready_for_pickup, DELIVERED: _delivered,
         REVOKED: _revoked}


def notify_applicant(case: Case, event: str, **details) -> OutboxMessage | None:
    """Put the SMS for `event` into the outbox, in the hall's language; nothing when the case
    has no phone number. Call it inside the transaction of the change. `details` go to the
    text of the event (e.g. the materials a later supplement request names)."""
    if event not in TEXTS:
        raise ValueError(f"no applicant message for event {event!r}")
    if not case.phone.strip():
        return None
    with translation.override(settings.LANGUAGE_CODE):
        text = TEXTS[event](case, name=_name(case), item=case.item_version.name,
                            number=case.number, **details)
    return enqueue(center=case.center, channel=MessageChannel.SMS, recipient=case.phone,
                   body=f"【{case.center.name}】{text}", event=f"cases.{event}", obj=case)
