"""Text messages to the applicant about the pre-review, through the outbox, in the
transaction of the decision. The pre-acceptance itself is announced by the case's own
"accepted" message (case intake sends it)."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from servicehall.core.choices import MessageChannel
from servicehall.core.outbox import enqueue

from .models import Application

SUPPLEMENT_REQUESTED, REJECTED = "supplement_requested", "rejected"


def _supplement_requested(application: Application, **fields) -> str:
    names = "、".join(line["name"] for line in application.supplement_notice)
    if names:
        return _("Dear {name}, your online application {reference} for “{item}” needs the "
                 "following corrected or added: {materials}. See the one-time notice in the "
                 "online hall, fix everything and submit again.").format(
            materials=names, **fields)
    return _("Dear {name}, your online application {reference} for “{item}” needs "
             "corrections. See the one-time notice in the online hall, fix everything and "
             "submit again.").format(**fields)


def _rejected(application: Application, **fields) -> str:
    return _("Dear {name}, your online application {reference} for “{item}” was not accepted. "
             "Reason: {reason}.").format(
        reason=application.rejection_reason.strip().rstrip("。."), **fields)


TEXTS = {SUPPLEMENT_REQUESTED: _supplement_requested, REJECTED: _rejected}


def notify_applicant(application: Application, event: str) -> None:
    """Queue the SMS for `event`; nothing when the application has no phone number."""
    if not application.phone.strip():
        return
    with translation.override(settings.LANGUAGE_CODE):
        text = TEXTS[event](application, name=application.applicant_name,
                            reference=application.reference,
                            item=application.item_version.name)
    enqueue(center=application.center, channel=MessageChannel.SMS,
            recipient=application.phone, body=f"【{application.center.name}】{text}",
            event=f"online.{event}", obj=application)
