"""Appointments through the services: capacity never oversold, horizon and calendar,
changes, check-in as a priority ticket, no-shows that limit booking, reminders."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from servicehall.core.errors import Conflict, ValidationFailed
from servicehall.core.models import OutboxMessage
from servicehall.frontdesk import services
from servicehall.frontdesk.models import Appointment, AppointmentSlot, BookingDay, HallPolicy
from servicehall.frontdesk.services import CapacityFull

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)  # a Monday
TUESDAY = date(2026, 11, 24)
SATURDAY = date(2026, 11, 28)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def first_slot(cat_a):
    return services.slots_open(category=cat_a, day=TUESDAY, today=TODAY).first()


def book(slot, phone="13800138000", name="孙丽", **kwargs):
    kwargs.setdefault("by", None)
    kwargs.setdefault("today", TODAY)
    return services.appointment_book(slot=slot, applicant_name=name, phone=phone, **kwargs)


def test_a_working_day_gets_slots_over_the_opening_hours(cat_a):
    slots = list(services.slots_open(category=cat_a, day=TUESDAY, today=TODAY))
    assert slots[0].start == time(9) and slots[-1].end == time(17, 30)
    assert len(slots) == 6 + 8 and {s.capacity for s in slots} == {2}
    assert services.slots_open(category=cat_a, day=TUESDAY, today=TODAY).count() == 14


def test_booking_takes_a_place_and_sends_a_confirmation(first_slot):
    appointment = book(first_slot)
    first_slot.refresh_from_db()
    assert first_slot.booked == 1 and appointment.status == "booked"
    sms = OutboxMessage.objects.get(event="appointment_booked")
    assert appointment.reference in sms.body and sms.recipient == "13800138000"


def test_a_full_slot_refuses_and_writes_nothing(first_slot):
    book(first_slot, phone="13800138001")
    book(first_slot, phone="13800138002")
    with pytest.raises(CapacityFull) as full:
        book(first_slot, phone="13800138003")
    assert "约满" in full.value.message
    first_slot.refresh_from_db()
    assert first_slot.booked == 2 and Appointment.objects.count() == 2
    assert OutboxMessage.objects.filter(recipient="13800138003").count() == 0


def test_the_database_refuses_an_oversold_slot_even_without_the_service(first_slot):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentSlot.objects.filter(pk=first_slot.pk).update(booked=3)


def test_a_day_beyond_the_horizon_is_refused_with_the_horizon(cat_a):
    with pytest.raises(ValidationFailed) as refused:
        services.slots_open(category=cat_a, day=date(2026, 12, 2), today=TODAY)
    assert refused.value.code == "day_not_bookable" and "7" in refused.value.message


def test_a_rest_day_is_refused_unless_it_is_a_service_saturday(cat_a):
    with pytest.raises(ValidationFailed) as refused:
        services.slots_open(category=cat_a, day=SATURDAY, today=TODAY)
    assert "不是工作日" in refused.value.message
    services.saturday_service_add(center=cat_a.center, day=SATURDAY, by=None)
    slots = list(services.slots_open(category=cat_a, day=SATURDAY, today=TODAY))
    assert slots[0].start == time(9) and slots[-1].end == time(12)


def test_a_bad_phone_number_is_a_field_error(first_slot):
    with pytest.raises(ValidationFailed) as refused:
        book(first_slot, phone="12345")
    assert "phone" in refused.value.fields


def test_one_phone_books_a_business_once_a_day(first_slot):
    book(first_slot)
    with pytest.raises(Conflict):
        book(first_slot)


def test_moving_to_a_full_slot_leaves_the_booking_where_it_was(cat_a, first_slot):
    second = services.slots_open(category=cat_a, day=TUESDAY, today=TODAY)[1]
    mine = book(first_slot)
    book(second, phone="13800138001")
    book(second, phone="13800138002")
    with pytest.raises(CapacityFull):
        services.appointment_change(appointment=mine, slot=second, by=None, today=TODAY)
    mine.refresh_from_db()
    first_slot.refresh_from_db()
    assert mine.slot_id == first_slot.pk and first_slot.booked == 1


def test_cancelling_gives_the_place_back(first_slot):
    services.appointment_cancel(appointment=book(first_slot), by=None)
    first_slot.refresh_from_db()
    assert first_slot.booked == 0


def test_check_in_on_the_day_gives_a_priority_ticket(first_slot):
    appointment = book(first_slot)
    on_the_day = datetime(2026, 11, 24, 8, 50, tzinfo=SHANGHAI)
    ticket = services.appointment_check_in(appointment=appointment, by=None, now=on_the_day)
    appointment.refresh_from_db()
    assert ticket.priority == "appointment" and ticket.number == "A001"
    assert appointment.status == "checked_in" and appointment.ticket == ticket


def test_check_in_on_another_day_is_refused(first_slot):
    appointment = book(first_slot)
    with pytest.raises(Conflict) as refused:
        services.appointment_check_in(appointment=appointment, by=None,
                                      now=datetime(2026, 11, 23, 10, tzinfo=SHANGHAI))
    assert "2026-11-24" in refused.value.message


def test_after_three_missed_appointments_booking_is_limited(cat_a, first_slot):
    HallPolicy.objects.create(center=cat_a.center, no_show_limit=1)
    book(first_slot)
    Appointment.objects.update(status="no_show")
    second = services.slots_open(category=cat_a, day=TUESDAY, today=TODAY)[1]
    with pytest.raises(ValidationFailed) as refused:
        book(second)
    assert refused.value.code == "booking_limited"


def test_reminders_go_out_once_for_the_next_day(first_slot):
    book(first_slot)
    assert services.appointments_remind(day=TUESDAY) == 1
    assert services.appointments_remind(day=TUESDAY) == 0
    assert OutboxMessage.objects.filter(event="appointment_reminder").count() == 1


def test_the_daily_run_reminds_tomorrow_and_records_yesterdays_no_shows(cat_a, monkeypatch):
    from django.core.management import call_command
    from django.utils import timezone

    slot = services.slots_open(category=cat_a, day=TUESDAY, today=TODAY).first()
    book(slot)
    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)
    call_command("appointments_daily")
    assert OutboxMessage.objects.filter(event="appointment_reminder").count() == 1
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 11, 25))
    call_command("appointments_daily")
    assert Appointment.objects.get().status == "no_show"


@pytest.fixture
def capped(cat_a):
    cat_a.daily_capacity = 3
    cat_a.save(update_fields=["daily_capacity"])
    return cat_a


def _day_slots(category):
    return list(services.slots_open(category=category, day=TUESDAY, today=TODAY))


def test_a_full_day_refuses_even_where_slots_have_room_and_writes_nothing(capped):
    slots = _day_slots(capped)
    for n, slot in enumerate(slots[:3]):
        book(slot, phone=f"1380013800{n}")
    with pytest.raises(CapacityFull) as full:
        book(slots[5], phone="13800138009")
    assert "约满" in full.value.message and "另选" in full.value.message
    assert Appointment.objects.count() == 3
    assert BookingDay.objects.get(category=capped, day=TUESDAY).booked == 3
    assert AppointmentSlot.objects.get(pk=slots[5].pk).booked == 0


def test_a_full_day_shows_no_free_place_in_any_slot(capped):
    slots = _day_slots(capped)
    assert {s.free_places for s in slots} == {2}
    for n, slot in enumerate(slots[:3]):
        book(slot, phone=f"1380013800{n}")
    assert {s.free_places for s in _day_slots(capped)} == {0}


def test_cancelling_gives_the_place_of_the_day_back(capped):
    slots = _day_slots(capped)
    booked = [book(slot, phone=f"1380013800{n}") for n, slot in enumerate(slots[:3])]
    services.appointment_cancel(appointment=booked[0], by=None)
    assert book(slots[4], phone="13800138009").status == "booked"


def test_moving_within_a_full_day_keeps_the_place(capped):
    slots = _day_slots(capped)
    booked = [book(slot, phone=f"1380013800{n}") for n, slot in enumerate(slots[:3])]
    moved = services.appointment_change(appointment=booked[0], slot=slots[6], by=None,
                                        today=TODAY)
    assert moved.slot_id == slots[6].pk
    assert BookingDay.objects.get(category=capped, day=TUESDAY).booked == 3


def test_moving_to_a_full_day_leaves_the_booking_where_it_was(capped):
    wednesday = date(2026, 11, 25)
    other_day = list(services.slots_open(category=capped, day=wednesday, today=TODAY))
    for n, slot in enumerate(other_day[:3]):
        book(slot, phone=f"1390013900{n}")
    mine = book(_day_slots(capped)[0])
    with pytest.raises(CapacityFull):
        services.appointment_change(appointment=mine, slot=other_day[5], by=None, today=TODAY)
    mine.refresh_from_db()
    assert mine.slot.day == TUESDAY
    assert BookingDay.objects.get(category=capped, day=TUESDAY).booked == 1
    assert BookingDay.objects.get(category=capped, day=wednesday).booked == 3
