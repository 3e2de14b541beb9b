"""The staff navigation, by role. Apps add their entries here as they arrive."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import Role


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    permission: str  # checked with user.has_perm(permission, user.center)
    icon: str = ""


ENTRIES: list[NavEntry] = [
    NavEntry(_("My desk"), "accounts:home", "accounts.use_staff_site", "⌂"),
    NavEntry(_("Case queue"), "cases:queue", "accounts.use_staff_site", "☷"),
    NavEntry(_("New intake"), "cases:intake", "cases.intake", "✚"),
    NavEntry(_("Online pre-review"), "online_staff:queue", "online.view_queue", "⇩"),
    NavEntry(_("Service catalog"), "catalog:staff_items", "catalog.browse_staff_catalog", "☰"),
    NavEntry(_("Departments and windows"), "catalog:staff_departments",
             "catalog.browse_staff_catalog", "▦"),
    NavEntry(_("Catalog import / export"), "catalog:staff_import", "catalog.import_catalog",
             "⇅"),
    NavEntry(_("Working calendar"), "core:calendar", "accounts.use_staff_site", "▤"),
    NavEntry(_("Audit log"), "core:audit", "accounts.view_auditlog", "✎"),
    NavEntry(_("Statistics"), "stats:dashboard", "stats.view_statistics", "▥"),
    NavEntry(_("E-supervision"), "supervision:board", "supervision.view_board", "◉"),
    NavEntry(_("Public service guide"), "catalog:guide", "accounts.use_staff_site", "ℹ"),
    NavEntry(_("API documentation"), "api_docs", "accounts.use_staff_site", "⚙"),
    NavEntry(_("Guide desk and queues"), "frontdesk:desk", "frontdesk.view_hall", "№"),
    NavEntry(_("Window calling"), "frontdesk:window", "frontdesk.call_ticket", "☎"),
    NavEntry(_("Appointments"), "frontdesk:appointments", "frontdesk.view_hall", "◷"),
    NavEntry(_("Queue statistics"), "frontdesk:statistics", "frontdesk.view_hall", "▥"),
    NavEntry(_("Consultations and hall services"), "frontdesk:services",
             "frontdesk.view_hall", "✆"),
]


def entries_for(user) -> list[dict]:
    """The staff entries the user may open; none for applicants (no permission lookups)."""
    if not user.is_authenticated or (user.role == Role.APPLICANT and not user.is_superuser):
        return []
    center = getattr(user, "center", None)
    return [
        {"label": entry.label, "url": reverse(entry.url_name), "icon": entry.icon,
         "url_name": entry.url_name}
        for entry in ENTRIES
        if user.has_perm(entry.permission, center)
    ]
