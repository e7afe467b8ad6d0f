"""The one front door for writing: a transaction in which the ledger posts entries and the
caller inserts its own rows, all committed together or not at all.

The workflow records a batch's decisions, payments and events in the same transaction as
the entries they explain, so a crash leaves both or neither. It writes them through this
handle (``with ledger.transaction() as tx``), never through the posting internals, and
reads through ``tx.conn`` (SQLAlchemy Core) or :meth:`Transaction.fetch_tuples`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Executable, Table, insert, text

from ledgers import driver, reports
from ledgers.bulk import bulk_insert
from ledgers.chart import Account
from ledgers.model import Entry, EntryDraft
from ledgers.posting import open_account, post_batch


def utc_now() -> dt.datetime:
    """UTC, naive (stored as such on SQLite and PostgreSQL alike)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def fetch_tuples(
    conn: Connection, statement: Executable, params: Mapping[str, Any] | None = None
) -> list[tuple]:
    """Every row of ``statement`` (its parameters bound by ``params``) as the driver returns
    it: plain tuples, no type processing.

    For reading many rows of columns the driver already gives as Python values (text,
    integers), at about half the cost of SQLAlchemy's rows; in the caller's transaction.
    """
    return driver.execute(conn, statement, params, reused=False)


class Transaction:
    """One write transaction (``Ledger.transaction``); ``conn`` for the caller's own reads."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @property
    def dialect(self) -> str:
        return self.conn.dialect.name

    def post(self, drafts: Iterable[EntryDraft]) -> list[Entry]:
        """Post the drafts in order (replays return the originals); none posts nothing."""
        drafts = drafts if hasattr(drafts, "__len__") else list(drafts)
        if not drafts:
            return []
        return post_batch(self.conn, drafts, today=dt.date.today(), now=utc_now())

    def open_account(self, code: str, name_zh: str) -> Account:
        """Open the sub-account ``PARENT.SUFFIX`` if it is not open yet (the caller serialises
        openers of one code, see :meth:`serialise`)."""
        return open_account(self.conn, code, name_zh)

    def insert(self, table: Table, **values: Any) -> Any:
        """Insert one row of the caller's; returns its primary key."""
        return self.conn.execute(insert(table).values(**values)).inserted_primary_key[0]

    def insert_rows(
        self, table: Table, columns: Sequence[str], rows: list[tuple], *, converted: bool = False
    ) -> None:
        """Insert many rows of the caller's in one statement (COPY on PostgreSQL); values in
        ``columns`` order, dates converted by the column type unless ``converted``."""
        bulk_insert(self.conn, table, columns, rows, converted=converted)

    def fetch_tuples(
        self, statement: Executable, params: Mapping[str, Any] | None = None
    ) -> list[tuple]:
        return fetch_tuples(self.conn, statement, params)

    def available(self, fund_code: str) -> int:
        """What the fund can still commit, as this transaction sees it."""
        return reports.available(self.conn, fund_code)

    def serialise(self, name: str) -> None:
        """Hold a named lock until this transaction ends, so steps that read-then-write under
        ``name`` (numbering, screening) run one at a time.

        PostgreSQL: a transaction-level advisory lock, taken before the ledger's fund and
        chain-head locks (the order every writer keeps). SQLite: nothing to do, as a write
        transaction (``BEGIN IMMEDIATE``) already excludes every other writer.
        """
        if self.dialect == "postgresql":
            self.conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})
