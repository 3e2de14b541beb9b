"""The same actions over the API: structured errors, and an applicant only ever reaches their
own applications and files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from servicehall.online.models import Application
from tests.online.conftest import PDF

pytestmark = pytest.mark.django_db

BASE = "/api/v1/my/applications"
DRAFT = {"kind": "person", "name": "孙丽", "id_number": "11010519491231002X",
         "phone": "13800138000", "delivery_mode": "online"}


def test_an_applicant_applies_through_the_api(client, applicant, online_item, materials):
    client.force_login(applicant)
    created = client.post(BASE, {"item_code": "SCJG-0101"}, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["delivery_options"] == ["window", "online", "post"]
    pk = body["id"]
    saved = client.put(f"{BASE}/{pk}", {**DRAFT, "revision": body["revision"]},
                       content_type="application/json")
    assert saved.status_code == 200 and saved.json()["id_number_masked"].startswith("1101")
    for material in materials[:2]:
        sent = client.post(f"{BASE}/{pk}/files", {
            "material_id": material.pk,
            "file": SimpleUploadedFile("scan.pdf", PDF, "application/pdf")})
        assert sent.status_code == 201, sent.content
    submitted = client.post(f"{BASE}/{pk}/submit", {}, content_type="application/json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    listed = client.get(BASE).json()
    assert [a["id"] for a in listed] == [pk]


def test_a_disguised_upload_is_a_structured_422(client, draft, materials):
    client.force_login(draft.applicant)
    response = client.post(f"{BASE}/{draft.pk}/files", {
        "material_id": materials[0].pk,
        "file": SimpleUploadedFile("scan.pdf", b"MZ\x90\x00" + b"\0" * 64, "application/pdf")})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "file_unknown_content" and body["fields"]["file"]


def test_an_empty_upload_is_a_structured_422(client, draft, materials):
    client.force_login(draft.applicant)
    response = client.post(f"{BASE}/{draft.pk}/files", {
        "material_id": materials[0].pk,
        "file": SimpleUploadedFile("scan.pdf", b"", "application/pdf")})
    assert response.status_code == 422 and response.json()["code"] == "file_empty"


def test_submit_missing_materials_is_a_structured_422(client, draft):
    client.force_login(draft.applicant)
    response = client.post(f"{BASE}/{draft.pk}/submit", {}, content_type="application/json")
    assert response.status_code == 422
    assert set(response.json()["fields"]) >= {"materials"}


def test_a_stale_revision_is_a_409(client, draft):
    client.force_login(draft.applicant)
    client.put(f"{BASE}/{draft.pk}", {**DRAFT, "revision": draft.revision},
               content_type="application/json")
    response = client.put(f"{BASE}/{draft.pk}", {**DRAFT, "revision": draft.revision},
                          content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "conflict"


def test_an_unknown_delivery_mode_is_a_structured_422(client, draft):
    client.force_login(draft.applicant)
    response = client.put(f"{BASE}/{draft.pk}", {**DRAFT, "revision": draft.revision,
                                                  "delivery_mode": "pigeon"},
                          content_type="application/json")
    assert response.status_code == 422 and "delivery_mode" in response.json()["fields"]


def test_another_applicant_gets_404_on_every_route(client, other_applicant, draft, materials,
                                                   add_file):
    upload = add_file(draft, materials[0])
    client.force_login(other_applicant)
    url = f"{BASE}/{draft.pk}"
    responses = [
        client.get(url),
        client.put(url, {**DRAFT, "revision": draft.revision}, content_type="application/json"),
        client.get(f"{url}/files/{upload.pk}"),
        client.delete(f"{url}/files/{upload.pk}"),
        client.post(f"{url}/files", {"material_id": materials[0].pk,
                                     "file": SimpleUploadedFile("a.pdf", PDF, "application/pdf")}),
        client.post(f"{url}/submit", {}, content_type="application/json"),
        client.post(f"{url}/withdraw", {}, content_type="application/json"),
    ]
    assert [r.status_code for r in responses] == [404] * 7
    assert all(r.json()["code"] == "not_found" for r in responses if r["Content-Type"].startswith(
        "application/json"))
    assert client.get(BASE).json() == []
    assert Application.objects.get(pk=draft.pk).files.count() == 1


def test_the_owner_downloads_a_file_through_the_api(client, draft, materials, add_file):
    upload = add_file(draft, materials[0])
    client.force_login(draft.applicant)
    response = client.get(f"{BASE}/{draft.pk}/files/{upload.pk}")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_not_signed_in_is_a_401(client, draft):
    assert client.get(BASE).status_code == 401


def test_staff_pre_review_through_the_api(client, submitted, reviewer_a, reviewer_b, materials):
    client.force_login(reviewer_b)
    assert client.get("/api/v1/online/applications").json() == []
    assert client.post(f"/api/v1/online/applications/{submitted.pk}/pre-accept", {},
                       content_type="application/json").status_code == 404
    client.force_login(reviewer_a)
    queue = client.get("/api/v1/online/applications").json()
    assert [a["id"] for a in queue] == [submitted.pk]
    refused = client.post(f"/api/v1/online/applications/{submitted.pk}/reject", {"reason": ""},
                          content_type="application/json")
    assert refused.status_code == 422 and "reason" in refused.json()["fields"]
    asked = client.post(f"/api/v1/online/applications/{submitted.pk}/supplement",
                        {"materials": [{"material_id": materials[2].pk, "problem": "请补充"}]},
                        content_type="application/json")
    assert asked.status_code == 200 and asked.json()["supplement_notice"][0]["problem"] == "请补充"
    again = client.post(f"/api/v1/online/applications/{submitted.pk}/pre-accept", {},
                        content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_state"


def test_my_list_api_query_count_is_pinned(client, applicant, online_item, add_file, materials,
                                           django_assert_max_num_queries, settings):
    from servicehall.online.services import application_start

    settings.ONLINE_UPLOADS_PER_WINDOW = 100
    for _ in range(10):
        add_file(application_start(item=online_item, by=applicant), materials[0])
    client.force_login(applicant)
    with django_assert_max_num_queries(6):
        assert len(client.get(BASE).json()) == 10


def test_staff_queue_api_query_count_is_pinned(client, submitted, reviewer_a,
                                               django_assert_max_num_queries):
    client.force_login(reviewer_a)
    with django_assert_max_num_queries(7):
        assert len(client.get("/api/v1/online/applications").json()) == 1
