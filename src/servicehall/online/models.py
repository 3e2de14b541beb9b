from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicehall.cases.choices import ApplicantKind, DeliveryMode
from servicehall.core.fields import EncryptedIDNumberField
from servicehall.core.identifiers import mask_id_number

from .choices import ApplicationStatus, FileKind


class Application(models.Model):
    """An application filled in from home: a draft until submitted, then pre-reviewed by the
    item's department, which pre-accepts it (a case is filed), asks once for everything
    missing, or refuses it with a reason."""

    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.PROTECT,
                               related_name="online_applications")
    department = models.ForeignKey("catalog.Department", verbose_name=_("department"),
                                   on_delete=models.PROTECT, related_name="online_applications")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applicant account"),
                                  on_delete=models.PROTECT, related_name="online_applications")
    item = models.ForeignKey("catalog.ServiceItem", verbose_name=_("service item"),
                             on_delete=models.PROTECT, related_name="online_applications")
    item_version = models.ForeignKey("catalog.ItemVersion", verbose_name=_("item version"),
                                     on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.DRAFT)

    applicant_kind = models.CharField(_("applicant kind"), max_length=10,
                                      choices=ApplicantKind.choices, default=ApplicantKind.PERSON)
    applicant_name = models.CharField(_("applicant"), max_length=100, blank=True)
    applicant_id_number = EncryptedIDNumberField(_("applicant ID number"), blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    agent_name = models.CharField(_("agent"), max_length=50, blank=True)
    agent_id_number = EncryptedIDNumberField(_("agent ID number"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    delivery_mode = models.CharField(_("delivery of the result"), max_length=8,
                                     choices=DeliveryMode.choices, default=DeliveryMode.WINDOW)
    postal_address = models.CharField(_("postal address"), max_length=200, blank=True)
    remarks = models.TextField(_("remarks to the department"), blank=True)

    supplement_notice = models.JSONField(
        _("one-time notice"), default=list, blank=True,
        help_text=_("Every material missing or incorrect, with what to fix, given at once."))
    supplement_note = models.TextField(_("supplement note"), blank=True)
    supplement_rounds = models.PositiveSmallIntegerField(_("supplement requests"), default=0)
    rejection_reason = models.TextField(_("reason for not accepting"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    case = models.OneToOneField("cases.Case", verbose_name=_("case"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="online_application")

    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("online application")
        verbose_name_plural = _("online applications")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.PRE_ACCEPTED) | Q(case__isnull=False),
                name="pre_accepted_application_has_case",
                violation_error_message=_("A pre-accepted application has its case.")),
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.REJECTED) | ~Q(rejection_reason=""),
                name="rejected_application_has_reason",
                violation_error_message=_("An application not accepted states the reason.")),
            models.CheckConstraint(
                condition=~Q(delivery_mode=DeliveryMode.POST) | ~Q(postal_address="")
                | Q(status=ApplicationStatus.DRAFT),
                name="posted_delivery_has_address",
                violation_error_message=_("Delivery by post needs a postal address.")),
        ]
        indexes = [
            models.Index(fields=["applicant", "-updated_at"], name="application_mine_idx"),
            models.Index(fields=["department", "status", "submitted_at"],
                         name="application_queue_idx"),
        ]

    def __str__(self) -> str:
        return _("Online application {number}").format(number=self.reference)

    @property
    def reference(self) -> str:
        return f"WS{self.pk:08d}" if self.pk else ""

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.applicant_id_number) if self.applicant_id_number else ""


class ApplicationFile(models.Model):
    """One uploaded file for one material of the application, stored under a random name in
    the private directory."""

    application = models.ForeignKey(Application, verbose_name=_("application"),
                                    on_delete=models.CASCADE, related_name="files")
    material = models.ForeignKey("catalog.Material", verbose_name=_("material"),
                                 on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("file name"), max_length=200)
    stored_name = models.CharField(max_length=80, unique=True, editable=False)
    kind = models.CharField(_("file type"), max_length=8, choices=FileKind.choices)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    width = models.PositiveIntegerField(_("width (px)"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height (px)"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")
        ordering = ["application", "material__position", "uploaded_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(size__gt=0),
                                              name="uploaded_file_not_empty")]

    def __str__(self) -> str:
        return self.original_name
