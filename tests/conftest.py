import os
import secrets

import pytest

from servicehall.accounts.choices import Role
from servicehall.catalog import services as catalog_services
from servicehall.core.models import CalendarDay
from servicehall.core.official_calendar import official_days
from tests.factories import CenterFactory, DepartmentFactory, UserFactory, elements

OFFICIAL_2025_2026 = [d for d in official_days() if d.date.year in (2025, 2026)]


def with_calendar(center, days=OFFICIAL_2025_2026):
    CalendarDay.objects.bulk_create(
        CalendarDay(center=center, date=d.date, is_working=d.is_working, note=d.note)
        for d in days)
    center.calendar_version = secrets.randbits(62)
    center.save(update_fields=["calendar_version"])
    return center


def pytest_collection_modifyitems(config, items):
    """Concurrency tests need a real server; they are skipped on SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres", "pgsql")):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def center(db):
    return with_calendar(CenterFactory(code="440300", name="深圳市行政服务大厅"))


@pytest.fixture
def department_a(center):
    return DepartmentFactory(center=center, code="SCJG", name="深圳市市场监督管理局",
                             short_name="市场监管局")


@pytest.fixture
def department_b(center):
    return DepartmentFactory(center=center, code="GAJJ", name="深圳市公安局交通警察局",
                             short_name="公安交警局")


@pytest.fixture
def make_user(center):
    def make(role=Role.WINDOW_STAFF, **kwargs):
        kwargs.setdefault("center", center)
        return UserFactory(role=role, **kwargs)
    return make


@pytest.fixture
def reviewer_a(make_user, department_a):
    return make_user(Role.REVIEWER, department=department_a, username="reviewer_a")


@pytest.fixture
def reviewer_b(make_user, department_b):
    return make_user(Role.REVIEWER, department=department_b, username="reviewer_b")


@pytest.fixture
def business_section(make_user):
    return make_user(Role.BUSINESS_SECTION, username="business")


@pytest.fixture
def make_item():
    def make(department, code, **overrides):
        return catalog_services.item_create(department=department, code=code,
                                            elements=elements(**overrides), by=None)
    return make


@pytest.fixture
def item_a(department_a, make_item):
    return make_item(department_a, "SCJG-0001")


@pytest.fixture
def item_b(department_b, make_item):
    return make_item(department_b, "GAJJ-0001", main_item="机动车登记", kind="license")
