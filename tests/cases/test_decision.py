"""The end of a case and what can still happen before it: the decision's preconditions,
handing over the result, extensions granted by the center, silent consent when the legal limit
passes (逾期默认), the department's review of a return, and supplements after acceptance."""

from datetime import date

import pytest

from servicehall.accounts.choices import Role
from servicehall.cases.models import Case, CaseExtension, Irregularity
from servicehall.cases.services import (
    case_appeal,
    case_decide,
    case_deliver,
    case_extension_decide,
    case_extension_request,
    case_intake,
    case_materials_complete,
    case_request_supplement,
    case_return_review,
    case_silent_consent,
    case_step_take,
    case_suspend,
    cases_apply_silent_consent,
)
from servicehall.cases.services.common import CaseStateError
from servicehall.cases.services.decision import SILENT_CONSENT_NOTE
from servicehall.core.errors import Conflict, PermissionDenied, ValidationFailed
from servicehall.core.models import AuditEntry, OutboxMessage
from tests.cases.conftest import PERSON, to_decision

pytestmark = pytest.mark.django_db


def frozen(case):
    """Everything a refused call must leave as it was: the case's own rows first, then the
    outbox, the irregularities and the audit log."""
    return (Case.objects.filter(pk=case.pk).values().get(),
            list(case.steps.order_by("position").values()),
            list(case.events.values_list("pk", flat=True)),
            list(case.materials.order_by("pk").values()), list(case.pauses.values()),
            list(case.extensions.values()), list(case.joint_tasks.values()),
            OutboxMessage.objects.count(), Irregularity.objects.count(),
            AuditEntry.objects.filter(outcome="success").count())


def sms(event):
    return OutboxMessage.objects.filter(event=f"cases.{event}")


def all_of(item) -> set[int]:
    return {m.pk for m in item.current_version.materials.all()}


def material(item, name):
    return item.current_version.materials.get(name=name)


@pytest.fixture
def accepted(today, item_a, clerk, all_materials):
    """Accepted Wed 2026-09-30: promised by 10-20, legal limit 11-03."""
    return case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)


@pytest.fixture
def ready(accepted, reviewer_a):
    return to_decision(accepted, reviewer_a)


@pytest.fixture
def leader(make_user):
    return make_user(Role.CENTER_LEADER, username="leader")


@pytest.fixture
def deliverable_item(department_a, make_item):
    return make_item(department_a, "SCJG-0040", main_item="食品经营许可(延续)",
                     delivery_modes=["window", "post", "online"])


@pytest.fixture
def decided(today, deliverable_item, clerk, reviewer_a):
    case = case_intake(item=deliverable_item, applicant=PERSON,
                       received=all_of(deliverable_item), by=clerk)
    return case_decide(case=to_decision(case, reviewer_a), decision="approved", note="",
                       certificate_number="JY14403000012345", by=reviewer_a)


# --- the decision -----------------------------------------------------------------------

def test_an_approval_completes_the_case_and_tells_the_applicant_to_collect_the_result(
        ready, reviewer_a):
    case = case_decide(case=ready, decision="approved", note="",
                       certificate_number=" JY14403000012345 ", by=reviewer_a)
    assert (case.status, case.decision, case.certificate_number, case.delivery_mode) == (
        "completed", "approved", "JY14403000012345", "window")
    assert case.events.filter(kind="decided", by=reviewer_a).count() == 1
    assert AuditEntry.objects.filter(action="cases.decided").count() == 1
    assert sms("decided").count() == sms("ready_for_pickup").count() == 1


def test_a_denial_is_announced_without_a_pickup_notice(ready, reviewer_a):
    case_decide(case=ready, decision="denied", note="经营场所不符合要求", by=reviewer_a)
    assert "经营场所不符合要求" in sms("decided").get().body
    assert not sms("ready_for_pickup").exists()


