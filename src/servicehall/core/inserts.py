"""INSERT for the rows written on every request of the hall's busiest paths (an audit entry per
change, a ticket per kiosk press, a case's materials, steps and timeline). The ORM compiles its
INSERT anew on each save, which costs more CPU than sending it; here the statement is built once
per model and only the values are prepared (by the fields themselves, as the ORM does). No save
signals are sent and no `save()` override runs, so it serves only models that have neither (see
the tests). The statement goes out prepared on PostgreSQL (core.statements)."""

from collections.abc import Sequence
from functools import cache
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

from .statements import fetch

M = TypeVar("M", bound=models.Model)


def column_of(field: models.Field) -> str:
    assert field.column is not None  # every concrete field has one
    return field.column


PLAIN_TEXT = (models.CharField, models.TextField)  # exactly these: a str is stored as it is


def _keeps_none(field: models.Field) -> bool:
    """Whether the field stores None as NULL unchanged (asked once, of the field itself)."""
    try:
        return field.get_db_prep_save(None, connection) is None
    except Exception:  # noqa: BLE001 - a field that refuses None gets every value prepared
        return False


@cache
def insert_sql(model: type[models.Model], vendor: str, columns: tuple[str, ...],
               rows: int = 1) -> str:
    """INSERT of `rows` rows into these `columns`, returning each row's primary key (also the
    statement of core.saves)."""
    meta, quote = model._meta, connection.ops.quote_name
    values = ", ".join([f"({', '.join(['%s'] * len(columns))})"] * rows)
    return (f"INSERT INTO {quote(meta.db_table)} ({', '.join(map(quote, columns))}) "
            f"VALUES {values} RETURNING {quote(column_of(meta.pk))}")


@cache
def _statement(model: type[models.Model], vendor: str, rows: int = 1
               ) -> tuple[str, tuple[tuple[models.Field, bool, bool], ...]]:
    fields = tuple(f for f in model._meta.concrete_fields if f is not model._meta.auto_field)
    return (insert_sql(model, vendor, tuple(column_of(f) for f in fields), rows),
            tuple((f, _keeps_none(f), type(f) in PLAIN_TEXT) for f in fields))


def insert(obj: M) -> M:
    """Write the new `obj` in one statement and give it its primary key."""
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, as the ORM hands it to fields
    sql, fields = _statement(type(obj), db.vendor)
    obj.pk = fetch(sql, _prepared(obj, fields, db))[0][0]
    obj._state.adding, obj._state.db = False, db.alias
    return obj


def insert_many(objs: Sequence[M]) -> Sequence[M]:
    """Write the new `objs`, all of one model, in one statement and give each its primary
    key. The keys come back in the order of the rows, as the ORM's bulk_create relies on too;
    one statement is kept per model and number of rows, so this serves short lists (a case's
    materials and steps)."""
    if not objs:
        return objs
    db = connections[DEFAULT_DB_ALIAS]
    sql, fields = _statement(type(objs[0]), db.vendor, len(objs))
    keys = fetch(sql, [value for obj in objs for value in _prepared(obj, fields, db)])
    for obj, (pk,) in zip(objs, keys, strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, db.alias
    return objs


def _prepared(obj: models.Model, fields, db) -> list:
    """The values as the fields prepare them for saving; a None that the field stores as NULL
    anyway, and a str for a plain text field, which it hands on unchanged, skip the call."""
    values = []
    for field, keeps_none, plain_text in fields:
        value = field.pre_save(obj, True)
        if not ((value is None and keeps_none) or (plain_text and isinstance(value, str))):
            value = field.get_db_prep_save(value, db)
        values.append(value)
    return values
