"""The item's process on a case (受理→审核→办结): the department's pool, taking, assigning,
handing over and taking back a step, completing it with an opinion, and the work queues."""

from datetime import date
from decimal import Decimal

import pytest

from servicehall.accounts.choices import Role
from servicehall.cases import selectors
from servicehall.cases.models import Case, Irregularity
from servicehall.cases.services import (
    case_comment,
    case_decide,
    case_intake,
    case_mark_urgent,
    case_step_assign,
    case_step_complete,
    case_step_hand_over,
    case_step_take,
    case_step_take_back,
)
from servicehall.cases.services.common import CaseStateError
from servicehall.catalog.elements import StepSpec
from servicehall.core.errors import Conflict, PermissionDenied, ValidationFailed
from servicehall.core.models import AuditEntry, OutboxMessage
from tests.cases.conftest import PERSON

pytestmark = pytest.mark.django_db

WED_BEFORE_NATIONAL_DAY = date(2026, 9, 30)


def frozen(case):
    """Everything a refused call must leave as it was."""
    return (Case.objects.filter(pk=case.pk).values().get(),
            list(case.steps.order_by("position").values()),
            list(case.events.values_list("pk", flat=True)),
            list(case.joint_tasks.values()), list(case.materials.values()),
            list(case.pauses.values()), list(case.extensions.values()),
            OutboxMessage.objects.count(), Irregularity.objects.count(),
            AuditEntry.objects.filter(outcome="success").count())


def failures(action):
    return AuditEntry.objects.filter(action=action, outcome="failure").count()


@pytest.fixture
def chief(make_user, department_a):
    return make_user(Role.CHIEF_REPRESENTATIVE, department=department_a, username="chief_a",
                     full_name="王首席")


@pytest.fixture
def colleague(make_user, department_a):
    return make_user(Role.REVIEWER, department=department_a, username="colleague_a",
                     full_name="张审核")


@pytest.fixture
def case(today, item_a, clerk, all_materials):
    """Accepted on Wed 2026-09-30, the day before the National Day holiday."""
    return case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)


@pytest.fixture
def four_step_item(department_a, make_item):
    return make_item(department_a, "SCJG-0010", main_item="食品生产许可", steps=[
        StepSpec("受理", Decimal("0.5")), StepSpec("承办", Decimal("3")),
        StepSpec("审核", Decimal("2")), StepSpec("办结", Decimal("0.5"))])


# --- acceptance puts the process on the case ------------------------------------------------

def test_acceptance_copies_the_items_steps_with_intake_done_and_the_next_in_the_pool(
        case, clerk):
    steps = list(case.steps.order_by("position"))
    assert [(s.name, s.status) for s in steps] == [
        ("受理", "done"), ("审核", "active"), ("办结", "waiting")]
    intake, review, _ = steps
    assert (intake.completed_by, intake.started_on) == (clerk, WED_BEFORE_NATIONAL_DAY)
    assert review.assignee is None and review.started_on == WED_BEFORE_NATIONAL_DAY
    assert review.budget_days == Decimal("2")
    assert (case.current_step, case.current_assignee) == (review, None)


def test_the_step_in_hand_is_due_after_its_budget_in_working_days_across_national_day(case):
    review = case.steps.get(name="审核")
    assert review.due_on == date(2026, 10, 9)  # 10-01..10-07 off: Thu 10-08, Fri 10-09
    assert case.current_step_due == date(2026, 10, 9)


def test_a_step_budget_that_reaches_the_make_up_saturday_ends_on_it(
        today, department_a, make_item, clerk):
    item = make_item(department_a, "SCJG-0011", steps=[
        StepSpec("受理", Decimal("0.5")), StepSpec("审核", Decimal("2.5")),
        StepSpec("办结", Decimal("0.5"))])
    case = case_intake(item=item, applicant=PERSON, by=clerk,
                       received={m.pk for m in item.current_version.materials.all()})
    assert case.current_step_due == date(2026, 10, 10)  # 2.5 → 3 working days; Sat 10-10 works


