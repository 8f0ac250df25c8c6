"""The few statements run on nearly every request, each built once instead of on every call.

The ORM builds and compiles a query anew on every call. For the statements of a step page and a step save — the
member's packet, the audit entry, the save's UPDATE, its change row and the exhibit list it snapshots — that building
cost more CPU than the database's own work (benchmarks/wizard_cpu.py: a step save was half ORM overhead). Here each
statement's SQL is built once per model, column list and database from the model's metadata, and only the values are
converted on each call, by the same ``get_db_prep_save`` and ``from_db_value`` the ORM uses: encrypted fields are
encrypted, dates stored as Django stores them, on SQLite and PostgreSQL alike. No signals are sent (the models
written here have no receivers). Everything else keeps using the ORM. On PostgreSQL, a step save's UPDATE and the
rows that go with it are one statement (``update_row_inserting``).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from django.db import DatabaseError, connections, router
from django.db.models import Model

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class IfExists:
    """A foreign key's value, stored only if that row still exists (NULL otherwise), checked by the INSERT itself."""

    pk: Any


def insert_row(model: type[Model], **values: Any) -> None:
    """INSERT one row of ``model``. Keys are field names, a foreign key given by its target's primary key (or
    ``IfExists``); every field the table needs must be given, ``auto_now_add`` ones included."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    names = tuple(values)
    shapes = tuple(isinstance(values[name], IfExists) for name in names)
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(model, names, shapes, alias), _insert_params(model, values, connection))


def _insert_params(model: type[Model], values: dict[str, Any], connection: Any) -> list[Any]:
    params = []
    for name, value in values.items():
        field = model._meta.get_field(name)
        if isinstance(value, IfExists):
            field, value = field.target_field, value.pk  # type: ignore[union-attr]
        params.append(field.get_db_prep_save(value, connection))  # type: ignore[union-attr]
    return params


def update_row(model: type[Model], pk: Any, *, where: dict[str, Any], **values: Any) -> bool:
    """UPDATE the row ``pk`` of ``model`` with ``values`` if its columns still hold ``where``; True if it did.

    The condition makes it a compare-and-set: a row changed by someone else since it was read is left alone.
    """
    alias = router.db_for_write(model)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(
            _update_sql(model, tuple(values), tuple(where), alias), _update_params(model, pk, where, values, connection)
        )
        return cursor.rowcount == 1


def _update_params(
    model: type[Model], pk: Any, where: dict[str, Any], values: dict[str, Any], connection: Any
) -> list[Any]:
    meta = model._meta
    params = [meta.get_field(name).get_db_prep_save(value, connection) for name, value in values.items()]  # type: ignore[union-attr]
    params.append(meta.pk.get_db_prep_save(pk, connection))  # type: ignore[union-attr]
    params += [meta.get_field(name).get_db_prep_save(value, connection) for name, value in where.items()]  # type: ignore[union-attr]
    return params


def update_row_inserting(
    model: type[Model],
    pk: Any,
    *,
    where: dict[str, Any],
    values: dict[str, Any],
    rows: Iterable[tuple[type[Model], dict[str, Any]]],
) -> bool:
    """``update_row``, and INSERT each of ``rows`` (a model and its values, as ``insert_row`` takes them) only if the
    UPDATE matched: one statement, so one round trip and, outside a transaction, a transaction of its own.

    PostgreSQL only (data-modifying WITH). A save that writes three rows costs one statement instead of five (BEGIN,
    UPDATE, INSERT, INSERT, COMMIT): on a step save, about an eighth of the worker's and the database's time.
    """
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        raise NotImplementedError(
            "update_row_inserting needs PostgreSQL; use update_row and insert_row in a transaction"
        )
    params = _update_params(model, pk, where, values, connection)
    shapes = []
    for row_model, row_values in rows:
        names = tuple(row_values)
        shapes.append((row_model, names, tuple(isinstance(row_values[name], IfExists) for name in names)))
        params += _insert_params(row_model, row_values, connection)
    sql = _update_inserting_sql(model, tuple(values), tuple(where), tuple(shapes), alias)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            (updated,) = cursor.fetchone()
    except DatabaseError:
        if not connection.in_atomic_block:
            # A transaction that fails closes a connection the server ended; one statement alone does not, and the
            # rest of the request (the page that says nothing was saved) would fail on it. The next query reconnects.
            connection.close_if_unusable_or_obsolete()
        raise
    return bool(updated)


def select_rows(model: type[M], sql: str, params: Iterable[Any], *, extra: tuple[str, ...] = ()) -> list[M]:
    """Instances of ``model`` from ``sql``, which selects ``columns(model)`` and then the ``extra`` values, in order.

    Each instance has its fields converted as the ORM converts them, and each extra value set as an attribute.
    """
    alias = router.db_for_read(model)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, list(params))
        rows = cursor.fetchall()
    width = len(model._meta.concrete_fields)
    instances = []
    for row in rows:
        instance = _instance(model, row[:width], alias)
        for name, value in zip(extra, row[width:], strict=True):
            setattr(instance, name, value)
        instances.append(instance)
    return instances


def select_where(model: type[M], *, where: dict[str, Any], order_by: tuple[str, ...] = ()) -> list[M]:
    """The instances of ``model`` whose fields equal ``where``, in ``order_by`` order, as ``model.objects.filter``."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    meta = model._meta
    names = tuple(field.name for field in meta.concrete_fields)
    params = [meta.get_field(name).get_db_prep_value(value, connection) for name, value in where.items()]  # type: ignore[union-attr]
    return select_rows(model, _select_sql(model, names, tuple(where), order_by, alias), params)


