"""Query counts of the staff list pages stay flat as the data grows."""

import pytest

from servicehall.accounts.choices import Role
from servicehall.catalog.services import window_save
from servicehall.core import audit

pytestmark = pytest.mark.django_db


def test_audit_page_query_count_is_pinned(client, center, make_user,
                                          django_assert_max_num_queries):
    reader = make_user(Role.SUPERVISION_SECTION)
    for n in range(60):
        audit.record(f"test.action_{n}", center=center, by=reader, changes={"n": [n, n + 1]})
    client.force_login(reader)
    with django_assert_max_num_queries(10):
        response = client.get("/staff/audit/")
    assert response.status_code == 200 and len(response.context["page"]) == 50


def test_departments_page_query_count_is_pinned(client, center, department_a, department_b,
                                                business_section, django_assert_max_num_queries):
    for n in range(20):
        window_save(center=center, number=str(n), by=None,
                    department=department_a if n % 2 else None,
                    served_departments=[] if n % 2 else [department_a, department_b])
    client.force_login(business_section)
    with django_assert_max_num_queries(10):
        assert client.get("/staff/catalog/departments/").status_code == 200


def test_desk_query_count_is_pinned(client, reviewer_a, item_a, django_assert_max_num_queries):
    client.force_login(reviewer_a)
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200


def test_calendar_page_query_count_is_pinned(client, business_section,
                                             django_assert_max_num_queries):
    client.force_login(business_section)
    with django_assert_max_num_queries(10):
        assert client.get("/staff/calendar/?year=2026").status_code == 200
