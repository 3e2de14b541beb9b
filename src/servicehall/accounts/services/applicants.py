"""Applicant accounts of the online hall: an SMS code proves the mobile, then the account is
created for a person (name, ID number) or an enterprise (name, credit code, legal
representative), and an enterprise keeps the list of agents it authorises."""

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from servicehall.core import audit, outbox
from servicehall.core.audited import audited_service
from servicehall.core.choices import MessageChannel
from servicehall.core.errors import DomainError, NotFound, ValidationFailed
from servicehall.core.fields import blind_index
from servicehall.core.identifiers import (
    InvalidIdentifier,
    validate_credit_code,
    validate_id_number,
)
from servicehall.core.ratelimit import allow

from ..choices import ApplicantKind, CodePurpose, Role
from ..models import ApplicantProfile, AuthorisedAgent, User, VerificationCode

MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")


class TooManyRequests(DomainError):
    code = "too_many_requests"
    status = 429


def code_digest(phone: str, code: str) -> str:
    return salted_hmac("servicehall.verification-code", f"{phone}:{code}",
                       algorithm="sha256").hexdigest()


def check_mobile(phone: str) -> str:
    phone = phone.strip()
    if not MOBILE_RE.fullmatch(phone):
        raise ValidationFailed(fields={"mobile": [_("Enter an 11-digit mainland mobile number.")]})
    return phone


def _sms_allowed(phone: str, ip: str | None) -> bool:
    """One code a minute and a few an hour per number; a few dozen an hour per address."""
    checks = [(f"sms:gap:{phone}", 1, settings.SMS_CODE_INTERVAL_SECONDS),
              (f"sms:hour:{phone}", settings.SMS_CODES_PER_PHONE_PER_HOUR, 3600)]
    if ip:
        checks.append((f"sms:ip:{ip}", settings.SMS_CODES_PER_IP_PER_HOUR, 3600))
    return all(allow(key, limit=limit, window_seconds=window)
               for key, limit, window in checks)


def verification_code_send(*, phone: str, purpose: str = CodePurpose.REGISTER,
                           ip: str | None = None) -> VerificationCode:
    """Write a fresh 6-digit code and its SMS in one transaction; the SMS is tried at once
    after the commit (the outbox worker retries it if the gateway is down)."""
    from servicehall.catalog.selectors import default_center

    phone = check_mobile(phone)
    if purpose == CodePurpose.REGISTER and ApplicantProfile.objects.filter(
            mobile=phone).exists():
        raise ValidationFailed(fields={"mobile": [_("This mobile number already has an "
                                                    "account; sign in instead.")]})
    if not _sms_allowed(phone, ip):
        raise TooManyRequests(_("Too many codes requested; wait a minute and try again."))
    center = default_center()
    if center is None:
        raise DomainError(_("The online hall is not set up yet."))
    code = f"{secrets.randbelow(10 ** 6):06d}"
    minutes = settings.SMS_CODE_TTL_SECONDS // 60
    with transaction.atomic():
        row = VerificationCode.objects.create(
            phone=phone, purpose=purpose, digest=code_digest(phone, code), ip=ip,
            expires_at=timezone.now() + timedelta(seconds=settings.SMS_CODE_TTL_SECONDS))
        message = outbox.enqueue(
            center=center, channel=MessageChannel.SMS, recipient=phone,
            event="accounts.verification_code", obj=row,
            body=_("【{center}】Your verification code is {code}, valid for {minutes} minutes. "
                   "Do not tell it to anyone.").format(center=center.name, code=code,
                                                      minutes=minutes))
        audit.record("accounts.verification_code_sent", obj=row,
                     object_label=outbox.masked_recipient(phone))
    transaction.on_commit(lambda: outbox.send_now(message))
    return row


