"""Shared database fixtures: each ledger test runs on SQLite and on PostgreSQL.

PostgreSQL is the server at ``$SUBSIDIES_TEST_PG_URL`` (default: database ``test`` on
127.0.0.1:5432, user postgres, trust auth); every database a test asks for is a fresh
schema there, reached through ``search_path`` and dropped afterwards. When it cannot be
reached the PostgreSQL half fails under ``CI`` and is skipped, saying why, elsewhere.
"""

from __future__ import annotations

import importlib
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from ledgers import Ledger

# ``tests/calculators`` is a test folder named like the ``calculators`` package: whenever
# ``tests/`` is on sys.path (pytest's default "prepend" import mode; this project runs in
# importlib mode, but a different invocation may not), ``import calculators`` would find
# the folder. This root conftest runs before every test module and imports the real one.
_TEST_CALCULATORS = Path(__file__).resolve().parent / "calculators"


def _ours(module) -> bool:
    """A module found in this directory (or a namespace package made of it)."""
    file = getattr(module, "__file__", None)
    return file is None or _TEST_CALCULATORS in Path(file).resolve().parents


def _use_installed_calculators() -> None:
    module = sys.modules.get("calculators")
    if module is not None and not _ours(module):
        return  # the installed package is already imported
    for name in [n for n in sys.modules if n == "calculators" or n.startswith("calculators.")]:
        if _ours(sys.modules[name]):
            del sys.modules[name]
    saved = list(sys.path)
    sys.path[:] = [
        p
        for p in sys.path
        if Path(p or ".").resolve() not in (_TEST_CALCULATORS, _TEST_CALCULATORS.parent)
    ]
    try:
        importlib.import_module("calculators")
    finally:
        sys.path[:] = saved


_use_installed_calculators()

# The officer's language is Chinese unless English is asked for (subsidies/domain/i18n.py);
# the tests expect it whatever the developer's locale, and ask for English where they test it.
os.environ["SUBSIDIES_LANG"] = "zh_CN"


PG_URL = os.environ.get(
    "SUBSIDIES_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine]:
    """An autocommit engine on the PostgreSQL test database, or fail/skip saying why."""
    engine = create_engine(
        PG_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to connect means: not reachable
        engine.dispose()
        shown = make_url(PG_URL).render_as_string(hide_password=True)
        reason = f"PostgreSQL not reachable at {shown}: {str(exc).splitlines()[0]}"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)")
        pytest.skip(reason)
    yield engine
    engine.dispose()


def _schema_url(schema: str) -> str:
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def new_db_url(
    backend: str, tmp_path, request: pytest.FixtureRequest
) -> Iterator[Callable[[], str]]:
    """A factory of fresh, empty databases on the test's backend."""
    schemas: list[str] = []
    admin = request.getfixturevalue("pg_admin") if backend == "postgresql" else None
    count = 0

    def make() -> str:
        nonlocal count
        count += 1
        if admin is None:
            return f"sqlite:///{tmp_path / f'ledger-{count}.db'}"
        schema = f"test_{uuid.uuid4().hex[:16]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        schemas.append(schema)
        return _schema_url(schema)

    yield make
    if admin is not None:
        with admin.connect() as conn:
            for schema in schemas:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


@pytest.fixture
def db_url(new_db_url: Callable[[], str]) -> str:
    return new_db_url()


@pytest.fixture
def ledger(db_url: str) -> Iterator[Ledger]:
    """A ledger on a fresh database, schema at head."""
    led = Ledger.connect(db_url)
    led.upgrade()
    yield led
    led.close()
