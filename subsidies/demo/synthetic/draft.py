"""One batch of claims while it is made: typed columns, the program's parameters in force,
and the random pieces (dates, people, 身份证号, 统一社会信用代码, unit names)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from calculators.parameters import Program
from calculators.template import Template
from subsidies.demo.synthetic import places
from subsidies.domain.identity import (
    CREDIT_ALPHABET,
    RESIDENT_CHECK,
    RESIDENT_WEIGHTS,
    credit_code_check_character,
    resident_id_check_character,
)
from subsidies.domain.periods import add_months

DAY = np.timedelta64(1, "D")
NAT = np.datetime64("NaT", "D")


class Draft:
    """Typed columns of one batch while it is made: dates as ``datetime64[D]``, yes/no as
    bool, enumerations as their English values, amounts as fen, percentages as hundredths,
    provinces and everything else already as the text an officer types.

    Every date is on or after :attr:`effective` (the document's effective date, or the
    latest change of any of the program's parameters within the year, if later) and on or
    before 31 December: each row's parameters in force are then those of :meth:`value`."""

    def __init__(self, g: np.random.Generator, n: int, year: int, program: Program, template):
        self.g, self.n, self.year = g, n, year
        self.program: Program = program
        self.template: Template = template
        self.last = np.datetime64(f"{year}-12-31", "D")
        self.effective = np.datetime64(_last_change(program, year), "D")
        self.cols: dict[str, np.ndarray] = {}
        self.taken: set[str] = set()  # identity numbers in use (this batch and the earlier one)
        self.province = ""  # where units are named after (FLAVOUR)
        self.pool: dict[str, tuple] = {}  # what a program draws repeat rows from (employers)

    # -- the program
    def value(self, name: str) -> Any:
        """The parameter ``name`` in force on every date of the batch (31 December)."""
        return self.program.parameter(name).at(self.last.item()).value

    def choices(self, column: str, exclude=()) -> tuple[str, ...]:
        """The English values of a choice column, less ``exclude``."""
        return tuple(
            c.value for c in self.template.column(column).choices if c.value not in exclude
        )

    def label(self, column: str, value: str) -> str:
        """The Chinese label of a choice's value (其他 for other)."""
        return self.template.column(column).label_of(value)

    # -- random pieces
    def day(self, month: int, day: int) -> np.datetime64:
        return np.datetime64(dt.date(self.year, month, day), "D")

    def dates(self, lo, hi, k: int) -> np.ndarray:
        """``k`` days in [lo, hi], never before :attr:`effective`."""
        lo = max(np.datetime64(lo, "D"), self.effective)
        hi = max(np.datetime64(hi, "D"), lo)
        span = int((hi - lo) / DAY) + 1
        return lo + self.g.integers(0, span, k).astype("timedelta64[D]")

    def pick(self, options, k: int, p=None) -> np.ndarray:
        options = list(options)
        return np.array(options, dtype=object)[self.g.choice(len(options), k, p=p)]

    def one(self, options, p=None):
        return self.pick(options, 1, p)[0]

    def ints(self, lo: int, hi: int, k: int) -> np.ndarray:
        """``k`` whole numbers in [lo, hi]."""
        return self.g.integers(lo, hi + 1, k)

    def int(self, lo: int, hi: int) -> int:
        return int(self.ints(lo, hi, 1)[0])

    def put(self, name: str, rows, value) -> None:
        self.cols[name][rows] = value

    def row(self, i: int) -> dict:
        return {name: values[i] for name, values in self.cols.items()}

    # -- people and units
    def people(self, k, regions, on, min_age=18, max_age=60, tibetan=0.0):
        """Names and valid, unused 身份证号, aged [min_age, max_age) on the dates ``on``."""
        on = np.broadcast_to(np.asarray(on, dtype="datetime64[D]"), (k,))
        births = self.births(on, min_age, max_age)
        return self.names(k, tibetan), self.resident_ids(self.pick(regions, k), births)

    def births(self, on: np.ndarray, min_age: int, max_age: int) -> np.ndarray:
        latest = add_months(on, -12 * min_age)  # born on or before: aged min_age or more
        earliest = add_months(on, -12 * max_age) + DAY  # born after: younger than max_age
        span = ((latest - earliest) / DAY).astype(np.int64) + 1
        return earliest + (self.g.random(len(on)) * span).astype(np.int64).astype("timedelta64[D]")

    def resident_ids(self, regions, births) -> np.ndarray:
        """Valid 身份证号 none of which is in use, from 6-digit region codes and birth dates:
        the sequence number is drawn, and drawn again for an id already taken."""
        k = len(births)
        head = np.concatenate(
            [_digits(np.asarray(regions).astype(np.int64), 6), _digits(_yyyymmdd(births), 8)],
            axis=1,
        )
        sequence = self.g.integers(1, 1000, k)
        redraw = np.ones(k, dtype=bool)
        ids = np.empty(k, dtype=object)
        while redraw.any():
            sequence[redraw] = self.g.integers(1, 1000, int(redraw.sum()))
            ids = _resident_ids(np.concatenate([head, _digits(sequence, 3)], axis=1))
            drawn = pd.Series(ids, dtype=object)
            redraw = (drawn.duplicated() | drawn.isin(self.taken)).to_numpy()
        self.taken.update(ids)
        return ids

    def credit_codes(self, prefixes) -> np.ndarray:
        """Valid, unused 统一社会信用代码 under 8-character prefixes (authority, category, region)."""
        k = len(prefixes)
        g = self.g
        # the 9-character organisation code: MA… since 2015, or an old 组织机构代码 carried over
        alphabet = np.frombuffer(CREDIT_ALPHABET.encode(), dtype="S1")
        new = np.hstack([np.full((k, 2), [b"M", b"A"]), alphabet[g.integers(0, 31, (k, 7))]])
        old = np.hstack([alphabet[g.integers(0, 10, (k, 8))], alphabet[g.integers(0, 31, (k, 1))]])
        bodies = np.where((g.random(k) < 0.6)[:, None], new, old).view("S9").ravel()
        out = np.empty(k, dtype=object)
        for i, (prefix, body) in enumerate(zip(prefixes, bodies, strict=True)):
            first = f"{prefix}{body.decode()}"
            while True:
                full = first + credit_code_check_character(first)
                if full not in self.taken and not _reads_as_resident_id(full):
                    break
                first = first[:-1] + CREDIT_ALPHABET[int(g.integers(0, 31))]
            self.taken.add(full)
            out[i] = full
        return out

    def credit_prefixes(self, k: int, head, table) -> np.ndarray:
        """``91`` (or ``head``) + a region code, city level as most units register (630100 …)."""
        regions = self.pick(places.codes(table), k)
        city = np.where(self.g.random(k) < 0.5, [r[:4] + "00" for r in regions], regions)
        return (np.asarray(head, dtype=object) + city).astype(object)

    def names(self, k: int, tibetan: float = 0.0) -> np.ndarray:
        g = self.g
        han = self.pick(places.SURNAMES, k) + self.pick(places.GIVEN, k)
        han = han + np.where(g.random(k) < 0.6, self.pick(places.GIVEN, k), "")
        tib = self.pick(places.TIBETAN, k) + self.pick(places.TIBETAN, k)
        return np.where(g.random(k) < tibetan, tib, han).astype(object)

    def unit_names(self, k: int, where, trades, suffixes) -> np.ndarray:
        zihao = places.ZIHAO + places.FLAVOUR.get(self.province, ())
        return (
            self.pick(where, k)
            + self.pick(zihao, k)
            + self.pick(trades, k)
            + self.pick(suffixes, k)
        ).astype(object)


def _last_change(program: Program, year: int) -> dt.date:
    """The document's effective date, or the latest start of a parameter's value within
    ``year`` if that is later."""
    end = dt.date(year, 12, 31)
    starts = [
        value.start
        for parameter in program.parameters.values()
        for value in parameter.values
        if value.start <= end
    ]
    return max([program.in_force_from, *starts])


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers as an (n, width) array of their decimal digits."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (np.asarray(values, dtype=np.int64)[:, None] // powers) % 10


def _yyyymmdd(days: np.ndarray) -> np.ndarray:
    days = np.asarray(days, dtype="datetime64[D]")
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    months = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dom = (days - days.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    return years * 10_000 + months * 100 + dom


def ascii_text(codes: np.ndarray) -> np.ndarray:
    """An (n, width) array of ASCII codes as an object array of str, in one decode."""
    n, width = codes.shape
    lines = np.empty((n, width + 1), dtype=np.uint8)
    lines[:, :width] = codes
    lines[:, width] = ord("\n")
    return np.array(lines.tobytes().decode("ascii").split("\n")[:n], dtype=object)


def _resident_ids(first17: np.ndarray) -> np.ndarray:
    """18-character 身份证号 from (n, 17) digits, with the MOD 11-2 check character."""
    codes = np.empty((len(first17), 18), dtype=np.uint8)
    codes[:, :17] = first17 + ord("0")
    check = np.frombuffer(RESIDENT_CHECK.encode(), dtype=np.uint8)
    codes[:, 17] = check[(first17 @ RESIDENT_WEIGHTS) % 11]
    return ascii_text(codes)


def _reads_as_resident_id(code: str) -> bool:
    """Whether a 统一社会信用代码 also passes the 身份证号 check character (17 digits first):
    such a code may be taken for a 身份证号 if its digits also read as a place and a birth
    date, so the generator never makes one."""
    return code[:17].isdigit() and resident_id_check_character(code[:17]) == code[17]


def plus_months(dates, months):
    """``dates`` + ``months`` calendar months: an array, or one day for one day."""
    values = np.asarray(dates, dtype="datetime64[D]")
    if values.ndim == 0:
        return add_months(values.reshape(1), int(months))[0]
    return add_months(values, months)


def days(k) -> np.ndarray:
    return np.asarray(k, dtype=np.int64).astype("timedelta64[D]")
