"""Officers who sign in, their roles and sessions, and separation of duties in the database.

- ``officers``: one row per account, never deleted (a trigger refuses DELETE, and a change
  of its username or id): username, display name, the argon2id hash of the password (never
  the password), whether the password must be changed at the next sign-in, disabled.
- ``role_events``: roles granted and revoked (append-only); an officer's roles are what the
  latest event per role says.
- ``sessions``: a signed-in officer's session, by the SHA-256 of its token (never the
  token), from where (``cli`` or ``console``), until when; revoked once (sign-out).
- ``sign_in_attempts``: every attempt, succeeded or not (append-only): what lockout counts.
- ``office_settings``: the office's settings as a history (append-only; the latest value of
  a name is in force): lockout, session lifetime, minimum password length, and
  ``cashier_may_be_checker`` for a one-person office.
- ``audit_log.via``: where a step was taken from (``cli``, ``console``).

不相容岗位相互分离, held by triggers whatever path writes the row:

- ``batch_events_second_officer``: a batch is never approved by the officer who submitted it.
- ``payments_not_by_approver``: a payment of a batch is never made by the officer who
  approved the batch, unless the office's setting ``cashier_may_be_checker`` is ``true``.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

APPEND_ONLY = ("role_events", "sign_in_attempts", "office_settings")
ROLES = "'clerk', 'checker', 'cashier', 'reconciler', 'auditor', 'admin'"
SELF_APPROVAL = (
    "batch_events: the officer who submitted a batch cannot approve it; "
    "a second officer approves (maker-checker)"
)
APPROVER_PAYS = (
    "payments: the officer who approved the batch cannot pay it "
    "(setting cashier_may_be_checker is off)"
)
SUBMITTER = "(SELECT submitted_by FROM batches WHERE id = NEW.batch_id)"
APPROVER = "(SELECT \"by\" FROM batch_events WHERE batch_id = NEW.batch_id AND kind = 'approved')"
RELAXED = (
    "COALESCE((SELECT value FROM office_settings WHERE name = 'cashier_may_be_checker' "
    "ORDER BY id DESC LIMIT 1), 'false') = 'true'"
)


def _tables() -> None:
    op.create_table(
        "officers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("must_change_password", sa.Boolean, nullable=False),
        sa.Column("password_set_at", sa.DateTime, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "role_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("officer_id", sa.Integer, sa.ForeignKey("officers.id"), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.CheckConstraint(f"role IN ({ROLES})", name="role_events_role_known"),
        sa.CheckConstraint("kind IN ('granted', 'revoked')", name="role_events_kind"),
    )
    op.create_index("role_events_officer", "role_events", ["officer_id"])
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("officer_id", sa.Integer, sa.ForeignKey("officers.id"), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("via", sa.String(16), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("revoked_at", sa.DateTime, nullable=True),
        sa.CheckConstraint("via IN ('cli', 'console')", name="sessions_via"),
    )
    op.create_table(
        "sign_in_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("officer_id", sa.Integer, sa.ForeignKey("officers.id"), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("via", sa.String(16), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.CheckConstraint(
            "outcome IN ('ok', 'password', 'locked', 'disabled', 'unknown')",
            name="sign_in_attempts_outcome",
        ),
    )
    op.create_index("sign_in_attempts_username", "sign_in_attempts", ["username", "at"])
    op.create_table(
        "office_settings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("office_settings_name", "office_settings", ["name"])
    op.add_column(
        "audit_log", sa.Column("via", sa.String(16), nullable=False, server_default=sa.text("''"))
    )


def _postgresql_guards() -> None:
    for table in APPEND_ONLY:
        op.execute(
            f"""CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{table} is append-only: % refused', TG_OP; END $$"""
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
        )
    op.execute(
        """CREATE FUNCTION officers_kept() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                RAISE EXCEPTION 'officers are never deleted: disable the account';
            END IF;
            IF NEW.id <> OLD.id OR NEW.username <> OLD.username
                OR NEW.created_by <> OLD.created_by OR NEW.created_at <> OLD.created_at THEN
                RAISE EXCEPTION 'officers: an account keeps its id and username';
            END IF;
            RETURN NEW;
        END $$"""
    )
    op.execute(
        "CREATE TRIGGER officers_kept BEFORE UPDATE OR DELETE ON officers "
        "FOR EACH ROW EXECUTE FUNCTION officers_kept()"
    )
    op.execute(
        """CREATE FUNCTION sessions_revoked_once() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' OR OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL
                OR NEW.id <> OLD.id OR NEW.officer_id <> OLD.officer_id
                OR NEW.token_sha256 <> OLD.token_sha256 OR NEW.via <> OLD.via
                OR NEW.source <> OLD.source OR NEW.created_at <> OLD.created_at
                OR NEW.expires_at <> OLD.expires_at THEN
                RAISE EXCEPTION 'sessions: a session is only ever revoked, once';
            END IF;
            RETURN NEW;
        END $$"""
    )
    op.execute(
        "CREATE TRIGGER sessions_revoked_once BEFORE UPDATE OR DELETE ON sessions "
        "FOR EACH ROW EXECUTE FUNCTION sessions_revoked_once()"
    )
    op.execute(
        f"""CREATE FUNCTION batch_events_second_officer() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.kind = 'approved' AND NEW."by" = {SUBMITTER} THEN
                RAISE EXCEPTION '{SELF_APPROVAL}';
            END IF;
            RETURN NEW;
        END $$"""
    )
    op.execute(
        "CREATE TRIGGER batch_events_second_officer BEFORE INSERT ON batch_events "
        "FOR EACH ROW EXECUTE FUNCTION batch_events_second_officer()"
    )
    op.execute(
        f"""CREATE FUNCTION payments_not_by_approver() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.created_by = {APPROVER} AND NOT {RELAXED} THEN
                RAISE EXCEPTION '{APPROVER_PAYS}';
            END IF;
            RETURN NEW;
        END $$"""
    )
    op.execute(
        "CREATE TRIGGER payments_not_by_approver BEFORE INSERT ON payments "
        "FOR EACH ROW EXECUTE FUNCTION payments_not_by_approver()"
    )


