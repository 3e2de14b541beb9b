"""Keywords are an element of the item: set on the staff edit page, in the Excel workbook and
through the API, published as a version, and found by the guide's search at once."""

import pytest

from servicehall.catalog.search.query import items_search
from servicehall.catalog.selectors import published_items

pytestmark = pytest.mark.django_db


def found(center, q):
    return [h.item_id for h in items_search(center=center, q=q,
                                            items=published_items(center=center)).hits]


def edit_form_data(page) -> dict:
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items()
            if name not in ("materials", "fees", "steps", "theme_names", "delivery_modes",
                            "joint_department_codes", "legal_limit", "keywords")}
    data.update(legal_limit=20, delivery_modes=["window"])
    for prefix in ("materials", "fees", "steps"):
        formset = page.context[prefix]
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = (
            formset.initial_form_count())
        for index, row in enumerate(formset.initial or []):
            for key, value in row.items():
                if value is True:
                    data[f"{prefix}-{index}-{key}"] = "on"
                elif value is not False:
                    data[f"{prefix}-{index}-{key}"] = value
    return data


def test_keywords_set_on_the_edit_page_publish_a_version_and_are_found(client, center, item_a,
                                                                        reviewer_a):
    assert found(center, "奶茶店") == []
    client.force_login(reviewer_a)
    page = client.get("/staff/catalog/items/SCJG-0001/edit/")
    data = edit_form_data(page)
    data.update(change_note="加关键词", keywords="奶茶店、 小吃店,奶茶店\n外卖")
    response = client.post("/staff/catalog/items/SCJG-0001/edit/", data)
    assert response.status_code == 302
    item_a.refresh_from_db()
    assert item_a.current_version.number == 2
    assert item_a.current_version.keywords == ["奶茶店", "小吃店", "外卖"]
    assert found(center, "奶茶店") == [item_a.pk]
    again = client.get("/staff/catalog/items/SCJG-0001/edit/").content.decode()
    assert "奶茶店、小吃店、外卖" in again


def test_too_long_a_keyword_is_refused_on_the_edit_page(client, item_a, reviewer_a):
    client.force_login(reviewer_a)
    data = edit_form_data(client.get("/staff/catalog/items/SCJG-0001/edit/"))
    data.update(change_note="加关键词", keywords="饭" * 21)
    response = client.post("/staff/catalog/items/SCJG-0001/edit/", data)
    assert response.status_code == 400
    assert "关键词“" in response.content.decode()
    item_a.refresh_from_db()
    assert item_a.current_version.number == 1


def test_the_workbook_carries_keywords_both_ways(center, department_a, business_section):
    from servicehall.catalog.excel import import_catalog
    from servicehall.catalog.models import ServiceItem
    from tests.catalog.test_excel import exported, item_row, material_row, workbook_file

    import_catalog(center=center, by=business_section, file=workbook_file(
        items=[item_row(关键词="饭店、餐馆")], materials=[material_row()]))
    item = ServiceItem.objects.get(code="SCJG-0100")
    assert item.current_version.keywords == ["饭店", "餐馆"]
    assert found(center, "餐馆") == [item.pk]
    sheet = exported(business_section)["事项"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[-1] == "关键词" and sheet[2][len(headers) - 1].value == "饭店、餐馆"


def test_the_api_reads_and_writes_keywords(client, item_a, business_section):
    client.force_login(business_section)
    detail = client.get("/api/v1/catalog/items/SCJG-0001").json()
    assert detail["elements"]["keywords"] == []
    elements = {**detail["elements"], "keywords": ["小饭馆"]}
    response = client.put("/api/v1/catalog/items/SCJG-0001",
                          {"expected_version": 1, "elements": elements},
                          content_type="application/json")
    assert response.status_code == 200 and response.json()["elements"]["keywords"] == ["小饭馆"]
    assert client.get("/api/v1/guide/search", {"q": "小饭馆"}).json()["count"] == 1
