"""Finding a service in the public guide: a colloquial phrase, a theme, a phone."""

import pytest

from servicehall.catalog.elements import MaterialSpec

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def guide(center, department_a, department_b, make_item, business_section):
    from servicehall.catalog import services

    for name, audience in (("开办企业", "enterprise"), ("工程建设", "enterprise"),
                           ("户籍办理", "person"), ("交通出行", "person")):
        services.theme_ensure(center=center, name=name, audience=audience, by=None)
    make_item(department_a, "SCJG-0001", sub_item="餐饮服务", theme_names=["开办企业"],
              keywords=["饭店", "餐馆"])
    make_item(department_a, "SCJG-0002", sub_item="食品销售", theme_names=["开办企业"],
              keywords=["超市"])
    make_item(department_a, "SCJG-0003", main_item="公司登记", theme_names=["开办企业"],
              conditions="一、有符合规定的名称。",
              materials=[MaterialSpec(name="公司登记申请书", is_key=True),
                         MaterialSpec(name="食品经营许可证复印件(经营食品的)")])
    make_item(department_b, "GAJJ-0001", main_item="机动车登记", theme_names=["交通出行"],
              conditions="车辆检验合格。",
              materials=[MaterialSpec(name="机动车来历证明", is_key=True)])
    for phrase, terms in (("开饭店", ["食品经营许可", "餐饮服务"]), ("开公司", ["公司登记"]),
                          ("新车上牌", ["机动车登记"])):
        services.synonym_save(center=center, phrase=phrase, terms=terms, by=business_section)
    return center


def test_a_colloquial_phrase_finds_the_food_licence(page, live_server, guide, shoot):
    page.goto(f"{live_server.url}/guide/")
    shoot(page, "guide-home")
    page.fill("input[type=search]", "开饭店")
    page.keyboard.press("Enter")
    page.wait_for_url("**/guide/search/?*q=*")
    first = page.locator(".item-list li").first
    assert "食品经营许可(餐饮服务)(新办)" in first.inner_text()
    assert first.locator("mark").first.inner_text() == "食品经营许可"
    synonyms = page.locator(".synonyms").inner_text()
    assert "已按“开饭店”同时查找了“食品经营许可、餐饮服务”" in synonyms
    shoot(page, "guide-search-results")
    first.get_by_role("link").click()
    page.wait_for_url("**/guide/items/SCJG-0001/*")
    assert page.locator("h1").inner_text() == "食品经营许可(餐饮服务)(新办)"


def test_nothing_found_gives_help(page, live_server, guide, shoot):
    page.goto(f"{live_server.url}/guide/search/?q=量子计算机")
    help_box = page.locator(".empty-state")
    assert "没有找到与“量子计算机”相关的事项" in help_box.inner_text()
    help_box.get_by_role("link", name="开饭店").click()
    page.wait_for_url("**q=*")
    assert page.locator(".item-list li").count() >= 2
    page.goto(f"{live_server.url}/guide/search/?q=量子计算机")
    shoot(page, "guide-search-empty")


def test_browse_a_theme_then_search_within_it(page, live_server, guide, shoot):
    page.goto(f"{live_server.url}/guide/")
    theme = page.locator(".theme-grid a", has_text="开办企业")
    assert "3 项" in theme.inner_text()
    theme.click()
    page.wait_for_url("**/guide/themes/**")
    assert page.locator("h1").inner_text() == "开办企业"
    assert page.locator(".item-list li").count() == 3
    shoot(page, "guide-theme")
    page.fill("input[type=search]", "公司")
    page.keyboard.press("Enter")
    page.wait_for_url("**/guide/themes/**q=*")
    assert page.locator(".item-list li").count() == 1
    assert "仅在“开办企业”中查找" in page.locator(".search-hero").inner_text()


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                   is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_search_and_browse_on_a_phone(phone, live_server, guide, shoot):
    phone.goto(f"{live_server.url}/guide/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the home page scrolls sideways ({width}px)"
    shoot(phone, "guide-home-phone")
    phone.fill("input[type=search]", "新车上牌")
    phone.locator(".guide-search button").tap()
    phone.wait_for_url("**q=*")
    assert "机动车登记" in phone.locator(".item-list li").first.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(phone, "guide-search-phone")
    phone.goto(f"{live_server.url}/guide/")
    phone.locator(".theme-grid a", has_text="交通出行").tap()
    phone.wait_for_url("**/guide/themes/**")
    shoot(phone, "guide-theme-phone")