def test_the_next_step_is_due_after_its_budget_from_the_day_the_previous_one_is_done(
        today, case, reviewer_a):
    today.day = date(2026, 10, 9)
    case = case_step_complete(case=case, opinion="材料齐全,符合条件", by=reviewer_a)
    last = case.steps.get(name="办结")
    assert (last.status, last.started_on, last.due_on) == (
        "active", date(2026, 10, 9), date(2026, 10, 10))
    assert case.current_step == last and case.current_step_due == date(2026, 10, 10)


# --- the pool: take, assign, hand over, take back ---------------------------------------

def test_a_reviewer_takes_the_step_from_the_department_pool(case, reviewer_a):
    case = case_step_take(case=case, by=reviewer_a)
    assert case.current_assignee == reviewer_a
    assert case.steps.get(name="审核").assignee == reviewer_a
    assert case.events.filter(kind="step_taken", by=reviewer_a).exists()
    assert AuditEntry.objects.filter(action="cases.step_taken", actor=reviewer_a).count() == 1


def test_a_step_already_held_cannot_be_taken_again_and_nothing_changes(
        case, reviewer_a, colleague):
    case_step_take(case=case, by=reviewer_a)
    before = frozen(case)
    with pytest.raises(CaseStateError) as refused:
        case_step_take(case=case, by=colleague)
    assert "审核" in refused.value.message
    assert frozen(case) == before
    assert failures("cases.step_take") == 1


def test_window_staff_and_other_departments_cannot_take_a_step(case, clerk, reviewer_b):
    before = frozen(case)
    for person in (clerk, reviewer_b):
        with pytest.raises(PermissionDenied):
            case_step_take(case=case, by=person)
    assert frozen(case) == before


def test_the_chief_representative_assigns_the_step_to_a_member_of_the_department(
        case, chief, colleague):
    case = case_step_assign(case=case, to_user_id=colleague.pk, by=chief)
    assert case.current_assignee == colleague
    event = case.events.get(kind="step_assigned")
    assert (event.by, event.note) == (chief, "审核 → 张审核")
    assert AuditEntry.objects.filter(action="cases.step_assigned").count() == 1


@pytest.mark.parametrize("who", ["other_department", "window_staff", "inactive", "nobody"])
def test_a_step_goes_only_to_an_active_member_of_the_cases_department(
        who, case, chief, reviewer_b, clerk, make_user, department_a):
    target = {"other_department": lambda: reviewer_b.pk, "window_staff": lambda: clerk.pk,
              "inactive": lambda: make_user(Role.REVIEWER, department=department_a,
                                            is_active=False).pk,
              "nobody": lambda: 987654}[who]()
    before = frozen(case)
    with pytest.raises(ValidationFailed) as assigning:
        case_step_assign(case=case, to_user_id=target, by=chief)
    assert list(assigning.value.fields) == ["user_id"]
    case_step_take(case=case, by=chief)
    held = frozen(case)
    with pytest.raises(ValidationFailed) as handing:
        case_step_hand_over(case=case, to_user_id=target, note="", by=chief)
    assert list(handing.value.fields) == ["user_id"]
    assert frozen(case) == held
    assert before[1] != held[1]  # only the take changed the step
    assert failures("cases.step_assign") == failures("cases.step_hand_over") == 1


def test_another_reviewer_cannot_reassign_a_step_someone_holds(case, reviewer_a, colleague):
    case_step_take(case=case, by=reviewer_a)
    before = frozen(case)
    with pytest.raises(PermissionDenied):
        case_step_assign(case=case, to_user_id=colleague.pk, by=colleague)
    assert frozen(case) == before


def test_the_holder_hands_the_step_over_and_only_the_giver_takes_it_back(
        case, reviewer_a, colleague, chief):
    case_step_take(case=case, by=reviewer_a)
    case = case_step_hand_over(case=case, to_user_id=colleague.pk, note="请协助核查场所",
                               by=reviewer_a)
    step = case.steps.get(name="审核")
    assert (step.assignee, step.handed_over_by) == (colleague, reviewer_a)
    assert case.current_assignee == colleague
    assert case.events.get(kind="step_handed_over").note == "审核 → 张审核:请协助核查场所"
    before = frozen(case)
    for not_the_giver in (colleague, chief):
        with pytest.raises(CaseStateError):
            case_step_take_back(case=case, by=not_the_giver)
    assert frozen(case) == before
    case = case_step_take_back(case=case, by=reviewer_a)
    step.refresh_from_db()
    assert (step.assignee, step.handed_over_by) == (reviewer_a, None)
    assert case.current_assignee == reviewer_a
    assert AuditEntry.objects.filter(action="cases.step_taken_back").count() == 1
    assert failures("cases.step_take_back") == 2


