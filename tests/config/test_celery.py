"""Celery in production runs the same jobs at the same intervals as the embedded worker;
without a broker tasks run eagerly in-process."""

import pytest
from django.conf import settings

from servicehall.config.celery import app, beat_schedule, run_job

CALLS: list[str] = []


def a_job() -> str:
    CALLS.append("ran")
    return "done"


def test_beat_schedules_every_worker_job_at_its_interval():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert sorted(entry["args"][0] for entry in schedule.values()) == sorted(
        path for path, _every in settings.WORKER_JOBS)
    for path, every in settings.WORKER_JOBS:
        entry = next(e for e in schedule.values() if e["args"] == (path,))
        assert entry["task"] == "servicehall.run_job" and entry["schedule"] == every
    scan = next(e for e in schedule.values()
                if e["args"][0].endswith("scan_and_escalate"))
    assert scan["schedule"] == 60  # the supervision scan, every minute


def test_the_app_reads_the_django_settings_and_knows_the_task():
    assert app.conf.timezone == "Asia/Shanghai"
    assert app.conf.task_always_eager is True  # no broker configured in the tests
    assert "servicehall.run_job" in app.tasks


def test_a_job_runs_eagerly_without_a_broker(settings):
    settings.WORKER_JOBS = [("tests.config.test_celery.a_job", 5)]
    CALLS.clear()
    assert run_job.apply(args=["tests.config.test_celery.a_job"]).get() == "done"
    assert CALLS == ["ran"]


def test_only_configured_jobs_run(settings):
    settings.WORKER_JOBS = []
    with pytest.raises(ValueError):
        run_job.apply(args=["os.getcwd"]).get()


def test_a_schedule_entry_expires_with_its_interval():
    entry = beat_schedule([("x.y.every_ten", 10)])["every_ten"]
    assert entry["options"] == {"expires": 10.0} and entry["args"] == ("x.y.every_ten",)
