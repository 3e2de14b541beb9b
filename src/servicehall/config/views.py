from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

ADMIN_TITLE = _("ServiceHall administration")
ADMIN_INDEX_TITLE = _("Site administration")


def _api_error(status: int, code: str, message) -> JsonResponse:
    return JsonResponse({"code": code, "message": str(message), "fields": {}}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return _api_error(404, "not_found", _("No such API endpoint."))
    return render(request, "errors/404.html", status=404)


def server_error(request):
    if request.path.startswith("/api/"):
        return _api_error(500, "server_error", _("An unexpected error occurred; it has been "
                                                 "logged."))
    return render(request, "errors/500.html", status=500)


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
