"""Long work as jobs (issue #16): an upload runs as a job whose state is in the database,
with its progress shown while it runs; a server stopped mid-job (SIGKILL, no chance to
clean up) leaves the ledger with nothing of it, and the next server marks the job failed."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import socket
import subprocess
import sys
import time

import httpx
from console_helpers import csrf_of, office, password
from sqlalchemy import func, select, update
from workflow_helpers import GOJI, goji_claims, write_claims

from ledgers import Ledger
from subsidies.console.app import create_app
from subsidies.console.settings import Settings
from subsidies.workflow import jobs
from subsidies.workflow.tables import audit_log, batches, decisions
from subsidies.workflow.tables import jobs as jobs_table

CLAIMS = 150_000  # enough that the submission is still running when the server is killed


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _count(led: Ledger, table) -> int:
    with led.reading() as conn:
        return conn.scalar(select(func.count()).select_from(table))


def test_a_server_killed_mid_job_leaves_nothing_and_the_job_failed(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    with Ledger.connect(url) as led:
        led.upgrade()
        office(led)
        led.add_fund("QH2024", "2024 青海", year=2024)
        led.appropriate(
            "QH2024", 10**12, doc="青财社〔2024〕1号", on=dt.date(2024, 6, 3), by="zhang"
        )
        with led.reading() as conn:
            audits = conn.scalar(select(func.max(audit_log.c.id)))
    frame, _ = goji_claims(CLAIMS)
    claims = write_claims(tmp_path / "goji.csv", frame)
    port = _port()
    server = subprocess.Popen(
        [sys.executable, "-c", "from subsidies.cli import main; main()", "serve", "--db", url,
         "--port", str(port), "--files", str(tmp_path / "files")],
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, follow_redirects=False, timeout=60) as client:
            for _ in range(100):
                try:
                    page = client.get("/signin")
                    break
                except httpx.ConnectError:
                    time.sleep(0.1)
            signed = client.post("/signin", data={"csrf": csrf_of(page.text), "username": "zhang",
                                                  "password": password("zhang")})  # fmt: skip
            assert signed.status_code == 303
            form = {"csrf": csrf_of(client.get("/claims").text), "program": GOJI,
                    "fund": "QH2024", "as_of": "2024-12-02"}  # fmt: skip
            with claims.open("rb") as f:
                started = client.post("/claims/submit", data=form, files={"file": ("goji.csv", f)})
            assert started.status_code == 303
            job_id = int(started.headers["location"].rsplit("/", 1)[1])
            running = client.get(f"/jobs/{job_id}/progress").text
            assert "进行中" in running and "<progress" in running
            for _ in range(300):  # reading the file first; then the claims, a chunk at a time
                running = client.get(f"/jobs/{job_id}/progress").text
                if "审核申报：" in running:
                    break
                time.sleep(0.05)
            assert re.search(r"审核申报：[\d,]+ / 150,000 笔", running), running
        with Ledger.connect(url) as led:
            assert jobs.get(led, job_id).state == "running"
        time.sleep(1.0)
        os.kill(server.pid, signal.SIGKILL)
        server.wait(10)
    finally:
        if server.poll() is None:
            server.kill()
    with Ledger.connect(url) as led:
        assert jobs.get(led, job_id).state == "running"  # nobody has looked yet
        assert (_count(led, batches), _count(led, decisions)) == (0, 0)
    create_app(Settings(db=url, files=tmp_path / "files"))  # a server starts again
    with Ledger.connect(url) as led:
        job = jobs.get(led, job_id)
        assert job.state == "failed" and job.error == jobs.ABANDONED
        assert (_count(led, batches), _count(led, decisions)) == (0, 0)
        with led.reading() as conn:
            actions = conn.scalars(select(audit_log.c.action).where(audit_log.c.id > audits)).all()
        assert actions == ["signin"], actions  # signing in; nothing of the job
        assert _count(led, jobs_table) == 1


def test_a_job_of_a_live_process_is_left_running(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    with Ledger.connect(url) as led:
        led.upgrade()
        job_id = jobs.start(led, "submit", "a job of another live server", by="zhang")
        with led.engine.begin() as conn:  # run by another process of this host
            other = f"{socket.gethostname()}:{os.getpid() + 1}"
            conn.execute(update(jobs_table).values(owner=other))
        assert jobs.fail_abandoned(led, alive=lambda pid: True) == 0
        assert jobs.get(led, job_id).state == "running"
        assert jobs.fail_abandoned(led, alive=lambda pid: False) == 1
        assert jobs.get(led, job_id).state == "failed"
