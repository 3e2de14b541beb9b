"""The UPDATE of `save()` for the rows every case transition saves (the case with its 61
columns, its steps). The ORM writes that statement anew on every save, which costs more CPU
than the database spends running it; here it is written once per model and set of columns and
only the values are prepared, by the fields, as the ORM prepares them. Everything else about
`save()` stays the ORM's: `pre_save` and `post_save` signals, `update_fields`, the INSERT when
no row was updated. Values that are expressions (`F("revision") + 1`) go the ORM's way."""

from functools import cache

from django.db import connections, models

from .inserts import column_of


@cache
def _update_sql(model: type[models.Model], vendor: str, columns: tuple[str, ...]) -> str:
    quote = connections["default"].ops.quote_name
    meta = model._meta
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    return (f"UPDATE {quote(meta.db_table)} SET {assignments} "
            f"WHERE {quote(meta.db_table)}.{quote(column_of(meta.pk))} = %s")


def _plain(values) -> bool:
    """Whether every value is a plain value that the field prepares (no expression, no model
    instance, no field with its own placeholder)."""
    return all(not hasattr(value, "resolve_expression")
               and not hasattr(value, "prepare_database_save")
               and not hasattr(field, "get_placeholder") for field, _, value in values)


class CachedUpdate(models.Model):
    """A model whose saves of an existing row send a statement written once (see the module)."""

    class Meta:
        abstract = True

    # Django 5.2's signature (the stubs installed describe a later one; a test pins it)
    def _do_update(  # type: ignore[override]
            self, base_qs, using, pk_val, values, update_fields, forced_update):
        if (not values or self._meta.select_on_save or base_qs.query.has_filters()
                or not _plain(values)):
            return super()._do_update(  # type: ignore[call-arg]
                base_qs, using, pk_val, values, update_fields, forced_update)
        db = connections[using]
        columns = tuple(field.column for field, _, _ in values)
        params = [field.get_db_prep_save(value, connection=db) for field, _, value in values]
        params.append(self._meta.pk.get_db_prep_value(pk_val, connection=db))
        with db.cursor() as cursor:
            cursor.execute(_update_sql(type(self), db.vendor, columns), params)
            return cursor.rowcount > 0
