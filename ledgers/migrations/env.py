"""Alembic environment: runs on the connection the ledger hands over, or on $SUBSIDIES_DB."""

from __future__ import annotations

from alembic import context

from ledgers.db import create_ledger_engine, resolve_url, writing
from ledgers.migrate import hand_to_owner

config = context.config


def run(connection) -> None:
    context.configure(connection=connection, target_metadata=None, transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()
        hand_to_owner(connection)  # PostgreSQL: what the migrations made, to subsidies_owner


def main() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    engine = create_ledger_engine(resolve_url(None))
    try:
        with writing(engine) as conn:
            run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("the ledger migrations run online only")
main()
