"""Every other staff page in a real browser, as the role that uses it."""

import pytest

from servicehall.accounts.choices import Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hall(center, department_a, department_b, make_item, reviewer_a, business_section,
         make_user):
    from servicehall.catalog.services import window_save

    make_item(department_a, "SCJG-0001")
    make_item(department_b, "GAJJ-0001", main_item="机动车登记")
    window_save(center=center, number="1", department=department_a, name="市场监管局", by=None)
    window_save(center=center, number="2", served_departments=[department_a, department_b],
                name="综合受理窗", by=None)
    make_user(Role.SUPERVISION_SECTION, username="supervision")
    return center


def test_reviewer_edits_an_item_and_sees_the_new_version(page, live_server, hall, sign_in,
                                                         shoot):
    sign_in(page, "reviewer_a", PASSWORD)
    page.goto(f"{live_server.url}/staff/catalog/items/SCJG-0001/edit/")
    shoot(page, "staff-item-edit")
    page.fill("input[name=promised_limit]", "6")
    page.fill("input[name=change_note]", "压缩承诺时限")
    page.click("button[type=submit].primary")
    page.wait_for_url("**/history/")
    assert "已发布第2版" in page.locator(".messages").inner_text()
    assert "promised_limit" in page.locator("main").inner_text()
    shoot(page, "staff-item-history")


def test_edit_with_an_invalid_limit_shows_the_error_and_keeps_the_input(page, live_server,
                                                                       hall, sign_in, shoot):
    sign_in(page, "reviewer_a", PASSWORD)
    page.goto(f"{live_server.url}/staff/catalog/items/SCJG-0001/edit/")
    page.fill("input[name=promised_limit]", "30")
    page.fill("input[name=change_note]", "试错")
    with page.expect_navigation():
        page.click("button[type=submit].primary")
    shoot(page, "staff-item-edit-error")
    assert "承诺时限不能超过法定时限" in page.locator("main").inner_text()
    assert page.input_value("input[name=promised_limit]") == "30"
    shoot(page, "staff-item-edit-error")


def test_departments_and_windows_page(page, live_server, hall, sign_in, shoot):
    sign_in(page, "business", PASSWORD)
    page.goto(f"{live_server.url}/staff/catalog/departments/")
    text = page.locator("main").inner_text()
    assert "综合受理窗" in text and "市场监管局、公安交警局" in text
    shoot(page, "staff-departments")


def test_import_page_reports_a_bad_file(page, live_server, hall, sign_in, shoot, tmp_path):
    bad = tmp_path / "catalog.xlsx"
    bad.write_text("not a workbook")
    sign_in(page, "business", PASSWORD)
    page.goto(f"{live_server.url}/staff/catalog/import/")
    page.set_input_files("input[type=file]", str(bad))
    with page.expect_navigation():
        page.click("button[type=submit].primary")
    assert page.locator(".errorlist.nonfield").count() == 1
    shoot(page, "staff-import-error")


def test_business_section_marks_a_local_rest_day_on_the_calendar(page, live_server, hall,
                                                                  sign_in, shoot):
    sign_in(page, "business", PASSWORD)
    page.goto(f"{live_server.url}/staff/calendar/?year=2026")
    assert page.locator(".month").count() == 12
    page.fill("input[name=date]", "2026-06-02")
    page.select_option("select[name=is_working]", "0")
    page.fill("input[name=note]", "地方休息日")
    page.click("form[action$='/calendar/day/'] button[type=submit]")
    assert "2026-06-02" in page.locator(".messages").inner_text()
    assert "rest" in page.locator("td[title^='2026-06-02']").get_attribute("class")
    shoot(page, "staff-calendar")


def test_supervision_reads_the_audit_log(page, live_server, hall, sign_in, shoot):
    sign_in(page, "supervision", PASSWORD)
    page.goto(f"{live_server.url}/staff/audit/")
    assert page.locator("tbody tr").count() >= 1
    assert "accounts.login" in page.locator("tbody").inner_text()
    shoot(page, "staff-audit")


def test_reviewer_cannot_open_the_audit_log(page, live_server, hall, sign_in):
    sign_in(page, "reviewer_a", PASSWORD)
    response = page.goto(f"{live_server.url}/staff/audit/")
    assert response.status == 403
    assert "无权" in page.locator("main").inner_text()


def test_api_docs_render_offline(page, live_server, hall, shoot):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".swagger-ui .info")
    assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requests)
    shoot(page, "api-docs")


def test_unknown_page_is_a_chinese_404(page, live_server, hall, shoot):
    response = page.goto(f"{live_server.url}/guide/items/NO-SUCH/")
    assert response.status == 404
    assert "页面不存在" in page.locator("main").inner_text()
    shoot(page, "not-found")
