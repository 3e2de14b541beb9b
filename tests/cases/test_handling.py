from datetime import date

import pytest

from servicehall.accounts.choices import Role
from servicehall.cases import selectors
from servicehall.cases.services import (
    case_appeal,
    case_appeal_decide,
    case_decide,
    case_intake,
    case_mark_urgent,
    case_materials_complete,
    case_report_answered,
    case_report_up,
    case_resume,
    case_suspend,
)
from servicehall.cases.services.common import CaseStateError
from servicehall.core.errors import Conflict, PermissionDenied, ValidationFailed
from servicehall.core.models import AuditEntry
from tests.cases.conftest import PERSON, to_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(today, item_a, clerk, all_materials, reviewer_a):
    """Accepted, its review step done: ready for the decision."""
    return to_decision(case_intake(item=item_a, applicant=PERSON, received=all_materials,
                                   by=clerk), reviewer_a)


def test_supplement_clock_starts_on_the_day_the_last_material_arrives(today, item_a, clerk,
                                                                      key_materials):
    case = case_intake(item=item_a, applicant=PERSON, received=key_materials, by=clerk)
    today.day = date(2026, 10, 9)
    case = case_materials_complete(case=case, by=clerk)
    assert (case.status, case.clock_start) == ("in_progress", date(2026, 10, 9))
    assert case.promised_due == date(2026, 10, 22)  # 10 working days; Sat 10-10 works
    assert case.visits == 2
    assert not case.materials.filter(received=False, material__is_required=True).exists()
    assert case.materials.get(received=False).material.name == "食品安全管理制度"  # optional


def test_suspension_stops_the_clock_and_moves_the_deadlines(today, accepted, reviewer_a):
    today.day = date(2026, 10, 12)
    case = case_suspend(case=accepted, kind="expert_review", reason="组织专家评审",
                        expected_working_days=3, by=reviewer_a)
    assert case.status == "suspended"
    today.day = date(2026, 10, 15)
    case = case_resume(case=case, by=reviewer_a)
    assert case.status == "in_progress"
    assert case.paused_working_days == 3  # Mon 10-12 .. Wed 10-14
    assert case.promised_due == date(2026, 10, 23)  # 10-20 moved by 3 working days
    assert case.pauses.get().end == date(2026, 10, 15)


def test_a_suspension_needs_a_reason_and_a_known_procedure(accepted, reviewer_a):
    with pytest.raises(ValidationFailed):
        case_suspend(case=accepted, kind="expert_review", reason=" ", by=reviewer_a)
    with pytest.raises(ValidationFailed):
        case_suspend(case=accepted, kind="holiday", reason="x", by=reviewer_a)
    accepted.refresh_from_db()
    assert accepted.status == "in_progress" and not accepted.pauses.exists()


def test_reported_up_case_pauses_until_the_answer_is_recorded(today, accepted, reviewer_a):
    today.day = date(2026, 10, 12)
    case = case_report_up(case=accepted, authority="广东省市场监督管理局", by=reviewer_a)
    assert case.status == "reported_up"
    today.day = date(2026, 10, 19)
    case = case_report_answered(case=case, answer="省局同意", by=reviewer_a)
    assert case.paused_working_days == 5 and case.promised_due == date(2026, 10, 27)


def test_decision_completes_the_case_on_time_and_early(today, accepted, reviewer_a):
    today.day = date(2026, 10, 16)
    case = case_decide(case=accepted, decision="approved", note="", by=reviewer_a)
    assert (case.status, case.completed_on) == ("completed", date(2026, 10, 16))
    assert case.completed_on < case.promised_due  # 提前办结


def test_deciding_twice_is_a_state_conflict_and_changes_nothing(today, accepted, reviewer_a):
    case_decide(case=accepted, decision="approved", note="", by=reviewer_a)
    with pytest.raises(CaseStateError) as refused:
        case_decide(case=accepted, decision="denied", note="不符合条件", by=reviewer_a)
    assert "已办结" in refused.value.message
    accepted.refresh_from_db()
    assert accepted.decision == "approved"
    assert AuditEntry.objects.filter(action="cases.decided").count() == 1
    assert AuditEntry.objects.filter(action="cases.decide", outcome="failure").count() == 1


