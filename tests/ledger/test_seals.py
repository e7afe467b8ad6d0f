"""Seals (ledgers/seals.py, migration 0013): which tables, the rows a ledger already had,
the canonical bytes, and the SQLite file's mode."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat

from sqlalchemy import select, text

from ledgers import Ledger, migrate
from ledgers.chain import GENESIS
from ledgers.db import writing
from ledgers.schema import seals
from ledgers.seals import canonical_rows
from subsidies.workflow.tables import SEALED, audit_log, batches, payments


def test_the_code_seals_the_tables_the_migration_seals(ledger: Ledger) -> None:
    with ledger.reading() as conn:
        chains = dict(conn.execute(select(seals.c.table_name, seals.c.head_hash)).all())
    assert sorted(chains) == sorted(t.name for t in SEALED)
    assert set(chains.values()) == {GENESIS}  # a new ledger: every chain empty


def test_rows_written_before_the_seals_are_sealed_by_the_migration(db_url: str) -> None:
    """A ledger at 0011 with records already in it: the upgrade seals them in id order,
    and an edit of one of them afterwards is named."""
    led = Ledger.connect(db_url)
    with writing(led.engine) as conn:
        migrate.upgrade(conn, "0011")
        conn.execute(
            text(
                'INSERT INTO audit_log (at, "by", action, subject, detail) VALUES'
                " ('2024-06-03 10:00:00', 'li', 'batch.submit', 'B1', '3 claims'),"
                " ('2024-06-04 11:30:00.250000', 'wang', 'batch.approve', 'B1', '审批'),"
                " ('2024-06-05 09:00:00', 'zhao', 'batch.disburse', 'B1', '3 payments')"
            )
        )
    led.upgrade()
    result = led.verify(SEALED)
    assert result.ok, result.problems
    assert {t.table: t.rows for t in result.tables}["audit_log"] == 3
    with led.reading() as conn:
        assert conn.scalar(select(seals.c.row_count).where(seals.c.table_name == "audit_log")) == 3
    with led.transaction() as tx:  # the product writes on after them
        tx.insert(audit_log, at=dt.datetime(2024, 6, 6), by="li", action="x", subject="", detail="")
    assert led.verify(SEALED).ok
    with writing(led.engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("DROP TRIGGER audit_log_append_only ON audit_log"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
        conn.execute(text("UPDATE audit_log SET \"by\" = 'someone' WHERE id = 2"))
    assert led.verify(SEALED).problems == (
        "audit_log id 2: does not match its seal: edited after it was written",
    )
    led.close()


def test_the_canonical_bytes_are_json_with_sorted_keys() -> None:
    """Byte for byte ``json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)``
    of the row (NULLs left out), so an auditor can recompute a seal with any JSON library."""
    at = dt.datetime(2024, 6, 3, 10, 1, 2, 123456)
    row = {
        "id": 7, "seal_no": 7, "reference": "P-1", "batch_id": 1, "program_id": "qinghai.goji_broker",
        "claim_id": 'C "1"\n\t\\', "attempt": 1, "fund_code": "QH2024", "payee_name": "张三 𠀀",
        "payee_id": "632801199001010017", "account": "=1+1", "amount_fen": 5000, "entry_id": 3,
        "created_by": "li", "created_at": at,
    }  # fmt: skip
    (content,) = canonical_rows(payments, {k: [v] for k, v in row.items()}, 1)
    expected = {**row, "created_at": at.isoformat()}
    assert (
        content
        == json.dumps(expected, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )


def test_values_are_sealed_as_the_database_gives_them_back() -> None:
    """A date given as text, a datetime for a date, an int as a bool: the bytes are those of
    the value read back, so the seal verifies."""
    given = {
        "id": [1], "code": ["B1"], "program_id": ["p"], "fund_code": ["F"], "source_file": ["f"],
        "source_sha256": ["0" * 64], "as_of": ["2024-06-03"], "notice_days": [True],
        "submitted_by": ["li"], "submitted_at": ["2024-06-03 10:00:00.000000"], "seal_no": [1],
    }  # fmt: skip
    read_back = {
        **given,
        "as_of": [dt.date(2024, 6, 3)],
        "notice_days": [1],
        "submitted_at": [dt.datetime(2024, 6, 3, 10)],
    }
    assert list(canonical_rows(batches, given, 1)) == list(canonical_rows(batches, read_back, 1))


def test_a_new_sqlite_ledger_is_readable_by_its_owner_only(tmp_path) -> None:
    path = tmp_path / "books.db"
    with Ledger.connect(f"sqlite:///{path}") as led:
        led.upgrade()
        with led.one_at_a_time("payment-files"), led.reading():  # the WAL files are open
            modes = {p.name: stat.S_IMODE(os.stat(p).st_mode) for p in tmp_path.iterdir()}
    assert sorted(modes) == [
        "books.db",
        "books.db-shm",
        "books.db-wal",
        "books.db.payment-files.lock",
    ]
    assert set(modes.values()) == {0o600}, modes


def test_a_column_left_out_is_sealed_as_the_database_stores_it(ledger: Ledger) -> None:
    """audit_log.via has a server default (''): a row written without it is sealed with
    it, so it verifies as stored."""
    with ledger.transaction() as tx:
        tx.insert(
            audit_log, at=dt.datetime(2024, 6, 6), by="li", action="x", subject="s", detail=""
        )
    with ledger.reading() as conn:
        assert conn.execute(select(audit_log.c.via, audit_log.c.seal_no)).all() == [("", 1)]
    assert ledger.verify(SEALED).ok
