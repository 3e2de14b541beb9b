"""An applicant applies online with an upload, saves the draft and submits; the department's
reviewer pre-accepts it at /staff/online/; the applicant sees the status change and downloads
the acceptance receipt."""

import pytest

from servicehall.accounts.choices import Role
from tests.factories import PASSWORD
from tests.online.conftest import PDF

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hall(center, department_a, make_item, reviewer_a, make_user, settings, tmp_path):
    settings.ONLINE_PRIVATE_DIR = tmp_path / "private"
    make_item(department_a, "SCJG-0101", online_depth=4, max_visits=0,
              delivery_modes=["window", "online", "post"])
    make_user(Role.APPLICANT, center=None, username="sunli", full_name="孙丽",
              phone="13800138000", id_number="11010519491231002X")
    return center


def _upload(page, row: int, name: str):
    form = page.locator("#materials tbody tr").nth(row).locator("form.upload")
    form.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": PDF})
    with page.expect_navigation():
        form.get_by_role("button", name="上传").click()
    assert name in page.locator("#materials").inner_text()


def test_apply_online_pre_accept_and_download_the_receipt(page, chromium, live_server, hall,
                                                          sign_in, shoot):
    sign_in(page, "sunli", PASSWORD)
    page.goto(f"{live_server.url}/my/apply/SCJG-0101/")
    assert "食品经营许可申请书" in page.content()
    shoot(page, "online-apply-start")
    with page.expect_navigation():
        page.click("#start")
    assert "草稿" in page.locator("#status").inner_text()
    _upload(page, 0, "申请书.pdf")
    page.check("input[name=delivery_mode][value=online]")
    page.fill("textarea[name=remarks]", "请电子送达")
    with page.expect_navigation():
        page.get_by_role("button", name="保存草稿").click()
    assert "草稿已保存" in page.locator(".messages").inner_text()
    url = page.url
    page.goto(f"{live_server.url}/my/applications/")  # leave and come back
    assert "食品经营许可" in page.locator("table").inner_text()
    shoot(page, "online-my-applications")
    page.goto(url)
    assert page.input_value("textarea[name=remarks]") == "请电子送达"
    assert page.is_checked("input[name=delivery_mode][value=online]")
    with page.expect_navigation():
        page.get_by_role("button", name="提交预审").click()
    assert "营业执照复印件" in page.locator("#submit-problems").inner_text()  # still missing
    _upload(page, 1, "营业执照.pdf")
    shoot(page, "online-apply")
    with page.expect_navigation():
        page.get_by_role("button", name="提交预审").click()
    assert "已提交" in page.locator("#status").inner_text()

    staff = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    desk = staff.new_page()
    sign_in(desk, "reviewer_a", PASSWORD)
    desk.goto(f"{live_server.url}/staff/online/")
    assert "孙丽" in desk.locator("table").inner_text()
    shoot(desk, "online-queue")
    desk.locator("table a").first.click()
    assert "营业执照.pdf" in desk.locator("#files").inner_text()
    shoot(desk, "online-prereview")
    with desk.expect_navigation():
        desk.get_by_role("button", name="预受理并登记办件").click()
    assert "已登记办件" in desk.locator(".messages").inner_text()
    staff.close()

    page.reload()
    assert "已预受理" in page.locator("#status").inner_text()
    assert "办理中" in page.locator("#case-result").inner_text()  # the case's own status
    shoot(page, "online-pre-accepted")
    href = page.locator("#receipt").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{href}")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
