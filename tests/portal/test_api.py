import pytest

from tests.portal.conftest import OTHER_ID, PASSWORD

pytestmark = pytest.mark.django_db


def _token(client, username) -> str:
    response = client.post("/api/v1/auth/token", {"username": username, "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 201
    return response.json()["token"]


def test_an_applicant_lists_their_cases_with_a_token(client, person, other_person, file_case):
    mine = file_case(account=person)
    theirs = file_case(account=other_person, name="王强", id_number=OTHER_ID)
    token = _token(client, "13800138001")
    response = client.get("/api/v1/my/cases", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    numbers = [row["number"] for row in response.json()]
    assert numbers == [mine.number] and theirs.number not in numbers
    assert response.json()[0]["status_label"] == "办理中"


def test_one_case_has_its_timeline_needs_notices_and_documents(client, person, file_case):
    case = file_case(account=person)
    client.force_login(person)
    body = client.get(f"/api/v1/my/cases/{case.number}").json()
    assert body["number"] == case.number and body["promised_due"] == str(case.promised_due)
    assert [e["kind"] for e in body["timeline"]] == ["accepted"]
    assert body["needed"] == [] and len(body["notices"]) == 1
    assert body["documents"][0]["url"] == f"/my/cases/{case.number}/documents/promised.pdf"


def test_another_applicants_case_is_404_like_a_missing_one(
        client, person, other_person, file_case):
    theirs = file_case(account=other_person, name="王强", id_number=OTHER_ID)
    token = _token(client, "13800138001")
    headers = {"Authorization": f"Bearer {token}"}
    response = client.get(f"/api/v1/my/cases/{theirs.number}", headers=headers)
    missing = client.get("/api/v1/my/cases/NO-SUCH-CASE", headers=headers)
    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json()
    assert response.json()["code"] == "not_found"


def test_my_cases_need_a_sign_in(client, center):
    response = client.get("/api/v1/my/cases")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_staff_have_no_cases_of_their_own_here(client, clerk, person, file_case):
    case = file_case(account=person)
    client.force_login(clerk)
    assert client.get("/api/v1/my/cases").json() == []
    assert client.get(f"/api/v1/my/cases/{case.number}").status_code == 404


def test_the_api_list_has_a_fixed_number_of_queries(
        client, person, file_case, django_assert_max_num_queries):
    for _ in range(3):
        file_case(account=person)
    client.force_login(person)
    client.get("/api/v1/my/cases")
    with django_assert_max_num_queries(4):
        first = client.get("/api/v1/my/cases").json()
    for _ in range(4):
        file_case(account=person)
    with django_assert_max_num_queries(4):
        second = client.get("/api/v1/my/cases?limit=5").json()
    assert len(first) == 3 and len(second) == 5
