"""The program an entry belongs to, stored as data: ``entries.program`` (issue #14).

Until now a payment named its program only in its key (``disbursement:PROGRAM:CLAIM:N``),
and the budget execution report parsed keys in SQL to find it. The program is now a
column, written when an entry is posted from its draft (``EntryDraft.program``, set by
``ledgers/schemes.py``), sealed in the entry's hash when not null (``ledgers/chain.py``),
and read by the reports as any other column.

This migration adds the column and fills it in, once, for the entries posted before it,
from what each entry itself says:

- 计提 ``payout_accrued`` and 追回(应收) ``recovery_raised``: its 5001.<program> posting;
- 支付 ``disbursement`` and 追回(收款) ``recovery_received``: the program its key names
  (``disbursement:PROGRAM:CLAIM:N``, ``repayment:PROGRAM:CLAIM:N``, read by
  ``ledgers.keys.program_named``): the one time the keys are read for it;
- 退回 ``returned_payment``: the program of the latest earlier payment with its reference;
- 冲销 ``reversal``: the program of the entry it reverses;
- 拨款 ``appropriation``, and an entry none of these names: none (NULL).

That is how the report attributed these entries before, so its figures do not change.
Their hashes were computed without a program and stay as they are; ``ledger verify``
holds their programs to this same rule (``ledgers/programs.py``). Entries are
append-only: the trigger refusing an UPDATE is lifted for the fill and put back in the
same transaction.

Downgrade drops the column; entries posted since then were sealed with their program, and
no longer verify without it.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-11
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from alembic import op

from ledgers.bulk import bulk_insert
from ledgers.keys import program_named

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

PAGE = 50_000

NO_UPDATE_SQLITE = """CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'ledger: entries are append-only, UPDATE refused'); END"""

FROM_ACCOUNT = """UPDATE entries SET program = (
    SELECT substr(p.account, 6) FROM postings p
    WHERE p.entry_id = entries.id AND substr(p.account, 1, 5) = '5001.'
    ORDER BY p.line LIMIT 1)
WHERE kind IN ('payout_accrued', 'recovery_raised')"""

KEYED = sa.text(
    "SELECT id, kind, key FROM entries "
    "WHERE id > :after AND kind IN ('disbursement', 'recovery_received') "
    "ORDER BY id LIMIT :page"
)

RETURNED = """SELECT r.id, d.id, d.program FROM entries r
JOIN entries d ON d.ref = r.ref AND d.kind = 'disbursement' AND d.id < r.id
WHERE r.kind = 'returned_payment'"""

REVERSALS = "SELECT id, reverses_entry_id FROM entries WHERE reverses_entry_id > 0 ORDER BY id"

FILLED = sa.Table(
    "entry_programs_0016",
    sa.MetaData(),
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("program", sa.String(100), nullable=False),
    prefixes=["TEMPORARY"],
)


def upgrade() -> None:
    op.add_column("entries", sa.Column("program", sa.String(100)))
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TRIGGER entries_no_update")
    else:
        op.execute("ALTER TABLE entries DISABLE TRIGGER entries_immutable")
    op.execute(FROM_ACCOUNT)
    _fill_keyed(conn)
    _fill(conn, _returned(conn))
    _fill(conn, _reversed(conn))
    if sqlite:
        op.execute(NO_UPDATE_SQLITE)
    else:
        op.execute("ALTER TABLE entries ENABLE TRIGGER entries_immutable")


def downgrade() -> None:
    op.drop_column("entries", "program")


def _fill(conn: sa.Connection, rows: list[tuple[int, str]]) -> None:
    """Set each (entry id, program) of ``rows``: one insert into a temporary table, one UPDATE."""
    if not rows:
        return
    FILLED.create(conn)
    bulk_insert(conn, FILLED, ("id", "program"), rows)
    conn.execute(
        sa.text(
            f"UPDATE entries SET program = f.program FROM {FILLED.name} f WHERE entries.id = f.id"
        )
    )
    FILLED.drop(conn)


def _fill_keyed(conn: sa.Connection) -> None:
    """Payments and repayments: the program their key names, a page at a time."""
    after = 0
    while rows := conn.execute(KEYED, {"after": after, "page": PAGE}).all():
        named = ((entry_id, program_named(kind, key)) for entry_id, kind, key in rows)
        _fill(conn, [(entry_id, program) for entry_id, program in named if program])
        after = rows[-1][0]


def _returned(conn: sa.Connection) -> list[tuple[int, str]]:
    """Returned payments: the program of the latest payment before each with its reference."""
    latest: dict[int, tuple[int, str | None]] = {}
    for returned, paid, program in conn.execute(sa.text(RETURNED)):
        if returned not in latest or paid > latest[returned][0]:
            latest[returned] = (paid, program)
    return [(entry_id, program) for entry_id, (_, program) in latest.items() if program]


def _reversed(conn: sa.Connection) -> list[tuple[int, str]]:
    """Reversals: the program of the entry each reverses (in id order: a reversal may
    reverse a reversal)."""
    pairs = conn.execute(sa.text(REVERSALS)).all()
    programs = dict(_programs(conn, sorted({target for _, target in pairs})))
    for entry_id, target in pairs:
        programs[entry_id] = programs.get(target)
    return [(entry_id, programs[entry_id]) for entry_id, _ in pairs if programs[entry_id]]


def _programs(conn: sa.Connection, ids: list[int]) -> Iterable[tuple[int, str | None]]:
    query = sa.text("SELECT id, program FROM entries WHERE id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True)
    )
    for start in range(0, len(ids), 500):
        yield from conn.execute(query, {"ids": ids[start : start + 500]})
