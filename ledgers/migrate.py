"""Programmatic Alembic: upgrade to head and tell whether a database is current; on
PostgreSQL, every object of the schema handed to its owner role after each run."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

HERE = Path(__file__).resolve().parent
OWNER = "subsidies_owner"  # migration 0014 creates it; docs/database-roles.md

# The schema, its tables (their sequences follow) and functions, given to OWNER — by a
# superuser or a member of OWNER; a runner who may not (OWNER itself owns what it makes)
# leaves ownership as it is.
_HAND_TO_OWNER = f"""
DO $owner$
DECLARE s text := current_schema(); r record;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{OWNER}')
        OR NOT pg_has_role(current_user, '{OWNER}', 'MEMBER') THEN
        RETURN;
    END IF;
    EXECUTE format('ALTER SCHEMA %I OWNER TO {OWNER}', s);
    FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = s AND c.relkind IN ('r', 'p', 'v', 'm')
               AND c.relowner <> '{OWNER}'::regrole LOOP
        EXECUTE format('ALTER TABLE %I.%I OWNER TO {OWNER}', s, r.relname);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS f FROM pg_proc p
             JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = s AND p.proowner <> '{OWNER}'::regrole LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO {OWNER}', r.f);
    END LOOP;
END $owner$
"""


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config(str(HERE / "alembic.ini"))
    config.set_main_option("script_location", str(HERE / "migrations"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection, revision: str = "head") -> None:
    command.upgrade(alembic_config(connection), revision)


def downgrade(connection: Connection, revision: str) -> None:
    command.downgrade(alembic_config(connection), revision)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def hand_to_owner(connection: Connection) -> None:
    """PostgreSQL: give every object of the schema to ``subsidies_owner`` (run by the
    migration environment after each upgrade, in its transaction)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(_HAND_TO_OWNER))
