from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicehall.core import businessday
from servicehall.core.fields import EncryptedIDNumberField, blind_index, tail_index
from servicehall.core.saves import CachedSave

from .choices import (
    AcceptanceMode,
    AppealResult,
    ApplicantKind,
    CaseStatus,
    CaseType,
    Decision,
    DeliveryMode,
    EventKind,
    ExtensionStatus,
    IntakeChannel,
    IrregularityKind,
    PauseKind,
    StepStatus,
    TaskStatus,
    VerificationResult,
)


class Case(CachedSave):
    """One application, from intake to result, on the item version it was accepted under."""

    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.PROTECT,
                               related_name="cases")
    number = models.CharField(_("case number"), max_length=40, unique=True)
    item = models.ForeignKey("catalog.ServiceItem", verbose_name=_("service item"),
                             on_delete=models.PROTECT, related_name="cases")
    item_version = models.ForeignKey("catalog.ItemVersion", verbose_name=_("item version"),
                                     on_delete=models.PROTECT, related_name="cases")
    department = models.ForeignKey("catalog.Department", verbose_name=_("department"),
                                   on_delete=models.PROTECT, related_name="cases")
    case_type = models.CharField(_("case type"), max_length=12, choices=CaseType.choices)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices,
                              db_index=True)
    is_urgent = models.BooleanField(_("urgent"), default=False)
    urgent_reason = models.CharField(_("reason for urgency"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=IntakeChannel.choices)
    acceptance_mode = models.CharField(_("acceptance mode"), max_length=14,
                                       choices=AcceptanceMode.choices,
                                       default=AcceptanceMode.STANDARD)

    applicant_kind = models.CharField(_("applicant kind"), max_length=10,
                                      choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("applicant"), max_length=100)
    applicant_id_number = EncryptedIDNumberField(_("applicant ID number"), blank=True)
    applicant_id_index = models.CharField(max_length=64, blank=True, db_index=True,
                                          editable=False)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True,
                                   db_index=True)
    # keyed hash of the last 6 characters of the ID number or credit code (progress lookup)
    id_tail_index = models.CharField(max_length=64, blank=True, editable=False)
    agent_name = models.CharField(_("agent"), max_length=50, blank=True)
    agent_id_number = EncryptedIDNumberField(_("agent ID number"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    window = models.ForeignKey("catalog.Window", verbose_name=_("served at window"), null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="+",
                               help_text=_("Set when the ticket served at a window is linked "
                                           "to the case."))
    applicant_account = models.ForeignKey(settings.AUTH_USER_MODEL,
                                          verbose_name=_("applicant account"), null=True,
                                          blank=True, on_delete=models.PROTECT,
                                          related_name="own_cases")

    received_on = models.DateField(_("received on"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    materials_completed_on = models.DateField(_("materials completed on"), null=True,
                                              blank=True)
    clock_start = models.DateField(_("clock starts"), null=True, blank=True)
    promised_due = models.DateField(_("promised deadline"), null=True, blank=True,
                                    db_index=True)
    legal_due = models.DateField(_("legal deadline"), null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(_("paused working days"), default=0)
    extension_working_days = models.PositiveIntegerField(_("extension (working days)"),
                                                         default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    working_days_used = models.PositiveIntegerField(_("working days used"), default=0)
    on_time = models.BooleanField(_("completed on time"), null=True, blank=True)
    early = models.BooleanField(_("completed early"), null=True, blank=True)
    visits = models.PositiveSmallIntegerField(_("visits to the hall"), default=1)
    return_review_due = models.DateField(_("return to be decided by"), null=True, blank=True)

    current_step = models.ForeignKey("CaseStep", verbose_name=_("current step"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    current_assignee = models.ForeignKey(settings.AUTH_USER_MODEL,
                                         verbose_name=_("current handler"), null=True,
                                         blank=True, on_delete=models.PROTECT,
                                         related_name="+")
    current_step_due = models.DateField(_("current step due"), null=True, blank=True)

    override_reason = models.CharField(_("reason for overriding the proposed outcome"),
                                       max_length=200, blank=True)
    return_reasons = models.JSONField(_("return reasons"), default=list, blank=True)
    return_note = models.TextField(_("return explanation"), blank=True)
    appeal_reason = models.TextField(_("appeal"), blank=True)
    appeal_result = models.CharField(_("appeal result"), max_length=10,
                                     choices=AppealResult.choices, blank=True)
    decision = models.CharField(_("decision"), max_length=26, choices=Decision.choices,
                                blank=True)
    decision_note = models.TextField(_("decision reasons and conditions"), blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)
    delivery_mode = models.CharField(_("delivery"), max_length=8, choices=DeliveryMode.choices,
                                     blank=True)
    tracking_number = models.CharField(_("postal tracking number"), max_length=40, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    commitment_signed = models.BooleanField(_("written commitment signed"), default=False)
    verification_due = models.DateField(_("verification due"), null=True, blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verification_result = models.CharField(_("verification result"), max_length=8,
                                           choices=VerificationResult.choices, blank=True)
    verification_note = models.TextField(_("verification findings"), blank=True)

    idempotency_key = models.CharField(_("idempotency key"), max_length=64, null=True,
                                       blank=True, editable=False)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("received by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-is_urgent", "promised_due", "number"]
        constraints = [
            models.UniqueConstraint(fields=["center", "idempotency_key"],
                                    condition=Q(idempotency_key__isnull=False),
                                    name="case_idempotency_key_unique"),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.COMPLETED) | Q(completed_on__isnull=False),
                name="completed_case_has_completion_date",
                violation_error_message=_("A completed case has a completion date.")),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.RETURNED) | ~Q(return_reasons=[]),
                name="returned_case_has_reason",
                violation_error_message=_("A returned case states its reason.")),
            models.CheckConstraint(
                condition=~Q(acceptance_mode=AcceptanceMode.NOTIFY_COMMIT)
                | Q(commitment_signed=True),
                name="notify_commit_case_has_commitment",
                violation_error_message=_("A notify-and-commit case has a signed commitment.")),
        ]
        indexes = [models.Index(fields=["department", "status", "promised_due"],
                                name="case_queue_idx"),
                   models.Index(fields=["current_assignee", "status"],
                                name="case_handler_idx"),
                   models.Index(fields=["center", "received_on"], name="case_received_idx")]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        self.applicant_id_index = blind_index(self.applicant_id_number)
        self.id_tail_index = tail_index(self.applicant_id_number or self.credit_code)
        super().save(*args, **kwargs)


class CaseMaterial(models.Model):
    """A material of the accepted item version, ticked as received or listed as missing."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="materials")
    material = models.ForeignKey("catalog.Material", verbose_name=_("material"),
                                 on_delete=models.PROTECT, related_name="+")
    received = models.BooleanField(_("received"), default=False)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    due_on = models.DateField(_("to be supplied by"), null=True, blank=True,
                              help_text=_("For materials tolerated missing (容缺受理)."))

    class Meta:
        verbose_name = _("case material")
        verbose_name_plural = _("case materials")
        ordering = ["case", "material__position"]
        constraints = [models.UniqueConstraint(fields=["case", "material"],
                                               name="case_material_unique")]

    def __str__(self) -> str:
        return str(self.material)


class CasePause(models.Model):
    """A stretch of paused time: special procedure or waiting for a higher authority."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="pauses")
    kind = models.CharField(_("kind"), max_length=22, choices=PauseKind.choices)
    reason = models.CharField(_("reason"), max_length=300)
    start = models.DateField(_("paused from"))
    end = models.DateField(_("resumed on"), null=True, blank=True)
    expected_working_days = models.PositiveIntegerField(_("expected length (working days)"),
                                                        null=True, blank=True)

    class Meta:
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        ordering = ["case", "start"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(end__isnull=True),
                                    name="one_open_pause_per_case"),
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                   name="pause_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}"


class CaseEvent(models.Model):
    """One line of a case's timeline: what happened, who did it, when."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="events")
    kind = models.CharField(_("event"), max_length=24, choices=EventKind.choices)
    at = models.DateTimeField(_("time"), default=businessday.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True,
                           blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"


class CaseNumberCounter(models.Model):
    """The last case number given out per center and day; its row lock keeps numbers
    gapless under concurrent intake."""

    center = models.ForeignKey("core.Center", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case number counter")
        verbose_name_plural = _("case number counters")
        constraints = [models.UniqueConstraint(fields=["center", "day"],
                                               name="case_counter_unique")]

    def __str__(self) -> str:
        return f"{self.center_id} {self.day} {self.last}"


class CaseStep(CachedSave):
    """One step of the item's process (受理→承办→审核→审定→批准→办结) on this case: held by a
    person or waiting in the department's pool, with its own budget and due date."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=40)
    budget_days = models.DecimalField(_("time budget (working days)"), max_digits=5,
                                      decimal_places=1, default=0)
    status = models.CharField(_("status"), max_length=8, choices=StepStatus.choices,
                              default=StepStatus.WAITING)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handler"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    handed_over_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                       verbose_name=_("handed over by"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("started on"), null=True, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("completed by"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    opinion = models.TextField(_("opinion"), blank=True)

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["case", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="case_step_unique"),
            models.UniqueConstraint(fields=["case"], condition=Q(status=StepStatus.ACTIVE),
                                    name="one_active_step_per_case"),
        ]

    def __str__(self) -> str:
        return self.name


class JointTask(models.Model):
    """A co-department's share of a joint case (联办件), with its own budget and due date."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="joint_tasks")
    department = models.ForeignKey("catalog.Department", verbose_name=_("co-department"),
                                   on_delete=models.PROTECT, related_name="joint_tasks")
    center = models.ForeignKey("core.Center", verbose_name=_("center"),
                               on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=6, choices=TaskStatus.choices,
                              default=TaskStatus.OPEN)
    budget_days = models.PositiveIntegerField(_("time budget (working days)"))
    due_on = models.DateField(_("due"), null=True, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("completed by"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("joint task")
        verbose_name_plural = _("joint tasks")
        ordering = ["case", "department__sort_order", "department__code"]
        constraints = [models.UniqueConstraint(fields=["case", "department"],
                                               name="joint_task_unique")]

    def __str__(self) -> str:
        return f"{self.case} {self.department}"


class CaseExtension(models.Model):
    """A request to extend a case's time limit, decided by the center."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="extensions")
    working_days = models.PositiveSmallIntegerField(_("extra working days"))
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=8, choices=ExtensionStatus.choices,
                              default=ExtensionStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     null=True, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["case", "requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(status=ExtensionStatus.PENDING),
                                    name="one_pending_extension_per_case"),
            models.CheckConstraint(condition=Q(working_days__gte=1),
                                   name="extension_at_least_one_day"),
        ]

    def __str__(self) -> str:
        return f"{self.case} +{self.working_days}"


class Irregularity(models.Model):
    """Something supervision must look at (e.g. a second supplement request on one case); kept
    so that the assessment can score it."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="irregularities")
    department = models.ForeignKey("catalog.Department", verbose_name=_("department"),
                                   on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=24, choices=IrregularityKind.choices)
    note = models.TextField(_("details"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("staff member"), null=True,
                           blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"), default=businessday.now)

    class Meta:
        verbose_name = _("irregularity")
        verbose_name_plural = _("irregularities")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"