def select_values(
    model: type[Model], names: tuple[str, ...], *, where: dict[str, Any], order_by: tuple[str, ...] = ()
) -> list[tuple[Any, ...]]:
    """The ``names`` fields of the rows of ``model`` that match ``where`` (equality), converted as the ORM would."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    meta = model._meta
    params = [meta.get_field(name).get_db_prep_value(value, connection) for name, value in where.items()]  # type: ignore[union-attr]
    converters = [_converters(meta.get_field(name), alias) for name in names]
    with connection.cursor() as cursor:
        cursor.execute(_select_sql(model, names, tuple(where), order_by, alias), params)
        rows = cursor.fetchall()
    return [tuple(_converted(row, converters, connection)) for row in rows]


def column(model: type[Model], name: str, alias: str = "default") -> str:
    """The quoted column of field ``name`` of ``model`` ("pk" for its primary key)."""
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    name_in_table = getattr(field, "column", None)
    if not name_in_table:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return str(connections[alias].ops.quote_name(name_in_table))


def columns(model: type[Model], table_alias: str, alias: str = "default") -> str:
    """The select list of every concrete column of ``model``, qualified by ``table_alias``, for ``select_rows``."""
    quote = connections[alias].ops.quote_name
    return ", ".join(f"{table_alias}.{quote(field.column)}" for field in model._meta.concrete_fields)  # type: ignore[arg-type]


def table(model: type[Model], alias: str = "default") -> str:
    """The quoted table name of ``model``."""
    return str(connections[alias].ops.quote_name(model._meta.db_table))


def _instance(model: type[M], values: tuple[Any, ...], alias: str) -> M:
    """An instance of ``model`` from the values of its concrete columns, converted as the ORM converts them."""
    attnames, converters = _model_converters(model, alias)
    return model.from_db(alias, attnames, _converted(values, converters, connections[alias]))


@cache
def _model_converters(model: type[Model], alias: str) -> tuple[list[str], list[list[Any]]]:
    fields = model._meta.concrete_fields
    return [field.attname for field in fields], [_converters(field, alias) for field in fields]


def _converted(row: tuple[Any, ...], converters: list[list[Any]], connection: Any) -> list[Any]:
    """The first ``len(converters)`` values of ``row``, each through its field's converters."""
    values = []
    for value, field_converters in zip(row, converters, strict=False):
        for convert in field_converters:
            value = convert(value, None, connection)
        values.append(value)
    return values


