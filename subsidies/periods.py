"""Calendar periods, vectorised, as ``shared/policies/README.md`` reads them.

A period "of N months" starting on S (both ends inclusive) has lasted when the end
date is on or after the day before S + N months, where S + N months is the same
day-of-month N months later, or that month's last day when the day does not exist
(民法典 第二百零二条). So 1 July – 31 August is 2 months, 15 July – 14 September is
2 months, 31 December – 27 February is 2 months. Ages work the same way: a person
born on 29 February turns 16 on 28 February in a year without 29 February.

All functions take and return numpy ``datetime64[D]`` arrays (or pandas Series of
datetimes), so one claim and a million claims go through the same code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DAY = np.timedelta64(1, "D")


def as_days(dates) -> np.ndarray:
    """Any date-like array (Series, DatetimeIndex, list) as ``datetime64[D]``."""
    if isinstance(dates, pd.Series):
        dates = dates.to_numpy()
    return np.asarray(dates, dtype="datetime64[D]")


def add_months(dates, months) -> np.ndarray:
    """``dates`` + ``months`` calendar months, clamped to the target month's last day."""
    days = as_days(dates)
    month_start = days.astype("datetime64[M]")
    day_of_month = (days - month_start.astype("datetime64[D]")).astype(np.int64)
    target = month_start + np.asarray(months, dtype=np.int64).astype("timedelta64[M]")
    month_length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(
        np.int64
    )
    return target.astype("datetime64[D]") + np.minimum(day_of_month, month_length - 1)


def has_lasted(start, end, months) -> np.ndarray:
    """Whether the inclusive period ``start``..``end`` has lasted ``months`` calendar months."""
    return as_days(end) >= add_months(start, months) - DAY


def months_and_days(start, end) -> tuple[np.ndarray, np.ndarray]:
    """The inclusive period ``start``..``end`` as whole months plus remaining days.

    ``months`` is the largest N for which :func:`has_lasted` holds; ``days`` counts the
    days after those N months (1 July – 31 August is 2 months 0 days).
    """
    s, e = as_days(start), as_days(end)
    months = (e.astype("datetime64[M]") - s.astype("datetime64[M]")).astype(np.int64) + 1
    for _ in range(2):  # the month difference overshoots by at most two
        months = np.where(has_lasted(s, e, months), months, months - 1)
    months = np.maximum(months, 0)
    days = (e + DAY - add_months(s, months)).astype(np.int64)
    return months, days


def age_on(birth, on) -> np.ndarray:
    """Completed years of age on ``on`` (the birthday itself counts)."""
    b, d = as_days(birth), as_days(on)
    years = d.astype("datetime64[Y]").astype(np.int64) - b.astype("datetime64[Y]").astype(np.int64)
    reached = add_months(b, years * 12) <= d
    return np.where(reached, years, years - 1)


def describe_span(months: int, days: int) -> str:
    """``2, 0`` -> ``"2 months 0 days"``."""
    return f"{months} month{'s' if months != 1 else ''} {days} day{'s' if days != 1 else ''}"