def test_a_step_taken_back_cannot_be_taken_back_twice(case, reviewer_a, colleague):
    case_step_take(case=case, by=reviewer_a)
    case_step_hand_over(case=case, to_user_id=colleague.pk, note="", by=reviewer_a)
    case_step_take_back(case=case, by=reviewer_a)
    with pytest.raises(CaseStateError):
        case_step_take_back(case=case, by=reviewer_a)


def test_handing_a_step_to_its_holder_is_refused(case, reviewer_a):
    case_step_take(case=case, by=reviewer_a)
    before = frozen(case)
    with pytest.raises(ValidationFailed) as refused:
        case_step_hand_over(case=case, to_user_id=reviewer_a.pk, note="", by=reviewer_a)
    assert "user_id" in refused.value.fields
    assert frozen(case) == before


def test_only_the_holder_hands_a_held_step_over(case, reviewer_a, colleague, chief):
    case_step_take(case=case, by=reviewer_a)
    before = frozen(case)
    with pytest.raises(PermissionDenied):
        case_step_hand_over(case=case, to_user_id=chief.pk, note="", by=colleague)
    assert frozen(case) == before


# --- completing a step ------------------------------------------------------------------

def test_completing_a_step_records_the_opinion_and_puts_the_next_one_in_the_pool(
        case, reviewer_a):
    revision = case.revision
    case = case_step_complete(case=case, opinion=" 材料齐全,同意 ", by=reviewer_a)
    review = case.steps.get(name="审核")
    assert (review.status, review.opinion, review.completed_by, review.assignee) == (
        "done", " 材料齐全,同意 ", reviewer_a, reviewer_a)  # a pool step is done by its taker
    last = case.steps.get(name="办结")
    assert (last.status, last.assignee) == ("active", None)
    assert (case.current_step, case.current_assignee) == (last, None)
    assert case.revision == revision + 1
    assert case.events.get(kind="step_completed").note == "审核:材料齐全,同意"
    assert AuditEntry.objects.filter(action="cases.step_completed", actor=reviewer_a).count() == 1


def test_a_step_is_completed_only_with_an_opinion(case, reviewer_a):
    before = frozen(case)
    with pytest.raises(ValidationFailed) as refused:
        case_step_complete(case=case, opinion="  ", by=reviewer_a)
    assert list(refused.value.fields) == ["opinion"]
    assert frozen(case) == before
    assert failures("cases.step_complete") == 1


def test_the_last_step_is_not_completed_the_decision_is_recorded_instead(case, reviewer_a):
    case = case_step_complete(case=case, opinion="同意", by=reviewer_a)
    before = frozen(case)
    with pytest.raises(CaseStateError) as refused:
        case_step_complete(case=case, opinion="同意", by=reviewer_a)
    assert "办结" in refused.value.message
    assert frozen(case) == before
    case = case_decide(case=case, decision="approved", note="", by=reviewer_a)
    assert case.status == "completed"
    assert set(case.steps.values_list("status", flat=True)) == {"done"}
    assert case.current_step is None


def test_another_reviewer_cannot_complete_a_step_someone_holds(case, reviewer_a, colleague):
    case_step_take(case=case, by=reviewer_a)
    before = frozen(case)
    with pytest.raises(PermissionDenied):
        case_step_complete(case=case, opinion="同意", by=colleague)
    assert frozen(case) == before


def test_the_chief_representative_may_complete_a_step_someone_else_holds(
        case, reviewer_a, chief):
    case_step_take(case=case, by=reviewer_a)
    case = case_step_complete(case=case, opinion="首席代表审核同意", by=chief)
    review = case.steps.get(name="审核")
    assert (review.status, review.completed_by, review.assignee) == ("done", chief, reviewer_a)


