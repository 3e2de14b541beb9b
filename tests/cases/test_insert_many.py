"""core.inserts writes a case's materials, steps and timeline exactly as the ORM would, each
object getting its own key."""

from decimal import Decimal

import pytest
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from servicehall.cases.models import CaseEvent, CaseMaterial, CaseStep
from servicehall.cases.services import case_intake
from servicehall.core.inserts import insert, insert_many
from tests.cases.conftest import PERSON

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cases(item_a, all_materials, clerk, today):
    return [case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)
            for _ in range(2)]


def _rows(model, case) -> list[dict]:
    rows = list(model.objects.filter(case=case).order_by("pk").values())
    for row in rows:
        row.pop("id"), row.pop("case_id")
    return rows


def _steps(case, by, now) -> list[CaseStep]:
    return [CaseStep(case=case, position=10 + i, name=name, budget_days=Decimal("1.5"),
                     status="done" if i == 0 else "waiting", completed_at=now if i == 0 else None,
                     completed_by=by if i == 0 else None, started_on=case.received_on)
            for i, name in enumerate(["受理", "承办", "审核"])]


def test_steps_are_stored_as_bulk_create_stores_them(two_cases, clerk):
    now = timezone.now()
    mine, theirs = two_cases
    written = insert_many(_steps(mine, clerk, now))
    CaseStep.objects.bulk_create(_steps(theirs, clerk, now))
    assert _rows(CaseStep, mine)[-3:] == _rows(CaseStep, theirs)[-3:]
    assert [s.position for s in written] == [10, 11, 12]
    stored = dict(CaseStep.objects.filter(case=mine).values_list("pk", "position"))
    assert all(stored[s.pk] == s.position and not s._state.adding for s in written)


def test_materials_are_stored_as_bulk_create_stores_them(two_cases, item_a):
    mine, theirs = two_cases
    today = mine.received_on
    materials = list(item_a.current_version.materials.all())
    for case in two_cases:
        CaseMaterial.objects.filter(case=case).delete()

    def rows(case):
        return [CaseMaterial(case=case, material=m, received=i % 2 == 0,
                             received_on=today if i % 2 == 0 else None,
                             due_on=None if i % 2 == 0 else today)
                for i, m in enumerate(materials)]

    insert_many(rows(mine))
    CaseMaterial.objects.bulk_create(rows(theirs))
    assert _rows(CaseMaterial, mine) == _rows(CaseMaterial, theirs)


def test_no_objects_is_no_statement(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert insert_many([]) == []


def test_an_event_is_stored_as_the_orm_stores_it(two_cases, clerk):
    mine, theirs = two_cases
    insert(CaseEvent(case=mine, kind="commented", by=clerk, note="请补正"))
    CaseEvent.objects.create(case=theirs, kind="commented", by=clerk, note="请补正")
    mine_rows, their_rows = _rows(CaseEvent, mine), _rows(CaseEvent, theirs)
    assert mine_rows[-1].pop("at") <= their_rows[-1].pop("at")  # the default: written first
    assert mine_rows[-1] == their_rows[-1]


@pytest.mark.parametrize("model", [CaseEvent, CaseMaterial, CaseStep])
def test_served_models_have_no_save_signals(model):
    """insert_many sends none, so a receiver added later would be skipped silently."""
    assert not pre_save.has_listeners(model) and not post_save.has_listeners(model)
    assert "save" not in vars(model)  # nor a save() of its own
