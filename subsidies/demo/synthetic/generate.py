"""One program's claims as the cell text an officer types, made from the program itself."""

from __future__ import annotations

import zlib
from typing import Literal

import numpy as np
import pandas as pd

from calculators.base import Calculator
from calculators.registry import calculator
from subsidies.demo.synthetic import earlier as before
from subsidies.demo.synthetic.draft import Draft
from subsidies.demo.synthetic.invalid import invalid_kinds
from subsidies.demo.synthetic.mix import USUAL, Mix, plan
from subsidies.demo.synthetic.programs import PROGRAMS, ProgramClaims
from subsidies.demo.synthetic.text import as_text, bank_accounts, header

SERIAL = "序号"
BANK_ACCOUNT = "银行账号"
Headers = Literal["labels", "ids"]


class Rows(tuple):
    """One value per row, kept in ``DataFrame.attrs``: pandas deep-copies attrs on every
    operation, and this tuple of str is shared instead (it cannot change)."""

    def __deepcopy__(self, memo) -> Rows:
        return self


def keyed(calc: Calculator) -> bool:
    """Whether the program has a one-time key or an overlap key a row can repeat."""
    return bool(calc.one_time_keys) or calc.overlap is not None


def cases(program: str | Calculator, year: int = 2024) -> dict[str, list[str]]:
    """The named kinds of ineligible and invalid row :func:`generate` makes for a program
    (with the parameters in force in ``year``), in turn."""
    calc, claims = _program(program)
    d = Draft(np.random.default_rng(0), 0, year, calc.program, calc.template)
    return {
        "ineligible": [label for label, _ in claims.conditions(d)],
        "invalid": [label for label, _ in invalid_kinds(calc.template, claims.invalid_extra(d))],
    }


def generate(
    program: str | Calculator,
    n: int,
    *,
    seed: int,
    year: int = 2024,
    id_prefix: str = "",
    earlier: pd.DataFrame | None = None,
    mix: Mix = USUAL,
    headers: Headers = "labels",
) -> pd.DataFrame:
    """``n`` claims for a program (its id, or a calculator with its own parameter file) as
    the cell text an officer types.

    ``headers="labels"``: a 序号 column, the officer's Chinese headers, and for a payout a
    银行账号 column last; ``"ids"``: the template's column ids (and 银行账号). The same
    arguments give the same frame. 申请编号 is ``{id_prefix}{year}{serial:05d}``, or
    ``{program code}-{year}-{serial:05d}`` without a prefix; serials continue after the
    highest in ``earlier`` (a frame this function returned before for the same program), so
    a second batch never reuses a 申请编号 by accident. Each row's intended outcome is kept
    in ``frame.attrs``: ``intent`` ("eligible", "ineligible: …", "invalid: …", "duplicate:
    …") and ``duplicate_of`` (the 申请编号 the row repeats, or "").
    """
    calc, claims = _program(program)
    _check(calc, n, year)
    g = np.random.default_rng([seed, zlib.crc32(calc.program_id.encode())])
    d = Draft(g, n, year, calc.program, calc.template)
    old, sources = before.read_earlier(calc, earlier, year)
    d.taken.update(before.identity_numbers(calc, old))
    if n == 0:
        empty = {c.name: np.array([], dtype=object) for c in calc.template.columns}
        return _frame(calc, empty, g, 0, (), (), headers)
    made = _Making(calc, claims, d, old, sources, mix, id_prefix)
    return _frame(calc, made.text, g, n, made.intent, made.duplicate_of, headers)


def _check(calc: Calculator, n: int, year: int) -> None:
    effective = calc.program.in_force_from
    if year < effective.year:
        raise ValueError(
            f"{calc.program_id}: its document took effect on {effective}, after {year}"
        )
    if n < 0:
        raise ValueError(f"n must not be negative, not {n}")


def _program(program: str | Calculator) -> tuple[Calculator, ProgramClaims]:
    calc = calculator(program) if isinstance(program, str) else program
    return calc, PROGRAMS[calc.program_id]


