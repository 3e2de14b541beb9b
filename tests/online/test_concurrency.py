"""Two reviewers pre-accepting one application at once on PostgreSQL: one case, one conflict."""

import pytest

from servicehall.accounts.choices import Role
from servicehall.cases.models import Case
from servicehall.core.models import AuditEntry
from servicehall.online.models import Application
from servicehall.online.services import (
    ApplicationStateError,
    NoticeLine,
    application_pre_accept,
    application_reject,
    application_request_supplement,
)
from tests.core.test_concurrency import _run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_double_pre_accept_files_one_case_and_the_other_gets_a_conflict(
        submitted, reviewer_a, make_user, department_a):
    chief = make_user(Role.CHIEF_REPRESENTATIVE, department=department_a, username="chief")
    results = _run_at_once([
        lambda: application_pre_accept(application=submitted, by=reviewer_a),
        lambda: application_pre_accept(application=submitted, by=chief),
    ])
    assert sum(isinstance(r, ApplicationStateError) for r in results) == 1, results
    assert sum(isinstance(r, Application) for r in results) == 1, results
    assert Case.objects.count() == 1
    assert Application.objects.get().case == Case.objects.get()
    assert AuditEntry.objects.filter(action="online.pre_accepted").count() == 1


def test_pre_accept_racing_a_supplement_request_and_a_refusal_one_decision_wins(
        submitted, reviewer_a, make_user, department_a, materials):
    chief = make_user(Role.CHIEF_REPRESENTATIVE, department=department_a, username="chief")
    other = make_user(Role.REVIEWER, department=department_a, username="reviewer_a2")
    results = _run_at_once([
        lambda: application_pre_accept(application=submitted, by=reviewer_a),
        lambda: application_request_supplement(application=submitted, by=chief,
                                               lines=[NoticeLine(materials[0].pk)]),
        lambda: application_reject(application=submitted, by=other, reason="材料不符"),
    ])
    assert sum(isinstance(r, Application) for r in results) == 1, results
    assert sum(isinstance(r, ApplicationStateError) for r in results) == 2, results
    final = Application.objects.get()
    assert Case.objects.count() == (1 if final.status == "pre_accepted" else 0)
