"""Seals: tamper evidence for the rows that say who is paid, how much, and who approved.

The journal is a hash chain (:mod:`ledgers.chain`); the workflow's records — payments and
their events, decisions and the claims' input rows, batches and their events, the audit
log, statement lines, recoveries, requests and their decisions, bank files — are not
entries, and an insider editing them in SQL was invisible (issue #18). Each such table
(the caller lists them, ``subsidies.workflow.tables.SEALED``) gets a chain of its own:

- row *n* written to the table stores ``seal_no = n`` and
  ``seal = SHA-256(seal of row n-1 + "\\n" + canonical bytes of row n)``, row 1 chained on
  :data:`~ledgers.chain.GENESIS`;
- the ``seals`` table (:data:`ledgers.schema.seals`) holds each chain's head: the rows
  sealed and the last seal, updated in the transaction that writes the rows
  (:class:`ledgers.sealer.Sealer`, through :class:`ledgers.Transaction`);
- ``Ledger.verify`` walks every chain and names the row edited, deleted or inserted
  (:mod:`ledgers.seal_verify`); an anchor kept outside the database names a chain
  rewritten whole (:mod:`ledgers.anchor`).

A row's canonical bytes are its columns but ``seal``, id and ``seal_no`` included, as a
JSON object with sorted keys, no spaces, UTF-8 (orjson; byte for byte what
``json.dumps(…, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`` gives),
dates ``YYYY-MM-DD``, times ``YYYY-MM-DDTHH:MM:SS[.ffffff]``; a NULL column is left out,
so a nullable column added later does not change the rows sealed before it.
"""

from __future__ import annotations

import hashlib
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

import orjson
from sqlalchemy import BigInteger, Column, String, Table

SEAL_COLUMNS = ("seal_no", "seal")

_SEALED = "ledgers.sealed"  # the table.info key that marks a sealed table


def seal_table(table: Table) -> Table:
    """Add the seal columns to ``table`` (as migration 0013 adds them) and mark it sealed:
    rows written through :class:`ledgers.Transaction` are then sealed as they are written."""
    table.append_column(Column("seal_no", BigInteger, nullable=True))
    table.append_column(Column("seal", String(64), nullable=True))
    table.info[_SEALED] = True
    return table


def is_sealed(table: Table) -> bool:
    return bool(table.info.get(_SEALED))


def content_names(table: Table) -> tuple[str, ...]:
    """The columns a row's canonical bytes cover, sorted: every column but ``seal``."""
    return tuple(sorted(str(c.name) for c in table.columns if c.name != "seal"))


def left_out(table: Table, given: Sequence[str]) -> dict[str, Any]:
    """The value the database stores in each column of ``table`` an insert of ``given``
    leaves out (its server default, a literal; NULL without one), so that the seal covers
    what is stored. A default the database computes cannot be sealed beforehand: such a
    column must be given."""
    values = {}
    for column in table.columns:
        if column.name in given or column.name in ("id", *SEAL_COLUMNS):
            continue
        default = column.server_default
        if default is None:
            values[column.name] = None
            continue
        literal = _LITERAL.fullmatch(str(getattr(default, "arg", "")))
        if literal is None:
            raise ValueError(f"{table.name}.{column.name}: a sealed row must give it")
        values[column.name] = literal.group(1).replace("''", "'")
    return values


_LITERAL = re.compile(r"'((?:[^']|'')*)'")  # a SQL string literal


def _as_bool(value: Any) -> bool:
    return bool(operator.index(value))


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(value)


def _as_datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _as_text(value: Any) -> str:
    return value.value if isinstance(value, Enum) else str(value)


# python type of a column -> (the value types taken as they are, the converter of others)
_NORMAL: dict[type, tuple[frozenset[type], Callable[[Any], Any]]] = {
    bool: (frozenset({bool}), _as_bool),
    int: (frozenset({int}), operator.index),
    datetime: (frozenset({datetime}), _as_datetime),
    date: (frozenset({date}), _as_date),
    str: (frozenset({str}), _as_text),
}


def _normal(table: Table, name: str) -> tuple[frozenset[type], Callable[[Any], Any]]:
    return _NORMAL[table.c[name].type.python_type]


def normalised(table: Table, name: str, values: Sequence[Any]) -> Sequence[Any]:
    """A column's values as the database gives them back (an ``int`` for a ``bool`` in an
    integer column, a ``date`` for its ISO text, …): the values themselves when their
    types are already those, checked once per column rather than once per value."""
    taken, convert = _normal(table, name)
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if kinds <= taken:
        return values
    return [None if v is None else convert(v) for v in values]


def canonical_rows(table: Table, columns: dict[str, Sequence[Any]], count: int) -> Iterator[bytes]:
    """The canonical bytes of ``count`` rows given column by column (``columns``: name ->
    values; a column of :func:`content_names` not given is NULL in every row), one row at a
    time: hashed as they come (:func:`link`), none is kept, which is twice as fast as a
    list of them at a million rows."""
    names = content_names(table)
    missing = [None] * count
    values = [normalised(table, n, columns[n]) if n in columns else missing for n in names]
    dumps = orjson.dumps
    if not any(None in column for column in values):
        return (dumps(dict(zip(names, row, strict=True))) for row in zip(*values, strict=True))
    return (
        dumps({n: v for n, v in zip(names, row, strict=True) if v is not None})
        for row in zip(*values, strict=True)
    )


def link(head: str, contents: Iterable[bytes]) -> list[str]:
    """The seals of rows with ``contents`` written after a chain ending in ``head``."""
    sha256 = hashlib.sha256
    seals: list[str] = []
    append = seals.append
    prev = head.encode()
    for content in contents:
        seal = sha256(prev + b"\n" + content).hexdigest()
        append(seal)
        prev = seal.encode()
    return seals


def seal_of(prev: str, content: bytes) -> str:
    """One row's seal (:func:`link` of one row)."""
    return hashlib.sha256(prev.encode() + b"\n" + content).hexdigest()
