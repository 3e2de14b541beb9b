import pytest

from servicehall.accounts.choices import Role
from servicehall.catalog.services import window_save
from servicehall.frontdesk import services


@pytest.fixture
def clerk(make_user):
    return make_user(Role.WINDOW_STAFF, username="clerk")


@pytest.fixture
def cat_a(center, department_a):
    return services.category_save(center=center, code="SCJG", name="商事登记", prefix="A",
                                  departments=[department_a], backup_threshold=5,
                                  is_bookable=True, slot_capacity=2, by=None)


@pytest.fixture
def cat_b(center, department_b):
    return services.category_save(center=center, code="GAJJ", name="交通车驾管", prefix="B",
                                  departments=[department_b], by=None)


@pytest.fixture
def window_1(center, department_a, cat_a):
    window = window_save(center=center, number="1", department=department_a, name="市场监管",
                         by=None)
    return services.window_categories_set(window=window, categories=[cat_a], by=None)


@pytest.fixture
def window_2(center, department_b, cat_b):
    window = window_save(center=center, number="2", department=department_b, name="交警",
                         by=None)
    return services.window_categories_set(window=window, categories=[cat_b], by=None)


@pytest.fixture
def comprehensive(center, department_a, department_b, cat_a, cat_b):
    window = window_save(center=center, number="9", served_departments=[department_a,
                                                                        department_b],
                         name="综合受理窗", by=None)
    return services.window_categories_set(window=window, categories=[cat_a, cat_b], by=None)


@pytest.fixture
def backup(center, department_b, cat_a):
    window = window_save(center=center, number="47", department=department_b, name="后备窗口",
                         by=None)
    return services.window_categories_set(window=window, categories=[], backup_for=[cat_a],
                                          by=None)


@pytest.fixture
def issue():
    def make(category, **kwargs):
        kwargs.setdefault("channel", "kiosk")
        kwargs.setdefault("by", None)
        return services.ticket_issue(category=category, **kwargs)
    return make
