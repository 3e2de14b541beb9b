"""The case API after intake: every lifecycle endpoint answers with the case on success and
with a structured error `{code, message, fields}` that leaves the case as it was; the list's
filters and queues; pinned query counts on the list and the detail."""

import re
from datetime import date, datetime

import pytest

from servicehall.accounts.choices import Role
from servicehall.cases.models import Case, Irregularity
from servicehall.cases.services import (
    case_comment,
    case_decide,
    case_extension_request,
    case_intake,
    case_joint_task_complete,
    case_materials_complete,
    case_step_complete,
    case_step_hand_over,
    case_step_take,
)
from servicehall.core.models import AuditEntry, OutboxMessage
from tests.cases.conftest import ENTERPRISE, PERSON, to_decision

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def fixed_day(today):
    return today


def frozen(case):
    """Everything a refused call must leave as it was."""
    return (Case.objects.filter(pk=case.pk).values().get(),
            list(case.steps.order_by("position").values()),
            list(case.events.values_list("pk", flat=True)),
            list(case.materials.order_by("pk").values()), list(case.pauses.values()),
            list(case.extensions.values()), list(case.joint_tasks.order_by("pk").values()),
            OutboxMessage.objects.count(), Irregularity.objects.count(),
            AuditEntry.objects.filter(outcome="success").count())


def post(client, case, action, body=None):
    return client.post(f"/api/v1/cases/{case.number}/{action}", body or {},
                       content_type="application/json")