def verification_code_check(*, phone: str, code: str,
                            purpose: str = CodePurpose.REGISTER) -> VerificationCode:
    """The latest unused code of `phone`, if `code` matches it. A wrong code counts against
    the code (committed even though the caller's request fails); after
    SMS_CODE_MAX_ATTEMPTS wrong tries or once expired, only a new code helps."""
    now, refusal = timezone.now(), None
    with transaction.atomic():
        row = (VerificationCode.objects.select_for_update()
               .filter(phone=phone, purpose=purpose, used_at__isnull=True)
               .order_by("-created_at", "-pk").first())
        if row is None or row.expires_at <= now:
            refusal = _("The code has expired or was not requested; request a new one.")
        elif row.attempts >= settings.SMS_CODE_MAX_ATTEMPTS:
            refusal = _("Too many wrong codes; request a new one.")
        elif not constant_time_compare(row.digest, code_digest(phone, code.strip())):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            left = settings.SMS_CODE_MAX_ATTEMPTS - row.attempts
            refusal = (_("Wrong code; {left} tries left.").format(left=left) if left
                       else _("Too many wrong codes; request a new one."))
    if refusal is not None:
        audit.record_failure("accounts.verification_code_check", obj=row, message=refusal)
        raise ValidationFailed(fields={"code": [refusal]})
    assert row is not None  # no code row is a refusal above
    return row


def _identity_errors(*, kind: str, name: str, id_number: str, credit_code: str,
                     legal_representative: str) -> tuple[dict[str, list[str]], str, str]:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Enter the name.")]
    if kind == ApplicantKind.PERSON:
        try:
            id_number = validate_id_number(id_number)
        except InvalidIdentifier as invalid:
            errors["id_number"] = [invalid.message]
        else:
            if ApplicantProfile.objects.filter(id_number_index=blind_index(id_number)).exists():
                errors["id_number"] = [_("An account with this ID number already exists.")]
        return errors, id_number, ""
    if kind != ApplicantKind.ENTERPRISE:
        errors["kind"] = [_("Choose person or enterprise.")]
        return errors, "", ""
    try:
        credit_code = validate_credit_code(credit_code)
    except InvalidIdentifier as invalid:
        errors["credit_code"] = [invalid.message]
    else:
        if ApplicantProfile.objects.filter(credit_code=credit_code).exists():
            errors["credit_code"] = [_("An account with this credit code already exists.")]
    if not legal_representative.strip():
        errors["legal_representative"] = [_("Enter the legal representative.")]
    return errors, "", credit_code


def _registration_errors(*, kind, name, phone, password, id_number, credit_code,
                         legal_representative) -> tuple[dict[str, list[str]], str, str]:
    errors, id_number, credit_code = _identity_errors(
        kind=kind, name=name, id_number=id_number, credit_code=credit_code,
        legal_representative=legal_representative)
    if not MOBILE_RE.fullmatch(phone):
        errors["mobile"] = [_("Enter an 11-digit mainland mobile number.")]
    elif (ApplicantProfile.objects.filter(mobile=phone).exists()
          or User.objects.filter(username=phone).exists()):
        errors["mobile"] = [_("This mobile number already has an account; sign in instead.")]
    try:
        validate_password(password, User(username=phone, full_name=name))
    except ValidationError as invalid:
        errors["password"] = list(invalid.messages)
    return errors, id_number, credit_code


def applicant_register(*, kind: str, name: str, phone: str, code: str, password: str,
                       id_number: str = "", credit_code: str = "",
                       legal_representative: str = "") -> User:
    """Create an applicant account whose sign-in name is the verified mobile number. Field
    errors are reported before the code is tried, so a typo costs no attempt."""
    phone = phone.strip()
    errors, id_number, credit_code = _registration_errors(
        kind=kind, name=name, phone=phone, password=password, id_number=id_number,
        credit_code=credit_code, legal_representative=legal_representative)
    if errors:
        raise ValidationFailed(fields=errors)
    checked = verification_code_check(phone=phone, code=code)
    try:
        return _register(code=checked, kind=kind, name=name.strip(), phone=phone,
                         password=password, id_number=id_number, credit_code=credit_code,
                         legal_representative=legal_representative.strip())
    except IntegrityError:  # the same mobile, ID or code registered a moment ago
        raise ValidationFailed(_("An account with these details was just created; sign "
                                 "in instead.")) from None


