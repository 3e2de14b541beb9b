"""The two acceptance modes beside the standard one: 容缺受理 (accept with minor materials
missing, tracked with a due date: "先办理,后补齐") and 告知承诺制 (a signed commitment, decided
at once, verified afterwards; a failed verification revokes the approval)."""

from datetime import date

import pytest

from servicehall.cases.models import Case, CaseNumberCounter, Irregularity
from servicehall.cases.services import (
    case_decide,
    case_intake,
    case_tolerated_materials_received,
    case_verify,
)
from servicehall.cases.services.common import CaseStateError
from servicehall.core.errors import PermissionDenied, ValidationFailed
from servicehall.core.models import AuditEntry, OutboxMessage
from tests.cases.conftest import PERSON, to_decision

pytestmark = pytest.mark.django_db


def frozen(case):
    """Everything a refused call must leave as it was."""
    return (Case.objects.filter(pk=case.pk).values().get(),
            list(case.steps.order_by("position").values()),
            list(case.events.values_list("pk", flat=True)),
            list(case.materials.order_by("pk").values()),
            OutboxMessage.objects.count(), Irregularity.objects.count(),
            AuditEntry.objects.filter(outcome="success").count())


def material(item, name):
    return item.current_version.materials.get(name=name)


@pytest.fixture
def licence(item_a):
    return material(item_a, "营业执照复印件")


@pytest.fixture
def tolerated(today, item_a, clerk, key_materials):
    """容缺受理: the application form is there, the licence copy (required, not key) is not."""
    return case_intake(item=item_a, applicant=PERSON, received=key_materials, by=clerk,
                       acceptance_mode="tolerance")


@pytest.fixture
def committed(today, item_a, clerk, all_materials):
    return case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk,
                       acceptance_mode="notify_commit", commitment_signed=True)


# --- 容缺受理 -------------------------------------------------------------------------------

def test_tolerance_accepts_with_a_minor_material_missing_and_tracks_it_with_a_due_date(
        tolerated, licence):
    assert (tolerated.status, tolerated.case_type, tolerated.acceptance_mode) == (
        "in_progress", "promised", "tolerance")
    assert tolerated.accepted_on == tolerated.clock_start == date(2026, 9, 30)
    assert tolerated.promised_due == date(2026, 10, 20)  # the clock runs from acceptance
    rows = {m.material.name: (m.received, m.due_on) for m in tolerated.materials.all()}
    assert rows == {
        "食品经营许可申请书": (True, None),
        "营业执照复印件": (False, date(2026, 10, 13)),  # 5 working days; Sat 10-10 works
        "食品安全管理制度": (False, None),  # optional: nothing to catch up on
    }
    assert tolerated.steps.get(name="审核").status == "active"
    assert OutboxMessage.objects.filter(event="cases.accepted").count() == 1


def test_the_tolerance_period_is_a_setting_in_working_days(settings, today, item_a, clerk,
                                                           key_materials, licence):
    settings.CASES_TOLERANCE_WORKING_DAYS = 3
    case = case_intake(item=item_a, applicant=PERSON, received=key_materials, by=clerk,
                       acceptance_mode="tolerance")
    assert case.materials.get(material=licence).due_on == date(2026, 10, 10)


def test_tolerance_with_every_material_present_tracks_nothing(today, item_a, clerk,
                                                              all_materials):
    case = case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk,
                       acceptance_mode="tolerance")
    assert not case.materials.filter(due_on__isnull=False).exists()


def test_a_missing_key_material_is_still_a_return_under_tolerance(today, item_a, clerk):
    with pytest.raises(ValidationFailed) as refused:
        case_intake(item=item_a, applicant=PERSON, received=set(), by=clerk,
                    acceptance_mode="tolerance")
    assert "return_reasons" in refused.value.fields
    assert not Case.objects.exists()
    case = case_intake(item=item_a, applicant=PERSON, received=set(), by=clerk,
                       acceptance_mode="tolerance", return_reasons=["key_materials_missing"])
    assert (case.status, case.accepted_on) == ("returned", None)
    assert not case.steps.exists()


def test_tolerance_does_not_make_a_supplement_case(today, item_a, clerk, key_materials):
    with pytest.raises(ValidationFailed) as refused:
        case_intake(item=item_a, applicant=PERSON, received=key_materials, by=clerk,
                    acceptance_mode="tolerance", outcome="supplement",
                    override_reason="申请人要求")
    assert list(refused.value.fields) == ["outcome"]
    assert not Case.objects.exists()


