"""The front-of-hall API: public endpoints for the web ticket, the wait board, the voice device
and online booking; staff endpoints for the guide desk and the windows."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from servicehall.cases.models import Case
from servicehall.core.errors import NotFound, ValidationFailed

from . import selectors, services
from .choices import BookingChannel, Priority, TicketChannel, TicketStatus

router = Router(tags=["frontdesk"])


class TicketOut(Schema):
    id: int
    number: str
    category: str
    priority: str
    status: str
    status_label: str
    window: str | None
    issued_at: datetime
    called_at: datetime | None
    call_count: int


class WaitOut(Schema):
    code: str
    name: str
    prefix: str
    waiting: int
    estimated_minutes: int | None


class CallOut(Schema):
    id: int
    number: str
    window: str
    at: str
    announcement: str


class DisplayOut(Schema):
    calls: list[CallOut]
    categories: list[WaitOut]


class WebTicketIn(Schema):
    category: str = Field(..., max_length=20)
    phone: str = Field("", max_length=20)


class DeskTicketIn(WebTicketIn):
    priority: Priority = Priority.REGULAR


class TransferIn(Schema):
    window_id: int | None = None
    category: str | None = None


class FinishIn(Schema):
    case_numbers: list[str] = []


class SlotOut(Schema):
    id: int
    day: date
    start: str
    end: str
    capacity: int
    booked: int


class BookIn(Schema):
    slot_id: int
    applicant_name: str = Field(..., max_length=50)
    phone: str = Field(..., max_length=20)


class PhoneIn(Schema):
    phone: str = Field(..., max_length=20)


class ChangeIn(Schema):
    slot_id: int


class AppointmentOut(Schema):
    reference: str
    status: str
    day: date
    start: str
    end: str
    category: str
    ticket: str | None


STATUS_LABELS = dict(TicketStatus.choices)  # lazy labels: translated when str() is taken


def _ticket_out(ticket) -> dict:
    """What get_status_display() gives (an unknown status shows as itself), without building
    the field's choices dict on every response."""
    return {"id": ticket.pk, "number": ticket.number, "category": ticket.category.code,
            "priority": ticket.priority, "status": ticket.status,
            "status_label": str(STATUS_LABELS.get(ticket.status, ticket.status)),
            "window": ticket.window.number if ticket.window_id else None,
            "issued_at": ticket.issued_at, "called_at": ticket.called_at,
            "call_count": ticket.call_count}


def _slot_out(slot) -> dict:
    return {"id": slot.pk, "day": slot.day, "start": f"{slot.start:%H:%M}",
            "end": f"{slot.end:%H:%M}", "capacity": slot.capacity, "booked": slot.booked}


def _appointment_out(appointment) -> dict:
    slot = appointment.slot
    return {"reference": appointment.reference, "status": appointment.status, "day": slot.day,
            "start": f"{slot.start:%H:%M}", "end": f"{slot.end:%H:%M}",
            "category": slot.category.code,
            "ticket": appointment.ticket.number if appointment.ticket_id else None}


# --- Public --------------------------------------------------------------------------------

@router.get("/halls/{center}/waiting", response=list[WaitOut], auth=None,
            summary="People waiting and estimated wait per category")
def waiting(request, center: str):
    the_center = selectors.public_center(code=center)
    return selectors.wait_board(center=the_center, day=_today())


@router.get("/halls/{center}/display", response=DisplayOut, auth=None,
            summary="What the display screen shows")
def display(request, center: str):
    the_center = selectors.public_center(code=center)
    return selectors.display_snapshot(center=the_center, day=_today())


@router.get("/halls/{center}/announcements", response=list[CallOut], auth=None,
            summary="Calls to announce, newest first (for a voice device)")
def announcements(request, center: str, after: int = Query(0, ge=0)):
    """Poll with `after` = the last id you announced; each call carries its sentence."""
    the_center = selectors.public_center(code=center)
    return selectors.recent_calls(center=the_center, after_id=after)


@router.post("/halls/{center}/tickets", response={201: TicketOut}, auth=None,
             summary="Take a ticket online (regular queue)")
def take_ticket(request, center: str, payload: WebTicketIn):
    category = selectors.public_category(center_code=center, code=payload.category)
    ticket = services.ticket_issue(category=category, channel=TicketChannel.WEB,
                                   phone=payload.phone, by=None)
    # The fields come from the ticket just stored, already of the schema's types; Ninja hands
    # an instance of the response schema on without validating it again.
    return Status(201, TicketOut.model_construct(**_ticket_out(ticket)))


@router.get("/halls/{center}/slots", response=list[SlotOut], auth=None,
            summary="Appointment slots of a category on a day")
def slots(request, center: str, category: str, day: date):
    the_center = selectors.public_center(code=center)
    the_category = selectors.category(center=the_center, code=category)
    return [_slot_out(s) for s in services.slots_open(category=the_category, day=day)]


@router.post("/halls/{center}/appointments", response={201: AppointmentOut}, auth=None,
             summary="Book an appointment")
def book(request, center: str, payload: BookIn):
    the_center = selectors.public_center(code=center)
    appointment = services.appointment_book(
        slot=selectors.slot(center=the_center, pk=payload.slot_id),
        applicant_name=payload.applicant_name, phone=payload.phone, by=None,
        channel=BookingChannel.WEB)
    return Status(201, _appointment_out(appointment))


