"""What a generated batch is made of: shares of eligible, ineligible, invalid and duplicate
rows, and which named kinds of ineligible and invalid rows to make."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# the kinds of invalid row every program with such a column gets (programs add their own)
BAD_CHECK = "bad 身份证号 check character"
EXCEL_NUMBER = "身份证号 Excel turned into 6.30102E+17"
LETTER_O = "统一社会信用代码 with an O"
UNREAL_DATE = "an unreal date (2月30日, 4月31日 …)"
REVERSED_DATES = "end date before the start"
BLANK = "a required cell left blank"
CLAIM_ID_TWICE = "申请编号 entered twice"


@dataclass(frozen=True)
class Mix:
    """Shares of a batch (of its rows, rounded); eligible rows make up the rest.

    ``duplicate``: rows repeating the one-time key of an eligible row above them (programs
    without one-time keys make none). ``repeat``: rows repeating a one-time key of an
    eligible row of the ``earlier`` batch (or, without keys, an earlier claim resubmitted
    under its old 申请编号); at most as many as it has. ``ineligible`` and ``invalid`` go
    round the program's named kinds in turn (:func:`~subsidies.demo.synthetic.cases`), or
    only the kinds named here."""

    ineligible: float = 0.12
    invalid: float = 0.05
    duplicate: float = 0.05
    repeat: float = 0.05
    ineligible_kinds: tuple[str, ...] | None = None
    invalid_kinds: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        shares = (self.ineligible, self.invalid, self.duplicate, self.repeat)
        if min(shares) < 0 or sum(shares) > 1:
            raise ValueError(f"shares must be 0 or more and add up to at most 1: {self}")

    def counts(self, n: int, *, conditions: int, keyed: bool, earlier: int) -> dict[str, int]:
        """Rows of each kind in a batch of ``n`` (a program with no condition to fail makes no
        ineligible row; one without keys, no duplicate; a small batch, no duplicate)."""
        return {
            "ineligible": round(self.ineligible * n) if conditions else 0,
            "invalid": round(self.invalid * n),
            "duplicate": round(self.duplicate * n) if keyed and n >= 10 else 0,
            "repeat": min(round(self.repeat * n), earlier),
        }

    def chosen(self, kinds, names: tuple[str, ...] | None, what: str) -> list:
        """The ``(label, make)`` kinds named in ``names`` (all of them for None)."""
        if names is None:
            return list(kinds)
        known = {label: make for label, make in kinds}
        unknown = [name for name in names if name not in known]
        if unknown:
            raise ValueError(f"no {what} kind {unknown}; this program's: {', '.join(known)}")
        return [(name, known[name]) for name in names]


USUAL = Mix()  # what an officer meets
ALL_ELIGIBLE = Mix(ineligible=0, invalid=0, duplicate=0, repeat=0)


def plan(g: np.random.Generator, n: int, counts: dict[str, int]) -> np.ndarray:
    """What each row is to be, shuffled; the first row eligible when any is (a duplicate
    needs an eligible row above it)."""
    kinds = sum(([kind] * count for kind, count in counts.items()), [])
    rows = np.array(kinds + ["eligible"] * (n - len(kinds)), dtype=object)[g.permutation(n)]
    if n and rows[0] != "eligible" and (rows == "eligible").any():
        first = int(np.flatnonzero(rows == "eligible")[0])
        rows[[0, first]] = rows[[first, 0]]
    return rows
