from django.utils import timezone

from servicehall.core.compiled import Compiled

from .models import ApiToken, User, token_digest

# Every API call runs it first.
_TOKEN = Compiled(lambda digest: ApiToken.objects.select_related(
    "user", "user__center", "user__department").filter(digest=digest).order_by()[:1],
    digest=str)


def user_for_token(*, key: str) -> User | None:
    """The active user a bearer token belongs to, or None when it is unknown, expired or
    revoked. Touches `last_used_at` at most once a minute."""
    token = _TOKEN.first(digest=token_digest(key))
    now = timezone.now()
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def home_summary(*, user) -> dict:
    """What the staff desk shows: who I am, what I may see, my latest actions."""
    from servicehall.catalog.selectors import departments_for_staff, items_for_staff
    from servicehall.core.models import AuditEntry

    summary = {"items": 0, "departments": 0, "recent": []}
    if user.is_center_staff or user.is_superuser:
        summary["items"] = items_for_staff(user=user).count()
        summary["departments"] = departments_for_staff(user=user).count()
    summary["recent"] = list(AuditEntry.objects.filter(actor=user).order_by("-pk")[:8])
    return summary
