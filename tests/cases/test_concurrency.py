"""Concurrent staff on PostgreSQL: one decision, one acceptance of the materials, one completion
of a step wins; numbers stay gapless."""

import pytest

from servicehall.cases.models import Case
from servicehall.cases.services import (
    case_decide,
    case_intake,
    case_materials_complete,
    case_step_complete,
)
from servicehall.cases.services.common import CaseStateError
from servicehall.core.errors import Conflict
from servicehall.core.models import AuditEntry
from tests.cases.conftest import PERSON, to_decision
from tests.core.test_concurrency import _run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _own(obj):
    """A thread's own copy of `obj`, as each request loads its own: Django model instances
    (and the related objects they cache) are not meant to be shared between threads."""
    return type(obj).objects.get(pk=obj.pk)


def test_two_reviewers_deciding_at_once_one_wins_one_conflict_one_audit_entry(
        item_a, clerk, all_materials, reviewer_a, make_user, department_a):
    from servicehall.accounts.choices import Role

    chief = make_user(Role.CHIEF_REPRESENTATIVE, department=department_a)
    case = to_decision(case_intake(item=item_a, applicant=PERSON, received=all_materials,
                                   by=clerk), reviewer_a)
    results = _run_at_once([
        lambda: case_decide(case=case, decision="approved", note="", by=reviewer_a),
        lambda: case_decide(case=case, decision="denied", note="不符合条件", by=chief),
    ])
    assert sum(isinstance(r, CaseStateError) for r in results) == 1, results
    assert AuditEntry.objects.filter(action="cases.decided").count() == 1
    assert Case.objects.get().status == "completed"


def test_parallel_intakes_get_gapless_unique_numbers(item_a, clerk, all_materials):
    def intake():
        return case_intake(item=_own(item_a), applicant=PERSON, received=all_materials,
                           by=_own(clerk))

    results = _run_at_once([intake for _ in range(20)])
    assert not [r for r in results if isinstance(r, Exception)], results
    tails = sorted(int(number[-5:]) for number in Case.objects.values_list("number", flat=True))
    assert tails == list(range(1, 21))


