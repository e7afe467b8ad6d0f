"""Payments sent to the bank and their fate, and recoveries of money paid in error.

A payment is one attempt to pay one claim: reissuing a returned payment is a new
attempt with a new reference. A payment settles or comes back once (a unique index on
its decisive event). Append-only like the journal.

Revision ID: 0003
Revises: 0002
Create Date: 2024-07-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("payments", "payment_events", "recoveries")


def upgrade() -> None:
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("reference", sa.String(40), nullable=False, unique=True),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False),
        sa.Column("program_id", sa.String(64), nullable=False),
        sa.Column("claim_id", sa.String(128), nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("fund_code", sa.String(64), nullable=False),
        sa.Column("payee_name", sa.Text, nullable=False),
        sa.Column("payee_id", sa.Text, nullable=False),
        sa.Column("account", sa.Text, nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("entry_id", sa.Integer, sa.ForeignKey("entries.id"), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.CheckConstraint("amount_fen > 0", name="payments_amount_positive"),
        sa.UniqueConstraint("program_id", "claim_id", "attempt", name="payments_attempt_once"),
    )
    op.create_index("payments_batch", "payments", ["batch_id"])
    op.create_index("payments_claim", "payments", ["program_id", "claim_id"])
    op.create_table(
        "payment_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("payment_id", sa.Integer, sa.ForeignKey("payments.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),  # settled | returned
        sa.Column("on_date", sa.Date, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("entry_id", sa.Integer, sa.ForeignKey("entries.id"), nullable=True),
    )
    op.execute(
        "CREATE UNIQUE INDEX payment_events_decided_once ON payment_events (payment_id) "
        "WHERE kind IN ('settled', 'returned')"
    )
    op.create_table(
        "recoveries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("program_id", sa.String(64), nullable=False),
        sa.Column("claim_id", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),  # raised | repaid
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("fund_code", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("entry_id", sa.Integer, sa.ForeignKey("entries.id"), nullable=False),
        sa.CheckConstraint("amount_fen > 0", name="recoveries_amount_positive"),
    )
    op.create_index("recoveries_claim", "recoveries", ["program_id", "claim_id"])
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        if dialect == "postgresql":
            op.execute(
                f"""CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '{table} is append-only: % refused', TG_OP; END $$"""
            )
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
            )
        else:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {action} refused'); END"
                )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in reversed(TABLES):
        op.drop_table(table)
        if dialect == "postgresql":
            op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
