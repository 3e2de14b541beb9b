"""The front-of-hall pages through the test client: kiosk, screen and its stream, LED, wait
board, booking, guide desk, window console, appointments."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from servicehall.frontdesk import services
from servicehall.frontdesk.models import Appointment, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(center, cat_a, cat_b, window_1, window_2):
    return center


def test_the_kiosk_issues_a_ticket_and_shows_it(client, hall):
    page = client.get(f"/hall/{hall.code}/kiosk/")
    assert page.status_code == 200 and "商事登记" in page.content.decode()
    response = client.post(f"/hall/{hall.code}/kiosk/take/", {"category": "SCJG"}, follow=True)
    body = response.content.decode()
    assert "A001" in body and "前面还有 0 人" in body


def test_the_kiosk_explains_an_unknown_category_in_chinese(client, hall):
    response = client.post(f"/hall/{hall.code}/kiosk/take/", {"category": "NOPE"}, follow=True)
    assert "记录不存在" in response.content.decode() and not Ticket.objects.exists()


def test_a_forged_ticket_link_is_not_found(client, hall):
    assert client.get(f"/hall/{hall.code}/kiosk/ticket/1/").status_code == 404


def test_the_screen_shows_the_last_call_and_the_queues(client, hall, issue, clerk, window_1,
                                                       cat_a):
    issue(cat_a)
    services.ticket_call_next(window=window_1, by=clerk)
    body = client.get(f"/hall/{hall.code}/screen/").content.decode()
    assert "请A001号到1号窗口办理" in body and "交通车驾管" in body


def test_the_screen_stream_sends_the_snapshot_as_an_event(client, hall, issue, clerk,
                                                          window_1, cat_a, settings):
    settings.FRONTDESK_STREAM_SECONDS = 0.2
    issue(cat_a)
    services.ticket_call_next(window=window_1, by=clerk)
    response = client.get(f"/hall/{hall.code}/screen/events")
    assert response["Content-Type"].startswith("text/event-stream")
    chunks = [c.decode() if isinstance(c, bytes) else c for c in response.streaming_content]
    assert chunks[0].startswith("retry:")
    frame = chunks[1]
    assert frame.startswith("event: display\n")
    data = json.loads(frame.split("data: ", 1)[1])
    assert data["calls"][0]["number"] == "A001" and data["calls"][0]["window"] == "1"


def test_the_window_led_shows_the_ticket_at_the_window(client, hall, issue, clerk, window_1,
                                                       cat_a):
    issue(cat_a)
    services.ticket_call_next(window=window_1, by=clerk)
    body = client.get(f"/hall/{hall.code}/window/1/").content.decode()
    assert 'id="led-number"' in body and "A001" in body


def test_the_wait_board_lists_every_category(client, hall, issue, cat_a):
    issue(cat_a)
    body = client.get(f"/hall/{hall.code}/wait/").content.decode()
    assert "商事登记" in body and "交通车驾管" in body


def _next_working_day(center):
    from servicehall.core.calendar import calendar_for

    return calendar_for(center).next_working_day(timezone.localdate() + timedelta(days=1))


def test_booking_online_gives_a_reference(client, hall):
    day = _next_working_day(hall)
    page = client.get(f"/hall/{hall.code}/book/", {"category": "SCJG", "day": day.isoformat()})
    slot_id = page.context["slots"][0].pk
    response = client.post(f"/hall/{hall.code}/book/?category=SCJG&day={day.isoformat()}",
                           {"slot": slot_id, "applicant_name": "孙丽",
                            "phone": "13800138000"}, follow=True)
    appointment = Appointment.objects.get()
    assert appointment.reference in response.content.decode()
    assert appointment.channel == "web"


def test_booking_a_full_slot_says_so_in_chinese(client, hall, cat_a):
    day = _next_working_day(hall)
    slot = services.slots_open(category=cat_a, day=day).first()
    for phone in ("13800138001", "13800138002"):
        services.appointment_book(slot=slot, applicant_name="某", phone=phone, by=None)
    response = client.post(f"/hall/{hall.code}/book/?category=SCJG&day={day.isoformat()}",
                           {"slot": slot.pk, "applicant_name": "孙丽", "phone": "13800138000"})
    assert response.status_code == 400 and "已约满" in response.content.decode()
    assert Appointment.objects.count() == 2


def test_staff_booking_for_a_caller_is_recorded_as_by_phone(client, hall, clerk):
    day = _next_working_day(hall)
    client.force_login(clerk)
    page = client.get(f"/hall/{hall.code}/book/", {"category": "SCJG", "day": day.isoformat()})
    client.post(f"/hall/{hall.code}/book/?category=SCJG&day={day.isoformat()}",
                {"slot": page.context["slots"][0].pk, "applicant_name": "孙丽",
                 "phone": "13800138000"})
    assert Appointment.objects.get().channel == "phone"


def test_the_guide_desk_issues_a_care_ticket(client, hall, clerk):
    client.force_login(clerk)
    response = client.post("/staff/frontdesk/issue/", {"category": "SCJG", "priority": "care"},
                           follow=True)
    assert "A001" in response.content.decode()
    assert Ticket.objects.get().priority == "care"


def test_the_desk_page_query_count_is_pinned(client, hall, clerk, issue, cat_a, cat_b,
                                             django_assert_max_num_queries):
    for _ in range(15):
        issue(cat_a)
        issue(cat_b)
    client.force_login(clerk)
    with django_assert_max_num_queries(16):
        response = client.get("/staff/frontdesk/")
    assert response.status_code == 200 and "A015" in response.content.decode()


def test_the_window_console_calls_serves_and_finishes(client, hall, clerk, issue, cat_a,
                                                      window_1):
    issue(cat_a)
    client.force_login(clerk)
    page = client.get("/staff/frontdesk/window/", {"window": window_1.pk})
    assert "叫下一位" in page.content.decode()
    called = client.post(f"/staff/frontdesk/window/{window_1.pk}/call/", follow=True)
    assert "请A001号到1号窗口办理" in called.content.decode()
    ticket = Ticket.objects.get()
    client.post(f"/staff/frontdesk/tickets/{ticket.pk}/start/")
    client.post(f"/staff/frontdesk/tickets/{ticket.pk}/finish/", {"case_numbers": ""})
    ticket.refresh_from_db()
    assert ticket.status == "done"
    refused = client.post(f"/staff/frontdesk/tickets/{ticket.pk}/recall/", follow=True)
    assert "不能进行此操作" in refused.content.decode()


def test_the_window_console_query_count_is_pinned(client, hall, clerk, issue, cat_a, window_1,
                                                  django_assert_max_num_queries):
    for _ in range(10):
        issue(cat_a)
    client.force_login(clerk)
    with django_assert_max_num_queries(20):
        assert client.get("/staff/frontdesk/window/", {"window": window_1.pk}).status_code == 200


def test_the_appointments_page_checks_in(client, hall, clerk, cat_a,
                                         django_assert_max_num_queries):
    day = _next_working_day(hall)
    slot = services.slots_open(category=cat_a, day=day).first()
    for n in range(2):
        services.appointment_book(slot=slot, applicant_name="某", phone=f"1380013800{n}",
                                  by=None)
    client.force_login(clerk)
    with django_assert_max_num_queries(10):
        page = client.get("/staff/frontdesk/appointments/", {"day": day.isoformat()})
    assert page.content.decode().count("某") == 2


def test_the_statistics_page_sums_up_the_queue(client, hall, clerk, issue, cat_a, window_1,
                                               django_assert_max_num_queries):
    for _ in range(5):
        issue(cat_a)
    ticket = services.ticket_call_next(window=window_1, by=clerk)
    services.ticket_start(ticket=ticket, by=clerk)
    services.ticket_finish(ticket=ticket, by=clerk)
    client.force_login(clerk)
    with django_assert_max_num_queries(8):
        page = client.get("/staff/frontdesk/statistics/")
    body = page.content.decode()
    assert page.status_code == 200 and 'id="stat-tickets">5<' in body and "商事登记" in body


def test_the_self_service_terminal_shows_a_case_only_with_the_id_tail(client, hall, clerk,
                                                                      item_a):
    from django.core.cache import cache

    from servicehall.cases.services import case_intake
    from tests.cases.conftest import PERSON

    cache.clear()
    materials = {m.pk for m in item_a.current_version.materials.all()}
    case = case_intake(item=item_a, applicant=PERSON, received=materials, by=clerk)
    url = f"/hall/{hall.code}/self-service/"
    found = client.post(url, {"number": case.number, "id_tail": "31002x"})
    assert found.status_code == 200 and "办理中" in found.content.decode()
    for wrong in ({"number": case.number, "id_tail": "310021"},
                  {"number": case.number, "id_tail": "8000"},  # the old phone digits
                  {"number": "440300-20260101-99999", "id_tail": "31002X"}):
        refused = client.post(url, wrong)
        body = refused.content.decode()
        assert refused.status_code == 404 and "没有" in body and PERSON.name not in body
    assert client.get(url, {"number": case.number, "id_tail": "31002X"}).status_code == 200
    assert "办理中" not in client.get(url, {"number": case.number}).content.decode()


def test_the_terminal_finds_only_cases_of_its_own_hall(client, hall, clerk, item_a):
    from django.core.cache import cache

    from servicehall.cases.selectors import case_for_lookup
    from servicehall.cases.services import case_intake
    from servicehall.core.models import Center
    from tests.cases.conftest import PERSON

    cache.clear()
    materials = {m.pk for m in item_a.current_version.materials.all()}
    case = case_intake(item=item_a, applicant=PERSON, received=materials, by=clerk)
    other = Center.objects.exclude(pk=hall.pk).first() or Center.objects.create(
        code="449901", name="另一中心", level=hall.level)
    assert case_for_lookup(number=case.number, id_tail="31002X", center=hall).pk == case.pk
    assert case_for_lookup(number=case.number, id_tail="31002X", center=other) is None


def test_the_self_service_terminal_reprints_the_receipt_with_the_same_tail(client, hall,
                                                                           clerk, item_a):
    from django.core.cache import cache

    from servicehall.cases.services import case_intake
    from tests.cases.conftest import PERSON

    cache.clear()
    materials = {m.pk for m in item_a.current_version.materials.all()}
    case = case_intake(item=item_a, applicant=PERSON, received=materials, by=clerk)
    url = f"/hall/{hall.code}/self-service/receipt.pdf"
    pdf = client.post(url, {"number": case.number, "id_tail": "31002X"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.post(url, {"number": case.number, "id_tail": "310021"}).status_code == 404
    assert client.post(url, {"number": case.number, "phone_tail": "8000"}).status_code == 404
    assert client.get(url).status_code == 405


def test_self_service_and_progress_lookups_share_one_budget_per_address(client, hall,
                                                                        settings):
    from django.core.cache import cache

    cache.clear()
    settings.PROGRESS_LOOKUPS_PER_MINUTE = 3
    number = "440300-20260101-00001"
    codes = [client.post(f"/hall/{hall.code}/self-service/",
                         {"number": number, "id_tail": f"{n:06d}"}).status_code
             for n in range(2)]
    codes.append(client.post(f"/progress/{number}/",
                             {"number": number, "id_tail": "000009"}).status_code)
    codes.append(client.post(f"/hall/{hall.code}/self-service/",
                             {"number": number, "id_tail": "000003"}).status_code)
    assert codes == [404, 404, 404, 429]
    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_under_asgi_the_screen_stream_is_asynchronous_and_sends_the_snapshot(center, cat_a,
                                                                            window_1, issue):
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from asgiref.sync import sync_to_async
    from django.db import connections
    from django.test import AsyncClient

    issue(cat_a)
    services.ticket_call_next(window=window_1, by=None)

    async def first_frames():
        response = await AsyncClient().get(f"/hall/{center.code}/screen/events")
        assert response.is_async  # streamed by the event loop, not buffered in a thread
        frames, stream = [], response.streaming_content
        async for chunk in stream:
            frames.append(chunk.decode() if isinstance(chunk, bytes) else chunk)
            if len(frames) == 2:
                break
        await stream.aclose()
        await sync_to_async(connections.close_all)()  # the stream's thread lets go of the db
        return frames

    # A fresh thread: the browser tests may leave an event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        frames = pool.submit(asyncio.run, first_frames()).result(timeout=30)
    assert frames[0].startswith("retry:") and '"number": "A001"' in frames[1]


def test_the_applicant_cancels_on_the_booking_page_with_the_phone(client, hall, cat_a):
    day = _next_working_day(hall)
    slot = services.slots_open(category=cat_a, day=day).first()
    appointment = services.appointment_book(slot=slot, applicant_name="孙丽",
                                            phone="13800138000", by=None)
    url = f"/hall/{hall.code}/book/{appointment.reference}/cancel/"
    wrong = client.post(url, {"phone": "13900139000"}, follow=True)
    assert "不符" in wrong.content.decode()
    done = client.post(url, {"phone": "13800138000"}, follow=True)
    assert "已取消" in done.content.decode()
    slot.refresh_from_db()
    assert slot.booked == 0


@pytest.mark.parametrize(("path", "most"), [
    ("/hall/{code}/kiosk/", 8), ("/hall/{code}/screen/", 8), ("/hall/{code}/wait/", 8),
    ("/hall/{code}/window/1/", 5), ("/hall/{code}/self-service/", 3),
    ("/api/v1/frontdesk/halls/{code}/waiting", 7),
    ("/api/v1/frontdesk/halls/{code}/announcements", 3),
])
def test_public_pages_and_feeds_have_pinned_query_counts(client, hall, issue, cat_a, cat_b,
                                                         window_1, path, most,
                                                         django_assert_max_num_queries):
    for _ in range(10):
        issue(cat_a)
        issue(cat_b)
    services.ticket_call_next(window=window_1, by=None)
    with django_assert_max_num_queries(most):
        assert client.get(path.format(code=hall.code)).status_code == 200


def test_staff_appointment_and_slot_lists_have_pinned_query_counts(
        client, hall, clerk, cat_a, django_assert_max_num_queries):
    day = _next_working_day(hall)
    slots = list(services.slots_open(category=cat_a, day=day))
    for n, slot in enumerate(slots[:5]):
        services.appointment_book(slot=slot, applicant_name="某", phone=f"1380013800{n}",
                                  by=None)
    with django_assert_max_num_queries(8):
        listed = client.get(f"/api/v1/frontdesk/halls/{hall.code}/slots",
                            {"category": "SCJG", "day": day.isoformat()})
    assert len(listed.json()) == len(slots)
    client.force_login(clerk)
    with django_assert_max_num_queries(6):
        booked = client.get("/api/v1/frontdesk/appointments", {"day": day.isoformat()})
    assert len(booked.json()) == 5


def test_the_stream_rebuilds_the_board_only_when_a_ticket_changed(hall, issue, cat_a, window_1,
                                                                  django_assert_max_num_queries):
    from servicehall.frontdesk.views_public import _snapshot_json

    issue(cat_a)
    signature, data = _snapshot_json(hall)
    assert data is not None
    with django_assert_max_num_queries(2):
        assert _snapshot_json(hall, signature) == (signature, None)
    services.ticket_call_next(window=window_1, by=None)
    changed, data = _snapshot_json(hall, signature)
    assert changed != signature and "请A001号到1号窗口办理" in data
