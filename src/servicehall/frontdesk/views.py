"""Staff front-of-hall pages: the guide desk (issue tickets, check appointments in, watch the
queues), the window console (call, recall, serve, transfer) and the day's appointments."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from servicehall.cases.models import Case
from servicehall.core.errors import DomainError, NotFound, ValidationFailed

from . import figures, selectors, services
from .choices import ConsultationChannel, ServiceKind, TicketChannel, TicketStatus
from .forms import ConsultationForm, DeskTicketForm, FinishForm, ServiceRecordForm

TICKETS_SHOWN = 200
WEEKDAYS = [gettext_lazy("Mon"), gettext_lazy("Tue"), gettext_lazy("Wed"), gettext_lazy("Thu"),
            gettext_lazy("Fri"), gettext_lazy("Sat"), gettext_lazy("Sun")]
SESSION_WINDOW = "frontdesk_window"


def _center(request):
    center = request.user.center
    if center is None or not request.user.has_perm("frontdesk.view_hall", center):
        raise DjangoPermissionDenied
    return center


def _show_refusal(request, refused: DomainError) -> None:
    details = "; ".join(m for ms in refused.fields.values() for m in ms)
    messages.error(request, f"{refused.message} {details}".strip())


@login_required
def desk(request):
    center = _center(request)
    today = timezone.localdate()
    status = request.GET.get("status", "")
    tickets = selectors.tickets_for_staff(user=request.user, day=today, status=status)
    board = selectors.wait_board(center=center, day=today)
    thresholds = {c.code: c.backup_threshold for c in selectors.categories(center=center)}
    alerts = [row for row in board if thresholds.get(row["code"]) is not None
              and row["waiting"] >= thresholds[row["code"]]]
    return render(request, "frontdesk/desk.html", {
        "center": center, "tickets": tickets[:TICKETS_SHOWN], "board": board, "alerts": alerts,
        "status": status, "statuses": TicketStatus.choices, "form": DeskTicketForm(),
        "categories": selectors.categories(center=center), "today": today,
    })


@login_required
@require_POST
def desk_issue(request):
    center = _center(request)
    form = DeskTicketForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a category and a priority."))
        return redirect("frontdesk:desk")
    try:
        category = selectors.category(center=center, code=form.cleaned_data["category"])
        ticket = services.ticket_issue(category=category, channel=TicketChannel.GUIDE_DESK,
                                       priority=form.cleaned_data["priority"],
                                       phone=form.cleaned_data["phone"], by=request.user)
    except DomainError as refused:
        _show_refusal(request, refused)
    else:
        messages.success(request, _("Ticket {number} issued.").format(number=ticket.number))
    return redirect("frontdesk:desk")


@login_required
@require_POST
def desk_check_in(request):
    center = _center(request)
    reference = request.POST.get("reference", "")
    try:
        appointment = selectors.appointment_by_reference(center=center, reference=reference)
        ticket = services.appointment_check_in(appointment=appointment, by=request.user)
    except NotFound:
        messages.error(request, _("No appointment has this reference; check it and try again."))
    except DomainError as refused:
        _show_refusal(request, refused)
    else:
        messages.success(request, _("Checked in: ticket {number}.").format(number=ticket.number))
    next_page = request.POST.get("next", "")
    return redirect("frontdesk:appointments" if next_page == "appointments" else "frontdesk:desk")


def _chosen_window(request):
    windows = list(selectors.windows_for_calling(user=request.user))
    wanted = request.GET.get("window") or request.session.get(SESSION_WINDOW)
    window = next((w for w in windows if str(w.pk) == str(wanted)), None)
    if window is not None:
        request.session[SESSION_WINDOW] = window.pk
    return windows, window


@login_required
def window_console(request):
    center = _center(request)
    windows, window = _chosen_window(request)
    current = selectors.ticket_at_window(window=window) if window else None
    today = timezone.localdate()
    return render(request, "frontdesk/window.html", {
        "center": center, "windows": windows, "window": window, "current": current,
        "board": selectors.wait_board(center=center, day=today),
        "categories": selectors.categories(center=center),
        "no_show_calls": selectors.hall_policy(center).no_show_calls,
        "finish_form": FinishForm(),
        "returned": selectors.tickets_for_staff(user=request.user, day=today,
                                                status=TicketStatus.NO_SHOW)[:20],
    })


@login_required
@require_POST
def window_call(request, window_id: int):
    try:
        window = selectors.window_for_staff(user=request.user, pk=window_id)
        ticket = services.ticket_call_next(window=window, by=request.user)
    except DomainError as refused:
        _show_refusal(request, refused)
    else:
        messages.success(request, ticket.calls.order_by("-pk").first().announcement)
    return redirect(f"{_console_url()}?window={window_id}")


def _console_url() -> str:
    return reverse("frontdesk:window")


def _next(request) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return _console_url()


def _cases(ticket, numbers: list[str]) -> list[Case]:
    cases = list(Case.objects.filter(center_id=ticket.center_id, number__in=numbers))
    unknown = set(numbers) - {c.number for c in cases}
    if unknown:
        raise ValidationFailed(fields={"case_numbers": [
            _("Unknown case numbers: {numbers}.").format(numbers=", ".join(sorted(unknown)))]})
    return cases


def _transfer(request, ticket):
    target = request.POST.get("target", "")
    kind, _sep, value = target.partition(":")
    if kind == "window" and value.isdigit():
        window = selectors.window_for_staff(user=request.user, pk=int(value))
        return services.ticket_transfer(ticket=ticket, window=window, by=request.user)
    if kind == "category":
        category = selectors.category(center=ticket.center, code=value)
        return services.ticket_transfer(ticket=ticket, category=category, by=request.user)
    raise ValidationFailed(fields={"target": [_("Choose either a window or a category.")]})


def _finish(request, ticket):
    form = FinishForm(request.POST)
    form.is_valid()
    return services.ticket_finish(ticket=ticket, cases=_cases(ticket, form.numbers()),
                                  by=request.user)


TICKET_ACTIONS = {
    "recall": lambda request, t: services.ticket_recall(ticket=t, by=request.user),
    "start": lambda request, t: services.ticket_start(ticket=t, by=request.user),
    "no_show": lambda request, t: services.ticket_no_show(ticket=t, by=request.user),
    "requeue": lambda request, t: services.ticket_requeue(ticket=t, by=request.user),
    "finish": _finish,
    "transfer": _transfer,
}


@login_required
@require_POST
def ticket_act(request, pk: int, action: str):
    run = TICKET_ACTIONS.get(action)
    if run is None:
        raise Http404()
    try:
        ticket = selectors.ticket_for_staff(user=request.user, pk=pk)
        ticket = run(request, ticket)
    except DomainError as refused:
        _show_refusal(request, refused)
    else:
        messages.success(request, _("Ticket {number}: {status}.").format(
            number=ticket.number, status=ticket.get_status_display()))
    return redirect(_next(request))


@login_required
def appointments(request):
    _center(request)
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    return render(request, "frontdesk/appointments.html", {
        "day": day, "appointments": selectors.appointments_for_staff(user=request.user, day=day),
        "today": timezone.localdate(),
    })


def _day(value: str, default: date) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return default


@login_required
def statistics(request):
    _center(request)
    today = timezone.localdate()
    last = _day(request.GET.get("to", ""), today)
    first = _day(request.GET.get("from", ""), last - timedelta(days=29))
    if first > last:
        first, last = last, first
    result = figures.summarize(selectors.ticket_rows(user=request.user, first=first, last=last),
                               today=today)
    return render(request, "frontdesk/statistics.html", {
        "first": first, "last": last, "figures": result,
        "busiest": figures.busiest_hours(result),
        "hours": list(figures.HOURS),
        "heat_rows": [(WEEKDAYS[d], [(n, f"{n / result.heat_max:.2f}" if result.heat_max
                                      else "0.00") for n in result.heat[d]]) for d in range(7)],
    })


def _save_form(request, form, save) -> bool:
    """Run `save(cleaned_data)`; a refusal lands on the form's fields. True when saved."""
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except DomainError as refused:
        for field, errors in refused.fields.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        if not refused.fields:
            form.add_error(None, refused.message)
        return False
    return True


