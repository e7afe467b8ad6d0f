"""The tables as declared (ledgers/schema.py, subsidies/workflow/tables.py) are the tables
the migrations create: a fresh database at head differs from the two in nothing.

The ledger must not import the workflow; this test, outside both, puts the two together.
"""

from __future__ import annotations

from pprint import pformat

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import CheckConstraint, Engine, MetaData, Table, inspect

from ledgers import Ledger
from ledgers import schema as ledger_schema
from subsidies.workflow import tables as workflow_tables


def declared() -> MetaData:
    """The ledger's tables and the workflow's, in one MetaData (so foreign keys resolve)."""
    combined = MetaData()
    for owner in (ledger_schema.metadata, workflow_tables.metadata):
        for table in owner.tables.values():
            table.to_metadata(combined)
    return combined


def test_declared_tables_match_the_migrated_database(ledger: Ledger) -> None:
    """Tables, columns, types, nullability, defaults, keys, unique constraints, indexes."""
    with ledger.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        differences = compare_metadata(context, declared())
    assert differences == [], (
        f"{len(differences)} differences between the declared tables and the migrated "
        f"database:\n{pformat(differences, width=120)}"
    )


def _words(condition: object) -> str:
    return " ".join(str(condition).split())


def _declared_conditions(table: Table, dialect: str) -> dict[str, str]:
    """CHECK constraints and partial indexes: name -> condition."""
    checks = {c.name: c.sqltext for c in table.constraints if isinstance(c, CheckConstraint)}
    partial = {i.name: i.dialect_options[dialect]["where"] for i in table.indexes}
    return {
        name: _words(condition)
        for name, condition in {**checks, **partial}.items()
        if condition is not None
    }


def _live_conditions(engine: Engine, table: str) -> dict[str, str]:
    inspector = inspect(engine)
    checks = {c["name"]: c["sqltext"] for c in inspector.get_check_constraints(table)}
    partial = {
        i["name"]: i["dialect_options"].get(f"{engine.dialect.name}_where")
        for i in inspector.get_indexes(table)
    }
    return {
        name: _words(condition)
        for name, condition in {**checks, **partial}.items()
        if condition is not None
    }


def test_declared_conditions_match_the_migrated_database(ledger: Ledger) -> None:
    """What Alembic does not compare: CHECK constraints and the conditions of partial
    indexes. SQLite keeps a condition as written; PostgreSQL rewrites it, so there only
    the names are compared."""
    dialect = ledger.engine.dialect.name
    for table in declared().tables.values():
        ours = _declared_conditions(table, dialect)
        live = _live_conditions(ledger.engine, table.name)
        if dialect == "postgresql":
            ours, live = set(ours), set(live)
        assert ours == live, table.name
