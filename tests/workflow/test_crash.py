"""A crash during approval: all the accruals or none, and a re-run posts exactly once.

A goji batch of ``SUBSIDIES_CRASH_CLAIMS`` claims (default 100,000, as the issue asks:
about 30 s on SQLite and 60 s on PostgreSQL on this 2-core machine; set it lower for a
quick run) is submitted and its notice published in the test process.
``approve`` then runs in a subprocess that is killed with SIGKILL after a random delay
(seeded by ``SUBSIDIES_CRASH_SEED``), drawn between 0 and the time a normal approval of
a batch of the same size takes, measured once in the same database just before.

Afterwards: either no accrual of the batch exists or all of them do, and the batch is
approved iff they all do; the chain and balances verify; re-running the approval posts
exactly once (every claim's accrual exists once, the keys are unique) and commits the
fund by exactly the batch's total.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid

import numpy as np
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from workflow_helpers import (
    CHECKER,
    FUND,
    GOJI,
    MAKER,
    check_books,
    db_state,
    goji_claims,
    write_claims,
)

from subsidies.workflow import batches as wf

CLAIMS = int(os.environ.get("SUBSIDIES_CRASH_CLAIMS", "100000"))
SEED = int(os.environ.get("SUBSIDIES_CRASH_SEED", "20241202"))
SUBMITTED = dt.date(2024, 12, 2)
APPROVED = dt.date(2024, 12, 16)  # after the 5 working days of notice

APPROVE = """
import datetime, sys
from ledgers import Ledger
from subsidies.workflow import batches as wf
from subsidies.workflow.base import Officer
led = Ledger.connect(sys.argv[1])
checker = Officer(3, sys.argv[3], "审核", frozenset({"checker"}))
batch, posted = wf.approve(led, sys.argv[2], by=checker, on=datetime.date.fromisoformat(sys.argv[4]))
print(posted)
"""


def _approval(url: str, code: str, cwd) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", APPROVE, url, code, CHECKER.username, APPROVED.isoformat()],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _accruals(led, prefix: str) -> tuple[int, int]:
    """(accrual entries of the batch's claims, distinct keys among them)."""
    with led.engine.connect() as conn:
        return tuple(
            conn.execute(
                text("SELECT COUNT(*), COUNT(DISTINCT key) FROM entries WHERE key LIKE :k"),
                {"k": f"accrual:{GOJI}:{prefix}-%"},
            ).one()
        )


def _wait_for_server(led, application_name: str) -> None:
    """PostgreSQL: the killed client's backend ends its transaction (commit or rollback)
    on its own time; wait until it is gone, so what is read next is final."""
    if led.engine.dialect.name != "postgresql":
        return
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with led.engine.connect() as conn:
            left = conn.execute(
                text("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = :a"),
                {"a": application_name},
            ).scalar_one()
        if not left:
            return
        time.sleep(0.1)
    pytest.fail("the killed approval's server backend did not end within 120 s")


def test_killed_approval_posts_all_or_nothing(funded, db_url, tmp_path, backend) -> None:
    led = funded
    started = time.perf_counter()
    timings: dict[str, float] = {}
    batches = {}
    totals = {}
    for prefix, first in (("MEASURE", 0), ("CRASH", CLAIMS)):
        frame, totals[prefix] = goji_claims(CLAIMS, prefix=prefix, first_worker=first, seed=first)
        path = write_claims(tmp_path / f"{prefix}.csv", frame)
        t = time.perf_counter()
        batch, result = wf.submit(
            led, GOJI, path, fund_code=FUND, by=MAKER, as_of=SUBMITTED, notice_days=5
        )
        timings[f"submit {prefix}"] = time.perf_counter() - t
        assert (result["status"] == "eligible").all()
        wf.publish_notice(led, batch.code, on=SUBMITTED, by=MAKER)
        batches[prefix] = batch.code
    application = f"crash-{uuid.uuid4().hex[:12]}"
    url = db_url
    if backend == "postgresql":
        url = (
            make_url(db_url)
            .update_query_dict({"application_name": application})
            .render_as_string(hide_password=False)
        )
    available = led.available(FUND)

    # a normal approval of a batch of the same size, from process start to exit
    t = time.perf_counter()
    normal = _approval(url, batches["MEASURE"], tmp_path)
    out, err = normal.communicate(timeout=900)
    normal_s = timings["normal approval"] = time.perf_counter() - t
    assert normal.returncode == 0, err
    assert int(out.strip().splitlines()[-1]) == CLAIMS
    assert led.available(FUND) == available - totals["MEASURE"]
    available -= totals["MEASURE"]

    # the same on the other batch, killed at a random moment
    delay = float(
        np.random.default_rng([SEED, CLAIMS, backend == "postgresql"]).uniform(0, normal_s)
    )
    t = time.perf_counter()
    victim = _approval(url, batches["CRASH"], tmp_path)
    try:
        victim.wait(timeout=delay)
        killed = False
    except subprocess.TimeoutExpired:
        victim.send_signal(signal.SIGKILL)
        killed = True
    victim.communicate(timeout=60)
    timings["killed after"] = time.perf_counter() - t
    _wait_for_server(led, application)

    posted, distinct = _accruals(led, "CRASH")
    state = wf.get(led, batches["CRASH"]).state
    assert posted in (0, CLAIMS), f"{posted} of {CLAIMS} accruals survived the crash"
    assert distinct == posted
    assert (state == "approved") == (posted == CLAIMS), (state, posted)
    assert led.available(FUND) == available - (totals["CRASH"] if posted else 0)
    t = time.perf_counter()
    check_books(led)
    timings["verify"] = time.perf_counter() - t

    # the re-run posts exactly once
    before = db_state(led) if posted else None
    t = time.perf_counter()
    try:
        _, again = wf.approve(led, batches["CRASH"], by=CHECKER, on=APPROVED)
    except wf.WorkflowError as error:
        assert posted == CLAIMS and "审核通过；未重复记账" in str(error), error
        assert db_state(led) == before
        again = 0
    else:
        assert posted == 0 and again == CLAIMS
    timings["re-run"] = time.perf_counter() - t
    assert _accruals(led, "CRASH") == (CLAIMS, CLAIMS)
    events = [e["kind"] for e in wf.get(led, batches["CRASH"]).events]
    assert events.count("approved") == 1
    assert led.available(FUND) == available - totals["CRASH"]
    check_books(led)
    timings["total"] = time.perf_counter() - started
    shown = ", ".join(f"{k} {v:.1f}s" for k, v in timings.items())
    print(
        f"\n[crash {backend}] {CLAIMS} claims; delay {delay:.2f}s of {normal_s:.2f}s; "
        f"{'killed' if killed else 'finished first'}; {posted} posted before the re-run; {shown}"
    )
