"""Errors a service raises when it refuses to act. The API turns them into
`{code, message, fields}`; the UI shows `message`."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    status = 400
    default_message = _("The request could not be carried out.")

    def __init__(self, message=None, *, code: str | None = None,
                 fields: dict[str, list[str]] | None = None):
        self.message = str(message or self.default_message)
        if code:
            self.code = code
        self.fields = fields or {}
        super().__init__(self.message)


class ValidationFailed(DomainError):
    code = "validation_error"
    status = 422
    default_message = _("Some of the submitted data is invalid.")


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("The record does not exist or you may not see it.")


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    default_message = _("You are not allowed to do this.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = _("Someone else changed this record meanwhile; reload and try again.")


class CalendarMissing(DomainError):
    code = "calendar_not_configured"
    status = 422