def test_an_unknown_decision_is_a_field_error_and_changes_nothing(ready, reviewer_a):
    before = frozen(ready)
    with pytest.raises(ValidationFailed) as refused:
        case_decide(case=ready, decision="maybe", note="", by=reviewer_a)
    assert list(refused.value.fields) == ["decision"]
    assert frozen(ready) == before


def test_the_result_is_delivered_only_in_a_way_the_item_offers(ready, reviewer_a):
    before = frozen(ready)
    with pytest.raises(ValidationFailed) as refused:
        case_decide(case=ready, decision="approved", note="", delivery_mode="post",
                    by=reviewer_a)
    assert list(refused.value.fields) == ["delivery_mode"]
    assert frozen(ready) == before


@pytest.mark.parametrize("status", ["awaiting_materials", "return_review", "returned"])
def test_a_case_that_is_not_in_progress_is_not_decided(today, item_a, clerk, key_materials,
                                                       reviewer_a, status):
    intake = {"awaiting_materials": dict(received=key_materials),
              "return_review": dict(received=set(), outcome="return_review",
                                    return_reasons=["conditions_not_met"]),
              "returned": dict(received=set(), return_reasons=["conditions_not_met"])}[status]
    case = case_intake(item=item_a, applicant=PERSON, by=clerk, **intake)
    assert case.status == status
    before = frozen(case)
    with pytest.raises(CaseStateError) as refused:
        case_decide(case=case, decision="denied", note="不符合条件", by=reviewer_a)
    assert case.number in refused.value.message
    assert frozen(case) == before


def test_an_immediate_case_is_decided_at_once(today, department_a, make_item, clerk,
                                              reviewer_a):
    item = make_item(department_a, "SCJG-0041", main_item="食品经营许可证补办",
                     processing_type="immediate", promised_limit=0, steps=[])
    case = case_intake(item=item, applicant=PERSON, received=all_of(item), by=clerk)
    case = case_decide(case=case, decision="approved", note="", by=reviewer_a)
    assert (case.status, case.completed_on, case.on_time) == ("completed", date(2026, 9, 30),
                                                             True)


# --- delivery ---------------------------------------------------------------------------

def test_a_posted_result_needs_a_tracking_number(decided, clerk):
    before = frozen(decided)
    with pytest.raises(ValidationFailed) as refused:
        case_deliver(case=decided, mode="post", tracking_number=" ", by=clerk)
    assert list(refused.value.fields) == ["tracking_number"]
    assert frozen(decided) == before
    assert AuditEntry.objects.filter(action="cases.deliver", outcome="failure").count() == 1


def test_a_posted_result_is_announced_with_its_tracking_number(today, decided, clerk):
    today.day = date(2026, 10, 9)
    case = case_deliver(case=decided, mode="post", tracking_number=" SF1234567890 ", by=clerk)
    assert (case.delivery_mode, case.tracking_number, case.delivered_on, case.visits) == (
        "post", "SF1234567890", date(2026, 10, 9), 1)
    assert "SF1234567890" in case.events.get(kind="delivered").note
    assert AuditEntry.objects.filter(action="cases.delivered", actor=clerk).count() == 1
    message = sms("delivered").get()
    assert "SF1234567890" in message.body and case.number in message.body
    assert message.recipient == PERSON.phone


def test_a_result_picked_up_at_the_window_counts_a_visit(decided, clerk):
    messages = OutboxMessage.objects.count()
    case = case_deliver(case=decided, mode="window", by=clerk)
    assert (case.delivery_mode, case.visits, case.tracking_number) == ("window", 2, "")
    assert OutboxMessage.objects.count() == messages  # the pickup notice went at the decision


def test_an_electronic_delivery_tells_the_applicant_where_to_download(decided, reviewer_a):
    case = case_deliver(case=decided, mode="online", by=reviewer_a)
    assert case.visits == 1
    assert "网上办事大厅" in sms("delivered").get().body


