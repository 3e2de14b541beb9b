"""Joint cases (联办件): the lead department holds the case, each co-department finishes a
task of its own with its own budget, and the case is decided when every task is done."""

from datetime import date
from decimal import Decimal

import pytest

from servicehall.accounts.choices import Role
from servicehall.cases import selectors
from servicehall.cases.models import Case, Irregularity
from servicehall.cases.services import (
    case_decide,
    case_intake,
    case_joint_task_complete,
    case_materials_complete,
    case_step_complete,
    case_step_take,
    case_suspend,
)
from servicehall.cases.services.common import CaseStateError
from servicehall.cases.services.joint import co_department_budget
from servicehall.catalog.elements import StepSpec
from servicehall.core.errors import NotFound, PermissionDenied, ValidationFailed
from servicehall.core.models import AuditEntry, OutboxMessage
from tests.cases.conftest import PERSON, to_decision
from tests.factories import CenterFactory, DepartmentFactory

pytestmark = pytest.mark.django_db


def frozen(case):
    """Everything a refused call must leave as it was."""
    return (Case.objects.filter(pk=case.pk).values().get(),
            list(case.steps.order_by("position").values()),
            list(case.events.values_list("pk", flat=True)),
            list(case.joint_tasks.order_by("pk").values()), list(case.materials.values()),
            OutboxMessage.objects.count(), Irregularity.objects.count(),
            AuditEntry.objects.filter(outcome="success").count())


@pytest.fixture
def department_c(center):
    return DepartmentFactory(center=center, code="ZJJ", name="深圳市住房和建设局",
                             short_name="住建局")


@pytest.fixture
def reviewer_c(make_user, department_c):
    return make_user(Role.REVIEWER, department=department_c, username="reviewer_c")


@pytest.fixture
def department_d(center):
    return DepartmentFactory(center=center, code="SWJ", name="深圳市水务局", short_name="水务局")


@pytest.fixture
def reviewer_d(make_user, department_d):
    return make_user(Role.REVIEWER, department=department_d, username="reviewer_d")


@pytest.fixture
def joint_item(department_a, department_b, department_c, make_item):
    """Led by 市场监管局; 公安交警局 and 住建局 take part."""
    return make_item(department_a, "SCJG-0004", main_item="大型餐饮开办",
                     processing_type="joint",
                     joint_department_codes=[department_b.code, department_c.code])


def all_of(item) -> set[int]:
    return {m.pk for m in item.current_version.materials.all()}


@pytest.fixture
def joint(today, joint_item, clerk):
    return case_intake(item=joint_item, applicant=PERSON, received=all_of(joint_item), by=clerk)


def test_a_co_department_gets_the_promised_limit_less_one_day_and_at_least_one():
    assert [co_department_budget(days) for days in (10, 2, 1, 0)] == [9, 1, 1, 1]


def test_a_joint_case_gives_each_co_department_a_task_due_on_the_working_calendar(joint):
    assert joint.case_type == "joint" and joint.status == "in_progress"
    tasks = list(joint.joint_tasks.order_by("department__code"))
    assert [(t.department.short_name, t.status, t.budget_days, t.due_on) for t in tasks] == [
        ("公安交警局", "open", 9, date(2026, 10, 19)),  # 9 working days from Wed 09-30
        ("住建局", "open", 9, date(2026, 10, 19)),
    ]


def test_a_joint_case_with_a_short_promise_still_gives_a_co_department_one_day(
        today, department_a, department_b, make_item, clerk):
    item = make_item(department_a, "SCJG-0005", main_item="临时占道", processing_type="joint",
                     promised_limit=1, joint_department_codes=[department_b.code],
                     steps=[StepSpec("受理"), StepSpec("审核", Decimal("0.5")),
                            StepSpec("办结", Decimal("0.5"))])
    case = case_intake(item=item, applicant=PERSON, received=all_of(item), by=clerk)
    task = case.joint_tasks.get()
    assert (task.budget_days, task.due_on) == (1, date(2026, 10, 8))


def test_a_joint_item_accepted_pending_supplement_still_waits_for_its_co_departments(
        today, joint_item, clerk, reviewer_a):
    key = {m.pk for m in joint_item.current_version.materials.filter(is_key=True)}
    case = case_intake(item=joint_item, applicant=PERSON, received=key, by=clerk)
    assert case.joint_tasks.count() == 2
    assert set(case.joint_tasks.values_list("due_on", flat=True)) == {None}
    today.day = date(2026, 10, 9)
    case = case_materials_complete(case=case, by=clerk)
    assert set(case.joint_tasks.values_list("due_on", flat=True)) == {date(2026, 10, 21)}
    with pytest.raises(CaseStateError):
        case_decide(case=to_decision(case, reviewer_a), decision="approved", note="",
                    by=reviewer_a)


