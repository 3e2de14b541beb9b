"""core.statements runs a statement as Django's cursor would, prepared on PostgreSQL."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from servicehall.core.models import Center
from servicehall.core.statements import fetch

pytestmark = pytest.mark.django_db


def _django_rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_rows_are_the_ones_djangos_cursor_gives(center):
    sql = "SELECT id, code, name, is_active FROM core_center WHERE code = %s AND is_active = %s"
    for _ in range(7):  # past psycopg's prepare threshold on PostgreSQL
        assert fetch(sql, [center.code, True]) == _django_rows(sql, [center.code, True])
    assert fetch(sql, ["nope", True]) == []


def test_a_violated_constraint_is_djangos_integrity_error(center):
    sql = ("INSERT INTO frontdesk_ticketcounter (center_id, day, prefix, last) "
           "VALUES (%s, %s, %s, 1) RETURNING id")
    params = [center.pk, date(2026, 10, 13), "A"]
    assert fetch(sql, params)
    with pytest.raises(IntegrityError, match="ticket_counter_unique|UNIQUE"), \
            transaction.atomic():
        fetch(sql, params)


def test_a_broken_transaction_is_refused_as_django_refuses_it(center):
    with transaction.atomic():
        with pytest.raises(IntegrityError), transaction.atomic(savepoint=False):
            Center.objects.create(code=center.code, name="重复")
        with pytest.raises(TransactionManagementError):
            fetch("SELECT 1", [])


def test_the_statement_counts_as_a_query():
    with CaptureQueriesContext(connection) as queries:
        fetch("SELECT %s", [1])
    assert len(queries.captured_queries) == 1