def refused(response, status, code, fields=()):
    """A structured error in Chinese, naming exactly `fields`."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    assert CHINESE.search(body["message"]), body["message"]
    assert sorted(body["fields"]) == sorted(fields)
    for messages in body["fields"].values():
        assert all(CHINESE.search(m) for m in messages), messages
    return body


def ok(response):
    assert response.status_code == 200, response.content
    return response.json()


def all_of(item) -> set[int]:
    return {m.pk for m in item.current_version.materials.all()}


def material(item, name):
    return item.current_version.materials.get(name=name)


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def colleague(make_user, department_a):
    return make_user(Role.REVIEWER, department=department_a, username="colleague_a",
                     full_name="张审核")


@pytest.fixture
def accepted(item_a, clerk, all_materials):
    return case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)


@pytest.fixture
def post_item(department_a, make_item):
    return make_item(department_a, "SCJG-0040", main_item="食品经营许可(延续)",
                     delivery_modes=["window", "post", "online"])


# --- steps ------------------------------------------------------------------------------

def test_api_take_a_step_from_the_pool(client, accepted, clerk, reviewer_a, colleague):
    before = frozen(accepted)
    refused(post(login(client, clerk), accepted, "steps/take"), 403, "permission_denied")
    assert frozen(accepted) == before
    body = ok(post(login(client, reviewer_a), accepted, "steps/take"))
    assert body["steps"][1]["assignee"] == str(reviewer_a)
    assert body["events"][-1]["kind"] == "step_taken"
    before = frozen(accepted)
    body = refused(post(login(client, colleague), accepted, "steps/take"), 409, "invalid_state")
    assert "审核" in body["message"]
    assert frozen(accepted) == before


def test_api_assign_a_step_to_a_member_of_the_department(client, accepted, reviewer_a,
                                                         reviewer_b, colleague):
    login(client, reviewer_a)
    before = frozen(accepted)
    refused(post(client, accepted, "steps/assign", {"user_id": reviewer_b.pk}), 422,
            "validation_error", ["user_id"])
    refused(post(client, accepted, "steps/assign", {"user_id": "x"}), 422,
            "validation_error", ["user_id"])
    assert frozen(accepted) == before
    body = ok(post(client, accepted, "steps/assign", {"user_id": colleague.pk}))
    assert body["steps"][1]["assignee"] == "张审核"
    assert body["events"][-1] == {**body["events"][-1], "kind": "step_assigned",
                                  "note": "审核 → 张审核"}


def test_api_names_the_field_of_the_request_when_a_step_goes_to_the_wrong_person(
        client, accepted, reviewer_a, reviewer_b):
    response = post(login(client, reviewer_a), accepted, "steps/assign",
                    {"user_id": reviewer_b.pk})
    assert list(response.json()["fields"]) == ["user_id"]


def test_api_hand_a_step_over_and_take_it_back(client, accepted, reviewer_a, colleague):
    case_step_take(case=accepted, by=reviewer_a)
    login(client, reviewer_a)
    before = frozen(accepted)
    refused(post(client, accepted, "steps/hand-over", {"user_id": reviewer_a.pk}), 422,
            "validation_error", ["user_id"])
    assert frozen(accepted) == before
    body = ok(post(client, accepted, "steps/hand-over",
                   {"user_id": colleague.pk, "note": "请协助核查"}))
    assert body["steps"][1]["assignee"] == "张审核"
    assert body["events"][-1]["note"] == "审核 → 张审核:请协助核查"
    before = frozen(accepted)
    refused(post(login(client, colleague), accepted, "steps/take-back"), 409, "invalid_state")
    assert frozen(accepted) == before
    body = ok(post(login(client, reviewer_a), accepted, "steps/take-back"))
    assert body["steps"][1]["assignee"] == str(reviewer_a)
    assert body["events"][-1]["kind"] == "step_taken_back"


def test_api_complete_a_step_with_an_opinion_and_the_current_revision(client, accepted,
                                                                      reviewer_a):
    login(client, reviewer_a)
    before = frozen(accepted)
    refused(post(client, accepted, "steps/complete", {"opinion": " "}), 422,
            "validation_error", ["opinion"])
    refused(post(client, accepted, "steps/complete", {}), 422, "validation_error",
            ["opinion"])
    refused(post(client, accepted, "steps/complete",
                 {"opinion": "同意", "expected_revision": accepted.revision + 1}),
            409, "conflict")
    assert frozen(accepted) == before
    body = ok(post(client, accepted, "steps/complete",
                   {"opinion": "同意", "expected_revision": accepted.revision}))
    assert [s["status"] for s in body["steps"]] == ["done", "done", "active"]
    assert body["steps"][1]["opinion"] == "同意"
    assert body["revision"] == accepted.revision + 1
    before = frozen(accepted)
    body = refused(post(client, accepted, "steps/complete", {"opinion": "同意"}), 409,
                   "invalid_state")
    assert "办结" in body["message"]
    assert frozen(accepted) == before


def test_api_comment_on_the_timeline(client, accepted, reviewer_a, reviewer_b):
    before = frozen(accepted)
    refused(post(login(client, reviewer_a), accepted, "comments", {"text": " "}), 422,
            "validation_error", ["text"])
    refused(post(login(client, reviewer_b), accepted, "comments", {"text": "看看"}), 404,
            "not_found")
    assert frozen(accepted) == before
    body = ok(post(login(client, reviewer_a), accepted, "comments", {"text": "申请人来电"}))
    assert body["events"][-1]["kind"] == "commented"
    assert body["events"][-1]["by"] == str(reviewer_a)


# --- materials --------------------------------------------------------------------------

def test_api_ask_for_a_supplement_after_acceptance(client, accepted, reviewer_a, item_a):
    login(client, reviewer_a)
    before = frozen(accepted)
    refused(post(client, accepted, "supplement", {"material_ids": []}), 422,
            "validation_error", ["material_ids"])
    refused(post(client, accepted, "supplement", {}), 422, "validation_error",
            ["material_ids"])
    assert frozen(accepted) == before
    licence = material(item_a, "营业执照复印件")
    body = ok(post(client, accepted, "supplement",
                   {"material_ids": [licence.pk], "note": "复印件不清晰"}))
    assert (body["status"], body["missing_materials"]) == ("suspended", ["营业执照复印件"])
    assert body["events"][-1]["kind"] == "supplement_requested"
    before = frozen(accepted)
    refused(post(client, accepted, "supplement", {"material_ids": [licence.pk]}), 409,
            "invalid_state")
    assert frozen(accepted) == before
    body = ok(post(client, accepted, "materials-complete"))
    assert (body["status"], body["missing_materials"]) == ("in_progress", [])
    assert body["events"][-1]["kind"] == "materials_completed"


def test_api_tick_materials_accepted_as_missing(client, item_a, clerk, key_materials):
    login(client, clerk)
    case = case_intake(item=item_a, applicant=PERSON, received=key_materials, by=clerk,
                       acceptance_mode="tolerance")
    before = frozen(case)
    refused(post(client, case, "tolerated-materials",
                 {"material_ids": sorted(key_materials)}), 422, "validation_error",
            ["material_ids"])
    assert frozen(case) == before
    licence = material(item_a, "营业执照复印件")
    body = ok(post(client, case, "tolerated-materials", {"material_ids": [licence.pk]}))
    assert "营业执照复印件" not in body["missing_materials"]
    assert body["acceptance_mode"] == "tolerance"
    assert body["events"][-1] == {**body["events"][-1], "kind": "materials_completed",
                                  "note": "营业执照复印件"}


def test_api_missing_materials_are_the_required_ones_not_yet_received(client, item_a, clerk,
                                                                      key_materials):
    case = case_intake(item=item_a, applicant=PERSON, received=key_materials, by=clerk)
    body = login(client, clerk).get(f"/api/v1/cases/{case.number}").json()
    assert body["missing_materials"] == ["营业执照复印件"]  # the optional one is not missing
    assert case.events.get(kind="supplement_requested").note == "营业执照复印件"


# --- return review and joint tasks --------------------------------------------------------

def test_api_review_a_return_left_to_the_department(client, item_a, clerk, reviewer_a):
    case = case_intake(item=item_a, applicant=PERSON, received=set(), by=clerk,
                       outcome="return_review", return_reasons=["conditions_not_met"])
    before = frozen(case)
    refused(post(login(client, clerk), case, "return-review",
                 {"confirm": False, "note": "符合"}), 403, "permission_denied")
    login(client, reviewer_a)
    refused(post(client, case, "return-review", {"confirm": False}), 422, "validation_error",
            ["note"])
    refused(post(client, case, "return-review", {"confirm": False, "note": " "}), 422,
            "validation_error", ["note"])
    assert frozen(case) == before
    body = ok(post(client, case, "return-review", {"confirm": False, "note": "条件具备"}))
    assert (body["status"], body["accepted_on"], body["case_type"]) == (
        "in_progress", "2026-09-30", "promised")
    assert body["return_review_due"] == "2026-10-10"
    before = frozen(case)
    refused(post(client, case, "return-review", {"confirm": True, "note": "改回退回"}), 409,
            "invalid_state")
    assert frozen(case) == before


def test_api_co_department_finishes_its_joint_task(client, department_a, department_b,
                                                   make_item, clerk, reviewer_a, reviewer_b):
    item = make_item(department_a, "SCJG-0004", main_item="大型餐饮开办",
                     processing_type="joint", joint_department_codes=[department_b.code])
    case = case_intake(item=item, applicant=PERSON, received=all_of(item), by=clerk)
    before = frozen(case)
    refused(post(login(client, reviewer_a), case, "joint-task", {"opinion": "同意"}), 404,
            "not_found")
    refused(post(login(client, reviewer_b), case, "joint-task", {"opinion": " "}), 422,
            "validation_error", ["opinion"])
    assert frozen(case) == before
    body = ok(post(client, case, "joint-task", {"opinion": "同意"}))
    assert body["joint_tasks"] == [{"department": "公安交警局", "status": "done",
                                    "due_on": "2026-10-19", "opinion": "同意"}]


# --- extensions, delivery, verification ---------------------------------------------------

def test_api_ask_the_center_for_more_time(client, accepted, reviewer_a):
    login(client, reviewer_a)
    before = frozen(accepted)
    refused(post(client, accepted, "extensions", {"working_days": 0, "reason": "论证"}), 422,
            "validation_error", ["working_days"])
    refused(post(client, accepted, "extensions", {"working_days": 5, "reason": " "}), 422,
            "validation_error", ["reason"])
    assert frozen(accepted) == before
    body = ok(post(client, accepted, "extensions", {"working_days": 5, "reason": "专家论证"}))
    assert body["extensions"] == [{"working_days": 5, "reason": "专家论证",
                                   "status": "pending"}]
    assert body["promised_due"] == "2026-10-20"
    before = frozen(accepted)
    body = refused(post(client, accepted, "extensions", {"working_days": 3, "reason": "再延"}),
                   409, "conflict")
    assert accepted.number in body["message"]
    assert frozen(accepted) == before


def test_api_the_center_decides_an_extension(client, accepted, reviewer_a, business_section):
    case_extension_request(case=accepted, working_days=5, reason="专家论证", by=reviewer_a)
    before = frozen(accepted)
    refused(post(login(client, reviewer_a), accepted, "extensions/decision",
                 {"approve": True}), 403, "permission_denied")
    login(client, business_section)
    refused(post(client, accepted, "extensions/decision", {"approve": False}), 422,
            "validation_error", ["note"])
    assert frozen(accepted) == before
    body = ok(post(client, accepted, "extensions/decision", {"approve": True}))
    assert body["extensions"][0]["status"] == "approved"
    assert (body["promised_due"], body["legal_due"]) == ("2026-10-27", "2026-11-10")
    before = frozen(accepted)
    refused(post(client, accepted, "extensions/decision", {"approve": True}), 409,
            "invalid_state")
    assert frozen(accepted) == before


def test_api_hand_over_the_result(client, post_item, clerk, reviewer_a):
    case = case_intake(item=post_item, applicant=PERSON, received=all_of(post_item), by=clerk)
    login(client, clerk)
    before = frozen(case)
    refused(post(client, case, "deliver", {"mode": "window"}), 409, "invalid_state")
    assert frozen(case) == before
    case = case_decide(case=to_decision(case, reviewer_a), decision="approved", note="",
                       by=reviewer_a)
    before = frozen(case)
    refused(post(client, case, "deliver", {"mode": "post"}), 422, "validation_error",
            ["tracking_number"])
    refused(post(client, case, "deliver", {"mode": "pigeon"}), 422, "validation_error",
            ["mode"])
    assert frozen(case) == before
    body = ok(post(client, case, "deliver", {"mode": "post", "tracking_number": "SF123456"}))
    assert (body["delivery_mode"], body["tracking_number"], body["delivered_on"]) == (
        "post", "SF123456", "2026-09-30")
    before = frozen(case)
    refused(post(client, case, "deliver", {"mode": "window"}), 409, "invalid_state")
    assert frozen(case) == before


def test_api_verify_a_notify_and_commit_approval(client, item_a, clerk, all_materials,
                                                 reviewer_a):
    standard = case_decide(case=to_decision(case_intake(
        item=item_a, applicant=PERSON, received=all_materials, by=clerk), reviewer_a),
        decision="approved", note="", by=reviewer_a)
    committed = case_intake(item=item_a, applicant=ENTERPRISE, received=all_materials,
                            by=clerk, acceptance_mode="notify_commit", commitment_signed=True)
    committed = case_decide(case=committed, decision="approved", note="", by=reviewer_a)
    login(client, reviewer_a)
    before = frozen(standard)
    body = refused(post(client, standard, "verify", {"passed": False, "note": "核查"}), 409,
                   "invalid_state")
    assert "告知承诺" in body["message"]
    assert frozen(standard) == before
    before = frozen(committed)
    refused(post(client, committed, "verify", {"passed": False, "note": " "}), 422,
            "validation_error", ["note"])
    refused(post(client, committed, "verify", {"passed": "maybe", "note": "x"}), 422,
            "validation_error", ["passed"])
    assert frozen(committed) == before
    body = ok(post(client, committed, "verify", {"passed": False, "note": "场所与承诺不符"}))
    assert (body["status"], body["verification_result"], body["verification_due"]) == (
        "revoked", "failed", "2026-11-03")
    assert body["events"][-1]["kind"] == "revoked"
    before = frozen(committed)
    refused(post(client, committed, "verify", {"passed": True, "note": "再查"}), 409,
            "invalid_state")
    assert frozen(committed) == before


def test_api_intake_in_notify_and_commit_mode_needs_the_signed_commitment(
        client, item_a, clerk, all_materials):
    body = {"item_code": item_a.code, "applicant": dict(PERSON.__dict__),
            "received_material_ids": sorted(all_materials), "acceptance_mode": "notify_commit"}
    response = client.post("/api/v1/cases", body, content_type="application/json")
    assert response.status_code == 401
    login(client, clerk)
    refused(client.post("/api/v1/cases", body, content_type="application/json"), 422,
            "validation_error", ["commitment_signed"])
    assert not Case.objects.exists()
    response = client.post("/api/v1/cases", {**body, "commitment_signed": True},
                           content_type="application/json")
    assert response.status_code == 201
    assert response.json()["acceptance_mode"] == "notify_commit"


# --- the list: filters and queues ---------------------------------------------------------

@pytest.fixture
def hall(today, item_a, item_b, clerk, all_materials, key_materials):
    """Four cases over three days, in two departments."""
    cases = {"person": case_intake(item=item_a, applicant=PERSON, received=all_materials,
                                   by=clerk)}
    today.day = date(2026, 10, 8)
    cases["awaiting"] = case_intake(item=item_a, applicant=ENTERPRISE, received=key_materials,
                                    by=clerk)
    cases["vehicle"] = case_intake(item=item_b, applicant=PERSON, received=all_of(item_b),
                                   by=clerk)
    today.day = date(2026, 10, 9)
    cases["late"] = case_intake(item=item_a, applicant=ENTERPRISE, received=all_materials,
                                by=clerk)
    return cases


def listed(client, **params):
    response = client.get("/api/v1/cases", params)
    assert response.status_code == 200, response.content
    return sorted(c["number"] for c in response.json())


def numbers(hall, *names):
    return sorted(hall[name].number for name in names)


def test_api_list_filters_by_number_or_applicant(client, hall, clerk):
    login(client, clerk)
    assert listed(client) == numbers(hall, "person", "awaiting", "vehicle", "late")
    assert listed(client, q="孙丽") == numbers(hall, "person", "vehicle")
    assert listed(client, q="示例科技") == numbers(hall, "awaiting", "late")
    assert listed(client, q="-20261009-") == numbers(hall, "late")
    assert listed(client, q="无此人") == []


def test_api_list_filters_by_status_and_item(client, hall, clerk):
    login(client, clerk)
    assert listed(client, status="awaiting_materials") == numbers(hall, "awaiting")
    assert listed(client, status="completed") == []
    assert listed(client, item="GAJJ-0001") == numbers(hall, "vehicle")
    assert listed(client, item="机动车") == numbers(hall, "vehicle")
    assert listed(client, item="食品经营", status="in_progress") == numbers(hall, "person",
                                                                         "late")


def test_api_list_filters_by_the_day_received(client, hall, clerk):
    login(client, clerk)
    assert listed(client, received_from="2026-10-08") == numbers(hall, "awaiting", "vehicle",
                                                                 "late")
    assert listed(client, received_to="2026-10-08") == numbers(hall, "person", "awaiting",
                                                               "vehicle")
    assert listed(client, received_from="2026-10-08", received_to="2026-10-08") == numbers(
        hall, "awaiting", "vehicle")


def test_api_list_queues_are_my_desk_and_the_department_pool(client, hall, reviewer_a,
                                                             reviewer_b, colleague):
    case_step_take(case=hall["person"], by=reviewer_a)
    case_step_take(case=hall["late"], by=reviewer_a)
    case_step_hand_over(case=hall["late"], to_user_id=colleague.pk, note="", by=reviewer_a)
    login(client, reviewer_a)
    assert listed(client) == numbers(hall, "person", "awaiting", "late")  # department a only
    assert listed(client, queue="mine") == numbers(hall, "person")
    assert listed(client, queue="department") == []
    login(client, colleague)
    assert listed(client, queue="mine") == numbers(hall, "late")
    login(client, reviewer_b)
    assert listed(client, queue="department") == numbers(hall, "vehicle")
    assert listed(client, queue="mine") == []


def test_api_list_refuses_unknown_filters_with_field_errors(client, hall, clerk):
    login(client, clerk)
    for params, field in (({"status": "lost"}, "status"), ({"queue": "everyone"}, "queue"),
                          ({"received_from": "30.09.2026"}, "received_from"),
                          ({"limit": 0}, "limit")):
        refused(client.get("/api/v1/cases", params), 422, "validation_error", [field])


def test_api_list_puts_urgent_cases_first(client, hall, clerk, business_section):
    from servicehall.cases.services import case_mark_urgent

    case_mark_urgent(case=hall["late"], reason="市重点项目", by=business_section)
    login(client, clerk)
    body = client.get("/api/v1/cases").json()
    assert body[0]["number"] == hall["late"].number and body[0]["is_urgent"] is True


# --- pinned query counts ------------------------------------------------------------------

def test_list_api_query_count_does_not_grow_with_the_cases_in_a_queue(
        client, today, department_a, department_b, make_item, clerk, reviewer_a, reviewer_b,
        django_assert_max_num_queries):
    joint = make_item(department_a, "SCJG-0004", main_item="大型餐饮开办",
                      processing_type="joint", joint_department_codes=[department_b.code])
    for _ in range(15):
        case = case_intake(item=joint, applicant=PERSON, received=all_of(joint), by=clerk)
        case_step_take(case=case, by=reviewer_a)
    for user, params in ((reviewer_b, {"queue": "mine"}),
                         (reviewer_a, {"queue": "mine", "q": "440300"}),
                         (clerk, {"item": "大型餐饮", "received_from": "2026-09-30"})):
        login(client, user)
        client.get("/api/v1/cases", {"limit": 1})  # the session settles on the first request
        with django_assert_max_num_queries(3):  # session, user, the cases with their items
            assert len(client.get("/api/v1/cases", params).json()) == 15


def test_detail_api_query_count_does_not_grow_with_the_timeline(
        client, today, department_a, department_b, make_item, clerk, reviewer_a, reviewer_b,
        colleague, django_assert_num_queries):
    joint = make_item(department_a, "SCJG-0004", main_item="大型餐饮开办",
                      processing_type="joint", joint_department_codes=[department_b.code])
    case = case_intake(item=joint, applicant=PERSON, received=all_of(joint), by=clerk)
    case_step_take(case=case, by=reviewer_a)
    case_step_hand_over(case=case, to_user_id=colleague.pk, note="", by=reviewer_a)
    case_step_complete(case=case, opinion="同意", by=colleague)
    case_joint_task_complete(case=case, opinion="同意", by=reviewer_b)
    case_extension_request(case=case, working_days=3, reason="论证", by=reviewer_a)
    login(client, reviewer_a)
    client.get("/api/v1/cases", {"limit": 1})  # the session settles on the first request
    with django_assert_num_queries(4):  # session, user, case, and one for all its lists
        body = client.get(f"/api/v1/cases/{case.number}").json()
    assert len(body["events"]) == 6 and len(body["steps"]) == 3
    assert len(body["joint_tasks"]) == 1 and len(body["extensions"]) == 1
    for _ in range(10):
        case_comment(case=case, text="跟进", by=reviewer_a)
    with django_assert_num_queries(4):
        assert len(client.get(f"/api/v1/cases/{case.number}").json()["events"]) == 16


def test_a_step_completed_over_the_api_runs_a_pinned_number_of_queries(
        client, today, item_a, clerk, reviewer_a, django_assert_num_queries):
    """The case is read whole once, when its row is locked; before that only its key."""
    cases = [case_intake(item=item_a, applicant=PERSON, received=all_of(item_a), by=clerk)
             for _ in range(2)]
    login(client, reviewer_a)
    ok(post(client, cases[0], "steps/complete", {"opinion": "同意"}))  # the session settles
    with django_assert_num_queries(QUERIES_OF_A_STEP_COMPLETED) as captured:
        body = ok(post(client, cases[1], "steps/complete", {"opinion": "同意"}))
    assert body["steps"][1]["status"] == "done"
    before_lock = captured.captured_queries[:3]  # session, user, the case's key
    assert '"cases_case"."number" =' in before_lock[-1]["sql"]
    assert '"cases_case"."applicant_name"' not in before_lock[-1]["sql"]


def _lists_by_the_orm(case) -> dict:
    """The detail's lists read through the models, in their default order."""
    return {
        "missing_materials": [m.material.name for m in case.materials.filter(
            received=False, material__is_required=True)],
        "steps": [{"position": s.position, "name": s.name, "status": s.status,
                   "assignee": str(s.assignee or ""),
                   "due_on": s.due_on.isoformat() if s.due_on else None, "opinion": s.opinion}
                  for s in case.steps.all()],
        "joint_tasks": [{"department": t.department.short_name, "status": t.status,
                         "due_on": t.due_on.isoformat() if t.due_on else None,
                         "opinion": t.opinion} for t in case.joint_tasks.all()],
        "extensions": [{"working_days": x.working_days, "reason": x.reason, "status": x.status}
                       for x in case.extensions.all()],
        "events": [{"kind": e.kind, "at": e.at, "by": str(e.by or ""), "note": e.note}
                   for e in case.events.all()],
    }


