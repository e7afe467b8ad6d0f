"""Officers acting at once, each in its own process with its own ``Ledger.connect``.

- 2 and 4 processes approve the same batch at the same moment (a barrier), each as a
  different officer: exactly one approves, its accruals are posted once, every other gets
  a WorkflowError saying the batch was already approved.
- Two batches holding the same person (both past submission) approved at once: one is
  approved, the other refused — the person is paid once. To make the race certain rather
  than likely, the test holds the fund's lock (PostgreSQL row lock / SQLite write lock)
  until both processes are waiting on it, then lets them go.
- Two officers submit batches at once: both are recorded (distinct codes), and the person
  the two files share is paid once however the race went.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import threading
import time
import traceback
from pathlib import Path

import pytest
from sqlalchemy import text
from workflow_helpers import (
    AS_OF,
    CHECKER,
    FUND,
    GOJI,
    GOJI_AS_OF,
    HIRING,
    MAKER,
    check_books,
    claim,
    entry_count,
    goji_claims,
    new_person,
    submit_rows,
    write_claims,
)

import ledgers.ledger
from ledgers import Kind, Ledger
from ledgers.db import writing
from ledgers.schema import accounts
from subsidies.workflow import batches as wf
from subsidies.workflow.base import Officer

FORK = multiprocessing.get_context("fork")
LATER = AS_OF + dt.timedelta(days=1)


def _worker(url: str, barrier, results, action: str, args: tuple, officer: str) -> None:
    role = "checker" if action == "approve" else "clerk"
    officer = str(officer)
    by = Officer(0, officer, officer, frozenset({role}))
    """Runs in a forked process: its own engine, then the step at the barrier."""
    led = Ledger.connect(url)
    try:
        barrier.wait(timeout=120)
        if action == "approve":
            code, on = args
            _, posted = wf.approve(led, code, by=by, on=on)
            results.put((officer, "ok", posted))
        else:
            program, path, as_of = args
            batch, _ = wf.submit(
                led, program, Path(path), fund_code=FUND, by=by, as_of=as_of, notice_days=0
            )
            results.put((officer, "ok", batch.code))
    except wf.WorkflowError as error:
        results.put((officer, "refused", str(error)))
    except BaseException as error:  # anything else is a failure the test reports
        results.put((officer, "error", f"{error!r}\n{traceback.format_exc()}"))
    finally:
        led.close()


def run_at_once(url: str, action: str, jobs: list[tuple[tuple, str]], hold=None) -> list[tuple]:
    """Start one process per (args, officer); ``hold`` runs while they wait, then they finish."""
    barrier = FORK.Barrier(len(jobs))
    results = FORK.Queue()
    procs = [
        FORK.Process(target=_worker, args=(url, barrier, results, action, args, officer))
        for args, officer in jobs
    ]
    for p in procs:
        p.start()
    if hold is not None:
        hold()
    got = [results.get(timeout=180) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0, p
    errors = [r for r in got if r[1] == "error"]
    assert not errors, errors[0][2]
    return sorted(got)


@pytest.mark.parametrize("processes", [2, 4])
def test_concurrent_approvals_pay_once(funded, db_url, tmp_path, processes) -> None:
    frame, total = goji_claims(40, prefix="CC")
    batch, _ = submit_rows(funded, write_claims(tmp_path / "cc.csv", frame), GOJI, as_of=GOJI_AS_OF)
    available = funded.available(FUND)
    officers = [f"checker.{i}" for i in range(processes)]
    results = run_at_once(db_url, "approve", [((batch.code, GOJI_AS_OF), o) for o in officers])
    ok = [r for r in results if r[1] == "ok"]
    refused = [r for r in results if r[1] == "refused"]
    assert len(ok) == 1 and ok[0][2] == 40, results
    assert len(refused) == processes - 1, results
    winner = ok[0][0]
    for _, _, message in refused:
        assert f"已由 {winner} 审核通过" in message, message
    assert entry_count(funded, Kind.PAYOUT_ACCRUED, f"accrual:{GOJI}:CC-%") == 40
    done = wf.get(funded, batch.code)
    assert [e["kind"] for e in done.events].count("approved") == 1
    assert done.event("approved")["by"] == winner
    assert funded.available(FUND) == available - total
    check_books(funded)


def test_first_approvals_of_a_new_program(funded, db_url, tmp_path, monkeypatch) -> None:
    """Two batches of a program never approved before, approved at once: both are approved.

    Each approval first opens the program's 5001 sub-account if it is missing; the test makes
    both processes find it missing before either opens it (they meet at a barrier just
    before the INSERT), the interleaving two officers clicking at once can produce. (On
    PostgreSQL this raised a UniqueViolation until ``add_account`` took the writers' lock,
    a2c64a3; now the second waits and finds the account, and the gate times out.)
    """
    codes = []
    for name, first in (("EA", 0), ("WE", 100)):
        frame, _ = goji_claims(5, prefix=name, first_worker=first)
        batch, _ = submit_rows(
            funded, write_claims(tmp_path / f"{name}.csv", frame), GOJI, as_of=GOJI_AS_OF
        )
        codes.append(batch.code)
    gate = FORK.Barrier(2)
    real_insert = ledgers.ledger.insert

    def insert_once_both_looked(table):
        if table is accounts:
            # SQLite: the other process waits for the write lock, so the gate breaks
            with contextlib.suppress(threading.BrokenBarrierError):
                gate.wait(timeout=3)
        return real_insert(table)

    with monkeypatch.context() as patch:
        patch.setattr(ledgers.ledger, "insert", insert_once_both_looked)
        results = run_at_once(
            db_url,
            "approve",
            [((codes[0], GOJI_AS_OF), "checker.a"), ((codes[1], GOJI_AS_OF), "checker.b")],
        )
    assert [r[1] for r in results] == ["ok", "ok"], results
    assert entry_count(funded, Kind.PAYOUT_ACCRUED) == 10
    check_books(funded)


def _blocked_by(me: int, waits: list[tuple[int, list[int]]]) -> int:
    """How many backends wait on ``me``, directly or behind another waiter (PostgreSQL queues a
    second waiter for a row lock behind the first)."""
    behind = {me}
    grew = True
    while grew:
        grew = False
        for pid, blockers in waits:
            if pid not in behind and behind & set(blockers or ()):
                behind.add(pid)
                grew = True
    return len(behind) - 1


def _hold_write_lock(led: Ledger, waiters: int):
    """A ``hold`` for :func:`run_at_once`: lock the fund until ``waiters`` processes wait on it.

    PostgreSQL: ``SELECT … FOR UPDATE`` on the fund row, which every posting takes after its
    checks; released once that many backends are blocked by it. SQLite: the database write
    lock (``BEGIN IMMEDIATE``), which every write transaction takes first; released after a
    moment (the processes then run one at a time, as SQLite always does).
    """

    def hold() -> None:
        with led.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.begin()
                conn.execute(text("SELECT code FROM funds WHERE code = :f FOR UPDATE"), {"f": FUND})
                me = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    with led.engine.connect() as probe:
                        waits = probe.execute(
                            text("SELECT pid, pg_blocking_pids(pid) FROM pg_stat_activity")
                        ).all()
                    blocked = _blocked_by(me, waits)
                    if blocked >= waiters:
                        break
                    time.sleep(0.05)
                else:
                    pytest.fail(f"only {blocked} of {waiters} processes reached the fund lock")
                conn.rollback()
                return
        with writing(led.engine):  # BEGIN IMMEDIATE
            time.sleep(1.0)

    return hold


def test_concurrent_approvals_of_two_batches_sharing_a_person(
    funded, db_url, tmp_path, monkeypatch
) -> None:
    # the same program's account exists already, so only the screening is raced
    funded.add_account(f"5001.{HIRING}", "吸纳就业一次性奖励")
    person = new_person()
    a, _ = submit_rows(funded, [claim(HIRING, "HA", employee_id=person)], HIRING, tmp=tmp_path)
    with monkeypatch.context() as patch:  # B read the earlier claims before A was committed
        real = wf.prior_claims
        patch.setattr(wf, "prior_claims", lambda *a, **kw: real(*a, **kw).iloc[0:0])
        b, result = submit_rows(
            funded, [claim(HIRING, "HB", employee_id=person)], HIRING, tmp=tmp_path
        )
    assert list(result["status"]) == ["eligible"]
    results = run_at_once(
        db_url,
        "approve",
        [((a.code, LATER), "checker.a"), ((b.code, LATER), "checker.b")],
        hold=_hold_write_lock(funded, 2),
    )
    assert [r[1] for r in results].count("ok") == 1, results
    assert entry_count(funded, Kind.PAYOUT_ACCRUED, f"accrual:{HIRING}:H%") == 1
    check_books(funded)


def test_concurrent_submissions(funded, db_url, tmp_path) -> None:
    """Two officers submit at once (2,000 claims each, so their transactions overlap)."""
    shared = new_person()
    files = []
    for name, first in (("east", 0), ("west", 10_000)):
        frame, _ = goji_claims(2_000, prefix=name.upper(), first_worker=first)
        frame.loc[0, "worker_id"] = shared  # one worker in both files, same period
        files.append(write_claims(tmp_path / f"{name}.csv", frame))
    results = run_at_once(
        db_url,
        "submit",
        [((GOJI, str(files[0]), GOJI_AS_OF), MAKER), ((GOJI, str(files[1]), GOJI_AS_OF), "zhou")],
    )
    assert [r[1] for r in results] == ["ok", "ok"], results
    codes = [r[2] for r in results]
    assert len(set(codes)) == 2, codes
    posted = 0
    for code in codes:
        try:
            posted += wf.approve(funded, code, by=CHECKER, on=GOJI_AS_OF)[1]
        except wf.WorkflowError as error:  # re-screened: the second holds the shared worker
            assert "EAST-0000001" in str(error) or "WEST-0000001" in str(error), error
    with funded.engine.connect() as conn:
        paid_for_shared = conn.execute(
            text(
                "SELECT COUNT(*) FROM entries e JOIN decisions d "
                "ON e.key = 'accrual:' || :p || ':' || d.claim_id "
                "WHERE d.keys_json LIKE :w"
            ),
            {"p": GOJI, "w": f"%{shared}%"},
        ).scalar_one()
    assert paid_for_shared == 1
    check_books(funded)
