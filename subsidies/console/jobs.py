"""Long work in a worker thread, its state in the ledger's database
(:mod:`subsidies.workflow.jobs`), its progress in this process for the page to poll.

A job's work is one workflow step: one transaction, all or nothing. Its refusal (the
workflow's reason) becomes the job's error; an unexpected failure is named without a
traceback on the page (the server's log has it).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from ledgers import Ledger
from subsidies.console.web import REFUSALS
from subsidies.workflow import jobs

log = logging.getLogger("subsidies.console")
Progress = Callable[[int, int], None]


@dataclass
class Running:
    done: int = 0
    total: int = 0


class Runner:
    """Starts jobs (at most ``parallel`` at once; the others wait their turn)."""

    def __init__(self, ledger: Ledger, parallel: int = 2) -> None:
        self.ledger = ledger
        self.progress: dict[int, Running] = {}
        self.turns = threading.Semaphore(parallel)
        self.threads: dict[int, threading.Thread] = {}

    def start(self, kind: str, title: str, by: str, work: Callable[[Progress], dict]) -> int:
        """Record the job and run ``work(progress)`` in a thread; it returns the job's result
        (what it made, e.g. ``{"batch": code}``)."""
        job_id = jobs.start(self.ledger, kind, title, by=by)
        self.progress[job_id] = Running()
        thread = threading.Thread(
            target=self._run, args=(job_id, work), name=f"job-{job_id}", daemon=True
        )
        self.threads[job_id] = thread
        thread.start()
        return job_id

    def _run(self, job_id: int, work: Callable[[Progress], dict]) -> None:
        running = self.progress[job_id]

        def progress(done: int, total: int) -> None:
            running.done, running.total = done, total

        with self.turns:
            try:
                result = work(progress)
            except REFUSALS as refused:
                jobs.fail(self.ledger, job_id, str(refused))
            except Exception as error:  # noqa: BLE001 - a job must end with a state
                log.exception("job %s failed", job_id)
                jobs.fail(self.ledger, job_id, f"内部错误（{type(error).__name__}），请联系管理员")
            else:
                jobs.finish(self.ledger, job_id, result)
            finally:
                self.progress.pop(job_id, None)

    def fraction(self, job_id: int) -> float | None:
        """How far a job of this process is (0..1), None when unknown."""
        running = self.progress.get(job_id)
        if running is None or not running.total:
            return None
        return min(running.done / running.total, 1.0)

    def wait(self, job_id: int, timeout: float | None = None) -> None:
        """For tests and the benchmark: wait until the job's thread ends."""
        thread = self.threads.get(job_id)
        if thread is not None:
            thread.join(timeout)
