"""The foundation's pages in a real browser: guide list, item page, login, staff desk."""

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hall(center, department_a, department_b, make_item, reviewer_a):
    from servicehall.catalog.services import theme_ensure

    theme_ensure(center=center, name="开办企业", audience="enterprise", by=None)
    make_item(department_a, "SCJG-0001", theme_names=["开办企业"])
    make_item(department_a, "SCJG-0002", main_item="特种设备使用登记", processing_type="immediate",
              promised_limit=0, legal_limit=15, steps=[])
    make_item(department_b, "GAJJ-0001", main_item="机动车登记")
    return center


def test_guide_list_shows_items_and_filters_by_department(page, live_server, hall, shoot):
    page.goto(f"{live_server.url}/guide/")
    assert page.locator("h1").inner_text() == "查找办事事项"
    page.get_by_role("link", name="全部事项(按部门排列)").click()
    assert page.locator(".item-list li").count() == 3
    page.goto(f"{live_server.url}/guide/")
    page.locator(".department-grid").get_by_role("link", name="市场监管局").click()
    page.wait_for_url("**/guide/departments/SCJG/*")
    assert page.locator(".item-list li").count() == 2
    page.fill("input[type=search]", "特种设备")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=*")
    assert page.locator(".item-list li").count() == 1
    shoot(page, "guide-list")


def test_item_page_shows_materials_flow_and_due_date(page, live_server, hall, shoot):
    page.goto(f"{live_server.url}/guide/?all=1")
    page.get_by_role("link", name="食品经营许可(新办)").click()
    assert page.locator("h1").inner_text() == "食品经营许可(新办)"
    assert page.locator("table tbody tr").count() == 3
    assert page.locator(".flow .step").count() == 3
    assert "受理,办结期限为" in page.locator(".fact.highlight").inner_text()
    shoot(page, "guide-item")


def test_login_page_refuses_a_wrong_password_in_chinese(page, live_server, hall, shoot,
                                                         sign_in):
    with page.expect_navigation():
        sign_in(page, "reviewer_a", "wrong-password")
    error = page.locator(".errorlist.nonfield").inner_text()
    assert "用户名或密码错误" in error and "4" in error
    shoot(page, "login-refused")


def test_staff_desk_after_sign_in_shows_role_navigation(page, live_server, hall, shoot,
                                                         sign_in):
    page.goto(f"{live_server.url}/login/")
    shoot(page, "login")
    sign_in(page, "reviewer_a", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    assert "部门审核人员" in page.locator(".topbar").inner_text()
    nav = page.locator(".sidenav").inner_text()
    assert "事项目录" in nav and "审计日志" not in nav
    shoot(page, "staff-home")
    page.locator(".sidenav").get_by_role("link", name="事项目录").click()
    assert page.locator("tbody tr").count() == 2  # only 市场监管局's items
    shoot(page, "staff-items")
