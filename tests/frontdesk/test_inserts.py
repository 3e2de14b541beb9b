"""core.inserts writes a row exactly as the ORM's create would, for the models it serves."""

from datetime import date

import pytest
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from servicehall.core.inserts import insert
from servicehall.core.models import AuditEntry
from servicehall.frontdesk.models import Ticket

pytestmark = pytest.mark.django_db
SERVED = (AuditEntry, Ticket)


def _stored(model, pk) -> dict:
    row = model.objects.filter(pk=pk).values().get()
    row.pop("id")
    return row


def _ticket_fields(cat_a, seq: int, now) -> dict:
    return {"center_id": cat_a.center_id, "category": cat_a, "day": date(2026, 10, 13),
            "prefix": cat_a.prefix, "seq": seq, "number": f"{cat_a.prefix}{seq:03d}",
            "priority": "regular", "channel": "web", "phone": "13800000000",
            "issued_at": now, "queued_at": now}


def test_a_ticket_is_stored_as_the_orm_stores_it(cat_a):
    now = timezone.now()
    by_orm = Ticket.objects.create(**_ticket_fields(cat_a, 1, now))
    by_insert = insert(Ticket(**_ticket_fields(cat_a, 2, now)))
    assert by_insert.pk and not by_insert._state.adding
    mine, theirs = _stored(Ticket, by_insert.pk), _stored(Ticket, by_orm.pk)
    for row in (mine, theirs):
        row.pop("seq"), row.pop("number")
    assert mine == theirs


def test_an_audit_entry_is_stored_as_the_orm_stores_it(center):
    fields = {"created_at": timezone.now(), "action": "test.x", "outcome": "success",
              "center_id": center.pk, "object_type": "core.center", "object_id": "1",
              "object_repr": "中心", "changes": {"name": [None, "中心"], "n": [1, 2.5]},
              "message": "", "ip": "10.0.0.1", "channel": "api"}
    by_orm = AuditEntry.objects.create(**fields)
    by_insert = insert(AuditEntry(**fields))
    assert _stored(AuditEntry, by_insert.pk) == _stored(AuditEntry, by_orm.pk)
    assert AuditEntry.objects.get(pk=by_insert.pk).changes == fields["changes"]


@pytest.mark.parametrize("model", SERVED)
def test_served_models_have_no_save_signals(model):
    """insert() sends none, so a receiver added later would be skipped silently."""
    assert not pre_save.has_listeners(model) and not post_save.has_listeners(model)


def _as_the_fields_prepare(obj) -> list:
    from django.db import connection

    from servicehall.core.inserts import _statement

    return [f.get_db_prep_save(f.pre_save(obj, True), connection)
            for f, _none, _text in _statement(type(obj), connection.vendor)[1]]


def test_the_skipped_preparation_gives_what_the_fields_give(cat_a, center):
    """None for nullable columns, plain and enum str, a lazy str, JSON, an IP address."""
    from django.db import connection
    from django.utils.translation import gettext_lazy

    from servicehall.core.inserts import _prepared, _statement
    from servicehall.frontdesk.choices import TicketChannel, TicketStatus

    now = timezone.now()
    ticket = Ticket(**{**_ticket_fields(cat_a, 3, now), "channel": TicketChannel.WEB,
                       "status": TicketStatus.WAITING, "phone": gettext_lazy("Waiting")})
    entry = AuditEntry(created_at=now, action="test.x", outcome="success", center_id=center.pk,
                       object_type="frontdesk.ticket", object_id="3", object_repr="A003",
                       changes={"number": [None, "A003"]}, message="", ip="10.0.0.1",
                       channel="api")
    for obj in (ticket, entry):
        fields = _statement(type(obj), connection.vendor)[1]
        mine, theirs = _prepared(obj, fields, connection), _as_the_fields_prepare(obj)
        assert [type(v) for v in mine] == [type(v) for v in theirs]
        assert [getattr(v, "obj", v) for v in mine] == [getattr(v, "obj", v) for v in theirs]
