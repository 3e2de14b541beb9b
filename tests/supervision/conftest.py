from datetime import date

import pytest

from servicehall.accounts.choices import Role
from servicehall.cases.services import case_intake
from servicehall.core import businessday
from servicehall.supervision.escalation import escalate
from servicehall.supervision.scanner import scan
from tests.cases.conftest import PERSON
from tests.factories import PASSWORD

ACCEPTED = date(2026, 9, 30)  # Wed; 10 promised working days → due Tue 10-20 (Sat 10-10 works)
DUE = date(2026, 10, 20)


@pytest.fixture
def clerk(make_user):
    return make_user(Role.WINDOW_STAFF, username="clerk")


@pytest.fixture
def head_a(make_user, department_a):
    return make_user(Role.CHIEF_REPRESENTATIVE, department=department_a, username="head_a",
                     phone="13900139000")


@pytest.fixture
def supervisor(make_user):
    return make_user(Role.SUPERVISION_SECTION, username="supervisor")


@pytest.fixture
def accept(item_a, clerk):
    received = {m.pk for m in item_a.current_version.materials.all()}

    def make(day: date = ACCEPTED, item=None, lit: bool = False, **applicant):
        """A case accepted on `day`. Intake lights it at once; `lit=False` forgets that light
        so that the scanner's own work can be checked."""
        from servicehall.supervision.models import CaseWatch

        item = item or item_a
        materials = {m.pk for m in item.current_version.materials.all()} if item else received
        with businessday.replaying(day):
            case = case_intake(item=item, applicant=PERSON, received=materials, by=clerk)
        if not lit:
            CaseWatch.objects.filter(pk=case.pk).delete()
        return case
    return make


@pytest.fixture
def watched(accept):
    """Two overdue cases with a red card on one, a yellow one and a green one."""
    late, later = accept(), accept()
    for day in (date(2026, 10, 21), date(2026, 10, 26)):
        scan(today=day)
        escalate(today=day)
    accept(day=date(2026, 10, 26))
    scan(today=date(2026, 10, 26))
    return late, later


def signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client
