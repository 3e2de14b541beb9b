"""core.compiled runs a queryset shape with new values and yields what the ORM yields for it:
the same instances (decrypted, with their related rows), dicts and tuples."""

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from servicehall.cases.models import Case, CaseStep
from servicehall.cases.services import case_intake
from servicehall.core.compiled import Compiled
from tests.cases.conftest import ENTERPRISE, PERSON

pytestmark = pytest.mark.django_db

CASE_WITH_RELATED = Compiled(
    lambda pk: Case.objects.select_related("center", "item", "item_version").filter(pk=pk),
    pk=int)


@pytest.fixture
def cases(item_a, all_materials, clerk, today):
    return [case_intake(item=item_a, applicant=applicant, received=all_materials, by=clerk)
            for applicant in (PERSON, ENTERPRISE)]


def _fields(obj) -> dict:
    return {k: v for k, v in obj.__dict__.items() if k != "_state"}


def test_model_rows_equal_the_orms_with_their_related_rows_and_decrypted_fields(cases):
    for case in cases:
        ours = CASE_WITH_RELATED.get(pk=case.pk)
        orm = Case.objects.select_related("center", "item", "item_version").get(pk=case.pk)
        assert _fields(ours) == _fields(orm)
        for related in ("center", "item", "item_version"):
            assert _fields(getattr(ours, related)) == _fields(getattr(orm, related))
        assert not ours._state.adding and ours._state.db == "default"
    assert CASE_WITH_RELATED.get(pk=cases[0].pk).applicant_id_number == PERSON.id_number


def test_one_statement_per_call_and_the_shape_is_written_once(cases):
    built = []

    def build(pk):
        built.append(pk)
        return Case.objects.filter(pk=pk)

    shape = Compiled(build, pk=int)
    with CaptureQueriesContext(connection) as queries:
        numbers = [shape.get(pk=c.pk).number for c in cases * 2]
    assert numbers == [c.number for c in cases * 2]
    assert len(queries) == 4 and len(built) == 1 and built[0] < 0  # a stand-in, not a case


def test_values_and_values_list_rows_equal_the_orms(cases):
    columns = ("number", "applicant_name", "received_on", "return_reasons")
    as_dicts = Compiled(lambda center_id, item_id: Case.objects.filter(
        center_id=center_id, item_id=item_id).order_by("pk").values(*columns),
        center_id=int, item_id=int)
    as_tuples = Compiled(lambda center_id: Case.objects.filter(
        center_id=center_id, status__in=["in_progress", "returned"]).order_by("-pk")
        .values_list(*columns), center_id=int)
    case = cases[0]
    assert as_dicts.all(center_id=case.center_id, item_id=case.item_id) == list(
        Case.objects.filter(pk__in=[c.pk for c in cases]).order_by("pk").values(*columns))
    assert as_tuples.all(center_id=case.center_id) == list(
        Case.objects.filter(center_id=case.center_id).order_by("-pk").values_list(*columns))
    assert as_dicts.all(center_id=case.center_id, item_id=-1) == []


def test_a_value_used_twice_goes_to_both_places(cases):
    shape = Compiled(lambda pk: Case.objects.filter(pk=pk, id__gte=pk), pk=int)
    assert shape.get(pk=cases[1].pk).pk == cases[1].pk


def test_deferred_fields_load_when_read(cases):
    shape = Compiled(lambda pk: Case.objects.filter(pk=pk).only("pk", "number"), pk=int)
    case = shape.get(pk=cases[0].pk)
    assert case.get_deferred_fields() >= {"status", "applicant_id_number"}
    assert case.applicant_id_number == PERSON.id_number


def test_get_raises_as_the_orm_does(cases):
    shape = Compiled(lambda center_id: Case.objects.filter(center_id=center_id), center_id=int)
    with pytest.raises(Case.MultipleObjectsReturned):
        shape.get(center_id=cases[0].center_id)
    with pytest.raises(Case.DoesNotExist):
        shape.get(center_id=-5)
    assert shape.first(center_id=-5) is None


def test_related_steps_in_their_order_and_for_update_inside_a_transaction(cases):
    active = Compiled(lambda case_id: CaseStep.objects.select_for_update().filter(
        case_id=case_id).order_by("position"), case_id=int)
    with transaction.atomic():
        steps = active.all(case_id=cases[0].pk)
    assert [s.pk for s in steps] == list(
        cases[0].steps.order_by("position").values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)
def test_for_update_outside_a_transaction_is_refused_as_by_the_orm(cases):
    if not connection.features.has_select_for_update:
        pytest.skip("SQLite has no FOR UPDATE: the ORM drops it there too")
    shape = Compiled(lambda pk: Case.objects.select_for_update().filter(pk=pk), pk=int)
    with pytest.raises(TransactionManagementError):
        shape.all(pk=cases[0].pk)


def test_shapes_it_cannot_reproduce_are_refused_when_first_written(cases):
    for shape, values in (
        (Compiled(lambda number: Case.objects.filter(number__contains=number), number=str),
         {"number": "2026"}),
        (Compiled(lambda pk: Case.objects.filter(pk=pk).prefetch_related("steps"), pk=int),
         {"pk": 1}),
        (Compiled(lambda pk: Case.objects.filter(pk=pk).values_list("pk", flat=True), pk=int),
         {"pk": 1}),
    ):
        with pytest.raises(ValueError):
            shape.all(**values)


def test_the_values_named_must_be_the_values_given(cases):
    shape = Compiled(lambda pk: Case.objects.filter(pk=pk), pk=int)
    with pytest.raises(TypeError):
        shape.all(id=1)
    with pytest.raises(TypeError):
        Compiled(lambda when: Case.objects.filter(received_on=when), when=float).all(when=1.0)


def test_a_filter_that_lets_nothing_through_runs_no_statement(cases):
    shape = Compiled(lambda pk: Case.objects.filter(pk=pk, id__in=[]), pk=int)
    with CaptureQueriesContext(connection) as queries:
        assert shape.all(pk=cases[0].pk) == [] and shape.first(pk=cases[0].pk) is None
    assert len(queries) == 0


def test_an_optional_value_may_stay_out_of_the_statement(cases):
    shape = Compiled(lambda pk, center_id: Case.objects.filter(pk=pk), pk=int, center_id=int,
                     optional=("center_id",))
    assert shape.get(pk=cases[0].pk, center_id=-1).pk == cases[0].pk
