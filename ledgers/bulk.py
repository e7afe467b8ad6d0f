"""Many rows into one table in one statement: ``COPY`` on PostgreSQL, one ``executemany``
of an INSERT compiled once on SQLite. The ledger's chunks (:mod:`ledgers.chunks`), its new
balance rows and the workflow's own rows (through :class:`ledgers.Transaction`) go this way.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from sqlalchemy import Connection, Dialect, Table, insert

from ledgers import driver


class Converted:
    """A column's bind converter for ``dialect``, memoised per value (identity if none)."""

    def __init__(self, dialect: Dialect, table: Table, column: str) -> None:
        self.process = _bind_processor(dialect, table, column)
        self.done: dict = {}

    def __call__(self, value):
        if self.process is None:
            return value
        converted = self.done.get(value)
        if converted is None:
            converted = self.done[value] = self.process(value)
        return converted


@functools.cache
def _bind_processor(dialect: Dialect, table: Table, column: str):
    """The driver-side converter of a column's values: SQLite's (dates as text); none on
    PostgreSQL, whose driver takes Python values."""
    if dialect.name != "sqlite":
        return None
    return table.c[column].type.dialect_impl(dialect).bind_processor(dialect)


def bulk_insert(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: list[tuple],
    *,
    converted: bool = False,
) -> None:
    """All ``rows`` in one statement.

    PostgreSQL: ``COPY … FROM STDIN`` (see ``_copy``). SQLite: the INSERT compiled once and
    run as one DB-API ``executemany`` (SQLAlchemy's per-row parameter handling would cost
    more than SQLite's own insert); only columns whose type converts values (dates) are
    processed, once per distinct value, unless the caller says the rows are ``converted``.
    """
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        copy_rows(conn, table, columns, rows)
        return
    sql, order, processors = _compiled_insert(conn.dialect, table, tuple(columns))
    if converted:
        processors = []
    if not processors and order == list(range(len(columns))):
        conn.exec_driver_sql(sql, rows)
        return
    by_column = list(zip(*rows, strict=True))
    for i, process in processors:
        done = {value: process(value) for value in set(by_column[i])}
        by_column[i] = [done[value] for value in by_column[i]]
    conn.exec_driver_sql(sql, list(zip(*(by_column[i] for i in order), strict=True)))


@functools.cache
def _compiled_insert(
    dialect: Dialect, table: Table, columns: tuple[str, ...]
) -> tuple[str, list[int], list]:
    """The INSERT's SQL text, its parameter order and the value converters it needs."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
    order = [columns.index(key) for key in compiled.positiontup]
    processors = [
        (i, process)
        for i, name in enumerate(columns)
        if (process := _bind_processor(dialect, table, name))
    ]
    return compiled.string, order, processors


def copy_rows(conn: Connection, table: Table, columns: Sequence[str], rows: list[tuple]) -> None:
    """PostgreSQL: ``COPY … FROM STDIN`` of ``rows`` through psycopg, in the caller's transaction.

    The fastest way into PostgreSQL (rows adapted in C, no SQL per row); triggers fire as
    for an INSERT. A refusal is raised as SQLAlchemy's ``DBAPIError``, as any statement's.
    """
    quote = conn.dialect.identifier_preparer.quote
    sql = f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with (
        driver.refusals(conn, sql),
        conn.connection.driver_connection.cursor() as cursor,
        cursor.copy(sql) as copy,
    ):
        write = copy.write_row
        for row in rows:
            write(row)
