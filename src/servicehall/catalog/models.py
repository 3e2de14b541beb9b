import re

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import (
    Audience,
    HandlingVariant,
    ItemKind,
    LimitUnit,
    MaterialForm,
    MaterialMedium,
    MaterialSource,
    OnlineDepth,
    ProcessingType,
)


def default_opening_hours() -> list[dict]:
    return [{"days": "1-5", "from": "09:00", "to": "12:00"},
            {"days": "1-5", "from": "13:30", "to": "17:30"}]


class Department(models.Model):
    """A government body with windows in the hall (进驻单位)."""

    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.PROTECT,
                               related_name="departments")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("official name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40)
    phone = models.CharField(_("consultation phone"), max_length=40, blank=True)
    sort_order = models.PositiveIntegerField(_("display order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["center", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["center", "code"], name="department_code_unique",
                                    violation_error_message=_("This department code is "
                                                              "already used in the center.")),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class Window(models.Model):
    """A numbered counter; a comprehensive window serves several departments."""

    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.PROTECT,
                               related_name="windows")
    number = models.CharField(_("window number"), max_length=10)
    sort_order = models.PositiveIntegerField(_("display order"), default=0)
    name = models.CharField(_("name"), max_length=60, blank=True)
    department = models.ForeignKey(Department, verbose_name=_("owning department"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="windows")
    is_comprehensive = models.BooleanField(_("comprehensive window"), default=False)
    served_departments = models.ManyToManyField(Department, verbose_name=_("departments served"),
                                                blank=True, related_name="comprehensive_windows")
    opening_hours = models.JSONField(_("opening hours"), default=default_opening_hours)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        ordering = ["center", "sort_order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["center", "number"], name="window_number_unique",
                                    violation_error_message=_("This window number is already "
                                                              "used in the center.")),
            models.CheckConstraint(
                condition=models.Q(is_comprehensive=True, department__isnull=True)
                | models.Q(is_comprehensive=False, department__isnull=False),
                name="window_owner_or_comprehensive",
                violation_error_message=_("A window either belongs to one department or is a "
                                          "comprehensive window."),
            ),
        ]

    def __str__(self) -> str:
        return _("Window {number}").format(number=self.number)


class Theme(models.Model):
    """A life event or business theme used to browse the guide (开办企业, 社会事务 …)."""

    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.PROTECT,
                               related_name="themes")
    name = models.CharField(_("name"), max_length=40)
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    sort_order = models.PositiveIntegerField(_("display order"), default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["center", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="theme_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceItem(models.Model):
    """A permit or service of the catalog. Its elements live in versions; editing adds one."""

    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.PROTECT,
                               related_name="service_items")
    department = models.ForeignKey(Department, verbose_name=_("department"),
                                   on_delete=models.PROTECT, related_name="service_items")
    code = models.CharField(_("implementation code"), max_length=40)
    current_version = models.OneToOneField("ItemVersion", verbose_name=_("current version"),
                                           null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="current_for")
    is_active = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["department__sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["center", "code"], name="item_code_unique",
                                    violation_error_message=_("This implementation code is "
                                                              "already used in the center.")),
        ]

    def __str__(self) -> str:
        return self.current_version.name if self.current_version else self.code

    @property
    def version(self) -> "ItemVersion":
        """The current version; every item gets its first one in the transaction that creates
        it, so a missing one is a broken invariant, not a state to handle."""
        if self.current_version is None:
            raise ValueError(f"service item {self.code} has no version")
        return self.current_version


