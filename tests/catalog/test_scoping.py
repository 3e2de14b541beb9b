"""Department A's reviewer can neither see nor change department B's data — through the
services, the staff pages and the API alike."""

import pytest

from servicehall.catalog import selectors, services
from servicehall.core.errors import NotFound, PermissionDenied
from tests.factories import elements

pytestmark = pytest.mark.django_db


@pytest.fixture
def both_items(item_a, item_b):
    return item_a, item_b


def test_selector_shows_a_reviewer_only_their_department(reviewer_a, both_items):
    item_a, _ = both_items
    assert list(selectors.items_for_staff(user=reviewer_a)) == [item_a]
    with pytest.raises(NotFound):
        selectors.item_for_staff(user=reviewer_a, code="GAJJ-0001")


def test_center_wide_roles_see_every_department(business_section, both_items):
    assert set(selectors.items_for_staff(user=business_section)) == set(both_items)


def test_staff_of_another_center_see_nothing(make_user, both_items):
    from tests.factories import CenterFactory

    outsider = make_user(center=CenterFactory(code="440304"))
    assert not selectors.items_for_staff(user=outsider).exists()


def test_service_refuses_a_reviewer_changing_another_departments_item(reviewer_a, both_items):
    _, item_b = both_items
    with pytest.raises(PermissionDenied):
        services.item_update(item=item_b, elements=elements(main_item="改名"), by=reviewer_a)
    item_b.refresh_from_db()
    assert item_b.current_version.number == 1


def test_window_staff_may_look_but_not_change(make_user, both_items):
    clerk = make_user()
    item_a, _ = both_items
    assert selectors.items_for_staff(user=clerk).count() == 2
    with pytest.raises(PermissionDenied):
        services.item_update(item=item_a, elements=elements(promised_limit=3), by=clerk)


def test_staff_list_page_shows_only_own_department(client, reviewer_a, both_items):
    client.force_login(reviewer_a)
    html = client.get("/staff/catalog/items/").content.decode()
    assert "SCJG-0001" in html and "GAJJ-0001" not in html


def test_edit_page_of_another_department_is_not_found(client, reviewer_a, both_items):
    client.force_login(reviewer_a)
    assert client.get("/staff/catalog/items/GAJJ-0001/edit/").status_code == 404
    assert client.get("/staff/catalog/items/SCJG-0001/edit/").status_code == 200


def test_api_hides_other_departments_items(client, reviewer_a, both_items):
    client.force_login(reviewer_a)
    codes = [row["code"] for row in client.get("/api/v1/catalog/items").json()]
    assert codes == ["SCJG-0001"]
    response = client.get("/api/v1/catalog/items/GAJJ-0001")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_api_refuses_an_update_to_another_departments_item(client, reviewer_a, both_items):
    client.force_login(reviewer_a)
    response = client.put("/api/v1/catalog/items/GAJJ-0001", _update_body(1),
                          content_type="application/json")
    assert response.status_code == 404
    _, item_b = both_items
    item_b.refresh_from_db()
    assert item_b.current_version.number == 1


def test_api_with_a_token_is_scoped_the_same_way(client, reviewer_a, both_items):
    from servicehall.accounts.services import token_create

    _, key = token_create(user=reviewer_a, name="test", by=reviewer_a)
    response = client.get("/api/v1/catalog/items", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert [row["code"] for row in response.json()] == ["SCJG-0001"]


def test_api_without_credentials_is_refused(client, both_items):
    response = client.get("/api/v1/catalog/items")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def _update_body(expected_version: int, **overrides) -> dict:
    from servicehall.catalog.models import ServiceItem
    from servicehall.catalog.selectors import item_elements

    item = ServiceItem.objects.get(code="SCJG-0001")
    body = item_elements(item.current_version).as_dict()
    for material in body["materials"]:
        material.pop("sample_file")
    body.update(overrides)
    return {"expected_version": expected_version, "change_note": "测试", "elements": body}


def test_reviewer_updates_own_item_over_the_api(client, reviewer_a, both_items):
    client.force_login(reviewer_a)
    response = client.put("/api/v1/catalog/items/SCJG-0001",
                          _update_body(1, promised_limit=5), content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    assert response.json()["elements"]["promised_limit"] == 5
