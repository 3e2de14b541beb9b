from datetime import date

import pytest
from django.utils import timezone

from servicehall.accounts.choices import Role
from servicehall.cases.services import Applicant

PERSON = Applicant(kind="person", name="孙丽", id_number="11010519491231002X",
                   phone="13800138000")
ENTERPRISE = Applicant(kind="enterprise", name="深圳市示例科技有限公司",
                       credit_code="91350100M000100Y43", agent_name="李明",
                       agent_id_number="440308199901011234")


@pytest.fixture
def clerk(make_user):
    return make_user(Role.WINDOW_STAFF, username="clerk")


@pytest.fixture
def all_materials(item_a):
    return {m.pk for m in item_a.current_version.materials.all()}


@pytest.fixture
def key_materials(item_a):
    return {m.pk for m in item_a.current_version.materials.filter(is_key=True)}


def to_decision(case, by):
    """Complete the steps before the last one, so that the case can be decided."""
    from servicehall.cases.choices import StepStatus
    from servicehall.cases.services import case_step_complete

    while case.steps.filter(status=StepStatus.WAITING).exists():
        case = case_step_complete(case=case, opinion="同意", by=by)
    return case


class Today:
    """The business day the services see; tests move it by setting `day`."""

    def __init__(self, monkeypatch):
        self.day = date(2026, 9, 30)  # the Wednesday before National Day
        monkeypatch.setattr(timezone, "localdate", lambda *a: self.day)


@pytest.fixture
def today(monkeypatch):
    return Today(monkeypatch)
