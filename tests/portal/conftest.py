import re

import pytest
from django.core.cache import cache

from servicehall.accounts.choices import Role
from servicehall.accounts.services.applicants import applicant_register, verification_code_send
from servicehall.cases.services import Applicant, case_intake
from servicehall.core.models import OutboxMessage

PASSWORD = "Portal-2026-pw"
PERSON_ID = "11010519491231002X"
OTHER_ID = "440308199901011234"
CREDIT_CODE = "91350100M000100Y43"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def sms_code(phone: str) -> str:
    """The code in the newest SMS to `phone`, read from the outbox as a phone would."""
    message = (OutboxMessage.objects.filter(recipient=phone, event="accounts.verification_code")
               .order_by("-pk").first())
    return re.search(r"(?<!\d)\d{6}(?!\d)", message.body).group(0)


def register(kind="person", *, phone, name="孙丽", id_number="", credit_code="",
             legal_representative=""):
    verification_code_send(phone=phone)
    cache.clear()  # the next registration in the same test may use the same address
    return applicant_register(kind=kind, name=name, phone=phone, code=sms_code(phone),
                              password=PASSWORD, id_number=id_number, credit_code=credit_code,
                              legal_representative=legal_representative)


@pytest.fixture
def person(center):
    return register(phone="13800138001", id_number=PERSON_ID)


@pytest.fixture
def other_person(center):
    return register(phone="13900139002", name="王强", id_number=OTHER_ID)


@pytest.fixture
def enterprise(center):
    return register("enterprise", phone="13700137003", name="深圳市示例科技有限公司",
                    credit_code=CREDIT_CODE, legal_representative="陈刚")


@pytest.fixture
def clerk(make_user):
    return make_user(Role.WINDOW_STAFF, username="clerk")


@pytest.fixture
def all_materials(item_a):
    return {m.pk for m in item_a.current_version.materials.all()}


@pytest.fixture
def file_case(item_a, clerk, all_materials):
    """A case accepted at a window; `account` ties it to an online account."""

    def make(*, account=None, name="孙丽", id_number=PERSON_ID, kind="person", received=None,
             credit_code="", phone="13800138001", **extra):
        applicant = Applicant(kind=kind, name=name, id_number=id_number if kind == "person"
                              else "", credit_code=credit_code, phone=phone,
                              agent_name="李明" if kind == "enterprise" else "",
                              agent_id_number=OTHER_ID if kind == "enterprise" else "")
        return case_intake(item=item_a, applicant=applicant, by=clerk, account=account,
                           received=all_materials if received is None else received, **extra)

    return make
