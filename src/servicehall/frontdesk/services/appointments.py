"""Appointments: slots per working day (and service Saturdays), book / change / cancel with the
slot row locked so capacity is never oversold, the reminder the day before, check-in on the
day as a priority ticket, and no-shows that limit booking."""

import re
import secrets
from datetime import date, datetime, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from servicehall.core import audit
from servicehall.core.audited import audited_service
from servicehall.core.calendar import calendar_for
from servicehall.core.choices import MessageChannel
from servicehall.core.counters import bump
from servicehall.core.errors import Conflict, ValidationFailed
from servicehall.core.models import Center
from servicehall.core.outbox import enqueue
from servicehall.core.permissions import require_perm
from servicehall.core.workcalendar import CalendarNotConfigured

from .. import selectors, slots
from ..choices import AppointmentStatus, BookingChannel, Priority, TicketChannel
from ..models import Appointment, AppointmentSlot, BookingDay, Category, SaturdayService
from .tickets import ticket_issue

MOBILE = re.compile(r"^1[3-9]\d{9}$")
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
SATURDAY = 5


class CapacityFull(Conflict):
    code = "capacity_full"


class AppointmentStateError(Conflict):
    code = "invalid_state"


def _is_working_day(center: Center, day: date) -> bool:
    try:
        return calendar_for(center).is_working_day(day)
    except CalendarNotConfigured:
        return False


def _is_saturday_service(center: Center, day: date) -> bool:
    return (day.weekday() == SATURDAY
            and SaturdayService.objects.filter(center=center, day=day).exists())


def day_refusal(*, center: Center, day: date, today: date) -> str | None:
    """A Chinese sentence saying why `day` cannot be booked, or None when it can."""
    policy = selectors.hall_policy(center)
    working = _is_working_day(center, day)
    reason = slots.booking_refusal(day, today=today, horizon_days=policy.booking_horizon_days,
                                   is_working_day=working,
                                   is_saturday_service=not working
                                   and _is_saturday_service(center, day))
    messages = {
        slots.PAST: _("Appointments are made from tomorrow on."),
        slots.BEYOND_HORIZON: _("Appointments can be made at most {days} days ahead.").format(
            days=policy.booking_horizon_days),
        slots.CLOSED: _("The hall does not take appointments on {day}: it is not a working "
                        "day.").format(day=day.isoformat()),
    }
    return messages.get(reason) if reason else None


def _periods(center: Center, day: date) -> list[slots.Period]:
    policy = selectors.hall_policy(center)
    rows = policy.booking_periods if _is_working_day(center, day) else policy.saturday_periods
    return [slots.Period.parse(start, end) for start, end in rows]


def slots_open(*, category: Category, day: date, today: date | None = None):
    """The slots of `day` for `category`, created on first look; a day that cannot be booked
    is refused with the reason."""
    today = today or timezone.localdate()
    refusal = day_refusal(center=category.center, day=day, today=today)
    if refusal:
        raise ValidationFailed(refusal, code="day_not_bookable", fields={"day": [refusal]})
    if not category.is_bookable:
        raise ValidationFailed(fields={"category": [_("This category takes no appointments.")]})
    specs = slots.day_slots(_periods(category.center, day), minutes=category.slot_minutes,
                            capacity=category.slot_capacity)
    AppointmentSlot.objects.bulk_create(
        [AppointmentSlot(center=category.center, category=category, day=day, start=s.start,
                         end=s.end, capacity=s.capacity) for s in specs],
        ignore_conflicts=True)
    return selectors.open_slots(category=category, day=day)


