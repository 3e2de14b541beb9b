from datetime import date

import pytest
from django.utils import timezone

from servicehall.cases.models import Case
from tests.cases.conftest import PERSON

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 9, 30))


def _intake_body(item, materials, **overrides):
    body = {"item_code": item.code, "applicant": dict(PERSON.__dict__),
            "received_material_ids": sorted(materials)}
    body.update(overrides)
    return body


def test_api_intake_replayed_with_one_idempotency_key_creates_one_case(client, clerk, item_a,
                                                                       all_materials):
    client.force_login(clerk)
    numbers = set()
    for _ in range(100):
        response = client.post("/api/v1/cases", _intake_body(item_a, all_materials),
                               content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
        assert response.status_code == 201
        numbers.add(response.json()["number"])
    assert len(numbers) == 1 and Case.objects.count() == 1
    body = response.json()
    assert body["promised_due"] == "2026-10-20" and body["applicant_id_masked"] == (
        "1101**********002X")
    assert PERSON.id_number not in response.content.decode()


def test_api_intake_errors_are_structured_per_field(client, clerk, item_a, all_materials):
    client.force_login(clerk)
    bad = _intake_body(item_a, all_materials)
    bad["applicant"]["id_number"] = "110105194912310021"
    response = client.post("/api/v1/cases", bad, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert response.json()["fields"]["id_number"] == ["身份证号码校验位错误"]
    assert not Case.objects.exists()


def test_api_forbidden_transition_is_a_409_and_changes_nothing(client, clerk, reviewer_a,
                                                               item_a, all_materials):
    client.force_login(clerk)
    number = client.post("/api/v1/cases", _intake_body(item_a, all_materials),
                         content_type="application/json").json()["number"]
    client.force_login(reviewer_a)
    assert client.post(f"/api/v1/cases/{number}/resume").status_code == 409
    early = client.post(f"/api/v1/cases/{number}/decide", {"decision": "approved"},
                        content_type="application/json")
    assert early.status_code == 409 and "审核" in early.json()["message"]  # steps in order
    stepped = client.post(f"/api/v1/cases/{number}/steps/complete", {"opinion": "材料齐全,同意"},
                          content_type="application/json")
    assert stepped.status_code == 200 and stepped.json()["steps"][1]["status"] == "done"
    decided = client.post(f"/api/v1/cases/{number}/decide", {"decision": "approved"},
                          content_type="application/json")
    assert decided.status_code == 200 and decided.json()["status"] == "completed"
    again = client.post(f"/api/v1/cases/{number}/decide", {"decision": "approved"},
                        content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_state"
    assert [e["kind"] for e in decided.json()["events"]] == [
        "accepted", "step_completed", "decided"]


def test_api_hides_cases_of_other_departments(client, clerk, reviewer_b, item_a,
                                              all_materials):
    client.force_login(clerk)
    number = client.post("/api/v1/cases", _intake_body(item_a, all_materials),
                         content_type="application/json").json()["number"]
    client.force_login(reviewer_b)
    assert client.get("/api/v1/cases").json() == []
    assert client.get(f"/api/v1/cases/{number}").status_code == 404
    assert client.post(f"/api/v1/cases/{number}/decide", {"decision": "approved"},
                       content_type="application/json").status_code == 404


def test_case_list_query_count_is_pinned(client, clerk, item_a, all_materials,
                                         django_assert_max_num_queries):
    client.force_login(clerk)
    for _ in range(20):
        client.post("/api/v1/cases", _intake_body(item_a, all_materials),
                    content_type="application/json")
    with django_assert_max_num_queries(6):
        assert len(client.get("/api/v1/cases").json()) == 20
