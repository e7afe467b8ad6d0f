"""Benchmark: bank reconciliation of N statement lines against N pending payments, SQLite file.

    python bench/reconcile.py [--n 1000000] [--chunk 200000] [--chunked] [--workdir DIR]
                              [--keep] [--reuse] [--profile DIR] [--no-verify]

Built first (not counted): a SQLite ledger with N pending goji payments — fund and
appropriation, batches of 10,000 (paid on ten successive days) and one small batch, one
decision row per claim, one 计提 accrual per batch, one 支付 disbursement entry per payment
(``Ledger.post_many`` in chunks of 100,000: the hash chain, balances and invariants as in
the workflow) and the ``payments`` rows (Core bulk insert). Going through N claims with
submit/approve/disburse is ``bench/payout.py``'s subject; here only its result matters.

Then a statement of N lines in the default layout (CSV, UTF-8 with BOM), in random order:

- 96.9% success lines carrying the payment reference;
- 2% without reference (matched by account and amount within the 7-day window);
- 1% returned (退回 posted, the claim payable again);
- one line for the whole small batch (matched against the sum of its payments);
- 0.01% each: amount differs, payee name differs, a second success line for a payment
  (paid twice), a line nobody sent (no payment), and pairs of payments to one account for one
  amount whose lines carry no reference (ambiguous); and the small batch's other lines' worth
  of unknown lines, so that there are exactly N lines.

Timed:

1. **read**: ``read_statement(path, load_layout("default"))`` — parse, validate, hash;
2. **load payments**: the N payments with their state, as ``reconcile`` loads them;
3. **match**: ``plan(lines, payments, ...)`` — pure, vectorised; target ≤ 10 s at 1M;
4. **reconcile**: ``reconcile(ledger, path, layout, by=…)`` end to end on a fresh copy of the
   ledger — import the new lines, load, match, post 退回 and write every settlement, one
   transaction; target ≤ 60 s at 1M. When one run of N lines is refused by the database (see
   the output), the statement is also imported in files of ``--chunk`` lines, one
   ``reconcile`` each, and the sum is shown.

Every figure is checked against what the generator made (settled, returned, each exception
type, what is left pending), the 银行存款余额调节表 must balance, and ``verify()`` must pass, so
a fast wrong answer cannot pass. The machine may be shared: the load average is printed.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import insert

from ledgers import Ledger, keys, schemes
from ledgers.bulk import bulk_insert
from ledgers.db import reading, writing
from subsidies.workflow import reconcile as recon
from subsidies.workflow.base import Officer
from subsidies.workflow.statements import load_layout, read_statement
from subsidies.workflow.tables import batches, decisions, payments

RECONCILER = Officer(1, "bench", "对账", frozenset({"reconciler"}))

PROGRAM = "qinghai.goji_broker"
FUND = "QH2024"
PAID = dt.date(2024, 10, 14)
APPROVED = dt.date(2024, 10, 11)
BATCH_SIZE = 10_000
PAID_DAYS = 10  # batch b is paid on PAID + (b mod PAID_DAYS)
POST_CHUNK = 100_000
MATCH_TARGET_S = 10.0
TOTAL_TARGET_S = 60.0
HEADERS = [
    "value_date",
    "bank_serial",
    "payment_reference",
    "payee_name",
    "account",
    "amount",
    "status",
    "return_reason",
]
BROKERS = np.array(["马经纪", "韩经纪", "冶经纪", "祁经纪", "李经纪"], dtype=object)
SHARES = {"returned": 0.01, "account_amount": 0.02, "rare": 0.0001}


# ---------------------------------------------------------------- generation


def _digits_text(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """``prefix`` + zero-padded ``numbers`` as an object array of str."""
    return np.char.add(prefix, np.char.zfill(np.asarray(numbers).astype(str), width)).astype(object)


@dataclass
class Generated:
    pays: pd.DataFrame  # one row per payment, in id order
    batches: pd.DataFrame  # code, paid_on, size
    lines: pd.DataFrame  # the statement, default layout headers
    expected: dict[str, int]


def generate(n: int, seed: int = 2024) -> Generated:
    """N payments and a statement of N lines (see the module docstring), with the outcome."""
    rng = np.random.default_rng(seed)
    small = min(100, max(2, n // 100))  # the batch paid by one line
    regular = n - small
    sizes = [BATCH_SIZE] * (regular // BATCH_SIZE)
    if regular % BATCH_SIZE:
        sizes.append(regular % BATCH_SIZE)
    sizes.append(small)
    batch_of = np.repeat(np.arange(len(sizes)), sizes)
    codes = np.array([f"B{PAID:%Y%m%d}-{b + 1:05d}" for b in range(len(sizes))], dtype=object)
    paid_on = np.datetime64(PAID) + (np.arange(len(sizes)) % PAID_DAYS).astype("timedelta64[D]")
    ids = np.arange(n)
    pays = pd.DataFrame(
        {
            "claim_id": _digits_text("GJ-", ids + 1, 7),
            "batch": codes[batch_of],
            "batch_no": batch_of,
            "paid_on": paid_on[batch_of],
            "amount_fen": np.where(rng.random(n) < 1 / 3, 100_00, 50_00).astype(np.int64),
            "account": _digits_text("6217", ids, 15),
            "payee_name": BROKERS[(ids // 50) % len(BROKERS)],
        }
    )
    yymmdd = pd.Series(pays["paid_on"]).dt.strftime("%y%m%d").to_numpy(dtype=object)
    pays["reference"] = np.char.add(
        np.char.add("SL", yymmdd.astype(str)), np.char.zfill((ids + 1).astype(str), 8)
    ).astype(object)

    # who gets which kind of line (the small batch: one line for all). Each ambiguous pair is
    # two neighbours of one batch (paid the same day): one account, one amount.
    rare = max(1, round(n * SHARES["rare"]))
    pair_a = 2 * rng.choice(regular // 2, rare, replace=False)
    pair_b = pair_a + 1
    pays.loc[pair_b, "account"] = pays.loc[pair_a, "account"].to_numpy()
    pays.loc[pair_b, "amount_fen"] = pays.loc[pair_a, "amount_fen"].to_numpy()
    order = rng.permutation(np.setdiff1d(np.arange(regular), np.concatenate([pair_a, pair_b])))
    take, start = {"ambiguous": np.concatenate([pair_a, pair_b])}, 0
    for kind, count in [
        ("returned", round(n * SHARES["returned"])),
        ("account_amount", round(n * SHARES["account_amount"])),
        ("amount_differs", rare),
        ("name_differs", rare),
        ("unknown", rare),  # the payment's line is missing; a line nobody sent instead
        ("twice_missing", rare),  # the payment's line is missing; another's line twice instead
    ]:
        take[kind] = order[start : start + count]
        start += count
    take["reference"] = order[start:]
    take["twice"] = take["reference"][:rare]  # these get a second success line

    def own(index: np.ndarray, **change) -> pd.DataFrame:
        p = pays.iloc[index]
        frame = pd.DataFrame(
            {
                "value_date": p["paid_on"].to_numpy()
                + rng.integers(1, 4, len(p)).astype("timedelta64[D]"),
                "payment_reference": p["reference"].to_numpy(),
                "payee_name": p["payee_name"].to_numpy(),
                "account": p["account"].to_numpy(),
                "amount_fen": p["amount_fen"].to_numpy(),
                "status": "success",
                "return_reason": "",
            }
        )
        for column, value in change.items():
            frame[column] = value(frame) if callable(value) else value
        return frame

    def unknown(count: int) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "value_date": np.datetime64(PAID) + np.timedelta64(2, "D"),
                "payment_reference": "",
                "payee_name": "王某某",
                "account": _digits_text("6228", np.arange(count), 15),
                "amount_fen": np.int64(123_45),
                "status": "success",
                "return_reason": "",
            },
            index=range(count),
        )

    small_batch = pays[pays["batch_no"] == len(sizes) - 1]
    parts = [
        own(take["reference"]),
        own(take["twice"], value_date=lambda f: f["value_date"] + np.timedelta64(1, "D")),
        own(take["returned"], status="returned", return_reason="户名与账号不符"),
        own(take["account_amount"], payment_reference=""),
        own(take["amount_differs"], amount_fen=lambda f: f["amount_fen"] - 1_00),
        own(take["name_differs"], payee_name="张三丰"),
        own(take["ambiguous"], payment_reference=""),
        unknown(rare + small - 1),
        pd.DataFrame(
            {
                "value_date": [small_batch["paid_on"].iloc[0] + np.timedelta64(1, "D")],
                "payment_reference": [small_batch["batch"].iloc[0]],
                "payee_name": [""],
                "account": [""],
                "amount_fen": [int(small_batch["amount_fen"].sum())],
                "status": ["success"],
                "return_reason": [""],
            }
        ),
    ]
    body = pd.concat(parts, ignore_index=True)
    assert len(body) == n, (len(body), n)
    body = body.iloc[rng.permutation(n)].reset_index(drop=True)
    fen = body["amount_fen"].to_numpy()
    lines = pd.DataFrame(
        {
            "value_date": pd.Series(body["value_date"]).dt.strftime("%Y-%m-%d"),
            "bank_serial": _digits_text("BK", np.arange(1, n + 1), 10),
            "payment_reference": body["payment_reference"],
            "payee_name": body["payee_name"],
            "account": body["account"],
            "amount": np.char.add(
                np.char.add((fen // 100).astype(str), "."),
                np.char.zfill((fen % 100).astype(str), 2),
            ),
            "status": body["status"],
            "return_reason": body["return_reason"],
        },
        columns=HEADERS,
    )
    expected = {
        "settled": len(take["reference"]) + len(take["account_amount"]) + small,
        "returned": len(take["returned"]),
        "amount_differs": rare,
        "name_differs": rare,
        "paid_twice": rare,
        "no_payment": rare + small - 1,
        "ambiguous": 2 * rare,
        "pending_after": 6 * rare,
    }
    batch_table = pd.DataFrame({"code": codes, "paid_on": paid_on, "size": sizes})
    return Generated(pays, batch_table, lines, expected)


# ---------------------------------------------------------------- the ledger


def build_ledger(db: Path, g: Generated) -> None:
    """N pending payments with their disbursement entries (see the module docstring)."""
    n = len(g.pays)
    led = Ledger.connect(f"sqlite:///{db}")
    led.upgrade()
    led.add_fund(FUND, "2024 中央就业补助资金 青海", year=2024, level="中央", region="青海")
    total = int(g.pays["amount_fen"].sum())
    led.appropriate(FUND, total + 1_000_00, doc="青财社指〔2024〕12号", on=dt.date(2024, 6, 3))
    stamp = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with writing(led.engine) as conn:
        conn.execute(
            insert(batches),
            [
                {
                    "code": code,
                    "program_id": PROGRAM,
                    "fund_code": FUND,
                    "source_file": f"bench/{code}.csv",
                    "source_sha256": "0" * 64,
                    "as_of": dt.date(2024, 10, 1),
                    "notice_days": 0,
                    "submitted_by": "maker",
                    "submitted_at": stamp,
                }
                for code in g.batches["code"]
            ],
        )
        batch_ids = dict(conn.exec_driver_sql("SELECT code, id FROM batches").fetchall())
        batch_id = g.pays["batch"].map(batch_ids).to_numpy()
        row_no = np.concatenate([np.arange(2, s + 2) for s in g.batches["size"]])
        bulk_insert(
            conn,
            decisions,
            (
                "batch_id", "row_no", "claim_id", "status", "amount_fen", "reasons", "citation",
                "decided_on", "duplicate_of", "keys_json", "input_json",
            ),
            list(
                zip(
                    batch_id.tolist(),
                    row_no.tolist(),
                    g.pays["claim_id"].tolist(),
                    ["eligible"] * n,
                    g.pays["amount_fen"].tolist(),
                    ["bench"] * n,
                    ["青海省枸杞采摘劳务经纪人补贴"] * n,
                    ["2024-10-01"] * n,
                    [""] * n,
                    ["{}"] * n,
                    ["{}"] * n,
                    strict=True,
                )
            ),
        )  # fmt: skip
    sums = g.pays.groupby("batch")["amount_fen"].sum()
    led.post_many(
        [
            schemes.payout_accrued(
                FUND, PROGRAM, int(sums[code]), key=f"accrual:{code}", ref=code, on=APPROVED,
                by="checker", memo=f"计提 {code}",
            )
            for code in g.batches["code"]
        ]
    )  # fmt: skip
    dates = pd.Series(g.pays["paid_on"]).dt.date.to_numpy()
    entry_ids = np.empty(n, dtype=np.int64)
    for start in range(0, n, POST_CHUNK):
        stop = min(n, start + POST_CHUNK)
        part = g.pays.iloc[start:stop]
        posted = led.post_many(
            [
                schemes.disbursement(
                    FUND, int(fen), program=PROGRAM, key=keys.disbursement(PROGRAM, claim, 1),
                    ref=ref, on=on, by="cashier", memo=f"枸杞采摘劳务经纪人补贴 {claim}",
                )
                for fen, claim, ref, on in zip(
                    part["amount_fen"], part["claim_id"], part["reference"], dates[start:stop],
                    strict=True,
                )
            ]
        )  # fmt: skip
        entry_ids[start:stop] = [e.id for e in posted]
        print(f"    posted {stop:,} of {n:,} disbursements", end="\r", flush=True)
    print()
    with writing(led.engine) as conn:
        bulk_insert(
            conn,
            payments,
            (
                "reference", "batch_id", "program_id", "claim_id", "attempt", "fund_code",
                "payee_name", "payee_id", "account", "amount_fen", "entry_id", "created_by",
                "created_at",
            ),
            list(
                zip(
                    g.pays["reference"].tolist(), batch_id.tolist(), [PROGRAM] * n,
                    g.pays["claim_id"].tolist(), [1] * n, [FUND] * n,
                    g.pays["payee_name"].tolist(), [""] * n, g.pays["account"].tolist(),
                    g.pays["amount_fen"].tolist(), entry_ids.tolist(), ["cashier"] * n,
                    [stamp] * n, strict=True,
                )
            ),
        )  # fmt: skip
    assert led.available(FUND) == 1_000_00
    led.close()


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def copy_db(source: Path, target: Path) -> None:
    """A SQLite file with its WAL, every connection to it closed."""
    remove_db(target)
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")


# ---------------------------------------------------------------- timing


@dataclass
class Step:
    name: str
    wall: float
    cpu: float
    count: int

    @property
    def rate(self) -> float:
        return self.count / self.wall if self.wall else float("inf")


def timed(name: str, count: int, run, profile_dir: Path | None = None):
    profiler = cProfile.Profile() if profile_dir else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    try:
        result = run()
    finally:
        if profiler:
            profiler.disable()
    step = Step(name, time.perf_counter() - wall, time.process_time() - cpu, count)
    print(
        f"  {name:<32} {step.wall:8.1f} s wall {step.cpu:8.1f} s CPU {step.rate:>12,.0f} lines/s",
        flush=True,
    )
    if profiler:
        out = profile_dir / f"{name.split()[0]}.prof"
        profiler.dump_stats(out)
        print(f"    top of {name} by own time (profile in {out}):")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
        print(f"    top of {name} by cumulative time:")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return step, result


def check_plan(outcome: recon.Outcome, expected: dict[str, int]) -> None:
    counts = outcome.exceptions["type"].value_counts().to_dict()
    got = {
        "settled": len(outcome.settle),
        "returned": len(outcome.returned),
        **{
            k: counts.get(k, 0)
            for k in expected
            if k not in ("settled", "returned", "pending_after")
        },
    }
    want = {k: v for k, v in expected.items() if k != "pending_after"}
    assert got == want, (got, want)
    assert not counts.get("stale") and not counts.get("state_conflict"), counts


def check_ledger(db: Path, n: int, expected: dict[str, int], verify: bool) -> None:
    led = Ledger.connect(f"sqlite:///{db}")
    with reading(led.engine) as conn:
        kinds = dict(
            conn.exec_driver_sql(
                "SELECT kind, COUNT(*) FROM payment_events GROUP BY kind"
            ).fetchall()
        )
        lines = conn.exec_driver_sql("SELECT COUNT(*) FROM statement_lines").scalar_one()
    assert lines == n, lines
    assert kinds == {"settled": expected["settled"], "returned": expected["returned"]}, kinds
    exceptions = recon.open_exceptions(led)
    counts = exceptions["type"].value_counts().to_dict()
    for kind in ("amount_differs", "name_differs", "paid_twice", "no_payment", "ambiguous"):
        assert counts.get(kind, 0) == expected[kind], (kind, counts)
    st = recon.statement(led)
    assert st.difference == 0 and st.ledger_paid == st.payments_paid, st
    print(
        f"  checked: {kinds['settled']:,} settled, {kinds['returned']:,} returned, "
        f"{len(exceptions):,} open exceptions {counts}; 调节表 balanced "
        f"(in transit {st.in_transit / 100:,.2f} 元, bank only {st.bank_only / 100:,.2f} 元)",
        flush=True,
    )
    if verify:
        step, result = timed("verify (not counted)", n, led.verify)
        assert result.ok, result.problems[:5]
    led.close()


def run(
    n: int,
    chunk: int,
    workdir: Path,
    profile_dir: Path | None,
    verify: bool,
    chunked: bool,
    reuse: bool = False,
) -> int:
    load = os.getloadavg()
    print(
        f"reconcile bench: {n:,} statement lines against {n:,} pending payments, SQLite under "
        f"{workdir}; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on "
        f"{os.cpu_count()} CPUs",
        flush=True,
    )
    t = time.perf_counter()
    g = generate(n)
    path = workdir / "statement.csv"
    pristine = workdir / "ledger.db"
    built = workdir / f"built-{n}"  # marks a finished build of this N (for --reuse)
    if reuse and built.exists():
        print(f"  reusing {path} and {pristine} (generated again for the checks)", flush=True)
    else:
        built.unlink(missing_ok=True)
        g.lines.to_csv(path, index=False, encoding="utf-8-sig")
        print(
            f"  generate + write statement {time.perf_counter() - t:.1f} s "
            f"({path.stat().st_size / 2**20:,.0f} MiB; not counted)",
            flush=True,
        )
        t = time.perf_counter()
        remove_db(pristine)
        build_ledger(pristine, g)
        built.touch()
        print(f"  build the ledger {time.perf_counter() - t:.1f} s (not counted)", flush=True)
    layout = load_layout("default")

    read, lines = timed("read statement", n, lambda: read_statement(path, layout), profile_dir)
    led = Ledger.connect(f"sqlite:///{pristine}")

    def load_payments():
        with reading(led.engine) as conn:
            return recon._payments(conn)

    loaded, pays = timed("load payments", n, load_payments)
    led.close()
    assert len(pays) == n and (pays["state"] == "pending").all()
    open_lines = lines.assign(
        line_id=np.arange(1, n + 1), value_date=pd.to_datetime(lines["value_date"])
    )
    as_of = open_lines["value_date"].max().date()
    match, outcome = timed(
        "match: plan() (pure)",
        n,
        lambda: recon.plan(open_lines, pays, window_days=7, as_of=as_of, stale_days=30),
        profile_dir,
    )
    check_plan(outcome, g.expected)
    open_lines = outcome = lines = None  # free them before the end-to-end run

    steps: list[Step] = []
    work = workdir / "run.db"
    copy_db(pristine, work)
    led = Ledger.connect(f"sqlite:///{work}")
    whole: Step | None = None
    try:
        whole, result = timed(
            "reconcile() end to end",
            n,
            lambda: recon.reconcile(led, path, layout, by=RECONCILER),
            profile_dir,
        )
    except Exception as error:  # the database may refuse a statement this size
        message = str(error).splitlines()[0]
        print(f"  reconcile() of {n:,} lines in one run REFUSED: {type(error).__name__}: {message}")
        print("    " + traceback.format_exc().strip().splitlines()[-1][:200])
    finally:
        led.close()
    if whole is not None:
        steps.append(whole)
        check_ledger(work, n, g.expected, verify)
    if whole is None or chunked:
        parts = []
        for i, start in enumerate(range(0, n, chunk)):
            part = workdir / f"statement-{i + 1:02d}.csv"
            g.lines.iloc[start : start + chunk].to_csv(part, index=False, encoding="utf-8-sig")
            parts.append(part)
        copy_db(pristine, work)
        led = Ledger.connect(f"sqlite:///{work}")
        wall = cpu = 0.0
        for i, part in enumerate(parts):
            size = min(chunk, n - i * chunk)
            step, _ = timed(
                f"reconcile() file {i + 1}/{len(parts)}",
                size,
                lambda part=part: recon.reconcile(led, part, layout, by=RECONCILER),
                profile_dir if i == 0 else None,
            )
            wall, cpu = wall + step.wall, cpu + step.cpu
        led.close()
        in_files = Step(f"reconcile() in {len(parts)} files of ≤{chunk:,}", wall, cpu, n)
        print(
            f"  {in_files.name:<32} {in_files.wall:8.1f} s wall {in_files.cpu:8.1f} s CPU "
            f"{in_files.rate:>12,.0f} lines/s",
            flush=True,
        )
        check_ledger(work, n, g.expected, verify and whole is None)
        whole = whole or in_files
        steps.append(in_files)

    print()
    print(f"  N = {n:,}; load average now {os.getloadavg()[0]:.1f}")
    for step in (read, loaded, match, *steps):
        print(f"  {step.name:<34} {step.wall:8.1f} s  {step.rate:>12,.0f} lines/s")
    verdict = lambda s, target: "met" if s <= target else f"{s / target:.1f}x over"  # noqa: E731
    print(f"  matching target ≤ {MATCH_TARGET_S:.0f} s: {verdict(match.wall, MATCH_TARGET_S)}")
    print(f"  end to end target ≤ {TOTAL_TARGET_S:.0f} s: {verdict(whole.wall, TOTAL_TARGET_S)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="lines and payments")
    parser.add_argument(
        "--chunk", type=int, default=200_000, help="lines per file when one run is refused"
    )
    parser.add_argument("--workdir", type=Path, default=None, help="default: a temp directory")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--profile", type=Path, default=None, help="cProfile into this folder")
    parser.add_argument("--no-verify", action="store_true", help="skip ledger.verify()")
    parser.add_argument("--chunked", action="store_true", help="also run in files of --chunk lines")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the statement and ledger in --workdir"
    )
    args = parser.parse_args(argv)
    if args.n < 1_000:
        parser.error("--n must be at least 1,000")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="reconcile-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    try:
        return run(
            args.n,
            args.chunk,
            workdir,
            args.profile,
            not args.no_verify,
            args.chunked,
            reuse=args.reuse,
        )
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
