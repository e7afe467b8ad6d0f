"""Rows an officer's typing makes invalid, by name (:mod:`~subsidies.demo.synthetic.mix`):
each kind changes the cell text of its rows."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from calculators.template import Template
from subsidies.demo.synthetic import mix
from subsidies.demo.synthetic.draft import Draft, days
from subsidies.demo.synthetic.text import date_text

# (the draft, the cell text by column, the rows to spoil)
Spoil = Callable[[Draft, dict[str, np.ndarray], np.ndarray], None]
InvalidKind = tuple[str, Spoil]


def wrong_check(d: Draft, value: str) -> str:
    """The same number with another check character."""
    right = value[-1].upper()
    return value[:-1] + d.one([c for c in "0123456789X" if c != right])


def with_o(d: Draft, code: str) -> str:
    """An officer's O for a 0 (or an O anywhere in the code's body)."""
    zeros = [p for p in range(2, 17) if code[p] == "0"]
    p = int(d.one(zeros)) if zeros else d.int(8, 16)
    return code[:p] + "O" + code[p + 1 :]


def excel_number(value: str) -> str:
    """What Excel shows for an 18-digit id typed into a General cell: 6.30102E+17."""
    digits = value[:17] + ("0" if value[-1] in "xX" else value[-1])
    return f"{int(digits):.5E}"


def unreal_dates(year: int) -> tuple[str, ...]:
    return (f"{year}-02-30", f"{year}/2/30", f"{year}-04-31", f"{year}/6/31", f"{year}-09-31")


def each(name: str, how: Callable[[Draft, str], str]) -> Spoil:
    """Change the cell of column ``name`` on each row by ``how``."""

    def spoil(d: Draft, t: dict[str, np.ndarray], rows: np.ndarray) -> None:
        for i in rows:
            t[name][i] = how(d, t[name][i])

    return spoil


def invalid_kinds(template: Template, extra: tuple[InvalidKind, ...]) -> tuple[InvalidKind, ...]:
    """The kinds a program's template allows, its own ``extra`` kinds among them."""
    cols = template.columns
    resident = [c.name for c in cols if c.kind == "resident_id"]
    credit = [c.name for c in cols if c.kind == "credit_code"]
    dates = [c.name for c in cols if c.kind == "date" and c.required]
    kinds: list[InvalidKind] = []
    if resident:  # the person the claim is for
        kinds.append((mix.BAD_CHECK, each(resident[-1], wrong_check)))
        kinds.append((mix.EXCEL_NUMBER, each(resident[-1], lambda d, v: excel_number(v))))
    if credit:
        kinds.append((mix.LETTER_O, each(credit[0], with_o)))
    if dates:
        kinds.append((mix.UNREAL_DATE, each(dates[0], lambda d, v: d.one(unreal_dates(d.year)))))
    for earlier, later in template.ordered_dates:
        kinds.append((mix.REVERSED_DATES, _reversed(template, earlier, later)))
    kinds.extend(extra)
    kinds.append((mix.BLANK, _blank(template)))
    kinds.append((mix.CLAIM_ID_TWICE, _claim_id_twice(template)))
    return tuple(kinds)


def _reversed(template: Template, earlier: str, later: str) -> Spoil:
    def spoil(d: Draft, t: dict[str, np.ndarray], rows: np.ndarray) -> None:
        for name in (earlier, later):  # both dates read on the row
            only = template.column(name).only_when
            if only:
                other, read = only
                t[other][rows] = template.column(other).label_of(read[0])
                d.cols[other][rows] = read[0]
        first = d.cols[earlier][rows]
        before = first - days(d.ints(3, 40, len(rows)))
        slash = d.g.random(len(rows)) < 0.2
        t[earlier][rows] = [date_text(day, s) for day, s in zip(first, slash, strict=True)]
        t[later][rows] = [date_text(day, s) for day, s in zip(before, slash, strict=True)]

    return spoil


def _blank(template: Template) -> Spoil:
    names = [c.name for c in template.required if c.name != "claim_id"]

    def spoil(d: Draft, t: dict[str, np.ndarray], rows: np.ndarray) -> None:
        for i, name in zip(rows, d.pick(names, len(rows)), strict=True):
            t[name][i] = ""

    return spoil


def _claim_id_twice(template: Template) -> Spoil:
    blank = _blank(template)

    def spoil(d: Draft, t: dict[str, np.ndarray], rows: np.ndarray) -> None:
        for i in rows:
            if i == 0:  # nothing above to repeat
                blank(d, t, np.array([i]))
            else:
                t["claim_id"][i] = t["claim_id"][d.int(0, i - 1)]

    return spoil
