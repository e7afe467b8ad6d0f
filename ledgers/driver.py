"""Core statements run on the DB-API cursor: the posting path without SQLAlchemy's per-statement work.

SQLAlchemy's execution of a statement costs about 30 µs, more than SQLite's own work for
a one-row read or write, and one officer's post runs about ten of them. The statements
here are compiled by SQLAlchemy once per dialect and run on the connection's DB-API
cursor, in the caller's transaction, their rows returned as the driver gives them (plain
tuples, no type processing): for columns the driver already returns as Python values
(text, integers). A list of values is one parameter (:mod:`ledgers.lists`), so the SQL
text does not depend on the list's length.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from typing import Any, NamedTuple

from sqlalchemy import (
    Connection,
    Dialect,
    Executable,
)
from sqlalchemy.exc import DBAPIError


def execute(
    conn: Connection,
    statement: Executable,
    params: Mapping[str, Any] | None = None,
    *,
    reused: bool = True,
) -> list[tuple]:
    """Run ``statement`` once; the rows it returns (none for a write), as plain tuples.

    A ``reused`` statement (a module's constant) is compiled once per dialect and kept;
    one built for a single call is compiled for it and not kept, its literal ``IN (…)``
    lists rendered as one parameter a value (they hold their values).
    """
    if reused:
        compiled = _compiled(conn.dialect, statement)
    else:
        compiled = _compile(conn.dialect, statement, in_lists=True)
    with refusals(conn, compiled.sql), closing(conn.connection.cursor()) as cursor:
        cursor.execute(compiled.sql, _bound(compiled, params or {}))
        return cursor.fetchall() if cursor.description else []


def execute_many(
    conn: Connection, statement: Executable, params: Sequence[Mapping[str, Any]]
) -> None:
    """Run ``statement`` once per parameter set, in one DB-API ``executemany``."""
    compiled = _compiled(conn.dialect, statement)
    with refusals(conn, compiled.sql), closing(conn.connection.cursor()) as cursor:
        cursor.executemany(compiled.sql, [_bound(compiled, p) for p in params])


def run_sql(conn: Connection, sql: str, params: Sequence[Any] | Mapping[str, Any]) -> None:
    """Run SQL text already in the driver's form (positional or named ``params``)."""
    with refusals(conn, sql), closing(conn.connection.cursor()) as cursor:
        cursor.execute(sql, params)


@contextmanager
def refusals(conn: Connection, sql: str) -> Iterator[None]:
    """The database's refusal raised as SQLAlchemy's ``DBAPIError`` (e.g. ``IntegrityError``),
    as for any statement SQLAlchemy runs."""
    dbapi = conn.dialect.loaded_dbapi
    try:
        yield
    except dbapi.Error as error:
        raise DBAPIError.instance(sql, None, error, dbapi.Error) from error


def _bound(compiled: _Compiled, params: Mapping[str, Any]):
    given = {**compiled.defaults, **params} if compiled.defaults else params
    return given if compiled.order is None else tuple(given[name] for name in compiled.order)


class _Compiled(NamedTuple):
    sql: str
    order: tuple[str, ...] | None  # parameter names in order, for a positional paramstyle
    defaults: dict[str, Any]  # values the statement binds itself (``id == 1``)


def _compile(dialect: Dialect, statement: Executable, *, in_lists: bool = False) -> _Compiled:
    compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": in_lists})
    order = tuple(compiled.positiontup) if compiled.positional else None
    defaults = {name: value for name, value in compiled.params.items() if value is not None}
    return _Compiled(compiled.string, order, defaults)


_compiled = functools.cache(_compile)