def test_other_departments_and_window_staff_cannot_complete_a_step(case, reviewer_b, clerk):
    before = frozen(case)
    for person in (reviewer_b, clerk):
        with pytest.raises(PermissionDenied):
            case_step_complete(case=case, opinion="同意", by=person)
    assert frozen(case) == before


def test_a_step_of_a_case_no_longer_in_progress_cannot_be_completed(
        today, item_a, clerk, key_materials, reviewer_a):
    awaiting = case_intake(item=item_a, applicant=PERSON, received=key_materials, by=clerk)
    before = frozen(awaiting)
    for act in (lambda: case_step_take(case=awaiting, by=reviewer_a),
                lambda: case_step_complete(case=awaiting, opinion="同意", by=reviewer_a)):
        with pytest.raises(CaseStateError):
            act()
    assert frozen(awaiting) == before


def test_a_stale_revision_is_refused_when_completing_a_step(case, reviewer_a):
    before = frozen(case)
    with pytest.raises(Conflict) as refused:
        case_step_complete(case=case, opinion="同意", by=reviewer_a,
                           expected_revision=case.revision - 1)
    assert not isinstance(refused.value, CaseStateError)
    assert frozen(case) == before


def test_a_step_completed_meanwhile_by_someone_else_is_a_conflict_not_the_next_step(
        today, four_step_item, clerk, reviewer_a, colleague):
    seen = case_intake(item=four_step_item, applicant=PERSON, by=clerk,
                       received={m.pk for m in four_step_item.current_version.materials.all()})
    case_step_complete(case=Case.objects.get(pk=seen.pk), opinion="承办:同意", by=colleague)
    before = frozen(seen)
    with pytest.raises(Conflict) as refused:
        case_step_complete(case=seen, opinion="承办:不同意", by=reviewer_a)
    assert seen.number in refused.value.message
    assert frozen(seen) == before
    assert seen.steps.get(name="审核").status == "active"


def test_the_decision_waits_for_the_earlier_steps_and_names_them(
        today, four_step_item, clerk, reviewer_a):
    case = case_intake(item=four_step_item, applicant=PERSON, by=clerk,
                       received={m.pk for m in four_step_item.current_version.materials.all()})
    before = frozen(case)
    with pytest.raises(CaseStateError) as refused:
        case_decide(case=case, decision="approved", note="", by=reviewer_a)
    assert "承办、审核" in refused.value.message
    assert frozen(case) == before
    case = case_step_complete(case=case, opinion="拟同意", by=reviewer_a)
    with pytest.raises(CaseStateError) as still:
        case_decide(case=case, decision="approved", note="", by=reviewer_a)
    assert "审核" in still.value.message and "承办" not in still.value.message


def test_a_comment_goes_on_the_timeline_and_needs_text(case, reviewer_a, reviewer_b):
    with pytest.raises(ValidationFailed):
        case_comment(case=case, text=" ", by=reviewer_a)
    with pytest.raises(PermissionDenied):
        case_comment(case=case, text="看一下", by=reviewer_b)
    case = case_comment(case=case, text=" 申请人来电询问进度 ", by=reviewer_a)
    assert case.events.get(kind="commented").note == "申请人来电询问进度"
    assert AuditEntry.objects.filter(action="cases.commented").count() == 1


# --- work queues ------------------------------------------------------------------------

