"""Querysets of one fixed shape, written to SQL by the ORM once per database connection and then
run with new values. On the hall's busiest paths (the bearer token of every API call, the case
row a transition locks, the rules supervision applies) the ORM spends more CPU writing a
statement than the database spends running it; here it writes it once. What the ORM does with
the rows is kept: its converters (the PII fields decrypt), `select_related`, deferred fields,
and the refusal of FOR UPDATE outside a transaction.

A shape is declared with the values that change from call to call, each with its type:

    TOKEN = Compiled(lambda digest: ApiToken.objects.filter(digest=digest)[:1], digest=str)
    token = TOKEN.first(digest=d)

The lambda runs once per connection, with a stand-in value of each type that no real call
uses; the positions where the stand-ins land among the statement's parameters are where each
call's values go. A value the ORM transforms on its way into the statement (wrapped in `%` for
`__contains`, say) would not be found there and is refused when the shape is first written, as
are shapes this does not reproduce (prefetching, annotations on model rows, known related
objects). The shape must not depend on the values: a list for `__in` keeps its length."""

from collections.abc import Callable
from itertools import count
from typing import Any, Generic, TypeVar
from weakref import WeakKeyDictionary

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import (
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.transaction import TransactionManagementError

M = TypeVar("M")

_STAND_INS = count(1)


def _stand_in(kind: type) -> Any:
    """A value of `kind` that no real call passes (negative keys, a string no user types)."""
    n = next(_STAND_INS)
    if kind is int:
        return -7_300_000_000_000_000_000 - n
    if kind is str:
        return f"\x1fslot-{n}\x1f"
    raise TypeError(f"a compiled queryset takes int or str values, not {kind.__name__}")


class _Plan:
    """One shape as written for one connection: the statement, where each value goes, and what
    turns a row into the queryset's result."""

    def __init__(self, queryset: QuerySet, stand_ins: dict[str, Any], db,
                 optional: frozenset[str]) -> None:
        if queryset._prefetch_related_lookups or queryset._known_related_objects:  # type: ignore[attr-defined]
            raise ValueError("a compiled queryset cannot prefetch or carry known objects")
        if queryset._iterable_class not in (ModelIterable, ValuesIterable, ValuesListIterable):
            raise ValueError("a compiled queryset yields model instances, dicts or tuples")
        query = queryset.query
        self.compiler = query.get_compiler(connection=db)
        try:
            sql, params = self.compiler.as_sql()
        except EmptyResultSet:  # a filter that lets nothing through: no statement, as the ORM
            self.sql = None
            return
        self.sql = sql
        if self.compiler.has_extra_select:
            raise ValueError("a compiled queryset cannot carry extra select columns")
        self.params = list(params)
        self.slots = {name: [i for i, p in enumerate(self.params) if p == value
                             and type(p) is type(value)]
                      for name, value in stand_ins.items()}
        lost = [name for name, places in self.slots.items()
                if not places and name not in optional]
        if lost:
            raise ValueError(f"the values {lost} do not reach the statement unchanged")
        self.for_update = bool(query.select_for_update and db.features.has_select_for_update)
        select = self.compiler.select[:self.compiler.col_count]
        self.converters = self.compiler.get_converters([s[0] for s in select])
        self.db_alias = db.alias
        self.model, self.names = None, None
        if queryset._iterable_class is ValuesListIterable:
            return
        if queryset._iterable_class is ValuesIterable:
            self.names = list(query.selected) if query.selected else [
                *query.extra_select, *query.values_select, *query.annotation_select]
            return
        klass_info = self.compiler.klass_info
        if self.compiler.annotation_col_map:
            raise ValueError("a compiled queryset of model rows cannot annotate")
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [f[0].target.attname for f in select[self.start:self.end]]
        # Django 5.2's signature (the stubs installed describe a later one)
        self.populators = get_related_populators(  # type: ignore[call-arg]
            klass_info, self.compiler.select, db.alias)

    def params_with(self, values: dict[str, Any]) -> list:
        params = self.params.copy()
        for name, places in self.slots.items():
            for i in places:
                params[i] = values[name]
        return params

    def results(self, rows: list) -> list:
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        if self.names is not None:
            return [dict(zip(self.names, row, strict=True)) for row in rows]
        if self.model is None:
            return [tuple(row) for row in rows]
        objs = []
        for row in rows:
            obj = self.model.from_db(self.db_alias, self.init_list, row[self.start:self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            objs.append(obj)
        return objs


class Compiled(Generic[M]):
    """A queryset shape (see the module's docstring): `all`, `first` and `get` run it."""

    def __init__(self, build: Callable[..., "QuerySet[Any, M]"], /, *,
                 optional: tuple[str, ...] = (), **slots: type) -> None:
        """`optional`: values that this shape may leave out of its statement."""
        self.build, self.slots, self.optional = build, slots, frozenset(optional)
        self._plans: WeakKeyDictionary = WeakKeyDictionary()

    def _plan(self, db) -> _Plan:
        plan = self._plans.get(db)
        if plan is None:
            stand_ins = {name: _stand_in(kind) for name, kind in self.slots.items()}
            plan = self._plans[db] = _Plan(self.build(**stand_ins), stand_ins, db, self.optional)
        return plan

    def all(self, **values: Any) -> list[M]:
        """Every row, as the queryset yields them: model instances, dicts (`values`) or tuples
        (`values_list`)."""
        if values.keys() != self.slots.keys():
            raise TypeError(f"expected the values {sorted(self.slots)}, got {sorted(values)}")
        db = connections[DEFAULT_DB_ALIAS]
        plan = self._plan(db)
        if plan.sql is None:
            return []
        if plan.for_update and db.get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction.")
        with db.cursor() as cursor:
            cursor.execute(plan.sql, plan.params_with(values))
            rows = cursor.fetchall()
        return plan.results(rows)

    def first(self, **values: Any) -> M | None:
        """The first row, or None (the shape itself orders and limits)."""
        rows = self.all(**values)
        return rows[0] if rows else None

    def get(self, **values: Any) -> M:
        """The one row, or the model's DoesNotExist / MultipleObjectsReturned."""
        rows = self.all(**values)
        if len(rows) == 1:
            return rows[0]
        model: Any = self._model()
        if not rows:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        raise model.MultipleObjectsReturned(
            f"get() returned more than one {model._meta.object_name}.")

    def _model(self) -> type[Model]:
        return self._plan(connections[DEFAULT_DB_ALIAS]).compiler.query.model
