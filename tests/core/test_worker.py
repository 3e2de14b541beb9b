from datetime import date

import pytest
from django.core.management import call_command

from servicehall.core.worker import Job, run_due


def test_a_job_runs_when_its_turn_comes_and_waits_its_interval():
    calls = []
    job = Job("count", 60, lambda: calls.append(1))
    assert run_due([job], now=100.0) == ["count"]
    assert run_due([job], now=159.0) == []
    assert run_due([job], now=160.0) == ["count"] and len(calls) == 2


def test_a_failing_job_is_logged_and_does_not_stop_the_others(caplog):
    ran = []

    def broken():
        raise RuntimeError("gateway down")

    jobs = [Job("broken", 10, broken), Job("fine", 10, lambda: ran.append(1))]
    assert run_due(jobs, now=0.0) == ["broken", "fine"]
    assert ran == [1] and "broken failed" in caplog.text
    assert jobs[0].next_run == 10.0  # tried again at its next turn


@pytest.mark.django_db
def test_worker_once_runs_every_configured_job(capsys):
    call_command("worker", "--once")
    out = capsys.readouterr().out
    assert "servicehall.core.tasks.send_outbox" in out
    assert "servicehall.cases.tasks.apply_silent_consent" in out


@pytest.mark.django_db
def test_silent_consent_job_approves_cases_past_their_legal_limit(monkeypatch, make_item,
                                                                   department_a, make_user):
    from django.utils import timezone

    from servicehall.accounts.choices import Role
    from servicehall.cases.services import case_intake
    from servicehall.cases.tasks import apply_silent_consent
    from tests.cases.conftest import PERSON

    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 9, 1))
    item = make_item(department_a, "SCJG-0101", silent_consent=True, legal_limit=20)
    plain = make_item(department_a, "SCJG-0102", legal_limit=20)
    clerk = make_user(Role.WINDOW_STAFF)
    cases = [case_intake(item=i, applicant=PERSON, by=clerk,
                         received={m.pk for m in i.current_version.materials.all()})
             for i in (item, plain)]
    assert apply_silent_consent() == 0  # not yet past the legal limit
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 11, 2))
    assert apply_silent_consent() == 1
    consented, untouched = (type(c).objects.get(pk=c.pk) for c in cases)
    assert (consented.status, consented.decision) == ("completed", "approved")
    assert "逾期默认" in consented.decision_note
    assert untouched.status == "in_progress"
    assert apply_silent_consent() == 0  # idempotent
