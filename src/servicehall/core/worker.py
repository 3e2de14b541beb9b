"""The background worker of the embedded setup: sends the outbox and runs the periodic jobs
named in settings.WORKER_JOBS, each at its own interval. One job failing is logged and retried
at its next turn; it never stops the others."""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


@dataclass
class Job:
    path: str
    every_seconds: float
    run: Callable[[], object]
    next_run: float = 0.0


def configured_jobs() -> list[Job]:
    return [Job(path, float(every), import_string(path)) for path, every in settings.WORKER_JOBS]


def run_due(jobs: list[Job], *, now: float) -> list[str]:
    """Run every job whose turn has come; returns the paths that ran."""
    ran = []
    for job in jobs:
        if now < job.next_run:
            continue
        try:
            job.run()
        except Exception:
            log.exception("worker job %s failed; it runs again at its next turn", job.path)
        job.next_run = now + job.every_seconds
        ran.append(job.path)
    return ran


def run_forever(jobs: list[Job], *, tick_seconds: float = 1.0) -> None:
    while True:
        run_due(jobs, now=time.monotonic())
        close_old_connections()  # a long-running worker drops broken connections
        time.sleep(tick_seconds)
