"""The API at /api/v1/: one NinjaAPI, one router per app, every error as {code, message, fields}."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from servicehall.accounts.selectors import user_for_token
from servicehall.core.errors import DomainError


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        if not token:
            return None
        user = user_for_token(key=token)
        if user is not None:
            request.user = user
        return user


class TokenHeader(APIKeyHeader):
    """`X-API-Token: <key>` for clients that cannot set Authorization."""

    param_name = "X-API-Token"

    def authenticate(self, request, key):
        return BearerToken().authenticate(request, key)


ERROR_RESPONSES = {
    "401": "Not signed in, or the token is not valid.",
    "403": "You are not allowed to do this.",
    "404": "The record does not exist or you may not see it.",
    "409": "The state or the revision changed meanwhile; reload and try again.",
    "422": "Some of the submitted data is invalid; `fields` says which.",
}
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["code", "message", "fields"],
    "properties": {
        "code": {"type": "string", "description": "machine-readable, e.g. invalid_state"},
        "message": {"type": "string", "description": "for people, in the hall's language"},
        "fields": {"type": "object", "additionalProperties": {
            "type": "array", "items": {"type": "string"}}},
    },
}


class ServiceHallAPI(NinjaAPI):
    """Every operation documents the structured error it may answer with."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_RESPONSES.items():
                    responses.setdefault(status, {"description": description,
                                                  "content": reference})
        return schema


api = ServiceHallAPI(
    title="ServiceHall API",
    version="1",
    description=_("Service center API. Authenticate with a session (staff web) or a bearer "
                  "token from POST /api/v1/auth/token."),
    auth=[BearerToken(), TokenHeader(), django_auth],
    urls_namespace="api",
)


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"code": code, "message": message, "fields": fields or {}}


def _field_name(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "payload")]
    return ".".join(parts) or "non_field"


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        fields.setdefault(_field_name(error.get("loc", ())), []).append(
            translate_pydantic(error))
    return api.create_response(
        request, error_body("validation_error", _("Some of the submitted data is invalid."),
                            fields), status=422)


def translate_pydantic(error: dict) -> str:
    kind = error.get("type", "")
    messages = {
        "missing": _("This field is required."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "date_from_datetime_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_parsing": _("Enter a date as YYYY-MM-DD."),
        "bool_parsing": _("Enter true or false."),
        "string_too_long": _("The text is too long."),
        "enum": _("Choose one of the allowed values."),
        "literal_error": _("Choose one of the allowed values."),
        "greater_than_equal": _("The value is too small."),
        "less_than_equal": _("The value is too large."),
        "decimal_parsing": _("Enter a number."),
        "json_invalid": _("The request body is not valid JSON."),
    }
    return str(messages.get(kind, _("Invalid value.")))


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return api.create_response(request, error_body(exc.code, exc.message, exc.fields),
                               status=exc.status)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return api.create_response(
        request, error_body("not_authenticated", _("Sign in or send a valid API token.")),
        status=401)


@api.exception_handler(DjangoPermissionDenied)
def on_permission_denied(request, exc):
    return api.create_response(
        request, error_body("permission_denied", _("You are not allowed to do this.")),
        status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(
        request, error_body("not_found", _("The record does not exist or you may not see it.")),
        status=404)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return api.create_response(request, error_body(f"http_{exc.status_code}", str(exc)),
                               status=exc.status_code)


@api.exception_handler(Exception)
def on_unexpected(request, exc):
    import logging

    logging.getLogger("servicehall.api").exception("Unhandled API error")
    return api.create_response(
        request, error_body("server_error", _("An unexpected error occurred; it has been "
                                              "logged.")), status=500)


def _register_routers() -> None:
    from servicehall.accounts.api import router as accounts_router
    from servicehall.cases.api import router as cases_router
    from servicehall.catalog.api import guide_router
    from servicehall.catalog.api import router as catalog_router
    from servicehall.core.api import router as core_router
    from servicehall.frontdesk.api import router as frontdesk_router
    from servicehall.online.api import router as online_router
    from servicehall.online.api import staff_router as online_staff_router
    from servicehall.portal.api import router as portal_router
    from servicehall.stats.api import router as stats_router
    from servicehall.supervision.api import router as supervision_router

    api.add_router("/auth", accounts_router)
    api.add_router("/calendar", core_router)
    api.add_router("/catalog", catalog_router)
    api.add_router("/cases", cases_router)
    api.add_router("/frontdesk", frontdesk_router)
    api.add_router("/stats", stats_router)
    api.add_router("/supervision", supervision_router)
    api.add_router("/my", portal_router)
    api.add_router("/my/applications", online_router)
    api.add_router("/online/applications", online_staff_router)
    api.add_router("/guide", guide_router)


_register_routers()
