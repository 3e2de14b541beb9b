"""One-row INSERT for the rows written on every request of the hall's busiest paths (an audit
entry per change, a ticket per kiosk press). The ORM compiles its INSERT anew on each save,
which costs more CPU than sending it; here the statement is built once per model and only the
values are prepared (by the fields themselves, as the ORM does). No save signals are sent and
no `save()` override runs, so it serves only models that have neither (see the tests)."""

from functools import cache
from typing import TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)


def _column(field: models.Field) -> str:
    assert field.column is not None  # every concrete field has one
    return field.column


@cache
def _statement(model: type[models.Model], vendor: str) -> tuple[str, tuple[models.Field, ...]]:
    meta, quote = model._meta, connection.ops.quote_name
    fields = tuple(f for f in meta.concrete_fields if f is not meta.auto_field)
    columns = ", ".join(quote(_column(f)) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    return (f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}) "
            f"RETURNING {quote(_column(meta.pk))}", fields)


def insert(obj: M) -> M:
    """Write the new `obj` in one statement and give it its primary key."""
    sql, fields = _statement(type(obj), connection.vendor)
    values = [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        obj.pk = cursor.fetchone()[0]
    obj._state.adding, obj._state.db = False, connection.alias
    return obj
