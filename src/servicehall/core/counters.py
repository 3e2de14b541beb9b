"""Counter rows bumped in one statement: the day's case numbers, ticket numbers, the places
booked on a day. The row stays locked by the statement until the transaction ends, so the
values handed out are gapless and a rollback gives them back."""

from functools import cache

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

from .inserts import column_of
from .statements import fetch


def bump(model, *, key: dict, column: str, by: int = 1) -> int:
    """Add `by` to `column` of the `model` row that `key` (the attnames of a unique
    constraint) names, creating the row at `max(by, 0)` on first use, and return the new
    value: INSERT … ON CONFLICT … DO UPDATE … RETURNING (PostgreSQL, SQLite ≥ 3.35), sent
    prepared on PostgreSQL (core.statements)."""
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: `connection` looks it up per use
    sql, fields = _statement(model, tuple(key), column, db.vendor)
    params = [f.get_db_prep_value(value, db) for f, value in zip(fields, key.values(),
                                                                  strict=True)]
    return fetch(sql, [*params, max(by, 0), by])[0][0]


def _column(model: type[models.Model], name: str) -> tuple[models.Field, str]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # a concrete field
    return field, connection.ops.quote_name(column_of(field))


@cache
def _statement(model: type[models.Model], key: tuple[str, ...], column: str,
               vendor: str) -> tuple[str, list[models.Field]]:
    """The statement is written once per counter, not on every bump."""
    keyed = [_column(model, name) for name in key]
    target = _column(model, column)[1]
    columns = ", ".join(quoted for _field, quoted in keyed)
    table = connection.ops.quote_name(model._meta.db_table)
    return (f"INSERT INTO {table} ({columns}, {target}) "
            f"VALUES ({', '.join(['%s'] * (len(keyed) + 1))}) "
            f"ON CONFLICT ({columns}) DO UPDATE SET {target} = {table}.{target} + %s "
            f"RETURNING {target}"), [field for field, _quoted in keyed]
