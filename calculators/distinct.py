"""Work done once per distinct value, then given to every row that holds it.

A batch of a million claims has few distinct dates, places, ages or amounts (and
officers type the same 是 and 青海 on every row). Parsing or formatting each distinct
value once and taking the result by row gives exactly what the per-row code gives,
since that code treats each row on its own, at a fraction of the cost.

:class:`Texts` keeps text per row in that form (the distinct strings, and each row's
position among them): claim cells are read once per distinct text
(:func:`calculators.coerce.read_cells`), and reasons joined once per distinct combination.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

Values = pd.Series | np.ndarray  # one value per row

SAMPLE = 1_000  # cells looked at by looks_all_distinct


def looks_all_distinct(column: pd.Series) -> bool:
    """Whether a column is longer than SAMPLE cells and its first SAMPLE all differ (claim
    ids, 身份证号): then hashing every cell to find its twins costs more than it saves, and
    the work is better done cell by cell."""
    head = column.iloc[:SAMPLE]
    return len(column) > SAMPLE and head.nunique(dropna=False) == len(head)


def filled(n: int, value: object) -> np.ndarray:
    """An object array of ``n`` cells all holding ``value`` (``np.full`` with dtype=object
    is some 30 times slower)."""
    out = np.empty(n, dtype=object)
    out[:] = value
    return out


@dataclass(frozen=True)
class Texts:
    """Text per row: the distinct strings ``values`` and each row's index into them."""

    codes: np.ndarray
    values: np.ndarray

    @classmethod
    def of(cls, text: Texts | Values | str, n: int) -> Texts:
        """Any per-row text (a Series, an array or one string for every row) as ``Texts``."""
        if isinstance(text, Texts):
            return text
        if isinstance(text, str):
            return cls(np.zeros(n, dtype=np.intp), np.array([text], dtype=object))
        codes, values = pd.factorize(np.asarray(text, dtype=object), use_na_sentinel=False)
        return cls(codes, np.asarray(values, dtype=object))

    def blank_where(self, mask: np.ndarray) -> Texts:
        """The same text, but "" on the rows of ``mask``."""
        if not mask.any():
            return self
        values = np.append(self.values, "").astype(object)
        return Texts(np.where(mask, len(self.values), self.codes), values)

    @property
    def blank(self) -> np.ndarray:
        """Whether each row's text is ""."""
        return (self.values == "")[self.codes]

    def rows(self) -> np.ndarray:
        """The text of every row."""
        return self.values[self.codes]

    def spread(self, values: pd.Series, index: pd.Index) -> pd.Series:
        """``values`` (one for each of the distinct texts) given to the rows, under ``index``;
        without a copy when each row has a value of its own, in order."""
        if len(values) == len(self.codes) and (self.codes == np.arange(len(self.codes))).all():
            return values.set_axis(index)
        return values.take(self.codes).set_axis(index)


_MOST_COMBINATIONS = 2**62  # combined codes stay well inside int64


def combined_codes(parts: Sequence[tuple[np.ndarray, int]]) -> np.ndarray:
    """Each row's distinct combination of several codes (each given with how many values it
    numbers), numbered 0..k-1 (:func:`numbered`). The codes are combined as digits of one
    number, made compact again only when that number would grow too large."""
    codes, size = np.zeros(len(parts[0][0]), dtype=np.int64), 1
    for own, count in parts:
        count = max(count, 1)
        if size * count >= _MOST_COMBINATIONS:
            codes = numbered(codes, size)
            size = int(codes.max()) + 1
        codes, size = codes * count + own, size * count
    return numbered(codes, size)


_DENSE_PER_ROW = 8  # codes are numbered through a table while it has ≤ 8 cells a row


def numbered(codes: np.ndarray, size: int) -> np.ndarray:
    """Codes below ``size`` renumbered 0..k-1 (k: how many differ), by a table of ``size``
    cells while that is small, else by hashing; the same codes get the same number."""
    if size > _DENSE_PER_ROW * len(codes) + 1024:
        return pd.factorize(codes)[0]
    return _table_numbered(codes, size)[0]


