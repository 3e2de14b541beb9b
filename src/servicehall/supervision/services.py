"""Every write of supervision people make: answering and closing cards, reviewing findings.
(Cards are issued by the system in `escalation.py`.)"""

from django.utils.translation import gettext as _

from servicehall.core import audit, businessday
from servicehall.core.audited import audited_service
from servicehall.core.errors import Conflict, ValidationFailed
from servicehall.core.permissions import require_perm

from .choices import OPEN_CARD_STATUSES, CardStatus, FindingStatus
from .models import Card, Finding


def _text(value: str, field: str, message: str) -> str:
    if not value.strip():
        raise ValidationFailed(fields={field: [message]})
    return value.strip()


def _locked_card(card: Card, allowed) -> Card:
    card = Card.objects.select_for_update().get(pk=card.pk)
    if card.status not in allowed:
        raise Conflict(_("This card is {status}; this cannot be done now.").format(
            status=card.get_status_display()))
    return card


@audited_service("supervision.card_respond")
def card_respond(*, card: Card, response: str, by) -> Card:
    """The department states what it did about the card (rectification measures)."""
    card = _locked_card(card, {CardStatus.ISSUED})
    require_perm(by, "supervision.respond_card", card)
    before = audit.snapshot(card)
    card.response = _text(response, "response", _("Describe the measures taken."))
    card.status, card.responded_by, card.responded_at = CardStatus.RESPONDED, by, \
        businessday.now()
    card.save(update_fields=["response", "status", "responded_by", "responded_at"])
    audit.record("supervision.card_responded", obj=card, by=by,
                 changes=audit.diff(before, audit.snapshot(card)))
    return card


@audited_service("supervision.card_close")
def card_close(*, card: Card, note: str, by) -> Card:
    """The supervision section closes a card, with its conclusion."""
    card = _locked_card(card, OPEN_CARD_STATUSES)
    require_perm(by, "supervision.supervise", card)
    before = audit.snapshot(card)
    card.closing_note = _text(note, "note", _("State the conclusion."))
    card.status, card.closed_by, card.closed_at = CardStatus.CLOSED, by, businessday.now()
    card.save(update_fields=["closing_note", "status", "closed_by", "closed_at"])
    audit.record("supervision.card_closed", obj=card, by=by,
                 changes=audit.diff(before, audit.snapshot(card)))
    return card


@audited_service("supervision.finding_review")
def finding_review(*, finding: Finding, confirm: bool, note: str, by) -> Finding:
    """Confirm an irregularity (it counts in the assessment) or dismiss it, with a note."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.status != FindingStatus.OPEN:
        raise Conflict(_("This finding was already reviewed."))
    require_perm(by, "supervision.supervise", finding)
    before = audit.snapshot(finding)
    finding.review_note = _text(note, "note", _("Explain the review."))
    finding.status = FindingStatus.CONFIRMED if confirm else FindingStatus.DISMISSED
    finding.reviewed_by, finding.reviewed_at = by, businessday.now()
    finding.save(update_fields=["review_note", "status", "reviewed_by", "reviewed_at"])
    audit.record("supervision.finding_reviewed", obj=finding, by=by,
                 changes=audit.diff(before, audit.snapshot(finding)))
    return finding
