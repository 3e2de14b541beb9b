from datetime import date

import pytest
from django.db import connection
from django.utils import timezone

from servicehall.cases.models import Case, CaseNumberCounter
from servicehall.cases.services import Applicant, case_intake
from servicehall.catalog.services import item_update
from servicehall.core.errors import PermissionDenied, ValidationFailed
from servicehall.core.models import AuditEntry
from tests.cases.conftest import ENTERPRISE, PERSON
from tests.factories import elements

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def wednesday_before_national_day(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 9, 30))


def test_complete_materials_are_accepted_with_deadlines_on_the_official_calendar(
        item_a, clerk, all_materials):
    case = case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)
    assert case.number == "440300-20260930-00001"
    assert (case.status, case.case_type) == ("in_progress", "promised")
    assert case.clock_start == date(2026, 9, 30)
    assert case.promised_due == date(2026, 10, 20)  # 10 working days across National Day
    assert case.legal_due == date(2026, 11, 3)
    assert case.item_version == item_a.current_version


def test_main_materials_present_others_missing_is_a_supplement_case_with_no_clock(
        item_a, clerk, key_materials):
    case = case_intake(item=item_a, applicant=PERSON, received=key_materials, by=clerk)
    assert (case.status, case.case_type) == ("awaiting_materials", "supplement")
    assert case.clock_start is None and case.promised_due is None
    notice = case.events.get(kind="supplement_requested").note
    assert notice == "营业执照复印件"  # every missing required material, listed at once


def test_a_missing_main_material_means_return_and_a_reason_is_required(item_a, clerk):
    with pytest.raises(ValidationFailed) as refused:
        case_intake(item=item_a, applicant=PERSON, received=set(), by=clerk)
    assert "return_reasons" in refused.value.fields
    assert not Case.objects.exists()
    case = case_intake(item=item_a, applicant=PERSON, received=set(), by=clerk,
                       return_reasons=["key_materials_missing"], return_note="缺申请书")
    assert (case.status, case.case_type, case.accepted_on) == ("returned", "returned", None)


def test_overriding_the_proposed_outcome_needs_a_reason(item_a, clerk, key_materials):
    with pytest.raises(ValidationFailed) as refused:
        case_intake(item=item_a, applicant=PERSON, received=key_materials, by=clerk,
                    outcome="accept")
    assert "override_reason" in refused.value.fields
    case = case_intake(item=item_a, applicant=PERSON, received=key_materials, by=clerk,
                       outcome="accept", override_reason="营业执照已在系统内核验")
    assert case.status == "in_progress"


@pytest.mark.parametrize("applicant, field", [
    (Applicant(kind="person", name="孙丽", id_number="110105194912310021"), "id_number"),
    (Applicant(kind="person", name="", id_number="11010519491231002X"), "name"),
    (Applicant(kind="enterprise", name="某公司", credit_code="91350100M000100Y44",
               agent_name="李明", agent_id_number="440308199901011234"), "credit_code"),
    (Applicant(kind="enterprise", name="某公司", credit_code="91350100M000100Y43"),
     "agent_name"),
])
def test_malformed_applicant_identity_is_refused_per_field(item_a, clerk, all_materials,
                                                           applicant, field):
    with pytest.raises(ValidationFailed) as refused:
        case_intake(item=item_a, applicant=applicant, received=all_materials, by=clerk)
    assert field in refused.value.fields
    assert not Case.objects.exists()


def test_numbers_are_gapless_and_a_refused_intake_uses_none(item_a, clerk, all_materials):
    first = case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)
    with pytest.raises(ValidationFailed):
        case_intake(item=item_a, applicant=PERSON, received=set(), by=clerk)
    second = case_intake(item=item_a, applicant=ENTERPRISE, received=all_materials, by=clerk)
    assert [first.number[-5:], second.number[-5:]] == ["00001", "00002"]
    assert CaseNumberCounter.objects.get().last == 2


def test_the_same_idempotency_key_replayed_100_times_makes_one_case(item_a, clerk,
                                                                    all_materials):
    numbers = {case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk,
                           idempotency_key="req-42").number for _ in range(100)}
    assert len(numbers) == 1 and Case.objects.count() == 1


def test_a_case_keeps_the_item_version_it_was_accepted_under(item_a, clerk, all_materials,
                                                             business_section):
    case = case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)
    item_update(item=item_a, elements=elements(promised_limit=3), by=business_section)
    case.refresh_from_db()
    assert case.item_version.number == 1 and case.item_version.promised_limit == 10
    assert case.promised_due == date(2026, 10, 20)


def test_reviewer_of_another_department_cannot_take_in_this_departments_item(
        item_a, reviewer_b, all_materials):
    with pytest.raises(PermissionDenied):
        case_intake(item=item_a, applicant=PERSON, received=all_materials, by=reviewer_b)


def test_applicant_id_number_is_encrypted_and_never_in_the_audit_log(item_a, clerk,
                                                                     all_materials):
    case = case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT applicant_id_number FROM cases_case WHERE id = %s", [case.pk])
        assert PERSON.id_number not in cursor.fetchone()[0]
    dump = repr(list(AuditEntry.objects.values()))
    assert PERSON.id_number not in dump and "1101**********002X" in dump