def test_parallel_replays_of_one_idempotency_key_make_one_case(item_a, clerk, all_materials):
    def intake():
        return case_intake(item=_own(item_a), applicant=PERSON, received=all_materials,
                           by=_own(clerk),
                           idempotency_key="same-request")

    results = _run_at_once([intake for _ in range(10)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({case.number for case in results}) == 1 and Case.objects.count() == 1


def test_two_staff_completing_the_materials_of_one_case_at_once_one_wins_one_audit_entry(
        item_a, clerk, key_materials, make_user):
    from servicehall.accounts.choices import Role

    other_clerk = make_user(Role.WINDOW_STAFF, username="clerk_2")
    case = case_intake(item=item_a, applicant=PERSON, received=key_materials, by=clerk)
    results = _run_at_once([
        lambda: case_materials_complete(case=case, by=clerk),
        lambda: case_materials_complete(case=case, by=other_clerk),
    ])
    assert sum(isinstance(r, CaseStateError) for r in results) == 1, results
    assert sum(isinstance(r, Case) for r in results) == 1, results
    assert AuditEntry.objects.filter(action="cases.materials_completed").count() == 1
    assert AuditEntry.objects.filter(action="cases.materials_complete",
                                     outcome="failure").count() == 1
    case.refresh_from_db()
    assert (case.status, case.visits) == ("in_progress", 2)
    assert case.events.filter(kind="materials_completed").count() == 1
    assert case.steps.filter(status="active").count() == 1


def _two_reviewers(department):
    from servicehall.accounts.choices import Role
    from tests.factories import UserFactory

    return [UserFactory(role=Role.REVIEWER, center=department.center, department=department)
            for _ in range(2)]


def test_two_reviewers_completing_the_same_step_at_once_one_wins(
        item_a, clerk, all_materials, department_a):
    first, second = _two_reviewers(department_a)
    case = case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)
    results = _run_at_once([
        lambda: case_step_complete(case=case, opinion="同意", by=first),
        lambda: case_step_complete(case=case, opinion="不同意", by=second),
    ])
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    assert AuditEntry.objects.filter(action="cases.step_completed").count() == 1
    review = case.steps.get(name="审核")
    winner = first if isinstance(results[0], Case) else second
    assert (review.status, review.completed_by) == ("done", winner)
    assert case.steps.get(name="办结").status == "active"


def _four_steps(department_a):
    from decimal import Decimal

    from servicehall.catalog import services as catalog_services
    from servicehall.catalog.elements import StepSpec
    from tests.factories import elements

    return catalog_services.item_create(
        department=department_a, code="SCJG-0010", by=None, elements=elements(steps=[
            StepSpec("受理", Decimal("0.5")), StepSpec("承办", Decimal("3")),
            StepSpec("审核", Decimal("2")), StepSpec("办结", Decimal("0.5"))]))


def test_two_reviewers_completing_a_step_of_the_revision_they_saw_one_wins_one_conflict(
        clerk, department_a):
    item = _four_steps(department_a)
    first, second = _two_reviewers(department_a)
    case = case_intake(item=item, applicant=PERSON, by=clerk,
                       received={m.pk for m in item.current_version.materials.all()})
    seen = case.revision
    results = _run_at_once([
        lambda: case_step_complete(case=case, opinion="同意", by=first,
                                   expected_revision=seen),
        lambda: case_step_complete(case=case, opinion="不同意", by=second,
                                   expected_revision=seen),
    ])
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    assert AuditEntry.objects.filter(action="cases.step_completed").count() == 1
    assert list(case.steps.order_by("position").values_list("status", flat=True)) == [
        "done", "done", "active", "waiting"]


def test_two_reviewers_completing_the_same_step_of_a_longer_process_at_once_one_wins(
        clerk, department_a):
    item = _four_steps(department_a)
    first, second = _two_reviewers(department_a)
    case = case_intake(item=item, applicant=PERSON, by=clerk,
                       received={m.pk for m in item.current_version.materials.all()})
    results = _run_at_once([
        lambda: case_step_complete(case=case, opinion="承办意见:同意", by=first),
        lambda: case_step_complete(case=case, opinion="承办意见:不同意", by=second),
    ])
    assert sum(isinstance(r, Case) for r in results) == 1, results
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    assert case.steps.get(name="审核").status == "active"
    assert list(case.steps.filter(status="done").values_list("name", flat=True)) == [
        "受理", "承办"]


@pytest.fixture
def chief(department_a):
    from servicehall.accounts.choices import Role
    from tests.factories import UserFactory

    return UserFactory(role=Role.CHIEF_REPRESENTATIVE, center=department_a.center,
                       department=department_a)


def _one_winner(results, *, loser=CaseStateError):
    assert sum(isinstance(r, loser) for r in results) == 1, results
    assert sum(not isinstance(r, Exception) for r in results) == 1, results


def test_a_reviewer_deciding_while_silent_consent_runs_leaves_one_decision(
        department_a, clerk, reviewer_a, monkeypatch):
    from datetime import date

    from django.utils import timezone

    from servicehall.cases.services import case_silent_consent
    from servicehall.catalog import services as catalog_services
    from tests.factories import elements

    day = [date(2026, 9, 30)]
    monkeypatch.setattr(timezone, "localdate", lambda *a: day[0])
    item = catalog_services.item_create(department=department_a, code="SCJG-0050", by=None,
                                        elements=elements(silent_consent=True))
    case = to_decision(case_intake(item=item, applicant=PERSON, by=clerk,
                                   received={m.pk for m in item.current_version.materials.all()}),
                       reviewer_a)
    day[0] = date(2026, 11, 4)  # the legal limit ran out on 11-03
    results = _run_at_once([
        lambda: case_decide(case=case, decision="denied", note="不符合规划", by=reviewer_a),
        lambda: case_silent_consent(case=case, today=day[0]),
    ])
    _one_winner(results)
    assert AuditEntry.objects.filter(action__in=["cases.decided", "cases.silent_consent"],
                                     outcome="success").count() == 1
    assert case.events.filter(kind__in=["decided", "silent_consent"]).count() == 1
    case.refresh_from_db()
    assert case.status == "completed"


def test_two_extension_requests_at_once_leave_one_pending(item_a, clerk, all_materials,
                                                          reviewer_a, chief):
    from servicehall.cases.models import CaseExtension
    from servicehall.cases.services import case_extension_request

    case = case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)
    results = _run_at_once([
        lambda: case_extension_request(case=case, working_days=5, reason="专家论证",
                                       by=reviewer_a),
        lambda: case_extension_request(case=case, working_days=3, reason="现场核查",
                                       by=chief),
    ])
    _one_winner(results, loser=Conflict)
    assert CaseExtension.objects.filter(case=case, status="pending").count() == 1
    assert AuditEntry.objects.filter(action="cases.extension_requested").count() == 1


