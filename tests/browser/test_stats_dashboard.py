"""A center leader opens the statistics dashboard: the figures, the four charts drawn by
ECharts from the local static files, and the tables under them."""

import subprocess
from datetime import date, time

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def year_of_cases(center, department_a, department_b, make_item, make_user):
    from servicehall.accounts.choices import Role
    from servicehall.cases.services import case_decide, case_intake
    from servicehall.core import businessday
    from tests.cases.conftest import PERSON

    clerk = make_user(Role.WINDOW_STAFF, username="clerk")
    make_user(Role.CENTER_LEADER, username="leader")
    boss = make_user(Role.CENTER_ADMIN, username="root", is_superuser=True)
    items = [make_item(department_a, "SCJG-0001"),
             make_item(department_b, "GAJJ-0001", main_item="机动车登记", kind="license")]
    for n, (month, day) in enumerate([(m, d) for m in (3, 5, 6, 9, 10) for d in (9, 10, 11)]):
        item = items[n % 3 == 0]
        with businessday.replaying(date(2026, month, day), time(9 + n % 8, 15)):
            case = case_intake(item=item, applicant=PERSON, by=clerk, received={
                m.pk for m in item.current_version.materials.all()})
            if n % 2:
                while case.steps.filter(status="waiting").exists():
                    from servicehall.cases.services import case_step_complete
                    case = case_step_complete(case=case, opinion="同意", by=boss)
                case_decide(case=case, decision="approved", note="", by=boss)
    return center


def test_leader_sees_the_dashboard_with_charts_and_tables(page, live_server, year_of_cases,
                                                         sign_in, shoot):
    sign_in(page, "leader", PASSWORD)
    page.goto(f"{live_server.url}/staff/stats/?kind=year&year=2026")
    assert "大厅业务受理总量为15件" in page.locator("#paragraph").inner_text()
    for chart in ("trend", "ranking", "on-time", "heat"):
        page.locator(f"#chart-{chart} svg").first.wait_for()
        assert page.locator(f"#chart-{chart} svg path, #chart-{chart} svg rect").count() > 3
    assert page.locator("table.stats-table").count() >= 5
    assert "统计分析" in page.locator("nav.sidenav").inner_text()
    shoot(page, "stats-dashboard")
    with page.expect_download() as download:
        page.get_by_role("link", name="全部数据表导出 Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_annual_report_pdf_is_chinese_with_the_paragraph(page, live_server, year_of_cases,
                                                         sign_in, shoot):
    sign_in(page, "leader", PASSWORD)
    page.goto(f"{live_server.url}/staff/stats/report/?kind=year&year=2026")
    shoot(page, "stats-report")
    href = page.get_by_role("link", name="统计报告(PDF)").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{href}")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    report = shoot.folder / "stats-report.pdf"
    report.write_bytes(pdf.body())
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile",
                    str(report), str(shoot.folder / "stats-report-pdf")], check=True)
    text, fonts = (subprocess.run([tool, str(report), *extra], capture_output=True,
                                  text=True, check=True).stdout
                   for tool, extra in (("pdftotext", ["-"]), ("pdffonts", [])))
    report.unlink()
    assert "2026年大厅业务统计报告" in text and "大厅业务受理总量为15件" in text
    assert "WenQuanYi" in fonts


def test_the_online_hall_rates_show_as_a_chart_and_a_table(page, live_server, year_of_cases,
                                                          sign_in, shoot):
    from servicehall.accounts.models import User
    from servicehall.cases.services import case_decide, case_intake
    from servicehall.catalog.models import ServiceItem
    from servicehall.core import businessday
    from tests.cases.conftest import PERSON

    item = ServiceItem.objects.get(code="SCJG-0001")
    boss, clerk = User.objects.get(username="root"), User.objects.get(username="clerk")
    for n, channel in enumerate(["online", "online", "api", "online"]):
        with businessday.replaying(date(2026, 11, 10 + n), time(10, 0)):
            case = case_intake(item=item, applicant=PERSON, by=clerk, channel=channel,
                               received={m.pk for m in item.current_version.materials.all()})
            if n % 2 == 0:
                from servicehall.cases.services import case_step_complete
                while case.steps.filter(status="waiting").exists():
                    case = case_step_complete(case=case, opinion="同意", by=boss)
                case_decide(case=case, decision="approved", note="", by=boss)
    sign_in(page, "leader", PASSWORD)
    page.goto(f"{live_server.url}/staff/stats/?kind=year&year=2026")
    section = page.locator("#online-hall")
    section.locator("#chart-online svg").first.wait_for()
    assert section.locator("svg path, svg rect").count() > 3
    text = section.inner_text()
    assert "上网办理率" in text and "网上申办事项零跑动占比" in text
    assert "19件申请中4件" in text  # 15 window applications and 4 online ones
    section.scroll_into_view_if_needed()
    section.screenshot(path=str(shoot.folder / "stats-online-hall.png"))
