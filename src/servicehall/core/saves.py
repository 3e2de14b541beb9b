"""The INSERT and UPDATE of `save()` for the rows every case transition saves (the case with its
61 columns, its steps, the applicant's messages). The ORM writes those statements anew on every
save, which costs more CPU than the database spends running them; here each is written once
per model and set of columns and only the values are prepared, by the fields, as the ORM
prepares them. Everything else about `save()` stays the ORM's: `pre_save` and `post_save`
signals, `update_fields`, the INSERT when no row was updated, the key set on the object.
Values that are expressions (`F("revision") + 1`) go the ORM's way, and so does a model whose
INSERT returns more than its key."""

from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections, models

from .inserts import column_of, insert_sql


@cache
def _update_sql(model: type[models.Model], vendor: str, columns: tuple[str, ...]) -> str:
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    meta = model._meta
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    return (f"UPDATE {quote(meta.db_table)} SET {assignments} "
            f"WHERE {quote(meta.db_table)}.{quote(column_of(meta.pk))} = %s")


def _plain(fields, values) -> bool:
    """Whether every value is a plain value that its field prepares (no expression, no model
    instance, no field with a placeholder of its own)."""
    return all(not hasattr(value, "resolve_expression")
               and not hasattr(value, "prepare_database_save")
               and not hasattr(field, "get_placeholder")
               for field, value in zip(fields, values, strict=True))


def _concrete(model: type[models.Model], name: str) -> models.Field:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.concrete, f"{name} is not a column"
    return field


def _update(model: type[models.Model], db, fields: list, values: list, pk) -> int:
    """Set the plain `values` of `fields` on the row with key `pk`; the number of rows updated."""
    params = [field.get_db_prep_save(value, connection=db)
              for field, value in zip(fields, values, strict=True)]
    params.append(model._meta.pk.get_db_prep_value(pk, connection=db))
    with db.cursor() as cursor:
        cursor.execute(_update_sql(model, db.vendor, tuple(column_of(f) for f in fields)), params)
        return cursor.rowcount


def update_by_key(model: type[models.Model], pk, **values) -> int:
    """`model.objects.filter(pk=pk).update(**values)` for plain values (no expressions), with
    the statement written once per model and set of columns; the number of rows updated."""
    fields = [_concrete(model, name) for name in values]
    if not _plain(fields, list(values.values())):
        return model._default_manager.filter(pk=pk).update(**values)
    return _update(model, connections[DEFAULT_DB_ALIAS], fields, list(values.values()), pk)


class CachedSave(models.Model):
    """A model whose saves send statements written once (see the module)."""

    class Meta:
        abstract = True

    # Django 5.2's signatures (the stubs installed describe a later one; a test pins them)
    def _do_update(  # type: ignore[override]
            self, base_qs, using, pk_val, values, update_fields, forced_update):
        fields = [field for field, _, _ in values]
        new_values = [value for _, _, value in values]
        if (not values or self._meta.select_on_save or base_qs.query.has_filters()
                or not _plain(fields, new_values)):
            return super()._do_update(  # type: ignore[call-arg]
                base_qs, using, pk_val, values, update_fields, forced_update)
        return _update(type(self), connections[using], fields, new_values, pk_val) > 0

    def _do_insert(self, manager, using, fields, returning_fields, raw):
        db = connections[using]
        if (raw or not fields or list(returning_fields) != [self._meta.pk]
                or not db.features.can_return_columns_from_insert
                or self._meta.pk.get_db_converters(db)):
            return super()._do_insert(  # type: ignore[misc]
                manager, using, fields, returning_fields, raw)
        values = [field.pre_save(self, True) for field in fields]
        if not _plain(fields, values):  # the ORM calls pre_save again: it stamps times anew
            return super()._do_insert(  # type: ignore[misc]
                manager, using, fields, returning_fields, raw)
        params = [field.get_db_prep_save(value, connection=db)
                  for field, value in zip(fields, values, strict=True)]
        with db.cursor() as cursor:
            cursor.execute(insert_sql(type(self), db.vendor,
                                      tuple(column_of(f) for f in fields)), params)
            return cursor.fetchall()
