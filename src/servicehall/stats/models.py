"""Rollups: the counts dashboards and reports read, kept per day and dimension so that a year
of a busy hall is thousands of rows, not a million cases."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def _counter(label):
    return models.IntegerField(label, default=0)


class DailyRollup(models.Model):
    """The cases of one day × center × department × item × window × staff × channel × case
    type. `window_id` is 0 until tickets link cases to windows; `staff_id` is the receiving
    staff member (0 for cases received without one, e.g. over the API)."""

    day = models.DateField(_("day"))
    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.CASCADE,
                               related_name="+")
    department = models.ForeignKey("catalog.Department", verbose_name=_("department"),
                                   on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("catalog.ServiceItem", verbose_name=_("service item"),
                             on_delete=models.CASCADE, related_name="+")
    window_id = models.IntegerField(_("window"), default=0)
    staff_id = models.IntegerField(_("receiving staff member"), default=0)
    channel = models.CharField(_("channel"), max_length=8)
    case_type = models.CharField(_("case type"), max_length=12)

    received = _counter(_("received"))
    accepted = _counter(_("accepted"))
    immediate = _counter(_("immediate cases"))
    supplement = _counter(_("supplement cases"))
    returned = _counter(_("returned"))
    completed = _counter(_("completed"))
    on_time = _counter(_("completed on time"))
    early = _counter(_("completed early"))
    overdue = _counter(_("completed late"))
    pending_delta = _counter(_("change in pending cases"))
    limit_cases = _counter(_("completed cases with comparable limits"))
    promised_days = _counter(_("promised working days"))
    legal_days = _counter(_("legal working days"))
    used_days = _counter(_("working days used"))
    visits = _counter(_("visits to the hall"))
    zero_visits = _counter(_("completed without a visit"))
    one_visit_at_most = _counter(_("completed with at most one visit"))

    class Meta:
        verbose_name = _("daily rollup")
        verbose_name_plural = _("daily rollups")
        constraints = [models.UniqueConstraint(
            fields=["day", "center", "department", "item", "window_id", "staff_id", "channel",
                    "case_type"], name="daily_rollup_key")]
        indexes = [models.Index(fields=["center", "day"], name="rollup_center_day_idx"),
                   models.Index(fields=["department", "day"], name="rollup_department_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.department_id} {self.item_id}"


class MonthlyRollup(models.Model):
    """The daily rollups folded into months, without window and staff: every report period is
    whole months, so a year of the dashboard reads at most twelve rows per item, channel and
    case type."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.CASCADE,
                               related_name="+")
    department = models.ForeignKey("catalog.Department", verbose_name=_("department"),
                                   on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("catalog.ServiceItem", verbose_name=_("service item"),
                             on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=8)
    case_type = models.CharField(_("case type"), max_length=12)

    received = _counter(_("received"))
    accepted = _counter(_("accepted"))
    immediate = _counter(_("immediate cases"))
    supplement = _counter(_("supplement cases"))
    returned = _counter(_("returned"))
    completed = _counter(_("completed"))
    on_time = _counter(_("completed on time"))
    early = _counter(_("completed early"))
    overdue = _counter(_("completed late"))
    pending_delta = _counter(_("change in pending cases"))
    limit_cases = _counter(_("completed cases with comparable limits"))
    promised_days = _counter(_("promised working days"))
    legal_days = _counter(_("legal working days"))
    used_days = _counter(_("working days used"))
    visits = _counter(_("visits to the hall"))
    zero_visits = _counter(_("completed without a visit"))
    one_visit_at_most = _counter(_("completed with at most one visit"))

    class Meta:
        verbose_name = _("monthly rollup")
        verbose_name_plural = _("monthly rollups")
        constraints = [models.UniqueConstraint(
            fields=["month", "center", "department", "item", "channel", "case_type"],
            name="monthly_rollup_key")]
        indexes = [models.Index(fields=["center", "month"], name="monthly_center_month_idx"),
                   models.Index(fields=["department", "month"],
                                name="monthly_department_month_idx"),
                   # the pending balance sums every month of history: these let it read only
                   # the rows that move it, from the index (PostgreSQL; plain indexes elsewhere)
                   models.Index(fields=["center", "month"], name="monthly_center_pending_idx",
                                include=["department", "item", "pending_delta"],
                                condition=~models.Q(pending_delta=0)),
                   models.Index(fields=["department", "month"],
                                name="monthly_department_pending_idx",
                                include=["item", "pending_delta"],
                                condition=~models.Q(pending_delta=0))]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.department_id} {self.item_id}"


class HourlyRollup(models.Model):
    """Applications received per month × weekday × hour of intake (the case's first timeline
    entry, in the hall's time zone), for the weekday × hour heat map."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    weekday = models.PositiveSmallIntegerField(_("weekday"), help_text=_("1 = Monday"))
    hour = models.PositiveSmallIntegerField(_("hour"))
    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.CASCADE,
                               related_name="+")
    department = models.ForeignKey("catalog.Department", verbose_name=_("department"),
                                   on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("catalog.ServiceItem", verbose_name=_("service item"),
                             on_delete=models.CASCADE, related_name="+")
    received = _counter(_("received"))

    class Meta:
        verbose_name = _("hourly rollup")
        verbose_name_plural = _("hourly rollups")
        constraints = [models.UniqueConstraint(fields=["month", "weekday", "hour", "center",
                                                       "department", "item"],
                                               name="hourly_rollup_key")]
        # the heat map of a year reads every weekday × hour × item row of it: from the index
        indexes = [models.Index(fields=["center", "month"], name="hourly_center_month_idx",
                                include=["department", "item", "weekday", "hour", "received"]),
                   models.Index(fields=["department", "month"],
                                name="hourly_department_month_idx",
                                include=["item", "weekday", "hour", "received"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.weekday} {self.hour}h"

