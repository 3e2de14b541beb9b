"""What every application service shares: the row lock with the state and revision check,
and the audit entry."""

import re

from django.utils.translation import gettext as _

from servicehall.core import audit
from servicehall.core.errors import Conflict, DomainError

from ..models import Application

MOBILE = re.compile(r"^1[3-9]\d{9}$")


class ApplicationStateError(Conflict):
    code = "invalid_state"


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429


def locked(application: Application, *, allowed,
           expected_revision: int | None = None) -> Application:
    """The application row, locked for this transaction, in one of the `allowed` states."""
    current = (Application.objects.select_for_update(of=("self",))
               .select_related("item_version", "center").get(pk=application.pk))
    if expected_revision is not None and current.revision != expected_revision:
        raise Conflict(_("Application {reference} was changed meanwhile (perhaps in another "
                         "window); reload it and try again.").format(
            reference=current.reference))
    if current.status not in allowed:
        raise ApplicationStateError(_("Application {reference} is “{status}”; this cannot be "
                                      "done now.").format(reference=current.reference,
                                                          status=current.get_status_display()))
    return current


SNAPSHOT_FIELDS = ["status", "applicant_kind", "applicant_name", "applicant_id_number",
                   "credit_code", "agent_name", "agent_id_number", "phone", "delivery_mode",
                   "postal_address", "remarks", "supplement_notice", "supplement_note",
                   "rejection_reason", "case", "revision"]


def snapshot(application: Application) -> dict:
    return audit.snapshot(application, SNAPSHOT_FIELDS)


def saved(application: Application, *, action: str, by, before: dict) -> Application:
    """Bump the revision, save, and write the audit entry with what changed."""
    application.revision += 1
    application.save()
    audit.record(action, obj=application, by=by,
                 changes=audit.diff(before, snapshot(application)))
    return application
