"""Appointment slots of a day and whether a day can be booked. Plain Python, no Django."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

PAST = "past"
BEYOND_HORIZON = "beyond_horizon"
CLOSED = "closed"


@dataclass(frozen=True)
class Period:
    start: time
    end: time

    @classmethod
    def parse(cls, start: str, end: str) -> Period:
        return cls(time.fromisoformat(start), time.fromisoformat(end))


@dataclass(frozen=True)
class SlotSpec:
    start: time
    end: time
    capacity: int


def day_slots(periods: list[Period], *, minutes: int, capacity: int) -> list[SlotSpec]:
    """Slots of `minutes` each inside the opening periods; a remainder shorter than a slot at
    the end of a period is not offered."""
    if minutes <= 0:
        raise ValueError("a slot lasts at least one minute")
    slots = []
    step = timedelta(minutes=minutes)
    for period in periods:
        start = datetime.combine(date.min, period.start)
        end = datetime.combine(date.min, period.end)
        while start + step <= end:
            slots.append(SlotSpec(start.time(), (start + step).time(), capacity))
            start += step
    return slots


def booking_refusal(day: date, *, today: date, horizon_days: int, is_working_day: bool,
                    is_saturday_service: bool) -> str | None:
    """Why `day` cannot be booked today, or None when it can. Bookings are for tomorrow up to
    `horizon_days` calendar days ahead, on working days and on the Saturdays with appointment
    service."""
    if day <= today:
        return PAST
    if day > today + timedelta(days=horizon_days):
        return BEYOND_HORIZON
    if not (is_working_day or is_saturday_service):
        return CLOSED
    return None