def test_a_co_department_sees_the_joint_case_and_a_department_outside_it_does_not(
        joint, reviewer_b, reviewer_c, reviewer_d):
    for co in (reviewer_b, reviewer_c):
        assert co.has_perm("cases.view_case", joint)
        assert [c.number for c in selectors.cases_for_staff(user=co)] == [joint.number]
        assert selectors.case_for_staff(user=co, number=joint.number) == joint
    assert not reviewer_d.has_perm("cases.view_case", joint)
    assert not selectors.cases_for_staff(user=reviewer_d).exists()
    with pytest.raises(NotFound):
        selectors.case_for_staff(user=reviewer_d, number=joint.number)


def test_an_open_task_is_on_the_co_departments_desk_until_it_is_done(joint, reviewer_b):
    def desk():
        return [c.number for c in selectors.cases_for_staff(user=reviewer_b, queue="mine")]

    assert desk() == [joint.number]
    case_joint_task_complete(case=joint, opinion="同意,交通组织方案可行", by=reviewer_b)
    assert desk() == []
    assert [c.number for c in selectors.cases_for_staff(user=reviewer_b)] == [joint.number]


def test_a_co_department_completes_its_task_with_an_opinion(today, joint, reviewer_b):
    today.day = date(2026, 10, 12)
    case = case_joint_task_complete(case=joint, opinion=" 同意,交通组织方案可行 ",
                                    by=reviewer_b)
    task = case.joint_tasks.get(department__code="GAJJ")
    assert (task.status, task.opinion, task.completed_on, task.completed_by) == (
        "done", "同意,交通组织方案可行", date(2026, 10, 12), reviewer_b)
    assert case.joint_tasks.get(department__code="ZJJ").status == "open"
    event = case.events.get(kind="joint_task_done")
    assert (event.by, event.note) == (reviewer_b, "公安交警局:同意,交通组织方案可行")
    assert AuditEntry.objects.filter(action="cases.joint_task_completed",
                                     actor=reviewer_b).count() == 1
    assert case.status == "in_progress"


def test_a_co_departments_task_needs_an_opinion(joint, reviewer_b):
    before = frozen(joint)
    with pytest.raises(ValidationFailed) as refused:
        case_joint_task_complete(case=joint, opinion=" ", by=reviewer_b)
    assert list(refused.value.fields) == ["opinion"]
    assert frozen(joint) == before
    assert AuditEntry.objects.filter(action="cases.joint_task_complete",
                                     outcome="failure").count() == 1


def test_a_task_is_finished_once(joint, reviewer_b, make_user, department_b):
    case_joint_task_complete(case=joint, opinion="同意", by=reviewer_b)
    before = frozen(joint)
    colleague = make_user(Role.CHIEF_REPRESENTATIVE, department=department_b)
    with pytest.raises(CaseStateError) as refused:
        case_joint_task_complete(case=joint, opinion="不同意", by=colleague)
    assert "公安交警局" in refused.value.message
    assert frozen(joint) == before


def test_only_a_co_department_completes_a_task(joint, reviewer_a, reviewer_d, clerk,
                                               business_section):
    before = frozen(joint)
    for outsider in (reviewer_a, reviewer_d, clerk, business_section):
        with pytest.raises(NotFound):
            case_joint_task_complete(case=joint, opinion="同意", by=outsider)
    assert frozen(joint) == before


def test_a_co_department_names_another_departments_task_in_vain(joint, reviewer_b,
                                                                department_c):
    before = frozen(joint)
    with pytest.raises(PermissionDenied):
        case_joint_task_complete(case=joint, opinion="同意", by=reviewer_b,
                                 department_id=department_c.pk)
    assert frozen(joint) == before


def test_a_co_department_does_not_walk_the_lead_departments_steps_or_decide(joint, reviewer_b):
    before = frozen(joint)
    for act in (lambda: case_step_take(case=joint, by=reviewer_b),
                lambda: case_step_complete(case=joint, opinion="同意", by=reviewer_b),
                lambda: case_decide(case=joint, decision="approved", note="", by=reviewer_b)):
        with pytest.raises(PermissionDenied):
            act()
    assert frozen(joint) == before


def test_a_joint_case_is_decided_only_when_every_co_department_is_done(
        joint, reviewer_a, reviewer_b, reviewer_c):
    case = to_decision(joint, reviewer_a)
    before = frozen(case)
    with pytest.raises(CaseStateError) as refused:
        case_decide(case=case, decision="approved", note="", by=reviewer_a)
    assert "公安交警局、住建局" in refused.value.message
    assert frozen(case) == before
    case_joint_task_complete(case=case, opinion="同意", by=reviewer_b)
    with pytest.raises(CaseStateError) as still:
        case_decide(case=case, decision="approved", note="", by=reviewer_a)
    assert "住建局" in still.value.message and "公安交警局" not in still.value.message
    case_joint_task_complete(case=case, opinion="同意", by=reviewer_c)
    case = case_decide(case=case, decision="approved", note="", by=reviewer_a)
    assert case.status == "completed"
    assert AuditEntry.objects.filter(action="cases.decide", outcome="failure").count() == 2


