"""The rollups follow every case transition in its transaction, and equal a full recount."""

from datetime import date, time

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servicehall.cases.services import (
    case_appeal,
    case_appeal_decide,
    case_decide,
    case_intake,
    case_materials_complete,
    case_request_supplement,
    case_resume,
    case_return_review,
    case_step_complete,
    case_suspend,
)
from servicehall.core import businessday
from servicehall.core.errors import DomainError
from servicehall.stats.contributions import by_month, recount
from servicehall.stats.models import DailyRollup, HourlyRollup, MonthlyRollup
from servicehall.stats.rollups import facts_all, rollups_rebuild, stored_rollups
from tests.cases.conftest import PERSON, to_decision

pytestmark = pytest.mark.django_db


def _materials(item, *, key_only=False):
    rows = item.current_version.materials.all()
    return {m.pk for m in (rows.filter(is_key=True) if key_only else rows)}


def _day_row(day, **filters):
    return DailyRollup.objects.filter(day=day, **filters)


def test_an_accepted_case_counts_as_received_accepted_and_pending_on_its_day(
        item_a, clerk):
    with businessday.replaying(date(2026, 9, 30), time(10, 15)):
        case = case_intake(item=item_a, applicant=PERSON, received=_materials(item_a), by=clerk)
    row = _day_row(date(2026, 9, 30)).get()
    assert (row.received, row.accepted, row.pending_delta, row.completed) == (1, 1, 1, 0)
    assert (row.staff_id, row.channel, row.case_type) == (clerk.pk, "window", "promised")
    heat = HourlyRollup.objects.get()
    assert (heat.month, heat.weekday, heat.hour, heat.received) == (date(2026, 9, 1), 3, 10, 1)
    month = MonthlyRollup.objects.get()
    assert (month.month, month.accepted, month.pending_delta) == (date(2026, 9, 1), 1, 1)
    assert case.department_id == row.department_id


def test_a_decision_moves_the_case_from_pending_to_completed_on_its_day(
        item_a, clerk, reviewer_a):
    with businessday.replaying(date(2026, 9, 30)):
        case = case_intake(item=item_a, applicant=PERSON, received=_materials(item_a), by=clerk)
    with businessday.replaying(date(2026, 10, 12)):
        case_decide(case=to_decision(case, reviewer_a), decision="approved", note="",
                    by=reviewer_a)
    done = _day_row(date(2026, 10, 12)).get()
    assert (done.completed, done.on_time, done.early, done.pending_delta) == (1, 1, 1, -1)
    assert (done.limit_cases, done.promised_days, done.legal_days) == (1, 10, 20)
    assert done.visits == 1
    assert sum(DailyRollup.objects.values_list("pending_delta", flat=True)) == 0


def test_a_return_at_intake_counts_as_received_and_returned_not_accepted(item_a, clerk):
    with businessday.replaying(date(2026, 9, 30)):
        case_intake(item=item_a, applicant=PERSON, received=set(), by=clerk,
                    return_reasons=["key_materials_missing"])
    row = _day_row(date(2026, 9, 30)).get()
    assert (row.received, row.returned, row.accepted, row.case_type) == (1, 1, 0, "returned")


def test_saves_that_touch_no_counted_field_write_no_rollup(item_a, clerk):
    with businessday.replaying(date(2026, 9, 30)):
        case = case_intake(item=item_a, applicant=PERSON, received=_materials(item_a), by=clerk)
    before = list(DailyRollup.objects.values())
    case.save(update_fields=["current_step_due"])
    assert list(DailyRollup.objects.values()) == before


def test_rebuild_command_recomputes_what_the_transitions_kept(item_a, immediate_item, clerk,
                                                               reviewer_a):
    with businessday.replaying(date(2026, 9, 30)):
        case_intake(item=item_a, applicant=PERSON, received=_materials(item_a), by=clerk)
        case_intake(item=immediate_item, applicant=PERSON, received=_materials(immediate_item),
                    by=clerk)
    kept = stored_rollups()
    monthly = stored_rollups(MonthlyRollup)
    hourly = list(HourlyRollup.objects.values_list("month", "weekday", "hour", "item_id",
                                                   "received"))
    DailyRollup.objects.update(accepted=99, zero_visits=7, one_visit_at_most=7)
    MonthlyRollup.objects.update(accepted=99, zero_visits=7, one_visit_at_most=7)
    call_command("stats_rebuild", verbosity=0)
    assert stored_rollups() == kept
    assert stored_rollups(MonthlyRollup) == monthly
    assert sorted(HourlyRollup.objects.values_list("month", "weekday", "hour", "item_id",
                                                   "received")) == sorted(hourly)


# ---- random sequences of transitions -------------------------------------------------------

DAYS = [date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 9), date(2026, 10, 12),
        date(2026, 10, 13), date(2026, 11, 2), date(2026, 12, 31)]
INTAKE = st.tuples(st.just("intake"), st.sampled_from(["item_a", "immediate_item"]),
                   st.sampled_from(["accept", "supplement", "return", "return_review"]),
                   st.sampled_from(["window", "online", "api"]))
ACT = st.tuples(st.just("act"), st.integers(min_value=0, max_value=5),
                st.integers(min_value=0, max_value=3))
# What can happen next to a case, by its status.
NEXT = {"awaiting_materials": ["materials"],
        "in_progress": ["supplement", "suspend", "decide", "deny"],
        "suspended": ["resume", "materials"],
        "return_review": ["review_confirm", "review_overturn"],
        "returned": ["appeal"],
        "under_appeal": ["appeal_uphold", "appeal_reopen"]}
