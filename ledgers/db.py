"""Engines and transactions: SQLite by default, PostgreSQL (psycopg 3) when shared.

A new SQLite ledger file is created readable and writable by its owner only (0600; its
WAL and shared-memory files follow the file's mode): it holds every payee's name, 身份证号
and account. SQLite connections get ``foreign_keys=ON``, WAL and a busy timeout, and
SQLAlchemy emits BEGIN itself (pysqlite's own transaction handling is switched off):
``BEGIN IMMEDIATE`` for writes, so one writer at a time holds the database lock from its
first read of a balance to its commit, and a plain ``BEGIN`` for reads.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from ledgers import driver

DEFAULT_URL = "sqlite:///subsidies.db"
SQLITE_BUSY_TIMEOUT_S = 60
# Page cache per connection (KiB; SQLite's default is 2 MiB). A bulk post's triggers read
# back the postings it has just written: with the default cache those pages have been
# spilled to the WAL already and are read back from it, which doubled the insert time.
SQLITE_CACHE_KIB = 64 * 1024


_DRIVE = re.compile(r"^sqlite://(?=[A-Za-z]:[\\/])")  # sqlite://C:\… (a slash short)


def resolve_url(url: str | None) -> URL:
    r"""``--db`` value, else ``$SUBSIDIES_DB``, else ``./subsidies.db``.

    A bare path is a SQLite file, taken as it is written (``C:\账本\2024.db``,
    ``\\server\share\ledger.db``, a name with ``#`` or ``?``), never parsed as a URL.
    ``sqlite:///C:\账本\2024.db`` is that file too, and so is the Windows slip
    ``sqlite://C:\账本\2024.db`` (two slashes where a URL has three before a drive)."""
    url = url or os.environ.get("SUBSIDIES_DB") or DEFAULT_URL
    if "://" not in url:
        return URL.create("sqlite", database=url)
    if _DRIVE.match(url):
        return URL.create("sqlite", database=url[len("sqlite://") :])
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return make_url(url)


def create_ledger_engine(url: str | URL) -> Engine:
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    # No server-side prepared statements: psycopg would prepare a repeated query with
    # the generic plan of the day the tables were empty (a sequential scan) and keep it.
    return create_engine(url, pool_pre_ping=True, connect_args={"prepare_threshold": None})


def _sqlite_engine(url: str | URL) -> Engine:
    _create_private(make_url(url).database)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN, see _on_begin
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        # Statement journals (one per row of a bulk insert into a table with triggers)
        # and temporary B-trees in memory, not in temporary files: a third of the insert
        # time at 300,000 entries.
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("ledger_write", False)
        driver.run_sql(conn, "BEGIN IMMEDIATE" if immediate else "BEGIN", ())

    return engine


def _create_private(database: str | None) -> None:
    """Create the ledger file with mode 0600 if it does not exist (SQLite would create it
    with the process's default mode, usually readable by everyone); an empty file is an
    empty database."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    with suppress(FileExistsError):
        os.close(os.open(database, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction: committed on success, rolled back on any exception."""
    with engine.connect() as conn:
        conn.execution_options(ledger_write=True)
        with conn.begin():
            yield conn


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A read transaction: one consistent snapshot, never committed."""
    with engine.connect() as conn, conn.begin():
        yield conn
