import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from servicehall.core import audit
from servicehall.core.dbguard import install_guard, remove_guard
from servicehall.core.models import AuditChainHead, AuditEntry

pytestmark = pytest.mark.django_db


def _write(n: int, center=None) -> list[AuditEntry]:
    """`n` entries, sealed as they would be after their commit."""
    entries = [audit.record(f"test.action_{i}", center=center, changes={"i": [i, i + 1]})
               for i in range(n)]
    audit.seal()
    for entry in entries:
        entry.refresh_from_db()
    return entries


def _bypass_append_only_triggers():
    """What an attacker with database access could do: drop the guard and rewrite a row."""
    remove_guard(connection)


def test_entries_form_a_chain_from_the_genesis_hash(center):
    first, second, third = _write(3, center)
    assert first.prev_hash == audit.GENESIS_HASH
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert AuditChainHead.objects.get().hash == third.hash


def test_an_entry_is_sealed_after_the_commit_that_wrote_it(center,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        first = audit.record("test.one", center=center)
        second = audit.record("test.two", center=center)
        assert AuditEntry.objects.get(pk=first.pk).hash is None
    assert len(callbacks) == 1  # one sealing per transaction, not one per entry
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.seq, second.seq) == (1, 2) and second.prev_hash == first.hash
    assert audit.unsealed() == 0


def test_a_rolled_back_change_leaves_no_entry_to_seal(center, django_capture_on_commit_callbacks):
    with (django_capture_on_commit_callbacks(execute=True) as callbacks,
          pytest.raises(RuntimeError), transaction.atomic()):
        audit.record("test.rolled_back", center=center)
        raise RuntimeError
    assert callbacks == [] and not AuditEntry.objects.filter(action="test.rolled_back").exists()


def test_no_sealing_after_commit_when_switched_off(center, settings,
                                                   django_capture_on_commit_callbacks):
    settings.AUDIT_SEAL_AFTER_COMMIT = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        audit.record("test.left_to_the_worker", center=center)
    assert callbacks == [] and audit.unsealed() == 1
    from servicehall.core.tasks import seal_audit

    assert seal_audit() == 1 and audit.unsealed() == 0


def test_sealing_again_changes_nothing(center):
    _write(3, center)
    head = AuditChainHead.objects.get()
    assert audit.seal() == 0
    assert (AuditChainHead.objects.get().seq, AuditChainHead.objects.get().hash) == (
        head.seq, head.hash)


def test_sealing_continues_the_chain_in_batches(center):
    _write(2, center)
    for i in range(5):
        audit.record(f"test.later_{i}", center=center)
    assert audit.seal(batch_size=2) == 5
    assert audit.verify() == (7, None)


def test_verify_leaves_unsealed_entries_out_and_counts_them(center):
    _write(2, center)
    audit.record("test.waiting", center=center)
    assert audit.verify() == (2, None)
    assert audit.unsealed() == 1


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


def test_verify_command_seals_waiting_entries_first(center, capsys):
    _write(2, center)
    audit.record("test.waiting", center=center)
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "1 entries sealed" in out and "3 entries verified" in out


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
    install_guard(connection)  # as migrations core.0002 and 0004 do outside the test suite
    for statement in ("UPDATE core_auditentry SET message = 'x' WHERE id = %s",
                      "UPDATE core_auditentry SET hash = NULL WHERE id = %s",
                      "UPDATE core_auditentry SET seq = 99 WHERE id = %s",
                      "DELETE FROM core_auditentry WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).message == ""


def test_database_lets_an_unsealed_row_receive_its_seal_and_nothing_else(center):
    install_guard(connection)
    entry = audit.record("test.waiting", center=center)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET hash = %s, message = 'x' WHERE id = %s",
                       ["f" * 64, entry.pk])
    assert audit.seal() == 1
    entry.refresh_from_db()
    assert entry.seq == 1 and entry.message == "" and audit.verify() == (1, None)


def test_the_guard_names_every_column_of_the_entry():
    from servicehall.core.dbguard import CONTENT_COLUMNS, SEAL_COLUMNS

    columns = {field.column for field in AuditEntry._meta.concrete_fields}
    assert columns == set(CONTENT_COLUMNS) | set(SEAL_COLUMNS)


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
    failure = AuditEntry.objects.order_by("-pk").first()
    assert AuditEntry.objects.count() == before + 1
    assert (failure.action, failure.outcome, failure.actor_id) == (
        "catalog.item_update", "failure", reviewer_b.pk)
    item_a.refresh_from_db()
    assert item_a.current_version.number == 1
