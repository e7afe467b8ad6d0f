"""Jobs: long work (an upload of 200,000 claims, the approval of a big batch) recorded in
the ledger's database while it runs, so a page can show it and a restart cannot hide it.

A job's work is one workflow step, one transaction: the ledger has all of it or none of
it. The job's row says who asked, which server process runs it (``owner``, host:pid) and
how it ended. A server that starts marks ``failed`` every job still ``running`` under a
process of its host that is gone (:func:`fail_abandoned`): its transaction was never
committed, so nothing of it is in the ledger.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from ledgers import Ledger
from subsidies.domain.i18n import _
from subsidies.workflow.base import WorkflowError, now
from subsidies.workflow.tables import jobs

ABANDONED = "服务在任务进行中停止，任务未完成；账簿未记录其任何内容，请重新提交"


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    title: str
    state: str  # running | done | failed
    by: str
    owner: str
    created_at: datetime
    finished_at: datetime | None
    result: dict
    error: str


def this_process() -> str:
    """The owner name of jobs this process runs: host:pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def start(ledger: Ledger, kind: str, title: str, *, by: str) -> int:
    """Record a job as running in this process; returns its id."""
    with ledger.engine.begin() as conn:
        return conn.execute(
            jobs.insert().values(
                kind=kind,
                title=title,
                state="running",
                by=by,
                owner=this_process(),
                created_at=now(),
                result="{}",
                error="",
            )
        ).inserted_primary_key[0]


def _end(ledger: Ledger, job_id: int, **values) -> None:
    with ledger.engine.begin() as conn:
        conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.state == "running")
            .values(finished_at=now(), **values)
        )


def finish(ledger: Ledger, job_id: int, result: dict) -> None:
    _end(ledger, job_id, state="done", result=json.dumps(result, ensure_ascii=False))


def fail(ledger: Ledger, job_id: int, error: str) -> None:
    _end(ledger, job_id, state="failed", error=error)


def _job(row) -> Job:
    values = dict(row._mapping)
    values["result"] = json.loads(values["result"] or "{}")
    return Job(**values)


def get(ledger: Ledger, job_id: int) -> Job:
    with ledger.reading() as conn:
        row = conn.execute(select(jobs).where(jobs.c.id == job_id)).first()
    if row is None:
        raise WorkflowError(_("no job {id}").format(id=job_id))
    return _job(row)


def recent(ledger: Ledger, limit: int = 20) -> list[Job]:
    with ledger.reading() as conn:
        rows = conn.execute(select(jobs).order_by(jobs.c.id.desc()).limit(limit)).all()
    return [_job(r) for r in rows]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fail_abandoned(ledger: Ledger, alive: Callable[[int], bool] = _alive) -> int:
    """Mark failed the running jobs of this host whose process is gone (or is this one,
    which has just started and runs none yet); returns how many."""
    host = socket.gethostname()
    with ledger.reading() as conn:
        running = conn.execute(
            select(jobs.c.id, jobs.c.owner).where(jobs.c.state == "running")
        ).all()
    gone = []
    for job_id, owner in running:
        owner_host, _, pid = owner.rpartition(":")
        if owner_host == host and (int(pid) == os.getpid() or not alive(int(pid))):
            gone.append(job_id)
    for job_id in gone:
        fail(ledger, job_id, ABANDONED)
    return len(gone)
