"""Background jobs of supervision, run by `manage.py worker` (settings.WORKER_JOBS) on the
embedded setup, and by Celery beat in production (config/celery.py), from the same list."""

import logging

from servicehall.core import businessday

from .escalation import escalate
from .irregularities import detect_state, detect_time
from .scanner import scan

log = logging.getLogger(__name__)


def scan_and_escalate() -> dict:
    """Every minute: relight the open cases and escalate."""
    today = businessday.today()
    report = scan(today=today)
    escalation = escalate(today=today)
    log.info("supervision scan: %d read, %d written in %.2fs; %d warned, %d yellow and %d red "
             "cards", report.read, report.written, report.seconds, escalation.warned,
             escalation.yellow_cards, escalation.red_cards)
    return {"scan": report, "escalation": escalation}


def find_time_irregularities() -> int:
    """Hourly: the time rules (untouched, suspension overrun, no calendar), which change with
    the date rather than the minute."""
    return sum(detect_time(today=businessday.today()).values())


def sweep_irregularities() -> int:
    """Daily: the state rules over every case (transitions check their own case at once)."""
    return sum(detect_state(today=businessday.today()).values())
