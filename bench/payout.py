"""Benchmark: the payout workflow on N goji broker claims (qinghai.goji_broker), SQLite file.

    python bench/payout.py [--n 1000000] [--peer-n 2000] [--no-peer] [--profile DIR] [--keep]

Steps, each timed (wall and CPU seconds, claims/s):

0. generate N eligible claims of 2023 (``subsidies.demo.synthetic``, as the demo makes them:
   distinct workers, a broker per 25 claims, most workers of a listed group) and write them
   as the officer's CSV — not counted;
1. ``submit``: read the CSV, decide every claim, screen against earlier batches and record
   the batch with each decision (input row, reasons, citation) — one transaction;
2. ``approve`` (by a second officer; no notice period): post one 计提 accrual per eligible
   claim with the approval event — one transaction;
2b. ``resubmit`` (not counted; ``--no-resubmit`` skips it): the same claims under new
   claim ids, screened against the N approved ones — every one a duplicate of its twin;
3. ``disburse``: one pending payment and one 支付 entry per claim — one transaction;
4. ``verify``: recompute the hash chain, every balance and every sealed table's chain
   (decisions, payments, the batch and its events, the audit log) — shown, not counted.

Target: submit + approve under 60 s on SQLite for N = 1,000,000.

The figures are checked, so a fast wrong answer cannot pass: every claim eligible, the
accruals and payments exactly N, the fund committed by exactly the total computed here
from the generated data (50 元 a worker, 50 元 more for a 脱贫劳动力, 监测对象 or
就业困难人员: the document's figures, not the program's parameter file), verify() OK.

The peer is ``shared/peers/python_accounting_post.py N`` (python-accounting 2, one entry
and one commit per transaction) in its own venv ``bench/.peer-venv-python-accounting``
(the one ``bench/ledger_post.py`` makes, through ``bench/_peer.py``); the table shows its
entries/s beside our approve step's accruals/s. This machine is shared: the load average
is printed with the figures, and CPU seconds are less affected by it than wall seconds.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _peer  # noqa: E402
import pandas as pd  # noqa: E402
from ledger_post import PYTHON_ACCOUNTING  # noqa: E402

from calculators.registry import calculator  # noqa: E402
from calculators.template import normalise_value  # noqa: E402
from ledgers import Ledger  # noqa: E402
from ledgers.model import Kind  # noqa: E402
from subsidies.demo.synthetic import ALL_ELIGIBLE  # noqa: E402
from subsidies.demo.synthetic import generate as synthetic_claims  # noqa: E402
from subsidies.workflow import batches as wf  # noqa: E402
from subsidies.workflow import payments as pay  # noqa: E402
from subsidies.workflow.base import Officer  # noqa: E402
from subsidies.workflow.tables import SEALED  # noqa: E402

# the steps' officers (the workflow checks their roles; the bench's ledger has no accounts)
CLERK = Officer(1, "maker", "经办", frozenset({"clerk"}))
CHECKER = Officer(2, "checker", "审核", frozenset({"checker"}))
CASHIER = Officer(3, "cashier", "出纳", frozenset({"cashier"}))

PROGRAM = "qinghai.goji_broker"
FUND = "QH2024"
AS_OF = dt.date(2024, 12, 2)
TARGET_S = 60.0

# ---------------------------------------------------------------- claims

TOP_UP_GROUPS = ("poverty_alleviated", "monitored", "difficulty")  # 三(六): 50 元 more


def generate(n: int, seed: int = 2024) -> tuple[pd.DataFrame, int]:
    """N eligible claims as cell text, and their total in fen (counted here, not by us)."""
    frame = synthetic_claims(PROGRAM, n, seed=seed, year=2023, mix=ALL_ELIGIBLE, headers="ids")
    lookup = calculator(PROGRAM).template.column("worker_group").choice_lookup()
    groups = frame["worker_group"].map(lambda text: lookup.get(normalise_value(text)))
    return frame, int(n * 50_00 + int(groups.isin(TOP_UP_GROUPS).sum()) * 50_00)


# ---------------------------------------------------------------- measuring


@dataclass
class Step:
    name: str
    wall: float
    cpu: float
    count: int
    unit: str = "claims"

    @property
    def rate(self) -> float:
        return self.count / self.wall if self.wall else float("inf")


def timed(name: str, count: int, run, profile_dir: Path | None = None, unit: str = "claims"):
    profiler = cProfile.Profile() if profile_dir else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    result = run()
    if profiler:
        profiler.disable()
    step = Step(name, time.perf_counter() - wall, time.process_time() - cpu, count, unit)
    print(
        f"  {name:<10} {step.wall:8.1f} s wall {step.cpu:8.1f} s CPU  {step.rate:>12,.0f} {unit}/s",
        flush=True,
    )
    if profiler:
        out = profile_dir / f"{name}.prof"
        profiler.dump_stats(out)
        stats = pstats.Stats(profiler)
        print(f"    top of {name} by own time (profile in {out}):")
        stats.sort_stats("tottime").print_stats(12)
    return step, result


def run_peer(n: int, workdir: Path) -> tuple[float, str]:
    """(entries/s, its summary line) of python-accounting posting ``n`` entries, in the venv
    ``bench/ledger_post.py`` uses (made on first use by :mod:`_peer`)."""
    python = _peer.ensure_venv(*PYTHON_ACCOUNTING)
    peer = _peer.run_peer(
        python, "python_accounting_post.py", n, str(workdir / "pa-bench.db"), timeout=3600
    )
    if peer.unit != "entries":
        raise _peer.PeerError(f"expected entries/s, got: {peer.line}")
    return peer.rate, peer.line


def _resubmit(led: Ledger, n: int, workdir: Path, profile_dir: Path | None) -> None:
    """The same claims again under new claim ids, after the first batch's approval: every
    claim is screened against the N approved ones and is a duplicate of its twin (the same
    worker, overlapping days), its reason naming that claim and batch. Not counted."""
    frame, _ = generate(n)
    frame["claim_id"] = "R" + frame["claim_id"]
    path = workdir / "again.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    del frame
    _, (_, result) = timed(
        "resubmit",
        n,
        lambda: wf.submit(led, PROGRAM, path, fund_code=FUND, by=CLERK, as_of=AS_OF, notice_days=0),
        profile_dir,
    )
    assert (result["status"] == "duplicate").all(), result["status"].value_counts()
    twins = result["claim_id"].str.removeprefix("R")
    assert all(twin in reason for twin, reason in zip(twins, result["reasons"], strict=True))


def run(n: int, peer_n: int, profile_dir: Path | None, workdir: Path, resubmit: bool) -> int:
    load = os.getloadavg()
    print(
        f"payout bench: {n:,} goji claims, SQLite file under {workdir}; "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} CPUs",
        flush=True,
    )
    t = time.perf_counter()
    frame, total = generate(n)
    path = workdir / "claims.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    del frame
    print(f"  generate + write CSV {time.perf_counter() - t:.1f} s (not counted)", flush=True)

    db = workdir / "payout.db"
    led = Ledger.connect(f"sqlite:///{db}")
    led.upgrade()
    led.add_fund(FUND, "2024 中央就业补助资金 青海", year=2024)
    led.appropriate(FUND, total + 1_000_00, doc="青财社指〔2024〕12号", on=dt.date(2024, 6, 3))

    submit, (batch, result) = timed(
        "submit",
        n,
        lambda: wf.submit(led, PROGRAM, path, fund_code=FUND, by=CLERK, as_of=AS_OF, notice_days=0),
        profile_dir,
    )
    eligible = int((result["status"] == "eligible").sum())
    assert eligible == n, result["status"].value_counts()
    assert int(result["amount_fen"].sum()) == total
    del result
    approve, (_, posted) = timed(
        "approve", n, lambda: wf.approve(led, batch.code, by=CHECKER, on=AS_OF), profile_dir
    )
    assert posted == n, posted
    assert led.available(FUND) == 1_000_00
    if resubmit:
        _resubmit(led, n, workdir, profile_dir)
    disburse, pending = timed(
        "disburse", n, lambda: pay.disburse(led, batch.code, by=CASHIER), profile_dir
    )
    assert len(pending) == n and sum(p.amount_fen for p in pending) == total
    del pending
    verify, result = timed("verify", 2 * n + 1, lambda: led.verify(SEALED), unit="entries")
    assert result.ok, result.problems[:5]
    with led.engine.connect() as conn:
        kinds = dict(
            conn.exec_driver_sql("SELECT kind, COUNT(*) FROM entries GROUP BY kind").fetchall()
        )
    assert kinds[Kind.PAYOUT_ACCRUED.value] == n and kinds[Kind.DISBURSEMENT.value] == n, kinds
    led.close()
    size = sum(f.stat().st_size for f in workdir.glob("payout.db*"))

    both = submit.wall + approve.wall
    print()
    print(f"  submit + approve: {both:.1f} s wall ({submit.cpu + approve.cpu:.1f} s CPU) — "
          f"target {TARGET_S:.0f} s: {'met' if both <= TARGET_S else f'{both / TARGET_S:.1f}x over'}")  # fmt: skip
    print(f"  database {size / 2**20:,.0f} MiB; load average now {os.getloadavg()[0]:.1f}")
    if peer_n:
        try:
            rate, line = run_peer(peer_n, workdir)
        except (_peer.PeerError, OSError, subprocess.SubprocessError) as error:
            print(f"  peer not run: {error}")
        else:
            print(f"  peer: {line}")
            print(
                f"  our approve step: {approve.rate:,.0f} accruals/s = "
                f"{approve.rate / rate:,.0f}x python-accounting's {rate:,.0f} entries/s"
            )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="claims (default 1,000,000)")
    parser.add_argument("--peer-n", type=int, default=2_000, help="peer entries (default 2,000)")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--profile", type=Path, default=None, help="cProfile submit and approve")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument(
        "--no-resubmit",
        dest="resubmit",
        action="store_false",
        help="skip submitting the claims again after approval (all duplicates)",
    )
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="payout-bench-"))
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    try:
        peer_n = 0 if args.no_peer else args.peer_n
        return run(args.n, peer_n, args.profile, workdir, args.resubmit)
    finally:
        if args.keep:
            print(f"  kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
