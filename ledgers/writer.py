"""Posting: the one write path that turns drafts into entries, for one or thousands.

Inside the caller's write transaction it takes the locks in a fixed order — the funds
touched (sorted by code, ``SELECT … FOR UPDATE`` on PostgreSQL), then the chain head —
reads balances under them, applies every draft in order through the invariants, and
writes one statement per table and chunk of entries: postings, then entries (the entry
row closes the entry, see the migrations), from a background thread while the next chunk
is built (``_Inserts``); then one balance update per (account, fund), one chain-head update.
SQLite has no row locks; there ``BEGIN IMMEDIATE`` already holds the database lock.
"""

from __future__ import annotations

import functools
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import (
    Connection,
    Dialect,
    Select,
    Table,
    bindparam,
    func,
    insert,
    select,
    update,
)

from ledgers import chart, driver
from ledgers.chain import entry_content, entry_hash, postings_json
from ledgers.chart import Account
from ledgers.driver import one_of
from ledgers.errors import IdempotencyConflictError, UnknownAccountError, UnknownFundError
from ledgers.invariants import (
    FundBook,
    check_balanced,
    check_period_open,
    check_reversal,
    net_changes,
    same_content,
)
from ledgers.model import DraftBatch, Entry, EntryDraft, Kind, Posting, period_of
from ledgers.records import ENTRIES_BY_ID, ENTRIES_BY_KEY, chunks, fetch_entries
from ledgers.schema import accounts, balances, chain_head, closed_periods, entries, funds, postings

_CHAIN_HEAD = (
    select(chain_head.c.last_entry_id, chain_head.c.head_hash)
    .where(chain_head.c.id == 1)
    .with_for_update()
)
_CLOSED_THROUGH = select(func.max(closed_periods.c.period))
_MOVE_CHAIN_HEAD = (
    update(chain_head)
    .where(chain_head.c.id == 1)
    .values(last_entry_id=bindparam("last"), head_hash=bindparam("head"))
)
_REVERSED = select(entries.c.reverses_entry_id).where(
    entries.c.reverses_entry_id.in_(bindparam("ids", expanding=True))
)
_ADD_TO_BALANCE = (
    update(balances)
    .where(balances.c.account == bindparam("a"), balances.c.fund == bindparam("f"))
    .values(
        debit_total=balances.c.debit_total + bindparam("dd"),
        credit_total=balances.c.credit_total + bindparam("dc"),
        balance=balances.c.balance + bindparam("db"),
        last_entry_id=bindparam("last"),
    )
)


_KIND_VALUES = {kind: kind.value for kind in Kind}  # as the driver takes them


class _Reads(NamedTuple):
    """The reads of a post that take a list (funds, accounts, keys) as one parameter."""

    lock_funds: Select
    accounts: Select
    balances: Select
    keys: Select


@functools.cache
def _reads(dialect_name: str) -> _Reads:
    return _Reads(
        lock_funds=select(funds.c.code)
        .where(one_of(funds.c.code, "codes", dialect_name))
        .order_by(funds.c.code)
        .with_for_update(),
        accounts=select(
            accounts.c.code,
            accounts.c.name_zh,
            accounts.c.category,
            accounts.c.normal_side,
            accounts.c.bounded,
            accounts.c.parent,
        ).where(one_of(accounts.c.code, "codes", dialect_name)),
        balances=select(
            balances.c.account, balances.c.fund, balances.c.debit_total, balances.c.credit_total
        ).where(one_of(balances.c.fund, "funds", dialect_name)),
        keys=select(entries.c.key).where(one_of(entries.c.key, "keys", dialect_name)),
    )


def lock_chain_head(conn: Connection) -> tuple[int, str]:
    """Take the chain-head row lock; every writer takes it last, after its fund locks."""
    ((last_entry_id, head_hash),) = driver.execute(conn, _CHAIN_HEAD)
    return last_entry_id, head_hash


def closed_through(conn: Connection) -> str | None:
    return driver.execute(conn, _CLOSED_THROUGH)[0][0]


