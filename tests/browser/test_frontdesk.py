"""The front of hall in a real browser: a kiosk issues a ticket, a window calls it, the
calling screen shows it within two seconds (Server-Sent Events); an appointment is booked
online and checked in at the kiosk; the staff pages open."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from servicehall.accounts.choices import Role
from servicehall.catalog.services import window_save
from servicehall.core.calendar import calendar_for
from servicehall.frontdesk import services
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hall(center, department_a, department_b, make_user, settings):
    settings.FRONTDESK_STREAM_SECONDS = 5  # short streams: reconnecting is part of the test
    trade = services.category_save(center=center, code="SCJG", name="商事登记", prefix="A",
                                   departments=[department_a], is_bookable=True, by=None)
    traffic = services.category_save(center=center, code="GAJJ", name="交通车驾管",
                                     prefix="B", departments=[department_b], by=None)
    window = window_save(center=center, number="5", department=department_a, name="商事登记窗",
                         by=None)
    services.window_categories_set(window=window, categories=[trade, traffic], by=None)
    make_user(Role.WINDOW_STAFF, username="clerk")
    return center


def test_a_kiosk_ticket_called_at_a_window_appears_on_the_screen_within_two_seconds(
        page, chromium, live_server, hall, sign_in, shoot):
    screen_context = chromium.new_context(viewport={"width": 1920, "height": 1080},
                                          locale="zh-CN")
    screen = screen_context.new_page()
    screen.goto(f"{live_server.url}/hall/{hall.code}/screen/")
    led = screen_context.new_page()
    led.goto(f"{live_server.url}/hall/{hall.code}/window/5/")

    kiosk = screen_context.new_page()
    kiosk.set_viewport_size({"width": 1280, "height": 1024})
    kiosk.goto(f"{live_server.url}/hall/{hall.code}/kiosk/")
    expect(kiosk.locator("body")).to_contain_text("请点击您要办理的业务")
    shoot(kiosk, "frontdesk-kiosk")
    kiosk.locator("button[data-category=SCJG]").click()
    expect(kiosk.locator("#ticket-number")).to_have_text("A001")
    shoot(kiosk, "frontdesk-kiosk-ticket")

    sign_in(page, "clerk", PASSWORD)
    page.goto(f"{live_server.url}/staff/frontdesk/window/")
    page.select_option("#window-choice", label="5号窗口 · 商事登记窗")
    page.get_by_role("button", name="叫下一位").click()
    expect(page.locator(".messages")).to_contain_text("请A001号到5号窗口办理")
    shoot(page, "frontdesk-window-console")

    expect(screen.locator("#calls tr.latest")).to_contain_text("A001", timeout=2000)
    expect(screen.locator("#latest")).to_have_text("请A001号到5号窗口办理", timeout=2000)
    expect(led.locator("#led-number")).to_have_text("A001", timeout=2000)
    shoot(screen, "frontdesk-screen")
    shoot(led, "frontdesk-led")

    page.get_by_role("button", name="开始办理").click()
    page.get_by_role("button", name="办理完毕").click()
    expect(page.locator(".messages")).to_contain_text("已办理")
    page.goto(f"{live_server.url}/staff/frontdesk/")
    expect(page.locator("main")).to_contain_text("A001")
    shoot(page, "frontdesk-desk")
    page.goto(f"{live_server.url}/staff/frontdesk/statistics/")
    expect(page.locator("#stat-tickets")).to_have_text("1")
    expect(page.locator("main")).to_contain_text("商事登记")
    shoot(page, "frontdesk-statistics")
    screen_context.close()


def test_an_appointment_booked_online_is_checked_in_at_the_kiosk(page, live_server, hall,
                                                                  sign_in, shoot):
    day = calendar_for(hall).next_working_day(timezone.localdate() + timedelta(days=1))
    page.goto(f"{live_server.url}/hall/{hall.code}/book/")
    page.get_by_role("link", name="商事登记").click()
    page.locator(f"a[href$='day={day.isoformat()}']").click()
    page.locator("input[name=slot]").first.check()
    page.fill("input[name=applicant_name]", "孙丽")
    page.fill("input[name=phone]", "13800138000")
    shoot(page, "frontdesk-book")
    page.get_by_role("button", name="提交预约").click()
    reference = page.locator("#reference").inner_text()
    assert len(reference) == 8
    shoot(page, "frontdesk-booked")

    sign_in(page, "clerk", PASSWORD)
    page.goto(f"{live_server.url}/staff/frontdesk/appointments/?day={day.isoformat()}")
    expect(page.locator("main")).to_contain_text(reference)
    shoot(page, "frontdesk-appointments")

    # On the day of the appointment the kiosk turns it into a priority ticket.
    from servicehall.frontdesk.models import AppointmentSlot

    AppointmentSlot.objects.update(day=timezone.localdate())
    page.goto(f"{live_server.url}/hall/{hall.code}/kiosk/")
    page.fill("#reference", reference.lower())
    page.get_by_role("button", name="签到").click()
    expect(page.locator("#ticket-number")).to_have_text("A001")
    expect(page.locator(".slip")).to_contain_text("预约")

    page.goto(f"{live_server.url}/hall/{hall.code}/kiosk/")
    page.fill("#reference", reference)
    page.get_by_role("button", name="签到").click()
    expect(page.locator(".hall-messages")).to_contain_text("已签到")
    page.goto(f"{live_server.url}/hall/{hall.code}/wait/")
    expect(page.locator("main")).to_contain_text("商事登记")
    shoot(page, "frontdesk-wait")


def test_the_guide_desk_logs_a_consultation_and_a_door_to_door_visit(page, live_server, hall,
                                                                    sign_in, shoot):
    sign_in(page, "clerk", PASSWORD)
    page.goto(f"{live_server.url}/staff/frontdesk/services/")
    form = page.locator("#consultation-form")
    form.locator("select[name=c-channel]").select_option("phone")
    form.locator("input[name=c-topic]").fill("食品经营许可要带哪些材料")
    form.get_by_role("button", name="登记").click()
    expect(page.locator(".messages")).to_contain_text("已登记咨询")
    form = page.locator("#record-form")
    form.locator("select[name=r-kind]").select_option("door_to_door")
    form.locator("select[name=r-department]").select_option(index=1)
    form.locator("input[name=r-staff]").fill("陈晓")
    form.locator("input[name=r-start]").fill("14:00")
    form.locator("input[name=r-end]").fill("16:00")
    form.get_by_role("button", name="登记").click()
    expect(page.locator("#record-form")).to_contain_text("上门服务须填写地址")
    page.locator("#record-form input[name=r-address]").fill("福田区福中三路1号")
    page.locator("#record-form").get_by_role("button", name="登记").click()
    expect(page.locator(".messages")).to_contain_text("已登记服务")
    expect(page.locator("#service-figures")).to_contain_text("上门服务")
    shoot(page, "frontdesk-services")


def test_the_self_service_terminal_looks_up_a_case(page, live_server, hall, make_item,
                                                   department_a, shoot):
    from servicehall.accounts.models import User
    from servicehall.cases.services import case_intake
    from tests.cases.conftest import PERSON

    item = make_item(department_a, "SCJG-0001")
    materials = {m.pk for m in item.current_version.materials.all()}
    case = case_intake(item=item, applicant=PERSON, received=materials,
                       by=User.objects.get(username="clerk"))
    page.goto(f"{live_server.url}/hall/{hall.code}/self-service/")
    page.fill("#number", case.number)
    page.fill("#id_tail", "31002X")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#progress")).to_contain_text(case.number)
    expect(page.locator("#reprint")).to_be_visible()
    shoot(page, "frontdesk-self-service")
