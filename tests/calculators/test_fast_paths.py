"""The shortcuts taken for large batches give what the plain per-row reading gives.

Reasons are written only when asked for, joined once per distinct combination; codes of
whole numbers and dates come from their offsets; dates are read from a table of the days
they span; cells that NFKC, strip and upper-casing would not change are kept as they are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators.base import Checks
from calculators.coerce import birth_dates, read_cells
from calculators.common import ages, check_province
from calculators.distinct import (
    Texts,
    _runs,
    by_distinct,
    distinct_rows,
    filled,
    joined,
    numbered,
    per_distinct,
)
from calculators.evaluate import _repeated
from calculators.parameters import show_value
from calculators.programs.qinghai.goji_broker import destination_on
from calculators.registry import calculator
from subsidies.domain.identity import (
    check_resident_ids,
    eight_digit_numbers,
    fixed_width_codes,
    resident_id_check_character,
)
from subsidies.domain.periods import (
    add_months,
    age_on,
    completed_years,
    day_numbers,
    has_lasted,
    month_and_day,
)
from subsidies.domain.text import plain_ascii

N = 5_000  # above the size from which tables are used
RNG_SEED = 7
TODAY = dt.date(2025, 6, 30)  # the date ids are read on


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
    plain = check_resident_ids(pd.Series(ids), today=TODAY)
    damaged = ids[:-1] + [" " + ids[-1].lower()]  # one cell that needs NFKC, strip, upper
    mixed = check_resident_ids(pd.Series(damaged), today=TODAY)
    for got, expected in zip(mixed, plain, strict=True):
        pd.testing.assert_series_equal(got, expected)
    assert (plain[1] == "").all()
    kept = plain[0].to_numpy(dtype=object)
    assert all(a is b for a, b in zip(kept[:100], ids[:100], strict=False))  # the same str


def test_resident_ids_not_all_text():
    ids = _ids(10)
    values, reasons, _ = check_resident_ids(pd.Series([*ids, None, np.nan, 123]), today=TODAY)
    assert values.tolist()[-3:] == ["", "", ""]  # what is not text reads as missing
    assert reasons.tolist()[-3:] == ["missing"] * 3
    assert reasons.tolist()[:10] == [""] * 10


def test_read_cells_plain_or_not():
    ids = _ids(N)
    plain = read_cells(pd.Series(ids))
    assert plain.rows().tolist() == ids
    spaced = read_cells(pd.Series([" 是", "是", "ｙｅｓ", "yes "]))
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
    cells = read_cells(ids)  # a value per row
    spread = cells.spread(pd.Series(cells.values, dtype="string").str.lower(), index)
    pd.testing.assert_series_equal(spread, ids.str.lower().astype("string"), check_names=False)
    few = read_cells(pd.Series(["是", "否", "是"]))
    pd.testing.assert_series_equal(
        few.spread(pd.Series(few.values, dtype="string") + "!", pd.Index([7, 8, 9])),
        pd.Series(["是!", "否!", "是!"], index=[7, 8, 9], dtype="string"),
    )


# ---------------------------------------------------------------- second pass: deciding


@pytest.mark.parametrize(
    "cells",
    [
        ["630102199001011234", "63010219900101123X"],
        ["630102199001011234", "6301021990010112345", "63010219900101123"],  # 19 + 17
        ["630102199001011234", "63010219900101\n234"],  # a newline inside a cell
        ["630102199001011234", float("nan")],
        ["630102199001011234", "６３０１０２１９９００１０１１２３４"],  # full width
        ["12345678901234567", "1"],
        [],
    ],
)
def test_fixed_width_codes_only_when_every_cell_has_the_width(cells):
    codes = fixed_width_codes(cells, 18)
    plain = cells and all(
        isinstance(c, str) and len(c) == 18 and c.isascii() and "\n" not in c for c in cells
    )
    if not plain:
        assert codes is None
    else:
        assert [bytes(row).decode("ascii") for row in codes] == cells


def test_eight_digit_numbers_as_int_of_the_text():
    rng = np.random.default_rng(RNG_SEED)
    codes = (rng.integers(0, 10, (N, 8)) + ord("0")).astype(np.uint8)
    codes[0], codes[1] = list(b"99999999"), list(b"00000000")
    expected = [int(bytes(row).decode()) for row in codes]
    assert eight_digit_numbers(codes).tolist() == expected
    for bad in (ord("0") - 1, ord("9") + 1, ord("X"), 0, 0xB0, ord(" ")):
        broken = codes.copy()
        broken[17, 5] = bad
        assert eight_digit_numbers(broken) is None


@pytest.mark.parametrize("span", [60, 20_000])
def test_completed_years_of_day_numbers_as_age_on(span):
    rng = np.random.default_rng(span)
    born = np.datetime64("1896-01-01") + rng.integers(0, 365 * 150, N).astype("timedelta64[D]")
    on = np.datetime64("2023-12-15") + rng.integers(0, span, N).astype("timedelta64[D]")
    born[:40] = np.datetime64("2000-02-29")  # 29 February, in a common and a leap year
    on[:20] = np.datetime64("2023-02-27") + (np.arange(20) % 3).astype("timedelta64[D]")
    on[20:40] = np.datetime64("2100-02-27") + (np.arange(20) % 3).astype("timedelta64[D]")
    numbers = day_numbers(born)
    assert numbers.tolist() == [int(str(d).replace("-", "")) for d in born]
    got = completed_years(numbers, day_numbers(on))
    np.testing.assert_array_equal(got, age_on(born, on))


@pytest.mark.parametrize("n", [3, N])
def test_ages_from_ids_as_age_on_their_birth_dates(n):
    index = pd.RangeIndex(5, 5 + n)
    ids = pd.Series(_ids(N)[:n], index=index)
    on = pd.Series(np.datetime64("2024-06-01") + (np.arange(n) % 90), index=index)
    on = on.astype("datetime64[s]")
    expected = age_on(birth_dates(ids), on)
    np.testing.assert_array_equal(ages(ids, on), expected)
    missing = ids.copy()  # rows refused for their id: NaN there (as coerce leaves them)
    missing[[index[0], index[-1]]] = np.nan
    np.testing.assert_array_equal(ages(missing, on), age_on(birth_dates(missing), on))
    no_day = on.copy()
    no_day[index[1]] = pd.NaT
    np.testing.assert_array_equal(ages(ids, no_day), age_on(birth_dates(ids), no_day))


def test_texts_as_a_column_of_per_distinct():
    rng = np.random.default_rng(RNG_SEED)
    shown = Texts(
        rng.integers(0, 3, N), np.array(["50.00 元", "60.00 元", "50.00 元"], dtype=object)
    )
    groups = pd.Series(rng.choice(["a", "b"], N))
    got = per_distinct(lambda s, g: s + " for " + g.to_numpy(dtype=object), shown, groups)
    plain = shown.values[shown.codes] + " for " + groups.to_numpy(dtype=object)
    assert got.values[got.codes].tolist() == plain.tolist()


def test_usual_haixi_spellings_and_the_others_as_is_haixi():
    region = destination_on(calculator("qinghai.goji_broker").program, dt.date(2024, 7, 1))
    assert all(map(region.contains, region.usual))
    values = pd.Series(
        [
            "格尔木市",
            "德令哈",
            "西宁",
            "青海省海西州大柴旦行委",
            " 格尔木 ",
            None,
            "海东",
            "海西蒙古族藏族自治州",
        ]
        * 700
    )
    expected = [isinstance(v, str) and region.contains(v) for v in values]
    assert region.mask(values).tolist() == expected


@pytest.mark.parametrize(
    ("ids", "repeated"),
    [
        (["A-1", "A-2", "A-3"], [False, False, False]),  # increasing: nothing hashed
        (["A-2", "A-1", "A-2", "", ""], [False, False, True, False, False]),
        ([f"C{i:05d}" for i in range(3000)] + ["C00007"], [False] * 3000 + [True]),
        (["", "", "A"], [False, False, False]),
    ],
)
def test_repeated_claim_ids_as_duplicated(ids, repeated):
    claim_ids = pd.Series(ids, dtype="str")
    plain = (claim_ids.duplicated(keep="first") & (claim_ids != "")).tolist()
    assert plain == repeated
    assert _repeated(claim_ids).tolist() == repeated


def _amended(program, name: str, later_value):
    """``program`` with a second value of parameter ``name`` in force from 2024-07-01."""
    parameter = program.parameter(name)
    first = parameter.values[0]
    later = dataclasses.replace(first, start=dt.date(2024, 7, 1), value=later_value)
    amended = dataclasses.replace(parameter, values=(first, later))
    return dataclasses.replace(program, parameters={**program.parameters, name: amended})


@pytest.mark.parametrize("amend", [False, True])  # one version for every row, or two
def test_parameters_per_row_as_looked_up_row_by_row(amend):
    rng = np.random.default_rng(RNG_SEED)
    program = calculator("qinghai.goji_broker").program
    if amend:
        program = _amended(program, "top_up_groups", ("other",))
        program = _amended(program, "home_province", "62")
        program = _amended(program, "base_per_worker", 6000)
    dates = np.datetime64("2024-06-25") + (np.arange(N) % 12)
    params = program.bind(dates)
    in_force = [
        {name: program.parameter(name).at(d.astype(dt.date)).value for name in program.parameters}
        for d in dates
    ]
    groups = pd.Series(rng.choice(["other", "monitored", "difficulty"], N))
    member = params.member("top_up_groups", groups)
    assert member.tolist() == [
        g in row["top_up_groups"] for g, row in zip(groups, in_force, strict=True)
    ]
    home = params.texts("home_province")
    assert home.values[home.codes].tolist() == [row["home_province"] for row in in_force]
    shown = params.texts("base_per_worker", shown=True)
    expected = [show_value("yuan", row["base_per_worker"]) for row in in_force]
    assert shown.values[shown.codes].tolist() == expected
    assert params.shown("base_per_worker").tolist() == expected


def test_check_province_coded_by_version_or_per_row_alike():
    rng = np.random.default_rng(RNG_SEED)
    codes = pd.Series(rng.choice(["63", "62", "11"], N))
    required = Texts(rng.integers(0, 2, N), np.array(["63", "62"], dtype=object))
    coded, per_row = Checks(codes.index), Checks(codes.index)
    check_province(coded, "household", codes, required)
    check_province(per_row, "household", codes, required.values[required.codes])
    np.testing.assert_array_equal(coded.passed, codes.to_numpy() == required.values[required.codes])
    np.testing.assert_array_equal(coded.passed, per_row.passed)
    assert coded.reasons().tolist() == per_row.reasons().tolist()


def test_joined_in_runs_as_the_plain_join():
    """Few-valued neighbours joined first, two labels of the same rows (one code array)
    counted once, blanks left out at every step: the rows read as joined plainly."""
    rng = np.random.default_rng(RNG_SEED)
    small = [Texts(rng.integers(0, 3, N), np.array(["a: yes", "a: no", ""], dtype=object))]
    small.append(Texts(rng.integers(0, 2, N), np.array(["b", "青海 ≥ 2"], dtype=object)))
    spans = rng.integers(0, 2000, N)
    many = np.array([f"span {i}" for i in range(2000)], dtype=object)
    parts = [
        *small,
        Texts(spans, many),
        Texts(spans, many + " < 6"),  # the same rows, coded by the same array
        Texts(
            rng.integers(0, 900, N), np.array([f"age {i}" for i in range(899)] + [""], dtype=object)
        ),
        Texts(rng.integers(0, 2, N), np.array(["", ""], dtype=object)),
    ]
    assert [len(run) for run in _runs(parts, N)] == [2, 2, 1, 1]
    assert joined(parts, N).tolist() == _plain_join(parts, N)
