from . import context
from .choices import Channel


def channel_for_path(path: str) -> str:
    if path.startswith("/api/"):
        return Channel.API
    if path.startswith("/admin/"):
        return Channel.ADMIN
    return Channel.WEB


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ctx = context.ActorContext(ip=client_ip(request), channel=channel_for_path(request.path))
        token = context.enter(ctx)
        try:
            return self.get_response(request)
        finally:
            context.leave(token)


class DomainErrorMiddleware:
    """A refused service call on a page becomes a Chinese error page with the right status;
    the API has its own handlers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from .errors import DomainError

        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        return render(request, "errors/refused.html", {"error": exception},
                      status=exception.status)