@router.post("/halls/{center}/appointments/{reference}/cancel", response=AppointmentOut,
             auth=None, summary="Cancel your appointment (with the phone it was booked with)")
def cancel_own(request, center: str, reference: str, payload: PhoneIn):
    the_center = selectors.public_center(code=center)
    appointment = selectors.appointment_by_reference(center=the_center, reference=reference)
    if appointment.phone != payload.phone.strip():
        raise NotFound()
    return _appointment_out(services.appointment_cancel(appointment=appointment, by=None))


# --- Staff ---------------------------------------------------------------------------------

def _today() -> date:
    return timezone.localdate()


def _ticket(request, pk: int):
    return selectors.ticket_for_staff(user=request.user, pk=pk)


@router.get("/tickets", response=list[TicketOut], summary="Today's tickets of your hall")
def list_tickets(request, status: TicketStatus | None = None, day: date | None = None,
                 limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0)):
    tickets = selectors.tickets_for_staff(user=request.user, day=day or _today(),
                                          status=status or "")
    return [_ticket_out(t) for t in tickets[offset:offset + limit]]


@router.post("/tickets", response={201: TicketOut}, summary="Issue a ticket at the guide desk")
def issue_ticket(request, payload: DeskTicketIn):
    if request.user.center is None:
        raise NotFound()
    category = selectors.category(center=request.user.center, code=payload.category)
    ticket = services.ticket_issue(category=category, channel=TicketChannel.GUIDE_DESK,
                                   priority=payload.priority, phone=payload.phone,
                                   by=request.user)
    return Status(201, _ticket_out(ticket))


@router.post("/windows/{window_id}/call-next", response=TicketOut,
             summary="Call the next ticket to a window")
def call_next(request, window_id: int):
    window = selectors.window_for_staff(user=request.user, pk=window_id)
    return _ticket_out(services.ticket_call_next(window=window, by=request.user))


@router.post("/tickets/{pk}/recall", response=TicketOut)
def recall(request, pk: int):
    return _ticket_out(services.ticket_recall(ticket=_ticket(request, pk), by=request.user))


@router.post("/tickets/{pk}/no-show", response=TicketOut)
def no_show(request, pk: int):
    return _ticket_out(services.ticket_no_show(ticket=_ticket(request, pk), by=request.user))


@router.post("/tickets/{pk}/requeue", response=TicketOut)
def requeue(request, pk: int):
    return _ticket_out(services.ticket_requeue(ticket=_ticket(request, pk), by=request.user))


@router.post("/tickets/{pk}/start", response=TicketOut)
def start(request, pk: int):
    return _ticket_out(services.ticket_start(ticket=_ticket(request, pk), by=request.user))


@router.post("/tickets/{pk}/finish", response=TicketOut)
def finish(request, pk: int, payload: FinishIn):
    ticket = _ticket(request, pk)
    cases = list(Case.objects.filter(center_id=ticket.center_id,
                                     number__in=payload.case_numbers))
    unknown = set(payload.case_numbers) - {c.number for c in cases}
    if unknown:
        raise ValidationFailed(fields={"case_numbers": [
            _("Unknown case numbers: {numbers}.").format(numbers=", ".join(sorted(unknown)))]})
    return _ticket_out(services.ticket_finish(ticket=ticket, cases=cases, by=request.user))


@router.post("/tickets/{pk}/transfer", response=TicketOut)
def transfer(request, pk: int, payload: TransferIn):
    ticket = _ticket(request, pk)
    window = (selectors.window_for_staff(user=request.user, pk=payload.window_id)
              if payload.window_id else None)
    category = (selectors.category(center=ticket.center, code=payload.category)
                if payload.category else None)
    return _ticket_out(services.ticket_transfer(ticket=ticket, window=window, category=category,
                                                by=request.user))


@router.get("/appointments", response=list[AppointmentOut], summary="Appointments of a day")
def list_appointments(request, day: date | None = None):
    return [_appointment_out(a)
            for a in selectors.appointments_for_staff(user=request.user, day=day or _today())]


@router.post("/appointments/{reference}/check-in", response=TicketOut,
             summary="Check an appointment in: a priority ticket")
def check_in(request, reference: str):
    if request.user.center is None:
        raise NotFound()
    appointment = selectors.appointment_by_reference(center=request.user.center,
                                                     reference=reference)
    return _ticket_out(services.appointment_check_in(appointment=appointment, by=request.user))


def _appointment(request, reference: str):
    if request.user.center is None:
        raise NotFound()
    return selectors.appointment_by_reference(center=request.user.center, reference=reference)


@router.post("/appointments/{reference}/cancel", response=AppointmentOut,
             summary="Cancel an appointment (staff, e.g. on the phone)")
def cancel(request, reference: str):
    return _appointment_out(services.appointment_cancel(
        appointment=_appointment(request, reference), by=request.user))


@router.post("/appointments/{reference}/change", response=AppointmentOut,
             summary="Move an appointment to another slot")
def change(request, reference: str, payload: ChangeIn):
    appointment = _appointment(request, reference)
    slot = selectors.slot(center=appointment.center, pk=payload.slot_id)
    return _appointment_out(services.appointment_change(appointment=appointment, slot=slot,
                                                        by=request.user))
