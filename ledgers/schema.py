"""Tables, as SQLAlchemy Core metadata (the migrations create them; queries use these).

Exactly what ``migrations/versions`` build, constraint names included
(``tests/ledger/test_schema_matches_migrations.py`` compares them with a migrated database);
the triggers and functions are in ``sql/invariant.*.sql``.

Amounts are BIGINT fen. Entries and postings are append-only (database triggers);
``balances`` holds running totals per (account, fund) — ``balance`` is debit minus
credit — updated in the posting transaction; ``chain_head`` is one row: the hash chain's tip and the write lock;
``seals`` is the head of each sealed table's chain (``ledgers/seals.py``, migration 0013);
``event_totals`` splits the running totals by the event that moved them (migration 0017,
``ledgers/event_totals.py``).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

accounts = Table(
    "accounts",
    metadata,
    Column("code", String(100), primary_key=True),
    Column("name_zh", String(200), nullable=False),
    Column("track", String(10), nullable=False),
    Column("category", String(20), nullable=False),
    Column("normal_side", String(6), nullable=False),
    Column("bounded", Boolean, nullable=False),
    Column("parent", String(100), ForeignKey("accounts.code")),
    CheckConstraint("track IN ('financial', 'budget')", name="ck_accounts_track"),
    CheckConstraint("normal_side IN ('debit', 'credit')", name="ck_accounts_side"),
)

funds = Table(
    "funds",
    metadata,
    Column("code", String(100), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("year", Integer),
    Column("level", String(50)),
    Column("region", String(100)),
    Column("created_at", DateTime, nullable=False),
)

entries = Table(
    "entries",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("key", String(200), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("entry_date", Date, nullable=False),
    Column("period", String(7), nullable=False),
    Column("memo", Text, nullable=False),
    Column("ref", String(200), nullable=False),
    Column("posted_by", String(100), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("reverses_entry_id", BigInteger, ForeignKey("entries.id")),
    Column("hash", String(64), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("program", String(100)),  # the subsidy program it belongs to (0016); None: a fund's
    UniqueConstraint("key", name="uq_entries_key"),
    UniqueConstraint("reverses_entry_id", name="uq_entries_reverses_once"),
    CheckConstraint("id > 0", name="ck_entries_id"),
    Index("ix_entries_entry_date", "entry_date"),
)

postings = Table(
    "postings",
    metadata,
    Column(
        "entry_id",
        BigInteger,
        ForeignKey("entries.id", deferrable=True, initially="DEFERRED"),
        primary_key=True,
    ),
    Column("line", Integer, primary_key=True),
    Column("account", String(100), ForeignKey("accounts.code"), nullable=False),
    Column("fund", String(100), ForeignKey("funds.code"), nullable=False),
    Column("debit", BigInteger, nullable=False),
    Column("credit", BigInteger, nullable=False),
    CheckConstraint(
        "debit >= 0 AND credit >= 0 AND ((debit > 0 AND credit = 0) OR (debit = 0 AND credit > 0))",
        name="ck_postings_one_side",
    ),
    Index("ix_postings_account_fund", "account", "fund"),
)

balances = Table(
    "balances",
    metadata,
    Column("account", String(100), ForeignKey("accounts.code"), primary_key=True),
    Column("fund", String(100), ForeignKey("funds.code"), primary_key=True),
    Column("debit_total", BigInteger, nullable=False),
    Column("credit_total", BigInteger, nullable=False),
    Column("balance", BigInteger, nullable=False),
    Column("last_entry_id", BigInteger, nullable=False),
    CheckConstraint("balance = debit_total - credit_total", name="ck_balances_running"),
)

event_totals = Table(  # migration 0017: running totals per (account, fund, event)
    "event_totals",
    metadata,
    Column("account", String(100), ForeignKey("accounts.code"), primary_key=True),
    Column("fund", String(100), ForeignKey("funds.code"), primary_key=True),
    Column("event", String(30), primary_key=True),
    Column("debit_total", BigInteger, nullable=False),
    Column("credit_total", BigInteger, nullable=False),
)

closed_periods = Table(
    "closed_periods",
    metadata,
    Column("period", String(7), primary_key=True),
    Column("closed_at", DateTime, nullable=False),
    Column("closed_by", String(100), nullable=False),
)

chain_head = Table(
    "chain_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("last_entry_id", BigInteger, nullable=False),
    Column("head_hash", String(64), nullable=False),
    CheckConstraint("id = 1", name="ck_chain_head_single"),
)

seals = Table(  # migration 0013: one row per sealed table, moved in the writing transaction
    "seals",
    metadata,
    Column("table_name", String(64), primary_key=True),
    Column("row_count", BigInteger, nullable=False),
    Column("head_hash", String(64), nullable=False),
    CheckConstraint("row_count >= 0", name="ck_seals_row_count"),
)