class ItemVersion(models.Model):
    """The standard elements of a service item as published at one time. Never edited."""

    item = models.ForeignKey(ServiceItem, verbose_name=_("service item"),
                             on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    basic_code = models.CharField(_("basic code"), max_length=40)
    main_item = models.CharField(_("main item"), max_length=100)
    sub_item = models.CharField(_("sub-item"), max_length=100, blank=True)
    variant = models.CharField(_("handling variant"), max_length=10,
                               choices=HandlingVariant.choices, default=HandlingVariant.NEW)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    processing_type = models.CharField(_("handling type"), max_length=12,
                                       choices=ProcessingType.choices)
    legal_limit = models.PositiveIntegerField(_("legal time limit"), null=True, blank=True,
                                              help_text=_("Empty when the law sets no limit."))
    legal_limit_unit = models.CharField(_("legal limit unit"), max_length=8,
                                        choices=LimitUnit.choices, default=LimitUnit.WORKING)
    promised_limit = models.PositiveIntegerField(_("promised time limit"))
    promised_limit_unit = models.CharField(_("promised limit unit"), max_length=8,
                                           choices=LimitUnit.choices, default=LimitUnit.WORKING)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    max_visits = models.PositiveSmallIntegerField(
        _("maximum visits to the hall"), default=1, validators=[MaxValueValidator(5)])
    online_depth = models.PositiveSmallIntegerField(
        _("online depth"), choices=OnlineDepth.choices, default=OnlineDepth.FORMS,
        validators=[MinValueValidator(1), MaxValueValidator(4)])
    is_bookable = models.BooleanField(_("appointments accepted"), default=False)
    silent_consent = models.BooleanField(
        _("silent consent"), default=False,
        help_text=_("The application is deemed approved when the legal limit passes without a "
                    "decision (逾期默认)."))
    charges_fee = models.BooleanField(_("charges a fee"), default=False)
    delivery_modes = models.JSONField(_("delivery modes"), default=list)
    keywords = models.JSONField(
        _("search keywords"), default=list, blank=True,
        help_text=_("Words applicants use for this service (饭店, 餐馆 …); the guide's search "
                    "finds the item by them."))
    consultation_phone = models.CharField(_("consultation phone"), max_length=40, blank=True)
    complaint_phone = models.CharField(_("complaint phone"), max_length=40, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True,
                                    related_name="item_versions")
    joint_departments = models.ManyToManyField(Department, verbose_name=_("joint departments"),
                                               blank=True, related_name="joint_item_versions")
    change_note = models.CharField(_("change note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("service item version")
        verbose_name_plural = _("service item versions")
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="item_version_unique"),
            models.CheckConstraint(
                condition=models.Q(legal_limit__isnull=True)
                | ~models.Q(legal_limit_unit=models.F("promised_limit_unit"))
                | models.Q(promised_limit__lte=models.F("legal_limit")),
                name="promised_within_legal_limit",
                violation_error_message=_("The promised time limit cannot exceed the legal "
                                          "time limit."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"

    @property
    def is_immediate(self) -> bool:
        return self.processing_type == ProcessingType.IMMEDIATE


class Material(models.Model):
    version = models.ForeignKey(ItemVersion, verbose_name=_("version"), on_delete=models.CASCADE,
                                related_name="materials")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=200)
    is_required = models.BooleanField(_("required"), default=True)
    is_key = models.BooleanField(_("main material"), default=False,
                                 help_text=_("Without main materials a case cannot be accepted."))
    form = models.CharField(_("form"), max_length=20, choices=MaterialForm.choices,
                            default=MaterialForm.ORIGINAL)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    medium = models.CharField(_("medium"), max_length=12, choices=MaterialMedium.choices,
                              default=MaterialMedium.PAPER)
    source = models.CharField(_("source"), max_length=14, choices=MaterialSource.choices,
                              default=MaterialSource.APPLICANT)
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    sample_file = models.FileField(_("blank form or sample"), upload_to="catalog/forms/",
                                   blank=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["version", "position"]
        constraints = [
            models.CheckConstraint(condition=models.Q(is_key=False) | models.Q(is_required=True),
                                   name="key_material_is_required",
                                   violation_error_message=_("A main material is always "
                                                             "required.")),
        ]

    def __str__(self) -> str:
        return self.name


class FeeItem(models.Model):
    version = models.ForeignKey(ItemVersion, verbose_name=_("version"), on_delete=models.CASCADE,
                                related_name="fees")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=100)
    standard = models.CharField(_("charging standard"), max_length=200)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2, null=True,
                                 blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("fee item")
        verbose_name_plural = _("fee items")
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.name


class ProcessStep(models.Model):
    version = models.ForeignKey(ItemVersion, verbose_name=_("version"), on_delete=models.CASCADE,
                                related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=40)
    budget_days = models.DecimalField(_("time budget (working days)"), max_digits=5,
                                      decimal_places=1, default=0)

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.name


class Synonym(models.Model):
    """A colloquial phrase applicants type and the catalog terms it stands for, center-wide:
    开饭店 → 食品经营许可、餐饮服务. A query containing the phrase is widened by each term."""

    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.PROTECT,
                               related_name="search_synonyms")
    phrase = models.CharField(_("colloquial phrase"), max_length=40)
    terms = models.CharField(
        _("catalog terms"), max_length=200,
        help_text=_("Words of the catalog the phrase stands for, separated by 、 or commas; "
                    "words in one term separated by a space must all match."))

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ["center", "phrase"]
        constraints = [
            models.UniqueConstraint(fields=["center", "phrase"], name="synonym_phrase_unique",
                                    violation_error_message=_("This phrase already has synonyms "
                                                              "in the center.")),
        ]

    def __str__(self) -> str:
        return f"{self.phrase} → {self.terms}"

    @property
    def term_list(self) -> list[str]:
        return [t.strip() for t in re.split(r"[、,，;；\n]+", self.terms) if t.strip()]


class SearchEntry(models.Model):
    """What the guide's search indexes for one published item: its current version's name,
    keywords, and materials and conditions, raw (for snippets) and as bigram tokens (see
    search/text.py). Written by search.index whenever a version is published or the item is
    withdrawn; the engine's own index over the token columns is kept by the database: an FTS5
    table with triggers on SQLite, a generated tsvector column with a GIN index on PostgreSQL
    (migration 0003)."""

    item = models.OneToOneField(ServiceItem, verbose_name=_("service item"), primary_key=True,
                                on_delete=models.CASCADE, related_name="search_entry")
    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.CASCADE,
                               related_name="+")
    version = models.ForeignKey(ItemVersion, verbose_name=_("version"), on_delete=models.CASCADE,
                                related_name="+")
    name = models.CharField(_("name"), max_length=200)
    keywords = models.TextField(_("search keywords"), blank=True)
    body = models.TextField(_("materials and conditions"), blank=True)
    name_tokens = models.TextField(blank=True)
    keyword_tokens = models.TextField(blank=True)
    body_tokens = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return self.name
