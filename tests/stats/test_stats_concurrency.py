"""Concurrent transitions on PostgreSQL add up in the shared rollup rows."""

from datetime import date

import pytest

from servicehall.cases.services import case_decide, case_intake
from servicehall.core import businessday
from servicehall.stats.contributions import by_month, recount
from servicehall.stats.models import DailyRollup, MonthlyRollup
from servicehall.stats.rollups import facts_all, stored_rollups
from tests.cases.conftest import PERSON
from tests.core.test_concurrency import _run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_decisions_at_once_on_cases_sharing_a_rollup_row_all_count(immediate_item, clerk,
                                                                    superuser):
    materials = {m.pk for m in immediate_item.current_version.materials.all()}
    cases = [case_intake(item=immediate_item, applicant=PERSON, received=materials, by=clerk)
             for _ in range(10)]

    def decide(case):
        return lambda: case_decide(case=case, decision="approved", note="", by=superuser)

    results = _run_at_once([decide(case) for case in cases])
    assert not [r for r in results if isinstance(r, Exception)], results
    today = businessday.today()
    assert sum(DailyRollup.objects.filter(day=today).values_list("completed", flat=True)) == 10
    assert MonthlyRollup.objects.get(month=date(today.year, today.month, 1)).completed == 10
    assert stored_rollups() == recount(facts_all())
    assert stored_rollups(MonthlyRollup) == by_month(recount(facts_all()))
