"""The brand registry: recognised brands and the dated steps of their lifecycle.

Brands are added once; their lifecycle (营人社〔2023〕43号 第十五条–第二十二条) is an
append-only list of events from which status and deadlines are computed.

Revision ID: 0004
Revises: 0003
Create Date: 2024-07-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = ("brands", "brand_events")


def upgrade() -> None:
    op.create_table(
        "brands",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("brand_name", sa.Text, nullable=False),
        sa.Column("unit_name", sa.Text, nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("recognised_on", sa.Date, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("credit_code", "brand_name", name="brands_unit_brand_once"),
    )
    op.create_table(
        "brand_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("brand_id", sa.Integer, sa.ForeignKey("brands.id"), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("on_date", sa.Date, nullable=False),
        sa.Column("cause", sa.String(32), nullable=True),
        sa.Column("passed", sa.Boolean, nullable=True),
        sa.Column("for_year", sa.Integer, nullable=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("brand_events_brand", "brand_events", ["brand_id"])
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