def test_a_result_is_delivered_once(decided, clerk):
    case_deliver(case=decided, mode="window", by=clerk)
    before = frozen(decided)
    with pytest.raises(CaseStateError) as refused:
        case_deliver(case=decided, mode="post", tracking_number="SF1", by=clerk)
    assert "已于" in refused.value.message
    assert frozen(decided) == before


def test_delivery_needs_a_decided_case_a_known_mode_and_a_member_of_the_hall(
        ready, decided, clerk, reviewer_b):
    before = frozen(ready)
    with pytest.raises(CaseStateError):
        case_deliver(case=ready, mode="window", by=clerk)
    assert frozen(ready) == before
    before = frozen(decided)
    with pytest.raises(ValidationFailed) as refused:
        case_deliver(case=decided, mode="pigeon", by=clerk)
    assert list(refused.value.fields) == ["mode"]
    with pytest.raises(PermissionDenied):
        case_deliver(case=decided, mode="window", by=reviewer_b)
    assert frozen(decided) == before


# --- extensions -------------------------------------------------------------------------

def test_the_department_asks_for_an_extension_and_nothing_moves_until_it_is_granted(
        accepted, reviewer_a):
    extension = case_extension_request(case=accepted, working_days=5, reason=" 需组织专家论证 ",
                                       by=reviewer_a)
    assert (extension.status, extension.working_days, extension.reason) == (
        "pending", 5, "需组织专家论证")
    accepted.refresh_from_db()
    assert (accepted.promised_due, accepted.extension_working_days) == (date(2026, 10, 20), 0)
    assert accepted.events.filter(kind="extension_requested", by=reviewer_a).exists()
    assert AuditEntry.objects.filter(action="cases.extension_requested").count() == 1


def test_one_extension_at_a_time_awaits_approval(accepted, reviewer_a):
    case_extension_request(case=accepted, working_days=5, reason="专家论证", by=reviewer_a)
    before = frozen(accepted)
    with pytest.raises(Conflict) as refused:
        case_extension_request(case=accepted, working_days=3, reason="再延", by=reviewer_a)
    assert not isinstance(refused.value, CaseStateError)
    assert "待审批" in refused.value.message
    assert frozen(accepted) == before


@pytest.mark.parametrize("days,reason,field", [(0, "论证", "working_days"),
                                               (61, "论证", "working_days"),
                                               (5, "  ", "reason")])
def test_an_extension_request_states_a_sensible_length_and_a_reason(accepted, reviewer_a,
                                                                    days, reason, field):
    before = frozen(accepted)
    with pytest.raises(ValidationFailed) as refused:
        case_extension_request(case=accepted, working_days=days, reason=reason, by=reviewer_a)
    assert list(refused.value.fields) == [field]
    assert frozen(accepted) == before


def test_only_the_department_asks_for_an_extension(accepted, clerk, business_section,
                                                   reviewer_b):
    before = frozen(accepted)
    for outsider in (clerk, business_section, reviewer_b):
        with pytest.raises(PermissionDenied):
            case_extension_request(case=accepted, working_days=5, reason="论证", by=outsider)
    assert frozen(accepted) == before


def test_an_extension_is_decided_only_by_the_business_section_or_a_center_leader(
        accepted, reviewer_a, make_user, department_a):
    case_extension_request(case=accepted, working_days=5, reason="专家论证", by=reviewer_a)
    chief = make_user(Role.CHIEF_REPRESENTATIVE, department=department_a)
    before = frozen(accepted)
    for department_staff in (reviewer_a, chief):
        with pytest.raises(PermissionDenied):
            case_extension_decide(case=accepted, approve=True, note="", by=department_staff)
    assert frozen(accepted) == before
    assert AuditEntry.objects.filter(action="cases.extension_decide",
                                     outcome="failure").count() == 2