STEP = st.tuples(st.sampled_from(DAYS), st.one_of(INTAKE, ACT))


def _intake(items, clerk, item_name, outcome, channel):
    item = items[item_name]
    received = {"accept": _materials(item), "supplement": _materials(item, key_only=True),
                "return": set(), "return_review": set()}[outcome]
    reasons = ["key_materials_missing"] if outcome.startswith("return") else []
    return case_intake(item=item, applicant=PERSON, received=received, by=clerk,
                       channel=channel, outcome=outcome, return_reasons=reasons,
                       override_reason="测试")


def _act(name, case, reviewer):
    case.refresh_from_db()
    if name == "materials":
        return case_materials_complete(case=case, by=reviewer)
    if name == "supplement":
        ids = {case.materials.first().material_id}
        return case_request_supplement(case=case, material_ids=ids, note="", by=reviewer)
    if name == "suspend":
        return case_suspend(case=case, kind="expert_review", reason="专家评审", by=reviewer)
    if name == "resume":
        return case_resume(case=case, by=reviewer)
    if name in ("decide", "deny"):
        while case.current_step and case.steps.filter(status="waiting").exists():
            case = case_step_complete(case=case, opinion="同意", by=reviewer)
        return case_decide(case=case, decision="approved" if name == "decide" else "denied",
                           note="不符合条件", by=reviewer)
    if name.startswith("review_"):
        return case_return_review(case=case, confirm=name == "review_confirm", note="复核",
                                  by=reviewer)
    if name == "appeal":
        return case_appeal(case=case, reason="申请复核", by=reviewer)
    return case_appeal_decide(case=case, result="upheld" if name == "appeal_uphold"
                              else "reopened", note="复核结论", by=reviewer)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=1, max_size=20))
def test_rollups_equal_a_full_recount_after_any_sequence_of_transitions(
        steps, item_a, immediate_item, clerk, business_section, superuser):
    items = {"item_a": item_a, "immediate_item": immediate_item}
    with transaction.atomic():
        cases = []
        for day, step in sorted(steps, key=lambda s: s[0]):
            with businessday.replaying(day, time(9 + len(cases) % 8, 30)):
                try:
                    if step[0] == "intake":
                        cases.append(_intake(items, clerk, *step[1:]))
                    elif cases:
                        case = cases[step[1] % len(cases)]
                        case.refresh_from_db()
                        choices = NEXT.get(case.status)
                        if choices:
                            _act(choices[step[2] % len(choices)], case, superuser)
                except DomainError:
                    pass  # e.g. resuming a pause that only materials end
        assert stored_rollups() == recount(facts_all())
        assert stored_rollups(MonthlyRollup) == by_month(recount(facts_all()))
        assert sum(HourlyRollup.objects.values_list("received", flat=True)) == len(cases)
        _assert_visit_counters_match_the_cases()
        kept = stored_rollups(), stored_rollups(MonthlyRollup)
        rollups_rebuild()
        assert (stored_rollups(), stored_rollups(MonthlyRollup)) == kept
        transaction.set_rollback(True)


def _assert_visit_counters_match_the_cases():
    from django.db.models import Sum

    from servicehall.cases.models import Case

    done = Case.objects.filter(accepted_on__isnull=False, completed_on__isnull=False)
    sums = DailyRollup.objects.aggregate(zero=Sum("zero_visits"), one=Sum("one_visit_at_most"))
    assert (sums["zero"] or 0) == done.filter(visits=0).count()
    assert (sums["one"] or 0) == done.filter(visits__lte=1).count()


def test_visits_are_counted_when_a_case_is_completed(item_a, immediate_item, clerk,
                                                     superuser):
    day = date(2026, 9, 30)
    with businessday.replaying(day):
        online = case_intake(item=immediate_item, applicant=PERSON, by=clerk, channel="online",
                             received=_materials(immediate_item))
        window = case_intake(item=immediate_item, applicant=PERSON, by=clerk,
                             received=_materials(immediate_item))
        pending = case_intake(item=item_a, applicant=PERSON, by=clerk, channel="online",
                              received=_materials(item_a))
        for case in (online, window):
            case_decide(case=case, decision="approved", note="", by=superuser)
    assert pending.completed_on is None
    by_channel = {r.channel: r for r in _day_row(day, item=immediate_item)}
    assert (by_channel["online"].zero_visits, by_channel["online"].one_visit_at_most) == (1, 1)
    assert (by_channel["window"].zero_visits, by_channel["window"].one_visit_at_most) == (0, 1)
    assert sum(r.zero_visits for r in _day_row(day, item=item_a)) == 0
    _assert_visit_counters_match_the_cases()


def test_rebuild_of_one_center_leaves_the_others(item_a, clerk):
    with businessday.replaying(date(2026, 9, 30)):
        case_intake(item=item_a, applicant=PERSON, received=_materials(item_a), by=clerk)
    assert rollups_rebuild(center=item_a.center) == 1


def test_a_deleted_case_leaves_the_counts(item_a, clerk):
    with businessday.replaying(date(2026, 9, 30)):
        case = case_intake(item=item_a, applicant=PERSON, received=_materials(item_a), by=clerk)
    case.delete()
    assert stored_rollups() == {} and stored_rollups(MonthlyRollup) == {}
