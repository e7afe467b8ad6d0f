"""The first ledger schema: accounts, funds, entries, postings, balances, periods, chain head.

The database itself guards what code alone could bypass:

* entries, postings and closed_periods refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL);
* the entry row closes an entry: its postings are inserted first (postings.entry_id is a
  DEFERRABLE INITIALLY DEFERRED foreign key), a posting for an entry that already exists
  is refused, and inserting the entry checks that its postings balance per track and fund.
  PostgreSQL runs that check as a DEFERRABLE INITIALLY DEFERRED constraint trigger (at
  commit); SQLite, which has no deferred triggers, runs it right after the entry row;
* an entry into a closed period (any month up to the latest closed one) is refused.

Revision ID: 0001
Revises:
Create Date: 2024-07-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

GENESIS = "0" * 64
TABLES = ("entries", "postings", "closed_periods")

BALANCED_SQL = """
    (SELECT COUNT(*) FROM postings WHERE entry_id = NEW.id) < 2
    OR EXISTS (
        SELECT 1 FROM postings p JOIN accounts a ON a.code = p.account
        WHERE p.entry_id = NEW.id
        GROUP BY a.track, p.fund
        HAVING SUM(p.debit) <> SUM(p.credit))
"""

SQLITE = [
    *(
        f"""CREATE TRIGGER {table}_no_{op_.lower()} BEFORE {op_} ON {table}
            BEGIN SELECT RAISE(ABORT, 'ledger: {table} are append-only, {op_} refused'); END"""
        for table in TABLES
        for op_ in ("UPDATE", "DELETE")
    ),
    """CREATE TRIGGER postings_entry_open BEFORE INSERT ON postings
       WHEN EXISTS (SELECT 1 FROM entries WHERE id = NEW.entry_id)
       BEGIN SELECT RAISE(ABORT, 'ledger: the entry is already posted, postings cannot be added'); END""",
    """CREATE TRIGGER entries_period_open BEFORE INSERT ON entries
       WHEN NEW.period <= (SELECT MAX(period) FROM closed_periods)
       BEGIN SELECT RAISE(ABORT, 'ledger: period closed'); END""",
    f"""CREATE TRIGGER entries_balanced AFTER INSERT ON entries
        WHEN {BALANCED_SQL}
        BEGIN SELECT RAISE(ABORT, 'ledger: entry does not balance'); END""",
]

POSTGRESQL = [
    """CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           RAISE EXCEPTION 'ledger: % are append-only, % refused', TG_TABLE_NAME, TG_OP
               USING ERRCODE = 'restrict_violation';
       END $$""",
    *(
        f"""CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"""
        for table in TABLES
    ),
    *(
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()"""
        for table in TABLES
    ),
    """CREATE FUNCTION ledger_posting_entry_open() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           IF EXISTS (SELECT 1 FROM entries WHERE id = NEW.entry_id) THEN
               RAISE EXCEPTION 'ledger: entry % is already posted, postings cannot be added',
                   NEW.entry_id USING ERRCODE = 'restrict_violation';
           END IF;
           RETURN NEW;
       END $$""",
    """CREATE TRIGGER postings_entry_open BEFORE INSERT ON postings
       FOR EACH ROW EXECUTE FUNCTION ledger_posting_entry_open()""",
    """CREATE FUNCTION ledger_period_open() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           IF NEW.period <= (SELECT MAX(period) FROM closed_periods) THEN
               RAISE EXCEPTION 'ledger: period % closed', NEW.period
                   USING ERRCODE = 'check_violation';
           END IF;
           RETURN NEW;
       END $$""",
    """CREATE TRIGGER entries_period_open BEFORE INSERT ON entries
       FOR EACH ROW EXECUTE FUNCTION ledger_period_open()""",
    f"""CREATE FUNCTION ledger_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF {BALANCED_SQL} THEN
                RAISE EXCEPTION 'ledger: entry % does not balance', NEW.id
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NULL;
        END $$""",
    """CREATE CONSTRAINT TRIGGER entries_balanced AFTER INSERT ON entries
       DEFERRABLE INITIALLY DEFERRED
       FOR EACH ROW EXECUTE FUNCTION ledger_entry_balanced()""",
]

