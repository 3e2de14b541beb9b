import logging

import pytest
from django.db import connection

from servicehall.accounts.models import User
from servicehall.accounts.services import user_create
from servicehall.core.fields import blind_index
from servicehall.core.models import AuditEntry

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"


def test_id_number_is_encrypted_at_rest_and_findable_by_blind_index(center):
    user = user_create(username="sun", password="Hall2026x!", full_name="孙丽",
                       id_number=ID_NUMBER)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM accounts_user WHERE id = %s", [user.pk])
        stored = cursor.fetchone()[0]
    assert ID_NUMBER not in stored and stored.startswith("v1:")
    assert User.objects.get(pk=user.pk).id_number == ID_NUMBER
    assert User.objects.get(id_number_index=blind_index(ID_NUMBER)) == user
    assert user.masked_id_number == "1101**********002X"


def test_id_number_never_appears_in_plaintext_in_logs_or_the_audit_table(center, caplog,
                                                                          client):
    caplog.set_level(logging.DEBUG)
    user = user_create(username="sun", password="Hall2026x!", full_name="孙丽",
                       id_number=ID_NUMBER)
    logging.getLogger("servicehall.test").warning("applicant %s came to window 3", ID_NUMBER)
    client.post("/login/", {"username": ID_NUMBER, "password": "wrong"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_auditentry")
        audit_dump = repr(cursor.fetchall())
    masked = [h.format(r) for h in logging.getLogger().handlers for r in caplog.records]
    assert ID_NUMBER not in audit_dump
    assert "1101**********002X" in audit_dump
    assert all(ID_NUMBER not in line for line in masked)
    assert AuditEntry.objects.filter(object_id=str(user.pk)).exists()
