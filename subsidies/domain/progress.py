"""How far a long step has got: the few calls a workflow function makes, and whoever shows them.

A step that can take more than a few seconds (reading a large workbook, deciding its
claims, recording a batch, posting accruals or payments, writing a PDF or a bank file)
takes a :class:`Progress` and tells it each stage as it begins, with how many things the
stage has to do, then how many it has done. The ``subsidies`` command draws a bar on the
terminal (:mod:`subsidies.cli.progress`); the browser console keeps the same calls in its
jobs table. A step given nothing reports to :data:`SILENT`.

Every stage that writes a file is a stage of its own, so a bar never stands at 100% while
the file is still being written. Labels are in the officer's language (``_()``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, TypeVar

T = TypeVar("T")


class Progress(Protocol):
    """What a long step reports."""

    def stage(self, label: str, total: int | None = None, unit: str = "") -> None:
        """A new stage begins: ``label`` (``审核申报``), ``total`` things to do (None when
        not known beforehand) counted in ``unit`` (``笔``, ``行``, ``页``)."""

    def advance(self, done: int = 1) -> None:
        """``done`` more things of the current stage are done."""


class Silent:
    """Progress nobody watches."""

    def stage(self, label: str, total: int | None = None, unit: str = "") -> None:
        pass

    def advance(self, done: int = 1) -> None:
        pass


SILENT: Progress = Silent()


def counted(
    progress: Progress, items: Iterable[T], label: str, total: int, unit: str = "", every: int = 1
) -> Iterator[T]:
    """``items`` as they come, reported as a stage of ``total``, ``every`` items at a time."""
    progress.stage(label, total, unit)
    pending = 0
    for item in items:
        yield item
        pending += 1
        if pending == every:
            progress.advance(pending)
            pending = 0
    if pending:
        progress.advance(pending)
