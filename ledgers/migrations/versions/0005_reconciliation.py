"""Bank and treasury statement lines, and what each was matched to.

A line is stored once (its hash over its content is unique), so re-importing a
statement changes nothing. A line without a match row is open; its exception is
recomputed on every run, so the list an officer sees is always current.

Revision ID: 0005
Revises: 0004
Create Date: 2024-07-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = ("statement_lines", "line_matches")


def upgrade() -> None:
    op.create_table(
        "statement_lines",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("line_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("source_file", sa.Text, nullable=False),
        sa.Column("layout", sa.String(64), nullable=False),
        sa.Column("row_no", sa.Integer, nullable=False),
        sa.Column("value_date", sa.Date, nullable=False),
        sa.Column("serial", sa.String(128), nullable=False),
        sa.Column("reference", sa.String(128), nullable=False),
        sa.Column("payee_name", sa.Text, nullable=False),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("return_reason", sa.Text, nullable=False),
        sa.Column("imported_by", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.CheckConstraint("amount_fen > 0", name="statement_lines_amount_positive"),
    )
    op.create_index("statement_lines_reference", "statement_lines", ["reference"])
    op.create_table(
        "line_matches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("line_id", sa.Integer, sa.ForeignKey("statement_lines.id"), nullable=False),
        sa.Column("payment_id", sa.Integer, sa.ForeignKey("payments.id"), nullable=False),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.UniqueConstraint("line_id", "payment_id", name="line_matches_once"),
    )
    op.create_index("line_matches_line", "line_matches", ["line_id"])
    op.create_index("line_matches_payment", "line_matches", ["payment_id"])
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
