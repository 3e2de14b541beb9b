from django.urls import resolve
from django.urls.exceptions import Resolver404

from .navigation import entries_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": []}
    try:
        current = resolve(request.path_info)
        current_name = f"{current.namespace}:{current.url_name}" if current.namespace \
            else current.url_name
    except Resolver404:
        current_name = ""
    entries = entries_for(user)
    for entry in entries:
        entry["active"] = entry["url_name"] == current_name
    return {"nav_entries": entries}