@pytest.mark.parametrize("approver", ["business_section", "leader"])
def test_a_granted_extension_moves_the_deadlines_by_its_working_days(
        request, accepted, reviewer_a, approver):
    by = request.getfixturevalue(approver)
    case_extension_request(case=accepted, working_days=5, reason="专家论证", by=reviewer_a)
    case = case_extension_decide(case=accepted, approve=True, note="", by=by)
    assert case.extension_working_days == 5
    assert case.promised_due == date(2026, 10, 27)  # 10-20 + 5 working days
    assert case.legal_due == date(2026, 11, 10)  # 11-03 + 5 working days
    extension = case.extensions.get()
    assert (extension.status, extension.decided_by) == ("approved", by)
    assert case.events.filter(kind="extension_decided", by=by).exists()
    assert AuditEntry.objects.filter(action="cases.extension_decided").count() == 1


def test_a_refusal_needs_a_note_and_leaves_the_deadlines(accepted, reviewer_a,
                                                         business_section):
    case_extension_request(case=accepted, working_days=5, reason="专家论证", by=reviewer_a)
    before = frozen(accepted)
    with pytest.raises(ValidationFailed) as refused:
        case_extension_decide(case=accepted, approve=False, note=" ", by=business_section)
    assert list(refused.value.fields) == ["note"]
    assert frozen(accepted) == before
    case = case_extension_decide(case=accepted, approve=False, note="理由不充分",
                                 by=business_section)
    assert (case.promised_due, case.extension_working_days) == (date(2026, 10, 20), 0)
    assert case.extensions.get().status == "refused"
    assert "理由不充分" in case.events.get(kind="extension_decided").note


def test_after_a_decision_a_new_extension_may_be_asked_for(accepted, reviewer_a,
                                                           business_section):
    case_extension_request(case=accepted, working_days=5, reason="专家论证", by=reviewer_a)
    case_extension_decide(case=accepted, approve=False, note="理由不充分", by=business_section)
    case_extension_request(case=accepted, working_days=3, reason="补充论证", by=reviewer_a)
    case = case_extension_decide(case=accepted, approve=True, note="", by=business_section)
    assert case.extension_working_days == 3
    assert list(CaseExtension.objects.values_list("status", flat=True).order_by("pk")) == [
        "refused", "approved"]


def test_there_is_nothing_to_decide_without_a_pending_extension(accepted, business_section):
    before = frozen(accepted)
    with pytest.raises(CaseStateError):
        case_extension_decide(case=accepted, approve=True, note="", by=business_section)
    assert frozen(accepted) == before


def test_a_suspended_case_may_ask_for_more_time_but_a_completed_one_may_not(
        accepted, reviewer_a):
    case_suspend(case=accepted, kind="hearing", reason="举行听证", by=reviewer_a)
    case_extension_request(case=accepted, working_days=5, reason="听证后论证", by=reviewer_a)
    done = case_decide(case=to_decision(
        case_intake(item=accepted.item, applicant=PERSON, by=accepted.created_by,
                    received=all_of(accepted.item)), reviewer_a),
        decision="approved", note="", by=reviewer_a)
    before = frozen(done)
    with pytest.raises(CaseStateError):
        case_extension_request(case=done, working_days=5, reason="论证", by=reviewer_a)
    assert frozen(done) == before


# --- silent consent (逾期默认) -------------------------------------------------------------

@pytest.fixture
def silent_item(department_a, make_item):
    return make_item(department_a, "SCJG-0050", main_item="户外广告设置", silent_consent=True)