def test_an_unknown_acceptance_mode_is_a_field_error(today, item_a, clerk, all_materials):
    with pytest.raises(ValidationFailed) as refused:
        case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk,
                    acceptance_mode="green")
    assert list(refused.value.fields) == ["acceptance_mode"]
    assert not Case.objects.exists()


@pytest.mark.parametrize("decision,note", [("approved", ""),
                                           ("approved_with_conditions", "限期整改")])
def test_no_approval_while_a_tolerated_material_is_missing(tolerated, reviewer_a, decision,
                                                           note):
    case = to_decision(tolerated, reviewer_a)
    before = frozen(case)
    with pytest.raises(CaseStateError) as refused:
        case_decide(case=case, decision=decision, note=note, by=reviewer_a)
    assert "容缺" in refused.value.message
    assert frozen(case) == before
    assert AuditEntry.objects.filter(action="cases.decide", outcome="failure").count() == 1


def test_a_denial_does_not_wait_for_the_tolerated_materials(tolerated, reviewer_a):
    case = case_decide(case=to_decision(tolerated, reviewer_a), decision="denied",
                       note="经营场所不符合要求", by=reviewer_a)
    assert (case.status, case.decision) == ("completed", "denied")


def test_the_tolerated_material_comes_in_and_the_case_can_be_approved(
        today, tolerated, clerk, reviewer_a, licence):
    today.day = date(2026, 10, 12)
    case = case_tolerated_materials_received(case=tolerated, material_ids={licence.pk},
                                             by=clerk)
    row = case.materials.get(material=licence)
    assert (row.received, row.received_on, row.due_on) == (True, date(2026, 10, 12),
                                                          date(2026, 10, 13))
    assert case.status == "in_progress" and case.visits == 1  # no new clock, no new visit
    event = case.events.get(kind="materials_completed")
    assert (event.by, event.note) == (clerk, "营业执照复印件")
    assert AuditEntry.objects.filter(action="cases.tolerated_materials_received").count() == 1
    case = case_decide(case=to_decision(case, reviewer_a), decision="approved", note="",
                       by=reviewer_a)
    assert case.status == "completed"


@pytest.mark.parametrize("which", ["key", "optional", "none", "unknown"])
def test_only_materials_accepted_as_missing_are_ticked_as_come_in(
        which, tolerated, clerk, item_a):
    ids = {"key": {material(item_a, "食品经营许可申请书").pk},
           "optional": {material(item_a, "食品安全管理制度").pk},
           "none": set(), "unknown": {987654}}[which]
    before = frozen(tolerated)
    with pytest.raises(ValidationFailed) as refused:
        case_tolerated_materials_received(case=tolerated, material_ids=ids, by=clerk)
    assert list(refused.value.fields) == ["material_ids"]
    assert frozen(tolerated) == before
    assert AuditEntry.objects.filter(action="cases.tolerated_materials_received",
                                     outcome="failure").count() == 1


def test_a_tolerated_material_is_ticked_as_come_in_once(tolerated, clerk, licence):
    case_tolerated_materials_received(case=tolerated, material_ids={licence.pk}, by=clerk)
    before = frozen(tolerated)
    with pytest.raises(ValidationFailed):
        case_tolerated_materials_received(case=tolerated, material_ids={licence.pk}, by=clerk)
    assert frozen(tolerated) == before


def test_another_department_cannot_tick_tolerated_materials(tolerated, reviewer_b, licence):
    before = frozen(tolerated)
    with pytest.raises(PermissionDenied):
        case_tolerated_materials_received(case=tolerated, material_ids={licence.pk},
                                          by=reviewer_b)
    assert frozen(tolerated) == before


def test_a_tolerance_case_still_walks_its_steps(tolerated, reviewer_a, clerk, licence):
    case_tolerated_materials_received(case=tolerated, material_ids={licence.pk}, by=clerk)
    with pytest.raises(CaseStateError) as refused:
        case_decide(case=tolerated, decision="approved", note="", by=reviewer_a)
    assert "审核" in refused.value.message


# --- 告知承诺制 ------------------------------------------------------------------------------

