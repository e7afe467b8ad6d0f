"""PostgreSQL: the product runs as ``subsidies_app`` (migration 0014), which can do the whole
job and cannot TRUNCATE, UPDATE or DELETE an append-only table; TRUNCATE is refused by a
trigger even for the tables' owner (issue #18: 6 of 9 such statements succeeded)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from ledgers import Ledger
from subsidies.workflow.tables import SEALED

sys.path.insert(0, str(Path(__file__).resolve().parent))
from paid_world import paid_world  # noqa: E402

pytestmark = pytest.mark.parametrize(
    "backend", [pytest.param("postgresql", marks=pytest.mark.postgres)]
)

APPEND_ONLY = [
    "entries", "postings", "closed_periods", "batches", "decisions", "batch_events",
    "audit_log", "payments", "payment_events", "recoveries", "brands", "brand_events",
    "statement_lines", "line_matches", "payment_files", "payment_transfers",
    "payment_requests", "payment_request_decisions", "unit_renames",
]  # fmt: skip
KEY = {"seals": "table_name", "closed_periods": "period", "postings": "entry_id"}
STATEMENTS = {
    "TRUNCATE": "TRUNCATE {table} CASCADE",
    "UPDATE": "UPDATE {table} SET {column} = {column}",
    "DELETE": "DELETE FROM {table}",
}


def as_role(db_url: str, role: str) -> str:
    return make_url(db_url).set(username=role).render_as_string(hide_password=False)


def refusal(engine: Engine, sql: str) -> str:
    """The database's refusal of ``sql`` (in a transaction rolled back either way)."""
    with engine.connect() as conn, conn.begin(), pytest.raises(DBAPIError) as refused:
        conn.execute(text(sql))
    return str(refused.value.orig)


def test_the_product_runs_as_subsidies_app(ledger: Ledger, db_url: str, tmp_path) -> None:
    """Every step of the paid world — funds, posts, batches, payments, files, statements,
    second officers, recoveries — as subsidies_app; the seals verify."""
    with Ledger.connect(as_role(db_url, "subsidies_app")) as app:
        with app.reading() as conn:
            assert conn.scalar(text("SELECT current_user")) == "subsidies_app"
            assert not conn.scalar(
                text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            )
        paid_world(app, tmp_path)
        result = app.verify(SEALED)
    assert result.ok and sum(t.rows for t in result.tables) > 20, result.problems


def test_subsidies_app_cannot_change_history(ledger: Ledger, db_url: str) -> None:
    app = create_engine(as_role(db_url, "subsidies_app"))
    try:
        for table in [*APPEND_ONLY, "seals"]:
            column = KEY.get(table, "id")
            for action, sql in STATEMENTS.items():
                if table == "seals" and action == "UPDATE":
                    continue  # the product moves the heads, forward only (a trigger)
                refused = refusal(app, sql.format(table=table, column=column))
                assert "permission denied" in refused, (table, action, refused)
        refused = refusal(app, "SET session_replication_role = replica")
        assert "permission denied" in refused, refused
    finally:
        app.dispose()


def test_truncate_is_refused_even_for_the_owner(ledger: Ledger, db_url: str) -> None:
    """The superuser the tests connect as owns every privilege; the statement triggers still
    refuse TRUNCATE of every append-only table and of the seals."""
    owner = create_engine(db_url)
    try:
        for table in [*APPEND_ONLY, "seals"]:
            refused = refusal(owner, f"TRUNCATE {table} CASCADE")
            assert "refused" in refused and "TRUNCATE" in refused, (table, refused)
    finally:
        owner.dispose()


def test_the_schema_is_owned_by_subsidies_owner(ledger: Ledger) -> None:
    with ledger.reading() as conn:
        schema_owner = conn.scalar(
            text(
                "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = current_schema()"
            )
        )
        table_owners = set(
            conn.scalars(
                text(
                    "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = current_schema()"
                )
            )
        )
    assert (schema_owner, table_owners) == ("subsidies_owner", {"subsidies_owner"})
