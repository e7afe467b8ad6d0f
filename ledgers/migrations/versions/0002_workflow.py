"""Workflow tables: payout batches, their decisions and events, the audit log.

Append-only like the journal: UPDATE and DELETE are refused by the database. A batch
is approved or rejected once (a unique index on its decisive event).

Revision ID: 0002
Revises: 0001
Create Date: 2024-07-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = ("batches", "decisions", "batch_events", "audit_log")


def upgrade() -> None:
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("program_id", sa.String(64), nullable=False),
        sa.Column("fund_code", sa.String(64), sa.ForeignKey("funds.code"), nullable=False),
        sa.Column("source_file", sa.Text, nullable=False),
        sa.Column("source_sha256", sa.String(64), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("notice_days", sa.Integer, nullable=False),
        sa.Column("submitted_by", sa.String(64), nullable=False),
        sa.Column("submitted_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False),
        sa.Column("row_no", sa.Integer, nullable=False),
        sa.Column("claim_id", sa.String(128), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("reasons", sa.Text, nullable=False),
        sa.Column("citation", sa.Text, nullable=False),
        sa.Column("decided_on", sa.String(10), nullable=False),
        sa.Column("duplicate_of", sa.Text, nullable=False),
        sa.Column("keys_json", sa.Text, nullable=False),
        sa.Column("input_json", sa.Text, nullable=False),
        sa.CheckConstraint("amount_fen >= 0", name="decisions_amount_non_negative"),
    )
    op.create_index("decisions_batch", "decisions", ["batch_id"])
    op.create_table(
        "batch_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("on_date", sa.Date, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("batch_events_batch", "batch_events", ["batch_id"])
    # a batch is decided (approved or rejected) once: the decisive kinds share one slot
    op.execute(
        "CREATE UNIQUE INDEX batch_events_decided_once ON batch_events (batch_id) "
        "WHERE kind IN ('approved', 'rejected')"
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
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
