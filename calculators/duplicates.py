"""One-time keys ("一次性") and overlapping periods, within a file and against earlier claims.

As ``docs/policies/README.md`` reads "一次性": a key is taken only by an
``eligible`` claim (a refused claim does not block a corrected one), and of two
claims with the same key the later row is the ``duplicate``, naming the first.
A rule with several keys (startup grant: the founder, and the business) refuses a
claim when *any* of its keys is taken. The goji broker subsidy is not one-time,
but the same worker on two claims whose picking periods share a day is a
duplicate of the earlier eligible one.

:mod:`calculators.duplicates_reference` is the plain reading, one claim after another;
this module gives the same reasons with whole-array steps: earlier claims matched by
lookups, which claims take their keys or periods found by :mod:`calculators.first_claims`,
and each duplicate's reason written for all duplicates at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from calculators import duplicate_reasons as say
from calculators.distinct import by_distinct, distinct_rows, filled
from calculators.first_claims import Periods, first_keys, first_periods

if TYPE_CHECKING:
    from calculators.base import Calculator, OneTimeKey


def screening_columns(calculator: Calculator) -> list[str]:
    """The typed columns a later batch is screened on (one-time keys, overlap person and dates)."""
    columns = [c for key in calculator.one_time_keys for c in key.columns]
    if calculator.overlap is not None:
        o = calculator.overlap
        columns += [o.person, o.start, o.end]
    return list(dict.fromkeys(columns))


def find_duplicates(
    calculator: Calculator,
    claims: pd.DataFrame,
    eligible: pd.Series,
    row_numbers: pd.Series,
    prior: pd.DataFrame | None = None,
) -> pd.Series:
    """For each row, "" or the reason it duplicates an earlier claim (``row_numbers``: each
    claim's row in the file, in the order of ``claims``)."""
    out = filled(len(claims), "")
    open_ = eligible.to_numpy(dtype=bool).copy()
    if open_.any():
        if prior is not None and len(prior):
            _against_prior(calculator, claims, open_, prior, out)
        numbers = row_numbers.to_numpy()
        if calculator.one_time_keys:
            _one_time_in_file(calculator, claims, open_, numbers, out)
        if calculator.overlap is not None:
            _overlap_in_file(calculator, claims, open_, numbers, out)
    return pd.Series(out, index=claims.index, dtype=object)


def _text(values: pd.Series) -> np.ndarray:
    """Each value as an f-string shows it: text as it is, whole numbers as digits, anything
    else formatted once per distinct value."""
    if pd.api.types.is_string_dtype(values.dtype) and not values.hasnans:
        return values.to_numpy(dtype=object)
    if pd.api.types.is_integer_dtype(values.dtype) and not values.hasnans:
        return values.to_numpy().astype(str).astype(object)
    shown = by_distinct(lambda distinct: [f"{v}" for v in distinct], values.to_numpy(dtype=object))
    return shown.astype(object)


def _days(values: pd.Series) -> np.ndarray:
    """Dates as whole days (numbers)."""
    return values.to_numpy().astype("datetime64[D]").astype(np.int64)


def _iso(days: np.ndarray) -> np.ndarray:
    """Whole days as YYYY-MM-DD, each distinct day formatted once."""
    shown = by_distinct(
        lambda distinct: [f"{d:%Y-%m-%d}" for d in pd.to_datetime(distinct, unit="D")], days
    )
    return shown.astype(object)


def _described(calculator, key: OneTimeKey, claims: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """A key's columns and their values, for ``rows`` (:func:`duplicate_reasons.described`)."""
    texts = {c: _text(claims[c].iloc[rows]) for c in key.columns}
    return say.described(calculator, key.columns, texts)


def _one_time_in_file(calculator, claims, open_, numbers, out) -> None:
    """Of the open claims, a claim holding a key an earlier one took is a duplicate naming
    the claim that took the first of its keys (in the rule's order) that was taken."""
    rows = np.flatnonzero(open_)
    keys = calculator.one_time_keys
    shared = np.zeros(len(rows), dtype=bool)
    for key in keys:
        values = claims[list(key.columns)].iloc[rows]
        shared |= values.duplicated(keep=False).to_numpy()
    rows = rows[shared]  # a claim holding no value another holds takes its keys
    if not len(rows):
        return
    codes = [distinct_rows([claims[c].iloc[rows] for c in key.columns])[0] for key in keys]
    takes = first_keys(codes)
    duplicate = np.flatnonzero(~takes)
    if not len(duplicate):
        return
    unnamed = np.ones(len(duplicate), dtype=bool)
    ids = claims["claim_id"]
    for key, own in zip(keys, codes, strict=True):
        holder = np.full(int(own.max()) + 1, -1, dtype=np.int64)
        holder[own[takes]] = np.flatnonzero(takes)
        first = holder[own[duplicate]]
        named = unnamed & (first >= 0) & (first < duplicate)
        if not named.any():
            continue
        unnamed &= ~named
        at, by = rows[duplicate[named]], rows[first[named]]
        out[at] = say.key_in_file(
            key.label,
            _described(calculator, key, claims, at),
            _text(ids.iloc[by]),
            _text(pd.Series(numbers[by])),
        )
    open_[rows[duplicate]] = False


def _overlap_in_file(calculator, claims, open_, numbers, out) -> None:
    """Of the open claims, a claim whose period shares a day with a period an earlier claim
    of the person took is a duplicate naming the first such claim in file order."""
    o = calculator.overlap
    rows = np.flatnonzero(open_)
    shared = claims[o.person].iloc[rows].duplicated(keep=False).to_numpy()
    rows = rows[shared]  # only a person's several claims can clash
    if not len(rows):
        return
    person = pd.factorize(claims[o.person].iloc[rows], use_na_sentinel=False)[0]
    start, end = _days(claims[o.start].iloc[rows]), _days(claims[o.end].iloc[rows])
    takes = first_periods(person, start, end)
    duplicate = np.flatnonzero(~takes)
    if not len(duplicate):
        return
    first = Periods(person, start, end, takes).first_overlapping(duplicate)
    at, by = rows[duplicate], rows[first]
    out[at] = say.overlap_in_file(
        o.label,
        _text(claims[o.person].iloc[at]),
        say.period(_iso(start[duplicate]), _iso(end[duplicate])),
        _text(claims["claim_id"].iloc[by]),
        _text(pd.Series(numbers[by])),
        say.period(_iso(start[first]), _iso(end[first])),
    )
    open_[at] = False


def _against_prior(calculator, claims, open_, prior, out) -> None:
    """Earlier claims (in the ledger) take their keys first: a claim_id, then each one-time
    key, then an overlapping period seen in ``prior`` (which has ``source``) names the first
    prior claim holding it."""
    source = prior["source"].to_numpy(dtype=object)
    prior_ids = _text(prior["claim_id"].reset_index(drop=True))
    rows = np.flatnonzero(open_)
    at = _first_match(prior[["claim_id"]], claims[["claim_id"]].iloc[rows])
    hit = at >= 0
    out[rows[hit]] = say.claim_id_before(_text(claims["claim_id"].iloc[rows[hit]]), source[at[hit]])
    open_[rows[hit]] = False
    for key in calculator.one_time_keys:
        columns = list(key.columns)
        rows = np.flatnonzero(open_)
        at = _first_match(prior[columns], claims[columns].iloc[rows])
        hit = at >= 0
        out[rows[hit]] = say.key_before(
            key.label,
            _described(calculator, key, claims, rows[hit]),
            prior_ids[at[hit]],
            source[at[hit]],
        )
        open_[rows[hit]] = False
    if calculator.overlap is not None:
        _overlapping_prior(calculator.overlap, claims, open_, prior, prior_ids, source, out)


def _first_match(prior: pd.DataFrame, claims: pd.DataFrame) -> np.ndarray:
    """For each claim, the first prior row (position) with the same values, or -1."""
    if not len(claims):
        return np.zeros(0, dtype=np.int64)
    both = pd.concat([prior, claims], ignore_index=True)
    codes = distinct_rows([both[c].astype(object) for c in both.columns])[0]
    held, own = codes[: len(prior)], codes[len(prior) :]
    first = np.full(int(codes.max()) + 1, -1, dtype=np.int64)
    values, at = np.unique(held, return_index=True)  # each value's first prior row
    first[values] = at
    return first[own]


def _overlapping_prior(o, claims, open_, prior, prior_ids, source, out) -> None:
    rows = np.flatnonzero(open_)
    if not len(rows):
        return
    persons = pd.concat([prior[o.person], claims[o.person].iloc[rows]], ignore_index=True)
    person = pd.factorize(persons.astype(object), use_na_sentinel=False)[0]
    earlier = pd.DataFrame(
        {
            "person": person[: len(prior)],
            "p_start": _days(prior[o.start]),
            "p_end": _days(prior[o.end]),
            "p": np.arange(len(prior)),
        }
    )
    candidates = pd.DataFrame(
        {
            "person": person[len(prior) :],
            "start": _days(claims[o.start].iloc[rows]),
            "end": _days(claims[o.end].iloc[rows]),
            "c": np.arange(len(rows)),
        }
    )
    hits = candidates.merge(earlier, on="person")
    hits = hits[(hits["start"] <= hits["p_end"]) & (hits["p_start"] <= hits["end"])]
    hits = hits.sort_values(["c", "p"]).drop_duplicates("c")
    if hits.empty:
        return
    c, p = hits["c"].to_numpy(), hits["p"].to_numpy()
    at = rows[c]
    out[at] = say.overlap_before(
        o.label,
        _text(claims[o.person].iloc[at]),
        say.period(_iso(hits["start"].to_numpy()), _iso(hits["end"].to_numpy())),
        prior_ids[p],
        source[p],
        say.period(_iso(hits["p_start"].to_numpy()), _iso(hits["p_end"].to_numpy())),
    )
    open_[at] = False
