"""Benchmark: the Qinghai goji broker rule (qinghai.goji_broker) over N claims, ours vs. OpenFisca.

    python bench/calc.py [--n 1000000] [--repeat 1] [--no-peer] [--profile FILE]

Ours, three ways, on the same N generated claims (cell text, as an officer types it):

1. ``evaluate(calculator("qinghai.goji_broker"), raw, as_of=2024-12-31)`` on a DataFrame
   already in memory (as the peer's inputs are); then the rule step alone, on the claims
   already typed by ``coerce``, three ways: deciding only (whether each claim passed every
   check, and its amount: what the peer computes; a check's label is written only when the
   reasons are asked for), the reasons' text alone (``Checks.reasons()``), and both;
2. ``read_claims(path, template)`` of the same claims written to a CSV file;
3. ``subsidies calc qinghai.goji_broker claims.csv -o results.csv`` through click's
   CliRunner: read, decide (in chunks of 100,000), write the results CSV.

The peer is ``shared/peers/openfisca_goji.py N``, run in its own venv
(``bench/.peer-venv-openfisca``, made on first run), in the same run, since absolute
figures drift on this machine; the table gives each of ours against it.

The peer computes only the amount from five prepared numpy arrays; ours also parses
the text, checks every 身份证号 (checksum, birth date), dates, provinces and places,
writes a reason per claim with the actual values, and settles repeated ids and
overlapping periods. The results are cross-checked against an independent numpy
reading of the rule on the generated data, so a fast wrong answer cannot pass.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import functools
import gc
import os
import platform
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

_HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(_HERE))

import _peer  # noqa: E402

# bench/ holds a reports.py too: drop bench/ from the path so ``reports`` is the package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

from calculators.coerce import coerce  # noqa: E402
from calculators.evaluate import evaluate  # noqa: E402
from calculators.registry import calculator  # noqa: E402
from subsidies.claimfile import read_claims  # noqa: E402
from subsidies.domain.identity import (  # noqa: E402
    RESIDENT_CHECK,
    RESIDENT_WEIGHTS,
    resident_id_check_character,
)

PROGRAM = "qinghai.goji_broker"
AS_OF = dt.date(2024, 12, 31)
COLUMNS = [
    "claim_id",
    "broker_name",
    "broker_id",
    "worker_name",
    "worker_id",
    "worker_hukou",
    "farmer_herder",
    "destination",
    "start_date",
    "end_date",
    "worker_group",
]

# 行政区划代码 of counties workers come from: Qinghai (63) and, for the ineligible share, Gansu (62)
QINGHAI_AREAS = (630102, 630121, 632122, 632123, 632126, 632521, 632801, 632802, 632321, 632623)
GANSU_AREAS = (620102, 620523, 622921)
SURNAMES = np.array(list("马李王张韩祁冶赵刘杨陈何朱鲁"), dtype=object)
GIVEN = np.array(
    ["建国", "玉兰", "生福", "秀英", "永红", "海林", "小军", "福海", "桂花", "德才", "晓燕", "成"],
    dtype=object,
)
TIBETAN = np.array(["才让", "卓玛", "扎西", "多杰", "拉毛", "索南", "尼玛", "央金"], dtype=object)
DESTINATIONS = np.array(["格尔木市", "德令哈", "海西州", "西宁"], dtype=object)  # 西宁: not 海西
DEST_P = (0.40, 0.30, 0.25, 0.05)
GROUPS = np.array(
    ["其他", "脱贫劳动力", "监测对象", "就业困难人员", "poverty_alleviated"], dtype=object
)
GROUP_P = (0.55, 0.25, 0.10, 0.08, 0.02)
TOP_UP = np.array([False, True, True, True, True])
FARMER = np.array(["是", "否", "yes", "1"], dtype=object)
FARMER_P = (0.88, 0.04, 0.04, 0.04)
FARMER_YES = np.array([True, False, True, True])
HUKOU_QH = np.array(["青海", "63", "青海省"], dtype=object)
HUKOU_QH_P = (0.70, 0.20, 0.10)
# the peer's timed part is ~0.3 s, so one sample is at the mercy of whatever else the machine
# runs; its best of a few runs is kept (which favours the peer)
PEER_RUNS = 3
BAD_ID_SHARE = 0.002  # worker ids with a wrong check character (invalid rows)
DAY = np.timedelta64(1, "D")


# ---------------------------------------------------------------- claim generation


def _add_months(days: np.ndarray, months) -> np.ndarray:
    """Same day-of-month ``months`` later, clamped to that month's last day (民法典 第二百零二条)."""
    month = days.astype("datetime64[M]")
    day = (days - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.asarray(months, dtype=np.int64).astype("timedelta64[M]")
    last = (target + 1).astype("datetime64[D]") - DAY
    return np.minimum(target.astype("datetime64[D]") + day, last)


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers as an (n, width) array of their decimal digits, zero-padded."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (np.asarray(values, dtype=np.int64)[:, None] // powers) % 10


def _text(codes: np.ndarray) -> np.ndarray:
    """An (n, width) array of ASCII codes as an object array of str, in one decode."""
    n, width = codes.shape
    lines = np.empty((n, width + 1), dtype=np.uint8)
    lines[:, :width] = codes
    lines[:, width] = ord("\n")
    return np.array(lines.tobytes().decode("ascii").split("\n")[:n], dtype=object)


def _day_table(days: np.ndarray) -> tuple[np.datetime64, np.ndarray]:
    """The first of ``days`` and every day from it to the last (for lookups by offset)."""
    first = days.min()
    return first, first + np.arange(int((days.max() - first) / DAY) + 1) * DAY


def _yyyymmdd(days: np.ndarray) -> np.ndarray:
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    months = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dom = (days - days.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    return years * 10_000 + months * 100 + dom


def date_texts(days: np.ndarray, slashed: np.ndarray | None = None) -> np.ndarray:
    """Days as YYYY-MM-DD (YYYY/MM/DD where ``slashed``): each distinct day formatted once."""
    first, table = _day_table(days)
    offset = ((days - first) / DAY).astype(np.int64)
    dashed = np.datetime_as_string(table, unit="D").astype(object)
    if slashed is None:
        return dashed[offset]
    with_slashes = np.array([t.replace("-", "/") for t in dashed], dtype=object)
    return np.where(slashed, with_slashes[offset], dashed[offset])


def resident_ids(
    rng: np.random.Generator,
    areas: np.ndarray,
    born: tuple[str, str],
    young_share: float = 0.0,
    wrong_check: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Unique 身份证号 for people from ``areas`` (one per row); returns (ids, birth dates).

    Area, birth date and sequence are drawn, repeats redrawn until every id differs. Each
    part's digits and its share of the weighted sum (weights of ``subsidies.domain.identity``)
    come from a small table (distinct areas, days, sequences), so the MOD 11-2 check
    character of a million ids is a few array lookups. Rows in ``wrong_check`` get the
    next character of the check table instead (a wrong check character: invalid).
    """
    n = len(areas)
    first, last = np.datetime64(born[0]), np.datetime64(born[1])
    births = first + rng.integers(0, int((last - first) / DAY), n) * DAY
    if young_share:
        # a few under 16 on their start date (劳动法 第十五条): born 2009-2010
        young = rng.random(n) < young_share
        births[young] = np.datetime64("2009-01-01") + rng.integers(0, 700, young.sum()) * DAY
    sequence = rng.integers(0, 1000, n)
    area_table, area_of = np.unique(areas, return_inverse=True)
    day0, day_table = _day_table(births)
    day_of = ((births - day0) / DAY).astype(np.int64)
    while True:  # redraw the sequence number of a repeated (area, birth date, sequence)
        key = (area_of * len(day_table) + day_of) * 1000 + sequence
        _, first_seen = np.unique(key, return_index=True)
        repeated = np.ones(n, dtype=bool)
        repeated[first_seen] = False
        if not repeated.any():
            break
        sequence[repeated] = rng.integers(0, 1000, repeated.sum())

    parts = [  # (digits of each distinct value, the row's index into them)
        (_digits(area_table, 6), area_of),
        (_digits(_yyyymmdd(day_table), 8), day_of),
        (_digits(np.arange(1000), 3), sequence),
    ]
    codes = np.empty((n, 18), dtype=np.uint8)
    weighted = np.zeros(n, dtype=np.int64)
    column = 0
    for digits, index in parts:
        width = digits.shape[1]
        codes[:, column : column + width] = (digits + ord("0")).astype(np.uint8)[index]
        weighted += (digits @ RESIDENT_WEIGHTS[column : column + width])[index]
        column += width
    remainder = weighted % 11
    if wrong_check is not None:
        remainder = np.where(wrong_check, (remainder + 1) % 11, remainder)
    codes[:, 17] = np.frombuffer(RESIDENT_CHECK.encode(), dtype=np.uint8)[remainder]
    return _text(codes), births


def _names(rng: np.random.Generator, n: int) -> np.ndarray:
    han = SURNAMES[rng.integers(0, len(SURNAMES), n)] + GIVEN[rng.integers(0, len(GIVEN), n)]
    return np.where(rng.random(n) < 0.15, TIBETAN[rng.integers(0, len(TIBETAN), n)], han)


def generate_claims(n: int, seed: int = 2024) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """``n`` claims as cell text under the English column names, and the truth per row.

    The truth (``eligible`` and ``amount_fen``) is the rule read independently on the
    generated values, to cross-check the pipeline's answer.
    """
    rng = np.random.default_rng(seed)
    # workers: 94% Qinghai hukou (ids from Qinghai counties), 6% Gansu
    from_gansu = rng.random(n) < 0.06
    areas = np.where(
        from_gansu,
        np.array(GANSU_AREAS)[rng.integers(0, len(GANSU_AREAS), n)],
        np.array(QINGHAI_AREAS)[rng.integers(0, len(QINGHAI_AREAS), n)],
    )
    bad_id = rng.random(n) < BAD_ID_SHARE
    worker_id, worker_born = resident_ids(
        rng, areas, ("1964-01-01", "2006-12-31"), young_share=0.003, wrong_check=bad_id
    )
    hukou = np.where(from_gansu, "甘肃", HUKOU_QH[rng.choice(3, n, p=HUKOU_QH_P)])

    # brokers: one per ~40 workers, each submitting a contiguous block of claims
    brokers = max(1, n // 40)
    broker_of = np.sort(rng.integers(0, brokers, n))
    broker_ids, _ = resident_ids(
        rng,
        np.array(QINGHAI_AREAS)[rng.integers(0, len(QINGHAI_AREAS), brokers)],
        ("1965-01-01", "1995-12-31"),
    )
    broker_names = _names(rng, brokers)

    # picking periods from May to July 2024, around the 2- and 6-month boundaries
    start = np.datetime64("2024-05-01") + rng.integers(0, 92, n) * DAY
    kind = rng.choice(4, n, p=(0.30, 0.15, 0.45, 0.10))
    offset = rng.integers(-1, 2, n) * DAY  # the day before, on, or after the boundary
    end = np.select(
        [kind == 0, kind == 1, kind == 2],
        [
            _add_months(start, 2) - DAY + offset,
            _add_months(start, 6) - DAY + offset,
            start + rng.integers(61, 180, n) * DAY,
        ],
        start + rng.integers(20, 59, n) * DAY,
    )
    slashed = rng.random(n) < 0.05  # YYYY/MM/DD, as some sheets have it
    start_text = date_texts(start, slashed)
    end_text = date_texts(end, slashed)

    farmer = rng.choice(len(FARMER), n, p=FARMER_P)
    destination = rng.choice(len(DESTINATIONS), n, p=DEST_P)
    group = rng.choice(len(GROUPS), n, p=GROUP_P)

    raw = pd.DataFrame(
        {
            "claim_id": _text(
                np.concatenate(
                    [
                        np.frombuffer(b"QH-GJ-", dtype=np.uint8)[None, :].repeat(n, axis=0),
                        (_digits(np.arange(1, n + 1), 7) + ord("0")).astype(np.uint8),
                    ],
                    axis=1,
                )
            ),
            "broker_name": broker_names[broker_of],
            "broker_id": broker_ids[broker_of],
            "worker_name": _names(rng, n),
            "worker_id": worker_id,
            "worker_hukou": hukou.astype(object),
            "farmer_herder": FARMER[farmer],
            "destination": DESTINATIONS[destination],
            "start_date": start_text,
            "end_date": end_text,
            "worker_group": GROUPS[group],
        },
        columns=COLUMNS,
    )
    lasted = (end >= _add_months(start, 2) - DAY) & ~(end >= _add_months(start, 6) - DAY)
    of_age = _add_months(worker_born, 16 * 12) <= start
    eligible = ~bad_id & ~from_gansu & FARMER_YES[farmer] & (destination < 3) & lasted & of_age
    amount = np.where(eligible, 5000 + 5000 * TOP_UP[group], 0)
    return raw, {"eligible": eligible, "invalid": bad_id, "amount_fen": amount}


def _spot_check_ids(raw: pd.DataFrame, truth: dict[str, np.ndarray], k: int = 200) -> None:
    """A sample of generated ids against ``resident_id_check_character`` (the scalar one)."""
    good = np.flatnonzero(~truth["invalid"])[:k]
    for worker_id in raw["worker_id"].to_numpy()[good]:
        assert resident_id_check_character(worker_id[:17]) == worker_id[17], worker_id
    for broker_id in raw["broker_id"].to_numpy()[:k]:
        assert resident_id_check_character(broker_id[:17]) == broker_id[17], broker_id


# ---------------------------------------------------------------- measuring


def _decision(calc, typed: pd.DataFrame, dates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rule on typed claims, deciding only (what the peer computes): whether each claim
    passed every check, and its amount in fen. The reasons' labels are not written."""
    outcome = calc.assess(typed, calc.program.bind(dates))
    passed = outcome.checks.passed
    return passed, np.where(passed, np.asarray(outcome.amount_fen, dtype=np.int64), 0)


def _rule_step(calc, typed: pd.DataFrame, dates: np.ndarray) -> np.ndarray:
    """The rule on typed claims: the checks, the amounts and each claim's reasons as text."""
    return calc.assess(typed, calc.program.bind(dates)).checks.reasons()


def _best(label: str, repeat: int, run):
    """Run ``run()`` ``repeat`` times; return (best wall seconds, its CPU seconds, last value).

    CPU seconds (this process) are printed beside wall seconds: this machine is shared,
    and CPU seconds move less with the load from other jobs.
    """
    times, value = [], None
    for attempt in range(repeat):
        value = None
        gc.collect()
        started, cpu = time.perf_counter(), time.process_time()
        value = run()
        times.append((time.perf_counter() - started, time.process_time() - cpu))
        print(
            f"  {label} #{attempt + 1}: {times[-1][0]:.2f} s ({times[-1][1]:.2f} CPU s)",
            file=sys.stderr,
            flush=True,
        )
    wall, cpu = min(times)
    return wall, cpu, value


def _cross_check(result: pd.DataFrame, truth: dict[str, np.ndarray]) -> str:
    got = result["amount_fen"].to_numpy()
    status = result["status"].to_numpy()
    wrong_amount = int((got != truth["amount_fen"]).sum())
    wrong_invalid = int(((status == "invalid") != truth["invalid"]).sum())
    if wrong_amount or wrong_invalid:
        raise SystemExit(
            f"cross-check FAILED: {wrong_amount} amounts and {wrong_invalid} invalid flags differ "
            "from the independent reading of the rule"
        )
    return (
        "cross-check ok: every amount and invalid flag matches an independent reading of the rule"
    )


def _status_line(result: pd.DataFrame) -> str:
    counts = result["status"].value_counts()
    shown = ", ".join(
        f"{s} {counts.get(s, 0):,}" for s in ("eligible", "ineligible", "invalid", "duplicate")
    )
    return f"{shown}; total {result['amount_fen'].sum() / 100:,.2f} yuan"


def run(n: int, repeat: int, peer: bool, profile: Path | None, workdir: Path) -> int:
    calc = calculator(PROGRAM)
    _ = calc.program  # load the parameter files outside the timings
    peer_python = None
    if peer:  # made (or found) first, so a peer that cannot be installed says so at once
        try:
            if not (_peer.PEERS / "openfisca_goji.py").exists():
                raise _peer.PeerError(f"no openfisca_goji.py in {_peer.PEERS}")
            peer_python = _peer.openfisca_python()
        except (_peer.PeerError, OSError, subprocess.SubprocessError) as error:
            print(f"peer unavailable, measuring ours only: {error}", file=sys.stderr)

    started = time.perf_counter()
    raw, truth = generate_claims(n)
    generated = time.perf_counter() - started
    _spot_check_ids(raw, truth)
    print(f"generated {n:,} claims in {generated:.2f} s", file=sys.stderr, flush=True)

    rows: list[tuple[str, float, float | None, float, str]] = []  # what, s, CPU s, /s, unit

    # 1. in memory
    seconds, cpu, result = _best(
        "evaluate() in memory", repeat, functools.partial(evaluate, calc, raw, as_of=AS_OF)
    )
    checked = _cross_check(result, truth)
    statuses = _status_line(result)
    rows.append(("ours: `evaluate()`, claims in memory", seconds, cpu, n / seconds, "claims"))
    del result

    # 1b. the rule step alone, on claims already typed: deciding only (what the peer
    # computes), the reasons' text alone, and both
    typed, _ = coerce(calc.template, raw, today=AS_OF)
    dates = typed[calc.program.event_date].to_numpy(dtype="datetime64[D]")
    seconds, cpu, (passed, amount) = _best(
        "rule step, deciding", repeat, functools.partial(_decision, calc, typed, dates)
    )
    valid = ~truth["invalid"]  # the amounts of the others mean nothing
    assert (amount[valid] == truth["amount_fen"][valid]).all(), "rule step amounts differ"
    rows.append(
        (
            "ours: the rule step, deciding (status + amount), typed",
            seconds,
            cpu,
            n / seconds,
            "claims",
        )
    )
    checks = calc.assess(typed, calc.program.bind(dates)).checks
    seconds, cpu, _ = _best("rule step, reasons' text", repeat, checks.reasons)
    rows.append(
        (
            "ours: the reasons' text of the rule step (`reasons()`)",
            seconds,
            cpu,
            n / seconds,
            "claims",
        )
    )
    seconds, cpu, _ = _best(
        "rule step alone", repeat, functools.partial(_rule_step, calc, typed, dates)
    )
    rows.append(
        (
            "ours: the rule step alone (`assess` + reasons), typed",
            seconds,
            cpu,
            n / seconds,
            "claims",
        )
    )
    del typed, dates, checks, passed, amount

    if profile is not None:
        profiler = cProfile.Profile()
        profiler.enable()
        evaluate(calc, raw, as_of=AS_OF)
        profiler.disable()
        profiler.dump_stats(profile)
        print(
            f"\ncProfile of evaluate() written to {profile}; top 25 by own time:", file=sys.stderr
        )
        pstats.Stats(str(profile), stream=sys.stderr).sort_stats("tottime").print_stats(25)

    # 2. the same claims from a CSV file
    claims_csv = workdir / "claims.csv"
    raw.to_csv(claims_csv, index=False)
    size_mb = claims_csv.stat().st_size / 1e6
    del raw
    seconds, cpu, claims = _best(
        "read_claims() CSV", repeat, lambda: read_claims(claims_csv, calc.template)
    )
    assert len(claims) == n, len(claims)
    rows.append(
        (f"ours: `read_claims()`, {size_mb:,.1f} MB CSV", seconds, cpu, n / seconds, "claims")
    )
    del claims

    # 3. the CLI: read, decide, write the results CSV
    from click.testing import CliRunner

    from subsidies.cli import main

    results_csv = workdir / "results.csv"
    args = ["calc", PROGRAM, str(claims_csv), "-o", str(results_csv), "--as-of", AS_OF.isoformat()]

    def cli():
        outcome = CliRunner().invoke(main, args, catch_exceptions=False)
        if outcome.exit_code != 0:
            raise SystemExit(f"subsidies calc exited {outcome.exit_code}:\n{outcome.output}")
        return outcome.output

    seconds, cpu, _ = _best("subsidies calc CSV -> CSV", repeat, cli)
    rows.append(("ours: `subsidies calc` CSV → results CSV", seconds, cpu, n / seconds, "claims"))
    written = pd.read_csv(results_csv, usecols=["amount"], dtype={"amount": str})
    assert len(written) == n, len(written)
    assert (
        written["amount"].str.replace(".", "", regex=False).astype(np.int64).to_numpy()
        == truth["amount_fen"]
    ).all(), "CLI amounts differ"
    del written

    # the peer, in the same run
    peer_rate = None
    if peer_python is not None:
        best = None
        for attempt in range(max(PEER_RUNS, repeat)):
            try:
                outcome = _peer.run_peer(peer_python, "openfisca_goji.py", n)
            except (_peer.PeerError, subprocess.SubprocessError) as error:
                print(f"peer run failed: {error}", file=sys.stderr)
                break
            print(f"  peer #{attempt + 1}: {outcome.line}", file=sys.stderr, flush=True)
            if best is None or outcome.rate > best.rate:
                best = outcome
        if best is not None:
            peer_rate = best.rate
            rows.append(
                (
                    "peer: OpenFisca `goji_broker_subsidy`, inputs in memory",
                    best.seconds if best.seconds is not None else n / best.rate,
                    None,
                    best.rate,
                    best.unit,
                )
            )

    print()
    print(
        f"qinghai.goji_broker, N = {n:,}, as_of {AS_OF}, ours best of {repeat}"
        + (f", peer best of {max(PEER_RUNS, repeat)}" if peer_rate else "")
        + "; "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, pandas {pd.__version__}, "
        f"numpy {np.__version__}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print()
    print("| what | N | seconds | CPU s | per second | ours/peer |")
    print("|---|---:|---:|---:|---:|---:|")
    for what, seconds, cpu, rate, unit in rows:
        if not peer_rate:
            ratio = "–"
        elif what.startswith("peer"):
            ratio = "1"
        else:
            ratio = f"{rate / peer_rate:.4f} (1/{peer_rate / rate:,.0f})"
        shown_cpu = "" if cpu is None else f"{cpu:.3f}"
        print(f"| {what} | {n:,} | {seconds:.3f} | {shown_cpu} | {rate:,.0f} {unit}/s | {ratio} |")
    print()
    print(f"statuses: {statuses}")
    print(checked)
    print(
        "Not like for like: the peer computes only the amount from five prepared numpy arrays "
        "(dates, hukou, Haixi, group flags). Ours starts from cell text and also validates "
        "every 身份证号 (checksum, birth date, age), parses dates, provinces, yes/no, groups "
        "and places, writes a reason per claim with the actual values and a citation, and "
        "settles repeated claim_ids and overlapping periods."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="claims (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each timing; best kept")
    parser.add_argument("--no-peer", dest="peer", action="store_false", help="skip OpenFisca")
    parser.add_argument("--profile", type=Path, help="also cProfile evaluate() into this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-calc-") as workdir:
        return run(args.n, max(1, args.repeat), args.peer, args.profile, Path(workdir))


if __name__ == "__main__":
    sys.exit(main())
