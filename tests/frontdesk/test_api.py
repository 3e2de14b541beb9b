"""The front-of-hall API: public ticket and display, staff calling, structured errors, pinned
query counts."""

import pytest

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_a_ticket_taken_online_is_called_by_a_window_and_shows_on_the_display(
        client, center, cat_a, window_1, clerk):
    response = client.post(f"/api/v1/frontdesk/halls/{center.code}/tickets",
                           {"category": "SCJG"}, content_type=JSON)
    assert response.status_code == 201 and response.json()["number"] == "A001"
    client.force_login(clerk)
    called = client.post(f"/api/v1/frontdesk/windows/{window_1.pk}/call-next")
    assert called.status_code == 200 and called.json()["status"] == "called"
    client.logout()
    display = client.get(f"/api/v1/frontdesk/halls/{center.code}/display").json()
    assert display["calls"][0]["announcement"] == "请A001号到1号窗口办理"
    voice = client.get(f"/api/v1/frontdesk/halls/{center.code}/announcements",
                       {"after": display["calls"][0]["id"]}).json()
    assert voice == []


def test_an_online_ticket_cannot_ask_for_priority(client, center, cat_a):
    response = client.post(f"/api/v1/frontdesk/halls/{center.code}/tickets",
                           {"category": "SCJG", "priority": "green"}, content_type=JSON)
    assert response.status_code == 201 and response.json()["priority"] == "regular"


def test_an_unknown_category_is_a_structured_404(client, center, cat_a):
    response = client.post(f"/api/v1/frontdesk/halls/{center.code}/tickets",
                           {"category": "NOPE"}, content_type=JSON)
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_recalling_a_finished_ticket_is_a_structured_conflict(client, cat_a, window_1, clerk,
                                                              issue):
    issue(cat_a)
    client.force_login(clerk)
    ticket = client.post(f"/api/v1/frontdesk/windows/{window_1.pk}/call-next").json()
    client.post(f"/api/v1/frontdesk/tickets/{ticket['id']}/start")
    assert client.post(f"/api/v1/frontdesk/tickets/{ticket['id']}/finish", {"case_numbers": []},
                       content_type=JSON).status_code == 200
    response = client.post(f"/api/v1/frontdesk/tickets/{ticket['id']}/recall")
    body = response.json()
    assert response.status_code == 409 and body["code"] == "invalid_state"
    assert "已办理" in body["message"] and body["fields"] == {}


def test_finishing_with_an_unknown_case_number_names_it(client, cat_a, window_1, clerk, issue):
    issue(cat_a)
    client.force_login(clerk)
    ticket = client.post(f"/api/v1/frontdesk/windows/{window_1.pk}/call-next").json()
    client.post(f"/api/v1/frontdesk/tickets/{ticket['id']}/start")
    response = client.post(f"/api/v1/frontdesk/tickets/{ticket['id']}/finish",
                           {"case_numbers": ["X-1"]}, content_type=JSON)
    assert response.status_code == 422 and "X-1" in response.json()["fields"]["case_numbers"][0]


def test_calling_needs_a_signed_in_member_of_staff(client, window_1):
    response = client.post(f"/api/v1/frontdesk/windows/{window_1.pk}/call-next")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_booking_beyond_the_horizon_is_a_structured_error(client, center, cat_a):
    response = client.get(f"/api/v1/frontdesk/halls/{center.code}/slots",
                          {"category": "SCJG", "day": "2030-01-07"})
    body = response.json()
    assert response.status_code == 422 and body["code"] == "day_not_bookable"
    assert "7天" in body["message"] and "day" in body["fields"]


def test_ticket_list_query_count_is_pinned(client, clerk, cat_a, cat_b, window_1, issue,
                                           django_assert_max_num_queries):
    for _ in range(10):
        issue(cat_a)
        issue(cat_b)
    from servicehall.frontdesk import services

    services.ticket_call_next(window=window_1, by=None)
    client.force_login(clerk)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/frontdesk/tickets")
    assert len(response.json()) == 20


def test_display_query_count_is_pinned(client, center, cat_a, cat_b, window_1, window_2, issue,
                                       django_assert_max_num_queries):
    for _ in range(10):
        issue(cat_a)
        issue(cat_b)
    from servicehall.frontdesk import services

    services.ticket_call_next(window=window_1, by=None)
    services.ticket_call_next(window=window_2, by=None)
    with django_assert_max_num_queries(7):
        body = client.get(f"/api/v1/frontdesk/halls/{center.code}/display").json()
    assert len(body["calls"]) == 2 and [c["waiting"] for c in body["categories"]] == [9, 9]


def _bookable_day(center):
    from datetime import timedelta

    from django.utils import timezone

    from servicehall.core.calendar import calendar_for

    return calendar_for(center).next_working_day(timezone.localdate() + timedelta(days=1))


def test_an_applicant_cancels_with_the_phone_and_staff_move_a_booking(client, center, cat_a,
                                                                       clerk):
    from servicehall.frontdesk import services

    day = _bookable_day(center)
    first, second = list(services.slots_open(category=cat_a, day=day))[:2]
    booked = client.post(f"/api/v1/frontdesk/halls/{center.code}/appointments",
                         {"slot_id": first.pk, "applicant_name": "孙丽", "phone": "13800138000"},
                         content_type=JSON).json()
    wrong = client.post(f"/api/v1/frontdesk/halls/{center.code}/appointments/"
                        f"{booked['reference']}/cancel", {"phone": "13900000000"},
                        content_type=JSON)
    assert wrong.status_code == 404
    client.force_login(clerk)
    moved = client.post(f"/api/v1/frontdesk/appointments/{booked['reference']}/change",
                        {"slot_id": second.pk}, content_type=JSON)
    assert moved.status_code == 200 and moved.json()["start"] == f"{second.start:%H:%M}"
    client.logout()
    cancelled = client.post(f"/api/v1/frontdesk/halls/{center.code}/appointments/"
                            f"{booked['reference']}/cancel", {"phone": "13800138000"},
                            content_type=JSON)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    second.refresh_from_db()
    first.refresh_from_db()
    assert first.booked == second.booked == 0
