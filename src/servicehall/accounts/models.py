import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicehall.core.fields import EncryptedIDNumberField, blind_index
from servicehall.core.identifiers import mask_credit_code, mask_id_number

from .choices import DEPARTMENT_ROLES, STAFF_ROLES, ApplicantKind, CodePurpose, Role


class User(AbstractUser):
    """A person who signs in: staff of a center, or an applicant."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=24, choices=Role.choices,
                            default=Role.APPLICANT)
    center = models.ForeignKey("core.Center", verbose_name=_("center"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="users")
    department = models.ForeignKey("catalog.Department", verbose_name=_("department"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="members")
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    id_number = EncryptedIDNumberField(_("ID number"), blank=True)
    id_number_index = models.CharField(_("ID number index"), max_length=64, blank=True,
                                       db_index=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=sorted(DEPARTMENT_ROLES))
                | models.Q(department__isnull=False),
                name="department_role_has_department",
                violation_error_message=_("Reviewers and chief representatives need a "
                                          "department."),
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=sorted(STAFF_ROLES)) | models.Q(center__isnull=False),
                name="staff_has_center",
                violation_error_message=_("Staff accounts need a center."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        self.id_number_index = blind_index(self.id_number)
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number) if self.id_number else ""

    @property
    def is_center_staff(self) -> bool:
        return self.is_active and self.role in STAFF_ROLES


class LoginThrottle(models.Model):
    """Consecutive failed logins per user name, and the lock they cause."""

    username = models.CharField(_("user name"), max_length=150, unique=True)
    failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("last failure"), null=True, blank=True)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")

    def __str__(self) -> str:
        return self.username

    def is_locked(self, now=None) -> bool:
        return bool(self.locked_until and self.locked_until > (now or timezone.now()))

    def minutes_locked(self, now) -> int:
        """Whole minutes (rounded up) until the lock ends; 0 when not locked."""
        if not self.locked_until or self.locked_until <= now:
            return 0
        return -(-int((self.locked_until - now).total_seconds()) // 60)


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60)
    prefix = models.CharField(_("prefix"), max_length=8)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class ApplicantProfile(models.Model):
    """Who an applicant account stands for: a person (name, ID number, mobile) or an
    enterprise (name, credit code, legal representative, and its authorised agents). The
    mobile is the sign-in name and was verified by SMS at registration."""

    user = models.OneToOneField(User, verbose_name=_("account"), on_delete=models.CASCADE,
                                related_name="applicant_profile")
    kind = models.CharField(_("applicant kind"), max_length=10, choices=ApplicantKind.choices)
    name = models.CharField(_("name"), max_length=100)
    mobile = models.CharField(_("mobile phone"), max_length=11, unique=True)
    id_number = EncryptedIDNumberField(_("ID number"), blank=True)
    id_number_index = models.CharField(_("ID number index"), max_length=64, blank=True,
                                       editable=False)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50,
                                            blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("applicant profile")
        verbose_name_plural = _("applicant profiles")
        constraints = [
            models.UniqueConstraint(fields=["id_number_index"],
                                    condition=~models.Q(id_number_index=""),
                                    name="applicant_id_number_unique",
                                    violation_error_message=_("An account with this ID number "
                                                              "already exists.")),
            models.UniqueConstraint(fields=["credit_code"], condition=~models.Q(credit_code=""),
                                    name="applicant_credit_code_unique",
                                    violation_error_message=_("An account with this credit "
                                                              "code already exists.")),
            models.CheckConstraint(
                condition=models.Q(kind=ApplicantKind.PERSON, credit_code="")
                & ~models.Q(id_number_index="")
                | models.Q(kind=ApplicantKind.ENTERPRISE, id_number_index="")
                & ~models.Q(credit_code=""),
                name="applicant_profile_identifier_by_kind",
                violation_error_message=_("A person has an ID number, an enterprise a credit "
                                          "code.")),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.id_number_index = blind_index(self.id_number)
        super().save(*args, **kwargs)

    @property
    def is_enterprise(self) -> bool:
        return self.kind == ApplicantKind.ENTERPRISE

    @property
    def masked_identifier(self) -> str:
        if self.is_enterprise:
            return mask_credit_code(self.credit_code)
        return mask_id_number(self.id_number) if self.id_number else ""


class AuthorisedAgent(models.Model):
    """A person an enterprise authorises to apply on its behalf (经办人)."""

    profile = models.ForeignKey(ApplicantProfile, verbose_name=_("enterprise"),
                                on_delete=models.CASCADE, related_name="agents")
    name = models.CharField(_("name"), max_length=50)
    id_number = EncryptedIDNumberField(_("ID number"))
    id_number_index = models.CharField(_("ID number index"), max_length=64, editable=False)
    mobile = models.CharField(_("mobile phone"), max_length=11)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("authorised at"), auto_now_add=True)

    class Meta:
        verbose_name = _("authorised agent")
        verbose_name_plural = _("authorised agents")
        ordering = ["profile", "-is_active", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "id_number_index"],
                                    condition=models.Q(is_active=True),
                                    name="one_active_agent_per_id",
                                    violation_error_message=_("This person is already an "
                                                              "authorised agent.")),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.id_number_index = blind_index(self.id_number)
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number) if self.id_number else ""


class VerificationCode(models.Model):
    """A one-time code sent by SMS to prove a mobile number. Only its keyed digest is stored;
    it expires, and a few wrong tries use it up."""

    phone = models.CharField(_("mobile phone"), max_length=11)
    purpose = models.CharField(_("purpose"), max_length=12, choices=CodePurpose.choices)
    digest = models.CharField(_("digest"), max_length=64)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")
        indexes = [models.Index(fields=["phone", "purpose", "-created_at"],
                                name="verification_code_phone_idx")]

    def __str__(self) -> str:
        return f"{self.phone} {self.purpose}"
