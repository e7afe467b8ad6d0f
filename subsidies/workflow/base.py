"""What every workflow step shares: its refusal, its clock, and its line in the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from filelock import FileLock
from sqlalchemy import Connection, Engine, Select, insert, text

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


@contextmanager
def one_at_a_time(engine: Engine, name: str, key: str = "") -> Iterator[None]:
    """Hold the lock ``name`` (for ``key``) across several transactions, until the block
    ends or the process dies, so that a step made of several transactions (post, then write
    a file, then record it) runs once at a time.

    PostgreSQL: a session advisory lock on ``name:key``, on a connection of its own (the
    server releases it when a killed client's connection ends). SQLite, where writers take
    turns anyway: one lock file per ``name`` beside the database (the operating system
    releases it with the process); an in-memory database has only one process.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            held = {"name": f"{name}:{key}"}
            conn.execute(text("SELECT pg_advisory_lock(hashtext(:name))"), held)
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(hashtext(:name))"), held)
                conn.commit()
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    with FileLock(f"{database}.{name}.lock"):
        yield


def fetch_tuples(conn: Connection, statement: Select) -> list[tuple]:
    """Every row of ``statement`` as the driver returns it: plain tuples, no type processing.

    For reading many rows of columns the driver already gives as Python values (text,
    integers), at about half the cost of SQLAlchemy's rows; in the caller's transaction.
    """
    return driver.execute(conn, statement, reused=False)
