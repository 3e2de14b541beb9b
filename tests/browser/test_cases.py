"""A window accepts a case in the browser; the department's reviewer suspends, resumes and
decides it."""

import subprocess

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hall(center, department_a, make_item, reviewer_a, make_user):
    from servicehall.accounts.choices import Role

    make_item(department_a, "SCJG-0001")
    make_user(Role.WINDOW_STAFF, username="clerk")
    return center


def test_window_accepts_a_case_and_opens_its_notice(page, live_server, hall, sign_in, shoot):
    sign_in(page, "clerk", PASSWORD)
    page.goto(f"{live_server.url}/staff/cases/new/")
    page.fill("input[name=q]", "食品")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="食品经营许可(新办)").click()
    page.fill("input[name=name]", "孙丽")
    page.fill("input[name=id_number]", "11010519491231002X")
    page.fill("input[name=phone]", "13800138000")
    boxes = page.locator("input[name=received]")
    boxes.nth(0).check()
    assert "补齐" in page.locator("#proposal").inner_text()
    boxes.nth(1).check()
    assert "予以受理" in page.locator("#proposal").inner_text()
    shoot(page, "case-intake")
    with page.expect_navigation():
        page.get_by_role("button", name="登记办件").click()
    assert "已登记" in page.locator(".messages").inner_text()
    assert "承诺件" in page.locator(".facts").inner_text()
    shoot(page, "case-page")
    href = page.get_by_role("link", name="通知书(PDF)").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{href}")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    receipt = shoot.folder / "case-receipt.pdf"
    receipt.write_bytes(pdf.body())
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", str(receipt),
                    str(shoot.folder / "case-receipt")], check=True)
    text, fonts = (subprocess.run([tool, str(receipt), *extra], capture_output=True,
                                  text=True, check=True).stdout
                   for tool, extra in (("pdftotext", ["-"]), ("pdffonts", [])))
    receipt.unlink()
    assert "承诺件通知书" in text and "孙丽" in text  # real Chinese text, not boxes
    assert "WenQuanYi" in fonts


def _act(page, action: str, **fields):
    form = page.locator(f"form[data-action={action}]")
    for name, value in fields.items():
        control = form.locator(f"[name='{action}-{name}']")
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator(".messages .error").count() == 0, page.locator(".messages").inner_text()


def test_reviewer_takes_the_case_through_its_steps_and_decides(page, live_server, hall,
                                                               sign_in, shoot, item_a_case):
    sign_in(page, "reviewer_a", PASSWORD)
    page.goto(f"{live_server.url}/staff/cases/?queue=department")
    page.get_by_role("link", name=item_a_case.number).click()
    _act(page, "step_take")
    assert "审核" in page.locator(".steps li.active").inner_text()
    _act(page, "suspend", kind="expert_review", reason="组织专家评审")
    assert "特别程序中" in page.locator(".facts").inner_text()
    _act(page, "resume")
    _act(page, "step_complete", opinion="材料齐全,符合条件,同意")
    shoot(page, "case-steps")
    assert "办结" in page.locator(".steps li.active").inner_text()
    _act(page, "decide", decision="approved", certificate_number="JY14403000012345")
    assert "已办结" in page.locator(".facts").inner_text()
    timeline = page.locator(".timeline").inner_text()
    for event in ("领取环节", "完成环节", "作出决定"):
        assert event in timeline
    shoot(page, "case-decided")
    page.goto(f"{live_server.url}/staff/cases/?queue=mine")
    assert item_a_case.number not in page.locator("table").inner_text()  # done: off the desk


def test_an_applicant_follows_the_qr_code_and_sees_the_progress(page, live_server, hall, shoot,
                                                                item_a_case):
    from django.core.cache import cache

    cache.clear()
    page.goto(f"{live_server.url}/progress/{item_a_case.number}/")
    page.fill("input[name=id_tail]", "31002x")
    with page.expect_navigation():
        page.get_by_role("button", name="查询").click()
    progress = page.locator("#progress").inner_text()
    assert "办理中" in progress and "食品经营许可" in progress
    assert "11010519491231002X" not in page.content()
    shoot(page, "case-progress")


@pytest.fixture
def item_a_case(hall, item_a_code="SCJG-0001"):
    from servicehall.accounts.models import User
    from servicehall.cases.services import case_intake
    from servicehall.catalog.models import ServiceItem
    from tests.cases.conftest import PERSON

    item = ServiceItem.objects.get(code=item_a_code)
    return case_intake(item=item, applicant=PERSON,
                       received={m.pk for m in item.current_version.materials.all()},
                       by=User.objects.get(username="clerk"))
