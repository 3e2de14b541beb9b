"""Public front-of-hall pages: the kiosk, the display screen with its live stream, the
window-top LED page, the wait board and online booking."""

import asyncio
import json
import time
from datetime import timedelta

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.handlers.asgi import ASGIRequest
from django.db import close_old_connections
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from servicehall.core.errors import DomainError, NotFound

from . import selectors, services
from .choices import BookingChannel, TicketChannel
from .forms import BookingForm

TICKET_SALT = "frontdesk.ticket"
STREAM_INTERVAL = 0.5  # seconds between two looks at the database
HEARTBEAT_SECONDS = 15


def _center(code: str):
    try:
        return selectors.public_center(code=code)
    except NotFound as missing:
        raise Http404(missing.message) from missing


def ticket_token(ticket) -> str:
    return signing.dumps(ticket.pk, salt=TICKET_SALT)


# --- Kiosk ---------------------------------------------------------------------------------

def kiosk(request, center: str):
    the_center = _center(center)
    return render(request, "frontdesk/kiosk.html", {
        "center": the_center,
        "board": selectors.wait_board(center=the_center, day=timezone.localdate()),
    })


def _refused(request, center: str, error: DomainError):
    details = "; ".join(m for ms in error.fields.values() for m in ms)
    messages.error(request, f"{error.message} {details}".strip())
    return redirect("hall:kiosk", center=center)


@require_POST
def kiosk_take(request, center: str):
    the_center = _center(center)
    try:
        category = selectors.category(center=the_center, code=request.POST.get("category", ""))
        ticket = services.ticket_issue(category=category, channel=TicketChannel.KIOSK, by=None)
    except DomainError as refused:
        return _refused(request, center, refused)
    return redirect("hall:kiosk_ticket", center=center, token=ticket_token(ticket))


@require_POST
def kiosk_check_in(request, center: str):
    the_center = _center(center)
    try:
        appointment = selectors.appointment_by_reference(
            center=the_center, reference=request.POST.get("reference", ""))
        ticket = services.appointment_check_in(appointment=appointment, by=None)
    except NotFound:
        messages.error(request, _("No appointment has this reference; check it and try again."))
        return redirect("hall:kiosk", center=center)
    except DomainError as refused:
        return _refused(request, center, refused)
    return redirect("hall:kiosk_ticket", center=center, token=ticket_token(ticket))


def kiosk_ticket(request, center: str, token: str):
    the_center = _center(center)
    try:
        pk = signing.loads(token, salt=TICKET_SALT, max_age=24 * 3600)
    except signing.BadSignature as bad:
        raise Http404() from bad
    try:
        ticket = selectors.ticket_for_slip(center=the_center, pk=pk)
    except NotFound as missing:
        raise Http404() from missing
    ahead, estimate = selectors.ticket_wait(ticket=ticket)
    return render(request, "frontdesk/kiosk_ticket.html", {
        "center": the_center, "ticket": ticket, "ahead": ahead, "estimate": estimate,
    })


# --- Display screen, LED and the live stream ------------------------------------------------

def screen(request, center: str):
    the_center = _center(center)
    return render(request, "frontdesk/screen.html", {
        "center": the_center,
        "snapshot": selectors.display_snapshot(center=the_center, day=timezone.localdate()),
    })


def window_led(request, center: str, number: str):
    the_center = _center(center)
    try:
        window = selectors.public_window(center=the_center, number=number)
    except NotFound as missing:
        raise Http404() from missing
    current = selectors.ticket_at_window(window=window)
    return render(request, "frontdesk/window_led.html", {
        "center": the_center, "window": window, "current": current})


def _snapshot_json(center, last_signature=None) -> tuple[tuple, str | None]:
    """The display snapshot as JSON, or None when nothing changed since `last_signature`."""
    day = timezone.localdate()
    signature = selectors.display_signature(center=center, day=day)
    if signature == last_signature:
        return signature, None
    snapshot = selectors.display_snapshot(center=center, day=day)
    return signature, json.dumps(snapshot, ensure_ascii=False, sort_keys=True)


def _frame(data: str) -> str:
    return f"event: display\ndata: {data}\n\n"


def _sync_stream(center, lifetime: float):
    """One cheap look at the database every half second; the board is rebuilt and sent only
    when something changed. The stream ends after `lifetime` seconds and the browser
    reconnects (`retry`), so a worker thread is never held for long."""
    yield "retry: 1000\n\n"
    signature, last_sent = None, time.monotonic()
    deadline = time.monotonic() + lifetime
    try:
        while time.monotonic() < deadline:
            signature, data = _snapshot_json(center, signature)
            if data is not None:
                last_sent = time.monotonic()
                yield _frame(data)
            elif time.monotonic() - last_sent > HEARTBEAT_SECONDS:
                last_sent = time.monotonic()
                yield ": keep-alive\n\n"
            time.sleep(STREAM_INTERVAL)
    finally:
        close_old_connections()


async def _async_stream(center, lifetime: float):
    """The same stream for ASGI (uvicorn): the event loop is free between looks."""
    snapshot = sync_to_async(_snapshot_json, thread_sensitive=True)
    yield "retry: 1000\n\n"
    signature, last_sent = None, time.monotonic()
    deadline = time.monotonic() + lifetime
    while time.monotonic() < deadline:
        signature, data = await snapshot(center, signature)
        if data is not None:
            last_sent = time.monotonic()
            yield _frame(data)
        elif time.monotonic() - last_sent > HEARTBEAT_SECONDS:
            last_sent = time.monotonic()
            yield ": keep-alive\n\n"
        await asyncio.sleep(STREAM_INTERVAL)


