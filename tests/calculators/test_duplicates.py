"""One-time keys and overlapping periods: the vectorised :mod:`calculators.duplicates` gives
exactly what the plain reading (:mod:`calculators.duplicates_reference`) gives, the same
reason on every row, whatever the mix of eligible and other claims.

The table's expectations come from docs/policies/README.md ("一次性": only an eligible
claim takes a key; of two claims the later row is the duplicate, naming the first; the
startup grant's founder and business each count; goji periods overlap when they share a
day), not from either implementation. The random cases hold the two to each other on
small pools of people, so keys and periods collide often, with long chains of claims
that each overlap the next (where one claim's fate hangs on all before it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators import duplicates, duplicates_reference, first_claims
from calculators.base import OneTimeKey, OverlapKey
from calculators.template import Choice, Column, Template

TEMPLATE = Template(
    (
        Column("person", "身份证号"),
        Column("business", "统一社会信用代码"),
        Column("level", "认定级别", "choice", choices=(Choice("A", "甲级"), Choice("B", "乙级"))),
        Column("start", "开始日期", "date"),
        Column("end", "结束日期", "date"),
    )
)


@dataclass(frozen=True)
class Rules:
    """What find_duplicates reads of a calculator (the template names the key's columns)."""

    one_time_keys: tuple[OneTimeKey, ...] = ()
    overlap: OverlapKey | None = None
    template: Template = TEMPLATE


GOJI = Rules(overlap=OverlapKey("worker", "person", "start", "end"))
PERSON = Rules(one_time_keys=(OneTimeKey("the person", ("person",)),))
STARTUP = Rules(
    one_time_keys=(
        OneTimeKey("the founder", ("person",)),
        OneTimeKey("the business", ("business",)),
    )
)
UNIT_LEVEL = Rules(one_time_keys=(OneTimeKey("unit and level", ("business", "level")),))
BOTH = Rules(one_time_keys=STARTUP.one_time_keys, overlap=GOJI.overlap)
RULES = {"goji": GOJI, "person": PERSON, "startup": STARTUP, "unit_level": UNIT_LEVEL, "both": BOTH}
COLUMNS = ["claim_id", "person", "business", "level", "start", "end"]
DAY0 = dt.date(2024, 5, 1)


def frame(rows: list[tuple]) -> pd.DataFrame:
    """Claims as the pipeline types them: text as pandas strings, days as datetime64[s].
    A row is (claim_id, person, business, level, first day, last day), days after DAY0."""
    claims = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("claim_id", "person", "business", "level"):
        claims[column] = claims[column].astype("string")
    for column in ("start", "end"):
        days = np.datetime64(DAY0) + claims[column].to_numpy(dtype=np.int64).astype("m8[D]")
        claims[column] = days.astype("datetime64[s]")
    return claims


def prior_frame(rows: list[tuple]) -> pd.DataFrame:
    """Earlier claims as ``prior_claims`` gives them: the keys (text read from JSON, so
    plain objects), claim_id and source."""
    prior = frame([row[:6] for row in rows]) if rows else frame([])
    for column in ("claim_id", "person", "business", "level"):
        prior[column] = prior[column].astype(object)
    prior["source"] = [row[6] for row in rows]
    return prior


def both_ways(rules, claims, eligible, prior=None, first_row=2):
    """The fast and the plain reasons, each as a list."""
    index = claims.index
    mask = pd.Series(eligible, index=index, dtype=bool)
    rows = pd.Series(np.arange(first_row, first_row + len(claims)), index=index)
    fast = duplicates.find_duplicates(rules, claims, mask, rows, prior)
    plain = duplicates_reference.find_duplicates(rules, claims, mask, rows, prior)
    assert fast.index.equals(index)
    return fast.tolist(), plain.tolist()


def named(reasons: list[str]) -> list[str]:
    """The claim each reason names: "" where none, "?" for a claim_id decided before."""
    out = []
    for reason in reasons:
        if " claim " in reason:
            out.append(reason.split(" claim ", 1)[1].split(" ", 1)[0])
        else:
            out.append("?" if reason else "")
    return out


# (rules, rows, eligible, expected: the claim each row duplicates, "" where none)
CASES = {
    "later row covering an earlier period is the duplicate": (
        GOJI,
        [("G1", "w", "", "", 120, 180), ("G2", "w", "", "", 60, 121)],
        [True, True],
        ["", "G1"],
    ),
    "periods sharing only their last and first day overlap": (
        GOJI,
        [("G1", "w", "", "", 0, 60), ("G2", "w", "", "", 60, 90), ("G3", "w", "", "", 61, 90)],
        [True, True, True],
        ["", "G1", ""],
    ),
    "a duplicate's period blocks nothing: a chain takes every other claim": (
        GOJI,
        [(f"G{k}", "w", "", "", 10 * k, 10 * k + 12) for k in range(1, 7)],
        [True] * 6,
        ["", "G1", "", "G3", "", "G5"],
    ),
    "the first period taken in file order is named, not the earliest season": (
        GOJI,
        [("G1", "w", "", "", 50, 70), ("G2", "w", "", "", 0, 20), ("G3", "w", "", "", 15, 55)],
        [True, True, True],
        ["", "", "G1"],
    ),
    "a later claim covering two taken periods names the first in file order": (
        GOJI,
        [("G1", "w", "", "", 40, 60), ("G2", "w", "", "", 0, 20), ("G3", "w", "", "", 0, 90)],
        [True, True, True],
        ["", "", "G1"],
    ),
    "an ineligible claim takes nothing, a later overlapping one is paid": (
        GOJI,
        [("G1", "w", "", "", 0, 60), ("G2", "w", "", "", 10, 70), ("G3", "w", "", "", 20, 80)],
        [False, True, True],
        ["", "", "G2"],
    ),
    "other workers never clash": (
        GOJI,
        [("G1", "w", "", "", 0, 60), ("G2", "v", "", "", 0, 60)],
        [True, True],
        ["", ""],
    ),
    "one key: every later eligible claim names the first eligible one": (
        PERSON,
        [("T1", "p", "", "", 0, 0), ("T2", "p", "", "", 0, 0), ("T3", "p", "", "", 0, 0)],
        [False, True, True],
        ["", "", "T2"],
    ),
    "founder or business seen: a duplicate; a duplicate's keys stay free": (
        STARTUP,
        [
            ("S1", "f1", "b1", "", 0, 0),
            ("S2", "f2", "b1", "", 0, 0),  # the business of S1
            ("S3", "f2", "b3", "", 0, 0),  # f2 is free: S2 took nothing
            ("S4", "f1", "b3", "", 0, 0),  # founder first: S1, though S3 took b3
            ("S5", "f5", "b3", "", 0, 0),  # the business of S3
        ],
        [True] * 5,
        ["", "S1", "", "S1", "S3"],
    ),
    "a key of several columns: the same unit at another level is another key": (
        UNIT_LEVEL,
        [("D1", "", "u", "city", 0, 0), ("D2", "", "u", "provincial", 0, 0)]
        + [("D3", "", "u", "city", 0, 0)],
        [True, True, True],
        ["", "", "D1"],
    ),
    "keys then periods: a key's duplicate takes no period": (
        BOTH,
        [
            ("B1", "p", "x", "", 0, 30),
            ("B2", "q", "x", "", 50, 80),  # business of B1
            ("B3", "q", "y", "", 60, 90),  # q free; period free (B2 took none)
            ("B4", "r", "z", "", 70, 75),  # keys free; overlaps no period of r
        ],
        [True] * 4,
        ["", "B1", "", ""],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_table(case):
    rules, rows, eligible, expected = CASES[case]
    fast, plain = both_ways(rules, frame(rows), eligible)
    assert named(plain) == expected
    assert fast == plain


def test_reasons_in_full():
    claims = frame(
        [("G1", "w", "", "", 0, 60), ("G2", "w", "", "", 30, 90), ("S1", "f", "b", "", 0, 0)]
    )
    fast, plain = both_ways(GOJI, claims, [True, True, False], first_row=4)
    assert (
        fast
        == plain
        == [
            "",
            "duplicate: worker w period 2024-05-31..2024-07-30 overlaps claim G1 (row 4, "
            "2024-05-01..2024-06-30)",
            "",
        ]
    )
    fast, plain = both_ways(
        STARTUP, frame([("S1", "f", "b", "", 0, 0), ("S2", "g", "b", "", 0, 0)]), [True, True]
    )
    assert (
        fast
        == plain
        == [
            "",
            "duplicate: the business (business b) already claimed by claim S1 (row 2); "
            "paid once only (一次性)",
        ]
    )


def test_prior_claims_come_first():
    """A claim_id seen before, then each key in turn, then a period: the first prior claim
    holding it is named, with its batch; the file's own claims come after."""
    prior = prior_frame(
        [
            ("E1", "w", "b", "", 0, 60, "batch B1 row 2"),
            ("E2", "v", "c", "", 100, 120, "batch B1 row 3"),
            ("E3", "v", "d", "", 110, 130, "batch B2 row 2"),
        ]
    )
    claims = frame(
        [
            ("E2", "z", "z", "", 300, 310),  # its claim_id
            ("N1", "w", "q", "", 50, 70),  # founder of E1; overlaps E1
            ("N2", "s", "c", "", 0, 5),  # business of E2
            ("N3", "v", "e", "", 125, 140),  # founder of E2 (the first); overlaps E3 only
            ("N4", "u", "f", "", 0, 60),  # free
            ("N5", "u", "g", "", 10, 20),  # founder of N4, in the file; overlaps N4
        ]
    )
    fast, plain = both_ways(STARTUP, claims, [True] * 6, prior)
    assert fast == plain
    assert named(plain) == ["?", "E1", "E2", "E2", "", "N4"]
    assert plain[0] == "duplicate: claim_id E2 already decided in batch B1 row 3"
    assert plain[2] == (
        "duplicate: the business (business c) already claimed by claim E2 in batch B1 row 3; "
        "paid once only (一次性)"
    )
    fast, plain = both_ways(GOJI, claims, [True] * 6, prior)
    assert fast == plain
    assert named(plain) == ["?", "E1", "", "E3", "", "N4"]
    assert plain[3] == (
        "duplicate: worker v period 2024-09-03..2024-09-18 overlaps claim E3 in batch B2 row 2 "
        "(2024-08-19..2024-09-08)"
    )


def test_nothing_eligible_and_empty():
    claims = frame([("G1", "w", "", "", 0, 60), ("G2", "w", "", "", 0, 60)])
    assert both_ways(GOJI, claims, [False, False]) == (["", ""], ["", ""])
    assert both_ways(STARTUP, frame([]), []) == ([], [])


# -- random cases ----------------------------------------------------------------------


@st.composite
def claim_files(draw):
    """Claims of a few people, businesses and levels, periods of a few days over a month,
    some ineligible, an index that is not 0..n-1, and sometimes prior claims."""
    rules = draw(st.sampled_from(list(RULES.values())))
    n = draw(st.integers(0, 40))
    people = draw(st.integers(1, 5))
    row = st.tuples(
        st.sampled_from([f"p{k}" for k in range(people)]),
        st.sampled_from(["b0", "b1", "b2", "b3"]),
        st.sampled_from(["city", "provincial"]),
        st.integers(0, 40),
        st.integers(0, 12),
    )
    cells = draw(st.lists(row, min_size=n, max_size=n))
    ids = draw(st.lists(st.sampled_from([f"C{k}" for k in range(60)]), min_size=n, max_size=n))
    rows = [(i, p, b, lv, s, s + d) for i, (p, b, lv, s, d) in zip(ids, cells, strict=True)]
    eligible = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    prior = []
    if draw(st.booleans()):
        earlier = draw(st.lists(st.tuples(st.sampled_from(ids or ["C0"]), row), max_size=8))
        prior = [
            (i, p, b, lv, s, s + d, f"batch B{k} row {k + 2}")
            for k, (i, (p, b, lv, s, d)) in enumerate(earlier)
        ]
    return rules, rows, eligible, prior


@pytest.mark.parametrize("chain_share", [0.0, first_claims.CHAIN_SHARE, 1.5])
@settings(max_examples=150, deadline=None)
@given(drawn=claim_files(), shift=st.integers(0, 3))
def test_fast_is_the_plain_reading(chain_share, drawn, shift):
    """Whole-array rounds to the end (0), or walking what is left after the first (1.5)."""
    rules, rows, eligible, prior = drawn
    claims = frame(rows)
    claims.index = claims.index * 3 + shift  # labels, not positions
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(first_claims, "CHAIN_SHARE", chain_share)
        fast, plain = both_ways(rules, claims, eligible, prior_frame(prior) if prior else None)
    assert fast == plain


@pytest.mark.parametrize("rules", list(RULES))
@pytest.mark.parametrize("people", [3, 300])
def test_many_claims_of_few_people(rules, people):
    """Thousands of claims: large groups of one person's claims, and many small ones."""
    rng = np.random.default_rng(people)
    n = 3_000
    start = rng.integers(0, 400, n)
    rows = [
        (f"C{k}", f"p{p}", f"b{b}", lv, s, s + d)
        for k, (p, b, lv, s, d) in enumerate(
            zip(
                rng.integers(0, people, n),
                rng.integers(0, people * 2, n),
                rng.choice(["city", "provincial"], n),
                start,
                rng.integers(0, 30, n),
                strict=True,
            )
        )
    ]
    eligible = rng.random(n) < 0.7
    fast, plain = both_ways(RULES[rules], frame(rows), eligible)
    assert fast == plain


@pytest.mark.parametrize("rules", ["goji", "startup", "both"])
def test_long_chains(rules):
    """Each claim overlaps the next (or shares a key with it), so whether one is paid
    hangs on every claim before it; in file order, and with the file shuffled."""
    n = 2_000
    chain = [
        (f"C{k}", f"p{k // 2}", f"b{(k + 1) // 2}", "city", 5 * k, 5 * k + 7) for k in range(n)
    ]
    if rules == "goji":
        chain = [(i, "w", b, lv, s, e) for i, _, b, lv, s, e in chain]
    rows = chain + list(reversed(chain[::3]))
    fast, plain = both_ways(RULES[rules], frame(rows), [True] * len(rows))
    assert fast == plain
    rng = np.random.default_rng(1)
    shuffled = [rows[k] for k in rng.permutation(len(rows))]
    fast, plain = both_ways(RULES[rules], frame(shuffled), [True] * len(rows))
    assert fast == plain
