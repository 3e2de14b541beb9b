from datetime import date

import pytest
from django.utils import timezone

from servicehall.cases.models import Case
from tests.cases.conftest import PERSON

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 9, 30))


def _post_intake(client, item, received, **extra):
    data = {"item": item.code, "applicant_kind": "person", "name": PERSON.name,
            "id_number": PERSON.id_number, "phone": PERSON.phone,
            "received": sorted(received), **extra}
    return client.post("/staff/cases/new/", data)


def test_window_intake_page_registers_a_case(client, clerk, item_a, all_materials):
    client.force_login(clerk)
    assert client.get(f"/staff/cases/new/?item={item_a.code}").status_code == 200
    response = _post_intake(client, item_a, all_materials)
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == f"/staff/cases/{case.number}/"


def test_intake_page_shows_field_errors_and_saves_nothing(client, clerk, item_a,
                                                          all_materials):
    client.force_login(clerk)
    response = _post_intake(client, item_a, all_materials, id_number="110105194912310021")
    assert response.status_code == 400
    assert "身份证号码校验位错误" in response.content.decode()
    assert not Case.objects.exists()


def test_case_page_offers_only_the_actions_the_user_may_take(client, clerk, reviewer_a,
                                                             item_a, all_materials):
    client.force_login(clerk)
    _post_intake(client, item_a, all_materials)
    number = Case.objects.get().number
    clerk_actions = {a["name"] for a in client.get(f"/staff/cases/{number}/").context[
        "actions"]}
    client.force_login(reviewer_a)
    reviewer_actions = {a["name"] for a in client.get(f"/staff/cases/{number}/").context[
        "actions"]}
    assert "decide" not in clerk_actions and "step_complete" not in clerk_actions
    assert {"step_take", "step_complete", "suspend", "report_up"} <= reviewer_actions
    assert "decide" not in reviewer_actions  # the review step comes first
    client.post(f"/staff/cases/{number}/act/step_complete/", {
        "step_complete-opinion": "材料齐全,同意", "step_complete-expected_revision": ""})
    reviewer_actions = {a["name"] for a in client.get(f"/staff/cases/{number}/").context[
        "actions"]}
    assert "decide" in reviewer_actions and "step_complete" not in reviewer_actions


def test_a_refused_action_shows_the_reason_and_changes_nothing(client, reviewer_a, clerk,
                                                               item_a, all_materials):
    client.force_login(clerk)
    _post_intake(client, item_a, all_materials)
    case = Case.objects.get()
    client.force_login(reviewer_a)
    client.post(f"/staff/cases/{case.number}/act/step_complete/", {
        "step_complete-opinion": "同意"})
    case.refresh_from_db()
    response = client.post(f"/staff/cases/{case.number}/act/decide/", {
        "decide-decision": "denied", "decide-note": "", "decide-expected_revision":
        case.revision}, follow=True)
    assert "不予许可须写明理由" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "in_progress"


def test_queue_query_count_is_pinned(client, clerk, reviewer_a, item_a, all_materials,
                                     django_assert_max_num_queries):
    client.force_login(clerk)
    for _ in range(15):
        _post_intake(client, item_a, all_materials)
    client.force_login(reviewer_a)
    with django_assert_max_num_queries(10):
        response = client.get("/staff/cases/")
    assert len(response.context["page"]) == 15
