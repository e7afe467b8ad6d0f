"""``ledgers/sql/invariant.<dialect>.sql`` holds exactly the triggers and functions a
database migrated to head has: the same names, and each definition the same but for
whitespace and the file's comments (whole lines starting with ``--``).

When a migration changes a trigger or a function, this fails and prints the live
definition to copy into the file.
"""

from __future__ import annotations

import re
from importlib.resources import files

from sqlalchemy import Connection, text

from ledgers import Ledger

# A statement starts with CREATE at the start of a line; its other lines do not.
_STATEMENT_START = re.compile(r"^(?=CREATE\b)", re.MULTILINE)
_NAME = re.compile(r"CREATE (?:OR REPLACE )?(?:CONSTRAINT )?(TRIGGER|FUNCTION) (\w+)")
# Tokens: quoted strings and dollar-quote tags whole, words, single punctuation marks.
_TOKEN = re.compile(r"'(?:[^']|'')*'|\$\w*\$|\w+|[^\w\s]")


def _tokens(definition: str) -> list[str]:
    return _TOKEN.findall(definition)


def _named(definitions: list[str]) -> dict[str, str]:
    """``"TRIGGER name"`` / ``"FUNCTION name"`` -> definition; a name given twice fails."""
    named: dict[str, str] = {}
    for definition in definitions:
        match = _NAME.match(definition)
        assert match, f"not a CREATE TRIGGER or CREATE FUNCTION statement:\n{definition}"
        name = " ".join(match.groups())
        assert name not in named, f"{name} defined twice"
        named[name] = definition
    return named


def written(dialect: str) -> dict[str, str]:
    """The statements of the dialect's invariant file, by name, without comments."""
    source = (files("ledgers") / "sql" / f"invariant.{dialect}.sql").read_text(encoding="utf-8")
    lines = [line for line in source.splitlines() if not line.lstrip().startswith("--")]
    statements = _STATEMENT_START.split("\n".join(lines))
    head, *statements = statements
    assert not head.strip(), f"text before the first statement:\n{head}"
    return _named([s.strip().removesuffix(";") for s in statements])


def _live_sqlite(conn: Connection) -> list[str]:
    return list(
        conn.execute(text("SELECT sql FROM sqlite_master WHERE type = 'trigger'")).scalars()
    )


def _live_postgresql(conn: Connection) -> list[str]:
    """The triggers (not the foreign keys' internal ones) and the functions in the schema
    the connection's search_path starts with (each test database is such a schema)."""
    schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    triggers = conn.execute(
        text(
            "SELECT pg_get_triggerdef(t.oid, true) FROM pg_trigger t"
            " JOIN pg_class c ON c.oid = t.tgrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = :schema AND NOT t.tgisinternal"
        ),
        {"schema": schema},
    ).scalars()
    functions = conn.execute(
        text(
            "SELECT pg_get_functiondef(p.oid) FROM pg_proc p"
            " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = :schema"
        ),
        {"schema": schema},
    ).scalars()
    # functiondef qualifies the function's name with its schema, a different one per test
    unqualified = re.compile(rf"^(CREATE OR REPLACE FUNCTION ){re.escape(schema)}\.")
    return [*triggers, *(unqualified.sub(r"\1", f) for f in functions)]


LIVE = {"sqlite": _live_sqlite, "postgresql": _live_postgresql}


def test_invariant_file_holds_the_live_triggers_and_functions(ledger: Ledger) -> None:
    dialect = ledger.engine.dialect.name
    with ledger.engine.connect() as conn:
        live = _named(LIVE[dialect](conn))
    ours = written(dialect)
    assert sorted(ours) == sorted(live), (
        f"invariant.{dialect}.sql names {sorted(set(ours) - set(live))} that the database "
        f"does not have, and lacks {sorted(set(live) - set(ours))}"
    )
    stale = [name for name in sorted(live) if _tokens(live[name]) != _tokens(ours[name])]
    assert not stale, f"invariant.{dialect}.sql differs from the database in " + "".join(
        f"\n\n{name}; the database has:\n{live[name]}" for name in stale
    )


def test_only_whitespace_is_ignored() -> None:
    trigger = "CREATE TRIGGER t BEFORE DELETE ON x BEGIN SELECT RAISE(ABORT, 'a  b'); END"
    reflowed = (
        "CREATE TRIGGER t\n    BEFORE DELETE ON x\nBEGIN\n  SELECT RAISE (ABORT,'a  b') ;\nEND"
    )
    assert _tokens(reflowed) == _tokens(trigger)
    for edit in (("'a  b'", "'a b'"), ("DELETE", "UPDATE"), ("ABORT", "FAIL"), (";", "")):
        assert _tokens(trigger.replace(*edit)) != _tokens(trigger), edit
