"""PostgreSQL: append-only that holds (issue #18).

- TRUNCATE, which fires no row trigger, is refused on every table of records (the
  workflow's, the officers') by a statement trigger (the journal's tables have had theirs
  since 0001, ``seals`` since 0013): as the product's own role, TRUNCATE of audit_log,
  payments, payment_events, decisions, batch_events and batches succeeded.
- Two roles, created when missing (the migration's user needs CREATEROLE then; a DBA may
  create them beforehand instead, see docs/database-roles.md):
  ``subsidies_owner`` owns the schema and everything in it (``ledgers/migrate.py`` hands
  it every object at the end of each upgrade) and runs ``subsidies init``;
  ``subsidies_app`` runs the product: no superuser (a superuser can turn every trigger off
  with ``session_replication_role``), SELECT and INSERT on every table, UPDATE only on the
  running totals and heads (balances, chain_head, seals), on funds (their rows are locked
  ``FOR UPDATE`` by every post) and on officers and sessions (a password changed, an
  account disabled, a session revoked: triggers allow nothing else), no DELETE, no
  TRUNCATE, no DDL. Tables that later migrations create get SELECT and INSERT too
  (default privileges); a migration that needs more grants it.
- Neither role has a password here: a DBA sets one (``ALTER ROLE … PASSWORD``) or allows
  the connection in pg_hba.conf.

SQLite has no roles and no TRUNCATE (a DELETE fires the row triggers): nothing to do.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

APPEND_ONLY = (  # every table of records (0002 to 0012): none is ever emptied
    "batches",
    "decisions",
    "batch_events",
    "audit_log",
    "payments",
    "payment_events",
    "recoveries",
    "brands",
    "brand_events",
    "statement_lines",
    "line_matches",
    "payment_files",
    "payment_transfers",
    "payment_requests",
    "payment_request_decisions",
    "unit_renames",
    "officers",
    "role_events",
    "sessions",
    "sign_in_attempts",
    "office_settings",
)
# what the product's role may UPDATE: running totals and chain heads, the funds (locked FOR
# UPDATE by every post), officers (password, disabled) and sessions (revoked)
UPDATED = ("balances", "chain_head", "seals", "funds", "officers", "sessions")
OWNER, APP = "subsidies_owner", "subsidies_app"

_ROLES = f"""
DO $roles$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{OWNER}') THEN
        BEGIN
            CREATE ROLE {OWNER} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;  -- made meanwhile
        END;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP}') THEN
        BEGIN
            CREATE ROLE {APP} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE EXCEPTION 'the roles {OWNER} and {APP} do not exist and % may not create them',
        current_user
        USING HINT = 'a DBA creates them first: docs/database-roles.md';
END $roles$
"""

_GRANTS = f"""
DO $grants$
DECLARE s text := current_schema();
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO {APP}', s);
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM {APP}', s);
    EXECUTE format('GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA %I TO {APP}', s);
    EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO {APP}', s);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I '
                   'GRANT SELECT, INSERT ON TABLES TO {APP}', s);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I '
                   'GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {APP}', s);
    IF pg_has_role(current_user, '{OWNER}', 'MEMBER') THEN
        EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER} IN SCHEMA %I '
                       'GRANT SELECT, INSERT ON TABLES TO {APP}', s);
        EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER} IN SCHEMA %I '
                       'GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {APP}', s);
    END IF;
END $grants$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """CREATE FUNCTION refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '% is never emptied: TRUNCATE refused', TG_TABLE_NAME; END $$"""
    )
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()"
        )
    op.execute(_ROLES)
    op.execute(_GRANTS)
    op.execute(f"REVOKE INSERT ON alembic_version FROM {APP}")  # the owner migrates
    op.execute(f"GRANT UPDATE ON {', '.join(UPDATED)} TO {APP}")


def downgrade() -> None:
    """The triggers and the product role's privileges in this schema go; the roles stay
    (they belong to the server, and other databases may use them), and so does ownership."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    op.execute("DROP FUNCTION IF EXISTS refuse_truncate()")
    op.execute(
        f"""
DO $revoke$
DECLARE s text := current_schema();
BEGIN
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM {APP}', s);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM {APP}', s);
    EXECUTE format('REVOKE USAGE ON SCHEMA %I FROM {APP}', s);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON TABLES FROM {APP}', s);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON SEQUENCES FROM {APP}', s);
    IF pg_has_role(current_user, '{OWNER}', 'MEMBER') THEN
        EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER} IN SCHEMA %I '
                       'REVOKE ALL ON TABLES FROM {APP}', s);
        EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER} IN SCHEMA %I '
                       'REVOKE ALL ON SEQUENCES FROM {APP}', s);
    END IF;
END $revoke$
"""
    )