def test_notify_and_commit_needs_the_signed_commitment(today, item_a, clerk, all_materials):
    with pytest.raises(ValidationFailed) as refused:
        case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk,
                    acceptance_mode="notify_commit")
    assert list(refused.value.fields) == ["commitment_signed"]
    assert "书面承诺" in refused.value.fields["commitment_signed"][0]
    assert not Case.objects.exists() and not CaseNumberCounter.objects.filter(last__gt=0).exists()
    assert not AuditEntry.objects.filter(outcome="success", action__startswith="cases.").exists()
    assert AuditEntry.objects.filter(action="cases.intake", outcome="failure").count() == 1


def test_notify_and_commit_accepts_with_minor_materials_missing_but_not_a_key_one(
        today, item_a, clerk, key_materials):
    case = case_intake(item=item_a, applicant=PERSON, received=key_materials, by=clerk,
                       acceptance_mode="notify_commit", commitment_signed=True)
    assert (case.status, case.commitment_signed) == ("in_progress", True)
    with pytest.raises(ValidationFailed) as refused:
        case_intake(item=item_a, applicant=PERSON, received=set(), by=clerk,
                    acceptance_mode="notify_commit", commitment_signed=True)
    assert "return_reasons" in refused.value.fields


def test_a_notify_and_commit_case_is_decided_at_once_without_walking_the_steps(
        committed, reviewer_a):
    assert committed.steps.get(name="审核").status == "active"
    case = case_decide(case=committed, decision="approved", note="", by=reviewer_a)
    assert (case.status, case.decision, case.completed_on) == (
        "completed", "approved", date(2026, 9, 30))
    assert dict(case.steps.values_list("name", "status")) == {
        "受理": "done", "审核": "skipped", "办结": "done"}
    assert case.steps.get(name="办结").completed_by == reviewer_a
    assert case.current_step is None


def test_an_approval_on_commitment_schedules_the_verification(committed, reviewer_a):
    case = case_decide(case=committed, decision="approved", note="", by=reviewer_a)
    assert case.verification_due == date(2026, 11, 3)  # 20 working days after Wed 09-30
    assert case.verification_result == ""


def test_the_verification_period_is_a_setting_in_working_days(settings, committed, reviewer_a):
    settings.CASES_VERIFICATION_WORKING_DAYS = 10
    case = case_decide(case=committed, decision="approved_with_conditions",
                       note="三个月内完成消防验收", by=reviewer_a)
    assert case.verification_due == date(2026, 10, 20)


def test_a_denial_on_commitment_schedules_no_verification_and_cannot_be_verified(
        committed, reviewer_a):
    case = case_decide(case=committed, decision="denied", note="不符合条件", by=reviewer_a)
    assert case.verification_due is None
    before = frozen(case)
    with pytest.raises(CaseStateError):
        case_verify(case=case, passed=True, note="核查", by=reviewer_a)
    assert frozen(case) == before


def test_a_passed_verification_keeps_the_approval(today, committed, reviewer_a):
    case = case_decide(case=committed, decision="approved", note="", by=reviewer_a)
    messages = OutboxMessage.objects.count()
    today.day = date(2026, 10, 20)
    case = case_verify(case=case, passed=True, note=" 现场核查,条件属实 ", by=reviewer_a)
    assert (case.status, case.decision, case.verification_result) == (
        "completed", "approved", "passed")
    assert (case.verified_on, case.verification_note) == (date(2026, 10, 20), "现场核查,条件属实")
    event = case.events.get(kind="verified")
    assert (event.by, event.note) == (reviewer_a, "现场核查,条件属实")
    assert AuditEntry.objects.filter(action="cases.verified").count() == 1
    assert OutboxMessage.objects.count() == messages  # nothing to tell the applicant


def test_a_failed_verification_revokes_the_approval_and_tells_the_applicant(
        today, committed, reviewer_a):
    case = case_decide(case=committed, decision="approved", note="", by=reviewer_a)
    today.day = date(2026, 10, 20)
    case = case_verify(case=case, passed=False, note="经营场所与承诺不符。", by=reviewer_a)
    assert (case.status, case.verification_result, case.verified_on) == (
        "revoked", "failed", date(2026, 10, 20))
    assert case.events.get(kind="revoked").note == "经营场所与承诺不符。"
    audit = AuditEntry.objects.get(action="cases.revoked")
    assert (audit.actor, audit.object_id) == (reviewer_a, str(case.pk))
    sms = OutboxMessage.objects.get(event="cases.revoked")
    assert sms.recipient == PERSON.phone and sms.channel == "sms"
    assert case.number in sms.body and "经营场所与承诺不符" in sms.body
    assert "撤销" in sms.body


