from decimal import Decimal

import pytest

from servicehall.catalog import selectors, services
from servicehall.catalog.elements import StepSpec
from servicehall.catalog.models import ItemVersion
from servicehall.core.errors import Conflict, ValidationFailed
from servicehall.core.models import AuditEntry
from tests.factories import elements

pytestmark = pytest.mark.django_db


def test_editing_publishes_a_new_version_and_keeps_the_old(item_a, reviewer_a):
    first = item_a.current_version
    item = services.item_update(item=item_a, elements=elements(promised_limit=5),
                                by=reviewer_a, expected_version=1, change_note="压缩时限")
    assert item.current_version.number == 2
    assert item.current_version.promised_limit == 5
    first.refresh_from_db()
    assert first.promised_limit == 10 and first.materials.count() == 3


def test_an_edit_that_changes_nothing_makes_no_version(item_a, reviewer_a):
    item = services.item_update(item=item_a, elements=elements(), by=reviewer_a)
    assert item.current_version.number == 1
    assert ItemVersion.objects.filter(item=item_a).count() == 1


def test_a_stale_edit_is_refused_and_the_newer_version_kept(item_a, reviewer_a, business_section):
    services.item_update(item=item_a, elements=elements(promised_limit=8), by=business_section,
                         expected_version=1)
    with pytest.raises(Conflict, match="2"):
        services.item_update(item=item_a, elements=elements(promised_limit=5), by=reviewer_a,
                             expected_version=1)
    item_a.refresh_from_db()
    assert (item_a.current_version.number, item_a.current_version.promised_limit) == (2, 8)


def test_promised_limit_above_legal_limit_is_refused(item_a, reviewer_a):
    with pytest.raises(ValidationFailed) as refused:
        services.item_update(item=item_a, elements=elements(promised_limit=25), by=reviewer_a)
    assert "promised_limit" in refused.value.fields
    assert ItemVersion.objects.filter(item=item_a).count() == 1


def test_database_refuses_promised_above_legal_even_without_the_service(item_a):
    from django.db import IntegrityError, transaction

    version = item_a.current_version
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemVersion.objects.filter(pk=version.pk).update(promised_limit=30)


def test_step_budgets_may_not_exceed_the_promised_limit(item_a, reviewer_a):
    with pytest.raises(ValidationFailed) as refused:
        services.item_update(item=item_a, by=reviewer_a, elements=elements(
            steps=[StepSpec("受理", Decimal("1")), StepSpec("审核", Decimal("12"))]))
    assert "steps" in refused.value.fields


def test_history_lists_versions_with_what_changed(item_a, reviewer_a):
    services.item_update(item=item_a, elements=elements(promised_limit=5), by=reviewer_a)
    history = selectors.version_history(item=item_a)
    assert [h["version"].number for h in history] == [2, 1]
    assert history[0]["changes"] == {"promised_limit": [10, 5]}


def test_every_version_is_in_the_audit_log_with_its_changes(item_a, reviewer_a):
    services.item_update(item=item_a, elements=elements(promised_limit=5), by=reviewer_a)
    entry = AuditEntry.objects.get(action="catalog.item_updated")
    assert entry.changes == {"promised_limit": [10, 5]} and entry.actor == reviewer_a


def test_history_page_shows_the_change(client, item_a, reviewer_a):
    services.item_update(item=item_a, elements=elements(promised_limit=5), by=reviewer_a)
    client.force_login(reviewer_a)
    response = client.get("/staff/catalog/items/SCJG-0001/history/")
    assert response.status_code == 200
    assert "promised_limit" in response.content.decode()


def test_edit_form_round_trip_publishes_a_version(client, item_a, reviewer_a):
    client.force_login(reviewer_a)
    page = client.get("/staff/catalog/items/SCJG-0001/edit/")
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items()
            if name not in ("materials", "fees", "steps", "theme_names", "delivery_modes",
                            "joint_department_codes", "legal_limit")}
    data.update(change_note="压缩时限", promised_limit=6, legal_limit=20, delivery_modes=["window"])
    for prefix in ("materials", "fees", "steps"):
        formset = page.context[prefix]
        data[f"{prefix}-TOTAL_FORMS"] = formset.initial_form_count()
        data[f"{prefix}-INITIAL_FORMS"] = formset.initial_form_count()
        for index, row in enumerate(formset.initial or []):
            for key, value in row.items():
                if isinstance(value, bool):
                    if value:
                        data[f"{prefix}-{index}-{key}"] = "on"
                else:
                    data[f"{prefix}-{index}-{key}"] = value
    response = client.post("/staff/catalog/items/SCJG-0001/edit/", data)
    assert response.status_code == 302, [response.context[k].errors
                                         for k in ("form", "materials", "fees", "steps")]
    item_a.refresh_from_db()
    assert item_a.current_version.number == 2 and item_a.current_version.promised_limit == 6
    assert item_a.current_version.materials.count() == 3


def test_edit_form_with_a_stale_version_keeps_the_users_input(client, item_a, reviewer_a,
                                                              business_section):
    services.item_update(item=item_a, elements=elements(promised_limit=8), by=business_section)
    client.force_login(reviewer_a)
    response = client.post("/staff/catalog/items/SCJG-0001/edit/", {
        "expected_version": 1, "change_note": "x", "basic_code": "1", "main_item": "我的修改",
        "variant": "new", "kind": "license", "processing_type": "promised",
        "legal_limit": 20, "legal_limit_unit": "working", "promised_limit": 5,
        "promised_limit_unit": "working", "max_visits": 1, "online_depth": 2,
        "delivery_modes": ["window"], "materials-TOTAL_FORMS": 1, "materials-INITIAL_FORMS": 0,
        "materials-0-name": "申请书", "materials-0-is_key": "on", "materials-0-is_required": "on",
        "materials-0-form": "original", "materials-0-copies": 1, "materials-0-medium": "paper",
        "materials-0-source": "applicant", "fees-TOTAL_FORMS": 0, "fees-INITIAL_FORMS": 0,
        "steps-TOTAL_FORMS": 0, "steps-INITIAL_FORMS": 0})
    assert response.status_code == 400
    assert "我的修改" in response.content.decode()
    item_a.refresh_from_db()
    assert item_a.current_version.promised_limit == 8