def test_silent_consent_approves_only_cases_of_such_items_past_their_legal_limit(
        today, silent_item, item_a, clerk):
    past = case_intake(item=silent_item, applicant=PERSON, received=all_of(silent_item),
                       by=clerk)
    no_consent = case_intake(item=item_a, applicant=PERSON, received=all_of(item_a), by=clerk)
    today.day = date(2026, 10, 8)
    on_the_day = case_intake(item=silent_item, applicant=PERSON,
                             received=all_of(silent_item), by=clerk)
    assert (past.legal_due, no_consent.legal_due, on_the_day.legal_due) == (
        date(2026, 11, 3), date(2026, 11, 3), date(2026, 11, 4))
    today.day = date(2026, 11, 4)
    untouched = [frozen(no_consent)[:7], frozen(on_the_day)[:7]]
    assert cases_apply_silent_consent(today=date(2026, 11, 4)) == [past.number]
    past.refresh_from_db()
    assert (past.status, past.decision, past.decision_note, past.completed_on) == (
        "completed", "approved", SILENT_CONSENT_NOTE, date(2026, 11, 4))
    event = past.events.get(kind="silent_consent")
    assert event.by is None
    assert AuditEntry.objects.filter(action="cases.silent_consent",
                                     object_id=str(past.pk)).count() == 1
    assert sms("decided").filter(object_id=str(past.pk)).count() == 1
    assert [frozen(no_consent)[:7], frozen(on_the_day)[:7]] == untouched


def test_silent_consent_run_twice_changes_nothing_the_second_time(today, silent_item, clerk):
    case = case_intake(item=silent_item, applicant=PERSON, received=all_of(silent_item),
                       by=clerk)
    today.day = date(2026, 11, 4)
    assert cases_apply_silent_consent(today=today.day) == [case.number]
    before = frozen(case)
    assert cases_apply_silent_consent(today=today.day) == []
    today.day = date(2026, 11, 5)
    assert cases_apply_silent_consent(today=today.day) == []
    assert frozen(case) == before
    assert case.events.filter(kind="silent_consent").count() == 1


def test_a_decided_case_is_left_to_its_decision(today, silent_item, clerk, reviewer_a):
    case = case_intake(item=silent_item, applicant=PERSON, received=all_of(silent_item),
                       by=clerk)
    case_decide(case=to_decision(case, reviewer_a), decision="denied", note="不符合规划",
                by=reviewer_a)
    today.day = date(2026, 11, 4)
    assert cases_apply_silent_consent(today=today.day) == []
    case.refresh_from_db()
    assert case.decision == "denied"


def test_silent_consent_is_refused_on_a_case_not_past_its_legal_limit(today, silent_item,
                                                                      item_a, clerk):
    early = case_intake(item=silent_item, applicant=PERSON, received=all_of(silent_item),
                        by=clerk)
    other = case_intake(item=item_a, applicant=PERSON, received=all_of(item_a), by=clerk)
    for case, day in ((early, date(2026, 11, 3)), (other, date(2026, 11, 4))):
        before = frozen(case)
        with pytest.raises(CaseStateError):
            case_silent_consent(case=case, today=day)
        assert frozen(case) == before


def test_silent_consent_waits_while_the_clock_is_stopped(today, silent_item, clerk,
                                                         reviewer_a):
    case = case_intake(item=silent_item, applicant=PERSON, received=all_of(silent_item),
                       by=clerk)
    today.day = date(2026, 10, 12)
    case_suspend(case=case, kind="expert_review", reason="组织专家评审", by=reviewer_a)
    today.day = date(2026, 11, 20)  # still under expert review: the limit stands still
    assert cases_apply_silent_consent(today=today.day) == []
    case.refresh_from_db()
    assert case.status == "suspended"


# --- the department's review of a return ------------------------------------------------

@pytest.fixture
def under_review(today, item_a, clerk):
    return case_intake(item=item_a, applicant=PERSON, received=set(), by=clerk,
                       outcome="return_review", return_reasons=["conditions_not_met"],
                       return_note="经营场所疑似位于居民楼内")


def test_a_return_left_to_the_department_is_due_within_three_working_days(under_review):
    case = under_review
    assert (case.status, case.case_type, case.accepted_on) == (
        "return_review", "returned", None)
    assert case.return_review_due == date(2026, 10, 10)  # Thu 10-08, Fri 10-09, Sat 10-10
    assert case.events.get().kind == "returned"
    assert AuditEntry.objects.filter(action="cases.return_review").count() == 1
    assert not case.steps.exists() and not OutboxMessage.objects.exists()