def post_batch(
    conn: Connection, drafts: Sequence[EntryDraft] | DraftBatch, *, today: date, now: datetime
) -> list[Entry]:
    """Post ``drafts`` in order, all or none; a key already posted with equal content is a replay.

    Given a :class:`~ledgers.model.DraftBatch`, the drafts are built as they are posted.
    """
    batch = drafts if isinstance(drafts, DraftBatch) else DraftBatch.of(drafts)
    keys = batch.keys
    declared = {id(postings_): postings_ for postings_ in batch.postings}
    used = [p for postings_ in declared.values() for p in postings_]
    fund_codes = sorted({p.fund_code for p in used})
    _lock_funds(conn, fund_codes)
    last_id, prev_hash = lock_chain_head(conn)
    closed = closed_through(conn)
    known = _accounts(conn, sorted({p.account for p in used}))
    existing = _posted(conn, list(keys))
    reversals = set(batch.reverses)
    originals, reversed_ids = _reversal_targets(conn, sorted(reversals))
    stored = _balances(conn, fund_codes)
    book = FundBook({pair: dr - cr for pair, (dr, cr) in stored.items()}, known)

    # Values as the driver takes them, converted once per distinct value (SQLite keeps
    # dates as text); on PostgreSQL the converters are the identity.
    as_day = _Converted(conn.dialect, entries, "entry_date")
    stamp = _Converted(conn.dialect, entries, "created_at")(now)
    dates: dict[date, tuple[str, object]] = {}  # entry date -> (period, as the driver takes it)
    apply = book.apply
    lines_of: dict[int, _Lines] = {}  # id(postings tuple) -> its lines, once checked
    results: list[Entry] = []
    count = 0
    with _Inserts(conn, stamp) as inserts:
        chunk = _Chunk(last_id + 1, prev_hash)
        for draft in batch.drafts:
            key, postings_, reverses = draft.key, draft.postings, draft.reverses_entry_id
            if count == len(keys) or key != keys[count]:
                raise ValueError(f"draft {count + 1} ({key!r}) is not the key declared for it")
            count += 1
            lines = lines_of.get(id(postings_))
            if lines is None or reverses is not None or draft.kind is Kind.REVERSAL:
                if id(postings_) not in declared or (
                    reverses is not None and reverses not in reversals
                ):
                    raise ValueError(f"draft {key!r} has postings or a reversal not declared")
                check_balanced(draft)
                if lines is None:
                    lines = lines_of[id(postings_)] = _Lines(postings_)
            earlier = existing.get(key)
            if earlier is not None:
                if not same_content(earlier, draft):
                    raise IdempotencyConflictError(
                        f"key {key!r} was already used for entry {earlier.id} with different content"
                    )
                results.append(earlier)
                continue
            entry_date = draft.entry_date or today
            dated = dates.get(entry_date)
            if dated is None:
                dated = dates[entry_date] = (period_of(entry_date), as_day(entry_date))
                check_period_open(dated[0], closed)
            period = dated[0]
            if reverses is not None:
                check_reversal(originals.get(reverses), draft, reverses in reversed_ids)
                reversed_ids.add(reverses)
            apply(lines.changes)

            last_id += 1
            kind, memo, ref, by = draft.kind, draft.memo, draft.ref, draft.by
            content = entry_content(
                id=last_id, key=key, kind=kind, entry_date=entry_date, period=period, memo=memo,
                ref=ref, by=by, created_at=now, reverses_entry_id=reverses, postings=lines.json,
            )  # fmt: skip
            entry_hash_ = entry_hash(prev_hash, content)
            entry = Entry(
                last_id, key, kind, entry_date, period, memo, ref, by, now, reverses, entry_hash_,
                prev_hash, postings_,
            )  # fmt: skip
            existing[key] = entry
            if reversals:  # a later draft of the batch may reverse this entry
                originals[last_id] = entry
            results.append(entry)
            lines.uses += 1
            chunk.add(
                (key, _KIND_VALUES[kind], dated[1], period, memo, ref, by, reverses),
                entry_hash_,
                lines,
            )
            prev_hash = entry_hash_
            if len(chunk.hashes) == inserts.chunk:
                inserts.send(chunk)
                chunk = _Chunk(last_id + 1, prev_hash)
        if count != len(keys):
            raise ValueError(f"{len(keys)} drafts declared, {count} given")
        inserts.send(chunk, last=True)

    if inserts.sent:
        _write_balances(conn, _deltas(lines_of.values()), stored.keys(), last_id)
        driver.execute(conn, _MOVE_CHAIN_HEAD, {"last": last_id, "head": prev_hash})
    return results


