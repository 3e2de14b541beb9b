"""Celery for production: a worker runs the background jobs and beat schedules them, from the
same list the embedded worker uses (settings.WORKER_JOBS), so both run the same jobs at the
same intervals.

    celery -A servicehall.config worker --loglevel=info
    celery -A servicehall.config beat --loglevel=info

Without CELERY_BROKER_URL (the embedded default on SQLite) tasks run eagerly in-process and
`manage.py worker` is the scheduler."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.config.settings")

app = Celery("servicehall")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="servicehall.run_job", ignore_result=True)
def run_job(path: str):
    """Run one job of settings.WORKER_JOBS by its dotted path (what beat sends)."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    if path not in dict(settings.WORKER_JOBS):
        raise ValueError(f"{path} is not a job of settings.WORKER_JOBS")
    return import_string(path)()


def beat_schedule(jobs) -> dict:
    """One beat entry per job, at the job's interval in seconds."""
    return {path.rsplit(".", 1)[-1]: {"task": "servicehall.run_job", "schedule": float(every),
                                      "args": (path,), "options": {"expires": float(every)}}
            for path, every in jobs}
