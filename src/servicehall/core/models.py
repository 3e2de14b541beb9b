from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AuditOutcome, CenterLevel, Channel, MessageChannel, MessageStatus
from .saves import CachedSave


class Center(models.Model):
    """A service center; centers nest city → district → town → village."""

    code = models.CharField(_("code"), max_length=12, unique=True,
                            help_text=_("Administrative division code, e.g. 440300."))
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=CenterLevel.choices)
    parent = models.ForeignKey("self", verbose_name=_("parent center"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    calendar_version = models.PositiveBigIntegerField(
        _("calendar version"), default=0, editable=False,
        help_text=_("A new random value on every calendar change; cached calendars are keyed "
                    "by it."))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("service center")
        verbose_name_plural = _("service centers")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")),
                name="center_not_own_parent",
                violation_error_message=_("A center cannot be its own parent."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class CalendarDay(models.Model):
    """One date of a center's official working calendar."""

    center = models.ForeignKey(Center, verbose_name=_("center"), on_delete=models.CASCADE,
                               related_name="calendar_days")
    date = models.DateField(_("date"))
    is_working = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["center", "date"]
        constraints = [
            models.UniqueConstraint(fields=["center", "date"], name="calendar_day_unique",
                                    violation_error_message=_("This date is already in the "
                                                              "calendar.")),
        ]

    def __str__(self) -> str:
        return f"{self.date} {'working' if self.is_working else 'rest'}"


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit log is append-only.")

    def delete(self):
        raise TypeError("The audit log is append-only.")


class AuditEntry(models.Model):
    """An append-only, hash-chained record of one action. Written only by `core.audit`; its
    chain position (seq, prev_hash, hash) is set once, when it is sealed."""

    seq = models.BigIntegerField(_("sequence"), unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=AuditOutcome.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    center = models.ForeignKey(Center, verbose_name=_("center"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object ID"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    prev_hash = models.CharField(_("previous hash"), max_length=64, null=True, blank=True)
    hash = models.CharField(_("hash"), max_length=64, unique=True, null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["id"], condition=models.Q(hash__isnull=True),
                         name="audit_unsealed_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq if self.seq is not None else '…'} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit log is append-only.")


class AuditChainHead(models.Model):
    """The last sealed link of the audit chain; its row lock serialises sealing."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class OutboxMessage(CachedSave):
    """A message to an applicant, written in the transaction of the change it announces and
    sent later by the outbox worker (`core.outbox.send_due`), retried until it goes out."""

    center = models.ForeignKey(Center, verbose_name=_("center"), on_delete=models.PROTECT,
                               related_name="+")
    channel = models.CharField(_("channel"), max_length=8, choices=MessageChannel.choices)
    recipient = models.CharField(_("recipient"), max_length=254,
                                 help_text=_("Mobile phone number or email address."))
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    event = models.CharField(_("event"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object ID"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=MessageStatus.choices,
                              default=MessageStatus.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
            models.Index(fields=["object_type", "object_id"], name="outbox_object_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=MessageStatus.SENT) | models.Q(sent_at__isnull=False),
                name="outbox_sent_message_has_sent_at",
                violation_error_message=_("A sent message records when it was sent.")),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient}"


class OutboxAttempt(models.Model):
    """One try to hand a message to the sender (SMS gateway, mail server, console)."""

    message = models.ForeignKey(OutboxMessage, verbose_name=_("message"),
                                on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(_("time"))
    ok = models.BooleanField(_("succeeded"))
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["message", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.message_id} {self.at:%Y-%m-%d %H:%M:%S} {'ok' if self.ok else 'failed'}"