@cache
def _converters(field: Any, alias: str) -> list[Any]:
    connection = connections[alias]
    found = list(connection.ops.get_db_converters(field.get_col(field.model._meta.db_table)))
    found += field.get_db_converters(connection)
    return found


@cache
def _insert_sql(model: type[Model], names: tuple[str, ...], shapes: tuple[bool, ...], alias: str) -> str:
    column_names = ", ".join(column(model, name, alias) for name in names)
    placeholders = ", ".join(_placeholders(model, names, shapes, alias))
    return f"INSERT INTO {table(model, alias)} ({column_names}) VALUES ({placeholders})"  # noqa: S608


def _placeholders(model: type[Model], names: tuple[str, ...], shapes: tuple[bool, ...], alias: str) -> list[str]:
    # Names come from the models' metadata, quoted; values are always parameters.
    placeholders = []
    for name, if_exists in zip(names, shapes, strict=True):
        if if_exists:
            target = model._meta.get_field(name).related_model
            key = column(target, "pk", alias)  # type: ignore[arg-type]
            placeholders.append(f"(SELECT {key} FROM {table(target, alias)} WHERE {key} = %s)")  # type: ignore[arg-type]  # noqa: S608
        else:
            placeholders.append("%s")
    return placeholders


@cache
def _update_inserting_sql(
    model: type[Model],
    names: tuple[str, ...],
    where: tuple[str, ...],
    rows: tuple[tuple[type[Model], tuple[str, ...], tuple[bool, ...]], ...],
    alias: str,
) -> str:
    # Each INSERT selects its values FROM the UPDATE's result: no row updated, nothing inserted. The statement's own
    # result is the number of rows updated. A value selected, unlike one in VALUES, has no column to take its type
    # from, so each is cast to its column's type.
    connection = connections[alias]
    parts = [f"updated AS ({_update_sql(model, names, where, alias)} RETURNING 1)"]
    for index, (row_model, row_names, shapes) in enumerate(rows):
        column_names = ", ".join(column(row_model, name, alias) for name in row_names)
        values = ", ".join(
            f"CAST({placeholder} AS {row_model._meta.get_field(name).cast_db_type(connection)})"  # type: ignore[union-attr]
            for name, placeholder in zip(row_names, _placeholders(row_model, row_names, shapes, alias), strict=True)
        )
        insert = f"INSERT INTO {table(row_model, alias)} ({column_names}) SELECT {values} FROM updated"  # noqa: S608
        parts.append(f"inserted_{index} AS ({insert})")
    return f"WITH {', '.join(parts)} SELECT count(*) FROM updated"  # noqa: S608 - names from metadata, values as parameters


@cache
def _update_sql(model: type[Model], names: tuple[str, ...], where: tuple[str, ...], alias: str) -> str:
    assignments = ", ".join(f"{column(model, name, alias)} = %s" for name in names)
    conditions = " AND ".join(f"{column(model, name, alias)} = %s" for name in ("pk", *where))
    return f"UPDATE {table(model, alias)} SET {assignments} WHERE {conditions}"  # noqa: S608 - as above


@cache
def _select_sql(
    model: type[Model], names: tuple[str, ...], where: tuple[str, ...], order_by: tuple[str, ...], alias: str
) -> str:
    selected = ", ".join(column(model, name, alias) for name in names)
    sql = f"SELECT {selected} FROM {table(model, alias)}"  # noqa: S608 - as above
    if where:
        sql += " WHERE " + " AND ".join(f"{column(model, name, alias)} = %s" for name in where)
    if order_by:
        sql += " ORDER BY " + ", ".join(column(model, name, alias) for name in order_by)
    return sql