def test_leaving_a_return_to_the_department_with_everything_present_needs_a_reason(
        today, item_a, clerk, all_materials):
    with pytest.raises(ValidationFailed) as refused:
        case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk,
                    outcome="return_review", return_reasons=["conditions_not_met"])
    assert list(refused.value.fields) == ["override_reason"]
    assert not Case.objects.exists()


def test_the_department_confirms_the_return_and_the_applicant_is_told_why(
        today, under_review, reviewer_a):
    today.day = date(2026, 10, 9)
    case = case_return_review(case=under_review, confirm=True, note="核实确为居民住宅",
                              by=reviewer_a)
    assert (case.status, case.case_type, case.accepted_on) == ("returned", "returned", None)
    assert case.return_note == "经营场所疑似位于居民楼内\n核实确为居民住宅"
    assert case.events.filter(kind="return_confirmed", by=reviewer_a).count() == 1
    assert AuditEntry.objects.filter(action="cases.return_confirmed").count() == 1
    message = sms("returned").get()
    assert "核实确为居民住宅" in message.body and case.number in message.body
    assert not case.steps.exists()
    case = case_appeal(case=case, reason="已另租商铺", by=under_review.created_by)
    assert case.status == "under_appeal"


def test_the_department_overturns_the_return_and_the_case_is_accepted_that_day(
        today, under_review, reviewer_a):
    today.day = date(2026, 10, 9)
    case = case_return_review(case=under_review, confirm=False, note="场所为商住两用,符合条件",
                              by=reviewer_a)
    assert (case.status, case.case_type, case.accepted_on, case.clock_start) == (
        "in_progress", "promised", date(2026, 10, 9), date(2026, 10, 9))
    assert case.promised_due == date(2026, 10, 22)
    assert dict(case.steps.values_list("name", "status")) == {
        "受理": "done", "审核": "active", "办结": "waiting"}
    assert case.current_step_due == date(2026, 10, 12)
    assert case.events.filter(kind="return_overturned", by=reviewer_a).count() == 1
    assert AuditEntry.objects.filter(action="cases.return_overturned").count() == 1
    assert "2026年10月22日" in sms("accepted").get().body


def test_an_overturned_joint_return_gives_the_co_departments_their_tasks(
        today, department_a, department_b, make_item, clerk, reviewer_a):
    item = make_item(department_a, "SCJG-0004", main_item="大型餐饮开办",
                     processing_type="joint", joint_department_codes=[department_b.code])
    case = case_intake(item=item, applicant=PERSON, received=set(), by=clerk,
                       outcome="return_review", return_reasons=["conditions_not_met"])
    assert not case.joint_tasks.exists()
    case = case_return_review(case=case, confirm=False, note="符合条件", by=reviewer_a)
    assert case.case_type == "joint"
    assert list(case.joint_tasks.values_list("department__short_name", "due_on")) == [
        ("公安交警局", date(2026, 10, 19))]


def test_a_return_review_states_its_conclusion_and_belongs_to_the_department(
        under_review, reviewer_a, reviewer_b, clerk, business_section):
    before = frozen(under_review)
    with pytest.raises(ValidationFailed) as refused:
        case_return_review(case=under_review, confirm=True, note=" ", by=reviewer_a)
    assert list(refused.value.fields) == ["note"]
    for outsider in (reviewer_b, clerk, business_section):
        with pytest.raises(PermissionDenied):
            case_return_review(case=under_review, confirm=False, note="符合", by=outsider)
    assert frozen(under_review) == before


def test_a_return_is_reviewed_once(under_review, reviewer_a, accepted):
    case_return_review(case=under_review, confirm=True, note="确认退回", by=reviewer_a)
    for case in (under_review, accepted):
        before = frozen(case)
        with pytest.raises(CaseStateError):
            case_return_review(case=case, confirm=False, note="改为受理", by=reviewer_a)
        assert frozen(case) == before


