"""core.saves writes a case, its steps and the applicant's messages as the ORM's own INSERT and
UPDATE do, signals and all."""

import inspect

import pytest
from django.db import connection
from django.db.models import F
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext

from servicehall.cases.models import Case, CaseStep
from servicehall.cases.services import case_intake
from servicehall.core.models import OutboxMessage
from servicehall.core.saves import CachedSave
from tests.cases.conftest import ENTERPRISE, PERSON

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cases(item_a, all_materials, clerk, today):
    return [case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)
            for _ in range(2)]


def _row(case) -> dict:
    row = Case.objects.filter(pk=case.pk).values().get()
    for name in ("id", "number", "idempotency_key", "current_step_id", "created_at",
                 "updated_at"):  # each case's own, or the moment of its save
        row.pop(name)
    return row


def _change(case, reviewer):
    case.applicant_name, case.phone, case.revision = "王五", "", case.revision + 7
    case.applicant_id_number = ENTERPRISE.agent_id_number
    case.current_assignee, case.on_time, case.legal_due = reviewer, None, None
    case.return_reasons = ["other", "材料"]


def test_a_full_save_stores_what_the_orms_update_stores(two_cases, reviewer_a):
    mine, theirs = two_cases
    for case in two_cases:
        _change(case, reviewer_a)
    mine.save()
    theirs.applicant_id_index = mine.applicant_id_index
    theirs.id_tail_index = mine.id_tail_index
    values = [(f, None, f.pre_save(theirs, False)) for f in Case._meta.concrete_fields
              if not f.primary_key]
    Case.objects.filter(pk=theirs.pk)._update(values)  # the ORM's own UPDATE
    assert _row(mine) == _row(theirs)
    mine.refresh_from_db()
    assert mine.applicant_id_number == ENTERPRISE.agent_id_number and mine.on_time is None


def test_update_fields_write_only_those_columns_and_signals_are_sent(two_cases, reviewer_a):
    case = two_cases[0]
    sent = []

    def record(sender, instance, update_fields=None, **kwargs):
        sent.append((instance.pk, frozenset(update_fields or ())))

    pre_save.connect(record, sender=Case), post_save.connect(record, sender=Case)
    try:
        case.applicant_name, case.phone = "王五", "13900000000"
        with CaptureQueriesContext(connection) as queries:
            case.save(update_fields=["phone"])
    finally:
        pre_save.disconnect(record, sender=Case), post_save.disconnect(record, sender=Case)
    case.refresh_from_db()
    assert case.phone == "13900000000" and case.applicant_name == PERSON.name
    assert sent == [(case.pk, frozenset({"phone"}))] * 2
    update = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert len(update) == 1 and "phone" in update[0] and "applicant_name" not in update[0]


def test_steps_and_expressions(two_cases, reviewer_a):
    step = CaseStep.objects.filter(case=two_cases[0]).order_by("position").last()
    step.opinion, step.assignee = "同意", reviewer_a
    step.save(update_fields=["opinion", "assignee"])
    stored = CaseStep.objects.get(pk=step.pk)
    assert (stored.opinion, stored.assignee_id) == ("同意", reviewer_a.pk)
    case = two_cases[1]
    revision = case.revision
    case.revision = F("revision") + 2  # an expression goes the ORM's way
    case.save(update_fields=["revision"])
    case.refresh_from_db()
    assert case.revision == revision + 2


def test_a_row_gone_meanwhile_is_inserted_again_as_the_orm_does(two_cases):
    step = CaseStep.objects.filter(case=two_cases[0]).order_by("position").first()
    CaseStep.objects.filter(pk=step.pk).delete()
    step.opinion = "重新写入"
    step.save()
    assert CaseStep.objects.get(pk=step.pk).opinion == "重新写入"


def test_the_models_saved_on_every_transition_use_it():
    assert all(issubclass(model, CachedSave) for model in (Case, CaseStep, OutboxMessage))


def test_a_new_case_is_stored_as_the_orms_insert_stores_it(two_cases, reviewer_a):
    mine, theirs = (Case.objects.get(pk=c.pk) for c in two_cases)
    for case in (mine, theirs):
        _change(case, reviewer_a)
        case.pk, case.number, case.idempotency_key = None, f"~{case.number}", None
        case._state.adding = True
    saved = []

    def record(sender, instance, created=False, **kwargs):
        saved.append((instance.pk, created))

    post_save.connect(record, sender=Case)
    try:
        mine.save()
    finally:
        post_save.disconnect(record, sender=Case)
    theirs.applicant_id_index, theirs.id_tail_index = mine.applicant_id_index, mine.id_tail_index
    fields = [f for f in Case._meta.local_concrete_fields if f is not Case._meta.auto_field]
    theirs.pk = Case.objects._insert([theirs], fields=fields,
                                     returning_fields=[Case._meta.pk])[0][0]
    assert mine.pk and mine.pk != theirs.pk and not mine._state.adding
    assert saved == [(mine.pk, True)]
    assert _row(mine) == _row(theirs)
    assert Case.objects.get(pk=mine.pk).applicant_id_number == ENTERPRISE.agent_id_number


def test_a_message_keeps_its_save_signals_and_gets_its_key(two_cases):
    stamped = []

    def stamp(sender, instance, **kwargs):
        stamped.append(instance.body)
        instance.subject = "盖章"

    pre_save.connect(stamp, sender=OutboxMessage, dispatch_uid="test-stamp")
    try:
        message = OutboxMessage.objects.create(center=two_cases[0].center, channel="sms",
                                               recipient="13800138000", body="您的申请已受理",
                                               event="accepted")
    finally:
        pre_save.disconnect(sender=OutboxMessage, dispatch_uid="test-stamp")
    stored = OutboxMessage.objects.get(pk=message.pk)
    assert stamped == ["您的申请已受理"]
    assert (stored.subject, stored.body) == ("盖章", "您的申请已受理")
    assert stored.created_at == message.created_at


def test_the_orms_methods_have_the_signatures_these_modules_were_written_for():
    """core.saves overrides Model._do_update and _do_insert, core.compiled calls
    get_related_populators: a Django that changes them must fail here, not in a transition."""
    from django.db import models
    from django.db.models.query import get_related_populators

    assert list(inspect.signature(models.Model._do_update).parameters) == [
        "self", "base_qs", "using", "pk_val", "values", "update_fields", "forced_update"]
    assert list(inspect.signature(models.Model._do_insert).parameters) == [
        "self", "manager", "using", "fields", "returning_fields", "raw"]
    assert list(inspect.signature(get_related_populators).parameters) == [
        "klass_info", "select", "db"]


def test_update_by_key_updates_as_the_queryset_does(two_cases, reviewer_a):
    from servicehall.core.saves import update_by_key

    mine, theirs = two_cases
    values = {"current_assignee_id": reviewer_a.pk, "phone": "", "on_time": None,
              "return_reasons": ["other"], "legal_due": mine.received_on}
    assert update_by_key(Case, mine.pk, **values) == 1
    assert Case.objects.filter(pk=theirs.pk).update(**values) == 1
    assert _row(mine) == _row(theirs)
    assert update_by_key(Case, -1, phone="1") == 0
    assert update_by_key(Case, mine.pk, revision=F("revision") + 1) == 1  # the ORM's way
    assert Case.objects.get(pk=mine.pk).revision == mine.revision + 1
