"""A list of values in SQL: one way, whatever the list's length and the database.

``WHERE column IN (:a, :b, …)`` binds one parameter a value: the SQL text changes with
the list's length (no statement cache), and long lists hit the drivers' limits (SQLite's
bound-parameter cap, PostgreSQL's 65,535 binds), which callers then worked around with
chunks. Here the whole list is *one* parameter: ``column = ANY(:name)`` with an array on
PostgreSQL, ``column IN (SELECT value FROM json_each(:name))`` with a JSON array on
SQLite. Write ``one_of(column, "name")`` in the statement and pass ``listed(conn, items)``
as ``name``'s value, through SQLAlchemy or through :mod:`ledgers.driver` alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Connection, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.sqltypes import NullType
from sqlalchemy.sql.visitors import InternalTraversal

# Values as JSON text, for SQLite's json_each (lists here, a chunk's rows in the writer):
# one encoder, not one a call.
encode_json = json.JSONEncoder(ensure_ascii=False, check_circular=False, allow_nan=False).encode


class _OneOf(ColumnElement[bool]):
    """``column`` is one of the list bound as ``name``; compiled per dialect (below)."""

    inherit_cache = True
    # Not Boolean: SQLAlchemy writes a Boolean element standing alone in a WHERE as
    # ``(…) = 1`` on SQLite, which keeps SQLite from using the column's index.
    type = NullType()
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("name", InternalTraversal.dp_string),
    ]

    def __init__(self, column: ColumnElement, name: str) -> None:
        self.column = column
        self.name = name


def one_of(column: ColumnElement, name: str) -> ColumnElement[bool]:
    """``column`` is one of the list bound as ``name`` (its value: :func:`listed`)."""
    return _OneOf(column, name)


def listed(conn: Connection, items: Iterable[Any]) -> Any:
    """The value of a :func:`one_of` parameter: an array for PostgreSQL, JSON for SQLite."""
    items = list(items)
    return items if conn.dialect.name == "postgresql" else encode_json(items)


@compiles(_OneOf)
def _in_json_array(element: _OneOf, compiler, **kw) -> str:
    listed_values = func.json_each(bindparam(element.name)).table_valued("value")
    return compiler.process(element.column.in_(select(listed_values.c.value)), **kw)


@compiles(_OneOf, "postgresql")
def _any_of_array(element: _OneOf, compiler, **kw) -> str:
    array = bindparam(element.name, type_=ARRAY(element.column.type))
    return compiler.process(element.column == any_(array), **kw)
