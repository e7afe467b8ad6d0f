"""Seals: a hash chain of its own for each table that decides who is paid, how much, or who
approved (issue #18: 13 direct SQL edits of those rows went unnoticed by ``verify``).

- ``seals``: one row per sealed table, the chain's head (rows sealed, last seal), moved in
  the transaction that writes the rows; a trigger lets a head only move forward and
  refuses its deletion (and, on PostgreSQL, TRUNCATE).
- ``seal_no`` and ``seal`` on every sealed table: the row's place in its table's chain and
  SHA-256(previous seal + "\\n" + the row's canonical bytes), ``ledgers/seals.py``.
- The rows already written are sealed here, in id order, with the append-only triggers
  set aside for that one update and put back as they were.

The list of tables below is this migration's; ``subsidies.workflow.tables.SEALED`` is the
code's, and ``tests/ledger/test_seals.py`` holds the two equal.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

from ledgers.chain import GENESIS
from ledgers.seals import canonical_rows, link

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

SEALED = (
    "batches",
    "decisions",
    "batch_events",
    "audit_log",
    "payments",
    "payment_events",
    "payment_files",
    "payment_transfers",
    "recoveries",
    "payment_requests",
    "payment_request_decisions",
    "brands",
    "brand_events",
    "unit_renames",
    "statement_lines",
    "line_matches",
    "role_events",
    "office_settings",
)
PAGE = 5000
MOVE_BACK = "seals: a chain head only moves forward"


def upgrade() -> None:
    op.create_table(
        "seals",
        sa.Column("table_name", sa.String(64), primary_key=True),
        sa.Column("row_count", sa.BigInteger, nullable=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
        sa.CheckConstraint("row_count >= 0", name="ck_seals_row_count"),
    )
    bind = op.get_bind()
    heads = []
    for name in SEALED:
        op.add_column(name, sa.Column("seal_no", sa.BigInteger, nullable=True))
        op.add_column(name, sa.Column("seal", sa.String(64), nullable=True))
        heads.append({"table_name": name, **_seal_existing(bind, name)})
    seals = sa.table(
        "seals", sa.column("table_name"), sa.column("row_count"), sa.column("head_hash")
    )
    op.bulk_insert(seals, heads)
    _guard_seals(bind.dialect.name)


def _seal_existing(bind: sa.Connection, name: str) -> dict:
    """Seal the rows ``name`` already has, in id order; its chain's head."""
    if bind.execute(sa.text(f"SELECT 1 FROM {name} LIMIT 1")).first() is None:
        return {"row_count": 0, "head_hash": GENESIS}  # a new ledger: nothing to seal
    table = sa.Table(name, sa.MetaData(), autoload_with=bind)
    names = [c.name for c in table.columns]
    page = (
        sa.select(table).where(table.c.id > sa.bindparam("after")).order_by(table.c.id).limit(PAGE)
    )
    update = (
        sa.update(table)
        .where(table.c.id == sa.bindparam("row_id"))
        .values(seal_no=sa.bindparam("number"), seal=sa.bindparam("value"))
    )
    rows_sealed, head, after = 0, GENESIS, 0
    with _append_only_set_aside(bind, name):
        while rows := bind.execute(page, {"after": after}).all():
            numbers = range(rows_sealed + 1, rows_sealed + len(rows) + 1)
            columns = dict(zip(names, zip(*rows, strict=True), strict=True))
            columns["seal_no"] = numbers
            sealed = link(head, canonical_rows(table, columns, len(rows)))
            bind.execute(
                update,
                [
                    {"row_id": row.id, "number": number, "value": seal}
                    for row, number, seal in zip(rows, numbers, sealed, strict=True)
                ],
            )
            rows_sealed, head, after = numbers[-1], sealed[-1], rows[-1].id
    return {"row_count": rows_sealed, "head_hash": head}


@contextmanager
def _append_only_set_aside(bind: sa.Connection, name: str) -> Iterator[None]:
    """The table's UPDATE trigger off while its existing rows are sealed, then back as it was."""
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql(f"ALTER TABLE {name} DISABLE TRIGGER {name}_append_only")
        yield
        bind.exec_driver_sql(f"ALTER TABLE {name} ENABLE TRIGGER {name}_append_only")
        return
    trigger = f"{name}_no_update"
    saved = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (trigger,)
    ).scalar_one()
    bind.exec_driver_sql(f"DROP TRIGGER {trigger}")
    yield
    bind.exec_driver_sql(saved)


def _guard_seals(dialect: str) -> None:
    """A head moves forward (more rows) or stays; it is never renamed or deleted."""
    back = (
        "NEW.table_name <> OLD.table_name OR NEW.row_count < OLD.row_count"
        " OR (NEW.row_count = OLD.row_count AND NEW.head_hash <> OLD.head_hash)"
    )
    if dialect == "postgresql":
        op.execute(
            f"""CREATE FUNCTION seals_only_forward() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'UPDATE' THEN
                    RAISE EXCEPTION '{MOVE_BACK}: % refused', TG_OP;
                END IF;
                IF {back} THEN
                    RAISE EXCEPTION '{MOVE_BACK}: % refused', TG_OP;
                END IF;
                RETURN NEW;
            END $$"""
        )
        op.execute(
            "CREATE TRIGGER seals_only_forward BEFORE UPDATE OR DELETE ON seals "
            "FOR EACH ROW EXECUTE FUNCTION seals_only_forward()"
        )
        op.execute(
            "CREATE TRIGGER seals_no_truncate BEFORE TRUNCATE ON seals "
            "FOR EACH STATEMENT EXECUTE FUNCTION seals_only_forward()"
        )
        return
    op.execute(
        f"CREATE TRIGGER seals_only_forward BEFORE UPDATE ON seals WHEN {back} "
        f"BEGIN SELECT RAISE(ABORT, '{MOVE_BACK}: UPDATE refused'); END"
    )
    op.execute(
        "CREATE TRIGGER seals_no_delete BEFORE DELETE ON seals "
        f"BEGIN SELECT RAISE(ABORT, '{MOVE_BACK}: DELETE refused'); END"
    )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.drop_table("seals")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS seals_only_forward()")
    for name in reversed(SEALED):
        op.drop_column(name, "seal")
        op.drop_column(name, "seal_no")