# --- supplement after acceptance --------------------------------------------------------

def test_a_supplement_after_acceptance_pauses_the_clock_and_lists_every_material_at_once(
        today, accepted, reviewer_a, item_a):
    today.day = date(2026, 10, 12)
    form, licence = material(item_a, "食品经营许可申请书"), material(item_a, "营业执照复印件")
    case = case_request_supplement(case=accepted, material_ids={form.pk, licence.pk},
                                   note="申请书未签字", by=reviewer_a)
    assert case.status == "suspended"
    pause = case.pauses.get()
    assert (pause.kind, pause.start, pause.end) == ("applicant_correction",
                                                    date(2026, 10, 12), None)
    assert set(case.materials.filter(received=False).values_list("material__name", flat=True)
               ) == {"食品经营许可申请书", "营业执照复印件"}
    event = case.events.get(kind="supplement_requested")
    assert "食品经营许可申请书" in event.note and "营业执照复印件" in event.note
    assert "申请书未签字" in event.note
    assert AuditEntry.objects.filter(action="cases.supplement_requested").count() == 1
    body = sms("supplement_requested").get().body
    assert "食品经营许可申请书" in body and "营业执照复印件" in body
    assert not Irregularity.objects.exists()


def test_the_materials_arriving_resume_the_clock_and_move_the_deadline_by_the_pause(
        today, accepted, reviewer_a, clerk, item_a):
    case_step_take(case=accepted, by=reviewer_a)
    today.day = date(2026, 10, 12)
    case_request_supplement(case=accepted, material_ids={material(item_a, "营业执照复印件").pk},
                            note="", by=reviewer_a)
    today.day = date(2026, 10, 15)
    case = case_materials_complete(case=accepted, by=clerk)
    assert (case.status, case.paused_working_days) == ("in_progress", 3)
    assert case.promised_due == date(2026, 10, 23)  # 10-20 moved by 3 working days
    assert case.pauses.get().end == date(2026, 10, 15)
    assert case.visits == 2
    assert case.current_assignee == reviewer_a  # the step in hand stays with its holder
    assert case.materials_completed_on == date(2026, 9, 30)  # the clock began at acceptance
    assert not case.materials.filter(received=False, material__is_required=True).exists()
    assert case.events.filter(kind="materials_completed").count() == 1
    assert AuditEntry.objects.filter(action="cases.materials_completed").count() == 1


def test_the_applicants_notice_names_every_material_the_department_asks_for(
        accepted, reviewer_a, item_a):
    asked = {material(item_a, "营业执照复印件"), material(item_a, "食品安全管理制度")}
    case_request_supplement(case=accepted, material_ids={m.pk for m in asked}, note="",
                            by=reviewer_a)
    body = sms("supplement_requested").get().body
    assert all(m.name in body for m in asked), body


def test_a_single_supplement_request_on_a_complete_case_is_no_irregularity(
        accepted, reviewer_a, clerk, item_a):
    case_request_supplement(case=accepted, material_ids={material(item_a, "营业执照复印件").pk},
                            note="", by=reviewer_a)
    case_materials_complete(case=accepted, by=clerk)
    assert not Irregularity.objects.exists()


def test_a_second_supplement_request_is_an_irregularity_for_supervision(
        accepted, reviewer_a, clerk, item_a):
    licence = material(item_a, "营业执照复印件")
    case_request_supplement(case=accepted, material_ids={licence.pk}, note="", by=reviewer_a)
    case_materials_complete(case=accepted, by=clerk)
    case_request_supplement(case=accepted, material_ids={licence.pk}, note="复印件不清晰",
                            by=reviewer_a)
    irregularity = Irregularity.objects.get()
    assert (irregularity.kind, irregularity.case, irregularity.department, irregularity.by) == (
        "repeated_supplement", accepted, accepted.department, reviewer_a)
    assert "第2次" in irregularity.note and "营业执照复印件" in irregularity.note