def test_a_co_department_finishes_its_task_while_the_case_is_suspended(
        joint, reviewer_a, reviewer_b):
    case_suspend(case=joint, kind="site_survey", reason="现场踏勘", by=reviewer_a)
    case = case_joint_task_complete(case=joint, opinion="同意", by=reviewer_b)
    assert case.status == "suspended"
    assert case.joint_tasks.get(department__code="GAJJ").status == "done"


def test_no_task_is_completed_on_a_decided_joint_case(joint, reviewer_a, reviewer_b,
                                                     reviewer_c):
    case_joint_task_complete(case=joint, opinion="同意", by=reviewer_b)
    case_joint_task_complete(case=joint, opinion="同意", by=reviewer_c)
    case = case_decide(case=to_decision(joint, reviewer_a), decision="approved", note="",
                       by=reviewer_a)
    before = frozen(case)
    with pytest.raises(CaseStateError):
        case_joint_task_complete(case=case, opinion="补充意见", by=reviewer_b)
    assert frozen(case) == before


def test_the_lead_department_sees_every_co_departments_state_in_the_api(
        client, joint, reviewer_a, reviewer_b):
    case_joint_task_complete(case=joint, opinion="同意,交通组织方案可行", by=reviewer_b)
    client.force_login(reviewer_a)
    body = client.get(f"/api/v1/cases/{joint.number}").json()
    assert body["case_type"] == "joint"
    assert sorted(body["joint_tasks"], key=lambda t: t["department"]) == sorted([
        {"department": "公安交警局", "status": "done", "due_on": "2026-10-19",
         "opinion": "同意,交通组织方案可行"},
        {"department": "住建局", "status": "open", "due_on": "2026-10-19", "opinion": ""},
    ], key=lambda t: t["department"])


def test_a_co_department_completes_its_task_over_the_api(client, joint, reviewer_b,
                                                         reviewer_d):
    client.force_login(reviewer_d)
    outsider = client.post(f"/api/v1/cases/{joint.number}/joint-task", {"opinion": "同意"},
                           content_type="application/json")
    assert outsider.status_code == 404
    client.force_login(reviewer_b)
    done = client.post(f"/api/v1/cases/{joint.number}/joint-task", {"opinion": "同意"},
                       content_type="application/json")
    assert done.status_code == 200
    assert {t["department"]: t["status"] for t in done.json()["joint_tasks"]} == {
        "公安交警局": "done", "住建局": "open"}


def test_a_pause_moves_the_co_departments_due_dates_like_the_case_deadline(
        today, joint, reviewer_a):
    from servicehall.cases.services import case_resume

    today.day = date(2026, 10, 8)
    case_suspend(case=joint, kind="hearing", reason="举行听证", by=reviewer_a)
    today.day = date(2026, 10, 12)
    case = case_resume(case=joint, by=reviewer_a)
    assert (case.paused_working_days, case.promised_due) == (3, date(2026, 10, 23))
    assert set(case.joint_tasks.values_list("due_on", flat=True)) == {
        date(2026, 10, 22)}  # 10-19 + 3 working days


def test_a_transition_finds_a_case_exactly_where_the_staff_lists_show_it(
        joint, item_b, clerk, make_user, reviewer_a, reviewer_b, reviewer_d, department_a):
    """`case_for_staff` and `case_to_change` write their scope filter once per kind of user;
    every kind of user must reach exactly the cases `cases_for_staff` lists for them (a
    co-department's reviewer the joint case, another department's reviewer nothing)."""
    other = case_intake(item=item_b, applicant=PERSON, received=all_of(item_b), by=clerk)
    users = [clerk, reviewer_a, reviewer_b, reviewer_d,
             make_user(Role.CHIEF_REPRESENTATIVE, department=department_a, username="chief"),
             make_user(Role.BUSINESS_SECTION, username="business"),
             make_user(Role.WINDOW_STAFF, username="inactive", is_active=False),
             make_user(Role.APPLICANT, username="applicant"),
             make_user(Role.WINDOW_STAFF, username="root", is_superuser=True),
             make_user(Role.CENTER_LEADER, center=CenterFactory(code="440400"),
                       username="elsewhere")]
    for user in users * 2:  # the second round runs the statements written in the first
        for case in (joint, other):
            shown = selectors.cases_for_staff(user=user).filter(number=case.number).exists()
            for select in (selectors.case_for_staff, selectors.case_to_change):
                try:
                    found = select(user=user, number=case.number)
                except NotFound:
                    found = None
                assert (found is not None) == shown, (select.__name__, user.username)
                assert found is None or (found.pk, found.revision) == (case.pk, case.revision)
