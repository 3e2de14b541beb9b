"""Background jobs of supervision, run by `manage.py worker` (settings.WORKER_JOBS) on the
embedded setup. Celery beat is not installed; a production scheduler calls the same function."""

import logging

from servicehall.core import businessday

from .escalation import escalate
from .irregularities import detect_state, detect_time
from .scanner import scan

log = logging.getLogger(__name__)


def scan_and_escalate() -> dict:
    """Every minute: relight the open cases, escalate, look for time-based irregularities."""
    today = businessday.today()
    report = scan(today=today)
    escalation = escalate(today=today)
    findings = detect_time(today=today)
    log.info("supervision scan: %d read, %d written in %.2fs; %d warned, %d yellow and %d red "
             "cards; %d new findings", report.read, report.written, report.seconds,
             escalation.warned, escalation.yellow_cards, escalation.red_cards,
             sum(findings.values()))
    return {"scan": report, "escalation": escalation, "findings": findings}


def sweep_irregularities() -> int:
    """Daily: the state rules over every case (transitions check their own case at once)."""
    return sum(detect_state(today=businessday.today()).values())
