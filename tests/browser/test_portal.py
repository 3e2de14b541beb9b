"""An applicant registers in the online hall with an SMS code, signs in, finds their case,
opens it and downloads the receipt; the same home page in the elderly-friendly mode and on
a phone; an enterprise registers and authorises an agent."""

import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Portal-2026-pw"
PHONE = "13800138001"


@pytest.fixture
def hall(center, department_a, make_item, make_user):
    from servicehall.accounts.choices import Role

    item = make_item(department_a, "SCJG-0001")
    clerk = make_user(Role.WINDOW_STAFF, username="clerk")
    return item, clerk


def _sms_code(phone: str) -> str:
    from servicehall.core.models import OutboxMessage

    message = (OutboxMessage.objects.filter(recipient=phone, event="accounts.verification_code")
               .order_by("-pk").first())
    return re.search(r"(?<!\d)\d{6}(?!\d)", message.body).group(0)


def _file_case(item, clerk, user, *, complete=True):
    from servicehall.cases.services import Applicant, case_intake

    materials = item.current_version.materials.all()
    received = {m.pk for m in materials if complete or m.is_key}
    return case_intake(item=item, by=clerk, account=user, received=received,
                       applicant=Applicant(kind="person", name="孙丽",
                                           id_number="11010519491231002X", phone=PHONE))


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_an_applicant_registers_signs_in_and_downloads_the_receipt(
        page, live_server, hall, shoot, chromium):
    from servicehall.accounts.models import User

    item, clerk = hall
    page.goto(f"{live_server.url}/guide/")
    page.get_by_role("link", name="注册").click()
    page.fill("input[name=name]", "孙丽")
    page.fill("input[name=id_number]", "11010519491231002X")
    page.fill("input[name=mobile]", PHONE)
    with page.expect_navigation():
        page.get_by_role("button", name="获取短信验证码").click()
    assert "验证码已发送至138****8001" in page.locator(".messages").inner_text()
    assert page.input_value("input[name=id_number]") == "11010519491231002X"
    page.fill("input[name=code]", _sms_code(PHONE))
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    shoot(page, "portal-register")
    with page.expect_navigation():
        page.get_by_role("button", name="注册", exact=True).click()
    assert page.url.endswith("/my/") and "孙丽,您好" in page.locator("h1").inner_text()

    # Sign out, then in again with the mobile number: the applicant lands on /my/.
    with page.expect_navigation():
        page.get_by_role("button", name="退出").click()
    page.goto(f"{live_server.url}/my/login/")
    page.fill("input[name=username]", PHONE)
    page.fill("input[name=password]", PASSWORD)
    shoot(page, "portal-login")
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    assert page.url.endswith("/my/")

    user = User.objects.get(username=PHONE)
    case = _file_case(item, clerk, user)
    waiting = _file_case(item, clerk, user, complete=False)
    page.reload()
    assert page.locator(".my-stats .stat").nth(1).locator("b").inner_text() == "1"
    assert "/my/applications/" in page.get_by_role("link", name="我的申请").first.get_attribute(
        "href")
    shoot(page, "portal-home")

    page.get_by_role("link", name="我的办件").first.click()
    assert page.locator("table.my-cases tbody tr").count() == 2
    shoot(page, "portal-cases")
    page.get_by_role("link", name=waiting.number).click()
    assert "营业执照复印件" in page.locator("#needed").inner_text()
    page.goto(f"{live_server.url}/my/cases/{case.number}/")
    assert "办理中" in page.locator(".facts").inner_text()
    assert "受理" in page.locator(".timeline").inner_text()
    shoot(page, "portal-case")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("承诺件通知书")).click()
    download = download_info.value
    path = shoot.folder / "portal-receipt.pdf"
    download.save_as(path)
    assert download.suggested_filename == f"{case.number}-promised.pdf"
    assert path.read_bytes().startswith(b"%PDF")
    path.unlink()

    # Elderly-friendly mode: large type, the switch is remembered on every public page.
    page.goto(f"{live_server.url}/my/")
    page.get_by_role("link", name="长辈版").click()
    page.wait_for_url(re.compile(r"/my/$"))
    size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert size >= 20
    assert page.get_by_role("link", name="标准版").is_visible()
    shoot(page, "portal-home-elderly")
    page.goto(f"{live_server.url}/my/cases/{case.number}/")
    shoot(page, "portal-case-elderly")
    page.goto(f"{live_server.url}/guide/")
    assert page.evaluate("document.documentElement.classList.contains('elderly')")
    shoot(page, "portal-guide-elderly")

    # A phone: the same pages at 390×844 without sideways scrolling.
    phone = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                 device_scale_factor=2, is_mobile=True, has_touch=True)
    phone.add_cookies(page.context.cookies())
    mobile = phone.new_page()
    mobile.goto(f"{live_server.url}/my/")
    assert _no_sideways_scroll(mobile)
    shoot(mobile, "portal-home-phone-elderly")
    phone.clear_cookies(name="display_mode")
    mobile.reload()
    assert _no_sideways_scroll(mobile)
    shoot(mobile, "portal-home-phone")
    mobile.goto(f"{live_server.url}/my/cases/")
    assert _no_sideways_scroll(mobile)
    shoot(mobile, "portal-cases-phone")
    mobile.goto(f"{live_server.url}/my/cases/{case.number}/")
    assert _no_sideways_scroll(mobile)
    shoot(mobile, "portal-case-phone")
    phone.close()


def test_an_enterprise_registers_and_authorises_an_agent(page, live_server, center, shoot):
    page.goto(f"{live_server.url}/my/register/enterprise/")
    page.fill("input[name=name]", "深圳市示例科技有限公司")
    page.fill("input[name=credit_code]", "91350100M000100Y44")
    page.fill("input[name=legal_representative]", "陈刚")
    page.fill("input[name=mobile]", "13700137003")
    with page.expect_navigation():
        page.get_by_role("button", name="获取短信验证码").click()
    page.fill("input[name=code]", _sms_code("13700137003"))
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="注册", exact=True).click()
    assert "统一社会信用代码校验位错误" in page.locator("form#register").inner_text()
    shoot(page, "portal-register-enterprise-error")
    page.fill("input[name=credit_code]", "91350100M000100Y43")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="注册", exact=True).click()
    assert page.url.endswith("/my/") and "企业账户" in page.locator("main").inner_text()

    page.get_by_role("link", name="账户资料").click()
    form = page.locator("form#agent-form")
    form.locator("input[name=name]").fill("李明")
    form.locator("input[name=id_number]").fill("440308199901011234")
    form.locator("input[name=mobile]").fill("13500135000")
    with page.expect_navigation():
        form.get_by_role("button", name="添加").click()
    agents = page.locator("#agents table").inner_text()
    assert "李明" in agents and "4403**********1234" in agents and "已授权" in agents
    shoot(page, "portal-profile-enterprise")
    with page.expect_navigation():
        page.get_by_role("button", name="撤销授权").click()
    assert "已撤销" in page.locator("#agents table").inner_text()