@audited_service("accounts.applicant_register")
def _register(*, code: VerificationCode, kind, name, phone, password, id_number, credit_code,
              legal_representative) -> User:
    code = VerificationCode.objects.select_for_update().get(pk=code.pk)
    if code.used_at is not None:
        raise ValidationFailed(fields={"code": [_("The code has expired or was not "
                                                  "requested; request a new one.")]})
    code.used_at = timezone.now()
    code.save(update_fields=["used_at"])
    return _create(kind=kind, name=name, phone=phone, password=password, id_number=id_number,
                   credit_code=credit_code, legal_representative=legal_representative)


@audited_service("accounts.applicant_create")
def applicant_create(*, kind: str, name: str, phone: str, password: str, id_number: str = "",
                     credit_code: str = "", legal_representative: str = "") -> User:
    """An applicant account set up by the system (the demo loader, a migration of accounts
    from another system): the same checks as a registration, without the SMS code."""
    errors, id_number, credit_code = _registration_errors(
        kind=kind, name=name, phone=phone, password=password, id_number=id_number,
        credit_code=credit_code, legal_representative=legal_representative)
    if errors:
        raise ValidationFailed(fields=errors)
    return _create(kind=kind, name=name.strip(), phone=phone, password=password,
                   id_number=id_number, credit_code=credit_code,
                   legal_representative=legal_representative.strip())


def _create(*, kind, name, phone, password, id_number, credit_code,
            legal_representative) -> User:
    user = User(username=phone, full_name=name, role=Role.APPLICANT, phone=phone)
    user.set_password(password)
    user.save()
    profile = ApplicantProfile.objects.create(
        user=user, kind=kind, name=name, mobile=phone, id_number=id_number,
        credit_code=credit_code, legal_representative=legal_representative)
    audit.record("accounts.applicant_registered", obj=profile, by=user, changes=audit.snapshot(
        profile, ["kind", "name", "id_number", "credit_code", "legal_representative"]))
    return user


def _own_enterprise(profile: ApplicantProfile, by) -> ApplicantProfile:
    if by is None or profile.user_id != by.pk:
        raise NotFound()
    if not profile.is_enterprise:
        raise ValidationFailed(_("Only an enterprise account authorises agents."))
    return profile


@audited_service("accounts.agent_add")
def agent_add(*, profile: ApplicantProfile, name: str, id_number: str, mobile: str,
              by) -> AuthorisedAgent:
    profile = _own_enterprise(profile, by)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Enter the name.")]
    try:
        id_number = validate_id_number(id_number)
    except InvalidIdentifier as invalid:
        errors["id_number"] = [invalid.message]
    else:
        if profile.agents.filter(is_active=True,
                                 id_number_index=blind_index(id_number)).exists():
            errors["id_number"] = [_("This person is already an authorised agent.")]
    if not MOBILE_RE.fullmatch(mobile.strip()):
        errors["mobile"] = [_("Enter an 11-digit mainland mobile number.")]
    if errors:
        raise ValidationFailed(fields=errors)
    agent = AuthorisedAgent.objects.create(profile=profile, name=name.strip(),
                                           id_number=id_number, mobile=mobile.strip())
    audit.record("accounts.agent_added", obj=agent, by=by,
                 changes=audit.snapshot(agent, ["profile", "name", "id_number"]))
    return agent


@audited_service("accounts.agent_deactivate")
def agent_deactivate(*, agent: AuthorisedAgent, by) -> AuthorisedAgent:
    found = (AuthorisedAgent.objects.select_for_update().select_related("profile")
             .filter(pk=agent.pk).first())
    if found is None:
        raise NotFound()
    agent = found
    _own_enterprise(agent.profile, by)
    if agent.is_active:
        agent.is_active = False
        agent.save(update_fields=["is_active"])
        audit.record("accounts.agent_deactivated", obj=agent, by=by,
                     changes={"is_active": [True, False]})
    return agent
