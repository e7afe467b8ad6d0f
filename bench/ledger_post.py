"""Benchmark: posting journal entries, ours vs. python-accounting 2.

    python bench/ledger_post.py [--n 20000] [--single 1000] [--peer-n 2000] [--no-peer] [--no-pg]

Ours, on a fresh SQLite file (and on PostgreSQL when it answers at
``$SUBSIDIES_TEST_PG_URL``, in a throw-away schema):

* ``post_many``: N payout accruals (借 5001.<program> / 贷 2303, one debit and one
  credit: the peer's entry shape) in one transaction;
* ``post``: entries one transaction each, as the peer commits them.

Every figure includes what the ledger always does: idempotency lookup, overdraft check
under the lock, hash chain, running balances, and the database's own triggers. Then
the results are checked (balances equal the amounts posted, ``verify`` passes).

The peer is ``shared/peers/python_accounting_post.py N`` in its own venv
(``bench/.peer-venv-python-accounting``, made on first run), run in the same run since
absolute figures drift on this machine; the last column is ours ÷ the peer (wall
clock). CPU seconds are this process's, which on a shared machine move less than wall.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _peer  # noqa: E402
from _peer import PYTHON_ACCOUNTING  # noqa: E402, F401  (bench/payout.py imports it from here)
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from ledgers import Ledger, schemes  # noqa: E402

FUND = "BENCH"
PROGRAM = "qinghai.goji_broker"
DAY = date(2024, 6, 3)
PG_URL = os.environ.get(
    "SUBSIDIES_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def drafts(n: int, prefix: str) -> list:
    """N accruals of small integer yuan amounts, as the peer posts them."""
    return [
        schemes.payout_accrued(
            FUND, PROGRAM, (1 + i % 97) * 100, key=f"{prefix}-{i}", ref=f"claim-{i}", on=DAY
        )
        for i in range(n)
    ]


class Clock:
    """Wall and CPU seconds of the block (this process only: the database is in-process
    for SQLite; for PostgreSQL the server's CPU is not counted)."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def measure(url: str, n: int, single: int) -> list[tuple[str, int, float, float]]:
    """(what, entries, wall s, CPU s) for post_many and for post, on a fresh database at ``url``."""
    with Ledger.connect(url) as led:
        led.upgrade()
        led.add_fund(FUND, "benchmark fund")
        led.appropriate(FUND, 10**15, doc="bench", on=DAY)
        batch = drafts(n, "many")
        with Clock() as many:
            led.post_many(batch)
        one_by_one = drafts(single, "one")
        with Clock() as each:
            for draft in one_by_one:
                led.post(draft)
        posted = sum(p.debit for d in batch + one_by_one for p in d.postings)
        if led.balance("5001", FUND) != posted or led.balance("2303", FUND) != posted:
            raise SystemExit(f"ERROR: balances differ from the {posted} fen posted")
        with Clock() as check:
            result = led.verify()
        if not result.ok:
            raise SystemExit(f"ERROR: verify failed: {result.problems[:3]}")
    return [("post_many (one transaction)", n, many.wall, many.cpu),
            ("post (a transaction each)", single, each.wall, each.cpu),
            ("verify (chain + balances)", result.entries, check.wall, check.cpu)]  # fmt: skip


def postgres_url() -> tuple[str, str] | None:
    """A URL on a fresh schema of the test server, or None if it does not answer."""
    try:
        admin = create_engine(
            PG_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
        )
        schema = f"bench_{uuid.uuid4().hex[:12]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
    except Exception as exc:  # unreachable: say so and go on without it
        print(f"[pg] skipped: {str(exc).splitlines()[0]}", file=sys.stderr)
        return None
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def drop_schema(schema: str) -> None:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="entries for post_many")
    parser.add_argument(
        "--single", type=int, default=1_000, help="entries posted one transaction each"
    )
    parser.add_argument("--peer-n", type=int, default=2_000, help="entries for the peer")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()

    rows: list[tuple[str, str, int, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for row in measure(f"sqlite:///{Path(tmp) / 'bench.db'}", args.n, args.single):
            rows.append(("SQLite", *row))
    if not args.no_pg and (pg := postgres_url()):
        url, schema = pg
        try:
            for row in measure(url, args.n, args.single):
                rows.append(("PostgreSQL", *row))
        finally:
            drop_schema(schema)

    peer_rate = None
    if not args.no_peer:
        try:
            peer = _peer.python_accounting(args.peer_n, Path(tempfile.gettempdir()) / "pa-bench.db")
            peer_rate = peer.rate
            print(f"peer: {peer.line}")
        except (_peer.PeerError, OSError, subprocess.SubprocessError) as error:
            print(f"[peer] not run: {error}", file=sys.stderr)

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{time.strftime('%Y-%m-%d %H:%M %Z')}, load average {load}, {os.cpu_count()} CPUs")
    print(
        f"{'backend':<11} {'what':<30} {'entries':>8} {'wall s':>7} {'CPU s':>7} "
        f"{'entries/s':>10} {'× peer':>8}"
    )
    for backend, what, n, wall, cpu in rows:
        rate = n / wall
        ratio = f"{rate / peer_rate:,.0f}×" if peer_rate and not what.startswith("verify") else ""
        print(
            f"{backend:<11} {what:<30} {n:>8,} {wall:>7.2f} {cpu:>7.2f} {rate:>10,.0f} {ratio:>8}"
        )
    if peer_rate:
        print(
            f"{'peer':<11} {'python-accounting, commit each':<30} {args.peer_n:>8,} "
            f"{args.peer_n / peer_rate:>7.2f} {'':>7} {peer_rate:>10,.0f} {'1×':>8}"
        )


if __name__ == "__main__":
    main()
