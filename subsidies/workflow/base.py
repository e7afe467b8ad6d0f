"""What every workflow step shares: its refusal, its clock, and its line in the audit log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, Select, insert, text

from ledgers import driver
from subsidies.workflow.tables import audit_log


class WorkflowError(Exception):
    """A workflow step refused, with the reason an officer can act on."""


def now() -> dt.datetime:
    """UTC, naive (stored as such on SQLite and PostgreSQL alike)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def audit(conn: Connection, by: str, action: str, subject: str, detail: str = "") -> None:
    """Who did what, in the same transaction as the deed (append-only)."""
    conn.execute(
        insert(audit_log).values(at=now(), by=by, action=action, subject=subject, detail=detail)
    )


def serialise(conn: Connection, name: str) -> None:
    """Hold a named lock until this transaction ends, so steps that read-then-write under
    ``name`` (numbering, screening) run one at a time.

    PostgreSQL: a transaction-level advisory lock, taken before the ledger's fund and
    chain-head locks (the order every writer keeps). SQLite: nothing to do, as a write
    transaction (``BEGIN IMMEDIATE``) already excludes every other writer.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})


def fetch_tuples(conn: Connection, statement: Select) -> list[tuple]:
    """Every row of ``statement`` as the driver returns it: plain tuples, no type processing.

    For reading many rows of columns the driver already gives as Python values (text,
    integers), at about half the cost of SQLAlchemy's rows; in the caller's transaction.
    """
    return driver.execute(conn, statement, reused=False)