@login_required
def hall_services(request):
    """The guide desk's consultation log (首问负责) and the records of the extended,
    door-to-door, Saturday-duty and staggered services, with their statistics."""
    center = _center(request)
    today = timezone.localdate()
    last = _day(request.GET.get("to", ""), today)
    first = _day(request.GET.get("from", ""), last.replace(day=1))
    posted = request.POST.get("form") if request.method == "POST" else None
    consultation = ConsultationForm(request.POST if posted == "consultation" else None,
                                    center=center, prefix="c")
    record = ServiceRecordForm(request.POST if posted == "record" else None, center=center,
                               prefix="r", initial={"day": today})
    if posted == "consultation" and _save_form(request, consultation, lambda d: (
            services.consultation_log(center=center, by=request.user, **d))):
        messages.success(request, _("Consultation logged."))
        return redirect("frontdesk:services")
    if posted == "record" and _save_form(request, record, lambda d: (
            services.service_record_add(center=center, by=request.user, **d))):
        messages.success(request, _("Service recorded."))
        return redirect("frontdesk:services")
    totals = selectors.hall_totals(center=center, first=first, last=last)
    by_channel = selectors.consultations_by_channel(user=request.user, first=first, last=last)
    return render(request, "frontdesk/services.html", {
        "first": first, "last": last, "consultation_form": consultation, "record_form": record,
        "channels": [(label, by_channel.get(value, 0))
                     for value, label in ConsultationChannel.choices],
        "consultations_total": sum(by_channel.values()),
        "service_figures": [(ServiceKind(f.kind).label, f) for f in figures.service_figures(
            selectors.service_rows(user=request.user, first=first, last=last),
            kinds=ServiceKind.values, departments_total=totals["departments"],
            cases_total=totals["cases"], working_days=totals["working_days"])],
        "totals": totals,
        "consultations": selectors.recent_consultations(user=request.user),
        "records": selectors.recent_service_records(user=request.user),
    }, status=400 if consultation.errors or record.errors else 200)
