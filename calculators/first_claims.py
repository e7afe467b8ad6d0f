"""Which claims come first: the claims that take their one-time keys, or their periods, when
the eligible claims of a file are walked in file order (:mod:`calculators.duplicates_reference`),
found with whole-array steps.

Walking the claims, a claim takes its keys when no earlier claim took one of them; whether
an earlier claim took them hangs on the claims before it. So the walk is settled in rounds,
each deciding at once every claim whose fate the decided ones already fix:

- a claim holding a key (or a period sharing a day with a period) taken by a decided claim
  is a duplicate: what a claim takes is taken before every claim that could still be open
  on it;
- a claim whose keys no undecided earlier claim holds (or whose period no undecided
  earlier claim of the person overlaps, seen as: it overlaps no other undecided claim of
  the person, or it is the person's first undecided claim), and no decided claim took,
  takes them.

The earliest undecided claim is always decided, and in a real file (a person claimed two
or three times) nearly all are in the first round or two. Claims that each hang on the one
before in a long chain (a claim overlapping the next, each of a hundred times) would take
a round each: once a round decides less than ``CHAIN_SHARE`` of the claims left, those are
walked one by one, as the reference walks them.

Positions are a claim's place among the claims looked at, in file order.
"""

from __future__ import annotations

import bisect

import numpy as np
import pandas as pd

CHAIN_SHARE = 0.2


def first_keys(codes: list[np.ndarray]) -> np.ndarray:
    """Whether each claim takes its keys: ``codes[k][i]`` numbers claim i's value of key k
    (0..n-1); a claim takes all its keys when none is taken."""
    n = len(codes[0]) if codes else 0
    takes = np.ones(n, dtype=bool)  # a claim no other claim shares a value with takes its keys
    for own in codes:
        takes &= np.bincount(own)[own] == 1
    contested = np.flatnonzero(~takes)
    if len(contested):
        takes[contested] = _settle_keys([own[contested] for own in codes])
    return takes


def _settle_keys(codes: list[np.ndarray]) -> np.ndarray:
    """:func:`first_keys` in rounds, then the walk."""
    n = len(codes[0])
    takes = np.zeros(n, dtype=bool)
    holder = [np.full(int(own.max()) + 1, -1, dtype=np.int64) for own in codes]
    open_ = np.arange(n)
    while len(open_):
        taken = np.zeros(len(open_), dtype=bool)
        first = np.ones(len(open_), dtype=bool)
        for own, held in zip(codes, holder, strict=True):
            values = own[open_]
            taken |= held[values] >= 0
            first &= ~pd.Series(values).duplicated().to_numpy()
        claimed = first & ~taken
        takes[open_[claimed]] = True
        later = ~claimed & ~taken
        for own, held in zip(codes, holder, strict=True):
            held[own[open_[claimed]]] = open_[claimed]
            taken[later] |= held[own[open_[later]]] >= 0
        decided = claimed | taken
        open_ = open_[~decided]
        if len(open_) and decided.sum() < CHAIN_SHARE * (len(open_) + decided.sum()):
            _walk_keys(codes, holder, open_, takes)
            break
    return takes


def _walk_keys(codes, holder, rows: np.ndarray, takes: np.ndarray) -> None:
    """The reference's walk over ``rows`` (in order), the keys decided so far held."""
    own = [c[rows].tolist() for c in codes]
    held = [h.tolist() for h in holder]
    for k, row in enumerate(rows.tolist()):
        if all(h[o[k]] < 0 for h, o in zip(held, own, strict=True)):
            takes[row] = True
            for h, o in zip(held, own, strict=True):
                h[o[k]] = row


