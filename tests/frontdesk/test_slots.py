"""Appointment slots and bookable days, without a database."""

from datetime import date, time

from servicehall.frontdesk.slots import (
    BEYOND_HORIZON,
    CLOSED,
    PAST,
    Period,
    booking_refusal,
    day_slots,
)

TODAY = date(2026, 11, 23)


def test_slots_fill_each_opening_period_and_drop_a_short_remainder():
    slots = day_slots([Period.parse("09:00", "10:15"), Period.parse("13:30", "14:30")],
                      minutes=30, capacity=4)
    assert [(s.start, s.end) for s in slots] == [
        (time(9), time(9, 30)), (time(9, 30), time(10)), (time(13, 30), time(14)),
        (time(14), time(14, 30))]
    assert {s.capacity for s in slots} == {4}


def test_a_working_day_within_the_horizon_can_be_booked():
    assert booking_refusal(date(2026, 11, 30), today=TODAY, horizon_days=7,
                           is_working_day=True, is_saturday_service=False) is None


def test_today_and_past_days_cannot_be_booked():
    for day in (TODAY, date(2026, 11, 20)):
        assert booking_refusal(day, today=TODAY, horizon_days=7, is_working_day=True,
                               is_saturday_service=False) == PAST


def test_a_day_beyond_the_horizon_cannot_be_booked():
    assert booking_refusal(date(2026, 12, 1), today=TODAY, horizon_days=7,
                           is_working_day=True, is_saturday_service=False) == BEYOND_HORIZON


def test_a_rest_day_is_closed_unless_it_is_a_service_saturday():
    saturday = date(2026, 11, 28)
    assert booking_refusal(saturday, today=TODAY, horizon_days=7, is_working_day=False,
                           is_saturday_service=False) == CLOSED
    assert booking_refusal(saturday, today=TODAY, horizon_days=7, is_working_day=False,
                           is_saturday_service=True) is None