class _Lines:
    """A postings tuple that drafts of a batch share, worked out once: its changes to the
    fund book, its part of the hashed content, its rows, and how many entries posted it."""

    __slots__ = ("changes", "json", "rows", "uses")

    def __init__(self, postings_: Sequence[Posting]) -> None:
        self.changes = net_changes(postings_)
        self.json = postings_json(postings_)
        self.rows = [(p.account, p.fund_code, p.debit, p.credit) for p in postings_]
        self.uses = 0


def _deltas(used: Iterable[_Lines]) -> dict[tuple[str, str], list[int]]:
    """(debit, credit) fen added to each (account, fund) by the entries posted."""
    deltas: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for lines in used:
        for account, fund, debit, credit in lines.rows:
            delta = deltas[(account, fund)]
            delta[0] += debit * lines.uses
            delta[1] += credit * lines.uses
    return deltas


class _Chunk:
    """Entries of a batch with consecutive ids from ``first_id``, as one insert takes them.

    Each entry is its head (the entry row's columns but the id, the stamp and the hashes,
    as the driver takes them: key, kind, entry date, period, memo, ref, by, reversed
    entry), its hash (the next entry's previous hash) and the index of its lines among the
    chunk's distinct ``templates``; the rows are derived from these by the database
    (SQLite) or by :meth:`entry_rows` and :meth:`posting_rows` (PostgreSQL).
    """

    __slots__ = ("first_id", "prev_hash", "heads", "hashes", "lines", "templates")

    def __init__(self, first_id: int, prev_hash: str) -> None:
        self.first_id = first_id
        self.prev_hash = prev_hash
        self.heads: list[tuple] = []
        self.hashes: list[str] = []
        self.lines: list[int] = []
        self.templates: dict[_Lines, int] = {}  # lines -> their index in this chunk

    def add(self, head: tuple, hash_: str, lines: _Lines) -> None:
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
                "templates": driver.encode_json([lines.rows for lines in self.templates]),
                "lines": driver.encode_json(self.lines),
            },
            {
                "first_id": self.first_id,
                "heads": driver.encode_json(self.heads),
                "created_at": stamp,
                "hashes": hashes.encode("ascii"),
            },
        )

    def entry_rows(self, stamp: object) -> list[tuple]:
        """Rows of ``ENTRY_COLUMNS``."""
        ids = range(self.first_id, self.first_id + len(self.heads))
        prev = [self.prev_hash, *self.hashes[:-1]]
        return [
            (entry_id, *head[:7], stamp, head[7], hash_, prev_hash)
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


class _Inserts:
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

    def __enter__(self) -> _Inserts:
        return self

    def send(self, chunk: _Chunk, *, last: bool = False) -> None:
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
        _copy(self.conn, postings, POSTING_COLUMNS, posting_rows)
        _copy(self.conn, entries, ENTRY_COLUMNS, entry_rows)

    def __exit__(self, error_type, error, traceback) -> None:
        if self.pool is None:
            return
        self.pool.shutdown(wait=True, cancel_futures=error is not None)
        sys.setswitchinterval(self.switch_interval)
        if error is None:
            for done in self.pending:
                done.result()


# SQLite: a chunk (see _Chunk) in one statement per table, each running inside one call
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
                     reverses_entry_id, hash, prev_hash)
SELECT :first_id + key, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4,
       value ->> 5, value ->> 6, :created_at, value ->> 7,
       CAST(substr(:hashes, {HASH_DIGITS} * (key + 1) + 1, {HASH_DIGITS}) AS TEXT),
       CAST(substr(:hashes, {HASH_DIGITS} * key + 1, {HASH_DIGITS}) AS TEXT)
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


class _Converted:
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
        _copy(conn, table, columns, rows)
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


def _copy(conn: Connection, table: Table, columns: Sequence[str], rows: list[tuple]) -> None:
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


ENTRY_COLUMNS = (
    "id", "key", "kind", "entry_date", "period", "memo", "ref", "posted_by", "created_at",
    "reverses_entry_id", "hash", "prev_hash",
)  # fmt: skip
POSTING_COLUMNS = ("entry_id", "line", "account", "fund", "debit", "credit")
BALANCE_COLUMNS = ("account", "fund", "debit_total", "credit_total", "balance", "last_entry_id")