def test_two_staff_handing_over_one_result_at_once_deliver_it_once(
        department_a, clerk, reviewer_a, make_user):
    from servicehall.accounts.choices import Role
    from servicehall.cases.services import case_deliver
    from servicehall.catalog import services as catalog_services
    from tests.factories import elements

    item = catalog_services.item_create(department=department_a, code="SCJG-0040", by=None,
                                        elements=elements(delivery_modes=["window", "post"]))
    case = case_decide(case=to_decision(case_intake(
        item=item, applicant=PERSON, by=clerk,
        received={m.pk for m in item.current_version.materials.all()}), reviewer_a),
        decision="approved", note="", by=reviewer_a)
    other_clerk = make_user(Role.WINDOW_STAFF, username="clerk_2")
    results = _run_at_once([
        lambda: case_deliver(case=case, mode="window", by=clerk),
        lambda: case_deliver(case=case, mode="post", tracking_number="SF1", by=other_clerk),
    ])
    _one_winner(results)
    assert AuditEntry.objects.filter(action="cases.delivered").count() == 1
    case.refresh_from_db()
    assert case.visits == (2 if case.delivery_mode == "window" else 1)


def test_confirming_and_overturning_one_return_at_once_leaves_one_outcome(
        item_a, clerk, reviewer_a, chief):
    from servicehall.cases.services import case_return_review
    from servicehall.core.models import OutboxMessage

    case = case_intake(item=item_a, applicant=PERSON, received=set(), by=clerk,
                       outcome="return_review", return_reasons=["conditions_not_met"])
    results = _run_at_once([
        lambda: case_return_review(case=case, confirm=True, note="确认退回", by=reviewer_a),
        lambda: case_return_review(case=case, confirm=False, note="改为受理", by=chief),
    ])
    _one_winner(results)
    assert AuditEntry.objects.filter(
        action__in=["cases.return_confirmed", "cases.return_overturned"]).count() == 1
    assert OutboxMessage.objects.filter(object_id=str(case.pk)).count() == 1
    case.refresh_from_db()
    assert case.steps.exists() == (case.status == "in_progress")


def test_locking_a_case_leaves_its_center_and_item_version_free(item_a, clerk, all_materials):
    """Only the case row is locked: a lock on the joined center would queue every case of the
    center behind one row and deadlock with intakes (seen under load)."""
    import threading

    from django.db import connection, transaction

    from servicehall.cases.services.common import locked
    from servicehall.catalog.models import ItemVersion
    from servicehall.core.models import Center

    case = case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)
    holding, release, outcome = threading.Event(), threading.Event(), {}

    def hold_the_case():
        with transaction.atomic():
            locked(case, allowed={case.status})
            holding.set()
            release.wait(10)
        connection.close()

    holder = threading.Thread(target=hold_the_case)
    holder.start()
    holding.wait(10)
    try:
        with transaction.atomic():
            Center.objects.select_for_update(nowait=True).get(pk=case.center_id)
            ItemVersion.objects.select_for_update(nowait=True).get(pk=case.item_version_id)
            outcome["free"] = True
    finally:
        release.set()
        holder.join(10)
    assert outcome == {"free": True}