def first_periods(person: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Whether each claim takes its period: ``person`` numbers the person (0..n-1), ``start``
    and ``end`` are whole days (inclusive); a claim takes its period when it shares no day
    with a period the same person's claims took."""
    takes = np.bincount(person)[person] == 1  # a person's only claim takes its period
    contested = np.flatnonzero(~takes)
    if len(contested):
        takes[contested] = _settle_periods(person[contested], start[contested], end[contested])
    return takes


def _settle_periods(person: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """:func:`first_periods` in rounds, then the walk."""
    takes = np.zeros(len(person), dtype=bool)
    open_ = np.arange(len(person))
    while len(open_):
        clash = Periods(person, start, end, takes).overlapping(open_)
        free = ~clash & _first_or_alone(person, start, end, open_)
        takes[open_[free]] = True
        later = ~free & ~clash
        clash[later] = Periods(person, start, end, takes).overlapping(open_[later])
        decided = free | clash
        open_ = open_[~decided]
        if len(open_) and decided.sum() < CHAIN_SHARE * (len(open_) + decided.sum()):
            _walk_periods(person, start, end, open_, takes)
            break
    return takes


def _first_or_alone(person, start, end, rows: np.ndarray) -> np.ndarray:
    """Of ``rows`` (undecided, in order): each person's first, and those whose period shares
    no day with another of ``rows`` of the same person."""
    who = person[rows].astype(np.int64)
    first = ~pd.Series(who).duplicated().to_numpy()
    order = np.lexsort((start[rows], who))
    p, s, e = who[order], start[rows][order], end[rows][order]
    same_before = np.r_[False, p[1:] == p[:-1]]
    # the latest end among the person's periods that start no later and come before in this
    # order: a running maximum of person and end as one number (persons are in order)
    low, width = int(e.min()), int(e.max()) - int(e.min()) + 1
    reach = np.maximum.accumulate(p * width + (e - low)) - p * width + low
    before = np.r_[low - 1, reach[:-1]]
    touched = same_before & (before >= s)
    touched[:-1] |= (p[1:] == p[:-1]) & (s[1:] <= e[:-1])  # the next one starts in it
    alone = np.empty(len(rows), dtype=bool)
    alone[order] = ~touched
    return first | alone


class Periods:
    """The periods taken (``takes``), which never share a day within a person, sorted by
    person and start: their ends are then sorted too."""

    def __init__(self, person, start, end, takes: np.ndarray):
        rows = np.flatnonzero(takes)
        self.low = int(start.min()) if len(start) else 0
        self.width = (int(end.max()) - self.low + 2) if len(end) else 1
        self.person, self.start, self.end = person, start, end
        by_start = self._key(person[rows], start[rows])
        order = np.argsort(by_start, kind="stable")
        self.rows = rows[order]
        self.by_start = by_start[order]
        self.by_end = self._key(person[self.rows], end[self.rows])

    def _key(self, who: np.ndarray, day: np.ndarray) -> np.ndarray:
        return who.astype(np.int64) * self.width + (day.astype(np.int64) - self.low)

    def around(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each of ``rows``, the range [lo, hi] (positions among the taken periods) of
        the taken periods of the same person that share a day with its period (empty when
        hi < lo)."""
        who = self.person[rows]
        lo = np.searchsorted(self.by_end, self._key(who, self.start[rows]), side="left")
        hi = np.searchsorted(self.by_start, self._key(who, self.end[rows]), side="right") - 1
        return lo, hi

    def overlapping(self, rows: np.ndarray) -> np.ndarray:
        """Whether each of ``rows`` shares a day with a taken period of the same person."""
        lo, hi = self.around(rows)
        return lo <= hi

    def first_overlapping(self, rows: np.ndarray) -> np.ndarray:
        """For each of ``rows`` (each overlapping a taken period), the earliest claim, in
        file order, among the taken periods it overlaps."""
        lo, hi = self.around(rows)
        return self.rows_min(lo, hi)

    def rows_min(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """The least row in each range [lo, hi] of the taken periods (a sparse table of
        minima over ranges of 2**j, built only as far as the longest range needs)."""
        span = hi - lo + 1
        levels = [self.rows]
        while (1 << len(levels)) <= span.max():
            step = 1 << (len(levels) - 1)
            last = levels[-1]
            levels.append(np.minimum(last[:-step], last[step:]))
        level = np.floor(np.log2(span)).astype(np.int64)
        out = np.empty(len(lo), dtype=np.int64)
        for j in np.unique(level):
            pick = level == j
            table = levels[j]
            out[pick] = np.minimum(table[lo[pick]], table[hi[pick] - (1 << j) + 1])
        return out


def _walk_periods(person, start, end, rows: np.ndarray, takes: np.ndarray) -> None:
    """The reference's walk over ``rows`` (in order), the periods taken so far held: each
    person's taken periods, which share no day, kept sorted by start (their ends too)."""
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for row in np.flatnonzero(takes).tolist():
        _hold(starts, ends, int(person[row]), int(start[row]), int(end[row]))
    for row, who, s, e in zip(
        rows.tolist(), person[rows].tolist(), start[rows].tolist(), end[rows].tolist(), strict=True
    ):
        firsts, lasts = starts.get(who, []), ends.get(who, [])
        before = bisect.bisect_right(firsts, e) - 1  # the last taken period starting by e
        if before < 0 or lasts[before] < s:
            _hold(starts, ends, who, s, e)
            takes[row] = True


def _hold(starts: dict, ends: dict, who: int, first: int, last: int) -> None:
    firsts, lasts = starts.setdefault(who, []), ends.setdefault(who, [])
    at = bisect.bisect_left(firsts, first)
    firsts.insert(at, first)
    lasts.insert(at, last)
