"""Payment files written for the bank, and the transfers of merged files.

A payment file is recorded when it is put in place: which of its batch's payments it
carries (an id range), its lines, payments and total, its layout, the SHA-256 of its
bytes, where and by whom. An original file of a batch covers each payment once (a unique
index on its first payment), so two runs can never both write one; a copy (副本) names
the original it reprints. A merged file's lines each carry a transfer reference for one
payee's payments: ``payment_transfers`` lists them, so reconciliation can match the
bank's one line to every payment in it. Append-only like the journal.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLES = ("payment_files", "payment_transfers")


def upgrade() -> None:
    op.create_table(
        "payment_files",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),  # original | copy | reissue
        sa.Column("copy_of", sa.Integer, sa.ForeignKey("payment_files.id"), nullable=True),
        sa.Column("first_payment_id", sa.Integer, sa.ForeignKey("payments.id"), nullable=False),
        sa.Column("last_payment_id", sa.Integer, sa.ForeignKey("payments.id"), nullable=False),
        sa.Column("payments", sa.Integer, nullable=False),
        sa.Column("lines", sa.Integer, nullable=False),
        sa.Column("total_fen", sa.BigInteger, nullable=False),
        sa.Column("layout", sa.Text, nullable=False),  # a built-in name or a YAML path
        sa.Column("merged", sa.Boolean, nullable=False),
        sa.Column("on_date", sa.Date, nullable=False),  # the date in its header
        sa.Column("payer_account", sa.Text, nullable=False),
        sa.Column("payer_name", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.CheckConstraint(
            "kind IN ('original', 'copy', 'reissue')", name="payment_files_kind_known"
        ),
        sa.CheckConstraint("(kind = 'copy') = (copy_of IS NOT NULL)", name="payment_files_copy_of"),
    )
    op.create_index("payment_files_batch", "payment_files", ["batch_id"])
    op.execute(
        "CREATE UNIQUE INDEX payment_files_original_once ON payment_files "
        "(batch_id, first_payment_id) WHERE kind = 'original'"
    )
    op.create_table(
        "payment_transfers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("file_id", sa.Integer, sa.ForeignKey("payment_files.id"), nullable=False),
        sa.Column("reference", sa.String(40), nullable=False),
        sa.Column(
            "payment_id", sa.Integer, sa.ForeignKey("payments.id"), nullable=False, unique=True
        ),
    )
    op.create_index("payment_transfers_reference", "payment_transfers", ["reference"])
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
