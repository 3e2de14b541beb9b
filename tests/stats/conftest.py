from datetime import date, time
from decimal import Decimal

import pytest

from servicehall.accounts.choices import Role
from servicehall.cases.services import case_decide, case_intake
from servicehall.catalog.elements import StepSpec
from servicehall.core import businessday
from tests.cases.conftest import PERSON, to_decision
from tests.factories import PASSWORD


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


@pytest.fixture
def history(item_a, immediate_item, clerk, reviewer_a, superuser):
    """Three promised cases in September and October 2026 (one decided), and an immediate case
    decided at once."""
    for day in (date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 12)):
        with businessday.replaying(day, time(10, 5)):
            case = case_intake(item=item_a, applicant=PERSON, by=clerk, received={
                m.pk for m in item_a.current_version.materials.all()})
    with businessday.replaying(date(2026, 10, 13)):
        case_decide(case=to_decision(case, reviewer_a), decision="approved", note="",
                    by=reviewer_a)
    with businessday.replaying(date(2026, 10, 13), time(15, 40)):
        quick = case_intake(item=immediate_item, applicant=PERSON, by=clerk, received={
            m.pk for m in immediate_item.current_version.materials.all()})
        case_decide(case=quick, decision="approved", note="", by=superuser)


@pytest.fixture
def leader(make_user):
    return make_user(Role.CENTER_LEADER, username="leader")


def _signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client
