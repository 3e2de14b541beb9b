from .errors import PermissionDenied


def require_perm(by, permission: str, obj) -> None:
    """Refuse unless `by` holds `permission` on `obj`. `by=None` is the system itself
    (management commands, the demo loader)."""
    if by is not None and not by.has_perm(permission, obj):
        raise PermissionDenied()
