"""The chunked insert engine of a post: entries and their postings, a chunk at a time.

:func:`ledgers.posting.post_batch` builds each entry (an :class:`EntryHead`, its hash, its
:class:`Lines`) into a :class:`Chunk`; :class:`Inserts` sends each chunk to the database,
from a background thread while the next chunk is built when a batch has more than one.

The one process-wide setting it changes: while that thread runs, Python's GIL switch
interval is lowered (:data:`SWITCH_INTERVAL_S`), and ``Inserts.__exit__`` restores it
whatever happened in the block. At Python's default the insert thread waited a third of
its time for the GIL at 1,000,000 entries.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import NamedTuple

from sqlalchemy import Connection

from ledgers import driver
from ledgers.bulk import copy_rows
from ledgers.chain import postings_json
from ledgers.invariants import net_changes
from ledgers.lists import encode_json
from ledgers.model import Posting
from ledgers.schema import entries, postings


class EntryHead(NamedTuple):
    """An entry row's columns but the id, the stamp and the hashes, as the driver takes them."""

    key: str
    kind: str
    entry_date: object  # a date; its text on SQLite
    period: str
    memo: str
    ref: str
    by: str
    reverses_entry_id: int | None
    program: str | None


class Lines:
    """A postings tuple that drafts of a batch share, worked out once: its changes to the
    fund book, its part of the hashed content, its rows, and how many entries posted it."""

    __slots__ = ("changes", "json", "rows", "uses")

    def __init__(self, postings_: Sequence[Posting]) -> None:
        self.changes = net_changes(postings_)
        self.json = postings_json(postings_)
        self.rows = [(p.account, p.fund_code, p.debit, p.credit) for p in postings_]
        self.uses = 0


class Chunk:
    """Entries of a batch with consecutive ids from ``first_id``, as one insert takes them.

    Each entry is its head (the entry row's columns but the id, the stamp and the hashes,
    as the driver takes them: key, kind, entry date, period, memo, ref, by, reversed
    entry, program), its hash (the next entry's previous hash) and the index of its lines among the
    chunk's distinct ``templates``; the rows are derived from these by the database
    (SQLite) or by :meth:`entry_rows` and :meth:`posting_rows` (PostgreSQL).
    """

    __slots__ = ("first_id", "prev_hash", "heads", "hashes", "lines", "templates")

    def __init__(self, first_id: int, prev_hash: str) -> None:
        self.first_id = first_id
        self.prev_hash = prev_hash
        self.heads: list[EntryHead] = []
        self.hashes: list[str] = []
        self.lines: list[int] = []
        self.templates: dict[Lines, int] = {}  # lines -> their index in this chunk

    def add(self, head: EntryHead, hash_: str, lines: Lines) -> None:
        self.heads.append(head)
        self.hashes.append(hash_)
        index = self.templates.get(lines)
        if index is None:
            index = self.templates[lines] = len(self.templates)
        self.lines.append(index)

    def sqlite_params(self, stamp: str) -> tuple[dict, dict]:
        """The parameters of ``_SQLITE_POSTINGS`` and ``_SQLITE_ENTRIES``."""
        hashes = self.prev_hash + "".join(self.hashes)
        if len(hashes) != HASH_DIGITS * (len(self.hashes) + 1):
            raise ValueError(f"a hash is not {HASH_DIGITS} hexadecimal digits")
        return (
            {
                "first_id": self.first_id,
                "templates": encode_json([lines.rows for lines in self.templates]),
                "lines": encode_json(self.lines),
            },
            {
                "first_id": self.first_id,
                "heads": encode_json(self.heads),
                "created_at": stamp,
                "hashes": hashes.encode("ascii"),
            },
        )

    def entry_rows(self, stamp: object) -> list[tuple]:
        """Rows of ``ENTRY_COLUMNS``."""
        ids = range(self.first_id, self.first_id + len(self.heads))
        prev = [self.prev_hash, *self.hashes[:-1]]
        return [
            (entry_id, *head[:7], stamp, head[7], hash_, prev_hash, head[8])
            for entry_id, head, hash_, prev_hash in zip(
                ids, self.heads, self.hashes, prev, strict=True
            )
        ]

    def posting_rows(self) -> list[tuple]:
        """Rows of ``POSTING_COLUMNS``."""
        templates = list(self.templates)
        return [
            (entry_id, line, *row)
            for entry_id, index in enumerate(self.lines, self.first_id)
            for line, row in enumerate(templates[index].rows, 1)
        ]


