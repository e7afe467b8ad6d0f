"""PostgreSQL's statement-level checks run without JIT compilation.

The checks of 0006/0008 (``ledger_entries_checked``, ``ledger_postings_entry_open``) run
once per ``COPY`` of a chunk. Their queries are planned from the tables' statistics. On
tables that have grown since they were last analysed (a bulk post in a new session
before autovacuum has caught up), the planner guesses hundreds of postings per entry
instead of three. The estimated cost then passes ``jit_above_cost`` and its inlining and
optimisation thresholds, and each check spends about 230 ms compiling a plan that runs in
3–15 ms.

Measured: a 5,000-entry chunk's entries took 58 µs an entry instead of 9, and a bulk post
ran at half speed until the next ``ANALYZE``. The per-entry lookups by primary key gain
nothing from JIT, so the two functions turn it off for their own duration
(``ALTER FUNCTION … SET jit = off``). The server's setting is unchanged for every other
query, and the checks themselves are the same.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

CHECKS = ("ledger_entries_checked()", "ledger_postings_entry_open()")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for function in CHECKS:
            op.execute(f"ALTER FUNCTION {function} SET jit = off")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for function in CHECKS:
            op.execute(f"ALTER FUNCTION {function} RESET jit")
