"""The bank gets each payment in one file, and a file at its path is the whole file.

- **Racing runs.** 2 or 4 processes run ``subsidies disburse`` of the same approved batch at
  the same moment (a barrier), each to its own path: exactly one writes a file, with every
  payment once; each other run is refused as a re-run is, and leaves no file. Again with
  the turn-taking lock switched off: the ledger still lets only one file through.
- **A run killed while writing.** ``subsidies disburse -o pay.csv`` of
  ``SUBSIDIES_FILE_CRASH_CLAIMS`` payments (default 20,000; the issue's 100,000 by setting
  it) is killed (SIGKILL) as soon as its file starts being written. The path holds nothing
  (never a part of the file); the payments stay recorded; the re-run posts nothing and
  writes the whole file, recorded with its line count, total and SHA-256; a third run is
  refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

import click
import pandas as pd
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from workflow_helpers import (
    CHECKER,
    GOJI,
    GOJI_AS_OF,
    PAYER,
    db_state,
    goji_claims,
    submit_rows,
    write_claims,
)

from ledgers import Kind, Ledger
from subsidies.cli import main
from subsidies.workflow import batches as wf
from subsidies.workflow import payfiles

FORK = multiprocessing.get_context("fork")
CLAIMS = int(os.environ.get("SUBSIDIES_FILE_CRASH_CLAIMS", "20000"))
PAID_ON = "2024-12-03"


def _approved(led: Ledger, tmp_path: Path, n: int, prefix: str) -> tuple[str, int]:
    frame, total = goji_claims(n, prefix=prefix)
    batch, _ = submit_rows(
        led, write_claims(tmp_path / f"{prefix}.csv", frame), GOJI, as_of=GOJI_AS_OF
    )
    wf.approve(led, batch.code, by=CHECKER, on=GOJI_AS_OF)
    return batch.code, total


def _disburse(url: str, code: str, path: Path) -> list[str]:
    return ["disburse", code, "-o", str(path), "--on", PAID_ON, "--db", url]


def _worker(url, barrier, results, code, path, turns: bool) -> None:
    """Runs in a forked process: ``subsidies disburse`` at the barrier."""
    try:
        if not turns:
            Ledger.one_at_a_time = lambda *args, **kwargs: contextlib.nullcontext()
        barrier.wait(timeout=120)
        main(_disburse(url, code, path), standalone_mode=False)
        results.put((path, "ok", ""))
    except click.ClickException as error:
        results.put((path, "refused", error.message))
    except BaseException as error:  # anything else is a failure the test reports
        results.put((path, "error", f"{error!r}\n{traceback.format_exc()}"))


def _entries(led: Ledger, kind: Kind) -> int:
    with led.engine.connect() as conn:
        return conn.execute(
            text("SELECT COUNT(*) FROM entries WHERE kind = :k"), {"k": kind.value}
        ).scalar_one()


def _lines(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)


@pytest.mark.parametrize(
    ("processes", "turns"), [(2, True), (4, True), (2, False)], ids=["2", "4", "2-no-turns"]
)
def test_racing_disbursements_write_one_file(
    funded, db_url, tmp_path, processes, turns, as_officer, monkeypatch
) -> None:
    monkeypatch.setenv("SUBSIDIES_TOKEN", as_officer(db_url, PAYER)["SUBSIDIES_TOKEN"])
    code, total = _approved(funded, tmp_path, 40, "RACE")
    out = tmp_path / "bank"
    out.mkdir()
    paths = [out / f"officer-{i}.csv" for i in range(processes)]
    barrier, results = FORK.Barrier(processes), FORK.Queue()
    procs = [
        FORK.Process(target=_worker, args=(db_url, barrier, results, code, path, turns))
        for path in paths
    ]
    for p in procs:
        p.start()
    got = sorted(results.get(timeout=300) for _ in procs)
    for p in procs:
        p.join(timeout=60)
    assert not [r for r in got if r[1] == "error"], got
    ok = [r for r in got if r[1] == "ok"]
    refused = [r for r in got if r[1] == "refused"]
    assert len(ok) == 1 and len(refused) == processes - 1, got
    for _, _, message in refused:
        assert "已支付：其付款见" in message or "另一次操作已同时写出" in message, message
    written = [p for p in paths if p.exists()]
    assert written == [ok[0][0]], (written, got)
    lines = _lines(written[0])
    assert len(lines) == 40 and lines.iloc[:, 0].is_unique
    assert sum(int(a.replace(".", "")) for a in lines.iloc[:, 4]) == total
    assert os.listdir(out) == [written[0].name]  # and no partial file
    (recorded,) = payfiles.files(funded, code)
    assert (recorded.kind, recorded.lines, recorded.total_fen) == ("original", 40, total)
    assert _entries(funded, Kind.DISBURSEMENT) == 40


KILLED_RUN = """
import sys
from subsidies.cli import main
main(sys.argv[1:])
"""


def _kill_when_writing(run: subprocess.Popen, path: Path) -> bool:
    """SIGKILL ``run`` as soon as its payment file starts being written (a partial file
    beside ``path``, or ``path`` itself); False if it ended first."""
    while run.poll() is None:
        started = [
            entry
            for entry in os.scandir(path.parent)
            if entry.name == path.name or entry.name.startswith(f".{path.name}.")
        ]
        if started:
            run.send_signal(signal.SIGKILL)
            run.communicate(timeout=60)
            return True
        time.sleep(0.0005)
    return False


def _wait_for_server(led: Ledger, application: str) -> None:
    """PostgreSQL: wait until the killed client's backend is gone."""
    if led.engine.dialect.name != "postgresql":
        return
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with led.engine.connect() as conn:
            left = conn.execute(
                text("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = :a"),
                {"a": application},
            ).scalar_one()
        if not left:
            return
        time.sleep(0.1)
    pytest.fail("the killed run's server backend did not end within 120 s")


