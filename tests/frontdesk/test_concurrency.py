"""Many kiosks and windows at once, on PostgreSQL: ticket numbers stay unique and gapless,
no ticket is called twice, and a slot is never booked beyond its capacity."""

import threading

import pytest
from django.db import connection

from servicehall.frontdesk import services
from servicehall.frontdesk.models import Appointment, AppointmentSlot, Ticket, TicketCall
from servicehall.frontdesk.services import CapacityFull, QueueEmpty

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 40  # PostgreSQL's default max_connections is 100; each thread holds one


def run_in_threads(jobs_per_thread: list[list]) -> list:
    """Each thread runs its list of jobs; all threads start together. Returns every result or
    exception, in no particular order."""
    barrier = threading.Barrier(len(jobs_per_thread))
    results: list = []
    lock = threading.Lock()

    def run(jobs):
        try:
            barrier.wait()
            for job in jobs:
                try:
                    outcome = job()
                except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
                    outcome = error
                with lock:
                    results.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(jobs,)) for jobs in jobs_per_thread]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_200_concurrent_issues_give_unique_gapless_numbers_per_prefix(cat_a, cat_b):
    def issue(category):
        return lambda: services.ticket_issue(category=category, channel="kiosk", by=None)

    jobs = [[issue(cat_a if (t + n) % 2 else cat_b) for n in range(5)] for t in range(THREADS)]
    results = run_in_threads(jobs)
    assert not [r for r in results if isinstance(r, Exception)], results[:5]
    assert len(results) == 200
    for prefix in ("A", "B"):
        seqs = sorted(Ticket.objects.filter(prefix=prefix).values_list("seq", flat=True))
        assert seqs == list(range(1, 101))


def test_windows_calling_at_once_never_call_the_same_ticket(center, department_a, cat_a,
                                                             issue):
    from servicehall.catalog.services import window_save

    windows = []
    for number in range(1, 11):
        window = window_save(center=center, number=str(number), department=department_a,
                             by=None)
        windows.append(services.window_categories_set(window=window, categories=[cat_a],
                                                      by=None))
    for _ in range(30):
        issue(cat_a)

    def serve(window):
        def call():
            ticket = services.ticket_call_next(window=window, by=None)
            services.ticket_start(ticket=ticket, by=None)
            services.ticket_finish(ticket=ticket, by=None)
            return ticket
        return call

    results = run_in_threads([[serve(w) for _ in range(4)] for w in windows])
    served = [r for r in results if isinstance(r, Ticket)]
    assert all(isinstance(r, (Ticket, QueueEmpty)) for r in results), [
        r for r in results if not isinstance(r, Ticket)]
    assert len(served) == 30 and len({t.pk for t in served}) == 30
    assert TicketCall.objects.count() == 30


def test_parallel_bookings_never_exceed_the_capacity_of_a_slot(cat_a):
    from datetime import timedelta

    from django.utils import timezone

    from servicehall.core.calendar import calendar_for

    day = calendar_for(cat_a.center).next_working_day(timezone.localdate() + timedelta(days=1))
    slot = services.slots_open(category=cat_a, day=day).first()  # capacity 2

    def book(n):
        return lambda: services.appointment_book(slot=slot, applicant_name="某",
                                                 phone=f"138{n:08d}", by=None)

    results = run_in_threads([[book(t * 2 + n) for n in range(2)] for t in range(THREADS)])
    booked = [r for r in results if isinstance(r, Appointment)]
    assert len(booked) == 2
    assert all(isinstance(r, (Appointment, CapacityFull)) for r in results), results[:5]
    slot.refresh_from_db()
    assert slot.booked == 2 == Appointment.objects.filter(slot=slot).count()
    assert AppointmentSlot.objects.filter(booked__gt=2).count() == 0


def test_parallel_bookings_over_many_slots_never_exceed_the_daily_capacity(cat_a):
    from datetime import timedelta

    from django.utils import timezone

    from servicehall.core.calendar import calendar_for
    from servicehall.frontdesk.models import BookingDay

    cat_a.daily_capacity = 5
    cat_a.save(update_fields=["daily_capacity"])
    day = calendar_for(cat_a.center).next_working_day(timezone.localdate() + timedelta(days=1))
    slots = list(services.slots_open(category=cat_a, day=day))  # 14 slots × 2 places

    def book(n):
        return lambda: services.appointment_book(slot=slots[n % len(slots)], applicant_name="某",
                                                 phone=f"139{n:08d}", by=None)

    results = run_in_threads([[book(t)] for t in range(THREADS)])
    assert all(isinstance(r, (Appointment, CapacityFull)) for r in results), results[:5]
    assert sum(isinstance(r, Appointment) for r in results) == 5
    assert Appointment.objects.filter(slot__day=day).count() == 5
    assert BookingDay.objects.get(category=cat_a, day=day).booked == 5
