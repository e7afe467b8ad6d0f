"""PostgreSQL: append-only that holds (issue #18).

- TRUNCATE, which fires no row trigger, is refused on every workflow table by a statement
  trigger (the journal's tables have had theirs since 0001, ``seals`` since 0013): as the
  product's own role, TRUNCATE of audit_log, payments, payment_events, decisions,
  batch_events and batches succeeded.
- Two roles, created when missing (the migration's user needs CREATEROLE then; a DBA may
  create them beforehand instead, see docs/database-roles.md):
  ``subsidies_owner`` owns the schema and everything in it and runs ``subsidies init``;
  ``subsidies_app`` runs the product: no superuser (a superuser can turn every trigger off
  with ``session_replication_role``), SELECT and INSERT on every table, UPDATE only on the
  running totals and heads (balances, chain_head, seals) and on funds (their rows are
  locked ``FOR UPDATE`` by every post), no DELETE, no TRUNCATE, no DDL. Tables that later
  migrations create get SELECT and INSERT too (default privileges).
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

APPEND_ONLY = (
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
)
UPDATED = ("balances", "chain_head", "seals", "funds")  # what the product's role may UPDATE
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

_OWNERSHIP = f"""
DO $owner$
DECLARE s text := current_schema(); r record;
BEGIN
    IF NOT pg_has_role(current_user, '{OWNER}', 'MEMBER') THEN
        RETURN;  -- only a superuser or a member of {OWNER} may give it the schema
    END IF;
    EXECUTE format('ALTER SCHEMA %I OWNER TO {OWNER}', s);
    FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = s AND c.relkind IN ('r', 'p', 'v', 'm') LOOP
        EXECUTE format('ALTER TABLE %I.%I OWNER TO {OWNER}', s, r.relname);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS f FROM pg_proc p
             JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = s LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO {OWNER}', r.f);
    END LOOP;
END $owner$
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
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()"
        )
    op.execute(_ROLES)
    op.execute(_GRANTS)
    op.execute(f"REVOKE INSERT ON alembic_version FROM {APP}")  # the owner migrates
    op.execute(f"GRANT UPDATE ON {', '.join(UPDATED)} TO {APP}")
    op.execute(_OWNERSHIP)


def downgrade() -> None:
    """The triggers and the product role's privileges in this schema go; the roles stay
    (they belong to the server, and other databases may use them), and so does ownership."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
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
