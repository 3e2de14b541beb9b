from django.db import models
from django.utils.translation import gettext_lazy as _

from .lights import Light, Reason


class LightChoice(models.TextChoices):
    GREEN = Light.GREEN.value, _("Green: on time")
    YELLOW = Light.YELLOW.value, _("Yellow: warning")
    RED = Light.RED.value, _("Red: overdue")
    PAUSED = Light.PAUSED.value, _("Clock paused")
    UNKNOWN = Light.UNKNOWN.value, _("No deadline")


class ReasonChoice(models.TextChoices):
    NONE = Reason.NONE.value, _("On time")
    DUE_SOON = Reason.DUE_SOON.value, _("Little promised time left")
    STEP_OVERDUE = Reason.STEP_OVERDUE.value, _("Step overdue")
    OVERDUE = Reason.OVERDUE.value, _("Past the promised deadline")
    LEGAL_BREACH = Reason.LEGAL_BREACH.value, _("Past the legal time limit")
    PAUSED = Reason.PAUSED.value, _("Suspended or reported up")
    NO_DEADLINE = Reason.NO_DEADLINE.value, _("Deadline unknown: calendar year not configured")


# Board order: the most urgent colour first.
LIGHT_RANK = {Light.RED: 0, Light.YELLOW: 1, Light.UNKNOWN: 2, Light.PAUSED: 3, Light.GREEN: 4}


class CardLevel(models.TextChoices):
    YELLOW = "yellow", _("Yellow card")
    RED = "red", _("Red card")


class CardStatus(models.TextChoices):
    ISSUED = "issued", _("Issued, awaiting response")
    RESPONDED = "responded", _("Responded")
    CLOSED = "closed", _("Closed")


OPEN_CARD_STATUSES = frozenset({CardStatus.ISSUED, CardStatus.RESPONDED})


class FindingKind(models.TextChoices):
    RETURNED_WITHOUT_REASON = "returned_without_reason", _("Returned without a reason")
    REPEATED_SUPPLEMENT = "repeated_supplement", _("Repeated supplement requests")
    SUSPENDED_WITHOUT_REASON = "suspended_without_reason", _("Suspended without a reason")
    SUSPENSION_OVERRUN = "suspension_overrun", _("Suspended beyond the expected length")
    UNTOUCHED = "untouched", _("Accepted but untouched")
    DECIDED_WITHOUT_DOCUMENT = "decided_without_document", _("Decided without a decision "
                                                             "document")
    OUT_OF_STEP_ORDER = "out_of_step_order", _("Acted out of the item's step order")
    CALENDAR_NOT_CONFIGURED = "calendar_not_configured", _("Calendar year not configured")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("To review")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")