def _checked_applicant(name: str, phone: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    name, phone = name.strip(), re.sub(r"\s|-", "", phone)
    if not name:
        errors["applicant_name"] = [_("Enter the applicant's name.")]
    if not MOBILE.match(phone):
        errors["phone"] = [_("Enter an 11-digit mobile phone number.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return name, phone


def _new_reference() -> str:
    while True:
        reference = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        if not Appointment.objects.filter(reference=reference).exists():
            return reference


def _count_day(category_id: int, day: date, step: int) -> int:
    """Add `step` to the category's places of the day; the row stays locked until the
    transaction ends. Returns the new count."""
    return bump(BookingDay, key={"category_id": category_id, "day": day}, column="booked",
                by=step)


def _take_place(slot: AppointmentSlot, *, today: date, same_day: bool = False) -> AppointmentSlot:
    """Count one more booking of the day, then lock the slot row and count it there; refuse a
    full day, a full slot or a closed day. The error rolls both counts back. A move within
    the same day (`same_day`) keeps its place of the day."""
    category = Category.objects.only("daily_capacity", "name").get(pk=slot.category_id)
    day_count = _count_day(category.pk, slot.day, 0 if same_day else 1)
    slot = (AppointmentSlot.objects.select_for_update(of=("self",))
            .select_related("category", "center").get(pk=slot.pk))
    refusal = day_refusal(center=slot.center, day=slot.day, today=today)
    if refusal:
        raise ValidationFailed(refusal, code="day_not_bookable", fields={"slot": [refusal]})
    if category.daily_capacity is not None and day_count > category.daily_capacity:
        raise CapacityFull(_("“{category}” is fully booked on {day}; choose another day.")
                           .format(category=category.name,
                                   day=formats.date_format(slot.day, "DATE_FORMAT")))
    if slot.booked >= slot.capacity:
        raise CapacityFull(_("The slot {slot} is fully booked; choose another time.").format(
            slot=str(slot)))
    slot.booked += 1
    slot.save(update_fields=["booked"])
    return slot


def _release_place(slot: AppointmentSlot, *, same_day: bool = False) -> None:
    if not same_day:
        _count_day(slot.category_id, slot.day, -1)
    slot = AppointmentSlot.objects.select_for_update().get(pk=slot.pk)
    slot.booked -= 1
    slot.save(update_fields=["booked"])


def _when(slot: AppointmentSlot) -> str:
    return "{day} {start}–{end}".format(day=formats.date_format(slot.day, "DATE_FORMAT"),
                                        start=f"{slot.start:%H:%M}", end=f"{slot.end:%H:%M}")


def _sms(appointment: Appointment, body: str, event: str) -> None:
    enqueue(center=appointment.center, channel=MessageChannel.SMS, recipient=appointment.phone,
            body=body, event=event, obj=appointment)


@audited_service("frontdesk.appointment_book")
def appointment_book(*, slot: AppointmentSlot, applicant_name: str, phone: str, by,
                     channel: str = BookingChannel.WEB, item=None,
                     today: date | None = None) -> Appointment:
    today = today or timezone.localdate()
    if by is not None:
        require_perm(by, "frontdesk.book_appointment", slot)
    name, phone = _checked_applicant(applicant_name, phone)
    policy = selectors.hall_policy(slot.center)
    missed = selectors.missed_appointments(
        center=slot.center, phone=phone, since=today - timedelta(days=policy.no_show_window_days))
    if missed >= policy.no_show_limit:
        raise ValidationFailed(_("This phone number missed {count} appointments recently; "
                                 "please take a ticket at the hall instead.").format(count=missed),
                               code="booking_limited")
    if Appointment.objects.filter(slot__category_id=slot.category_id, slot__day=slot.day,
                                  phone=phone, status=AppointmentStatus.BOOKED).exists():
        raise Conflict(_("This phone number already has an appointment for this business on "
                         "that day."), code="already_booked")
    slot = _take_place(slot, today=today)
    appointment = Appointment.objects.create(
        center=slot.center, slot=slot, reference=_new_reference(), applicant_name=name,
        phone=phone, item=item, channel=channel,
        booked_by=by if by is not None and by.is_authenticated else None)
    audit.record("frontdesk.appointment_booked", obj=appointment, by=by, changes={
        "slot": [None, str(slot)], "category": [None, slot.category.name]})
    _sms(appointment, _("Your appointment for “{category}” at {when} is booked, reference "
                        "{reference}. Please check in at the hall with the reference.").format(
        category=slot.category.name, when=_when(slot), reference=appointment.reference),
        "appointment_booked")
    return appointment


def _locked(appointment: Appointment, *, allowed) -> Appointment:
    appointment = Appointment.objects.select_for_update(of=("self",)).select_related(
        "slot", "slot__category", "center").get(pk=appointment.pk)
    if appointment.status not in allowed:
        raise AppointmentStateError(_("Appointment {reference} is “{status}”; this cannot be "
                                      "done now.").format(reference=appointment.reference,
                                                          status=appointment.get_status_display()))
    return appointment


@audited_service("frontdesk.appointment_cancel")
def appointment_cancel(*, appointment: Appointment, by) -> Appointment:
    appointment = _locked(appointment, allowed={AppointmentStatus.BOOKED})
    if by is not None:
        require_perm(by, "frontdesk.book_appointment", appointment)
    _release_place(appointment.slot)
    appointment.status = AppointmentStatus.CANCELLED
    appointment.save(update_fields=["status"])
    audit.record("frontdesk.appointment_cancelled", obj=appointment, by=by,
                 changes={"status": ["booked", "cancelled"]})
    return appointment


@audited_service("frontdesk.appointment_change")
def appointment_change(*, appointment: Appointment, slot: AppointmentSlot, by,
                       today: date | None = None) -> Appointment:
    """Move a booking to another slot: the new place is taken before the old one is given
    back, in one transaction, so a full slot leaves the booking where it was."""
    appointment = _locked(appointment, allowed={AppointmentStatus.BOOKED})
    if by is not None:
        require_perm(by, "frontdesk.book_appointment", appointment)
    if slot.pk == appointment.slot_id:
        return appointment
    if slot.center_id != appointment.center_id:
        raise ValidationFailed(fields={"slot": [_("Choose a slot of this hall.")]})
    old = appointment.slot
    same_day = (slot.category_id, slot.day) == (old.category_id, old.day)
    new = _take_place(slot, today=today or timezone.localdate(), same_day=same_day)
    _release_place(old, same_day=same_day)
    appointment.slot = new
    appointment.reminded_at = None
    appointment.save(update_fields=["slot", "reminded_at"])
    audit.record("frontdesk.appointment_changed", obj=appointment, by=by,
                 changes={"slot": [str(old), str(new)]})
    _sms(appointment, _("Your appointment {reference} is moved to {when}.").format(
        reference=appointment.reference, when=_when(new)), "appointment_changed")
    return appointment


@audited_service("frontdesk.appointment_check_in")
def appointment_check_in(*, appointment: Appointment, by, now: datetime | None = None):
    """On the day of the appointment: a priority ticket in the appointment's category."""
    appointment = _locked(appointment, allowed={AppointmentStatus.BOOKED})
    if by is not None:
        require_perm(by, "frontdesk.issue_ticket", appointment)
    now = now or timezone.now()
    if appointment.slot.day != timezone.localdate(now):
        raise AppointmentStateError(_("Appointment {reference} is for {day}; check in on that "
                                      "day.").format(reference=appointment.reference,
                                                     day=appointment.slot.day.isoformat()))
    ticket = ticket_issue(category=appointment.slot.category, channel=TicketChannel.APPOINTMENT,
                          priority=Priority.APPOINTMENT, phone=appointment.phone, by=by, now=now)
    appointment.status = AppointmentStatus.CHECKED_IN
    appointment.ticket = ticket
    appointment.save(update_fields=["status", "ticket"])
    audit.record("frontdesk.appointment_checked_in", obj=appointment, by=by,
                 changes={"status": ["booked", "checked_in"], "ticket": [None, ticket.number]})
    return ticket


@audited_service("frontdesk.appointments_remind")
def appointments_remind(*, day: date, by=None) -> int:
    """The SMS reminder for every booking of `day` not reminded yet (run the day before)."""
    due = list(Appointment.objects.select_for_update(of=("self",)).filter(
        slot__day=day, status=AppointmentStatus.BOOKED, reminded_at__isnull=True)
        .select_related("slot", "slot__category", "center"))
    now = timezone.now()
    for appointment in due:
        _sms(appointment, _("Reminder: your appointment {reference} for “{category}” is at "
                            "{when}.").format(reference=appointment.reference,
                                              category=appointment.slot.category.name,
                                              when=_when(appointment.slot)),
             "appointment_reminder")
    Appointment.objects.filter(pk__in=[a.pk for a in due]).update(reminded_at=now)
    if due:
        audit.record("frontdesk.appointments_reminded", by=by, center=due[0].center,
                     message=str(len(due)))
    return len(due)


@audited_service("frontdesk.appointments_mark_no_show")
def appointments_mark_no_show(*, day: date, by=None) -> int:
    """Bookings of a past day nobody checked in for become no-shows."""
    if day >= timezone.localdate():
        raise ValidationFailed(_("Only days that are over can be closed."))
    missed = Appointment.objects.select_for_update().filter(
        slot__day=day, status=AppointmentStatus.BOOKED)
    ids = list(missed.values_list("pk", flat=True))
    Appointment.objects.filter(pk__in=ids).update(status=AppointmentStatus.NO_SHOW)
    if ids:
        audit.record("frontdesk.appointments_no_show_marked", by=by, message=str(len(ids)))
    return len(ids)