def test_a_stale_revision_is_a_conflict(accepted, reviewer_a):
    with pytest.raises(Conflict):
        case_decide(case=accepted, decision="approved", note="", by=reviewer_a,
                    expected_revision=accepted.revision + 1)


def test_denial_and_conditions_need_reasons(accepted, reviewer_a):
    for decision in ("denied", "approved_with_conditions"):
        with pytest.raises(ValidationFailed):
            case_decide(case=accepted, decision=decision, note="", by=reviewer_a)


def test_suspended_case_cannot_be_decided(accepted, reviewer_a):
    case_suspend(case=accepted, kind="hearing", reason="举行听证", by=reviewer_a)
    with pytest.raises(CaseStateError):
        case_decide(case=accepted, decision="approved", note="", by=reviewer_a)


def test_only_the_cases_department_decides(accepted, reviewer_b, clerk):
    for person in (reviewer_b, clerk):
        with pytest.raises(PermissionDenied):
            case_decide(case=accepted, decision="approved", note="", by=person)


def test_returned_case_is_appealed_and_reopened_by_the_business_section(
        today, item_a, clerk, business_section):
    case = case_intake(item=item_a, applicant=PERSON, received=set(), by=clerk,
                       return_reasons=["key_materials_missing"], return_note="缺申请书")
    case = case_appeal(case=case, reason="申请书已在网上提交", by=clerk)
    assert case.status == "under_appeal"
    with pytest.raises(PermissionDenied):
        case_appeal_decide(case=case, result="reopened", note="x", by=clerk)
    today.day = date(2026, 10, 9)
    case = case_appeal_decide(case=case, result="reopened", note="核实网上已提交",
                              by=business_section)
    assert (case.status, case.accepted_on) == ("in_progress", date(2026, 10, 9))
    assert case.promised_due == date(2026, 10, 22)


def test_upheld_appeal_keeps_the_case_returned(item_a, clerk, business_section):
    case = case_intake(item=item_a, applicant=PERSON, received=set(), by=clerk,
                       return_reasons=["conditions_not_met"])
    case_appeal(case=case, reason="不服", by=clerk)
    case = case_appeal_decide(case=case, result="upheld", note="退回理由成立",
                              by=business_section)
    assert case.status == "returned" and case.appeal_result == "upheld"


def test_urgent_cases_come_first_in_every_queue(today, item_a, clerk, all_materials,
                                                 make_user, reviewer_a):
    first = case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)
    second = case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)
    with pytest.raises(PermissionDenied):
        case_mark_urgent(case=second, reason="重点项目", by=clerk)
    leader = make_user(Role.CENTER_LEADER)
    case_mark_urgent(case=second, reason="市重点项目", by=leader)
    queue = [c.number for c in selectors.work_queue(user=reviewer_a)]
    assert queue == [second.number, first.number]


def test_timeline_lists_every_event_in_order(today, item_a, clerk, key_materials, reviewer_a):
    case = case_intake(item=item_a, applicant=PERSON, received=key_materials, by=clerk)
    case_materials_complete(case=case, by=clerk)
    case_decide(case=to_decision(case, reviewer_a), decision="approved", note="", by=reviewer_a)
    kinds = list(case.events.order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == ["supplement_requested", "materials_completed", "step_completed", "decided"]


def test_reviewer_of_another_department_does_not_see_the_case(accepted, reviewer_b):
    assert not selectors.cases_for_staff(user=reviewer_b).exists()


def test_a_legal_limit_past_the_calendar_leaves_the_promised_deadline_standing(
        today, make_item, department_a, clerk):
    item = make_item(department_a, "SCJG-0900", legal_limit=90, legal_limit_unit="natural",
                     promised_limit=10)
    today.day = date(2026, 11, 23)  # 90 natural days run into 2027, not configured
    case = case_intake(item=item, applicant=PERSON, by=clerk,
                       received={m.pk for m in item.current_version.materials.all()})
    assert case.legal_due is None  # never a guess
    assert (case.clock_start, case.promised_due) == (date(2026, 11, 23), date(2026, 12, 7))