class _Making:
    """One batch made, step by step: the plan, fresh eligible rows, the rows made to fail a
    condition, the duplicates, the cell text, and the invalid rows spoilt in it."""

    def __init__(self, calc, claims: ProgramClaims, d: Draft, old, sources, mix: Mix, prefix):
        self.calc, self.claims, self.d, self.old, self.prefix = calc, claims, d, old, prefix
        conditions = mix.chosen(claims.conditions(d), mix.ineligible_kinds, "ineligible")
        spoils = invalid_kinds(calc.template, claims.invalid_extra(d))
        spoils = mix.chosen(spoils, mix.invalid_kinds, "invalid")
        counts = mix.counts(
            d.n, conditions=len(conditions), keyed=keyed(calc), earlier=len(sources)
        )
        self.plan = plan(d.g, d.n, counts)
        self.intent = np.full(d.n, "eligible", dtype=object)
        self.duplicate_of = np.full(d.n, "", dtype=object)
        claims.fill(d)
        d.cols["claim_id"] = self._claim_ids()
        self._fail(conditions)
        self._duplicates()
        repeats = np.flatnonzero(self.plan == "repeat")
        chosen = d.g.choice(sources, len(repeats), replace=False) if len(repeats) else []
        if keyed(calc):
            self._repeats(repeats, chosen)
        self.text = as_text(d, calc.template)
        if not keyed(calc):
            self._resubmitted(repeats, chosen)
        self._spoil(spoils)

    def _claim_ids(self) -> np.ndarray:
        d, old = self.d, self.old
        head = f"{self.prefix}{d.year}" if self.prefix else f"{self.claims.code}-{d.year}-"
        start = (
            before.next_serial(old["claim_id"], head)
            if old is not None and "claim_id" in old
            else 1
        )
        return np.array([f"{head}{start + k:05d}" for k in range(d.n)], dtype=object)

    def _fail(self, conditions) -> None:
        """The ineligible rows, each condition in turn."""
        rows = np.flatnonzero(self.plan == "ineligible")
        for k, (label, make) in enumerate(conditions):
            mine = rows[k :: len(conditions)]
            if len(mine):
                make(self.d, mine)
                self.intent[mine] = f"ineligible: {label}"

    def _duplicates(self) -> None:
        """Rows repeating the one-time key of an eligible row above them."""
        d = self.d
        rows = np.flatnonzero(self.plan == "duplicate")
        eligible = np.flatnonzero(self.plan == "eligible")
        above = np.searchsorted(eligible, rows)  # eligible rows above each (the first is one)
        sources = eligible[(d.g.random(len(rows)) * above).astype(np.int64)]
        self.claims.repeat_rows(d, rows, sources)
        self.intent[rows] = f"duplicate: {self.claims.repeat_label} (in this file)"
        self.duplicate_of[rows] = d.cols["claim_id"][sources]

    def _repeats(self, rows, chosen) -> None:
        """Rows repeating the one-time key of an eligible row of the earlier batch."""
        old, columns = self.old, self.calc.template.columns
        for i, j in zip(rows, chosen, strict=True):
            src = {c.name: before.parse_cell(c, old[c.name][j]) for c in columns if c.name in old}
            self.claims.repeat(self.d, int(i), src)
            self.intent[i] = f"duplicate: {self.claims.repeat_label} (earlier batch)"
            self.duplicate_of[i] = old["claim_id"][j]

    def _resubmitted(self, rows, chosen) -> None:
        """Without one-time keys: an earlier claim resubmitted as it was, under its 申请编号."""
        for i, j in zip(rows, chosen, strict=True):
            for name in self.text:
                if name in self.old:
                    self.text[name][i] = self.old[name][j]
            self.intent[i] = (
                "duplicate: an earlier claim resubmitted under its 申请编号 (earlier batch)"
            )
            self.duplicate_of[i] = self.old["claim_id"][j]

    def _spoil(self, spoils) -> None:
        """The invalid rows, each kind in turn."""
        rows = np.flatnonzero(self.plan == "invalid")
        for k, (label, spoil) in enumerate(spoils):
            mine = rows[k :: len(spoils)]
            if len(mine):
                spoil(self.d, self.text, mine)
                self.intent[mine] = f"invalid: {label}"


def _frame(calc, text, g, n, intent, duplicate_of, headers: Headers) -> pd.DataFrame:
    columns = calc.template.columns
    if headers == "labels":
        frame = pd.DataFrame({SERIAL: [str(k + 1) for k in range(n)]}, dtype=object)
        for column in columns:
            frame[header(column)] = text[column.name]
    elif headers == "ids":
        frame = pd.DataFrame({column.name: text[column.name] for column in columns}, dtype=object)
    else:
        raise ValueError(f"headers are 'labels' or 'ids', not {headers!r}")
    if calc.program.kind == "payout":
        frame[BANK_ACCOUNT] = bank_accounts(g, n)
    frame = frame.astype(object)
    frame.attrs.update(
        program_id=calc.program_id, intent=Rows(intent), duplicate_of=Rows(duplicate_of)
    )
    return frame
