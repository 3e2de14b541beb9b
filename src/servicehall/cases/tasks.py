"""Background jobs of the cases app, run by `manage.py worker` (see settings.WORKER_JOBS)."""

import logging

from servicehall.core import businessday

from .services import cases_apply_silent_consent

log = logging.getLogger(__name__)


def apply_silent_consent() -> int:
    """逾期默认: approve the open cases whose legal limit passed on items that allow it."""
    numbers = cases_apply_silent_consent(today=businessday.today())
    if numbers:
        log.info("silent consent: %d cases approved by law: %s", len(numbers),
                 ", ".join(numbers))
    return len(numbers)
