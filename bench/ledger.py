"""Benchmark: a ledger of a million payouts (issue 3, "Done when").

    python bench/ledger.py [--n 1000000] [--chunk 100000] [--single 5000] [--peer-n 2000]
                           [--quick] [--no-peer] [--no-pg]

On a fresh SQLite file under the temp directory, and on PostgreSQL (``$SUBSIDIES_TEST_PG_URL``,
default 127.0.0.1:5432 database ``test``) in a throw-away schema when it answers:

* **bulk**: one appropriation, then N payouts, each an accrual (借 5001.<program> /
  贷 2303) and a disbursement (借 2303 / 贷 1011, 借 7101 / 贷 8001): 2N entries, 6N
  postings, posted with ``Ledger.post_many`` in transactions of ``--chunk`` entries, as an
  officer's batch would be (an accrual is always in the same chunk as its disbursement).
  Building the drafts is not timed (it is printed apart);
* **trial balance**: ``Ledger.trial_balance()`` over that ledger, best of 3 (target
  ≤ 100 ms), and once as of a date, which sums the postings (no target; a cross-check:
  both must give the same rows);
* **single**: ``--single`` entries posted one transaction each with ``Ledger.post``, as a
  single officer's action posts it, on the same large ledger: accruals and disbursements
  alternately (a payout approved, then paid);
* **verify**: ``Ledger.verify()`` once over everything (hash chain and every balance).

Correctness is asserted, so a fast wrong answer cannot pass: the entry and posting counts
(2N + 1 entries after the bulk), every chart account's debit and credit totals in the
trial balance equal the amounts posted (and it balances on both tracks), the trial balance
from running balances equals the one summed from postings, the fund's available balance
equals appropriated − paid (2303 back at zero), and verify passes.

Then the peer, python-accounting 2 (``shared/peers/python_accounting_post.py``, one
commit per 2-posting entry on a SQLite file, its own venv), posts ``--peer-n`` entries in
the same run; ours ÷ the peer is printed beside our single-entry rates. Rates are wall
clock; CPU seconds are this process's (all of SQLite's work, none of the PostgreSQL
server's), which on this shared machine move less than wall.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _peer  # noqa: E402
from ledger_post import DAY, FUND, PG_URL, PROGRAM, Clock, drop_schema, postgres_url  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from ledgers import Ledger, schemes  # noqa: E402
from ledgers.chart import (  # noqa: E402
    BUDGET_EXPENDITURE,
    BUDGET_REVENUE,
    CASH,
    EXPENSE,
    FUNDS_HELD,
    PAYABLE,
    REVENUE,
)
from ledgers.model import EntryDraft  # noqa: E402
from ledgers.schema import entries, postings  # noqa: E402

APPROPRIATED = 10**13  # fen: far more than a million payouts draw
BULK_TARGET = {"SQLite": 50_000, "PostgreSQL": 20_000}  # entries/s
SINGLE_TARGET = {"SQLite": 2_500}  # entries/s
TRIAL_BALANCE_TARGET_MS = 100


def payouts(first: int, count: int, prefix: str) -> tuple[list[EntryDraft], int]:
    """Payouts ``first`` … ``first + count - 1``, each its accrual then its disbursement,
    and the fen they pay."""
    drafts: list[EntryDraft] = []
    paid = 0
    for i in range(first, first + count):
        fen = (1 + i % 97) * 100
        claim = f"claim-{prefix}-{i}"
        drafts.append(
            schemes.payout_accrued(FUND, PROGRAM, fen, key=f"accrual:{claim}", ref=claim, on=DAY)
        )
        drafts.append(
            schemes.disbursement(FUND, fen, program=PROGRAM, key=f"pay:{claim}", ref=claim, on=DAY)
        )
        paid += fen
    return drafts, paid


@dataclass
class Timing:
    wall: float = 0.0
    cpu: float = 0.0

    def add(self, clock: Clock) -> None:
        self.wall += clock.wall
        self.cpu += clock.cpu


@dataclass
class Result:
    backend: str
    n: int
    chunk: int
    bulk_entries: int = 0
    bulk_postings: int = 0
    bulk: Timing = field(default_factory=Timing)
    build: Timing = field(default_factory=Timing)
    trial_ms: list[float] = field(default_factory=list)
    trial_cpu_ms: list[float] = field(default_factory=list)
    trial_rows: int = 0
    as_of: Timing = field(default_factory=Timing)
    single_entries: int = 0
    single: Timing = field(default_factory=Timing)
    verify: Timing = field(default_factory=Timing)
    verified_entries: int = 0
    load: tuple[float, float, float] = (0.0, 0.0, 0.0)
    size_mib: float | None = None


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"ERROR: {what}")


def counts(led: Ledger) -> tuple[int, int]:
    with led.engine.connect() as conn:
        return (
            conn.scalar(select(func.count()).select_from(entries)),
            conn.scalar(select(func.count()).select_from(postings)),
        )


def expected_totals(paid: int) -> dict[str, tuple[int, int]]:
    """(debit total, credit total) per chart account after the appropriation and the payouts."""
    return {
        CASH: (APPROPRIATED, paid),  # 1011: appropriated in, paid out
        REVENUE: (0, APPROPRIATED),  # 4001
        FUNDS_HELD: (APPROPRIATED, paid),  # 8001
        BUDGET_REVENUE: (0, APPROPRIATED),  # 6001
        EXPENSE: (paid, 0),  # 5001, its program sub-account rolled up
        PAYABLE: (paid, paid),  # 2303: every accrual disbursed
        BUDGET_EXPENDITURE: (paid, 0),  # 7101
    }


def check_books(led: Ledger, paid: int, what: str) -> None:
    available = led.available(FUND)
    check(
        available == APPROPRIATED - paid,
        f"{what}: available {available} != appropriated {APPROPRIATED} − paid {paid}",
    )
    check(led.balance(PAYABLE, FUND) == 0, f"{what}: 2303 is not back at zero")
    check(led.balance(EXPENSE, FUND) == paid, f"{what}: 5001 differs from the {paid} fen paid")


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def measure(backend: str, url: str, n: int, chunk: int, single: int) -> Result:
    result = Result(backend, n, chunk)
    per_chunk = max(chunk // 2, 1)  # payouts per transaction
    with Ledger.connect(url) as led:
        led.upgrade()
        led.add_fund(FUND, "benchmark fund")
        led.appropriate(FUND, APPROPRIATED, doc="bench", on=DAY)

        paid = 0
        for first in range(0, n, per_chunk):
            with Clock() as build:
                batch, fen = payouts(first, min(per_chunk, n - first), "bulk")
            with Clock() as post:
                posted = led.post_many(batch)
            check(len(posted) == len(batch), f"post_many returned {len(posted)} of {len(batch)}")
            check(posted[-1].key == batch[-1].key, "post_many returned entries out of order")
            result.build.add(build)
            result.bulk.add(post)
            result.bulk_entries += len(batch)
            result.bulk_postings += sum(len(d.postings) for d in batch)
            paid += fen
            done = first + len(batch) // 2
            if done == n or (done // per_chunk) % 5 == 0:
                log(
                    f"{backend}: {done:,} payouts, {result.bulk_entries / result.bulk.wall:,.0f} "
                    f"entries/s so far, load {os.getloadavg()[0]:.1f}"
                )
        del batch, posted

        n_entries, n_postings = counts(led)
        check(n_entries == 2 * n + 1, f"{n_entries} entries, expected 2N + 1 = {2 * n + 1}")
        check(n_postings == 6 * n + 4, f"{n_postings} postings, expected 6N + 4 = {6 * n + 4}")
        check(result.bulk_postings == 6 * n, "drafts do not have 6 postings per payout")

        trial = None
        for _ in range(3):
            with Clock() as clock:
                trial = led.trial_balance()
            result.trial_ms.append(clock.wall * 1000)
            result.trial_cpu_ms.append(clock.cpu * 1000)
        check(trial.balanced, "the trial balance does not balance")
        top = {r.code: (r.debit_total, r.credit_total) for r in trial.rows if r.level == 0}
        check(top == expected_totals(paid), f"trial balance totals {top} != the amounts posted")
        result.trial_rows = len(trial.rows)
        log(f"{backend}: trial balance {min(result.trial_ms):.1f} ms; as of a date ...")
        with Clock() as clock:
            summed = led.trial_balance(as_of=DAY)
        result.as_of.add(clock)
        check(summed.rows == trial.rows, "trial balance from postings != from running balances")
        check_books(led, paid, "after the bulk")

        log(f"{backend}: {single:,} entries one transaction each ...")
        drafts, fen = payouts(0, single // 2, "single")
        with Clock() as clock:
            for draft in drafts:
                led.post(draft)
        result.single.add(clock)
        result.single_entries = len(drafts)
        paid += fen
        check_books(led, paid, "after the single posts")
        n_entries, _ = counts(led)
        check(n_entries == 2 * n + 1 + len(drafts), f"{n_entries} entries after the single posts")

        log(f"{backend}: verify ...")
        with Clock() as clock:
            verified = led.verify()
        result.verify.add(clock)
        check(verified.ok, f"verify failed: {verified.problems[:3]}")
        check(verified.entries == n_entries, f"verify saw {verified.entries} of {n_entries}")
        result.verified_entries = verified.entries
    result.load = os.getloadavg()
    return result


def met(value: float, target: float, *, at_most: bool = False) -> str:
    ok = value <= target if at_most else value >= target
    return "met" if ok else "NOT met"


def report(results: list[Result], peer: _peer.PeerResult | None, peer_n: int) -> None:
    head = (
        f"{'backend':<11} {'what':<40} {'entries':>10} {'postings':>10} {'wall s':>8} "
        f"{'CPU s':>8} {'entries/s':>10} {'postings/s':>11} {'× peer':>7}"
    )
    print(head)
    for r in results:
        rows = [
            (f"post_many, {r.chunk:,} entries a txn", r.bulk_entries, r.bulk_postings, r.bulk),
            ("post, one txn each (after the bulk)", r.single_entries, None, r.single),
            ("verify (chain + every balance)", r.verified_entries, None, r.verify),
        ]
        for what, entries_n, postings_n, t in rows:
            ratio = ""
            if peer and what.startswith("post"):
                ratio = f"{entries_n / t.wall / peer.rate:,.0f}×"
            print(
                f"{r.backend:<11} {what:<40} {entries_n:>10,} "
                f"{format(postings_n, ',') if postings_n else '':>10} {t.wall:>8.2f} {t.cpu:>8.2f} "
                f"{entries_n / t.wall:>10,.0f} "
                f"{format(postings_n / t.wall, ',.0f') if postings_n else '':>11} {ratio:>7}"
            )
        tries = " / ".join(f"{ms:.1f}" for ms in r.trial_ms)
        print(
            f"{r.backend:<11} {'trial_balance(), best of 3':<40} {r.trial_rows:>10} rows "
            f"{min(r.trial_ms):>8.1f} ms (tries {tries} ms, CPU best {min(r.trial_cpu_ms):.1f} ms)"
        )
        print(
            f"{r.backend:<11} {'trial_balance(as_of=) from postings':<40} {'':>10} "
            f"{'':>10} {r.as_of.wall:>8.2f} {r.as_of.cpu:>8.2f}"
        )
        size = f", database {r.size_mib:,.0f} MiB" if r.size_mib else ""
        print(
            f"{r.backend:<11} drafts built (not timed above): {r.build.wall:.1f} s wall, "
            f"{r.build.cpu:.1f} s CPU{size}; load average after "
            + ", ".join(f"{x:.1f}" for x in r.load)
        )
    if peer:
        print(
            f"{'peer':<11} {'python-accounting, commit each':<40} {peer_n:>10,} {'':>10} "
            f"{peer_n / peer.rate:>8.2f} {'':>8} {peer.rate:>10,.0f} {'':>11} {'1×':>7}"
        )

    print("\ntargets:")
    for r in results:
        bulk = r.bulk_entries / r.bulk.wall
        print(
            f"  {r.backend}: bulk {bulk:,.0f} entries/s (≥ {BULK_TARGET[r.backend]:,}: "
            f"{met(bulk, BULK_TARGET[r.backend])}); trial balance {min(r.trial_ms):.1f} ms "
            f"(≤ {TRIAL_BALANCE_TARGET_MS}: "
            f"{met(min(r.trial_ms), TRIAL_BALANCE_TARGET_MS, at_most=True)})",
            end="",
        )
        single = r.single_entries / r.single.wall
        if r.backend in SINGLE_TARGET:
            target = SINGLE_TARGET[r.backend]
            print(f"; single {single:,.0f} entries/s (≥ {target:,}: {met(single, target)})")
        else:
            print(f"; single {single:,.0f} entries/s (no target)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="payouts (2 entries each)")
    parser.add_argument("--chunk", type=int, default=100_000, help="entries per post_many")
    parser.add_argument("--single", type=int, default=5_000, help="entries posted one by one")
    parser.add_argument("--peer-n", type=int, default=2_000, help="entries for the peer")
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: n 20,000, single 500, peer-n ≤ 200"
    )
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # in order with the progress on stderr
    if args.quick:
        args.n, args.single, args.peer_n = 20_000, 500, min(args.peer_n, 200)
    args.single -= args.single % 2  # whole payouts: an accrual and its disbursement

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}, load average {load}, {os.cpu_count()} CPUs; "
        f"{args.n:,} payouts = {2 * args.n:,} entries, {6 * args.n:,} postings; "
        f"post_many chunk {args.chunk:,} entries ({args.chunk // 2:,} payouts) a transaction; "
        f"{args.single:,} entries one transaction each",
        flush=True,
    )
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="ledger-bench-") as tmp:
        path = Path(tmp) / "bench.db"
        result = measure("SQLite", f"sqlite:///{path}", args.n, args.chunk, args.single)
        result.size_mib = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 2**20
        results.append(result)
    if args.no_pg:
        print("PostgreSQL: skipped (--no-pg)")
    elif pg := postgres_url():
        url, schema = pg
        try:
            results.append(measure("PostgreSQL", url, args.n, args.chunk, args.single))
        finally:
            drop_schema(schema)
    else:
        print(f"PostgreSQL: skipped, the server does not answer (see stderr): {PG_URL}")

    peer = None
    if not args.no_peer:
        log(f"peer: python-accounting, {args.peer_n:,} entries ...")
        try:
            peer = _peer.python_accounting(args.peer_n, Path(tempfile.gettempdir()) / "pa-bench.db")
            print(f"peer: {peer.line}")
        except (_peer.PeerError, OSError, subprocess.SubprocessError) as error:
            print(f"peer: not run: {error}")
    print()
    report(results, peer, args.peer_n)


if __name__ == "__main__":
    main()