@pytest.mark.parametrize("first", [True, False])
def test_a_case_is_verified_once(committed, reviewer_a, first):
    case = case_decide(case=committed, decision="approved", note="", by=reviewer_a)
    case = case_verify(case=case, passed=first, note="核查完毕", by=reviewer_a)
    before = frozen(case)
    with pytest.raises(CaseStateError):
        case_verify(case=case, passed=not first, note="再次核查", by=reviewer_a)
    assert frozen(case) == before
    assert AuditEntry.objects.filter(action="cases.verify", outcome="failure").count() == 1


def test_a_standard_case_is_not_verified(today, item_a, clerk, all_materials, reviewer_a):
    case = case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)
    case = case_decide(case=to_decision(case, reviewer_a), decision="approved", note="",
                       by=reviewer_a)
    assert case.verification_due is None
    before = frozen(case)
    with pytest.raises(CaseStateError) as refused:
        case_verify(case=case, passed=False, note="核查", by=reviewer_a)
    assert "告知承诺" in refused.value.message
    assert frozen(case) == before


def test_a_case_not_yet_decided_is_not_verified(committed, reviewer_a):
    before = frozen(committed)
    with pytest.raises(CaseStateError):
        case_verify(case=committed, passed=False, note="核查", by=reviewer_a)
    assert frozen(committed) == before


def test_a_verification_records_its_findings_and_belongs_to_the_department(
        committed, reviewer_a, reviewer_b, clerk):
    case = case_decide(case=committed, decision="approved", note="", by=reviewer_a)
    before = frozen(case)
    with pytest.raises(ValidationFailed) as refused:
        case_verify(case=case, passed=False, note=" ", by=reviewer_a)
    assert list(refused.value.fields) == ["note"]
    for outsider in (reviewer_b, clerk):
        with pytest.raises(PermissionDenied):
            case_verify(case=case, passed=False, note="核查", by=outsider)
    assert frozen(case) == before


def test_a_revoked_case_cannot_be_delivered_or_decided_again(committed, reviewer_a, clerk):
    from servicehall.cases.services import case_deliver

    case = case_decide(case=committed, decision="approved", note="", by=reviewer_a)
    case = case_verify(case=case, passed=False, note="条件不符", by=reviewer_a)
    before = frozen(case)
    with pytest.raises(CaseStateError):
        case_deliver(case=case, mode="window", by=clerk)
    with pytest.raises(CaseStateError):
        case_decide(case=case, decision="approved", note="", by=reviewer_a)
    assert frozen(case) == before


def test_a_supplement_later_on_does_not_tick_off_the_tolerated_materials(
        today, tolerated, reviewer_a, clerk, item_a, licence):
    from servicehall.cases.services import case_materials_complete, case_request_supplement

    form = material(item_a, "食品经营许可申请书")
    case_request_supplement(case=tolerated, material_ids={form.pk}, note="申请书未签字",
                            by=reviewer_a)
    today.day = date(2026, 10, 9)
    case = case_materials_complete(case=tolerated, by=clerk)
    assert case.materials.get(material=form).received
    row = case.materials.get(material=licence)
    assert (row.received, row.due_on) == (False, date(2026, 10, 13))
    with pytest.raises(CaseStateError):
        case_decide(case=to_decision(case, reviewer_a), decision="approved", note="",
                    by=reviewer_a)


def test_a_return_under_tolerance_tracks_no_material_as_tolerated(
        today, item_a, clerk, business_section, reviewer_a):
    from servicehall.cases.services import case_appeal, case_appeal_decide

    case = case_intake(item=item_a, applicant=PERSON, received=set(), by=clerk,
                       acceptance_mode="tolerance", return_reasons=["key_materials_missing"])
    assert not case.materials.filter(due_on__isnull=False).exists()
    case_appeal(case=case, reason="申请书已网上提交", by=clerk)
    case = case_appeal_decide(case=case, result="reopened", note="核实已提交",
                              by=business_section)
    assert not case.materials.filter(due_on__isnull=False).exists()
