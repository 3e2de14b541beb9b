"""The supervision section opens the e-supervision board with data, drills down to a case and
closes a card in the browser."""

import subprocess
from datetime import date

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def board_data(center, department_a, department_b, make_item, make_user, reviewer_a):
    from servicehall.accounts.choices import Role
    from servicehall.cases.services import case_intake, case_step_take
    from servicehall.core import businessday
    from servicehall.supervision.escalation import escalate
    from servicehall.supervision.irregularities import detect_time
    from servicehall.supervision.scanner import scan
    from tests.cases.conftest import PERSON

    clerk = make_user(Role.WINDOW_STAFF, username="clerk")
    make_user(Role.SUPERVISION_SECTION, username="supervisor", full_name="赵督查")
    items = [make_item(department_a, "SCJG-0001"),
             make_item(department_b, "GAJJ-0001", main_item="机动车登记", kind="license")]
    cases = []
    for day, item in [(date(2026, 9, 30), items[0]), (date(2026, 9, 30), items[0]),
                      (date(2026, 10, 9), items[0]), (date(2026, 10, 16), items[1]),
                      (date(2026, 10, 21), items[1]), (date(2026, 10, 22), items[1])]:
        received = {m.pk for m in item.current_version.materials.all()}
        with businessday.replaying(day):
            cases.append(case_intake(item=item, applicant=PERSON, received=received,
                                     by=clerk))
    with businessday.replaying(date(2026, 10, 12)):
        case_step_take(case=cases[0], by=reviewer_a)
    for day in (date(2026, 10, 21), date(2026, 10, 26)):
        scan(today=day)
        escalate(today=day)
    detect_time(today=date(2026, 10, 26))
    return cases


def test_the_supervision_board_shows_lights_cards_and_leads_to_the_case(
        page, live_server, board_data, sign_in, shoot, monkeypatch):
    sign_in(page, "supervisor", PASSWORD)
    page.goto(f"{live_server.url}/staff/supervision/")
    assert "电子监察台" in page.locator("h1").inner_text()
    totals = page.locator(".light-totals").inner_text()
    assert "红灯" in totals and "黄牌" in totals
    rows = page.locator("#departments tbody tr")
    assert rows.count() == 2
    assert "市场监管局" in rows.nth(0).inner_text()
    live = page.locator("#live tbody tr")
    assert live.count() >= 2 and "超过承诺期限" in live.nth(0).inner_text()
    assert page.locator("#cards .card-chip.red").count() == 2
    shoot(page, "supervision-board")
    number = board_data[0].number
    page.locator("#live").get_by_role("link", name=number).click()
    page.wait_for_url(f"**/staff/cases/{number}/")
    assert number in page.content()


def test_the_supervision_section_closes_a_card_in_the_browser(page, live_server, board_data,
                                                            sign_in, shoot):
    sign_in(page, "supervisor", PASSWORD)
    page.goto(f"{live_server.url}/staff/supervision/")
    page.locator("#cards .card-chip.red").first.click()
    assert "督改〔2026〕" in page.content()
    shoot(page, "supervision-card")
    href = page.get_by_role("link", name="(PDF)").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{href}")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    letter = shoot.folder / "supervision-letter.pdf"
    letter.write_bytes(pdf.body())
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", str(letter),
                    str(shoot.folder / "supervision-letter")], check=True)
    text = subprocess.run(["pdftotext", str(letter), "-"], capture_output=True, text=True,
                          check=True).stdout
    letter.unlink()
    assert "电子监察整改通知书" in text
    assert "督改〔2026〕" in text and "深圳市市场监督管理局" in text
    page.locator("form[data-action=close] textarea").fill("已督促办结,整改到位")
    with page.expect_navigation():
        page.get_by_role("button", name="销牌").click()
    assert "已销牌" in page.locator(".messages").inner_text()