POSTGRESQL_DROP = [
    "DROP FUNCTION IF EXISTS ledger_refuse_change() CASCADE",
    "DROP FUNCTION IF EXISTS ledger_posting_entry_open() CASCADE",
    "DROP FUNCTION IF EXISTS ledger_period_open() CASCADE",
    "DROP FUNCTION IF EXISTS ledger_entry_balanced() CASCADE",
]


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("code", sa.String(100), primary_key=True),
        sa.Column("name_zh", sa.String(200), nullable=False),
        sa.Column("track", sa.String(10), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("normal_side", sa.String(6), nullable=False),
        sa.Column("bounded", sa.Boolean, nullable=False),
        sa.Column("parent", sa.String(100), sa.ForeignKey("accounts.code")),
        sa.CheckConstraint("track IN ('financial', 'budget')", name="ck_accounts_track"),
        sa.CheckConstraint("normal_side IN ('debit', 'credit')", name="ck_accounts_side"),
    )
    op.create_table(
        "funds",
        sa.Column("code", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("year", sa.Integer),
        sa.Column("level", sa.String(50)),
        sa.Column("region", sa.String(100)),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "entries",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("entry_date", sa.Date, nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("memo", sa.Text, nullable=False),
        sa.Column("ref", sa.String(200), nullable=False),
        sa.Column("posted_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("reverses_entry_id", sa.BigInteger, sa.ForeignKey("entries.id")),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("key", name="uq_entries_key"),
        sa.UniqueConstraint("reverses_entry_id", name="uq_entries_reverses_once"),
        sa.CheckConstraint("id > 0", name="ck_entries_id"),
    )
    op.create_index("ix_entries_entry_date", "entries", ["entry_date"])
    op.create_table(
        "postings",
        sa.Column(
            "entry_id",
            sa.BigInteger,
            sa.ForeignKey("entries.id", deferrable=True, initially="DEFERRED"),
            primary_key=True,
        ),
        sa.Column("line", sa.Integer, primary_key=True),
        sa.Column("account", sa.String(100), sa.ForeignKey("accounts.code"), nullable=False),
        sa.Column("fund", sa.String(100), sa.ForeignKey("funds.code"), nullable=False),
        sa.Column("debit", sa.BigInteger, nullable=False),
        sa.Column("credit", sa.BigInteger, nullable=False),
        sa.CheckConstraint(
            "debit >= 0 AND credit >= 0 AND ((debit > 0 AND credit = 0) OR (debit = 0 AND credit > 0))",
            name="ck_postings_one_side",
        ),
    )
    op.create_index("ix_postings_account_fund", "postings", ["account", "fund"])
    op.create_table(
        "balances",
        sa.Column("account", sa.String(100), sa.ForeignKey("accounts.code"), primary_key=True),
        sa.Column("fund", sa.String(100), sa.ForeignKey("funds.code"), primary_key=True),
        sa.Column("debit_total", sa.BigInteger, nullable=False),
        sa.Column("credit_total", sa.BigInteger, nullable=False),
        sa.Column("balance", sa.BigInteger, nullable=False),
        sa.Column("last_entry_id", sa.BigInteger, nullable=False),
        sa.CheckConstraint("balance = debit_total - credit_total", name="ck_balances_running"),
    )
    op.create_table(
        "closed_periods",
        sa.Column("period", sa.String(7), primary_key=True),
        sa.Column("closed_at", sa.DateTime, nullable=False),
        sa.Column("closed_by", sa.String(100), nullable=False),
    )
    op.create_table(
        "chain_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("last_entry_id", sa.BigInteger, nullable=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_chain_head_single"),
    )
    op.execute(f"INSERT INTO chain_head (id, last_entry_id, head_hash) VALUES (1, 0, '{GENESIS}')")
    dialect = op.get_bind().dialect.name
    for statement in POSTGRESQL if dialect == "postgresql" else SQLITE:
        op.execute(statement)


def downgrade() -> None:
    for table in (
        "chain_head",
        "closed_periods",
        "balances",
        "postings",
        "entries",
        "funds",
        "accounts",
    ):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL_DROP:
            op.execute(statement)
