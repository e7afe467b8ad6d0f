"""Sealing rows as a transaction writes them (:mod:`ledgers.seals`): ids, seal numbers,
seals, and the chain heads moved before the commit.

Writers of sealed rows take turns: on SQLite the write transaction (``BEGIN IMMEDIATE``)
holds the database; on PostgreSQL every :meth:`ledgers.Ledger.transaction` first takes
the writers' lock (:func:`hold_writers_lock`), before any other lock, so a chain's head
read at the first row is still the head at the commit, ids are taken in the order rows
are sealed, and no two writers wait on each other's locks in opposite orders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, bindparam, func, select, text, update

from ledgers import driver
from ledgers.errors import SchemaError
from ledgers.schema import seals
from ledgers.seals import SEAL_COLUMNS, canonical_rows, left_out, link

# The key of the writers' lock, with the schema's name (two ledgers in one database,
# schemas of their own, do not wait on each other); two-key advisory locks are a space of
# their own, apart from Transaction.serialise's one-key locks.
WRITERS_LOCK_CLASS = 18_001

_HEAD = select(seals.c.row_count, seals.c.head_hash).where(seals.c.table_name == bindparam("table"))
_MOVE_HEAD = (
    update(seals)
    .where(seals.c.table_name == bindparam("table"))
    .values(row_count=bindparam("rows"), head_hash=bindparam("head"))
)


def hold_writers_lock(conn: Connection) -> None:
    """PostgreSQL: the writers' lock, until the transaction ends (SQLite: nothing to do)."""
    if conn.dialect.name == "postgresql":
        conn.execute(
            text("SELECT pg_advisory_xact_lock(:class, hashtext(current_schema()))"),
            {"class": WRITERS_LOCK_CLASS},
        )


@dataclass(slots=True)
class _Chain:
    """A sealed table's chain as this transaction has moved it."""

    rows: int
    head: str
    next_id: int | None  # SQLite: the next row's id; PostgreSQL: None (the sequence)
    moved: bool = False


class Sealer:
    """The seals of the rows one transaction writes, and the heads it moves."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.chains: dict[str, _Chain] = {}

    def seal(
        self, table: Table, columns: Sequence[str], rows: Sequence[tuple]
    ) -> tuple[tuple[str, ...], list[tuple], Sequence[int]]:
        """The columns and rows to insert: an id, the seal number and the seal added to each
        row (given without them); and the ids."""
        taken = {"id", *SEAL_COLUMNS}.intersection(columns)
        if taken:
            raise ValueError(f"{table.name}: {sorted(taken)} are given by the seal, not the caller")
        chain = self._chain(table)
        count = len(rows)
        ids = self._ids(table, chain, count)
        numbers = range(chain.rows + 1, chain.rows + count + 1)
        given = dict(zip(columns, zip(*rows, strict=True), strict=True)) if rows else {}
        implicit = left_out(table, columns)  # stored explicitly, as sealed
        given |= {name: [value] * count for name, value in implicit.items()}
        contents = canonical_rows(table, {**given, "id": ids, "seal_no": numbers}, count)
        sealed = link(chain.head, contents)
        if sealed:
            chain.rows, chain.head, chain.moved = numbers[-1], sealed[-1], True
        extra = tuple(implicit.values())
        rows_out = [
            (row_id, *row, *extra, number, seal)
            for row_id, row, number, seal in zip(ids, rows, numbers, sealed, strict=True)
        ]
        return ("id", *columns, *implicit, *SEAL_COLUMNS), rows_out, ids

    def finish(self) -> None:
        """Move the heads of the chains this transaction extended (before its commit)."""
        moved = [
            {"table": name, "rows": chain.rows, "head": chain.head}
            for name, chain in sorted(self.chains.items())
            if chain.moved
        ]
        if moved:
            driver.execute_many(self.conn, _MOVE_HEAD, moved)
        for chain in self.chains.values():
            chain.moved = False

    def _chain(self, table: Table) -> _Chain:
        chain = self.chains.get(table.name)
        if chain is None:
            found = driver.execute(self.conn, _HEAD, {"table": table.name})
            if not found:
                raise SchemaError(
                    f"{table.name} is sealed but the database has no seal for it: "
                    "run `subsidies init`"
                )
            ((rows, head),) = found
            next_id = None
            if self.conn.dialect.name != "postgresql":
                next_id = (self.conn.scalar(select(func.max(table.c.id))) or 0) + 1
            chain = self.chains[table.name] = _Chain(rows, head, next_id)
        return chain

    def _ids(self, table: Table, chain: _Chain, count: int) -> Sequence[int]:
        """``count`` new ids, in the order the rows are sealed: SQLite's next rowids (the
        write transaction excludes other writers); PostgreSQL's sequence, advanced by
        ``count`` in one call under the writers' lock."""
        if not count:
            return range(0)
        if chain.next_id is not None:
            first, chain.next_id = chain.next_id, chain.next_id + count
            return range(first, first + count)
        last: Any = self.conn.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, 'id'),"
                " nextval(pg_get_serial_sequence(:table, 'id')) + :count - 1)"
            ),
            {"table": table.name, "count": count},
        ).scalar_one()
        return range(last - count + 1, last + 1)
