import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit
from servicehall.core.audited import audited_service
from servicehall.core.errors import DomainError, PermissionDenied, ValidationFailed
from servicehall.core.identifiers import InvalidIdentifier, validate_id_number

from ..choices import DEPARTMENT_ROLES, STAFF_ROLES, Role
from ..models import ApiToken, LoginThrottle, User, token_digest


class LoginRefused(DomainError):
    code = "invalid_credentials"
    status = 401


class AccountLocked(LoginRefused):
    code = "account_locked"
    status = 423


def _check_user_fields(*, role, center, department, id_number) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if role in STAFF_ROLES and center is None:
        errors["center"] = [_("Staff accounts need a center.")]
    if role in DEPARTMENT_ROLES and department is None:
        errors["department"] = [_("Reviewers and chief representatives need a department.")]
    if department is not None and center is not None and department.center_id != center.pk:
        errors["department"] = [_("The department belongs to another center.")]
    if id_number:
        try:
            validate_id_number(id_number)
        except InvalidIdentifier as invalid:
            errors["id_number"] = [invalid.message]
    return errors


@audited_service("accounts.user_create")
def user_create(*, username: str, password: str, full_name: str, role: str = Role.APPLICANT,
                center=None, department=None, phone: str = "", id_number: str = "",
                by=None) -> User:
    errors = _check_user_fields(role=role, center=center, department=department,
                                id_number=id_number)
    if User.objects.filter(username=username).exists():
        errors["username"] = [_("This user name is taken.")]
    candidate = User(username=username, full_name=full_name)
    try:
        validate_password(password, candidate)
    except ValidationError as invalid:
        errors["password"] = list(invalid.messages)
    if errors:
        raise ValidationFailed(fields=errors)
    user = User(username=username, full_name=full_name, role=role, center=center,
                department=department, phone=phone,
                id_number=validate_id_number(id_number) if id_number else "")
    user.set_password(password)
    user.save()
    audit.record("accounts.user_created", obj=user, by=by, changes=audit.snapshot(
        user, ["username", "full_name", "role", "center", "department", "id_number"]))
    return user


def _throttle_for(username: str) -> LoginThrottle:
    throttle, _created = LoginThrottle.objects.select_for_update().get_or_create(
        username=username[:150])
    return throttle


def _refuse_login(*, throttle: LoginThrottle, now) -> LoginRefused:
    throttle.failures += 1
    throttle.last_failure_at = now
    if throttle.failures >= settings.LOGIN_MAX_FAILURES:
        throttle.failures = 0
        throttle.locked_until = now + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
        throttle.save()
        minutes = -(-settings.LOGIN_LOCKOUT_SECONDS // 60)
        return AccountLocked(_("Too many failed attempts: the account is locked for "
                               "{minutes} minutes.").format(minutes=minutes))
    throttle.save()
    left = settings.LOGIN_MAX_FAILURES - throttle.failures
    return LoginRefused(_("Wrong user name or password; {left} attempts left before the "
                          "account is locked.").format(left=left))


def login_check(*, request, username: str, password: str) -> User:
    """Authenticate with lockout: N consecutive failures lock the user name for a while.
    Every attempt, kept or refused, is in the audit log."""
    now = timezone.now()
    with transaction.atomic():
        throttle = _throttle_for(username)
        if throttle.is_locked(now):
            minutes = throttle.minutes_locked(now)
            refusal: LoginRefused = AccountLocked(
                _("The account is locked; try again in {minutes} minutes.").format(
                    minutes=minutes))
        else:
            user = authenticate(request, username=username, password=password)
            if user is not None:
                throttle.failures, throttle.locked_until = 0, None
                throttle.save()
                audit.record("accounts.login", obj=user, by=user)
                return user
            refusal = _refuse_login(throttle=throttle, now=now)
        audit.record_failure("accounts.login", by=None, message=f"{username}: {refusal.code}")
    raise refusal


def logout_record(*, user) -> None:
    audit.record("accounts.logout", obj=user, by=user)


def session_expired_record(*, user) -> None:
    audit.record("accounts.session_expired", obj=user, by=user)


@audited_service("accounts.token_create")
def token_create(*, user: User, name: str, by) -> tuple[ApiToken, str]:
    """A new API token; the plain key is returned once and never stored."""
    if by != user and not by.is_superuser:
        raise PermissionDenied()
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:60] or "api", prefix=key[:8], digest=token_digest(key),
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS))
    audit.record("accounts.token_created", obj=token, by=by, center=user.center,
                 object_label=str(token))
    return token, key


@audited_service("accounts.token_revoke")
def token_revoke(*, token: ApiToken, by) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if by != token.user and not by.is_superuser:
        raise PermissionDenied()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record("accounts.token_revoked", obj=token, by=by, center=token.user.center,
                     object_label=str(token))
    return token
