"""Long work of the browser console as jobs (issue #16).

An upload of 200,000 claims or the approval of a big batch runs as a job: its row says
what it is, who asked, which server process runs it (``owner``, host:pid) and how it
ended. The work itself is one workflow transaction, so the ledger has all of it or none
of it; a job whose server stopped mid-way is marked ``failed`` when a server starts on
that host again. Unlike the workflow's records this table is updated (a job's state
moves), and it is not evidence: the audit log records every deed a job does.

Also indexes for the console's 查询 (search by 身份证号, name or claim id): payments by
payee id, payee name and claim id, decisions by claim id.

Revision ID: 0015
Revises: 0012
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0012"
branch_labels = None
depends_on = None

INDEXES = (
    ("payments_payee_id", "payments", "payee_id"),
    ("payments_payee_name", "payments", "payee_name"),
    ("payments_claim_id", "payments", "claim_id"),
    ("decisions_claim", "decisions", "claim_id"),
)


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("owner", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime, nullable=True),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("error", sa.Text, nullable=False),
        sa.CheckConstraint("state IN ('running', 'done', 'failed')", name="jobs_state_known"),
    )
    op.create_index("jobs_state", "jobs", ["state"])
    for name, table, column in INDEXES:
        op.create_index(name, table, [column])


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table)
    op.drop_index("jobs_state", "jobs")
    op.drop_table("jobs")
