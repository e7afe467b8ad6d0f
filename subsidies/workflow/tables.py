"""Workflow tables (created by ledger migration 0002): batches, their decisions and events,
and the audit log. All append-only: the database refuses UPDATE and DELETE on them."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

batches = Table(
    "batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("program_id", String(64), nullable=False),
    Column("fund_code", String(64), nullable=False),
    Column("source_file", Text, nullable=False),
    Column("source_sha256", String(64), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("notice_days", Integer, nullable=False),
    Column("submitted_by", String(64), nullable=False),
    Column("submitted_at", DateTime, nullable=False),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, nullable=False, index=True),
    Column("row_no", Integer, nullable=False),
    Column("claim_id", String(128), nullable=False),
    Column("status", String(16), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("reasons", Text, nullable=False),
    Column("citation", Text, nullable=False),
    Column("decided_on", String(10), nullable=False),
    Column("duplicate_of", Text, nullable=False),
    Column("keys_json", Text, nullable=False),  # the typed one-time key values, for screening
    Column("input_json", Text, nullable=False),  # the claim's row as the officer gave it
)

batch_events = Table(
    "batch_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, nullable=False, index=True),
    Column("kind", String(32), nullable=False),  # notice_published | approved | rejected
    Column("on_date", Date, nullable=False),
    Column("by", String(64), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("detail", Text, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("by", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("subject", Text, nullable=False),
    Column("detail", Text, nullable=False),
)

payments = Table(
    "payments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("reference", String(40), nullable=False, unique=True),
    Column("batch_id", Integer, nullable=False),
    Column("program_id", String(64), nullable=False),
    Column("claim_id", String(128), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("fund_code", String(64), nullable=False),
    Column("payee_name", Text, nullable=False),
    Column("payee_id", Text, nullable=False),
    Column("account", Text, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("entry_id", Integer, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

payment_events = Table(
    "payment_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("payment_id", Integer, nullable=False),
    Column("kind", String(16), nullable=False),  # settled | returned
    Column("on_date", Date, nullable=False),
    Column("by", String(64), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("detail", Text, nullable=False),
    Column("entry_id", Integer, nullable=True),
)

payment_files = Table(  # migration 0010
    "payment_files",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, nullable=False),
    Column("kind", String(16), nullable=False),  # original | copy | reissue
    Column("copy_of", Integer, nullable=True),
    Column("first_payment_id", Integer, nullable=False),
    Column("last_payment_id", Integer, nullable=False),
    Column("payments", Integer, nullable=False),
    Column("lines", Integer, nullable=False),
    Column("total_fen", BigInteger, nullable=False),
    Column("layout", Text, nullable=False),
    Column("merged", Boolean, nullable=False),
    Column("on_date", Date, nullable=False),
    Column("payer_account", Text, nullable=False),
    Column("payer_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("path", Text, nullable=False),
    Column("by", String(64), nullable=False),
    Column("at", DateTime, nullable=False),
)

payment_transfers = Table(  # one payee's payments merged into one line of a file
    "payment_transfers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("file_id", Integer, nullable=False),
    Column("reference", String(40), nullable=False),
    Column("payment_id", Integer, nullable=False),
)

recoveries = Table(
    "recoveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("program_id", String(64), nullable=False),
    Column("claim_id", String(128), nullable=False),
    Column("kind", String(16), nullable=False),  # raised | repaid
    Column("amount_fen", BigInteger, nullable=False),
    Column("fund_code", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("by", String(64), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("entry_id", Integer, nullable=False),
)

brands = Table(
    "brands",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("credit_code", String(18), nullable=False),
    Column("brand_name", Text, nullable=False),
    Column("unit_name", Text, nullable=False),
    Column("level", String(16), nullable=False),
    Column("recognised_on", Date, nullable=False),
    Column("by", String(64), nullable=False),
    Column("at", DateTime, nullable=False),
)

brand_events = Table(
    "brand_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("brand_id", Integer, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("on_date", Date, nullable=False),
    Column("cause", String(32), nullable=True),
    Column("passed", Boolean, nullable=True),
    Column("for_year", Integer, nullable=True),
    Column("note", Text, nullable=False),
    Column("by", String(64), nullable=False),
    Column("at", DateTime, nullable=False),
)

statement_lines = Table(
    "statement_lines",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("line_hash", String(64), nullable=False, unique=True),
    Column("source_file", Text, nullable=False),
    Column("layout", String(64), nullable=False),
    Column("row_no", Integer, nullable=False),
    Column("value_date", Date, nullable=False),
    Column("serial", String(128), nullable=False),
    Column("reference", String(128), nullable=False),
    Column("payee_name", Text, nullable=False),
    Column("account", String(64), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),
    Column("return_reason", Text, nullable=False),
    Column("imported_by", String(64), nullable=False),
    Column("imported_at", DateTime, nullable=False),
)

line_matches = Table(
    "line_matches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("line_id", Integer, nullable=False),
    Column("payment_id", Integer, nullable=False),
    Column("rule", String(32), nullable=False),  # reference | account_amount | batch | resolved
    Column("by", String(64), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("detail", Text, nullable=False),
)