def _sqlite_guards() -> None:
    for table in APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {action} refused'); END"
            )
    op.execute(
        "CREATE TRIGGER officers_no_delete BEFORE DELETE ON officers "
        "BEGIN SELECT RAISE(ABORT, 'officers are never deleted: disable the account'); END"
    )
    op.execute(
        "CREATE TRIGGER officers_kept BEFORE UPDATE ON officers "
        "WHEN NEW.id IS NOT OLD.id OR NEW.username IS NOT OLD.username "
        "OR NEW.created_by IS NOT OLD.created_by OR NEW.created_at IS NOT OLD.created_at "
        "BEGIN SELECT RAISE(ABORT, 'officers: an account keeps its id and username'); END"
    )
    op.execute(
        "CREATE TRIGGER sessions_no_delete BEFORE DELETE ON sessions "
        "BEGIN SELECT RAISE(ABORT, 'sessions: a session is only ever revoked, once'); END"
    )
    op.execute(
        "CREATE TRIGGER sessions_revoked_once BEFORE UPDATE ON sessions "
        "WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL OR NEW.id IS NOT OLD.id "
        "OR NEW.officer_id IS NOT OLD.officer_id OR NEW.token_sha256 IS NOT OLD.token_sha256 "
        "OR NEW.via IS NOT OLD.via OR NEW.source IS NOT OLD.source "
        "OR NEW.created_at IS NOT OLD.created_at OR NEW.expires_at IS NOT OLD.expires_at "
        "BEGIN SELECT RAISE(ABORT, 'sessions: a session is only ever revoked, once'); END"
    )
    op.execute(
        "CREATE TRIGGER batch_events_second_officer BEFORE INSERT ON batch_events "
        f"WHEN NEW.kind = 'approved' AND NEW.\"by\" = {SUBMITTER} "
        f"BEGIN SELECT RAISE(ABORT, '{SELF_APPROVAL}'); END"
    )
    op.execute(
        "CREATE TRIGGER payments_not_by_approver BEFORE INSERT ON payments "
        f"WHEN NEW.created_by = {APPROVER} AND NOT {RELAXED} "
        f"BEGIN SELECT RAISE(ABORT, '{APPROVER_PAYS}'); END"
    )


def upgrade() -> None:
    _tables()
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_guards()
    else:
        _sqlite_guards()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for trigger, table in (
        ("batch_events_second_officer", "batch_events"),
        ("payments_not_by_approver", "payments"),
    ):
        op.execute(
            f"DROP TRIGGER IF EXISTS {trigger}"
            + (f" ON {table}" if dialect == "postgresql" else "")
        )
        if dialect == "postgresql":
            op.execute(f"DROP FUNCTION IF EXISTS {trigger}()")
    op.drop_column("audit_log", "via")
    for table in ("office_settings", "sign_in_attempts", "sessions", "role_events", "officers"):
        op.drop_table(table)
    if dialect == "postgresql":
        for function in (
            *(f"{t}_append_only" for t in APPEND_ONLY),
            "officers_kept",
            "sessions_revoked_once",
        ):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