def test_detail_api_lists_match_the_models_in_their_order(
        client, today, department_a, department_b, make_item, clerk, reviewer_a, reviewer_b,
        colleague):
    joint = make_item(department_a, "SCJG-0004", main_item="大型餐饮开办",
                      processing_type="joint", joint_department_codes=[department_b.code])
    received = {m.pk for m in joint.current_version.materials.all() if m.is_key}
    case = case_intake(item=joint, applicant=PERSON, received=received, by=clerk,
                       outcome="supplement")
    case_materials_complete(case=case, by=clerk)
    case_step_take(case=case, by=reviewer_a)
    case_step_hand_over(case=case, to_user_id=colleague.pk, note="请核实", by=reviewer_a)
    case_step_complete(case=case, opinion="同意,材料齐全", by=colleague)
    case_joint_task_complete(case=case, opinion="同意", by=reviewer_b)
    case_extension_request(case=case, working_days=3, reason="专家论证", by=reviewer_a)
    for text in ("跟进一", "跟进二"):
        case_comment(case=case, text=text, by=reviewer_a)
    login(client, reviewer_a)
    body = client.get(f"/api/v1/cases/{case.number}").json()
    expected = _lists_by_the_orm(case)
    events = body.pop("events")
    assert [(e["kind"], e["by"], e["note"]) for e in events] == [
        (e["kind"], e["by"], e["note"]) for e in expected.pop("events")]
    assert [datetime.fromisoformat(e["at"]) for e in events] == [  # JSON keeps milliseconds
        e.at.replace(microsecond=e.at.microsecond // 1000 * 1000) for e in case.events.all()]
    assert {name: body[name] for name in expected} == expected
    assert [s["assignee"] for s in body["steps"]][:3] == ["", str(colleague), ""]


QUERIES_OF_A_STEP_COMPLETED = 20

LIFECYCLE_PATHS = ["steps/take", "steps/assign", "steps/hand-over", "steps/take-back",
                   "steps/complete", "comments", "supplement", "tolerated-materials",
                   "return-review", "joint-task", "extensions", "extensions/decision",
                   "deliver", "verify"]


def test_the_openapi_schema_documents_every_lifecycle_endpoint(client, clerk):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for action in LIFECYCLE_PATHS:
        operation = paths[f"/api/v1/cases/{{number}}/{action}"]["post"]
        assert operation["summary"], action
        assert "200" in operation["responses"], action


def test_openapi_documents_the_structured_errors_of_every_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"code", "message",
                                                                         "fields"}
    decide = schema["paths"]["/api/v1/cases/{number}/decide"]["post"]["responses"]
    assert {"200", "401", "403", "404", "409", "422"} <= set(decide)
    assert decide["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
