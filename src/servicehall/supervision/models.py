from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicehall.core import businessday

from .choices import CardLevel, CardStatus, FindingKind, FindingStatus, LightChoice, ReasonChoice


class SupervisionRule(models.Model):
    """The thresholds of a center, or of one of its items (the item's rule wins)."""

    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.CASCADE,
                               related_name="+")
    item = models.ForeignKey("catalog.ServiceItem", verbose_name=_("service item"), null=True,
                             blank=True, on_delete=models.CASCADE, related_name="+",
                             help_text=_("Empty: the center's default."))
    warn_working_days = models.PositiveSmallIntegerField(
        _("warn when at most this many working days are left"), default=1)
    warn_percent = models.PositiveSmallIntegerField(
        _("warn when at most this share of the promised time is left (%)"), default=20)
    untouched_working_days = models.PositiveSmallIntegerField(
        _("flag a case untouched for this many working days"), default=3)
    card_finish_working_days = models.PositiveSmallIntegerField(
        _("working days a yellow card gives to finish"), default=2)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("supervision rule")
        verbose_name_plural = _("supervision rules")
        constraints = [
            models.UniqueConstraint(fields=["center", "item"], name="supervision_rule_unique"),
            models.UniqueConstraint(fields=["center"], condition=Q(item__isnull=True),
                                    name="supervision_rule_one_default_per_center"),
            models.CheckConstraint(condition=Q(warn_percent__lte=100),
                                   name="supervision_rule_percent_le_100",
                                   violation_error_message=_("A share is at most 100%.")),
            models.CheckConstraint(condition=Q(card_finish_working_days__gte=1),
                                   name="supervision_rule_card_days_ge_1",
                                   violation_error_message=_("A yellow card gives at least "
                                                             "one working day.")),
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.item or '*'}"


class CaseWatch(models.Model):
    """The light of one open case, with the first day of each colour so that a rescan compares
    dates. A row exists while its case is open."""

    # A derived table, rebuilt by the full scan (which also drops the rows of vanished cases):
    # no database foreign keys, whose per-row checks would dominate a scan of a million cases.
    case = models.OneToOneField("cases.Case", verbose_name=_("case"), primary_key=True,
                                on_delete=models.CASCADE, related_name="watch",
                                db_constraint=False)
    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.CASCADE,
                               related_name="+", db_index=False, db_constraint=False)
    department = models.ForeignKey("catalog.Department", verbose_name=_("department"),
                                   on_delete=models.CASCADE, related_name="+", db_index=False,
                                   db_constraint=False)
    light = models.CharField(_("light"), max_length=8, choices=LightChoice.choices)
    reason = models.CharField(_("reason"), max_length=14, choices=ReasonChoice.choices,
                              blank=True)
    since = models.DateField(_("since"))
    paused = models.BooleanField(_("clock paused"), default=False)
    warn_from = models.DateField(_("warning from"), null=True, blank=True)
    step_late_from = models.DateField(_("step overdue from"), null=True, blank=True)
    red_from = models.DateField(_("overdue from"), null=True, blank=True)
    legal_from = models.DateField(_("legal limit breached from"), null=True, blank=True)
    is_urgent = models.BooleanField(_("urgent"), default=False)
    warned_on = models.DateField(_("warning sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("case light")
        verbose_name_plural = _("case lights")
        # Only the rows needing attention are indexed (the escalation and the live list read
        # them); the counts per department read the narrow table once.
        indexes = [models.Index(fields=["light", "department"], name="watch_attention_idx",
                                condition=~Q(light="green"))]

    def __str__(self) -> str:
        return f"{self.case_id} {self.light}"


class ScanState(models.Model):
    """Where the scanner stands: the last case it saw and the calendars and rules it used."""

    last_case_id = models.BigIntegerField(default=0)
    sync_key = models.CharField(max_length=64, blank=True)
    last_scan_at = models.DateTimeField(null=True, blank=True)
    lit_on = models.DateField(null=True, blank=True)  # the day the stored lights are for
    last_full_scan_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("scan state")
        verbose_name_plural = _("scan state")

    def __str__(self) -> str:
        return f"scan {self.last_scan_at}"


class Card(models.Model):
    """A yellow card (overdue: finish by a date) or red card (still open after that date, with
    a rectification letter) to a department, naming the staff member who held the case."""

    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.PROTECT,
                               related_name="+")
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.PROTECT,
                             related_name="supervision_cards")
    department = models.ForeignKey("catalog.Department", verbose_name=_("department"),
                                   on_delete=models.PROTECT, related_name="supervision_cards")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("staff member"),
                              null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("card"), max_length=6, choices=CardLevel.choices)
    reason = models.CharField(_("reason"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    finish_by = models.DateField(_("finish by"), null=True, blank=True)
    letter_number = models.CharField(_("rectification letter number"), max_length=40,
                                     blank=True)
    status = models.CharField(_("status"), max_length=10, choices=CardStatus.choices,
                              default=CardStatus.ISSUED)
    response = models.TextField(_("department's response"), blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responded by"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"),
                                  null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=businessday.now)

    class Meta:
        verbose_name = _("supervision card")
        verbose_name_plural = _("supervision cards")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "level"], name="one_card_per_level_per_case"),
            models.UniqueConstraint(fields=["center", "letter_number"],
                                    condition=~Q(letter_number=""),
                                    name="rectification_letter_number_unique"),
            models.CheckConstraint(condition=~Q(level=CardLevel.YELLOW)
                                   | Q(finish_by__isnull=False),
                                   name="yellow_card_has_finish_by",
                                   violation_error_message=_("A yellow card gives a finish-by "
                                                             "date.")),
            models.CheckConstraint(condition=~Q(status=CardStatus.CLOSED)
                                   | Q(closed_at__isnull=False),
                                   name="closed_card_has_closing_time"),
        ]
        indexes = [models.Index(fields=["center", "status"], name="card_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.case}"


class Finding(models.Model):
    """An irregularity the scanner found on a case, to be reviewed by the supervision section;
    kept so that the assessment can score it."""

    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.PROTECT,
                               related_name="+")
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.PROTECT,
                             related_name="supervision_findings")
    department = models.ForeignKey("catalog.Department", verbose_name=_("department"),
                                   on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("staff member"),
                              null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=26, choices=FindingKind.choices)
    found_on = models.DateField(_("found on"))
    status = models.CharField(_("status"), max_length=10, choices=FindingStatus.choices,
                              default=FindingStatus.OPEN)
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("irregularity finding")
        verbose_name_plural = _("irregularity findings")
        ordering = ["-found_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["case", "kind"],
                                               name="one_finding_per_kind_per_case")]
        indexes = [models.Index(fields=["center", "status"], name="finding_status_idx")]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"
