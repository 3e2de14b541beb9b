from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    LICENSE = "license", _("Administrative license")
    NON_LICENSE = "non_license", _("Non-licensing approval")
    PUBLIC_SERVICE = "public_service", _("Public service")
    OTHER = "other", _("Other")


class ProcessingType(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate")
    PROMISED = "promised", _("Promised")
    JOINT = "joint", _("Joint")
    REPORTED = "reported", _("Reported up")


class HandlingVariant(models.TextChoices):
    NEW = "new", _("New application")
    CHANGE = "change", _("Change")
    RENEW = "renew", _("Renewal")
    CANCEL = "cancel", _("Cancellation")
    OTHER = "other", _("Other")


class LimitUnit(models.TextChoices):
    WORKING = "working", _("working days")
    NATURAL = "natural", _("natural days")


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Copy")
    ORIGINAL_AND_COPY = "original_and_copy", _("Original and copy")


class MaterialMedium(models.TextChoices):
    PAPER = "paper", _("Paper")
    ELECTRONIC = "electronic", _("Electronic")
    BOTH = "both", _("Paper or electronic")


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", _("Prepared by the applicant")
    GOVERNMENT = "government", _("Issued by a government body")
    INTERMEDIARY = "intermediary", _("Issued by an intermediary")


class OnlineDepth(models.IntegerChoices):
    INFORMATION = 1, _("Level 1: information published")
    FORMS = 2, _("Level 2: forms downloadable")
    PRE_REVIEW = 3, _("Level 3: online pre-review")
    FULLY_ONLINE = 4, _("Level 4: fully online")


class DeliveryMode(models.TextChoices):
    WINDOW = "window", _("Pick up at the window")
    POST = "post", _("By post")
    ONLINE = "online", _("Electronic delivery")


class Audience(models.TextChoices):
    PERSON = "person", _("Individuals")
    ENTERPRISE = "enterprise", _("Enterprises")
