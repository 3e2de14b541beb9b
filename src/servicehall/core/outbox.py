"""The outbox: messages to applicants are written in the transaction of the change they
announce, and sent afterwards by a worker (`manage.py outbox_send`) that retries with
exponential backoff. A message exists if and only if its change committed, and none is lost
while the gateway is down: it waits, is tried again, and gives up only after
`OUTBOX_MAX_ATTEMPTS` failures (status "failed", visible in the admin).

Claiming and recording are short transactions; the send itself runs outside any transaction,
so a slow gateway holds no lock. A claimed message is left alone by other workers for
`CLAIM_SECONDS`; a worker that dies mid-send leaves it to be tried again after that.
"""

import json
import logging
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .choices import MessageChannel, MessageStatus
from .identifiers import mask_id_numbers_in_text
from .models import Center, OutboxAttempt, OutboxMessage

logger = logging.getLogger("servicehall.outbox")

CLAIM_SECONDS = 300
ERROR_MAX_CHARS = 2000
BUILT_IN_SENDERS = {
    "console": "servicehall.core.outbox.ConsoleSender",
    "file": "servicehall.core.outbox.FileSender",
}


class SendError(Exception):
    """The sender could not deliver the message this time; it will be tried again."""


class Sender(Protocol):
    def send(self, message: OutboxMessage) -> None:
        """Deliver the message or raise SendError."""


def enqueue(*, center: Center, channel: str, recipient: str, body: str, event: str,
            obj: models.Model | None = None, subject: str = "") -> OutboxMessage:
    """Add a message to the outbox. Call it inside the transaction of the change it
    announces: it commits or rolls back with it. ID numbers never go into a message."""
    if channel not in MessageChannel.values:
        raise ValueError(f"unknown outbox channel {channel!r}")
    return OutboxMessage.objects.create(
        center=center, channel=channel, recipient=recipient.strip(),
        subject=mask_id_numbers_in_text(subject), body=mask_id_numbers_in_text(body),
        event=event,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "")


def masked_recipient(recipient: str) -> str:
    """13800138000 → 138****8000; sun@example.com → s***@example.com."""
    if "@" in recipient:
        name, _, domain = recipient.partition("@")
        return f"{name[:1]}***@{domain}"
    if len(recipient) < 8:
        return "*" * len(recipient)
    return recipient[:3] + "*" * (len(recipient) - 7) + recipient[-4:]


class ConsoleSender:
    """Writes one log line per message (the default: nothing leaves the machine)."""

    def send(self, message: OutboxMessage) -> None:
        text = " ".join(f"{message.subject} {message.body}".split())
        logger.info("%s", mask_id_numbers_in_text(
            f"outbox #{message.pk} {message.channel} to "
            f"{masked_recipient(message.recipient)} [{message.event}]: {text}"))


class FileSender:
    """Appends one JSON line per message to `OUTBOX_FILE` (a stand-in for a gateway)."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path or settings.OUTBOX_FILE)

    def send(self, message: OutboxMessage) -> None:
        line = json.dumps({
            "id": message.pk, "channel": message.channel, "recipient": message.recipient,
            "subject": mask_id_numbers_in_text(message.subject),
            "body": mask_id_numbers_in_text(message.body), "event": message.event,
            "object_type": message.object_type, "object_id": message.object_id,
            "at": timezone.now().isoformat(),
        }, ensure_ascii=False)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as out:
                out.write(line + "\n")
        except OSError as error:
            raise SendError(f"cannot write {self.path}: {error.strerror}") from error


def load_sender() -> Sender:
    """The sender named by `OUTBOX_SENDER`: "console", "file", or a dotted class path."""
    path = settings.OUTBOX_SENDER
    return import_string(BUILT_IN_SENDERS.get(path, path))()


def backoff(failures: int) -> timedelta:
    """Wait after the n-th failure: base, 2×base, 4×base, … capped (30 s, 60 s, 120 s … 1 h)."""
    base, cap = settings.OUTBOX_BACKOFF_SECONDS, settings.OUTBOX_BACKOFF_MAX_SECONDS
    return timedelta(seconds=min(cap, base * 2 ** max(0, failures - 1)))


@dataclass(frozen=True)
class SendReport:
    sent: int = 0
    failed: int = 0  # given up for good: the last allowed attempt failed
    retried: int = 0  # failed this time, scheduled again

    @property
    def total(self) -> int:
        return self.sent + self.failed + self.retried


def _claim_due(*, now: datetime, limit: int) -> list[OutboxMessage]:
    """Up to `limit` due messages, their next attempt moved past the claim time so that other
    workers skip them. Rows another worker is claiming are skipped on PostgreSQL (SKIP
    LOCKED); SQLite has one writer at a time and Django ignores the lock there."""
    with transaction.atomic():
        messages = list(OutboxMessage.objects.select_for_update(skip_locked=True)
                        .filter(status=MessageStatus.PENDING, next_attempt_at__lte=now)
                        .order_by("next_attempt_at", "pk")[:limit])
        OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
            next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
    return messages


def _try_send(message: OutboxMessage, sender: Sender) -> str:
    """The error text of a failed send ("" when it went out). Any exception is a failure:
    a broken sender must not stop the other messages."""
    try:
        sender.send(message)
    except SendError as error:
        return str(error) or "SendError"
    except Exception as error:  # noqa: BLE001
        return f"{type(error).__name__}: {error}"
    return ""


def _deliver(message: OutboxMessage, *, sender: Sender, now: datetime | None) -> str:
    started = time.monotonic()
    error = mask_id_numbers_in_text(_try_send(message, sender))[:ERROR_MAX_CHARS]
    duration_ms = int((time.monotonic() - started) * 1000)
    at = now or timezone.now()
    with transaction.atomic():
        OutboxAttempt.objects.create(message=message, at=at, ok=not error, error=error,
                                     duration_ms=duration_ms)
        message.attempts += 1
        message.last_error = error
        if not error:
            message.status, message.sent_at, outcome = MessageStatus.SENT, at, "sent"
        elif message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            message.status, outcome = MessageStatus.FAILED, "failed"
        else:
            message.next_attempt_at, outcome = at + backoff(message.attempts), "retried"
        message.save(update_fields=["attempts", "last_error", "status", "sent_at",
                                    "next_attempt_at"])
    if error:
        logger.warning("outbox #%s attempt %s failed (%s): %s", message.pk, message.attempts,
                       outcome, error)
    return outcome


def send_due(*, now: datetime | None = None, limit: int = 100,
             sender: Sender | None = None) -> SendReport:
    """Send the pending messages whose time has come; record every attempt."""
    sender = sender or load_sender()
    counts: Counter[str] = Counter()
    for message in _claim_due(now=now or timezone.now(), limit=limit):
        counts[_deliver(message, sender=sender, now=now)] += 1
    return SendReport(sent=counts["sent"], failed=counts["failed"], retried=counts["retried"])


def send_now(message: OutboxMessage, *, sender: Sender | None = None) -> str:
    """Try one fresh message at once, e.g. a verification code that cannot wait for the
    worker's next round. Call it after the enqueuing transaction committed. The message is
    claimed like `send_due` claims (so no worker sends it twice); when the attempt fails it
    stays pending and the worker retries it. Returns "sent", "retried", "failed" or "" when
    another worker already had it."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=message.pk, status=MessageStatus.PENDING, next_attempt_at__lte=now).update(
        next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
    if not claimed:
        return ""
    message.refresh_from_db()
    return _deliver(message, sender=sender or load_sender(), now=None)