def test_a_run_killed_while_writing_leaves_no_file_and_the_rerun_writes_it(
    funded, db_url, tmp_path, backend, as_officer, monkeypatch
) -> None:
    monkeypatch.setenv("SUBSIDIES_TOKEN", as_officer(db_url, PAYER)["SUBSIDIES_TOKEN"])
    code, total = _approved(funded, tmp_path, CLAIMS, "CRASH")
    out = tmp_path / "bank"
    out.mkdir()
    path = out / "pay.csv"
    application = f"crash-{os.getpid()}-{time.monotonic_ns()}"
    url = db_url
    if backend == "postgresql":
        url = (
            make_url(db_url)
            .update_query_dict({"application_name": application})
            .render_as_string(hide_password=False)
        )
    run = subprocess.Popen(
        [sys.executable, "-c", KILLED_RUN, *_disburse(url, code, path)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert _kill_when_writing(run, path), "the run ended before its file was written"
    _wait_for_server(funded, application)

    # the path holds nothing; the payments stay recorded (posted before the file was begun)
    assert not path.exists(), f"{len(path.read_bytes().splitlines())} of {CLAIMS} lines at the path"
    assert _entries(funded, Kind.DISBURSEMENT) == CLAIMS
    assert payfiles.files(funded, code) == []

    # the re-run writes the file and posts nothing
    before = db_state(funded)
    done = subprocess.run(
        [sys.executable, "-c", KILLED_RUN, *_disburse(db_url, code, path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    assert f"（其中 {CLAIMS} 笔为此前未写出文件的支付）" in done.stdout, done.stdout
    after = db_state(funded)
    for table in ("entries", "postings", "payments", "payment_events", "decisions"):
        assert after[table] == before[table], table
    lines = _lines(path)
    assert len(lines) == CLAIMS and lines.iloc[:, 0].is_unique
    assert sum(int(a.replace(".", "")) for a in lines.iloc[:, 4]) == total
    (recorded,) = payfiles.files(funded, code)
    assert (recorded.lines, recorded.payments, recorded.total_fen) == (CLAIMS, CLAIMS, total)
    assert recorded.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert recorded.path == str(path.resolve())

    # and a third run is refused, writing nothing
    again = subprocess.run(
        [sys.executable, "-c", KILLED_RUN, *_disburse(db_url, code, out / "again.csv")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert again.returncode != 0 and "已支付：其付款见" in again.stderr, again.stderr
    assert not (out / "again.csv").exists()
