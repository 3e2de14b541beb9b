"""The scan: set-based, idempotent, and a transition relights its case at once."""

from datetime import date

import pytest

from servicehall.cases.choices import CaseStatus
from servicehall.cases.models import Case
from servicehall.cases.services import case_resume, case_step_take, case_suspend
from servicehall.core import businessday
from servicehall.supervision.models import CaseWatch, SupervisionRule
from servicehall.supervision.scanner import scan
from tests.supervision.conftest import DUE

pytestmark = pytest.mark.django_db


def light(case):
    return CaseWatch.objects.get(pk=case.pk).light


def test_the_first_scan_watches_every_open_case(accept):
    case = accept()
    assert Case.objects.get(pk=case.pk).promised_due == DUE
    report = scan(today=date(2026, 10, 9))
    assert report.full and report.inserted == 1
    assert light(case) == "green"


def test_a_rescan_with_nothing_changed_writes_no_row(accept):
    accept(), accept()
    scan(today=date(2026, 10, 9))
    again = scan(today=date(2026, 10, 9))
    assert not again.full and again.written == 0
    assert scan(today=date(2026, 10, 9), full=True).written == 0


def test_the_light_turns_yellow_then_red_as_the_days_pass(accept):
    case = accept()
    scan(today=date(2026, 10, 9))
    assert light(case) == "green"
    # the review step (2 working days from 09-30) was due on Fri 10-09
    assert scan(today=date(2026, 10, 10)).relit == 1
    watch = CaseWatch.objects.get(pk=case.pk)
    assert (watch.light, watch.reason) == ("yellow", "step_overdue")
    # 10 promised working days: 20% = 2 left from Fri 10-16 (10-19, 10-20)
    assert scan(today=date(2026, 10, 15)).written == 0
    assert scan(today=date(2026, 10, 16)).relit == 1
    watch = CaseWatch.objects.get(pk=case.pk)
    assert (watch.light, watch.reason, watch.since) == ("yellow", "due_soon", date(2026, 10, 16))
    assert scan(today=date(2026, 10, 20)).written == 0  # the deadline itself: still yellow
    scan(today=date(2026, 10, 21))
    assert light(case) == "red"


def test_a_new_case_is_picked_up_by_the_next_scan_without_a_full_one(accept):
    scan(today=date(2026, 10, 9))
    case = accept(day=date(2026, 10, 9))
    report = scan(today=date(2026, 10, 9))
    assert not report.full and report.inserted == 1 and light(case) == "green"


def test_a_transition_updates_the_light_at_once(accept, reviewer_a):
    case = accept(lit=True)
    assert light(case) == "green"  # intake lights the case at once
    with businessday.replaying(date(2026, 10, 19)):
        case = case_step_take(case=case, by=reviewer_a)
        assert light(case) == "yellow"
        case = case_suspend(case=case, kind="expert_review", reason="专家评审", by=reviewer_a,
                            expected_working_days=5)
        assert light(case) == "paused"
    with businessday.replaying(date(2026, 10, 21)):
        case = case_resume(case=case, by=reviewer_a)
    # two paused working days moved the deadline to 10-22: yellow on 10-21, not red
    assert Case.objects.get(pk=case.pk).promised_due == date(2026, 10, 22)
    assert light(case) == "yellow"


def test_a_case_closed_outside_the_services_leaves_the_board_on_the_full_scan(accept):
    case, other = accept(), accept()
    scan(today=date(2026, 10, 9))
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.COMPLETED,
                                           completed_on=date(2026, 10, 9))
    report = scan(today=date(2026, 10, 9), full=True)
    assert report.deleted == 1
    assert list(CaseWatch.objects.values_list("pk", flat=True)) == [other.pk]


def test_an_item_rule_changes_the_warning_and_triggers_a_full_rescan(accept, center, item_a):
    case = accept()
    scan(today=date(2026, 10, 8))
    assert light(case) == "green"
    SupervisionRule.objects.create(center=center, item=item_a, warn_working_days=9)
    report = scan(today=date(2026, 10, 8))
    assert report.full and light(case) == "yellow"


def test_a_transition_lights_its_case_by_its_own_item_and_center_rules(
        accept, center, item_a, department_a, make_item):
    """watch_case reads only the rules that can apply to the case, not every center's."""
    from servicehall.core.models import Center
    from servicehall.supervision.scanner import watch_case

    case = accept()
    other_item = make_item(department_a, "SCJG-0099", main_item="其他事项")
    SupervisionRule.objects.create(center=center, item=other_item, warn_working_days=9)
    other_center = Center.objects.create(code="440399", name="另一个中心")
    SupervisionRule.objects.create(center=other_center, warn_working_days=9)
    case = Case.objects.select_related("center").get(pk=case.pk)
    watch_case(case=case, today=date(2026, 10, 8))
    assert light(case) == "green"  # neither rule is this case's
    SupervisionRule.objects.create(center=center, warn_working_days=9)
    watch_case(case=case, today=date(2026, 10, 8))
    assert light(case) == "yellow"  # the center's default
    SupervisionRule.objects.filter(item__isnull=True, center=center).delete()
    SupervisionRule.objects.create(center=center, item=item_a, warn_working_days=9)
    watch_case(case=case, today=date(2026, 10, 8))
    assert light(case) == "yellow"  # the item's own


