"""`@audited_service`: one transaction per state change, and a failure entry when refused."""

import functools

from django.db import transaction

from . import audit
from .errors import DomainError


def audited_service(action: str):
    """Run the decorated service in one transaction. When it raises a DomainError the
    transaction rolls back and the refusal is recorded in the audit log (action + message),
    so refused attempts are as visible as successful ones."""

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            try:
                with transaction.atomic():
                    return func(*args, **kwargs)
            except DomainError as error:
                if not transaction.get_connection().needs_rollback:
                    audit.record_failure(action, by=kwargs.get("by"), message=error.message)
                raise

        return wrapper

    return decorate
