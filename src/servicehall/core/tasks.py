"""Background jobs of the core app, run by `manage.py worker` (see settings.WORKER_JOBS)."""

from . import audit
from .outbox import send_due


def seal_audit() -> int:
    """Seal the audit entries that no commit has sealed yet (a sealer was busy, or sealing
    after commit is off)."""
    return audit.seal()


def send_outbox() -> int:
    """Send the outbox messages that are due; retries wait for their backoff."""
    return send_due(limit=200).total