def test_a_deadline_beyond_the_configured_calendar_is_unknown(accept):
    case = accept()
    Case.objects.filter(pk=case.pk).update(promised_due=date(2027, 1, 12))
    scan(today=date(2026, 10, 9), full=True)
    assert light(case) == "unknown"


def test_the_worker_runs_the_scan_every_minute(accept, monkeypatch):
    from django.conf import settings
    from django.utils import timezone

    from servicehall.core.worker import configured_jobs, run_due

    assert ("servicehall.supervision.tasks.scan_and_escalate", 60) in settings.WORKER_JOBS
    case = accept()
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 10, 21))
    jobs = [j for j in configured_jobs() if j.path.startswith("servicehall.supervision")]
    run_due(jobs, now=0.0)
    assert light(case) == "red"
    assert case.supervision_cards.count() == 1


def test_the_scan_command_prints_what_it_did(accept, monkeypatch):
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    accept()
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 10, 16))
    out = StringIO()
    call_command("supervision_scan", "--full", "--sweep", stdout=out)
    assert "1 cases read" in out.getvalue() and "yellow" in out.getvalue()


def test_the_set_based_scan_agrees_with_the_plain_python_rules(accept, center):
    """Random deadlines across National Day: every light the SQL writes is the one
    lights.classify gives for the same case and day."""
    import random

    from servicehall.core.calendar import calendar_for
    from servicehall.supervision.lights import CaseFacts, classify

    rng = random.Random(5)
    cases = [accept() for _ in range(8)]
    cal = calendar_for(center)
    for day in (date(2026, 9, 30), date(2026, 10, 3), date(2026, 10, 10), date(2026, 10, 20)):
        for case in cases:
            start = date(2026, 9, 1).fromordinal(date(2026, 9, 1).toordinal() + rng.randint(0, 30))
            due = start.fromordinal(start.toordinal() + rng.randint(1, 40))
            Case.objects.filter(pk=case.pk).update(
                clock_start=start, promised_due=due,
                legal_due=due.fromordinal(due.toordinal() + rng.randint(0, 10)),
                current_step_due=rng.choice([None, due.fromordinal(due.toordinal() - 3)]),
                status=rng.choice([CaseStatus.IN_PROGRESS] * 4 + [CaseStatus.SUSPENDED]))
        scan(today=day, full=True)
        for case in Case.objects.filter(pk__in=[c.pk for c in cases]):
            facts = CaseFacts(paused=case.status == CaseStatus.SUSPENDED,
                              clock_start=case.clock_start, promised_due=case.promised_due,
                              legal_due=case.legal_due, step_due=case.current_step_due)
            watch = CaseWatch.objects.get(pk=case.pk)
            assert (watch.light, watch.reason) == tuple(v.value for v in classify(facts, cal, day))


def test_a_return_left_to_the_department_is_watched_on_its_three_day_clock(item_a, clerk):
    """Received Wed 09-30, the review is due three working days later, across National Day:
    Fri 10-09 and Sat 10-10 work, so it is due Sat 10-10 — yellow that day, red after."""
    from servicehall.cases.services import case_intake
    from tests.cases.conftest import PERSON

    with businessday.replaying(date(2026, 9, 30)):
        case = case_intake(item=item_a, applicant=PERSON, received=set(), by=clerk,
                           outcome="return_review", return_reasons=["conditions_not_met"])
    assert case.return_review_due == date(2026, 10, 10)
    assert light(case) == "green"  # intake lit it at once, on the same rules
    lit_at_intake = CaseWatch.objects.filter(pk=case.pk).values().get()
    CaseWatch.objects.all().delete()
    scan(today=date(2026, 9, 30))
    assert CaseWatch.objects.filter(pk=case.pk).values().get() == lit_at_intake
    for day, expected in ((date(2026, 10, 9), ("green", "")),
                          (date(2026, 10, 10), ("yellow", "due_soon")),
                          (date(2026, 10, 11), ("red", "overdue"))):
        scan(today=day)
        watch = CaseWatch.objects.get(pk=case.pk)
        assert (watch.light, watch.reason) == expected, day
