"""Recompute the hash chain and every balance (and the totals per event,
:mod:`ledgers.event_totals`) from the postings, check every entry's program, walk every sealed table's chain, check an anchor; name what does not match.

The entries posted before migration 0016 were hashed without a program: they come first
in the chain, and an entry there whose hash holds no program has the one the migration
filled in checked by :class:`ledgers.programs.ProgramCheck` instead. The first entry
sealed with a program ends them; no entry after it may leave its program out of its hash.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from sqlalchemy import Connection, Table, bindparam, select

from ledgers import event_totals
from ledgers.anchor import Anchor, check
from ledgers.chain import GENESIS, entry_content, entry_hash
from ledgers.chart import track_of
from ledgers.programs import ProgramCheck
from ledgers.records import as_date, as_datetime
from ledgers.schema import balances, chain_head, entries, postings
from ledgers.seal_verify import SealCheck, verify_sealed
from subsidies.domain.money import format_yuan_grouped

PAGE = 5000


@dataclass(frozen=True, slots=True)
class VerifyResult:
    entries: int
    first_bad_entry: int | None
    problems: tuple[str, ...]  # the journal's, then the sealed tables', then the anchor's
    tables: tuple[SealCheck, ...] = ()  # each sealed table's rows and problems

    @property
    def ok(self) -> bool:
        return not self.problems


class _Line(NamedTuple):
    """A posting as stored, unvalidated: verify reports a bad row, it does not raise on it."""

    account: str
    fund_code: str
    debit: int
    credit: int


_ENTRY_COLUMNS = (
    entries.c.id, entries.c.key, entries.c.kind, entries.c.entry_date, entries.c.period,
    entries.c.memo, entries.c.ref, entries.c.posted_by, entries.c.created_at,
    entries.c.reverses_entry_id, entries.c.hash, entries.c.prev_hash, entries.c.program,
)  # fmt: skip
_ENTRY_PAGE = (
    select(*_ENTRY_COLUMNS)
    .where(entries.c.id > bindparam("after"))
    .order_by(entries.c.id)
    .limit(bindparam("page"))
)
_POSTING_PAGE = (
    select(
        postings.c.entry_id,
        postings.c.account,
        postings.c.fund,
        postings.c.debit,
        postings.c.credit,
    )
    .where(postings.c.entry_id > bindparam("after"), postings.c.entry_id <= bindparam("last"))
    .order_by(postings.c.entry_id, postings.c.line)
)


def _pages(conn: Connection):
    """(entry row, its postings), in chain order, a page at a time; rows as plain tuples."""
    after = 0
    while True:
        rows = conn.execute(_ENTRY_PAGE, {"after": after, "page": PAGE}).all()
        if not rows:
            return
        lines: dict[int, list[_Line]] = defaultdict(list)
        for entry_id, *line in conn.execute(_POSTING_PAGE, {"after": after, "last": rows[-1][0]}):
            lines[entry_id].append(_Line(*line))
        for row in rows:
            yield row, lines.get(row[0], ())
        after = rows[-1][0]


def verify(conn: Connection) -> VerifyResult:
    problems: list[str] = []
    bad: list[int] = []

    def flag(entry_id: int, text: str) -> None:
        bad.append(entry_id)
        problems.append(f"entry {entry_id}: {text}")

    prev_hash, expected_id, count = GENESIS, 1, 0
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    tracks: dict[str, bool] = {}  # account -> track_of(account) == "financial"
    check_program = ProgramCheck(conn)
    before_0016 = True  # no entry sealed with a program yet
    for row, lines in _pages(conn):
        (entry_id, key, kind, entry_date, period, memo, ref, by, created_at, reverses,
         stored_hash, stored_prev, program) = row  # fmt: skip
        count += 1
        if entry_id != expected_id:
            flag(expected_id, f"missing: the chain jumps to entry {entry_id}")
        if stored_prev != prev_hash:
            flag(entry_id, "does not link to the entry before it (prev_hash differs)")
        fields = dict(
            id=entry_id, key=key, kind=kind, entry_date=as_date(entry_date), period=period,
            memo=memo, ref=ref, by=by, created_at=as_datetime(created_at),
            reverses_entry_id=reverses, postings=lines,
        )  # fmt: skip
        if (
            before_0016
            and program is not None
            and entry_hash(stored_prev, entry_content(**fields)) == stored_hash
        ):
            sealed = False  # hashed before 0016, its program filled in by the migration
        elif entry_hash(stored_prev, entry_content(**fields, program=program)) == stored_hash:
            sealed = program is not None
            before_0016 = before_0016 and not sealed
        else:
            flag(entry_id, "content does not match its hash (altered after posting)")
            sealed = True  # nothing to say of its program
        wrong = check_program(
            entry_id, kind, key, (line.account for line in lines), program, sealed=sealed
        )
        if wrong:
            flag(entry_id, wrong)
        net: dict[tuple[bool, str], int] = {}
        for account, fund, debit, credit in lines:
            financial = tracks.get(account)
            if financial is None:
                financial = tracks[account] = track_of(account) == "financial"
            pair = (financial, fund)
            net[pair] = net.get(pair, 0) + debit - credit
            total = totals[(account, fund)]
            total[0] += debit
            total[1] += credit
        if len(lines) < 2 or any(net.values()):
            flag(entry_id, "debits and credits do not balance")
        prev_hash, expected_id = stored_hash, entry_id + 1

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
    problems += _event_total_problems(conn)
    return VerifyResult(count, min(bad) if bad else None, tuple(problems))


def _event_total_problems(conn: Connection) -> list[str]:
    """Each stored (account, fund, event) total against the sum of its postings."""
    stored, summed = event_totals.stored(conn), event_totals.recomputed(conn)
    return [
        f"event total {key[0]} of fund {key[1]} ({key[2]}): stored "
        f"debit {format_yuan_grouped(got[0])} credit {format_yuan_grouped(got[1])}, "
        f"postings say debit {format_yuan_grouped(want[0])} credit {format_yuan_grouped(want[1])}"
        for key in sorted(set(stored) | set(summed))
        if (got := stored.get(key, (0, 0))) != (want := summed.get(key, (0, 0)))
    ]


def verify_ledger(
    conn: Connection,
    sealed: Sequence[Table] = (),
    anchored: tuple[Anchor, str | None] | None = None,
    key: bytes | None = None,
) -> VerifyResult:
    """The journal (:func:`verify`), every sealed table's chain (those the database records,
    and ``sealed``, which must have one), and the anchor (with its signature) if given."""
    result = verify(conn)
    tables = tuple(verify_sealed(conn, sealed))
    outside = check(conn, *anchored, key) if anchored else []
    problems = [p for table in tables for p in table.problems]
    return replace(result, tables=tables, problems=(*result.problems, *problems, *outside))
