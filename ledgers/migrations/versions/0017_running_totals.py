"""Running totals per (account, fund, event), ``event_totals``, and per batch and status,
``batch_totals`` (issue #16).

The console's 首页 shows each fund's appropriated, committed, paid, returned and available
money. They were summed from every posting on each visit (3.6 s at 20,000 payouts under
20 sessions); ``balances`` cannot give them, since one account's credits mix events
(7101: returns and repayments) and a reversal counts under the event it undoes. This
table keeps the debit and credit totals of each (account, fund) split by event, the
entry's kind or, for a reversal, the kind of the entry it reverses
(``ledgers/event_totals.py``); the posting transaction adds to it, ``ledger verify``
recomputes it.

The migration fills it from the postings already there, in one statement. On PostgreSQL
the product's role (0014) may UPDATE it, as it may ``balances``.

Also ``batch_totals``: each batch's claims and fen by status, written with its decisions
(the 批次 list summed every decision of every batch on each visit). Decisions never change,
so neither do these: append-only like the decisions, filled here from those already there.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

FILL = """INSERT INTO event_totals (account, fund, event, debit_total, credit_total)
SELECT p.account, p.fund, CASE WHEN e.reverses_entry_id IS NULL THEN e.kind ELSE o.kind END,
       SUM(p.debit), SUM(p.credit)
FROM postings p
JOIN entries e ON e.id = p.entry_id
LEFT JOIN entries o ON o.id = e.reverses_entry_id
GROUP BY p.account, p.fund, CASE WHEN e.reverses_entry_id IS NULL THEN e.kind ELSE o.kind END"""


BATCH_TOTALS = """INSERT INTO batch_totals (batch_id, status, claims, amount_fen)
SELECT batch_id, status, COUNT(*), SUM(amount_fen) FROM decisions GROUP BY batch_id, status"""


def upgrade() -> None:
    op.create_table(
        "event_totals",
        sa.Column("account", sa.String(100), sa.ForeignKey("accounts.code"), primary_key=True),
        sa.Column("fund", sa.String(100), sa.ForeignKey("funds.code"), primary_key=True),
        sa.Column("event", sa.String(30), primary_key=True),
        sa.Column("debit_total", sa.BigInteger, nullable=False),
        sa.Column("credit_total", sa.BigInteger, nullable=False),
    )
    op.execute(FILL)
    op.create_table(
        "batch_totals",
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), primary_key=True),
        sa.Column("status", sa.String(16), primary_key=True),
        sa.Column("claims", sa.Integer, nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
    )
    op.execute(BATCH_TOTALS)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("GRANT UPDATE ON event_totals TO subsidies_app")
        op.execute(
            """CREATE FUNCTION batch_totals_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'batch_totals is append-only: % refused', TG_OP; END $$"""
        )
        op.execute(
            "CREATE TRIGGER batch_totals_append_only BEFORE UPDATE OR DELETE ON batch_totals "
            "FOR EACH ROW EXECUTE FUNCTION batch_totals_append_only()"
        )
        op.execute(
            "CREATE TRIGGER batch_totals_no_truncate BEFORE TRUNCATE ON batch_totals "
            "FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER batch_totals_no_{action.lower()} BEFORE {action} ON batch_totals "
                f"BEGIN SELECT RAISE(ABORT, 'batch_totals is append-only: {action} refused'); END"
            )


def downgrade() -> None:
    op.drop_table("batch_totals")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS batch_totals_append_only()")
    op.drop_table("event_totals")
