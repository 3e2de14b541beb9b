"""The history generator writes cases shaped like seed 000's hall, and their rollups."""

import io
from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F

from servicehall.accounts.models import User
from servicehall.cases.models import Case, CaseEvent
from servicehall.stats.contributions import by_month, recount
from servicehall.stats.figures import figures, totals
from servicehall.stats.history import generate_history_sql
from servicehall.stats.models import DailyRollup, HourlyRollup, MonthlyRollup
from servicehall.stats.rollups import facts_all, rollups_rebuild, stored_rollups

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                     reason="the set-based paths are PostgreSQL's")


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


def _hourly_rows():
    return sorted(HourlyRollup.objects.values_list(
        "month", "weekday", "hour", "center_id", "department_id", "item_id", "received"))


def _index_names():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename IN (%s, %s)",
                       [Case._meta.db_table, CaseEvent._meta.db_table])
        return sorted(name for (name,) in cursor.fetchall())


@postgresql_only
def test_the_set_based_history_has_the_same_shape_and_its_rollups_equal_a_recount(
        item_a, immediate_item, clerk):
    indexes = _index_names()
    written = []
    assert generate_history_sql(center=item_a.center, cases=6000, chunk=2500,
                                progress=written.append, rebuild_indexes=True) == 6000
    assert written == [2500, 2500, 1000]
    assert _index_names() == indexes  # dropped for the fill, built again
    rollups_rebuild(center=item_a.center)
    assert Case.objects.count() == 6000
    assert CaseEvent.objects.count() == 6000
    assert not Case.objects.filter(events__isnull=True).exists()
    assert stored_rollups() == recount(facts_all())
    assert stored_rollups(MonthlyRollup) == by_month(recount(facts_all()))
    assert sum(HourlyRollup.objects.values_list("received", flat=True)) == 6000
    f = figures(totals(DailyRollup.objects.values()), working_days=500)
    assert 0.48 < float(f.immediate_share) / 100 < 0.60
    assert 0.30 < f.early / f.accepted < 0.50
    assert Case.objects.filter(received_on__lt=date(2025, 6, 1)).exists()  # two years
    kinds = set(Case.objects.values_list("case_type", "status").distinct())
    assert kinds == {("immediate", "completed"), ("promised", "completed"),
                     ("promised", "in_progress"), ("supplement", "completed"),
                     ("returned", "returned")} | (kinds & {("supplement", "in_progress")})
    channels = Counter(Case.objects.values_list("channel", flat=True))
    assert 0.75 < channels["window"] / 6000 < 0.85
    staffed = Case.objects.filter(created_by__isnull=False)
    assert set(staffed.values_list("channel", flat=True).distinct()) == {"window"}
    assert set(staffed.values_list("created_by", flat=True).distinct()) <= set(
        User.objects.values_list("pk", flat=True))
    assert not Case.objects.exclude(department_id=F("item__department_id")).exists()
    assert not Case.objects.exclude(item_version_id=F("item__current_version_id")).exists()
    assert not Case.objects.filter(case_type="returned").exclude(
        events__kind="returned").exists()
    assert Case.objects.values("number").distinct().count() == 6000


@postgresql_only
def test_the_rebuild_in_the_database_gives_the_rows_of_the_rebuild_in_python(
        history, item_a):
    generate_history_sql(center=item_a.center, cases=4000, chunk=1500)
    CaseEvent.objects.filter(case__in=Case.objects.filter(case_type="returned")[:20]).delete()
    assert rollups_rebuild(in_database=False) > 0
    daily, monthly, hourly = stored_rollups(), stored_rollups(MonthlyRollup), _hourly_rows()
    assert rollups_rebuild(in_database=True) == len(daily)
    assert stored_rollups() == daily
    assert stored_rollups(MonthlyRollup) == monthly
    assert _hourly_rows() == hourly
    assert rollups_rebuild(center=item_a.center, in_database=True) == len(daily)
    assert (stored_rollups(), _hourly_rows()) == (daily, hourly)
