from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

ACTION_LABELS = {
    "accounts.login": _("Sign-in"),
    "accounts.logout": _("Sign-out"),
    "accounts.session_expired": _("Session expired"),
    "accounts.user_created": _("User created"),
    "accounts.token_created": _("API token created"),
    "accounts.token_revoked": _("API token revoked"),
    "catalog.item_created": _("Service item created"),
    "catalog.item_updated": _("New item version published"),
    "catalog.item_update": _("Item edit refused"),
    "catalog.item_published": _("Item published"),
    "catalog.item_withdrawn": _("Item withdrawn"),
    "catalog.department_saved": _("Department saved"),
    "catalog.window_saved": _("Window saved"),
    "catalog.theme_created": _("Theme created"),
    "core.center_created": _("Center created"),
    "core.calendar_day_changed": _("Calendar day changed"),
    "core.calendar_year_loaded": _("Calendar year loaded"),
}


@register.filter
def action_label(code: str) -> str:
    """A readable name for an audit action code; unknown codes are shown as they are."""
    return str(ACTION_LABELS.get(code, code))
