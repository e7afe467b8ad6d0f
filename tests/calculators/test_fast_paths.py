"""The shortcuts taken for large batches give what the plain per-row reading gives.

Reasons are written only when asked for, joined once per distinct combination; codes of
whole numbers and dates come from their offsets; dates are read from a table of the days
they span; cells that NFKC, strip and upper-casing would not change are kept as they are.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators.base import Checks
from calculators.coerce import Cells, birth_dates
from calculators.distinct import Texts, by_distinct, distinct_rows, filled, joined, numbered
from subsidies.identity import check_resident_ids, resident_id_check_character
from subsidies.periods import add_months, age_on, has_lasted, month_and_day
from subsidies.text import plain_ascii

N = 5_000  # above the size from which tables are used
RNG_SEED = 7


def _plain_join(parts: list[Texts], n: int) -> list[str]:
    """The reference: each row's non-blank texts joined by "; ", row by row."""
    rows = [[str(p.values[p.codes[i]]) for p in parts] for i in range(n)]
    return ["; ".join(t for t in row if t != "") for row in rows]


texts_part = st.lists(st.sampled_from(["", "a", "b: yes", "青海 ≥ 2", "x; y"]), min_size=1).map(
    lambda values: np.array(values, dtype=object)
)


@settings(max_examples=60, deadline=None)
@given(st.lists(texts_part, max_size=5), st.integers(0, 30), st.integers(0, 2**32 - 1))
def test_joined_is_the_plain_join(tables, n, seed):
    rng = np.random.default_rng(seed)
    parts = [Texts(rng.integers(0, len(t), n), t) for t in tables]
    assert joined(parts, n).tolist() == (_plain_join(parts, n) if parts else [""] * n)


def test_joined_many_rows_with_and_without_blanks():
    rng = np.random.default_rng(RNG_SEED)
    labels = np.array([f"check {i}: yes" for i in range(300)], dtype=object)
    parts = [Texts(rng.integers(0, 300, N), labels) for _ in range(4)]
    assert joined(parts, N).tolist() == _plain_join(parts, N)
    parts.append(Texts(rng.integers(0, 2, N), np.array(["", "note"], dtype=object)))
    assert joined(parts, N).tolist() == _plain_join(parts, N)


def test_numbered_keeps_equal_codes_equal_and_compact():
    rng = np.random.default_rng(RNG_SEED)
    for size in (50, 10**12):  # a table, then hashing
        codes = rng.choice(rng.integers(0, size, 40), N)
        got = numbered(codes, size)
        assert set(got.tolist()) == set(range(len(np.unique(codes))))
        assert (pd.factorize(got)[0] == pd.factorize(codes)[0]).all()


def test_distinct_rows_of_numbers_dates_and_flags_as_by_factorize():
    rng = np.random.default_rng(RNG_SEED)
    days = np.datetime64("2024-05-01") + rng.integers(0, 90, N).astype("timedelta64[D]")
    with_nat = days.copy()
    with_nat[::97] = np.datetime64("NaT")
    columns = [
        rng.integers(-5, 60, N),
        pd.Series(days.astype("datetime64[s]")),
        rng.random(N) < 0.3,
        with_nat,
        rng.integers(0, 2**40, N),  # too wide for offsets
        np.array(["a", "b"], dtype=object)[rng.integers(0, 2, N)],
    ]
    codes, one_row = distinct_rows(columns)
    keys = pd.DataFrame({i: pd.Series(c).to_numpy() for i, c in enumerate(columns)})
    expected = keys.groupby(list(keys.columns), dropna=False, sort=False).ngroup().to_numpy()
    assert (pd.factorize(codes)[0] == pd.factorize(expected)[0]).all()
    assert (codes[one_row] == np.arange(len(one_row))).all()


