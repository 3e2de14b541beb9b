"""Concurrent staff on PostgreSQL: one decision wins, numbers stay gapless."""

import pytest

from servicehall.cases.models import Case
from servicehall.cases.services import case_decide, case_intake
from servicehall.cases.services.common import CaseStateError
from servicehall.core.models import AuditEntry
from tests.cases.conftest import PERSON, to_decision
from tests.core.test_concurrency import _run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_reviewers_deciding_at_once_one_wins_one_conflict_one_audit_entry(
        item_a, clerk, all_materials, reviewer_a, make_user, department_a):
    from servicehall.accounts.choices import Role

    chief = make_user(Role.CHIEF_REPRESENTATIVE, department=department_a)
    case = to_decision(case_intake(item=item_a, applicant=PERSON, received=all_materials,
                                   by=clerk), reviewer_a)
    results = _run_at_once([
        lambda: case_decide(case=case, decision="approved", note="", by=reviewer_a),
        lambda: case_decide(case=case, decision="denied", note="不符合条件", by=chief),
    ])
    assert sum(isinstance(r, CaseStateError) for r in results) == 1, results
    assert AuditEntry.objects.filter(action="cases.decided").count() == 1
    assert Case.objects.get().status == "completed"


def test_parallel_intakes_get_gapless_unique_numbers(item_a, clerk, all_materials):
    def intake():
        return case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)

    results = _run_at_once([intake for _ in range(20)])
    assert not [r for r in results if isinstance(r, Exception)], results
    tails = sorted(int(number[-5:]) for number in Case.objects.values_list("number", flat=True))
    assert tails == list(range(1, 21))


def test_parallel_replays_of_one_idempotency_key_make_one_case(item_a, clerk, all_materials):
    def intake():
        return case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk,
                           idempotency_key="same-request")

    results = _run_at_once([intake for _ in range(10)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({case.number for case in results}) == 1 and Case.objects.count() == 1