def _table_numbered(codes: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`numbered` through a table of ``size`` cells, and which cells are taken (the
    distinct codes, in order)."""
    taken = np.zeros(size, dtype=bool)
    taken[codes] = True
    return (np.cumsum(taken) - 1)[codes], taken


def joined(parts: Sequence[Texts], n: int, sep: str = "; ") -> np.ndarray:
    """Each row's texts from ``parts``, those that are not blank, joined by ``sep``: once per
    distinct combination of the parts' codes, in one join each. Neighbouring parts with few
    combinations between them (:func:`_runs`) are joined first, so the rows' texts are
    made from fewer, longer pieces; leaving out blanks at each step leaves them out of all."""
    if not parts:
        return filled(n, "")
    runs = [run[0] if len(run) == 1 else _joined_once(run, sep) for run in _runs(parts, n)]
    text = _joined_once(runs, sep)
    return text.values[text.codes]


_RUN_ROWS_PER_COMBINATION = 8  # a run of parts is joined first while it has ≤ n / 8 combinations


def _runs(parts: Sequence[Texts], n: int) -> list[list[Texts]]:
    """``parts`` in runs of neighbours whose combinations number at most n / 8 (a part coded
    by the same array as one before it in the run adds none: two labels of the same rows)."""
    limit = max(n // _RUN_ROWS_PER_COMBINATION, 1)
    runs, size = [[parts[0]]], max(len(parts[0].values), 1)
    for part in parts[1:]:
        run = runs[-1]
        count = 1 if _coded_alike(part, run) else max(len(part.values), 1)
        if count == 1 or size * count <= limit:  # no more combinations, or few enough
            run.append(part)
            size *= count
        else:
            runs.append([part])
            size = max(len(part.values), 1)
    return runs


def _coded_alike(part: Texts, others: Sequence[Texts]) -> bool:
    return any(part.codes is other.codes for other in others)


def _joined_once(parts: Sequence[Texts], sep: str) -> Texts:
    """The parts' non-blank texts joined by ``sep``, once per distinct combination of codes."""
    own = [  # a part coded alike with one before it: its rows are told apart already
        (part.codes, len(part.values))
        for position, part in enumerate(parts)
        if not _coded_alike(part, parts[:position])
    ]
    codes, one_row = rows_of(combined_codes(own))
    columns = [part.values[part.codes[one_row]].tolist() for part in parts]
    combinations = zip(*columns, strict=True)
    if any((part.values == "").any() for part in parts):
        texts = [sep.join(p for p in each if p != "") for each in combinations]
    else:  # no blank to leave out
        texts = list(map(sep.join, combinations))
    return Texts(codes, np.array(texts, dtype=object))


PerRow = Values | Texts  # per-row values, or text already coded by its distinct values


def distinct_rows(columns: Sequence[PerRow]) -> tuple[np.ndarray, np.ndarray]:
    """Each row's distinct combination of ``columns`` (codes 0..k-1), and one row of each."""
    return rows_of(combined_codes([_factorized(column) for column in columns]))


def rows_of(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``codes`` (0..k-1) with one row holding each."""
    one_row = np.empty(codes.max() + 1 if len(codes) else 0, dtype=np.intp)
    one_row[codes] = np.arange(len(codes))
    return codes, one_row


def _factorized(column: PerRow) -> tuple[np.ndarray, int]:
    """Each row's code for its value, and how many codes there are: :class:`Texts` by its
    own codes, a column of many whole numbers, dates or flags within a small range by its
    offset from the least (no hashing), anything else by ``pd.factorize``."""
    if isinstance(column, Texts):
        return column.codes, len(column.values)
    offsets = _offsets(column.to_numpy() if isinstance(column, pd.Series) else np.asarray(column))
    if offsets is not None:
        return offsets[:2]
    own, uniques = pd.factorize(column, use_na_sentinel=False)
    return own, len(uniques)


def _offsets(values: np.ndarray) -> tuple[np.ndarray, int, int] | None:
    """Whole numbers, dates or flags (no NaT) as offsets from the least, with the size of
    their range and the least (as a number), when there are many of them and the range is
    under 8 cells a row."""
    if len(values) < 4096 or values.dtype.kind not in "biuMm":
        return None
    if values.dtype.kind in "Mm":
        if np.isnat(values).any():
            return None
        values = values.view(np.int64)
    values = values.astype(np.int64, copy=False)
    low, high = int(values.min()), int(values.max())
    if high - low >= _DENSE_PER_ROW * len(values):
        return None
    return values - low, high - low + 1, low


def _pick(column: PerRow, rows: np.ndarray) -> Values:
    if isinstance(column, Texts):
        return column.values[column.codes[rows]]
    if isinstance(column, pd.Series):
        return column.iloc[rows].reset_index(drop=True)
    return np.asarray(column)[rows]


def distinct_picks(*columns: PerRow) -> tuple[np.ndarray, list[Values]]:
    """Each row's distinct combination of ``columns``, and the columns at one row of each."""
    codes, one_row = distinct_rows(columns)
    return codes, [_pick(column, one_row) for column in columns]


def per_distinct(build: Callable[..., Values], *columns: PerRow) -> Texts:
    """``build(*columns)`` (vectorised, each row on its own) run on one row per distinct
    combination of ``columns``, for every row."""
    codes, picked = distinct_picks(*columns)
    values = build(*picked)
    if isinstance(values, pd.Series):
        values = values.to_numpy(dtype=object)
    return Texts(codes, np.asarray(values, dtype=object))


def by_distinct(build: Callable[[pd.Index], Values], values: np.ndarray) -> np.ndarray:
    """``build(distinct values)`` (vectorised, each value on its own), for every row."""
    offsets = _offsets(values) if values.dtype.kind in "iu" else None
    if offsets is None:
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
    else:  # whole numbers by their offsets from the least: no hashing
        own, size, low = offsets
        codes, taken = _table_numbered(own, size)
        uniques = pd.Index((np.flatnonzero(taken) + low).astype(values.dtype))
    return np.asarray(build(uniques))[codes]
