"""subsidies.domain.periods: the README's period rule ("How ambiguous wording is resolved").

A period of N months from S (both ends inclusive) has lasted when the end date is on or
after the day before S + N months; S + N months is the same day-of-month, or the month's
last day where that day does not exist. Ages count the birthday itself.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from subsidies.domain.periods import add_months, age_on, has_lasted, months_and_days


def day(text: str) -> np.datetime64:
    return np.datetime64(text, "D")


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2022-07-15", 2, "2022-09-15"),
        ("2022-07-01", 2, "2022-09-01"),
        ("2022-12-15", 1, "2023-01-15"),
        ("2022-05-31", 1, "2022-06-30"),
        ("2022-12-31", 2, "2023-02-28"),  # the README's example: S + 2 months = 28 February
        ("2023-12-31", 2, "2024-02-29"),  # ... and 29 February in a leap year
        ("2024-01-31", 1, "2024-02-29"),
        ("2023-01-31", 1, "2023-02-28"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-02-29", 48, "2028-02-29"),
        ("2099-02-28", 12, "2100-02-28"),
        ("2022-03-31", -1, "2022-02-28"),
        ("2022-07-15", 0, "2022-07-15"),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(day(start), months) == day(expected)


def test_add_months_is_vectorised():
    starts = pd.Series(pd.to_datetime(["2022-12-31", "2024-01-31", "2022-07-15"]))
    result = add_months(starts, np.array([2, 1, 24]))
    assert result.tolist() == [dt.date(2023, 2, 28), dt.date(2024, 2, 29), dt.date(2024, 7, 15)]


PERIODS = [
    # start, end, months, lasted: every example in the README's period rule first
    ("2022-07-01", "2022-08-31", 2, True),  # 1 July - 31 August is 2 months
    ("2022-07-15", "2022-09-14", 2, True),  # 15 July - 14 September is 2 months
    ("2022-07-15", "2022-09-13", 2, False),  # 15 July - 13 September is not
    ("2022-06-01", "2022-11-30", 6, True),  # 1 June - 30 November is 6 months
    ("2022-12-31", "2023-02-27", 2, True),  # 31 December - 27 February (S + 2 = 28 Feb)
    ("2022-12-31", "2023-02-26", 2, False),
    ("2022-07-01", "2022-08-30", 2, False),
    ("2022-06-01", "2022-11-29", 6, False),
    ("2022-11-15", "2023-01-14", 2, True),  # across a year end
    ("2023-12-31", "2024-02-28", 2, True),  # leap year: S + 2 = 29 Feb, so 28 Feb is enough
    ("2023-12-31", "2024-02-27", 2, False),
    ("2024-02-29", "2024-04-28", 2, True),
    ("2024-02-29", "2024-04-27", 2, False),
    ("2024-02-29", "2025-02-27", 12, True),  # S + 12 months = 28 Feb 2025
    ("2024-02-29", "2025-02-26", 12, False),
    ("2023-03-01", "2024-02-29", 12, True),  # "1年以上" from a licence date
    ("2023-03-01", "2024-02-28", 12, False),
    ("2022-01-31", "2022-03-30", 2, True),
    ("2022-01-31", "2022-03-29", 2, False),
    ("2022-07-01", "2022-07-01", 1, False),
    ("2022-07-01", "2022-07-01", 0, True),
    ("2022-07-01", "2024-06-30", 24, True),  # the graduate's 2 years
    ("2022-07-01", "2024-06-29", 24, False),
]


@pytest.mark.parametrize(("start", "end", "months", "lasted"), PERIODS)
def test_has_lasted(start, end, months, lasted):
    assert bool(has_lasted(day(start), day(end), months)) is lasted


def test_has_lasted_is_vectorised():
    starts = np.array([p[0] for p in PERIODS], dtype="datetime64[D]")
    ends = pd.Series(pd.to_datetime([p[1] for p in PERIODS]))
    months = np.array([p[2] for p in PERIODS])
    assert has_lasted(starts, ends, months).tolist() == [p[3] for p in PERIODS]


@pytest.mark.parametrize(
    ("start", "end", "months", "days"),
    [
        ("2022-07-01", "2022-08-31", 2, 0),
        ("2022-07-15", "2022-09-14", 2, 0),
        ("2022-07-15", "2022-09-13", 1, 30),
        ("2022-06-01", "2022-11-30", 6, 0),
        ("2022-12-31", "2023-02-27", 2, 0),
        ("2022-12-31", "2023-02-28", 2, 1),
        ("2022-12-31", "2023-02-26", 1, 27),
        ("2022-07-01", "2022-07-01", 0, 1),
        ("2022-07-01", "2022-07-31", 1, 0),
        ("2022-07-01", "2022-12-30", 5, 30),
        ("2022-07-01", "2022-12-31", 6, 0),
        ("2024-02-29", "2025-02-27", 12, 0),
        ("2024-02-29", "2025-02-28", 12, 1),
        ("2022-01-31", "2022-03-30", 2, 0),
        ("2024-01-31", "2024-02-28", 1, 0),
    ],
)
def test_months_and_days(start, end, months, days):
    got_months, got_days = months_and_days(day(start), day(end))
    assert (int(got_months), int(got_days)) == (months, days)


SPAN_DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31))


@given(SPAN_DATES, st.integers(min_value=0, max_value=800))
def test_months_and_days_agrees_with_has_lasted(start, length):
    end = start + dt.timedelta(days=length)
    s, e = np.datetime64(start, "D"), np.datetime64(end, "D")
    months, days = months_and_days(s, e)
    assert has_lasted(s, e, months) or months == 0
    assert not has_lasted(s, e, months + 1)
    assert days >= 0
    assert add_months(s, months) + np.timedelta64(int(days) - 1, "D") == e


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        ("2008-07-01", "2024-07-01", 16),  # the 16th birthday counts on the day
        ("2008-07-01", "2024-06-30", 15),
        ("2008-07-01", "2025-06-30", 16),
        ("2008-02-29", "2024-02-29", 16),  # leap-year birthday in a leap year
        ("2008-02-29", "2024-02-28", 15),
        ("2004-02-29", "2022-02-28", 18),  # reached on 28 February in a non-leap year
        ("2004-02-29", "2022-02-27", 17),
        ("2004-02-29", "2021-03-01", 17),
        ("2084-02-29", "2100-02-28", 16),  # a 16th birthday in a year without 29 February
        ("2084-02-29", "2100-02-27", 15),
        ("2000-02-29", "2001-02-28", 1),
        ("2000-02-29", "2001-02-27", 0),
        ("1990-12-31", "2024-01-01", 33),
        ("1990-01-01", "2023-12-31", 33),
        ("2008-07-01", "2008-07-01", 0),
    ],
)
def test_age_on(birth, on, age):
    assert int(age_on(day(birth), day(on))) == age


def test_age_on_is_vectorised_over_series():
    births = pd.Series(pd.to_datetime(["2008-07-01", "2008-07-01", "2004-02-29"])).astype(
        "datetime64[s]"
    )
    on = pd.Series(pd.to_datetime(["2024-07-01", "2024-06-30", "2022-02-28"]))
    assert age_on(births, on).tolist() == [16, 15, 18]