def screen_events(request, center: str):
    """Server-Sent Events with the display snapshot, under WSGI and ASGI alike."""
    the_center = _center(center)
    lifetime = settings.FRONTDESK_STREAM_SECONDS
    stream = (_async_stream(the_center, lifetime) if isinstance(request, ASGIRequest)
              else _sync_stream(the_center, lifetime))
    response = StreamingHttpResponse(stream, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


# --- Wait board and booking ----------------------------------------------------------------

def wait_board(request, center: str):
    the_center = _center(center)
    return render(request, "frontdesk/wait.html", {
        "center": the_center,
        "board": selectors.wait_board(center=the_center, day=timezone.localdate()),
        "now": timezone.localtime(),
    })


def _bookable_days(center, category) -> list:
    today = timezone.localdate()
    horizon = selectors.hall_policy(center).booking_horizon_days
    return [day for day in (today + timedelta(days=n) for n in range(1, horizon + 1))
            if services.day_refusal(center=center, day=day, today=today) is None]


def _staff(request, center):
    """A member of staff booking for a caller on the phone, or None for the applicant."""
    user = request.user
    if user.is_authenticated and user.has_perm("frontdesk.book_appointment", center):
        return user
    return None


@require_http_methods(["GET", "POST"])
def book(request, center: str):
    the_center = _center(center)
    categories = list(selectors.categories(center=the_center).filter(is_bookable=True))
    chosen = next((c for c in categories if c.code == request.GET.get("category")), None)
    days = _bookable_days(the_center, chosen) if chosen else []
    day = next((d for d in days if d.isoformat() == request.GET.get("day")), None)
    slots, form = [], BookingForm(request.POST or None)
    if chosen and day:
        try:
            slots = list(services.slots_open(category=chosen, day=day))
        except DomainError as refused:
            messages.error(request, refused.message)
    if request.method == "POST" and chosen and day and form.is_valid():
        try:
            slot = selectors.slot(center=the_center, pk=form.cleaned_data["slot"])
            by = _staff(request, the_center)
            appointment = services.appointment_book(
                slot=slot, applicant_name=form.cleaned_data["applicant_name"],
                phone=form.cleaned_data["phone"], by=by,
                channel=BookingChannel.PHONE if by else BookingChannel.WEB)
        except DomainError as refused:
            for field, errors in refused.fields.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            if not refused.fields:
                form.add_error(None, refused.message)
        else:
            return redirect("hall:booked", center=center, reference=appointment.reference)
    return render(request, "frontdesk/book.html", {
        "center": the_center, "categories": categories, "chosen": chosen, "days": days,
        "day": day, "slots": slots, "form": form,
    }, status=400 if form.errors else 200)


def booked(request, center: str, reference: str):
    the_center = _center(center)
    try:
        appointment = selectors.appointment_by_reference(center=the_center, reference=reference)
    except NotFound as missing:
        raise Http404(missing.message) from missing
    return render(request, "frontdesk/booked.html", {"center": the_center,
                                                     "appointment": appointment})


@require_POST
def booked_cancel(request, center: str, reference: str):
    """The applicant cancels with the phone number the booking was made with."""
    the_center = _center(center)
    try:
        appointment = selectors.appointment_by_reference(center=the_center, reference=reference)
        if appointment.phone != request.POST.get("phone", "").strip():
            raise NotFound(_("The phone number does not match this booking."))
        services.appointment_cancel(appointment=appointment, by=None)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Your appointment is cancelled."))
    return redirect("hall:booked", center=center, reference=reference)


# --- Self-service terminal ------------------------------------------------------------------

def _looked_up_case(request, the_center, data):
    """The case of a self-service lookup, by the same rule and selector as the progress page
    (case number + last 6 characters of the ID number or credit code, one budget per address);
    (None, status) when refused."""
    from servicehall.cases.selectors import case_for_lookup
    from servicehall.cases.views_public import lookup_allowed

    if not lookup_allowed(request):
        return None, 429
    case = case_for_lookup(center=the_center, number=data.get("number", ""),
                           id_tail=data.get("id_tail", ""))
    return (case, 200) if case is not None else (None, 404)


@require_http_methods(["GET", "POST"])
def self_service(request, center: str):
    """Touch-friendly terminal: the service guide, a ticket, check-in, and the progress of a
    case by its number and the last 6 characters of the applicant's ID number or credit code,
    with a reprint of its receipt. The lookup posts, so nothing stays in the terminal's
    history."""
    the_center = _center(center)
    case, status = None, 200
    if request.method == "POST":
        case, status = _looked_up_case(request, the_center, request.POST)
    return render(request, "frontdesk/self_service.html", {
        "center": the_center, "case": case, "not_found": status == 404,
        "too_many": status == 429, "number": request.POST.get("number", ""),
        "id_tail": request.POST.get("id_tail", "") if case else "",
    }, status=status)


@require_POST
def self_service_receipt(request, center: str):
    """Reprint the notice of a case at the terminal: the same number and ID tail again."""
    from servicehall.cases.documents import notice_kind, notice_pdf

    the_center = _center(center)
    found, _status = _looked_up_case(request, the_center, request.POST)
    if found is None:
        raise Http404(_("No case matches this number and ID. Check both and try again."))
    case = selectors.case_for_receipt(pk=found.pk)  # the notice needs every field
    kind = notice_kind(case)
    pdf = notice_pdf(case, kind=kind,
                     progress_url=request.build_absolute_uri(f"/progress/{case.number}/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.number}-{kind}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
