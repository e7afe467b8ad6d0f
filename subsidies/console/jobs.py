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
from subsidies.domain.progress import Progress
from subsidies.workflow import jobs

log = logging.getLogger("subsidies.console")


@dataclass
class Running:
    """A running job's progress (:class:`~subsidies.domain.progress.Progress`) as its page
    shows it: the current stage's label, and done of total counted in ``unit``."""

    label: str = ""
    done: int = 0
    total: int = 0
    unit: str = ""

    def stage(self, label: str, total: int | None = None, unit: str = "") -> None:
        self.label, self.done, self.total, self.unit = label, 0, total or 0, unit

    def advance(self, done: int = 1) -> None:
        self.done += done

    @property
    def fraction(self) -> float | None:
        """How far the stage is (0..1), None when its total is not known."""
        return min(self.done / self.total, 1.0) if self.total else None


class Runner:
    """Starts jobs (at most ``parallel`` at once; the others wait their turn)."""

    def __init__(self, ledger: Ledger, parallel: int = 2) -> None:
        self.ledger = ledger
        self.progress: dict[int, Running] = {}
        self.turns = threading.Semaphore(parallel)
        self.threads: dict[int, threading.Thread] = {}

    def start(self, kind: str, title: str, by: object, work: Callable[[Progress], dict]) -> int:
        """Record the job and run ``work(progress)`` in a thread, ``progress`` the job's
        :class:`Running`; it returns the job's result (what it made, e.g. ``{"batch": code}``)."""
        job_id = jobs.start(self.ledger, kind, title, by=str(by))
        self.progress[job_id] = Running()
        thread = threading.Thread(
            target=self._run, args=(job_id, work), name=f"job-{job_id}", daemon=True
        )
        self.threads[job_id] = thread
        thread.start()
        return job_id

    def _run(self, job_id: int, work: Callable[[Progress], dict]) -> None:
        with self.turns:
            try:
                result = work(self.progress[job_id])
            except REFUSALS as refused:
                jobs.fail(self.ledger, job_id, str(refused))
            except Exception as error:  # noqa: BLE001 - a job must end with a state
                log.exception("job %s failed", job_id)
                jobs.fail(self.ledger, job_id, f"内部错误（{type(error).__name__}），请联系管理员")
            else:
                jobs.finish(self.ledger, job_id, result)
            finally:
                self.progress.pop(job_id, None)

    def running(self, job_id: int) -> Running | None:
        """A job of this process still running, None when not (or run by another process)."""
        return self.progress.get(job_id)

    def wait(self, job_id: int, timeout: float | None = None) -> None:
        """For tests and the benchmark: wait until the job's thread ends."""
        thread = self.threads.get(job_id)
        if thread is not None:
            thread.join(timeout)
