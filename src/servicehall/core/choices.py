from django.db import models
from django.utils.translation import gettext_lazy as _


class CenterLevel(models.TextChoices):
    CITY = "city", _("City center")
    DISTRICT = "district", _("District center")
    TOWN = "town", _("Town service center")
    VILLAGE = "village", _("Village agency point")


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("Succeeded")
    FAILURE = "failure", _("Failed")


class Channel(models.TextChoices):
    WEB = "web", _("Staff web")
    API = "api", _("API")
    ADMIN = "admin", _("Admin site")
    CLI = "cli", _("Command line")
    SYSTEM = "system", _("System")


class MessageChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed (gave up)")
