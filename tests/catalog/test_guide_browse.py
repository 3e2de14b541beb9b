"""The guide's pages: home by theme and department, theme and department lists, search
results, and GET /api/v1/guide/search."""

import pytest

from servicehall.catalog import services
from servicehall.catalog.elements import MaterialSpec

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(center, department_a, department_b, make_item, business_section):
    services.theme_ensure(center=center, name="开办企业", audience="enterprise", by=None)
    services.theme_ensure(center=center, name="户籍办理", audience="person", by=None)
    make_item(department_a, "SCJG-0001", sub_item="餐饮服务", theme_names=["开办企业"],
              keywords=["饭店"])
    make_item(department_a, "SCJG-0002", sub_item="食品销售", theme_names=["开办企业"])
    make_item(department_b, "GAJ-0001", main_item="出生登记", theme_names=["户籍办理"],
              conditions="", materials=[MaterialSpec(name="出生医学证明", is_key=True)])
    services.synonym_save(center=center, phrase="开饭店", terms=["食品经营许可", "餐饮服务"],
                          by=business_section)
    return center


def test_home_lists_themes_with_counts_and_departments(client, guide):
    response = client.get("/guide/")
    html = response.content.decode()
    counts = {t.name: t.item_count for t in response.context["themes"]}
    assert counts == {"开办企业": 2, "户籍办理": 1}
    assert "/guide/themes/" in html and "/guide/departments/SCJG/" in html
    assert "开饭店" in html  # offered as an example search


def test_theme_counts_only_published_current_versions(client, guide, business_section):
    from servicehall.catalog.models import ServiceItem

    item = ServiceItem.objects.get(code="SCJG-0002")
    services.item_set_published(item=item, published=False, by=business_section)
    counts = {t.name: t.item_count for t in client.get("/guide/").context["themes"]}
    assert counts["开办企业"] == 1


def test_theme_page_lists_its_items(client, guide):
    theme = guide.themes.get(name="户籍办理")
    response = client.get(f"/guide/themes/{theme.pk}/")
    assert [h.item.code for h in response.context["page"]] == ["GAJ-0001"]
    assert response.context["heading"] == "户籍办理"
    assert client.get("/guide/themes/999999/").status_code == 404


def test_department_page_lists_its_items_and_searches_within(client, guide):
    response = client.get("/guide/departments/SCJG/")
    assert [h.item.code for h in response.context["page"]] == ["SCJG-0001", "SCJG-0002"]
    within = client.get("/guide/departments/GAJJ/", {"q": "食品"})
    assert list(within.context["page"]) == []
    assert client.get("/guide/departments/NOPE/").status_code == 404


def test_search_page_marks_matches_and_says_which_synonym_was_used(client, guide):
    response = client.get("/guide/search/", {"q": "开饭店"})
    html = response.content.decode()
    assert [h.item.code for h in response.context["page"]][0] == "SCJG-0001"
    assert "<mark>食品经营许可</mark>(<mark>餐饮服务</mark>)(新办)" in html
    assert "按“开饭店”同时查找了“食品经营许可、餐饮服务”" in html


def test_search_page_explains_a_match_in_the_materials(client, guide):
    html = client.get("/guide/search/", {"q": "医学证明"}).content.decode()
    assert "材料和条件" in html and "出生<mark>医学证明</mark>" in html


def test_empty_search_gives_help_in_chinese(client, guide):
    html = client.get("/guide/search/", {"q": "量子计算机"}).content.decode()
    assert "没有找到与“量子计算机”相关的事项" in html
    assert "试试" in html and "开饭店" in html


def test_blank_search_goes_back_to_the_guide_home(client, guide):
    response = client.get("/guide/search/", {"q": "  "})
    assert response.status_code == 302 and response["Location"].startswith("/guide/")


def test_search_results_are_paginated(client, department_a, make_item):
    for n in range(35):
        make_item(department_a, f"SCJG-{n:04d}", main_item=f"食品事项{n}")
    first = client.get("/guide/search/", {"q": "食品"})
    assert first.context["page"].paginator.count == 35 and len(first.context["page"]) == 30
    second = client.get("/guide/search/", {"q": "食品", "page": 2})
    assert len(second.context["page"]) == 5


@pytest.mark.parametrize("url", ["/guide/", "/guide/search/?q=食品", "/guide/search/?q=开饭店",
                                 "/guide/search/?q=量子计算机", "/guide/departments/SCJG/",
                                 "/guide/?all=1"])
def test_guide_pages_query_counts_do_not_grow_with_items(client, guide, department_a, make_item,
                                                         django_assert_max_num_queries, url):
    for n in range(40):
        make_item(department_a, f"SCJG-1{n:03d}", main_item=f"食品事项{n}",
                  theme_names=["开办企业"])
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200


def test_theme_page_query_count_is_pinned(client, guide, department_a, make_item,
                                          django_assert_max_num_queries):
    for n in range(40):
        make_item(department_a, f"SCJG-1{n:03d}", main_item=f"食品事项{n}",
                  theme_names=["开办企业"])
    theme = guide.themes.get(name="开办企业")
    with django_assert_max_num_queries(8):
        assert client.get(f"/guide/themes/{theme.pk}/").status_code == 200


def test_search_api_is_public_and_ranked(client, guide):
    body = client.get("/api/v1/guide/search", {"q": "开饭店"}).json()
    assert body["results"][0]["code"] == "SCJG-0001"
    assert body["results"][0]["matched_in"] == "name"
    assert body["results"][0]["url"] == "/guide/items/SCJG-0001/?center=440300"
    assert {"phrase": "开饭店", "term": "食品经营许可"} in body["synonyms"]
    assert body["count"] == len(body["results"]) == 2


def test_search_api_pages_and_names_the_center(client, guide):
    body = client.get("/api/v1/guide/search", {"q": "食品", "limit": 1, "offset": 1,
                                               "center": "440300"}).json()
    assert body["count"] == 2 and [r["code"] for r in body["results"]] == ["SCJG-0002"]


def test_search_api_refuses_bad_input_with_structured_errors(client, guide):
    blank = client.get("/api/v1/guide/search", {"q": "  "})
    assert blank.status_code == 422 and blank.json()["fields"]["q"] == ["请输入要查找的内容。"]
    assert client.get("/api/v1/guide/search").json()["code"] == "validation_error"
    too_long = client.get("/api/v1/guide/search", {"q": "食" * 101})
    assert too_long.status_code == 422
    assert client.get("/api/v1/guide/search", {"q": "食品", "center": "nope"}).status_code == 404


def test_search_api_query_count_is_pinned(client, guide, department_a, make_item,
                                          django_assert_max_num_queries):
    for n in range(40):
        make_item(department_a, f"SCJG-1{n:03d}", main_item=f"食品事项{n}")
    with django_assert_max_num_queries(6):
        assert len(client.get("/api/v1/guide/search", {"q": "食品", "limit": 50}).json()[
            "results"]) == 42
