"""Background jobs of the core app, run by `manage.py worker` (see settings.WORKER_JOBS)."""

from .outbox import send_due


def send_outbox() -> int:
    """Send the outbox messages that are due; retries wait for their backoff."""
    return send_due(limit=200).total
