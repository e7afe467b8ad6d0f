"""Posting: the one write path that turns drafts into entries, for one or thousands.

Inside the caller's write transaction it takes the locks in a fixed order — the funds
touched (sorted by code, ``SELECT … FOR UPDATE`` on PostgreSQL), then the chain head —
reads balances under them, applies every draft in order through the invariants, and
writes one statement per table and chunk of entries: postings, then entries (the entry
row closes the entry, see the migrations), through the chunked insert engine
(:mod:`ledgers.chunks`); then one balance update per (account, fund), one upsert of the
totals per (account, fund, event) (:mod:`ledgers.event_totals`), one chain-head update.
SQLite has no row locks; there ``BEGIN IMMEDIATE`` already holds the database lock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import (
    Connection,
    bindparam,
    func,
    insert,
    select,
    update,
)

from ledgers import chart, driver, event_totals
from ledgers.bulk import Converted, bulk_insert
from ledgers.chain import entry_content, entry_hash
from ledgers.chart import Account
from ledgers.chunks import Chunk, EntryHead, Inserts, Lines
from ledgers.errors import IdempotencyConflictError, UnknownAccountError, UnknownFundError
from ledgers.invariants import (
    FundBook,
    check_balanced,
    check_period_open,
    check_reversal,
    same_content,
)
from ledgers.lists import listed, one_of
from ledgers.model import DraftBatch, Entry, EntryDraft, Kind, Posting, period_of
from ledgers.records import ENTRIES_BY_ID, ENTRIES_BY_KEY, fetch_entries
from ledgers.schema import accounts, balances, chain_head, closed_periods, entries, funds
from subsidies.domain.i18n import _

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


_REVERSED = select(entries.c.reverses_entry_id).where(one_of(entries.c.reverses_entry_id, "ids"))


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


# The reads of a post that take a list (funds, accounts, keys) as one parameter.
_LOCK_FUNDS = (
    select(funds.c.code)
    .where(one_of(funds.c.code, "codes"))
    .order_by(funds.c.code)
    .with_for_update()
)
_ACCOUNTS = select(
    accounts.c.code,
    accounts.c.name_zh,
    accounts.c.category,
    accounts.c.normal_side,
    accounts.c.bounded,
    accounts.c.parent,
).where(one_of(accounts.c.code, "codes"))
_BALANCES = select(
    balances.c.account, balances.c.fund, balances.c.debit_total, balances.c.credit_total
).where(one_of(balances.c.fund, "funds"))
_POSTED_KEYS = select(entries.c.key).where(one_of(entries.c.key, "keys"))


def lock_chain_head(conn: Connection) -> tuple[int, str]:
    """Take the chain-head row lock; every writer takes it last, after its fund locks."""
    ((last_entry_id, head_hash),) = driver.execute(conn, _CHAIN_HEAD)
    return last_entry_id, head_hash


def closed_through(conn: Connection) -> str | None:
    return driver.execute(conn, _CLOSED_THROUGH)[0][0]


class _Locked(NamedTuple):
    """What a post reads under its locks before it applies the first draft."""

    last_id: int  # the chain head's
    prev_hash: str
    closed: str | None  # the last closed period
    accounts: dict[str, Account]  # the accounts the drafts use (missing sub-accounts opened)
    existing: dict[str, Entry]  # entries already posted under the drafts' keys (replays)
    originals: dict[int, Entry]  # the entries the drafts reverse
    reversed_ids: set[int]  # those of them already reversed
    balances: dict[tuple[str, str], tuple[int, int]]  # (account, fund) -> (debit, credit)


def _locked_state(
    conn: Connection, batch: DraftBatch, declared: Iterable[Sequence[Posting]]
) -> _Locked:
    """Take the locks in the fixed order (funds by code, then the chain head) and read what
    the drafts depend on under them."""
    used = [p for postings_ in declared for p in postings_]
    fund_codes = sorted({p.fund_code for p in used})
    _lock_funds(conn, fund_codes)
    last_id, prev_hash = lock_chain_head(conn)
    closed = closed_through(conn)
    known = _accounts(conn, sorted({p.account for p in used}))
    existing = _posted(conn, list(batch.keys))
    originals, reversed_ids = _reversal_targets(conn, sorted(set(batch.reverses)))
    balances_ = _balances(conn, fund_codes)
    return _Locked(last_id, prev_hash, closed, known, existing, originals, reversed_ids, balances_)


def post_batch(
    conn: Connection, drafts: Sequence[EntryDraft] | DraftBatch, *, today: date, now: datetime
) -> list[Entry]:
    """Post ``drafts`` in order, all or none; a key already posted with equal content is a replay.

    Given a :class:`~ledgers.model.DraftBatch`, the drafts are built as they are posted.
    """
    batch = drafts if isinstance(drafts, DraftBatch) else DraftBatch.of(drafts)
    keys = batch.keys
    declared = {id(postings_): postings_ for postings_ in batch.postings}
    state = _locked_state(conn, batch, declared.values())
    last_id, prev_hash, closed = state.last_id, state.prev_hash, state.closed
    existing, originals, reversed_ids = state.existing, state.originals, state.reversed_ids
    reversals = set(batch.reverses)
    stored = state.balances
    book = FundBook({pair: dr - cr for pair, (dr, cr) in stored.items()}, state.accounts)

    # Values as the driver takes them, converted once per distinct value (SQLite keeps
    # dates as text); on PostgreSQL the converters are the identity.
    as_day = Converted(conn.dialect, entries, "entry_date")
    stamp = Converted(conn.dialect, entries, "created_at")(now)
    dates: dict[date, tuple[str, object]] = {}  # entry date -> (period, as the driver takes it)
    apply = book.apply
    lines_of: dict[int, Lines] = {}  # id(postings tuple) -> its lines, once checked
    events: dict[tuple[int, str], int] = {}  # (id(postings tuple), event) -> entries posted
    results: list[Entry] = []
    count = 0
    with Inserts(conn, stamp) as inserts:
        chunk = Chunk(last_id + 1, prev_hash)
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
                    lines = lines_of[id(postings_)] = Lines(postings_)
            earlier = existing.get(key)
            if earlier is not None:
                if not same_content(earlier, draft):
                    raise IdempotencyConflictError(
                        _(
                            "key {key} was already used for entry {entry} with different content"
                        ).format(key=key, entry=earlier.id)
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
            program = draft.program
            content = entry_content(
                id=last_id, key=key, kind=kind, entry_date=entry_date, period=period, memo=memo,
                ref=ref, by=by, created_at=now, reverses_entry_id=reverses, postings=lines.json,
                program=program,
            )  # fmt: skip
            entry_hash_ = entry_hash(prev_hash, content)
            entry = Entry(
                last_id, key, kind, entry_date, period, memo, ref, by, now, reverses, entry_hash_,
                prev_hash, postings_, program,
            )  # fmt: skip
            existing[key] = entry
            if reversals:  # a later draft of the batch may reverse this entry
                originals[last_id] = entry
            results.append(entry)
            lines.uses += 1
            event = (id(postings_), kind if reverses is None else originals[reverses].kind)
            events[event] = events.get(event, 0) + 1
            chunk.add(
                EntryHead(
                    key, _KIND_VALUES[kind], dated[1], period, memo, ref, by, reverses, program
                ),
                entry_hash_,
                lines,
            )
            prev_hash = entry_hash_
            if len(chunk.hashes) == inserts.chunk:
                inserts.send(chunk)
                chunk = Chunk(last_id + 1, prev_hash)
        if count != len(keys):
            raise ValueError(f"{len(keys)} drafts declared, {count} given")
        inserts.send(chunk, last=True)

    if inserts.sent:
        _write_balances(conn, _deltas(lines_of.values()), stored.keys(), last_id)
        moved = ((lines_of[i].rows, _KIND_VALUES[e], n) for (i, e), n in events.items())
        event_totals.add(conn, event_totals.deltas(moved))
        driver.execute(conn, _MOVE_CHAIN_HEAD, {"last": last_id, "head": prev_hash})
    return results


def _deltas(used: Iterable[Lines]) -> dict[tuple[str, str], list[int]]:
    """(debit, credit) fen added to each (account, fund) by the entries posted."""
    deltas: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for lines in used:
        for account, fund, debit, credit in lines.rows:
            delta = deltas[(account, fund)]
            delta[0] += debit * lines.uses
            delta[1] += credit * lines.uses
    return deltas


BALANCE_COLUMNS = ("account", "fund", "debit_total", "credit_total", "balance", "last_entry_id")


def _posted(conn: Connection, keys: list[str]) -> dict[str, Entry]:
    """The entries already posted under any of ``keys``, by key (usually none).

    One cheap existence query for all keys first, then the full entries for the keys
    found only.
    """
    found = [key for (key,) in driver.execute(conn, _POSTED_KEYS, {"keys": listed(conn, keys)})]
    if not found:
        return {}
    return {e.key: e for e in fetch_entries(conn, ENTRIES_BY_KEY, {"keys": listed(conn, found)})}


def _lock_funds(conn: Connection, codes: list[str]) -> None:
    """Row locks on the funds, sorted by code, so concurrent writers never deadlock."""
    found = {code for (code,) in driver.execute(conn, _LOCK_FUNDS, {"codes": listed(conn, codes)})}
    missing = [code for code in codes if code not in found]
    if missing:
        raise UnknownFundError(
            _("no fund {fund}: add it with `subsidies fund add`").format(fund=", ".join(missing))
        )


def _accounts(conn: Connection, codes: list[str]) -> dict[str, Account]:
    """The accounts a batch uses; a missing ``PARENT.SUFFIX`` sub-account is opened here."""
    found = {
        code: Account(code, name_zh, category, normal_side, bool(bounded), parent)
        for code, name_zh, category, normal_side, bounded, parent in driver.execute(
            conn, _ACCOUNTS, {"codes": listed(conn, codes)}
        )
    }
    opened = []
    for code in codes:
        if code in found:
            continue
        try:
            found[code] = chart.sub_account(code)
        except KeyError:
            raise UnknownAccountError(
                _("no account {code} in the chart of accounts").format(code=code)
            ) from None
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
    if not targets:
        return {}, set()
    ids = {"ids": listed(conn, targets)}
    originals = {e.id: e for e in fetch_entries(conn, ENTRIES_BY_ID, ids)}
    return originals, set(conn.scalars(_REVERSED, ids))


def _balances(conn: Connection, fund_codes: list[str]) -> dict[tuple[str, str], tuple[int, int]]:
    return {
        (account, fund): (debit, credit)
        for account, fund, debit, credit in driver.execute(
            conn, _BALANCES, {"funds": listed(conn, fund_codes)}
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
