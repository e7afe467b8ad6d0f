"""A second officer for returns and reissues by hand, and recorded renames of a unit.

- ``payment_requests``: a return recorded without a bank line, or a reissue to an account
  other than the returned payment's, is first a request; nothing is posted until a
  second officer approves it (issue #18: one officer could redirect money).
- ``payment_request_decisions``: the approval or rejection of a request, once (a unique
  request_id). A trigger refuses an approval by the officer who requested (maker–checker),
  whoever writes the row.
- ``unit_renames``: a unit (统一社会信用代码) registered under one name is renamed by a
  recorded event, with the old and new name, a reason and who; the registry refuses a
  second name otherwise.

All three are append-only, like the other workflow records.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TABLES = ("payment_requests", "payment_request_decisions", "unit_renames")
SELF_APPROVAL = (
    "payment_request_decisions: the officer who requested cannot approve it; "
    "a second officer approves (maker-checker)"
)


def upgrade() -> None:
    op.create_table(
        "payment_requests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("payment_id", sa.Integer, sa.ForeignKey("payments.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("account", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("on_date", sa.Date, nullable=False),
        sa.Column("requested_by", sa.String(64), nullable=False),
        sa.Column("requested_at", sa.DateTime, nullable=False),
        sa.CheckConstraint("kind IN ('return', 'reissue')", name="payment_requests_kind"),
    )
    op.create_index("payment_requests_payment", "payment_requests", ["payment_id"])
    op.create_table(
        "payment_request_decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("request_id", sa.Integer, sa.ForeignKey("payment_requests.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("on_date", sa.Date, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.CheckConstraint(
            "kind IN ('approved', 'rejected')", name="payment_request_decisions_kind"
        ),
        sa.UniqueConstraint("request_id", name="payment_request_decided_once"),
    )
    op.create_table(
        "unit_renames",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("old_name", sa.Text, nullable=False),
        sa.Column("new_name", sa.Text, nullable=False),
        sa.Column("on_date", sa.Date, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("unit_renames_code", "unit_renames", ["credit_code"])
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
    requester = "(SELECT requested_by FROM payment_requests WHERE id = NEW.request_id)"
    if dialect == "postgresql":
        op.execute(
            f"""CREATE FUNCTION payment_request_decisions_second_officer() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.kind = 'approved' AND NEW."by" = {requester} THEN
                    RAISE EXCEPTION '{SELF_APPROVAL}';
                END IF;
                RETURN NEW;
            END $$"""
        )
        op.execute(
            "CREATE TRIGGER payment_request_decisions_second_officer BEFORE INSERT ON "
            "payment_request_decisions FOR EACH ROW "
            "EXECUTE FUNCTION payment_request_decisions_second_officer()"
        )
    else:
        op.execute(
            "CREATE TRIGGER payment_request_decisions_second_officer BEFORE INSERT ON "
            f"payment_request_decisions WHEN NEW.kind = 'approved' AND NEW.\"by\" = {requester} "
            f"BEGIN SELECT RAISE(ABORT, '{SELF_APPROVAL}'); END"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in reversed(TABLES):
        op.drop_table(table)
        if dialect == "postgresql":
            op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS payment_request_decisions_second_officer()")
