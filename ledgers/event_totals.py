"""Running totals per (account, fund, event): what each kind of business event moved.

``balances`` says how much an account holds; it cannot say how much of 7101's credits were
returns and how much repayments, nor what a reversal undid. ``event_totals`` (migration
0017) keeps the debit and credit totals of each (account, fund) split by **event**: the
entry's kind, or for a reversal (冲销) the kind of the entry it reverses, so a reversal
counts under the event it undoes, as the budget execution report counts it. A fund's
appropriated, committed, paid, returned and available figures are then a few rows, not a
pass over the postings (the console's 首页 reads them).

The posting transaction adds to them (one upsert per batch, under the same locks as the
balances); ``ledger verify`` recomputes them from the postings (:func:`recomputed`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Connection, case, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased

from ledgers.schema import entries, event_totals, postings

Totals = dict[tuple[str, str, str], tuple[int, int]]  # (account, fund, event) -> (debit, credit)


def add(conn: Connection, deltas: dict[tuple[str, str, str], list[int]]) -> None:
    """Add (debit, credit) to each (account, fund, event), inserting the rows not there yet."""
    if not deltas:
        return
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = insert(event_totals)
    statement = statement.on_conflict_do_update(
        index_elements=["account", "fund", "event"],
        set_={
            "debit_total": event_totals.c.debit_total + statement.excluded.debit_total,
            "credit_total": event_totals.c.credit_total + statement.excluded.credit_total,
        },
    )
    rows = [
        {"account": a, "fund": f, "event": e, "debit_total": dr, "credit_total": cr}
        for (a, f, e), (dr, cr) in sorted(deltas.items())
    ]
    conn.execute(statement, rows)


def deltas(moved: Iterable[tuple[Iterable[tuple[str, str, int, int]], str, int]]) -> dict:
    """(account, fund, event) -> [debit, credit] of ``moved``: (rows, event, times posted)."""
    out: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for rows, event, uses in moved:
        for account, fund, debit, credit in rows:
            total = out[(account, fund, event)]
            total[0] += debit * uses
            total[1] += credit * uses
    return out


def stored(conn: Connection, fund: str | None = None) -> Totals:
    query = select(event_totals)
    if fund is not None:
        query = query.where(event_totals.c.fund == fund)
    return {(a, f, e): (int(dr), int(cr)) for a, f, e, dr, cr in conn.execute(query)}


def recomputed(conn: Connection) -> Totals:
    """The totals summed from the postings themselves (one pass over the journal)."""
    entry = aliased(entries, name="entry")
    original = aliased(entries, name="original")
    event = case((entry.c.reverses_entry_id.is_(None), entry.c.kind), else_=original.c.kind)
    query = (
        select(
            postings.c.account,
            postings.c.fund,
            event,
            func.sum(postings.c.debit),
            func.sum(postings.c.credit),
        )
        .select_from(
            postings.join(entry, entry.c.id == postings.c.entry_id).join(
                original, original.c.id == entry.c.reverses_entry_id, isouter=True
            )
        )
        .group_by(postings.c.account, postings.c.fund, event)
    )
    return {(a, f, e): (int(dr), int(cr)) for a, f, e, dr, cr in conn.execute(query)}
