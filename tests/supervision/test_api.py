"""The supervision board over the API, scoped like the page."""

import pytest

from servicehall.accounts.choices import Role
from tests.supervision.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_the_board_lights_and_card_counts(client, supervisor, watched,
                                          django_assert_max_num_queries):
    signed_in(client, supervisor)
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/supervision/board").json()
    assert body["totals"]["total"] == 3 and body["totals"]["red"] == 2
    assert body["departments"][0]["red"] == 2
    assert body["cards"]["red_issued"] >= 1 and body["cards"]["yellow_issued"] >= 1


def test_the_live_list_is_most_urgent_first(client, supervisor, watched,
                                            django_assert_max_num_queries):
    signed_in(client, supervisor)
    with django_assert_max_num_queries(8):
        rows = client.get("/api/v1/supervision/cases").json()
    assert [r["light"] for r in rows][:2] == ["red", "red"]
    assert rows[0]["number"] == watched[0].number and rows[0]["light_label"] == "红灯:超期"


def test_cards_and_findings(client, supervisor, watched,
                            django_assert_max_num_queries):
    signed_in(client, supervisor)
    with django_assert_max_num_queries(8):
        cards = client.get("/api/v1/supervision/cards").json()
    assert {c["level"] for c in cards} == {"yellow", "red"}
    assert all(c["case_number"] for c in cards)
    assert client.get("/api/v1/supervision/findings").status_code == 200
    assert client.get("/api/v1/supervision/cases", {"limit": 0}).status_code == 422


@pytest.mark.parametrize("path", ["board", "cases", "cards", "findings"])
def test_window_staff_may_not_read_the_board(client, make_user, path):
    signed_in(client, make_user(Role.WINDOW_STAFF, username="w1"))
    response = client.get(f"/api/v1/supervision/{path}")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