def test_lazy_labels_give_the_eager_text_and_are_written_only_when_asked():
    rng = np.random.default_rng(RNG_SEED)
    index = pd.RangeIndex(N)
    ages = rng.integers(14, 70, N)
    passed, applies, farmer = ages >= 16, rng.random(N) < 0.8, rng.random(N) < 0.5
    called = []

    def label() -> np.ndarray:
        called.append("label")
        return "aged " + pd.Series(ages).astype(str).to_numpy(dtype=object)

    def note() -> np.ndarray:
        called.append("note")
        return np.where(farmer, "note", "")

    eager, lazy = Checks(index), Checks(index)
    eager.check(label(), passed, applies)
    eager.check("farmer", farmer)
    eager.note(note())
    called.clear()
    lazy.check(label, passed, applies)
    lazy.check("farmer", farmer)
    lazy.note(note)
    assert (lazy.passed == eager.passed).all()
    assert not called  # deciding wrote no label
    assert lazy.reasons().tolist() == eager.reasons().tolist()
    assert called == ["label", "note"]


def test_a_checks_answers_are_its_own_copy():
    checks = Checks(pd.RangeIndex(3))
    passed = np.array([True, False, True])
    checks.check(lambda: "ok", passed)
    passed[:] = False
    assert checks.reasons().tolist() == ["ok: yes", "ok: no", "ok: yes"]


