"""The dashboard, its Excel export and the period report, with pinned query counts."""

import io
from datetime import date, time

import pytest
from openpyxl import load_workbook

from servicehall.accounts.choices import Role
from servicehall.cases.services import case_decide, case_intake
from servicehall.core import businessday
from tests.cases.conftest import PERSON
from tests.stats.conftest import _signed_in

pytestmark = pytest.mark.django_db


def test_dashboard_shows_the_figures_charts_and_tables_for_a_leader(
        client, history, leader, django_assert_max_num_queries):
    _signed_in(client, leader)
    with django_assert_max_num_queries(19):  # + the online hall (2) and the staff table (2)
        response = client.get("/staff/stats/?kind=year&year=2026")
    page = response.content.decode()
    assert response.status_code == 200
    assert "2026年,大厅业务受理总量为4件" in page
    assert "即办件1件,占业务总量的25%" in page
    assert 'id="chart-heat"' in page and "vendor/echarts/echarts.min.js" in page
    assert "市场监管局" in page and "公安交警局" in page


def test_filters_narrow_the_figures_to_a_department_and_a_month(client, history, leader,
                                                                department_b):
    _signed_in(client, leader)
    page = client.get(f"/staff/stats/?kind=month&year=2026&n=10&department={department_b.pk}"
                      ).content.decode()
    assert "2026年10月,大厅业务受理总量为1件" in page


def test_every_table_exports_to_one_workbook(client, history, leader):
    _signed_in(client, leader)
    response = client.get("/staff/stats/export.xlsx?kind=quarter&year=2026&n=4")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 8
    figures = {row[0]: row[1] for row in book.worksheets[0].iter_rows(min_row=3,
                                                                       values_only=True)}
    assert figures["受理量"] == "2"


def test_report_page_and_pdf(client, history, leader, django_assert_max_num_queries):
    _signed_in(client, leader)
    with django_assert_max_num_queries(19):
        page = client.get("/staff/stats/report/?kind=year&year=2026").content.decode()
    assert "2026年大厅业务统计报告" in page
    pdf = client.get("/staff/stats/report.pdf?kind=quarter&year=2026&n=3")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_window_staff_cannot_open_the_statistics(client, history, clerk):
    _signed_in(client, clerk)
    assert client.get("/staff/stats/").status_code == 403


def test_a_chief_representative_sees_only_their_department(client, history, make_user,
                                                          department_b):
    chief = make_user(Role.CHIEF_REPRESENTATIVE, department=department_b, username="chief")
    _signed_in(client, chief)
    page = client.get("/staff/stats/?kind=year&year=2026").content.decode()
    assert "2026年,大厅业务受理总量为1件" in page
    assert "市场监管局" not in page


def test_the_anomaly_band_is_a_setting(client, history, leader, settings):
    settings.STATS_ANOMALY_BAND = "0.5"
    _signed_in(client, leader)
    assert "±50%" in client.get("/staff/stats/?kind=year&year=2026").content.decode()


def test_the_online_hall_figures_show_on_the_dashboard_and_in_the_workbook(
        client, immediate_item, clerk, superuser, leader):
    from servicehall.catalog.models import ItemVersion

    ItemVersion.objects.filter(pk=immediate_item.current_version_id).update(online_depth=4)
    with businessday.replaying(date(2026, 10, 13), time(10, 0)):
        for channel in ("online", "online", "window", "api"):
            case = case_intake(item=immediate_item, applicant=PERSON, by=clerk, channel=channel,
                               received={m.pk for m in
                                         immediate_item.current_version.materials.all()})
            if channel != "api":
                case_decide(case=case, decision="approved", note="", by=superuser)
    _signed_in(client, leader)
    page = client.get("/staff/stats/?kind=year&year=2026").content.decode()
    online = page[page.index('id="online-hall"'):]
    online = online[:online.index("</section>")]
    assert 'id="chart-online"' in online and "上网办理率" in online
    assert "3 / 4" not in online  # the basis is spelled out, not a fraction
    book = load_workbook(io.BytesIO(client.get(
        "/staff/stats/export.xlsx?kind=year&year=2026").content))
    rows = {row[0]: row[1:] for row in book.worksheets[6].iter_rows(min_row=3,
                                                                     values_only=True)}
    fully_online = [v for k, v in rows.items() if "全流程" in k][0]
    assert fully_online[0] == "100"  # the only item is fully online
    assert rows["上网办理率(%)"][0] == "75"  # 3 of 4 applications online or over the API
    assert rows["网上办结率(%)"][0] == "66.67"  # 2 of the 3 completed
    assert rows["网上申办事项零跑动占比(%)"][0] == "100"  # both completed online, no visit
    assert rows["网上申办事项最多跑一次占比(%)"][0] == "100"
    assert rows["全部办件零跑动占比(%)"][0] == "66.67"  # 2 of 3 completed cases