class Inserts:
    """The chunks ``post_batch`` builds, inserted one by one.

    Each chunk is its postings, then the entries that close them (the entry's check reads
    the postings written just before, still in the database's cache). A batch of more
    than one chunk is inserted by one background thread while the next chunk is built:
    the database works without holding the GIL (SQLite inside one ``INSERT … SELECT``
    call per table, PostgreSQL on its own core), so the hashes and checks of the next
    chunk are computed meanwhile. That thread is the only user of the connection until
    ``__exit__`` has waited for it: ``post_batch`` makes no query between the first
    ``send`` and the end of the block. A failed insert, or an error in the block, ends
    the block with that error once the thread has stopped; the caller's transaction
    then rolls back, so nothing of the batch is posted.
    """

    def __init__(self, conn: Connection, stamp: object) -> None:
        self.conn = conn
        self.stamp = stamp  # created_at of every entry, as the driver takes it
        self.sqlite = conn.dialect.name == "sqlite"
        # post_batch sends when this many entries are built: a small first chunk, so the
        # thread starts soon, then CHUNK at a time
        self.chunk = min(FIRST_CHUNK, CHUNK)
        self.sent = False
        self.pool: ThreadPoolExecutor | None = None  # started by the first chunk of several
        self.pending: list[Future] = []

    def __enter__(self) -> Inserts:
        return self

    def send(self, chunk: Chunk, *, last: bool = False) -> None:
        if not chunk.hashes:
            return
        self.sent = True
        self.chunk = CHUNK
        # Encoded here: on SQLite the thread then needs the GIL for nothing but the calls.
        if self.sqlite:
            insert = functools.partial(self._insert_sqlite, *chunk.sqlite_params(self.stamp))
        else:
            insert = functools.partial(
                self._copy, chunk.posting_rows(), chunk.entry_rows(self.stamp)
            )
        if self.pool is None:
            if last:  # the whole batch in one chunk: no thread
                insert()
                return
            self.pool = ThreadPoolExecutor(1, "ledger-insert")
            self.switch_interval = sys.getswitchinterval()
            sys.setswitchinterval(SWITCH_INTERVAL_S)
        for done in self.pending:
            if done.done():
                done.result()  # a chunk that failed stops the batch now
        self.pending.append(self.pool.submit(insert))

    def _insert_sqlite(self, posting_params: dict, entry_params: dict) -> None:
        driver.run_sql(self.conn, _SQLITE_POSTINGS, posting_params)
        driver.run_sql(self.conn, _SQLITE_ENTRIES, entry_params)

    def _copy(self, posting_rows: list[tuple], entry_rows: list[tuple]) -> None:
        copy_rows(self.conn, postings, POSTING_COLUMNS, posting_rows)
        copy_rows(self.conn, entries, ENTRY_COLUMNS, entry_rows)

    def __exit__(self, error_type, error, traceback) -> None:
        if self.pool is None:
            return
        self.pool.shutdown(wait=True, cancel_futures=error is not None)
        sys.setswitchinterval(self.switch_interval)
        if error is None:
            for done in self.pending:
                done.result()


# SQLite: a chunk (see Chunk) in one statement per table, each running inside one call
# without the GIL. JSON is what carries many values in one parameter; each value read out
# of it costs SQLite a call, so the chunk is sent with as few as it needs. A postings
# template is read once per chunk, not once per posting: the chunk's distinct lines
# tuples (``templates``, [[account, fund, debit, credit], …] each) are joined to each
# entry's index into them (``lines``), through an index SQLite builds on the
# materialised templates. An entry's id is the chunk's first id plus its place; its hash
# and previous hash are 64 hexadecimal digits each, cut out of one blob (``hashes``: the
# previous hash, then every entry's hash in order).
_SQLITE_POSTINGS = """\
INSERT INTO postings (entry_id, line, account, fund, debit, credit)
WITH template (number, line, account, fund, debit, credit) AS MATERIALIZED (
    SELECT t.key, l.key + 1, l.value ->> 0, l.value ->> 1, l.value ->> 2, l.value ->> 3
    FROM json_each(:templates) AS t, json_each(t.value) AS l
)
SELECT :first_id + e.key, template.line, template.account, template.fund, template.debit,
       template.credit
FROM json_each(:lines) AS e CROSS JOIN template ON template.number = e.value"""


HASH_DIGITS = 64  # of a SHA-256 hex digest


_SQLITE_ENTRIES = f"""\
INSERT INTO entries (id, "key", kind, entry_date, period, memo, ref, posted_by, created_at,
                     reverses_entry_id, hash, prev_hash, program)
SELECT :first_id + key, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4,
       value ->> 5, value ->> 6, :created_at, value ->> 7,
       CAST(substr(:hashes, {HASH_DIGITS} * (key + 1) + 1, {HASH_DIGITS}) AS TEXT),
       CAST(substr(:hashes, {HASH_DIGITS} * key + 1, {HASH_DIGITS}) AS TEXT),
       value ->> 8
FROM json_each(:heads)"""


# Entries per chunk: large enough that one INSERT's fixed cost does not count, small enough
# that the first chunk (built before any insert starts) is a small part of a large batch
# and the postings the entry trigger reads are still in SQLite's page cache.
CHUNK = 5_000


FIRST_CHUNK = 1_000


# While the insert thread runs: how long the thread building chunks may hold the GIL when
# the insert thread asks for it (Python's default is 5 ms). The insert thread takes the GIL
# back a few times per statement, around each call into the database; at the default it
# waited about 10 s in all for it at 1,000,000 entries, a third of the insert time.
SWITCH_INTERVAL_S = 0.000_5


ENTRY_COLUMNS = (
    "id", "key", "kind", "entry_date", "period", "memo", "ref", "posted_by", "created_at",
    "reverses_entry_id", "hash", "prev_hash", "program",
)  # fmt: skip


POSTING_COLUMNS = ("entry_id", "line", "account", "fund", "debit", "credit")
