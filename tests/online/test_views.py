"""The applicant's pages and the pre-review desk: draft persistence, uploads through the page,
isolation between applicants, file serving, pinned query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from servicehall.online.models import Application
from servicehall.online.services import application_pre_accept
from tests.online.conftest import PDF

pytestmark = pytest.mark.django_db


def form_values(application, **overrides):
    values = {"revision": application.revision, "kind": "person", "name": "孙丽",
              "id_number": "11010519491231002X", "credit_code": "", "agent_name": "",
              "agent_id_number": "", "phone": "13800138000", "delivery_mode": "online",
              "postal_address": "", "remarks": "请尽快办理", "action": "save"}
    values.update(overrides)
    return values


def upload(client, application, material, data=PDF, name="scan.pdf",
           content_type="application/pdf"):
    return client.post(f"/my/applications/{application.pk}/files/", {
        "material": material.pk, "file": SimpleUploadedFile(name, data, content_type)})


def test_start_page_lists_materials_and_opens_a_draft(client, applicant, online_item):
    client.force_login(applicant)
    page = client.get("/my/apply/SCJG-0101/")
    assert page.status_code == 200 and "食品经营许可申请书" in page.content.decode()
    response = client.post("/my/apply/SCJG-0101/")
    application = Application.objects.get()
    assert response.url == f"/my/applications/{application.pk}/"


def test_an_item_not_online_says_so_and_refuses_to_start(client, applicant, counter_item):
    client.force_login(applicant)
    assert 'id="start"' not in client.get("/my/apply/SCJG-0102/").content.decode()
    response = client.post("/my/apply/SCJG-0102/")
    assert response.status_code == 422 and not Application.objects.exists()


def test_staff_get_a_clear_refusal_on_the_apply_page(client, reviewer_a, online_item):
    client.force_login(reviewer_a)
    assert client.get("/my/apply/SCJG-0101/").status_code == 403


def test_draft_persists_values_and_files_across_visits(client, applicant, draft, materials):
    client.force_login(applicant)
    response = client.post(f"/my/applications/{draft.pk}/", form_values(draft))
    assert response.status_code == 302
    assert upload(client, draft, materials[0], name="申请书.pdf").status_code == 302
    client.logout()
    client.force_login(applicant)  # leave and come back
    page = client.get(f"/my/applications/{draft.pk}/").content.decode()
    assert 'value="11010519491231002X"' in page and "请尽快办理" in page
    assert "申请书.pdf" in page
    assert 'value="online" checked' in page.replace("\n", " ") or \
        'checked' in page.split('value="online"')[1][:60]


def test_submit_with_a_missing_material_keeps_the_draft_and_lists_the_material(
        client, applicant, draft, materials):
    client.force_login(applicant)
    upload(client, draft, materials[0])
    draft.refresh_from_db()
    response = client.post(f"/my/applications/{draft.pk}/",
                           form_values(draft, action="submit"), follow=True)
    page = response.content.decode()
    assert "不能提交" in page or "submit-problems" in page
    assert materials[1].name in page.split('id="submit-problems"')[1]
    fresh = Application.objects.get(pk=draft.pk)
    assert fresh.status == "draft" and fresh.remarks == "请尽快办理"


def test_a_complete_draft_is_submitted_from_the_page(client, applicant, draft, materials):
    client.force_login(applicant)
    for material in materials[:2]:
        upload(client, draft, material)
    draft.refresh_from_db()
    client.post(f"/my/applications/{draft.pk}/", form_values(draft, action="submit"))
    assert Application.objects.get(pk=draft.pk).status == "submitted"


def test_a_stale_form_does_not_overwrite_a_newer_save(client, applicant, draft):
    client.force_login(applicant)
    client.post(f"/my/applications/{draft.pk}/", form_values(draft, name="孙丽"))
    client.post(f"/my/applications/{draft.pk}/", form_values(draft, name="旧标签页"),
                follow=True)
    assert Application.objects.get(pk=draft.pk).applicant_name == "孙丽"


@pytest.mark.parametrize("data,name,content_type", [
    (b"", "empty.pdf", "application/pdf"),
    (b"<html><script>x</script></html>", "page.pdf", "application/pdf"),
    (PDF, "scan.png", "image/png"),
])
def test_a_refused_upload_shows_the_reason_in_chinese(client, applicant, draft, materials, data,
                                                      name, content_type):
    client.force_login(applicant)
    response = upload(client, draft, materials[0], data, name, content_type)
    page = client.get(response.url).content.decode()
    assert "未被接受" in page
    assert not draft.files.exists()


def test_another_applicant_gets_404_everywhere(client, other_applicant, draft, materials,
                                               add_file):
    upload_ = add_file(draft, materials[0])
    client.force_login(other_applicant)
    base = f"/my/applications/{draft.pk}/"
    for url in (base, f"{base}files/{upload_.pk}/", f"{base}receipt.pdf"):
        assert client.get(url).status_code == 404, url
    assert upload(client, draft, materials[0]).status_code == 404
    assert client.post(f"{base}withdraw/").status_code == 404
    assert client.post(f"{base}files/{upload_.pk}/remove/").status_code == 404
    assert client.post(base, form_values(draft)).status_code == 404
    assert draft.files.count() == 1
    assert draft.pk not in [a.pk for a in client.get("/my/applications/").context["page"]]


def test_the_file_is_served_to_its_owner_as_an_attachment_with_nosniff(client, applicant,
                                                                       draft, materials,
                                                                       add_file):
    upload_ = add_file(draft, materials[0], name="申请书.pdf")
    client.force_login(applicant)
    response = client.get(f"/my/applications/{draft.pk}/files/{upload_.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


def test_files_are_not_reachable_under_media_or_static(client, applicant, draft, materials,
                                                       add_file):
    upload_ = add_file(draft, materials[0])
    client.force_login(applicant)
    for prefix in ("/files/", "/static/", "/media/", "/private/"):
        assert client.get(f"{prefix}{upload_.stored_name[:2]}/{upload_.stored_name}"
                          ).status_code == 404


def test_staff_see_files_of_their_department_once_submitted(client, submitted, reviewer_a,
                                                            reviewer_b):
    upload_ = submitted.files.first()
    url = f"/staff/online/{submitted.pk}/files/{upload_.pk}/"
    client.force_login(reviewer_b)
    assert client.get(url).status_code == 404
    assert client.get(f"/staff/online/{submitted.pk}/").status_code == 404
    client.force_login(reviewer_a)
    assert client.get(url).status_code == 200


def test_staff_do_not_see_drafts(client, draft, materials, add_file, reviewer_a):
    upload_ = add_file(draft, materials[0])
    client.force_login(reviewer_a)
    assert client.get(f"/staff/online/{draft.pk}/").status_code == 404
    assert client.get(f"/staff/online/{draft.pk}/files/{upload_.pk}/").status_code == 404


def test_applicants_cannot_open_the_pre_review_desk(client, applicant, submitted):
    client.force_login(applicant)
    assert client.get("/staff/online/").status_code == 403
    assert client.post(f"/staff/online/{submitted.pk}/pre-accept/").status_code == 403


def test_reviewer_pre_accepts_from_the_desk(client, reviewer_a, submitted):
    client.force_login(reviewer_a)
    page = client.get(f"/staff/online/{submitted.pk}/").content.decode()
    assert "预受理" in page or "pre_accept" in page
    response = client.post(f"/staff/online/{submitted.pk}/pre-accept/",
                           {"revision": submitted.revision}, follow=True)
    submitted.refresh_from_db()
    assert submitted.status == "pre_accepted" and submitted.case.number in \
        response.content.decode()


def test_a_double_click_on_pre_accept_shows_a_conflict_not_a_second_case(client, reviewer_a,
                                                                         submitted):
    client.force_login(reviewer_a)
    client.post(f"/staff/online/{submitted.pk}/pre-accept/", {"revision": submitted.revision})
    response = client.post(f"/staff/online/{submitted.pk}/pre-accept/",
                           {"revision": submitted.revision}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    from servicehall.cases.models import Case
    assert Case.objects.count() == 1


def test_reviewer_sends_the_one_time_notice_from_the_desk(client, reviewer_a, submitted,
                                                          materials, applicant):
    client.force_login(reviewer_a)
    client.post(f"/staff/online/{submitted.pk}/supplement/", {
        "revision": submitted.revision, f"m{materials[1].pk}": "on",
        f"p{materials[1].pk}": "复印件不清晰", "note": "请一并补正"})
    submitted.refresh_from_db()
    assert submitted.status == "supplement_requested"
    client.force_login(applicant)
    page = client.get(f"/my/applications/{submitted.pk}/").content.decode()
    assert "复印件不清晰" in page and "请一并补正" in page and 'id="application-form"' in page


def test_reviewer_refuses_with_a_reason_from_the_desk(client, reviewer_a, submitted):
    client.force_login(reviewer_a)
    response = client.post(f"/staff/online/{submitted.pk}/reject/",
                           {"revision": submitted.revision, "reason": ""}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    client.post(f"/staff/online/{submitted.pk}/reject/",
                {"revision": submitted.revision, "reason": "不属于本部门受理范围"})
    submitted.refresh_from_db()
    assert submitted.status == "rejected"


def test_the_applicant_downloads_the_acceptance_receipt(client, applicant, submitted,
                                                        reviewer_a):
    application_pre_accept(application=submitted, by=reviewer_a)
    client.force_login(applicant)
    response = client.get(f"/my/applications/{submitted.pk}/receipt.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def _many(applicant, online_item, add_file, materials, count):
    from servicehall.online.services import application_start
    for _ in range(count):
        add_file(application_start(item=online_item, by=applicant), materials[0])


def test_my_list_query_count_is_pinned(client, applicant, online_item, add_file, materials,
                                       django_assert_max_num_queries, settings):
    settings.ONLINE_UPLOADS_PER_WINDOW = 100
    _many(applicant, online_item, add_file, materials, 15)
    client.force_login(applicant)
    with django_assert_max_num_queries(9):
        response = client.get("/my/applications/")
    assert len(response.context["page"]) == 15


def test_staff_queue_query_count_is_pinned(client, submitted, reviewer_a, applicant, online_item,
                                           add_file, materials, django_assert_max_num_queries,
                                           settings):
    from servicehall.online.services import (
        application_save,
        application_start,
        application_submit,
    )
    from tests.online.conftest import PERSON_DATA

    settings.ONLINE_UPLOADS_PER_WINDOW = 100
    for _ in range(12):
        a = application_start(item=online_item, by=applicant)
        a = application_save(application=a, data=PERSON_DATA, expected_revision=a.revision,
                             by=applicant)
        for m in materials[:2]:
            add_file(a, m)
        a.refresh_from_db()
        application_submit(application=a, expected_revision=a.revision, by=applicant)
    client.force_login(reviewer_a)
    with django_assert_max_num_queries(12):
        response = client.get("/staff/online/")
    assert len(response.context["page"]) == 13


def test_an_oversized_upload_is_refused_without_reading_it_all(client, applicant, draft,
                                                               materials, settings):
    settings.ONLINE_UPLOAD_MAX_BYTES = 1024
    client.force_login(applicant)
    response = upload(client, draft, materials[0], data=PDF + b" " * 5000)
    assert "超过" in client.get(response.url).content.decode()
    assert not draft.files.exists()


def test_the_guide_offers_apply_online_only_for_items_with_online_pre_review(
        client, online_item, counter_item, center):
    page = client.get(f"/guide/items/SCJG-0101/?center={center.code}").content.decode()
    assert f"/my/apply/SCJG-0101/?center={center.code}" in page
    assert 'id="apply-online"' not in client.get(
        f"/guide/items/SCJG-0102/?center={center.code}").content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in_first(client, online_item):
    response = client.get("/my/apply/SCJG-0101/")
    assert response.status_code == 302 and response.url.startswith("/login/?next=")
