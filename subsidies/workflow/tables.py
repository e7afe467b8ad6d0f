"""Workflow tables, as the ledger migrations create them: 0002 batches, their decisions and
events, the audit log; 0003 payments, their events, recoveries; 0004 brands and their
events; 0005 statement lines and their matches; 0010 requests for a second officer's
approval (returns by hand, reissues to another account), their decisions, unit renames;
0012 officers, their role events, sessions, sign-in attempts and the office's settings
(and the audit log's ``via``);
0015 the console's jobs (the one table updated in place: a job's state moves).

All but officers, sessions and jobs are append-only: the database refuses UPDATE, DELETE and
(PostgreSQL) TRUNCATE on them (the triggers are listed in ``ledgers/sql/invariant.*.sql``).
Constraints and indexes carry the migrations' names;
``tests/ledger/test_schema_matches_migrations.py`` holds these tables to the migrated database.

:data:`SEALED` lists every table whose rows decide who is paid, how much, or who approved
(or may approve): each has a hash chain of its own (``ledgers/seals.py``, migration 0013),
its rows sealed as they are written and checked by ``subsidies ledger verify``.
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
    text,
)

from ledgers.schema import entries, funds
from ledgers.seals import seal_table

metadata = MetaData()


def _decided_once(name: str, column: str, kinds: str) -> Index:
    """A partial unique index: of the decisive event kinds, one row per ``column``."""
    where = text(f"kind IN ({kinds})")
    return Index(name, column, unique=True, sqlite_where=where, postgresql_where=where)


batches = Table(
    "batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("program_id", String(64), nullable=False),
    Column("fund_code", String(64), ForeignKey(funds.c.code), nullable=False),
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
    Column("batch_id", Integer, ForeignKey("batches.id"), nullable=False),
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
    CheckConstraint("amount_fen >= 0", name="decisions_amount_non_negative"),
    Index("decisions_batch", "batch_id"),
    Index("decisions_claim", "claim_id"),  # 0015: the console's 查询
)

batch_totals = Table(  # 0017: each batch's claims and fen by status, written with its decisions
    "batch_totals",
    metadata,
    Column("batch_id", Integer, ForeignKey("batches.id"), primary_key=True),
    Column("status", String(16), primary_key=True),
    Column("claims", Integer, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
)

claim_people = Table(  # 0017: each 身份证号 / 统一社会信用代码 a claim's cells hold, for 查询
    "claim_people",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("batch_id", Integer, ForeignKey("batches.id"), primary_key=True),
    Column("claim_id", String(128), primary_key=True),
)

batch_events = Table(
    "batch_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey("batches.id"), nullable=False),
    Column("kind", String(32), nullable=False),  # notice_published | approved | rejected
    Column("on_date", Date, nullable=False),
    Column("by", String(64), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("detail", Text, nullable=False),
    Index("batch_events_batch", "batch_id"),
    # a batch is decided (approved or rejected) once: the decisive kinds share one slot
    _decided_once("batch_events_decided_once", "batch_id", "'approved', 'rejected'"),
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
    Column("via", String(16), nullable=False, server_default=text("''")),  # cli | console
)

payments = Table(
    "payments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("reference", String(40), nullable=False, unique=True),
    Column("batch_id", Integer, ForeignKey("batches.id"), nullable=False),
    Column("program_id", String(64), nullable=False),
    Column("claim_id", String(128), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("fund_code", String(64), nullable=False),
    Column("payee_name", Text, nullable=False),
    Column("payee_id", Text, nullable=False),
    Column("account", Text, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("entry_id", Integer, ForeignKey(entries.c.id), nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    CheckConstraint("amount_fen > 0", name="payments_amount_positive"),
    UniqueConstraint("program_id", "claim_id", "attempt", name="payments_attempt_once"),
    Index("payments_batch", "batch_id"),
    Index("payments_claim", "program_id", "claim_id"),
    Index("payments_payee_id", "payee_id"),  # 0015: the console's 查询
    Index("payments_payee_name", "payee_name"),
    Index("payments_claim_id", "claim_id"),
)

payment_events = Table(
    "payment_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("payment_id", Integer, ForeignKey("payments.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # settled | returned
    Column("on_date", Date, nullable=False),
    Column("by", String(64), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("detail", Text, nullable=False),
    Column("entry_id", Integer, ForeignKey(entries.c.id), nullable=True),
    # a payment settles or comes back once
    _decided_once("payment_events_decided_once", "payment_id", "'settled', 'returned'"),
)

payment_files = Table(  # migration 0010
    "payment_files",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey(batches.c.id), nullable=False),
    Column("kind", String(16), nullable=False),  # original | copy | reissue
    Column("copy_of", Integer, ForeignKey("payment_files.id"), nullable=True),
    Column("first_payment_id", Integer, ForeignKey(payments.c.id), nullable=False),
    Column("last_payment_id", Integer, ForeignKey(payments.c.id), nullable=False),
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
    CheckConstraint("kind IN ('original', 'copy', 'reissue')", name="payment_files_kind_known"),
    CheckConstraint("(kind = 'copy') = (copy_of IS NOT NULL)", name="payment_files_copy_of"),
    Index("payment_files_batch", "batch_id"),
    Index(  # one original file per first payment: two runs cannot both send the same payments
        "payment_files_original_once",
        "batch_id",
        "first_payment_id",
        unique=True,
        sqlite_where=text("kind = 'original'"),
        postgresql_where=text("kind = 'original'"),
    ),
)

payment_transfers = Table(  # one payee's payments merged into one line of a file
    "payment_transfers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("file_id", Integer, ForeignKey(payment_files.c.id), nullable=False),
    Column("reference", String(40), nullable=False),
    Column("payment_id", Integer, ForeignKey(payments.c.id), nullable=False, unique=True),
    Index("payment_transfers_reference", "reference"),
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
    Column("entry_id", Integer, ForeignKey(entries.c.id), nullable=False),
    CheckConstraint("amount_fen > 0", name="recoveries_amount_positive"),
    Index("recoveries_claim", "program_id", "claim_id"),
)

payment_requests = Table(
    "payment_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("payment_id", Integer, ForeignKey("payments.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # return | reissue
    Column("account", Text, nullable=False),  # a reissue's new account ("" for a return)
    Column("reason", Text, nullable=False),
    Column("on_date", Date, nullable=False),
    Column("requested_by", String(64), nullable=False),
    Column("requested_at", DateTime, nullable=False),
    CheckConstraint("kind IN ('return', 'reissue')", name="payment_requests_kind"),
    Index("payment_requests_payment", "payment_id"),
)

payment_request_decisions = Table(
    "payment_request_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("request_id", Integer, ForeignKey("payment_requests.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # approved | rejected
    Column("on_date", Date, nullable=False),
    Column("by", String(64), nullable=False),  # never the requester when approved (a trigger)
    Column("at", DateTime, nullable=False),
    Column("detail", Text, nullable=False),
    CheckConstraint("kind IN ('approved', 'rejected')", name="payment_request_decisions_kind"),
    UniqueConstraint("request_id", name="payment_request_decided_once"),
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
    UniqueConstraint("credit_code", "brand_name", name="brands_unit_brand_once"),
)

brand_events = Table(
    "brand_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("brand_id", Integer, ForeignKey("brands.id"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("on_date", Date, nullable=False),
    Column("cause", String(32), nullable=True),
    Column("passed", Boolean, nullable=True),
    Column("for_year", Integer, nullable=True),
    Column("note", Text, nullable=False),
    Column("by", String(64), nullable=False),
    Column("at", DateTime, nullable=False),
    Index("brand_events_brand", "brand_id"),
)

unit_renames = Table(
    "unit_renames",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("credit_code", String(18), nullable=False),
    Column("old_name", Text, nullable=False),
    Column("new_name", Text, nullable=False),
    Column("on_date", Date, nullable=False),
    Column("reason", Text, nullable=False),
    Column("by", String(64), nullable=False),
    Column("at", DateTime, nullable=False),
    Index("unit_renames_code", "credit_code"),
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
    CheckConstraint("amount_fen > 0", name="statement_lines_amount_positive"),
    Index("statement_lines_reference", "reference"),
)

line_matches = Table(
    "line_matches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("line_id", Integer, ForeignKey("statement_lines.id"), nullable=False),
    Column("payment_id", Integer, ForeignKey("payments.id"), nullable=False),
    Column("rule", String(32), nullable=False),  # reference | account_amount | batch | resolved
    Column("by", String(64), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("detail", Text, nullable=False),
    UniqueConstraint("line_id", "payment_id", name="line_matches_once"),
    Index("line_matches_line", "line_id"),
    Index("line_matches_payment", "payment_id"),
)

ROLE_CODES = "'clerk', 'checker', 'cashier', 'reconciler', 'auditor', 'admin'"

officers = Table(  # migration 0012: never deleted; disabled instead
    "officers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("password_hash", Text, nullable=False),  # argon2id, never the password
    Column("must_change_password", Boolean, nullable=False),
    Column("password_set_at", DateTime, nullable=False),
    Column("disabled", Boolean, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

role_events = Table(
    "role_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("officer_id", Integer, ForeignKey(officers.c.id), nullable=False),
    Column("role", String(16), nullable=False),
    Column("kind", String(16), nullable=False),  # granted | revoked
    Column("by", String(64), nullable=False),
    Column("at", DateTime, nullable=False),
    CheckConstraint(f"role IN ({ROLE_CODES})", name="role_events_role_known"),
    CheckConstraint("kind IN ('granted', 'revoked')", name="role_events_kind"),
    Index("role_events_officer", "officer_id"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("officer_id", Integer, ForeignKey(officers.c.id), nullable=False),
    Column("token_sha256", String(64), nullable=False, unique=True),  # never the token
    Column("via", String(16), nullable=False),  # cli | console
    Column("source", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("revoked_at", DateTime, nullable=True),
    CheckConstraint("via IN ('cli', 'console')", name="sessions_via"),
)

sign_in_attempts = Table(
    "sign_in_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False),
    Column("officer_id", Integer, ForeignKey(officers.c.id), nullable=True),
    Column("outcome", String(16), nullable=False),
    Column("via", String(16), nullable=False),
    Column("source", Text, nullable=False),
    Column("at", DateTime, nullable=False),
    CheckConstraint(
        "outcome IN ('ok', 'password', 'locked', 'disabled', 'unknown')",
        name="sign_in_attempts_outcome",
    ),
    Index("sign_in_attempts_username", "username", "at"),
)

office_settings = Table(  # a history: the latest row of a name is in force
    "office_settings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False),
    Column("value", Text, nullable=False),
    Column("by", String(64), nullable=False),
    Column("at", DateTime, nullable=False),
    Index("office_settings_name", "name"),
)

jobs = Table(  # 0015: the console's long work; updated as it runs, not evidence
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("state", String(16), nullable=False),  # running | done | failed
    Column("by", String(64), nullable=False),
    Column("owner", String(128), nullable=False),  # host:pid of the server running it
    Column("created_at", DateTime, nullable=False),
    Column("finished_at", DateTime, nullable=True),
    Column("result", Text, nullable=False),  # JSON: what the job made (a batch code, a file)
    Column("error", Text, nullable=False),
    CheckConstraint("state IN ('running', 'done', 'failed')", name="jobs_state_known"),
    Index("jobs_state", "state"),
)


# The tables sealed (issue #18), as migration 0013 seals them: the seal columns are added
# here, once, and Transaction.insert/insert_rows seal their rows.
SEALED = tuple(
    seal_table(table)
    for table in (
        batches,
        decisions,  # the claims' input rows, amounts, statuses
        batch_events,  # notice, approval, rejection: who and when
        audit_log,
        payments,  # payee, account, amount
        payment_events,  # settled, returned
        payment_files,
        payment_transfers,
        recoveries,
        payment_requests,
        payment_request_decisions,
        brands,
        brand_events,
        unit_renames,
        statement_lines,
        line_matches,
        role_events,  # who may submit, approve, pay
        office_settings,  # whether the approver may also pay
    )
)
