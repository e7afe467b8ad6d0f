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


# -- officers ---------------------------------------------------------------------------

TEST_PASSWORD = "测试口令-correct-horse-42"  # every test officer's password (not a real one)


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing() -> Iterator[None]:
    """argon2id with the cheapest parameters, in tests only: the production hasher
    (``officers.HASHER``) takes ~50 ms a hash, on purpose. Hashes keep their parameters, so
    verifying works the same."""
    from argon2 import PasswordHasher

    from subsidies.workflow import officers

    production = officers.HASHER
    officers.HASHER = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    yield
    officers.HASHER = production


OFFICE = {  # username: (name, roles), as tests/workflow/workflow_helpers.py names them
    "admin": ("吴管理", ("admin",)),
    "wang.maker": ("王经办", ("clerk",)),
    "li.checker": ("李审核", ("checker",)),
    "zhao.cashier": ("赵出纳", ("cashier",)),
    "sun": ("孙对账", ("reconciler",)),
    "qian.auditor": ("钱审计", ("auditor",)),
    # CLI tests run as chief unless they name another: every role, one person (a test
    # convenience; the separations by username still hold for chief)
    "chief": ("全岗位测试员", ("clerk", "checker", "cashier", "reconciler", "auditor", "admin")),
}


class Office:
    """A ledger's officers, one per role (``office.clerk`` …), each signed in once."""

    def __init__(self, ledger: Ledger) -> None:
        from subsidies.workflow import officers

        self.ledger = ledger
        self.admin = officers.first_administrator(
            ledger, "admin", OFFICE["admin"][0], TEST_PASSWORD
        )
        self.by_role = {"admin": self.admin}
        self.by_username = {"admin": self.admin}
        for username, (name, roles) in OFFICE.items():
            if username != "admin":
                self.by_username[username] = self.add(username, name, roles)
                self.by_role.setdefault(roles[0], self.by_username[username])

    def add(self, username: str, name: str, roles) -> object:
        """An officer with ``roles`` who has changed their first password."""
        from subsidies.workflow import officers

        first = TEST_PASSWORD + "-first"
        officers.add_officer(self.ledger, username, name, first, roles, by=self.admin)
        made = officers.find(self.ledger, username)
        officers.set_password(self.ledger, username, TEST_PASSWORD, by=made, old=first)
        return officers.find(self.ledger, username)

    def __getattr__(self, role: str):
        try:
            return self.__dict__["by_role"][role]
        except KeyError:
            raise AttributeError(role) from None

    def token(self, officer, via: str = "cli") -> str:
        from subsidies.workflow import officers

        return officers.sign_in(
            self.ledger, officer.username, TEST_PASSWORD, via=via, source="pytest"
        ).token


@pytest.fixture
def office(ledger: Ledger) -> Office:
    """The ``ledger`` with an office (:data:`OFFICE`): ``office.admin``, ``office.clerk``,
    ``office.checker``, ``office.cashier``, ``office.reconciler``, ``office.auditor``."""
    return Office(ledger)


_TOKENS: dict[tuple[str, str], str] = {}


def signed_in_env(url: str, by: object = None) -> dict[str, str]:
    """The environment of a CLI run signed in as ``by`` (an Officer or a username; default
    ``chief``) on the ledger at ``url``, whose schema and office are made first if missing."""
    from subsidies.workflow import officers

    username = str(by or "chief")
    if (url, username) not in _TOKENS:
        led = Ledger.connect(url)
        try:
            led.upgrade()
            if not officers.has_officers(led):
                Office(led)
            for name in {*OFFICE, username}:  # everyone at once: later runs add no row
                if (url, name) not in _TOKENS:
                    _TOKENS[url, name] = officers.sign_in(
                        led, name, TEST_PASSWORD, via="cli", source="pytest"
                    ).token
        finally:
            led.close()
    return {"SUBSIDIES_TOKEN": _TOKENS[url, username]}


@pytest.fixture(scope="session")
def as_officer() -> Callable[..., dict[str, str]]:
    """``as_officer(url, by=None)``: the environment of a CLI run signed in as ``by``. The
    first call on a ledger makes its office and signs every officer in (so a test that
    compares the tables around a command calls it before taking the first snapshot)."""
    return signed_in_env


@pytest.fixture(autouse=True)
def _no_user_session(tmp_path_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's session file or token."""
    monkeypatch.setenv("SUBSIDIES_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.delenv("SUBSIDIES_TOKEN", raising=False)
