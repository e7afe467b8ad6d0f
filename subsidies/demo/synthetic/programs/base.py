"""What a program's generator is: fresh eligible rows, the conditions a row can fail, how a
row repeats another's one-time key, and the program's own kinds of invalid row."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from subsidies.demo.synthetic.draft import Draft
from subsidies.demo.synthetic.invalid import InvalidKind

# a named condition of the rule, and how to make the rows given fail it
Condition = tuple[str, Callable[[Draft, np.ndarray], None]]


class ProgramClaims:
    """One program's claims. Every threshold, amount, place and list comes from the program
    (``d.value(name)``: its parameter in force; ``d.choices(column)``: its template), so a
    changed parameter file changes the claims made."""

    code = ""  # the 申请编号 series: QH-GQ-2024-00001
    repeat_label = ""  # what a duplicate of this program is

    def fill(self, d: Draft) -> None:
        """Fresh eligible rows: every template column of ``d.cols``."""
        raise NotImplementedError

    def conditions(self, d: Draft) -> tuple[Condition, ...]:
        """The conditions of the rule a row can fail, each with how to fail it."""
        return ()

    def repeat(self, d: Draft, i: int, src: dict) -> None:
        """Make row ``i`` (fresh and eligible) repeat the one-time key of ``src``."""

    def repeat_rows(self, d: Draft, rows: np.ndarray, sources: np.ndarray) -> None:
        """Make each of ``rows`` repeat the one-time key of its eligible row in ``sources``
        (a program may do it over arrays)."""
        for i, j in zip(rows, sources, strict=True):
            self.repeat(d, int(i), d.row(j))

    def invalid_extra(self, d: Draft) -> tuple[InvalidKind, ...]:
        """Kinds of invalid row only this program's columns allow."""
        return ()


def no(name: str) -> Callable[[Draft, np.ndarray], None]:
    """A yes/no condition answered 否."""
    return lambda d, rows: d.put(name, rows, False)
