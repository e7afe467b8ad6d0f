"""Work done once per distinct value, then given to every row that holds it.

A batch of a million claims has few distinct dates, places, ages or amounts (and
officers type the same 是 and 青海 on every row). Parsing or formatting each distinct
value once and taking the result by row gives exactly what the per-row code gives,
since that code treats each row on its own, at a fraction of the cost.

:class:`Texts` keeps text per row in that form (the distinct strings, and each row's
position among them), so reasons can be joined once per distinct combination.
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
        values = np.append(self.values, "").astype(object)
        return Texts(np.where(mask, len(self.values), self.codes), values)


_MOST_COMBINATIONS = 2**62  # combined codes stay well inside int64


def combined_codes(parts: Sequence[tuple[np.ndarray, int]]) -> np.ndarray:
    """Each row's distinct combination of several codes (each given with how many values it
    numbers), numbered 0..k-1 in order of first appearance. The codes are combined as digits
    of one number, made distinct again only when that number would grow too large."""
    codes, size = np.zeros(len(parts[0][0]), dtype=np.int64), 1
    for own, count in parts:
        count = max(count, 1)
        if size * count >= _MOST_COMBINATIONS:
            codes, uniques = pd.factorize(codes)
            size = len(uniques)
        codes, size = codes * count + own, size * count
    return pd.factorize(codes)[0]


def distinct_rows(columns: Sequence[Values]) -> tuple[np.ndarray, np.ndarray]:
    """Each row's distinct combination of ``columns`` (codes 0..k-1), and one row of each."""
    return rows_of(combined_codes([_factorized(column) for column in columns]))


def rows_of(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``codes`` (0..k-1) with one row holding each."""
    one_row = np.empty(codes.max() + 1 if len(codes) else 0, dtype=np.intp)
    one_row[codes] = np.arange(len(codes))
    return codes, one_row


def _factorized(column: Values) -> tuple[np.ndarray, int]:
    own, uniques = pd.factorize(column, use_na_sentinel=False)
    return own, len(uniques)


def _pick(column: Values, rows: np.ndarray) -> Values:
    if isinstance(column, pd.Series):
        return column.iloc[rows].reset_index(drop=True)
    return np.asarray(column)[rows]


def distinct_picks(*columns: Values) -> tuple[np.ndarray, list[Values]]:
    """Each row's distinct combination of ``columns``, and the columns at one row of each."""
    codes, one_row = distinct_rows(columns)
    return codes, [_pick(column, one_row) for column in columns]


def per_distinct(build: Callable[..., Values], *columns: Values) -> Texts:
    """``build(*columns)`` (vectorised, each row on its own) run on one row per distinct
    combination of ``columns``, for every row."""
    codes, picked = distinct_picks(*columns)
    values = build(*picked)
    if isinstance(values, pd.Series):
        values = values.to_numpy(dtype=object)
    return Texts(codes, np.asarray(values, dtype=object))


def by_distinct(build: Callable[[pd.Index], Values], values: np.ndarray) -> np.ndarray:
    """``build(distinct values)`` (vectorised, each value on its own), for every row."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return np.asarray(build(uniques))[codes]
