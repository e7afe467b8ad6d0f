"""Recompute the hash chain and every balance from the postings; name what does not match."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, select

from ledgers.chain import GENESIS, entry_content, entry_hash
from ledgers.chart import track_of
from ledgers.model import Entry, Posting
from ledgers.records import entry_from_row
from ledgers.schema import balances, chain_head, entries, postings
from subsidies.money import format_yuan_grouped

PAGE = 5000


@dataclass(frozen=True, slots=True)
class VerifyResult:
    entries: int
    first_bad_entry: int | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _pages(conn: Connection):
    """Entries with their postings, in chain order, a page at a time."""
    after = 0
    while True:
        rows = conn.execute(
            select(entries).where(entries.c.id > after).order_by(entries.c.id).limit(PAGE)
        ).all()
        if not rows:
            return
        lines: dict[int, list[Posting]] = defaultdict(list)
        query = (
            select(postings)
            .where(postings.c.entry_id > after, postings.c.entry_id <= rows[-1].id)
            .order_by(postings.c.entry_id, postings.c.line)
        )
        for p in conn.execute(query):
            lines[p.entry_id].append(Posting(p.account, p.fund, p.debit, p.credit))
        yield from (entry_from_row(row, lines[row.id]) for row in rows)
        after = rows[-1].id


def recompute_hash(entry: Entry, prev_hash: str) -> str:
    content = entry_content(
        id=entry.id,
        key=entry.key,
        kind=entry.kind,
        entry_date=entry.entry_date,
        period=entry.period,
        memo=entry.memo,
        ref=entry.ref,
        by=entry.by,
        created_at=entry.created_at,
        reverses_entry_id=entry.reverses_entry_id,
        postings=entry.postings,
    )
    return entry_hash(prev_hash, content)


def verify(conn: Connection) -> VerifyResult:
    problems: list[str] = []
    bad: list[int] = []

    def flag(entry_id: int, text: str) -> None:
        bad.append(entry_id)
        problems.append(f"entry {entry_id}: {text}")

    prev_hash, expected_id, count = GENESIS, 1, 0
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for entry in _pages(conn):
        count += 1
        if entry.id != expected_id:
            flag(expected_id, f"missing: the chain jumps to entry {entry.id}")
        if entry.prev_hash != prev_hash:
            flag(entry.id, "does not link to the entry before it (prev_hash differs)")
        if recompute_hash(entry, entry.prev_hash) != entry.hash:
            flag(entry.id, "content does not match its hash (altered after posting)")
        net: dict[tuple[str, str], int] = defaultdict(int)
        for p in entry.postings:
            net[(track_of(p.account), p.fund_code)] += p.debit - p.credit
            total = totals[(p.account, p.fund_code)]
            total[0] += p.debit
            total[1] += p.credit
        if len(entry.postings) < 2 or any(net.values()):
            flag(entry.id, "debits and credits do not balance")
        prev_hash, expected_id = entry.hash, entry.id + 1

    head = conn.execute(select(chain_head)).one()
    if head.last_entry_id != expected_id - 1 or head.head_hash != prev_hash:
        flag(
            expected_id,
            f"chain head names entry {head.last_entry_id}, the chain ends at {expected_id - 1}",
        )

    stored = {(r.account, r.fund): r for r in conn.execute(select(balances))}
    for pair in sorted(set(stored) | set(totals)):
        dr, cr = totals.get(pair, (0, 0))
        row = stored.get(pair)
        got = (row.debit_total, row.credit_total, row.balance) if row else (0, 0, 0)
        if got != (dr, cr, dr - cr):
            problems.append(
                f"balance {pair[0]} of fund {pair[1]}: stored debit {format_yuan_grouped(got[0])} "
                f"credit {format_yuan_grouped(got[1])}, postings say debit {format_yuan_grouped(dr)} "
                f"credit {format_yuan_grouped(cr)}"
            )
    return VerifyResult(count, min(bad) if bad else None, tuple(problems))