def _direct_add_months(days, months):
    month = days.astype("datetime64[M]")
    day = (days - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.asarray(months, dtype=np.int64).astype("timedelta64[M]")
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(
        np.int64
    )
    return target.astype("datetime64[D]") + np.minimum(day, length - 1)


@pytest.mark.parametrize("span", [60, 1500, 20_000])  # days spanned: a table or not
def test_dates_from_a_table_as_computed_directly(span):
    rng = np.random.default_rng(span)
    start = np.datetime64("2023-12-15") + rng.integers(0, span, N).astype("timedelta64[D]")
    start[:5] = (
        np.datetime64("2024-02-29"),
        np.datetime64("2024-01-31"),
        start[2],
        start[3],
        start[4],
    )
    months = rng.integers(-30, 30, N)
    month = start.astype("datetime64[M]")
    assert (month_and_day(start)[0] == month.astype(np.int64)).all()
    assert (month_and_day(start)[1] == (start - month.astype("datetime64[D]")).astype(int)).all()
    assert (add_months(start, months) == _direct_add_months(start, months)).all()
    end = start + rng.integers(0, 400, N).astype("timedelta64[D]")
    assert (has_lasted(start, end, 2) == (end >= _direct_add_months(start, 2) - 1)).all()
    born = np.datetime64("1960-02-29") + rng.integers(0, 365 * 50, N).astype("timedelta64[D]")
    years = start.astype("datetime64[Y]").astype(int) - born.astype("datetime64[Y]").astype(int)
    expected = np.where(_direct_add_months(born, years * 12) <= start, years, years - 1)
    assert (age_on(born, start) == expected).all()


def _direct_age_on(born, on):
    years = on.astype("datetime64[Y]").astype(np.int64) - born.astype("datetime64[Y]").astype(
        np.int64
    )
    return np.where(_direct_add_months(born, years * 12) <= on, years, years - 1)


@pytest.mark.parametrize("n", [3, N])
def test_dates_with_nat_as_computed_directly(n):
    days = np.datetime64("2024-01-31") + (np.arange(n) % 40).astype("timedelta64[D]")
    born = np.datetime64("1980-02-29") + (np.arange(n) * 7 % 9000).astype("timedelta64[D]")
    days[1], born[2] = np.datetime64("NaT"), np.datetime64("NaT")
    np.testing.assert_array_equal(add_months(days, 1), _direct_add_months(days, 1))
    assert np.isnat(add_months(days, 1)[1])
    np.testing.assert_array_equal(age_on(born, days), _direct_age_on(born, days))
    np.testing.assert_array_equal(month_and_day(days)[0], days.astype("datetime64[M]").astype(int))


def test_one_date():
    day = np.datetime64("2024-01-31")
    assert add_months(day, 1) == np.datetime64("2024-02-29")
    assert np.isnat(add_months(np.datetime64("NaT", "D"), 1))
    assert age_on(np.datetime64("2008-02-29"), np.datetime64("2024-02-28")) == 15


@pytest.mark.parametrize(
    ("text", "lower", "plain"),
    [
        ("630102199001011234", False, True),
        ("63010219900101123X", False, True),
        ("63010219900101123x", False, False),
        ("63010219900101123x", True, True),
        (" 630102", True, False),
        ("6301\u300002", True, False),  # ideographic space: not ASCII
        ("６３", True, False),
        ("a\x1fb", True, False),
        ("", False, True),
    ],
)
def test_plain_ascii(text, lower, plain):
    assert plain_ascii(text, lower=lower) is plain


def _ids(n: int) -> list[str]:
    rng = np.random.default_rng(RNG_SEED)
    ids = []
    for area, day, seq in zip(
        rng.choice([630102, 632801], n),
        rng.integers(0, 15_000, n),
        rng.integers(0, 999, n),
        strict=True,
    ):
        born = (np.datetime64("1960-01-01") + int(day)).astype(str).replace("-", "")
        first17 = f"{area}{born}{seq:03d}"
        ids.append(first17 + resident_id_check_character(first17))
    return ids


def test_resident_ids_read_the_same_plain_or_not():
    ids = _ids(N)
    plain = check_resident_ids(pd.Series(ids))
    damaged = ids[:-1] + [" " + ids[-1].lower()]  # one cell that needs NFKC, strip, upper
    mixed = check_resident_ids(pd.Series(damaged))
    for got, expected in zip(mixed, plain, strict=True):
        pd.testing.assert_series_equal(got, expected)
    assert (plain[1] == "").all()
    kept = plain[0].to_numpy(dtype=object)
    assert all(a is b for a, b in zip(kept[:100], ids[:100], strict=False))  # the same str


def test_resident_ids_not_all_text():
    ids = _ids(10)
    values, reasons, _ = check_resident_ids(pd.Series([*ids, None, np.nan, 123]))
    assert values.tolist()[-3:] == ["", "", ""]  # what is not text reads as missing
    assert reasons.tolist()[-3:] == ["missing"] * 3
    assert reasons.tolist()[:10] == [""] * 10


def test_cells_plain_or_not():
    ids = _ids(N)
    plain = Cells.of(pd.Series(ids))
    assert plain.rows().tolist() == ids
    spaced = Cells.of(pd.Series([" 是", "是", "ｙｅｓ", "yes "]))
    assert spaced.rows().tolist() == ["是", "是", "yes", "yes"]
    assert len(spaced.values) == 2


def test_birth_dates_of_checked_ids():
    ids = pd.Series(_ids(N), index=pd.RangeIndex(10, 10 + N))
    expected = pd.to_datetime(ids.str[6:14], format="%Y%m%d").astype("datetime64[s]")
    pd.testing.assert_series_equal(birth_dates(ids), expected, check_names=False)


def test_birth_dates_with_missing_ids_as_read_one_by_one():
    ids = pd.Series(_ids(N), dtype="string")
    ids[[3, 70]] = pd.NA
    expected = pd.to_datetime(ids.str[6:14], format="%Y%m%d", errors="coerce")
    pd.testing.assert_series_equal(
        birth_dates(ids), expected.astype("datetime64[s]"), check_names=False
    )


def test_by_distinct_whole_numbers_as_one_by_one():
    rng = np.random.default_rng(RNG_SEED)
    for values in (rng.integers(-300, 300, N), rng.integers(0, 2**50, N), np.arange(5)):
        got = by_distinct(lambda v: np.asarray(v) * 3 + 1, values)
        assert (got == values * 3 + 1).all()


def test_filled_shares_one_value():
    out = filled(4, "ineligible")
    assert out.dtype == object and out.tolist() == ["ineligible"] * 4
    assert out[0] is out[3]


def test_cells_spread_to_the_rows():
    index = pd.RangeIndex(100, 100 + N, 1)
    ids = pd.Series(_ids(N), index=index)
    cells = Cells.of(ids)  # a value per row
    spread = cells.spread(cells.values.str.lower(), index)
    pd.testing.assert_series_equal(spread, ids.str.lower().astype("string"), check_names=False)
    few = Cells.of(pd.Series(["是", "否", "是"]))
    pd.testing.assert_series_equal(
        few.spread(few.values + "!", pd.Index([7, 8, 9])),
        pd.Series(["是!", "否!", "是!"], index=[7, 8, 9], dtype="string"),
    )
