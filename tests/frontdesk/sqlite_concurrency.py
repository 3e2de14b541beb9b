"""Run by test_concurrency_sqlite.py in a fresh process against a SQLite *file* (IMMEDIATE
transactions, WAL): the in-memory test database shares one cache between threads and answers
"table is locked" instead of waiting, so it cannot show how the real embedded set-up behaves.

Prints one JSON line with what the test checks."""

import json
import os
import sys
import threading
from datetime import timedelta
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[2] / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.config.test_settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

THREADS, PER_THREAD = 40, 5


def in_threads(job, count):
    barrier = threading.Barrier(THREADS)
    results, lock = [], threading.Lock()

    def run(index):
        try:
            barrier.wait()
            for n in range(count):
                try:
                    outcome = job(index * count + n)
                except Exception as error:  # noqa: BLE001 - reported to the test
                    outcome = error
                with lock:
                    results.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results


def main() -> None:
    call_command("migrate", verbosity=0)
    from servicehall.core.calendar import calendar_for
    from servicehall.core.services import center_create
    from servicehall.frontdesk import services
    from servicehall.frontdesk.models import Appointment, Ticket

    center = center_create(code="440300", name="深圳市行政服务大厅", level="city", by=None)
    category = services.category_save(center=center, code="SCJG", name="商事登记", prefix="A",
                                      is_bookable=True, slot_capacity=3, by=None)
    issued = in_threads(lambda n: services.ticket_issue(category=category, channel="kiosk",
                                                        by=None), PER_THREAD)
    day = calendar_for(center).next_working_day(timezone.localdate() + timedelta(days=1))
    slot = services.slots_open(category=category, day=day).first()
    booked = in_threads(lambda n: services.appointment_book(
        slot=slot, applicant_name="某", phone=f"138{n:08d}", by=None), 1)
    slot.refresh_from_db()
    print(json.dumps({
        "issue_errors": [repr(r) for r in issued if isinstance(r, Exception)][:5],
        "seqs": sorted(Ticket.objects.values_list("seq", flat=True)),
        "booked": sum(isinstance(r, Appointment) for r in booked),
        "booking_errors": sorted({type(r).__name__ for r in booked if isinstance(r, Exception)}),
        "slot_booked": slot.booked, "slot_capacity": slot.capacity,
    }))


if __name__ == "__main__":
    main()
