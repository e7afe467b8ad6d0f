"""The administrator's steps on the books: funds, appropriations (拨款), period close (结账)
and reversals (冲销), each taken by a signed-in officer and written to the audit log.

The ledger below (:class:`ledgers.Ledger`) knows no roles; these are the doors the CLI and
the console use (管理员: ``fund.manage``, ``ledger.close``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ledgers import Entry, Fund, Ledger, schemes
from ledgers.schema import entries
from subsidies.domain.i18n import _
from subsidies.domain.money import format_yuan_grouped
from subsidies.workflow.base import Officer, WorkflowError, audit
from subsidies.workflow.permissions import require
from subsidies.workflow.tables import SEALED


def add_fund(
    ledger: Ledger,
    code: str,
    name: str,
    *,
    by: Officer,
    year: int | None = None,
    level: str | None = None,
    region: str | None = None,
) -> Fund:
    """Open fund ``code``; the same fund again returns it, a different one is refused."""
    require(by, "fund.manage", ledger=ledger, subject=f"fund {code}")
    new = code not in {f.code for f in ledger.funds()}
    fund = ledger.add_fund(code, name, year=year, level=level, region=region)
    if new:
        with ledger.transaction() as tx:
            audit(tx, by, "fund.add", code, name)
    return fund


def appropriate(
    ledger: Ledger,
    fund_code: str,
    fen: int,
    *,
    doc: str,
    by: Officer,
    key: str | None = None,
    on: dt.date | None = None,
) -> Entry:
    """拨款 ``fen`` to the fund under document ``doc``; once per key (a replay returns the
    entry posted first, and is not audited again)."""
    require(by, "fund.manage", ledger=ledger, subject=f"fund {fund_code}")
    key = key or f"appropriation:{fund_code}:{doc}"
    draft = schemes.appropriation(fund_code, fen, key=key, doc=doc, on=on, by=by.username)
    with ledger.transaction() as tx:
        posted_before = tx.conn.scalar(select(entries.c.id).where(entries.c.key == key))
        (entry,) = tx.post([draft])
        if posted_before is None:
            audit(tx, by, "fund.appropriate", fund_code, f"{format_yuan_grouped(fen)} 元 {doc}")
    return entry


def require_verified(ledger: Ledger) -> None:
    """Refuse (changing nothing) unless the ledger verifies: an anchor or a close of a
    tampered ledger would vouch for the tampering."""
    result = ledger.verify(SEALED)
    if not result.ok:
        raise WorkflowError(
            _(
                "the ledger does not verify ({problem}): an anchor is taken of an untampered "
                "ledger only"
            ).format(problem=result.problems[0]),
            command="subsidies ledger verify",
        )


def close_period(ledger: Ledger, period: str, *, by: Officer) -> bool:
    """结账 ``period`` (YYYY-MM) and every month before it; False if already closed."""
    require(by, "ledger.close", ledger=ledger, subject=period)
    closed = ledger.close_period(period, by=by.username)
    if closed:
        with ledger.transaction() as tx:
            audit(tx, by, "ledger.close", period)
    return closed


def reverse(
    ledger: Ledger,
    entry_id: int,
    reason: str,
    *,
    by: Officer,
    key: str | None = None,
    on: dt.date | None = None,
) -> Entry:
    """冲销 entry ``entry_id`` by its mirror, dated ``on`` (default today)."""
    require(by, "ledger.close", ledger=ledger, subject=f"entry {entry_id}")
    original = ledger.entry(entry_id)
    key = key or f"reversal:{entry_id}"
    draft = schemes.reversal(original, key=key, reason=reason, on=on, by=by.username)
    with ledger.transaction() as tx:
        (entry,) = tx.post([draft])
        audit(tx, by, "ledger.reverse", f"entry {entry_id}", reason)
    return entry