def test_the_work_queue_puts_urgent_cases_first_then_the_earliest_step_due(
        today, department_a, make_item, clerk, reviewer_a, business_section):
    slow = make_item(department_a, "SCJG-0020", steps=[
        StepSpec("受理", Decimal("0.5")), StepSpec("审核", Decimal("5")),
        StepSpec("办结", Decimal("0.5"))])
    quick = make_item(department_a, "SCJG-0021", steps=[
        StepSpec("受理", Decimal("0.5")), StepSpec("审核", Decimal("1")),
        StepSpec("办结", Decimal("0.5"))])

    def accept(item):
        return case_intake(item=item, applicant=PERSON, by=clerk,
                           received={m.pk for m in item.current_version.materials.all()})

    slow_case, quick_case, urgent_slow = accept(slow), accept(quick), accept(slow)
    assert slow_case.promised_due == quick_case.promised_due  # same promise: step due decides
    assert (quick_case.current_step_due, slow_case.current_step_due) == (
        date(2026, 10, 8), date(2026, 10, 13))
    case_mark_urgent(case=urgent_slow, reason="市重点项目", by=business_section)
    queue = [c.number for c in selectors.work_queue(user=reviewer_a)]
    assert queue == [urgent_slow.number, quick_case.number, slow_case.number]
    listed = [c.number for c in selectors.cases_for_staff(user=reviewer_a)]
    assert listed == queue


def test_my_desk_holds_the_steps_i_hold_and_the_pool_the_steps_nobody_holds(
        today, item_a, clerk, all_materials, reviewer_a, colleague, reviewer_b, department_b,
        make_user):
    taken, pooled, other = (
        case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)
        for _ in range(3))
    case_step_take(case=taken, by=reviewer_a)
    case_step_assign(case=other, to_user_id=colleague.pk, by=reviewer_a)

    def numbers(user, queue):
        return [c.number for c in selectors.cases_for_staff(user=user, queue=queue)]

    assert numbers(reviewer_a, "mine") == [taken.number]
    assert numbers(colleague, "mine") == [other.number]
    assert numbers(reviewer_a, "department") == [pooled.number]
    assert numbers(colleague, "department") == [pooled.number]
    assert numbers(reviewer_b, "department") == numbers(reviewer_b, "mine") == []
    chief_b = make_user(Role.CHIEF_REPRESENTATIVE, department=department_b)
    assert numbers(chief_b, "department") == []


def test_a_completed_case_leaves_my_desk(case, reviewer_a):
    case = case_step_take(case=case, by=reviewer_a)
    case = case_step_complete(case=case, opinion="同意", by=reviewer_a)
    assert not selectors.cases_for_staff(user=reviewer_a, queue="mine").exists()
    assert [c.number for c in selectors.cases_for_staff(user=reviewer_a, queue="department")
            ] == [case.number]  # the next step is back in the pool
    case_step_take(case=case, by=reviewer_a)
    case_decide(case=case, decision="approved", note="", by=reviewer_a)
    assert not selectors.cases_for_staff(user=reviewer_a, queue="mine").exists()
    assert not selectors.cases_for_staff(user=reviewer_a, queue="department").exists()


def test_a_case_without_a_process_has_no_step_to_take(today, department_a, make_item, clerk,
                                                     reviewer_a):
    item = make_item(department_a, "SCJG-0041", main_item="食品经营许可证补办",
                     processing_type="immediate", promised_limit=0, steps=[])
    case = case_intake(item=item, applicant=PERSON, by=clerk,
                       received={m.pk for m in item.current_version.materials.all()})
    assert not case.steps.exists() and case.current_step is None
    before = frozen(case)
    for act in (lambda: case_step_take(case=case, by=reviewer_a),
                lambda: case_step_complete(case=case, opinion="同意", by=reviewer_a)):
        with pytest.raises(CaseStateError) as refused:
            act()
        assert case.number in refused.value.message
    assert frozen(case) == before


def test_a_suspension_moves_the_due_date_of_the_step_in_hand_like_the_case_deadline(
        today, case, reviewer_a):
    from servicehall.cases.services import case_resume, case_suspend

    assert (case.current_step_due, case.promised_due) == (date(2026, 10, 9), date(2026, 10, 20))
    today.day = date(2026, 10, 8)
    case_suspend(case=case, kind="expert_review", reason="组织专家评审", by=reviewer_a)
    today.day = date(2026, 10, 12)
    case = case_resume(case=case, by=reviewer_a)
    assert (case.paused_working_days, case.promised_due) == (3, date(2026, 10, 23))
    assert case.steps.get(name="审核").due_on == date(2026, 10, 13)  # 10-09 + 3 working days
    assert case.current_step_due == date(2026, 10, 13)
