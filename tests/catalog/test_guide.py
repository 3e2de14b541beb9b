from datetime import date

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_guide_lists_published_items_without_login(client, item_a, item_b):
    response = client.get("/guide/?all=1")
    html = response.content.decode()
    assert response.status_code == 200
    assert "食品经营许可(新办)" in html and "机动车登记(新办)" in html


def test_guide_filters_by_department_and_search(client, item_a, item_b, department_b):
    html = client.get(f"/guide/?department={department_b.pk}").content.decode()
    assert "机动车登记" in html and "食品经营许可(新办)" not in html
    response = client.get("/guide/?q=食品")
    assert "<mark>食品</mark>经营许可" in response.content.decode()
    # the factory's 机动车登记 shares the food materials: found, but after the name match
    assert [hit.item.code for hit in response.context["page"]] == ["SCJG-0001", "GAJJ-0001"]
    assert [hit.matched_in for hit in response.context["page"]] == ["name", "body"]


def test_withdrawn_items_are_not_in_the_guide(client, item_a, business_section):
    from servicehall.catalog.services import item_set_published

    item_set_published(item=item_a, published=False, by=business_section)
    assert client.get("/guide/items/SCJG-0001/").status_code == 404


def test_item_page_shows_limits_materials_and_due_date(client, item_a, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 9, 30))
    response = client.get("/guide/items/SCJG-0001/")
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["due"] == date(2026, 10, 20)  # 10 working days across National Day
    for text in ("食品经营许可申请书", "营业执照复印件", "《中华人民共和国食品安全法》第三十五条"):
        assert text in html


def test_item_page_says_when_the_calendar_does_not_reach(client, item_a, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 12, 28))
    response = client.get("/guide/items/SCJG-0001/")
    assert response.context["due"] is None


def test_guide_list_query_count_does_not_grow_with_items(client, department_a, make_item,
                                                         django_assert_max_num_queries):
    for n in range(25):
        make_item(department_a, f"SCJG-{n:04d}", main_item=f"事项{n}")
    with django_assert_max_num_queries(8):
        client.get("/guide/?all=1")


def test_item_page_query_count_is_pinned(client, item_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get("/guide/items/SCJG-0001/")


def test_staff_list_query_count_is_pinned(client, business_section, department_a, make_item,
                                          django_assert_max_num_queries):
    for n in range(25):
        make_item(department_a, f"SCJG-{n:04d}", main_item=f"事项{n}")
    client.force_login(business_section)
    with django_assert_max_num_queries(12):
        client.get("/staff/catalog/items/")


def test_api_list_query_count_is_pinned(client, business_section, department_a, make_item,
                                        django_assert_max_num_queries):
    for n in range(25):
        make_item(department_a, f"SCJG-{n:04d}", main_item=f"事项{n}")
    client.force_login(business_section)
    with django_assert_max_num_queries(6):
        assert len(client.get("/api/v1/catalog/items").json()) == 25


def test_public_guide_api_gives_due_dates(client, item_a):
    rows = client.get("/api/v1/catalog/guide/440300/items").json()
    assert rows[0]["code"] == "SCJG-0001"


def test_blank_forms_can_be_downloaded_from_the_guide(client, department_a, make_item,
                                                      settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from servicehall.catalog.elements import MaterialSpec

    settings.MEDIA_ROOT = tmp_path
    path = default_storage.save("catalog/forms/申请书.xlsx", ContentFile(b"PK\x03\x04demo"))
    item = make_item(department_a, "SCJG-0009", materials=[
        MaterialSpec(name="食品经营许可申请书", is_key=True, sample_file=path)])
    material = item.current_version.materials.get()
    html = client.get("/guide/items/SCJG-0009/").content.decode()
    assert f"/guide/forms/{material.pk}/" in html
    response = client.get(f"/guide/forms/{material.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK\x03\x04demo"
    assert "attachment" in response["Content-Disposition"]


def test_english_is_the_second_language(client, item_a):
    client.cookies["django_language"] = "en"
    assert "Find a service" in client.get("/guide/").content.decode()
    client.cookies["django_language"] = "zh-hans"
    assert "查找办事事项" in client.get("/guide/").content.decode()
