from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from servicehall.accounts.models import ApplicantProfile, User, VerificationCode
from servicehall.accounts.services.applicants import (
    TooManyRequests,
    applicant_register,
    verification_code_check,
    verification_code_send,
)
from servicehall.core.errors import ValidationFailed
from servicehall.core.models import AuditEntry, OutboxMessage
from tests.portal.conftest import CREDIT_CODE, OTHER_ID, PASSWORD, PERSON_ID, register, sms_code

pytestmark = pytest.mark.django_db
PHONE = "13800138001"


def _register(code, **overrides):
    fields = dict(kind="person", name="孙丽", phone=PHONE, code=code, password=PASSWORD,
                  id_number=PERSON_ID)
    fields.update(overrides)
    return applicant_register(**fields)


def _fields(excinfo) -> dict:
    return excinfo.value.fields


def test_a_code_goes_out_by_sms_and_only_its_digest_is_stored(center):
    row = verification_code_send(phone=PHONE, ip="10.0.0.1")
    message = OutboxMessage.objects.get(event="accounts.verification_code")
    code = sms_code(PHONE)
    assert message.recipient == PHONE and "验证码" in message.body and center.name in message.body
    assert row.digest != code and len(row.digest) == 64
    assert AuditEntry.objects.filter(action="accounts.verification_code_sent").exists()


def test_a_person_registers_with_the_code_and_signs_in_with_the_mobile(center, client):
    verification_code_send(phone=PHONE)
    user = _register(sms_code(PHONE))
    profile = user.applicant_profile
    assert user.username == PHONE and user.role == "applicant" and user.check_password(PASSWORD)
    assert profile.kind == "person" and profile.id_number == PERSON_ID
    assert VerificationCode.objects.get().used_at is not None
    assert AuditEntry.objects.filter(action="accounts.applicant_registered").exists()
    # The ID number is encrypted at rest and absent from the audit log.
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM accounts_applicantprofile")
        assert PERSON_ID not in cursor.fetchone()[0]
    assert not AuditEntry.objects.filter(changes__icontains=PERSON_ID).exists()


def test_an_enterprise_registers_with_credit_code_and_legal_representative(center):
    user = register("enterprise", phone=PHONE, name="深圳市示例科技有限公司",
                    credit_code=CREDIT_CODE.lower(), legal_representative="陈刚")
    profile = user.applicant_profile
    assert profile.credit_code == CREDIT_CODE and profile.legal_representative == "陈刚"
    assert profile.id_number == ""


def test_a_bad_id_number_is_refused_before_the_code_is_tried(center):
    verification_code_send(phone=PHONE)
    with pytest.raises(ValidationFailed) as excinfo:
        _register("000000", id_number="110105194912310021")
    assert _fields(excinfo)["id_number"] == ["身份证号码校验位错误"]
    assert VerificationCode.objects.get().attempts == 0  # a typo costs no attempt
    assert not User.objects.filter(username=PHONE).exists()


def test_a_bad_credit_code_and_a_missing_representative_are_refused(center):
    verification_code_send(phone=PHONE)
    with pytest.raises(ValidationFailed) as excinfo:
        _register(sms_code(PHONE), kind="enterprise", id_number="",
                  credit_code="91350100M000100Y44", legal_representative=" ")
    assert _fields(excinfo)["credit_code"] == ["统一社会信用代码校验位错误"]
    assert "legal_representative" in _fields(excinfo)
    assert not ApplicantProfile.objects.exists()


def test_a_wrong_code_counts_and_says_how_many_tries_are_left(center):
    verification_code_send(phone=PHONE)
    with pytest.raises(ValidationFailed) as excinfo:
        _register("999999" if sms_code(PHONE) != "999999" else "999998")
    assert "还可尝试4次" in _fields(excinfo)["code"][0]
    assert VerificationCode.objects.get().attempts == 1  # committed despite the refusal
    assert not User.objects.exists()


@override_settings(SMS_CODE_MAX_ATTEMPTS=3)
def test_after_too_many_wrong_codes_even_the_right_one_is_refused(center):
    verification_code_send(phone=PHONE)
    right = sms_code(PHONE)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(3):
        with pytest.raises(ValidationFailed):
            _register(wrong)
    with pytest.raises(ValidationFailed) as excinfo:
        _register(right)
    assert "错误次数过多" in _fields(excinfo)["code"][0]
    assert not User.objects.exists()


def test_an_expired_code_is_refused(center):
    verification_code_send(phone=PHONE)
    VerificationCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationFailed) as excinfo:
        _register(sms_code(PHONE))
    assert "已过期" in _fields(excinfo)["code"][0]


def test_a_code_serves_one_registration_only(center):
    verification_code_send(phone=PHONE)
    code = sms_code(PHONE)
    _register(code)
    with pytest.raises(ValidationFailed) as excinfo:
        verification_code_check(phone=PHONE, code=code)
    assert "code" in _fields(excinfo)


def test_a_mobile_or_id_number_that_already_has_an_account_is_refused(center, person):
    with pytest.raises(ValidationFailed) as excinfo:
        verification_code_send(phone="13800138001")
    assert "已注册" in _fields(excinfo)["mobile"][0]
    verification_code_send(phone="13600136000")
    with pytest.raises(ValidationFailed) as excinfo:
        _register(sms_code("13600136000"), phone="13600136000")
    assert "身份证号码已注册" in _fields(excinfo)["id_number"][0]


def test_a_credit_code_that_already_has_an_account_is_refused(center, enterprise):
    verification_code_send(phone="13600136000")
    with pytest.raises(ValidationFailed) as excinfo:
        _register(sms_code("13600136000"), phone="13600136000", kind="enterprise",
                  id_number="", credit_code=CREDIT_CODE, legal_representative="陈刚")
    assert "信用代码已注册" in _fields(excinfo)["credit_code"][0]


def test_a_weak_password_and_a_bad_mobile_are_refused(center):
    with pytest.raises(ValidationFailed) as excinfo:
        verification_code_send(phone="12345")
    assert "mobile" in _fields(excinfo)
    with pytest.raises(ValidationFailed) as excinfo:
        _register("123456", password="abc", id_number=OTHER_ID)
    assert "password" in _fields(excinfo)


@override_settings(SMS_CODE_INTERVAL_SECONDS=60)
def test_one_code_a_minute_per_number(center):
    verification_code_send(phone=PHONE)
    with pytest.raises(TooManyRequests):
        verification_code_send(phone=PHONE)
    assert VerificationCode.objects.count() == 1


@override_settings(SMS_CODES_PER_IP_PER_HOUR=2)
def test_codes_per_address_are_limited(center):
    verification_code_send(phone="13800138001", ip="10.0.0.9")
    verification_code_send(phone="13800138002", ip="10.0.0.9")
    with pytest.raises(TooManyRequests):
        verification_code_send(phone="13800138003", ip="10.0.0.9")
    verification_code_send(phone="13800138004", ip="10.0.0.10")
    assert OutboxMessage.objects.count() == 3
