from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .calendar_excel import parse_year
from .errors import PermissionDenied, ValidationFailed
from .forms import AuditFilterForm, CalendarDayForm, CalendarYearForm


def _user_center(request):
    center = request.user.center
    if center is None or not request.user.has_perm("accounts.use_staff_site", center):
        raise PermissionDenied()
    return center


@login_required
def calendar_page(request):
    center = _user_center(request)
    years = selectors.configured_years(center=center)
    today = timezone.localdate()
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else today.year
    return render(request, "core/calendar.html", {
        "center": center, "year": year, "years": years, "today": today,
        "months": selectors.calendar_year(center=center, year=year),
        "configured": year in years,
        "can_edit": request.user.has_perm("accounts.keep_calendar", center),
        "day_form": CalendarDayForm(initial={"date": today}),
        "year_form": CalendarYearForm(initial={"year": (max(years) + 1) if years else today.year}),
    })


def _report(request, error: ValidationFailed) -> None:
    for field_messages in error.fields.values() or [[error.message]]:
        for message in field_messages:
            messages.error(request, message)


@login_required
@require_POST
def calendar_day_edit(request):
    center = _user_center(request)
    form = CalendarDayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a date and choose working or rest."))
        return redirect("core:calendar")
    try:
        row = services.calendar_day_set(center=center, day=form.cleaned_data["date"],
                                        is_working=form.cleaned_data["is_working"],
                                        note=form.cleaned_data["note"], by=request.user)
    except ValidationFailed as invalid:
        _report(request, invalid)
        return redirect("core:calendar")
    messages.success(request, _("{day} saved.").format(day=row.date))
    return redirect(f"{reverse('core:calendar')}?year={row.date.year}")


@login_required
@require_POST
def calendar_year_upload(request):
    center = _user_center(request)
    form = CalendarYearForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a year and an .xlsx file."))
        return redirect("core:calendar")
    year = form.cleaned_data["year"]
    try:
        days = parse_year(form.cleaned_data["file"], year)
        working = services.calendar_year_load(center=center, year=year, days=days,
                                              by=request.user)
    except ValidationFailed as invalid:
        _report(request, invalid)
        return redirect("core:calendar")
    messages.success(request, _("{year} loaded: {n} working days.").format(year=year, n=working))
    return redirect(f"{reverse('core:calendar')}?year={year}")


@login_required
def audit_page(request):
    center = _user_center(request)
    if not request.user.has_perm("accounts.view_auditlog", center):
        raise PermissionDenied()
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entries(center=None if request.user.is_superuser else center,
                                      **{k: v for k, v in filters.items() if v})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit.html", {"form": form, "page": page})
