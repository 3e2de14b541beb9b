"""Two people acting at once: one succeeds, the other gets a clear conflict, and the audit
chain stays intact. These need a real database server (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from servicehall.catalog import services
from servicehall.core import audit
from servicehall.core.errors import Conflict
from servicehall.core.models import AuditEntry
from tests.factories import elements

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_at_once(functions):
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_editors_of_the_same_version_one_wins_one_gets_a_conflict(item_a, reviewer_a,
                                                                      business_section):
    results = _run_at_once([
        lambda: services.item_update(item=item_a, elements=elements(promised_limit=8),
                                     by=reviewer_a, expected_version=1),
        lambda: services.item_update(item=item_a, elements=elements(promised_limit=6),
                                     by=business_section, expected_version=1),
    ])
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(conflicts) == 1, results
    assert "2" in conflicts[0].message
    item_a.refresh_from_db()
    assert item_a.current_version.number == 2
    assert AuditEntry.objects.filter(action="catalog.item_updated").count() == 1
    assert AuditEntry.objects.filter(action="catalog.item_update", outcome="failure").count() == 1


def test_parallel_appends_keep_the_audit_chain_gapless_and_intact(center):
    def writer(n):
        return lambda: [audit.record(f"test.parallel_{n}", center=center) for _ in range(20)]

    results = _run_at_once([writer(n) for n in range(8)])
    assert not [r for r in results if isinstance(r, Exception)], results
    audit.seal()  # what a sealer skipped while another was at work, as the worker job does
    checked, broken = audit.verify()
    assert broken is None and checked == AuditEntry.objects.count() >= 160
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))


def test_sealers_at_work_together_seal_each_entry_once(center, settings):
    settings.AUDIT_SEAL_AFTER_COMMIT = False  # leave the entries to the sealers below
    for n in range(300):
        audit.record(f"test.waiting_{n}", center=center)
    results = _run_at_once([lambda: audit.seal(batch_size=50) for _ in range(4)]
                           + [lambda: audit.seal(batch_size=50, wait=False) for _ in range(2)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 300 and audit.unsealed() == 0
    assert audit.verify() == (300, None)
