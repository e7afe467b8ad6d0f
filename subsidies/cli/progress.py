"""Progress bars on stderr for the command's long steps (:mod:`subsidies.domain.progress`).

A bar is drawn (by rich) only when stderr is a terminal, so a redirected or piped run
writes nothing extra; ``SUBSIDIES_PROGRESS=1`` draws it anyway (tests read it back),
``SUBSIDIES_PROGRESS=0`` never. Each stage is a line of its own: its label, the bar, the
count done of the total (``120,000/200,000 笔``) and the time it took.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, ProgressColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as Rich
from rich.text import Text

from subsidies.domain.progress import SILENT, Progress

SETTING = "SUBSIDIES_PROGRESS"


def wanted() -> bool:
    """Whether to draw: as ``SUBSIDIES_PROGRESS`` says, else when stderr is a terminal."""
    setting = os.environ.get(SETTING, "").strip()
    if setting in ("0", "1"):
        return setting == "1"
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


class Bars:
    """One rich bar per stage, on stderr."""

    def __init__(self) -> None:
        console = Console(file=sys.stderr, force_terminal=True)
        self._rich = Rich(
            TextColumn("{task.description}"),
            BarColumn(),
            _Counts(),
            TimeElapsedColumn(),
            console=console,
        )
        self._task = None
        self._rich.start()

    def stage(self, label: str, total: int | None = None, unit: str = "") -> None:
        self._finish()
        self._task = self._rich.add_task(label, total=total, unit=unit, counted=total is not None)

    def advance(self, done: int = 1) -> None:
        if self._task is not None:
            self._rich.advance(self._task, done)

    def close(self) -> None:
        self._finish()
        self._rich.stop()

    def _finish(self) -> None:
        """The stage before is done: its bar full, its count all of it."""
        if self._task is not None:
            task = self._rich.tasks[-1]
            done = task.total if task.total is not None else max(task.completed, 1)
            self._rich.update(self._task, total=done, completed=done)


class _Counts(ProgressColumn):
    """``120,000/200,000 笔``; a stage without a total shows what it counted (``1,234 行``),
    or nothing."""

    def render(self, task) -> Text:
        unit = task.fields.get("unit", "")
        if task.fields.get("counted"):
            shown = f"{int(task.completed):,}/{int(task.total):,} {unit}"
        elif unit:
            shown = f"{int(task.completed):,} {unit}"
        else:
            shown = ""
        return Text(shown.rstrip())


@contextmanager
def progress_bars() -> Iterator[Progress]:
    """Bars for the steps inside the block, or :data:`SILENT` when none are wanted."""
    if not wanted():
        yield SILENT
        return
    bars = Bars()
    try:
        yield bars
    finally:
        bars.close()
