"""Running totals for the console's 首页 and 批次 list, and an index of the people claims
name for its 查询 (issue #16).

- ``event_totals``: the debit and credit totals of each (account, fund) split by event,
  the entry's kind or, for a reversal, the kind of the entry it reverses
  (``ledgers/event_totals.py``). 首页 shows each fund's appropriated, committed, paid,
  returned and available money; they were summed from every posting on each visit (3.6 s
  at 20,000 payouts under 20 sessions), and ``balances`` cannot give them (one account's
  credits mix events: 7101's returns and repayments; a reversal counts under the event it
  undoes). The posting transaction adds to it, ``ledger verify`` recomputes it; on
  PostgreSQL the product's role (0014) may UPDATE it, as it may ``balances``.
- ``batch_totals``: each batch's claims and fen by status, written with its decisions
  (the 批次 list summed every decision of every batch on each visit).
- ``claim_people``: each 身份证号 or 统一社会信用代码 a claim's cells hold, with the claim,
  written with its decisions (查询 read every claim's cells for a person never paid).

Decisions never change, so neither do the last two: append-only like the decisions. The
migration fills all three from what the ledger already holds.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-12
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from ledgers.bulk import bulk_insert
from subsidies.domain.identity import person_codes

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


APPEND_ONLY = ("batch_totals", "claim_people")
PAGE = 50_000
DECISIONS = sa.text(
    "SELECT id, batch_id, claim_id, input_json FROM decisions WHERE id > :after "
    "ORDER BY id LIMIT :page"
)
CLAIM_PEOPLE = sa.Table(  # as the fill writes it (the table itself is made below)
    "claim_people",
    sa.MetaData(),
    sa.Column("code", sa.String(32)),
    sa.Column("batch_id", sa.Integer),
    sa.Column("claim_id", sa.String(128)),
)


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
    op.create_table(
        "claim_people",
        sa.Column("code", sa.String(32), primary_key=True),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), primary_key=True),
        sa.Column("claim_id", sa.String(128), primary_key=True),
    )
    _fill_claim_people(op.get_bind())
    if op.get_bind().dialect.name == "postgresql":
        op.execute("GRANT UPDATE ON event_totals TO subsidies_app")
    for table in APPEND_ONLY:
        _append_only(table, op.get_bind().dialect.name)


def _fill_claim_people(conn: sa.Connection) -> None:
    """Each decided claim's people, a page of decisions at a time."""
    after = 0
    while rows := conn.execute(DECISIONS, {"after": after, "page": PAGE}).all():
        found = set()
        for _, batch_id, claim_id, cells in rows:
            found.update(
                (code, batch_id, claim_id) for code in person_codes(json.loads(cells).values())
            )
        bulk_insert(conn, CLAIM_PEOPLE, ("code", "batch_id", "claim_id"), sorted(found))
        after = rows[-1][0]


def _append_only(table: str, dialect: str) -> None:
    if dialect == "postgresql":
        op.execute(
            f"""CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{table} is append-only: % refused', TG_OP; END $$"""
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()"
        )
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {action} refused'); END"
        )


def downgrade() -> None:
    for table in (*reversed(APPEND_ONLY), "event_totals"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
