"""Statements for the hot path: written once per process, run again with other values.

Building a query with the ORM costs about half a millisecond of Python on a small server;
running it costs a few tens of microseconds. Saving an answer (autosave in the browser, the
API) runs a handful of statements for every keystroke pause of every respondent in a region,
so those statements are kept here, ready to run (issue 8: 300 saves a second on two cores):

* ``Select``: a ``values_list`` query built by the ORM once per database, with placeholders for
  its parameters; each run puts the values in and converts the rows as the ORM would.
* ``update`` and ``insert``: one row, by its model's fields; the SQL is kept per model and set
  of columns, every value is converted by its field (dates, JSON, booleans) as ``save`` does.
* ``insert_rows``: many rows at once (opening a pre-filled round), without model instances.

Everything else uses the ORM as usual. Tests hold these statements to the ORM's results.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.db import connections, models
from django.db.models import Field, Model, QuerySet

M = TypeVar("M", bound=Model)

_TEXT_MARK = "\x01weerbaar-placeholder-{}\x01"
_NUMBER_MARK = -7_364_019_283_000  # placeholders for integers count down from here


class Select:
    """A query compiled once per database and run with new parameter values.

    ``build`` gets one placeholder per parameter in ``params`` (name → ``int`` or ``str``)
    and returns a ``values_list`` queryset of plain fields (no annotations): the
    placeholders must reach the SQL unchanged, so use them where a column is compared with an
    integer or a string. With ``share``, a ``select_for_update()`` takes a shared row lock
    (``FOR SHARE``: other shared holders go on, writers of the row wait) where the database
    has row locks."""

    def __init__(
        self, build: Callable[..., QuerySet[Any]], *, share: bool = False, **params: type
    ) -> None:
        self._build = build
        self._share = share
        self._params = params
        self._compiled: dict[str, tuple[str, list[Any], dict[str, list[int]], Any]] = {}
        self._converters: dict[str, list[tuple[int, list[Any], Any]]] = {}
        self._lock = threading.Lock()

    def statement(self, using: str = "default", **values: Any) -> tuple[str, list[Any]]:
        """The SQL and its parameters, to run or to use inside another statement."""
        sql, params, positions, _select = self._compiled.get(using) or self._compile(using)
        args = list(params)
        for name, value in values.items():
            for index in positions[name]:
                args[index] = value
        return sql, args

    def rows(self, using: str = "default", **values: Any) -> list[tuple[Any, ...]]:
        sql, args = self.statement(using, **values)
        select = self._compiled[using][3]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            rows = cursor.fetchall()
        converters = self._converters.get(using)
        if converters is None:
            converters = self._converters[using] = _converters(select, connection)
        return _convert(rows, converters, connection) if converters else rows

    def first(self, using: str = "default", **values: Any) -> tuple[Any, ...] | None:
        rows = self.rows(using, **values)
        return rows[0] if rows else None

    def _compile(self, using: str) -> tuple[str, list[Any], dict[str, list[int]], Any]:
        with self._lock:
            if using in self._compiled:
                return self._compiled[using]
            marks: dict[str, Any] = {
                name: _NUMBER_MARK - index if kind is int else _TEXT_MARK.format(name)
                for index, (name, kind) in enumerate(self._params.items())
            }
            queryset = self._build(**marks)
            if queryset.query.annotations or queryset.query.extra:
                raise ValueError("Select takes plain fields only")
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            if self._share and " FOR UPDATE" in sql:
                sql = sql.replace(" FOR UPDATE", " FOR SHARE", 1)
            positions = {
                name: [i for i, value in enumerate(params) if value == mark]
                for name, mark in marks.items()
            }
            missing = [name for name, found in positions.items() if not found]
            if missing:
                raise ValueError(f"placeholders not in the SQL: {missing}")
            select = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
            self._compiled[using] = (sql, list(params), positions, select)
            return self._compiled[using]


def field_names(model: type[Model]) -> list[str]:
    """The columns of ``model`` by attribute name, for a ``Select`` that builds instances."""
    return [field.attname for field in model._meta.concrete_fields]


def instance(model: type[M], names: list[str], values: tuple[Any, ...]) -> M:
    """An instance of ``model`` from a row of ``Select``, as the ORM would load it."""
    return model.from_db(model.objects.db, names, values)  # type: ignore[attr-defined]


def _converters(select: list[Any], connection: Any) -> list[tuple[int, list[Any], Any]]:
    """(column, functions, expression) for the columns the ORM converts when it reads them."""
    converters = []
    for index, expression in enumerate(select):
        functions = connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        )
        if functions:
            converters.append((index, functions, expression))
    return converters


def _convert(
    rows: list[tuple[Any, ...]], converters: list[tuple[int, list[Any], Any]], connection: Any
) -> list[tuple[Any, ...]]:
    """The rows as the ORM returns them (booleans, dates, decimals, JSON)."""
    result = []
    for row in rows:
        values = list(row)
        for index, functions, expression in converters:
            for function in functions:
                values[index] = function(values[index], expression, connection)
        result.append(tuple(values))
    return result


_sql_cache: dict[tuple[str, str, type[Model], tuple[str, ...], tuple[str, ...]], str] = {}
"""SQL of ``update`` and ``insert`` by (kind, database, model, columns set, columns matched)."""


def _column(model: type[Model], name: str) -> tuple[Field[Any, Any], str]:
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    assert isinstance(field, Field), name
    return field, str(field.column)


def update(
    model: type[Model],
    *,
    where: dict[str, Any],
    values: dict[str, Any] | None = None,
    add: dict[str, int] | None = None,
    guard: Select | None = None,
    guard_values: dict[str, Any] | None = None,
    using: str = "default",
) -> int:
    """``UPDATE`` the rows of ``model`` matching ``where`` (equality on fields): set
    ``values``, add ``add`` to numeric columns; with a ``guard``, only while that query finds
    a row (``EXISTS``; it may take row locks). Returns the number of rows changed (a row
    another transaction changed so that it no longer matches is not changed)."""
    values = values or {}
    add = add or {}
    connection = connections[using]
    guard_sql, guard_params = guard.statement(using, **(guard_values or {})) if guard else ("", [])
    key = (
        "update",
        connection.vendor,
        model,
        tuple(values) + tuple(add),
        (*where, guard_sql),
    )
    sql = _sql_cache.get(key)
    quote = connection.ops.quote_name
    if sql is None:
        assignments = [f"{quote(_column(model, name)[1])} = %s" for name in values] + [
            f"{quote(_column(model, name)[1])} = {quote(_column(model, name)[1])} + %s"
            for name in add
        ]
        conditions = [f"{quote(_column(model, name)[1])} = %s" for name in where]
        if guard_sql:
            conditions.append(f"EXISTS ({guard_sql})")
        sql = (
            f"UPDATE {quote(model._meta.db_table)} SET {', '.join(assignments)} "  # noqa: S608
            f"WHERE {' AND '.join(conditions)}"
        )
        _sql_cache[key] = sql
    params = [_prepared(model, name, value, connection) for name, value in values.items()]
    params += list(add.values())
    params += [_prepared(model, name, value, connection) for name, value in where.items()]
    params += guard_params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def insert(model: type[Model], *, using: str = "default", **values: Any) -> None:
    """``INSERT`` one row of ``model`` (its primary key is not read back)."""
    connection = connections[using]
    key = ("insert", connection.vendor, model, tuple(values), ())
    sql = _sql_cache.get(key)
    quote = connection.ops.quote_name
    if sql is None:
        columns = ", ".join(quote(_column(model, name)[1]) for name in values)
        marks = ", ".join(["%s"] * len(values))
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
        _sql_cache[key] = sql
    params = [_prepared(model, name, value, connection) for name, value in values.items()]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def insert_rows(
    model: type[Model], names: Sequence[str], rows: Iterable[Sequence[Any]], using: str = "default"
) -> int:
    """``INSERT`` many rows of ``model`` in one go, converting every value by its field as
    ``save`` does, without building model instances. Returns the row count.

    On PostgreSQL the rows go in with ``COPY … FROM STDIN`` (one stream, not a statement per
    row: a pre-filled country-wide round writes hundreds of thousands); elsewhere with
    ``executemany``. Values a field stores as they are (ids, text, booleans) are not run
    through the field's conversion."""
    connection = connections[using]
    quote = connection.ops.quote_name
    fields = [_column(model, name) for name in names]
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(column) for _field, column in fields)
    converters = [_converter(field, connection) for field, _column_name in fields]
    prepped = [
        [
            None if value is None else convert(value)
            for convert, value in zip(converters, row, strict=True)
        ]
        for row in rows
    ]
    if not prepped:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in prepped:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - model names
            cursor.executemany(sql, prepped)
    return len(prepped)


_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


def _converter(field: Any, connection: Any) -> Any:
    """How ``insert_rows`` turns a (not None) value into what the database gets."""
    if isinstance(field, models.ForeignKey):
        field = field.target_field
    if isinstance(field, _AS_IS):
        return lambda value: (
            value
            if isinstance(value, (int, str))
            else field.get_db_prep_save(value, connection=connection)
        )
    return lambda value: field.get_db_prep_save(value, connection=connection)


def _prepared(model: type[Model], name: str, value: Any, connection: Any) -> Any:
    field, _column_name = _column(model, name)
    return field.get_db_prep_save(value, connection=connection)
