"""The schema comes from Alembic migrations, on both backends."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from ledgers import Ledger, SchemaError, migrate
from ledgers.chart import CHART
from ledgers.db import writing
from ledgers.schema import metadata


def test_upgrade_creates_schema_chart_and_chain_head(db_url: str) -> None:
    with Ledger.connect(db_url) as led:
        with pytest.raises(SchemaError, match="subsidies init"):
            led.require_schema()
        led.upgrade()
        led.upgrade()  # a second run is a no-op
        led.require_schema()
        assert {a.code for a in led.accounts()} == {a.code for a in CHART}
        assert led.verify().ok and led.verify().entries == 0


def _ours(obj, name, type_, reflected, compare_to) -> bool:
    """Compare only the ledger's tables (later migrations of other packages add theirs)."""
    table = obj if type_ == "table" else getattr(obj, "table", None)
    return table is None or table.name in metadata.tables


def test_schema_module_matches_the_migrations(ledger: Ledger) -> None:
    with ledger.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _ours})
        assert compare_metadata(context, metadata) == []


def test_downgrade_to_base_and_back(ledger: Ledger) -> None:
    with writing(ledger.engine) as conn:
        migrate.downgrade(conn, "base")
    assert set(inspect(ledger.engine).get_table_names()) <= {"alembic_version"}
    ledger.upgrade()
    assert ledger.verify().ok