def _posted(conn: Connection, keys: list[str]) -> dict[str, Entry]:
    """The entries already posted under any of ``keys``, by key (usually none).

    One cheap existence query for all keys first, then the full entries for the keys
    found only.
    """
    read = _reads(conn.dialect.name).keys
    found = [key for (key,) in driver.execute(conn, read, {"keys": driver.values(conn, keys)})]
    posted: dict[str, Entry] = {}
    for part in chunks(sorted(found)):
        posted.update((e.key, e) for e in fetch_entries(conn, ENTRIES_BY_KEY, {"keys": list(part)}))
    return posted


def _lock_funds(conn: Connection, codes: list[str]) -> None:
    """Row locks on the funds, sorted by code, so concurrent writers never deadlock."""
    lock = _reads(conn.dialect.name).lock_funds
    found = {code for (code,) in driver.execute(conn, lock, {"codes": driver.values(conn, codes)})}
    missing = [code for code in codes if code not in found]
    if missing:
        raise UnknownFundError(f"no fund {', '.join(missing)}: add it with `subsidies fund add`")


def _accounts(conn: Connection, codes: list[str]) -> dict[str, Account]:
    """The accounts a batch uses; a missing ``PARENT.SUFFIX`` sub-account is opened here."""
    read = _reads(conn.dialect.name).accounts
    found = {
        code: Account(code, name_zh, category, normal_side, bool(bounded), parent)
        for code, name_zh, category, normal_side, bounded, parent in driver.execute(
            conn, read, {"codes": driver.values(conn, codes)}
        )
    }
    opened = []
    for code in codes:
        if code in found:
            continue
        try:
            found[code] = chart.sub_account(code)
        except KeyError:
            raise UnknownAccountError(f"no account {code} in the chart of accounts") from None
        opened.append(account_row(found[code]))
    if opened:
        conn.execute(insert(accounts), opened)
    return found


def open_account(conn: Connection, code: str, name_zh: str) -> Account:
    """Open the named sub-account ``PARENT.SUFFIX`` in the caller's transaction, if it is not open.

    The caller serialises concurrent openers of one code (a write transaction on SQLite, a
    lock on PostgreSQL); posting to an unopened sub-account opens it under its parent's name.
    """
    try:
        account = chart.sub_account(code, name_zh)
    except KeyError:
        raise UnknownAccountError(f"{code} is not PARENT.SUFFIX of a chart account") from None
    if conn.scalar(select(accounts.c.code).where(accounts.c.code == code)) is None:
        conn.execute(insert(accounts).values(**account_row(account)))
    return account


def account_row(account: Account) -> dict:
    return {
        "code": account.code,
        "name_zh": account.name_zh,
        "track": account.track,
        "category": account.category,
        "normal_side": account.normal_side,
        "bounded": account.bounded,
        "parent": account.parent,
    }


def _reversal_targets(conn: Connection, targets: list[int]) -> tuple[dict[int, Entry], set[int]]:
    """The entries ``targets`` names, by id, and those of them already reversed."""
    originals: dict[int, Entry] = {}
    done: set[int] = set()
    for part in chunks(targets):
        originals.update((e.id, e) for e in fetch_entries(conn, ENTRIES_BY_ID, {"ids": list(part)}))
        done.update(conn.scalars(_REVERSED, {"ids": list(part)}))
    return originals, done


def _balances(conn: Connection, fund_codes: list[str]) -> dict[tuple[str, str], tuple[int, int]]:
    read = _reads(conn.dialect.name).balances
    return {
        (account, fund): (debit, credit)
        for account, fund, debit, credit in driver.execute(
            conn, read, {"funds": driver.values(conn, fund_codes)}
        )
    }


def _write_balances(
    conn: Connection,
    deltas: dict[tuple[str, str], list[int]],
    stored: Iterable[tuple[str, str]],
    last_id: int,
) -> None:
    """One statement per batch for the rows that exist, one for the new ones."""
    stored = set(stored)
    changed = [
        {"a": a, "f": f, "dd": dr, "dc": cr, "db": dr - cr, "last": last_id}
        for (a, f), (dr, cr) in sorted(deltas.items())
        if (a, f) in stored
    ]
    new = [
        (a, f, dr, cr, dr - cr, last_id)
        for (a, f), (dr, cr) in sorted(deltas.items())
        if (a, f) not in stored
    ]
    if changed:
        driver.execute_many(conn, _ADD_TO_BALANCE, changed)
    if new:
        bulk_insert(conn, balances, BALANCE_COLUMNS, new)
