"""The plain reading of the one-time and overlap rules, one claim after another: the
reference :mod:`calculators.duplicates` is held to (same statuses, same reasons) by
``tests/calculators/test_duplicates.py`` and ``bench/calc.py``.

As ``docs/policies/README.md`` reads "一次性", walking the eligible claims in file order:

1. Earlier claims (``prior``: the ledger's, each with its ``source``) come first. A claim
   whose claim_id is there, else whose one-time key (each key in turn) is there, else
   whose period overlaps a prior period of the same person, is a duplicate naming the
   first such prior claim.
2. One-time keys in the file: a claim none of whose keys is taken takes them all; a claim
   with a key taken is a duplicate naming the claim that took the first of its keys
   (in the rule's order) that is taken.
3. Overlapping periods in the file, over the claims still open after 2: a claim whose
   period shares a day with no period taken by the same person takes it; the others are
   duplicates naming the first claim (in file order) whose period they overlap.

No rule has both one-time keys and an overlap key today; were one to, a claim made a
duplicate by its period in 3 would still hold the keys it took in 2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from calculators import duplicate_reasons as say

if TYPE_CHECKING:
    from calculators.base import Calculator


def find_duplicates(
    calculator: Calculator,
    claims: pd.DataFrame,
    eligible: pd.Series,
    row_numbers: pd.Series,
    prior: pd.DataFrame | None = None,
) -> pd.Series:
    """For each row, "" or the reason it duplicates an earlier claim (``row_numbers``: each
    claim's row in the file, in the order of ``claims``)."""
    reasons = [""] * len(claims)
    cell = {c: claims[c].to_numpy(dtype=object) for c in claims.columns}
    rows = np.flatnonzero(eligible.to_numpy(dtype=bool))
    numbers = row_numbers.to_numpy()
    if prior is not None and len(prior):
        first_in_prior = _first_in_prior(calculator, prior)
        for i in rows:
            reasons[i] = _against_prior(calculator, cell, i, prior, first_in_prior)
    keys = calculator.one_time_keys
    taken: dict[tuple, int] = {}
    for i in rows:
        if reasons[i] or not keys:
            continue
        for key in keys:
            value = (key.label, *(cell[c][i] for c in key.columns))
            if value in taken:
                first = taken[value]
                reasons[i] = say.key_in_file(
                    key.label,
                    _described(calculator, key.columns, cell, i),
                    f"{cell['claim_id'][first]}",
                    f"{numbers[first]}",
                )
                break
        else:
            for key in keys:
                taken[(key.label, *(cell[c][i] for c in key.columns))] = i
    overlap = calculator.overlap
    periods: dict[object, list[int]] = {}  # person -> the rows whose periods are taken
    for i in rows:
        if reasons[i] or overlap is None:
            continue
        person, start, end = (cell[c][i] for c in (overlap.person, overlap.start, overlap.end))
        clash = next(
            (
                j
                for j in periods.get(person, [])
                if cell[overlap.start][j] <= end and start <= cell[overlap.end][j]
            ),
            None,
        )
        if clash is None:
            periods.setdefault(person, []).append(i)
        else:
            reasons[i] = say.overlap_in_file(
                overlap.label,
                f"{person}",
                _period(start, end),
                f"{cell['claim_id'][clash]}",
                f"{numbers[clash]}",
                _period(cell[overlap.start][clash], cell[overlap.end][clash]),
            )
    return pd.Series(reasons, index=claims.index, dtype=object)


def _first_in_prior(calculator: Calculator, prior: pd.DataFrame) -> dict[tuple, int]:
    """The first prior row (in ``prior``'s order) holding each claim_id and each key."""
    first: dict[tuple, int] = {}
    for p in range(len(prior)):
        first.setdefault(("claim_id", prior["claim_id"].iat[p]), p)
        for key in calculator.one_time_keys:
            value = (key.label, *(prior[c].iat[p] for c in key.columns))
            first.setdefault(value, p)
    return first


def _against_prior(calculator, cell, i, prior, first_in_prior) -> str:
    """Row ``i``'s reason from the prior claims, or ""."""
    p = first_in_prior.get(("claim_id", cell["claim_id"][i]))
    if p is not None:
        return say.claim_id_before(f"{cell['claim_id'][i]}", prior["source"].iat[p])
    for key in calculator.one_time_keys:
        p = first_in_prior.get((key.label, *(cell[c][i] for c in key.columns)))
        if p is not None:
            return say.key_before(
                key.label,
                _described(calculator, key.columns, cell, i),
                f"{prior['claim_id'].iat[p]}",
                prior["source"].iat[p],
            )
    o = calculator.overlap
    if o is None:
        return ""
    person, start, end = (cell[c][i] for c in (o.person, o.start, o.end))
    for p in range(len(prior)):
        if prior[o.person].iat[p] == person:
            p_start, p_end = prior[o.start].iat[p], prior[o.end].iat[p]
            if p_start <= end and start <= p_end:
                return say.overlap_before(
                    o.label,
                    f"{person}",
                    _period(start, end),
                    f"{prior['claim_id'].iat[p]}",
                    prior["source"].iat[p],
                    _period(p_start, p_end),
                )
    return ""


def _described(calculator: Calculator, columns, cell, i) -> str:
    return say.described(calculator, columns, {c: f"{cell[c][i]}" for c in columns})


def _period(start, end) -> str:
    return say.period(f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}")
