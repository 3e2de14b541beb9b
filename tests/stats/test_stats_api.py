"""The statistics API: the dashboard's figures and tables as JSON, scoped like the page."""

import pytest

from servicehall.accounts.choices import Role
from tests.stats.conftest import _signed_in

pytestmark = pytest.mark.django_db


def test_the_year_figures_and_tables_for_a_leader(client, history, leader,
                                                  django_assert_max_num_queries):
    _signed_in(client, leader)
    with django_assert_max_num_queries(19):
        response = client.get("/api/v1/stats/figures", {"kind": "year", "year": 2026})
    assert response.status_code == 200
    body = response.json()
    assert body["period_start"] == "2026-01-01" and body["period_end"] == "2026-12-31"
    assert body["figures"]["受理量"] == "4"
    titles = [t["title"] for t in body["tables"]]
    assert "月度趋势" in titles and "进驻单位" in titles
    trend = next(t for t in body["tables"] if t["title"] == "月度趋势")
    assert ["2026-09", 2, 2, 0, 0, 0] in trend["rows"]


def test_a_month_narrowed_to_a_department(client, history, leader, department_b):
    _signed_in(client, leader)
    body = client.get("/api/v1/stats/figures", {"kind": "month", "year": 2026, "n": 10,
                                                "department": department_b.pk}).json()
    assert body["period_start"] == "2026-10-01" and body["figures"]["受理量"] == "1"


def test_bad_filters_are_structured_errors(client, history, leader):
    _signed_in(client, leader)
    response = client.get("/api/v1/stats/figures", {"kind": "quarter", "year": 2026, "n": 7})
    assert response.status_code == 422 and response.json()["fields"] == {"n": ["季度为1至4。"]}
    response = client.get("/api/v1/stats/figures", {"kind": "decade"})
    assert response.status_code == 422 and "kind" in response.json()["fields"]
    response = client.get("/api/v1/stats/figures", {"department": 999999})
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_window_staff_may_not_read_the_statistics(client, make_user):
    _signed_in(client, make_user(Role.WINDOW_STAFF, username="w1"))
    response = client.get("/api/v1/stats/figures")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    client.logout()
    assert client.get("/api/v1/stats/figures").status_code == 401


def test_the_window_staff_table_counts_each_receiving_clerk(client, history, leader,
                                                            clerk):
    _signed_in(client, leader)
    body = client.get("/api/v1/stats/figures", {"kind": "year", "year": 2026}).json()
    staff = next(t for t in body["tables"] if t["title"] == "窗口人员受理量")
    assert staff["header"][:3] == ["工作人员", "收件", "占比(%)"]
    assert staff["rows"] == [[str(clerk), 4, "100", 4, 1, 0]]
