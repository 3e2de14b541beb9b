"""The statistics pages: the dashboard, the period report (HTML, PDF, Excel)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicehall.core.errors import PermissionDenied

from . import reports, selectors
from .figures import fmt
from .periods import MONTH, QUARTER, YEAR, Period
from .selectors import Scope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = {YEAR: gettext_lazy("Year"), QUARTER: gettext_lazy("Quarter"), MONTH: gettext_lazy("Month")}


def _int(value, default: int, low: int, high: int) -> int:
    return int(value) if str(value).isdigit() and low <= int(value) <= high else default


def _period(params) -> Period:
    today = timezone.localdate()
    kind = params.get("kind") if params.get("kind") in KINDS else YEAR
    n = _int(params.get("n"), 0, 1, 12 if kind == MONTH else 4) or None
    return Period.chosen(kind, _int(params.get("year"), today.year, 2000, 2100), n,
                         today=today)


def _context(request):
    center = request.user.center
    if center is None or not request.user.has_perm("stats.view_statistics", center):
        raise PermissionDenied()
    departments, items = selectors.filter_choices(user=request.user, center=center)
    department = next((d for d in departments
                       if str(d.pk) == request.GET.get("department")), None)
    item = next((i for i in items if str(i.pk) == request.GET.get("item")), None)
    scope = Scope(center, department.pk if department else None, item.pk if item else None)
    stats = reports.statistics(user=request.user, scope=scope, period=_period(request.GET),
                               names={d.pk: d for d in departments})
    stats.department_name = str(department) if department else ""
    stats.item_name = str(item) if item else ""
    return {"center": center, "stats": stats, "departments": departments, "items": items,
            "department": department, "item": item, "kinds": KINDS,
            "query": request.GET.urlencode(), "tables": reports.tables(stats),
            "band": f"±{fmt(selectors.anomaly_band() * 100)}%"}


def _charts(stats) -> dict:
    top = stats.top10
    return {
        "trend": {"months": [r["month"] for r in stats.trend],
                  "accepted": [r["accepted"] for r in stats.trend],
                  "completed": [r["completed"] for r in stats.trend],
                  "names": [_("Accepted"), _("Completed")]},
        "ranking": {"departments": [str(d.department) for d in reversed(top)],
                    "accepted": [d.accepted for d in reversed(top)], "name": _("Accepted")},
        "on_time": {"departments": [str(d.department) for d in top],
                    "rate": [float(d.on_time_rate or 0) for d in top],
                    "early": [float(d.early_rate or 0) for d in top],
                    "names": [_("On-time rate (%)"), _("Early rate (%)")]},
        "online": _online_chart(stats.online),
        "heat": {"hours": [f"{h}:00" for h in stats.heat.hours],
                 "weekdays": list(reports.WEEKDAY_NAMES.values()),
                 "cells": [[i, w - 1, n] for w, counts in stats.heat.rows()
                           for i, n in enumerate(counts)],
                 "peak": stats.heat.peak, "name": _("Received")},
    }


def _online_chart(online) -> dict:
    lines = reports.online_lines(online) if online else []
    return {"labels": [label.replace(" (%)", "").replace("(%)", "") for label, _v, _b in lines],
            "values": [float(value) if value != "—" else None for _l, value, _b in lines],
            "name": _("Share (%)")}


@login_required
def dashboard(request):
    context = _context(request)
    context["charts"] = _charts(context["stats"])
    context["kpis"] = reports.kpis(context["stats"].figures)
    return render(request, "stats/dashboard.html", context)


def _filename(stats, extension: str) -> str:
    return f"stats-{stats.period.start:%Y%m%d}-{stats.period.end:%Y%m%d}.{extension}"


@login_required
def export(request):
    stats = _context(request)["stats"]
    response = HttpResponse(reports.workbook(stats), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(stats, "xlsx")}"'
    return response


@login_required
def report(request):
    return render(request, "stats/report.html", _context(request))


@login_required
def report_pdf(request):
    context = _context(request)
    stats = context["stats"]
    response = HttpResponse(reports.report_pdf(stats, center_name=context["center"].name),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(stats, "pdf")}"'
    return response
