import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from servicehall.core import audit
from servicehall.core.dbguard import install_guard, remove_guard
from servicehall.core.models import AuditChainHead, AuditEntry

pytestmark = pytest.mark.django_db


def _write(n: int, center=None) -> list[AuditEntry]:
    return [audit.record(f"test.action_{i}", center=center, changes={"i": [i, i + 1]})
            for i in range(n)]


def _bypass_append_only_triggers():
    """What an attacker with database access could do: drop the guard and rewrite a row."""
    remove_guard(connection)


def test_entries_form_a_chain_from_the_genesis_hash(center):
    first, second, third = _write(3, center)
    assert first.prev_hash == audit.GENESIS_HASH
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert AuditChainHead.objects.get().hash == third.hash


def test_hash_is_sm3_of_previous_hash_and_canonical_content(center):
    entry = _write(1, center)[0]
    expected = audit.sm3_hex(entry.prev_hash.encode() + audit.content_of(entry).canonical())
    assert entry.hash == expected
    assert len(entry.hash) == 64


def test_sm3_matches_the_standard_test_vector():
    assert audit.sm3_hex(b"abc") == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")


def test_verify_command_passes_on_an_intact_chain(center, capsys):
    _write(5, center)
    call_command("audit_verify")
    assert "5 entries verified" in capsys.readouterr().out


def test_verify_command_names_the_first_tampered_entry(center):
    entries = _write(5, center)
    _bypass_append_only_triggers()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET message = 'rewritten' WHERE seq = %s",
                       [entries[2].seq])
    with pytest.raises(CommandError, match=r"#3: the entry's content does not match"):
        call_command("audit_verify")


def test_verify_catches_a_deleted_entry(center):
    _write(4, center)
    _bypass_append_only_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE seq = 2")
    checked, broken = audit.verify()
    assert (checked, broken.seq, broken.reason) == (1, 2, "missing")


def test_verify_catches_removed_tail_entries(center):
    _write(4, center)
    _bypass_append_only_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE seq = 4")
    checked, broken = audit.verify()
    assert (checked, broken.reason) == (3, "truncated")


def test_code_has_no_update_or_delete_path(center):
    entry = _write(1, center)[0]
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(message="x")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()


def test_database_refuses_update_and_delete_of_audit_rows(center):
    entry = _write(1, center)[0]
    install_guard(connection)  # as migration core.0002 does outside the test suite
    for statement in ("UPDATE core_auditentry SET message = 'x' WHERE id = %s",
                      "DELETE FROM core_auditentry WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).message == ""


def test_admin_offers_no_add_change_or_delete(admin_client, center):
    entry = _write(1, center)[0]
    response = admin_client.get(f"/admin/core/auditentry/{entry.pk}/change/")
    assert response.status_code == 200
    assert b'name="_save"' not in response.content
    assert admin_client.get("/admin/core/auditentry/add/").status_code == 403
    assert admin_client.post(f"/admin/core/auditentry/{entry.pk}/delete/",
                             {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_refused_service_call_leaves_a_failure_entry_and_no_change(center, department_a,
                                                                   reviewer_b, item_a):
    from servicehall.catalog import services
    from servicehall.core.errors import PermissionDenied
    from tests.factories import elements

    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.item_update(item=item_a, elements=elements(promised_limit=5), by=reviewer_b)
    failure = AuditEntry.objects.order_by("-seq").first()
    assert AuditEntry.objects.count() == before + 1
    assert (failure.action, failure.outcome, failure.actor_id) == (
        "catalog.item_update", "failure", reviewer_b.pk)
    item_a.refresh_from_db()
    assert item_a.current_version.number == 1
