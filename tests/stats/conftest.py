from decimal import Decimal

import pytest

from servicehall.accounts.choices import Role
from servicehall.catalog.elements import StepSpec


@pytest.fixture
def clerk(make_user):
    return make_user(Role.WINDOW_STAFF, username="clerk")


@pytest.fixture
def immediate_item(department_b, make_item):
    return make_item(department_b, "GAJJ-0002", main_item="驾驶证补证", processing_type="immediate",
                     promised_limit=0, legal_limit=20,
                     steps=[StepSpec("办结", Decimal("0"))])


@pytest.fixture
def superuser(make_user):
    return make_user(Role.CENTER_ADMIN, username="root", is_superuser=True)
