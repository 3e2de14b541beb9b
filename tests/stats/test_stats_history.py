"""The history generator writes cases shaped like seed 000's hall, and their rollups."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from servicehall.cases.models import Case
from servicehall.stats.contributions import by_month, recount
from servicehall.stats.figures import figures, totals
from servicehall.stats.models import DailyRollup, HourlyRollup, MonthlyRollup
from servicehall.stats.rollups import facts_all, stored_rollups

pytestmark = pytest.mark.django_db


def test_generated_history_is_shaped_like_seed_000_and_rolled_up(item_a, immediate_item,
                                                                  clerk):
    err = io.StringIO()
    call_command("stats_generate_history", cases=3000, stdout=io.StringIO(), stderr=err)
    assert "100%" in err.getvalue()
    assert Case.objects.count() == 3000
    assert stored_rollups() == recount(facts_all())
    assert stored_rollups(MonthlyRollup) == by_month(recount(facts_all()))
    assert sum(HourlyRollup.objects.values_list("received", flat=True)) == 3000
    f = figures(totals(DailyRollup.objects.values()), working_days=500)
    assert 0.48 < float(f.immediate_share) / 100 < 0.60
    assert 0.30 < f.early / f.accepted < 0.50
    assert Case.objects.filter(received_on__lt=date(2025, 6, 1)).exists()  # two years
