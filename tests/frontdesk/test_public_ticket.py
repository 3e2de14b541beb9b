"""The public web ticket's hot path: the written-out category statement finds what the ORM
finds, and the answer is the one the schema gives."""

import pytest

from servicehall.core.errors import NotFound
from servicehall.frontdesk import selectors
from servicehall.frontdesk.models import Category

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _fields(category: Category) -> dict:
    return {f.attname: getattr(category, f.attname) for f in Category._meta.concrete_fields}


def test_the_public_category_is_the_row_the_orm_loads(center, cat_a, cat_b):
    found = selectors.public_category(center_code=center.code, code="SCJG")
    assert type(found) is Category and not found._state.adding
    assert found._state.db == "default"
    assert _fields(found) == _fields(Category.objects.get(pk=cat_a.pk))
    assert found.center == center  # loaded when used


def test_booleans_and_empty_numbers_come_back_as_python_values(center, cat_b):
    found = selectors.public_category(center_code=center.code, code="GAJJ")
    assert found.is_active is True and found.is_bookable is False
    assert found.backup_threshold is None and found.daily_capacity is None


@pytest.mark.parametrize("closed", ["category", "center", "unknown"])
def test_a_closed_or_unknown_category_is_not_found(center, cat_a, closed):
    code = "SCJG"
    if closed == "category":
        Category.objects.filter(pk=cat_a.pk).update(is_active=False)
    elif closed == "center":
        type(center).objects.filter(pk=center.pk).update(is_active=False)
    else:
        code = "NOPE"
    with pytest.raises(NotFound):
        selectors.public_category(center_code=center.code, code=code)


@pytest.mark.filterwarnings("error")  # pydantic warns when it serializes an unexpected type
@pytest.mark.parametrize("phone", ["", " 13800000000 "])
def test_the_web_ticket_answer_is_byte_for_byte_what_the_schema_validates(client, center,
                                                                         cat_a, phone):
    import json

    from ninja.responses import NinjaJSONEncoder

    from servicehall.frontdesk.api import TicketOut
    from servicehall.frontdesk.models import Ticket

    response = client.post(f"/api/v1/frontdesk/halls/{center.code}/tickets",
                           {"category": "SCJG", "phone": phone}, content_type=JSON)
    assert response.status_code == 201 and response["Content-Type"] == f"{JSON}; charset=utf-8"
    ticket = Ticket.objects.select_related("category").get()
    expected = TicketOut.model_validate({
        "id": ticket.pk, "number": "A001", "category": "SCJG", "priority": "regular",
        "status": "waiting", "status_label": ticket.get_status_display(), "window": None,
        "issued_at": ticket.issued_at, "called_at": None, "call_count": 0}).model_dump()
    assert response.content == json.dumps(expected, cls=NinjaJSONEncoder).encode()
    assert response.json()["status_label"] == "未开始" and ticket.phone == phone.strip()


@pytest.mark.parametrize("language, label", [("zh-hans", "未开始"), ("en", "Waiting")])
def test_the_status_label_follows_the_request_language(client, center, cat_a, language, label):
    response = client.post(f"/api/v1/frontdesk/halls/{center.code}/tickets",
                           {"category": "SCJG"}, content_type=JSON,
                           headers={"accept-language": language})
    assert response.json()["status_label"] == label