def test_the_first_request_after_a_supplement_intake_is_already_an_irregularity(
        today, item_a, clerk, key_materials, reviewer_a):
    case = case_intake(item=item_a, applicant=PERSON, received=key_materials, by=clerk)
    case = case_materials_complete(case=case, by=clerk)
    case_request_supplement(case=case, material_ids={material(item_a, "营业执照复印件").pk},
                            note="", by=reviewer_a)
    irregularity = Irregularity.objects.get()
    assert irregularity.kind == "repeated_supplement" and "第2次" in irregularity.note


@pytest.mark.parametrize("ids", [set(), {987654}])
def test_a_supplement_request_ticks_materials_of_the_case(accepted, reviewer_a, item_a, ids):
    before = frozen(accepted)
    with pytest.raises(ValidationFailed) as refused:
        case_request_supplement(case=accepted, material_ids=ids, note="", by=reviewer_a)
    assert list(refused.value.fields) == ["material_ids"]
    assert frozen(accepted) == before
    assert AuditEntry.objects.filter(action="cases.request_supplement",
                                     outcome="failure").count() == 1


def test_only_the_department_asks_for_a_supplement_of_a_case_in_progress(
        today, accepted, reviewer_a, reviewer_b, clerk, item_a, key_materials):
    ids = {material(item_a, "营业执照复印件").pk}
    before = frozen(accepted)
    for outsider in (reviewer_b, clerk):
        with pytest.raises(PermissionDenied):
            case_request_supplement(case=accepted, material_ids=ids, note="", by=outsider)
    assert frozen(accepted) == before
    awaiting = case_intake(item=item_a, applicant=PERSON, received=key_materials, by=clerk)
    case_suspend(case=accepted, kind="site_survey", reason="现场核查", by=reviewer_a)
    for case in (awaiting, accepted):
        before = frozen(case)
        with pytest.raises(CaseStateError):
            case_request_supplement(case=case, material_ids=ids, note="", by=reviewer_a)
        assert frozen(case) == before


def test_materials_complete_only_ends_a_wait_for_materials(accepted, reviewer_a, clerk):
    before = frozen(accepted)
    with pytest.raises(CaseStateError):
        case_materials_complete(case=accepted, by=clerk)  # nothing is awaited
    assert frozen(accepted) == before
    case_suspend(case=accepted, kind="expert_review", reason="专家评审", by=reviewer_a)
    before = frozen(accepted)
    with pytest.raises(CaseStateError) as refused:
        case_materials_complete(case=accepted, by=clerk)
    assert accepted.number in refused.value.message
    assert frozen(accepted) == before


def test_a_case_decided_while_silent_consent_runs_is_left_alone_and_the_rest_approved(
        today, silent_item, clerk, reviewer_a, monkeypatch):
    from servicehall.cases.services import decision

    first, second = (case_intake(item=silent_item, applicant=PERSON, by=clerk,
                                 received=all_of(silent_item)) for _ in range(2))
    second = to_decision(second, reviewer_a)
    today.day = date(2026, 11, 4)
    real = decision.case_silent_consent

    def reviewer_decides_the_second_meanwhile(*, case, today):
        if case.pk == first.pk:
            case_decide(case=second, decision="denied", note="不符合规划", by=reviewer_a)
        return real(case=case, today=today)

    monkeypatch.setattr(decision, "case_silent_consent", reviewer_decides_the_second_meanwhile)
    assert cases_apply_silent_consent(today=today.day) == [first.number]
    second.refresh_from_db()
    assert second.decision == "denied"


def test_a_later_supplement_notice_does_not_promise_a_fresh_time_limit(accepted, reviewer_a,
                                                                      item_a):
    case_request_supplement(case=accepted, material_ids={material(item_a, "营业执照复印件").pk},
                            note="", by=reviewer_a)
    body = sms("supplement_requested").get().body
    assert "营业执照复印件" in body
    assert "自材料补齐之日起计算" not in body, body
