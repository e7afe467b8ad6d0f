"""Calendar periods, vectorised, as ``docs/policies/README.md`` reads them.

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
_NAT = np.iinfo(np.int64).min  # NaT's number in a datetime64 array


def as_days(dates) -> np.ndarray:
    """Any date-like array (Series, DatetimeIndex, list) as ``datetime64[D]``."""
    if isinstance(dates, pd.Series):
        dates = dates.to_numpy()
    return np.asarray(dates, dtype="datetime64[D]")


def add_months(dates, months) -> np.ndarray:
    """``dates`` + ``months`` calendar months, clamped to the target month's last day."""
    days, months = np.broadcast_arrays(as_days(dates), np.asarray(months, dtype=np.int64))
    missing = np.isnat(days)
    if missing.any():  # NaT stays NaT
        out = np.full(days.shape, np.datetime64("NaT"), dtype="datetime64[D]")
        out[~missing] = _add_months(days[~missing], months[~missing])
        return out[()]
    return _add_months(days, months)


def _add_months(days: np.ndarray, months: np.ndarray) -> np.ndarray:
    """``add_months`` of days that are not NaT; the same ``months`` for many days within a few
    years is added once to every day of a table of the days they span."""
    table = _day_table(days)
    if table is not None and (months == months.flat[0]).all():
        first, offset = table
        return _months_later(first + np.arange(offset.max() + 1), months.flat[0])[offset]
    return _months_later(days, months)


def _months_later(days: np.ndarray, months) -> np.ndarray:
    month, day_of_month = month_and_day(days)
    first, length = _months(month + months)
    return first + np.minimum(day_of_month, length - 1)


_TABLE_FROM = 4096  # dates looked up in a table of every day they span, from this many


def month_and_day(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each day's month (counted from 1970-01, as ``datetime64[M]`` numbers them) and day of
    the month from 0. Many days within a few years are read from a table of every day
    between the first and the last, each worked out once (NaT apart)."""
    missing = np.isnat(days)
    if days.size >= _TABLE_FROM and missing.any():
        month = np.empty(days.shape, dtype=np.int64)
        day_of_month = np.empty(days.shape, dtype=np.int64)
        month[missing], day_of_month[missing] = _month_and_day(days[missing])
        month[~missing], day_of_month[~missing] = month_and_day(days[~missing])
        return month, day_of_month
    table = _day_table(days)
    if table is None:
        return _month_and_day(days)
    first, offset = table
    month, day_of_month = _month_and_day(first + np.arange(offset.max() + 1))
    return month[offset], day_of_month[offset]


def _month_and_day(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    month = days.astype("datetime64[M]")
    return month.astype(np.int64), (days - month.astype("datetime64[D]")).astype(np.int64)


def _day_table(days: np.ndarray) -> tuple[np.datetime64, np.ndarray] | None:
    """The first of ``days`` and each day's offset from it, when the days are many, none is
    NaT, and they span no more days than there are (else None)."""
    if days.size < _TABLE_FROM:
        return None
    numbers = days.astype("datetime64[D]", copy=False).view(np.int64)  # NaT: the least int64
    low, high = int(numbers.min()), int(numbers.max())
    if low == _NAT or high - low >= days.size:
        return None
    return np.datetime64(low, "D"), numbers - low


def _months(month: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first day (``datetime64[D]``) and the length in days of each month (numbered as
    by :func:`month_and_day`), each distinct month worked out once when they are many."""
    if month.size >= _TABLE_FROM:
        low, high = int(month.min()), int(month.max())
        if high - low < month.size:
            first, length = _month_starts(np.arange(low, high + 1))
            return first[month - low], length[month - low]
    return _month_starts(month)


def _month_starts(month: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    starts = month.astype("datetime64[M]")
    first = starts.astype("datetime64[D]")
    return first, ((starts + 1).astype("datetime64[D]") - first).astype(np.int64)


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
    years = _year(d) - _year(b)
    reached = add_months(b, years * 12) <= d
    return np.where(reached, years, years - 1)


def day_numbers(days) -> np.ndarray:
    """Days (none NaT) as YYYYMMDD numbers: 2024-07-01 -> 20240701."""
    month, day_of_month = month_and_day(as_days(days))
    return (month // 12 + 1970) * 10_000 + (month % 12 + 1) * 100 + day_of_month + 1


def completed_years(birth: np.ndarray, on: np.ndarray) -> np.ndarray:
    """:func:`age_on` of YYYYMMDD numbers: the years between them, less one before the
    birthday. A 29 February birthday falls on 28 February in a common year, as
    :func:`add_months` has it (民法典 第二百零二条)."""
    leap_day = np.flatnonzero(birth % 10_000 == 229)
    if len(leap_day):
        year = on[leap_day] // 10_000
        common = (year % 4 != 0) | ((year % 100 == 0) & (year % 400 != 0))
        birth = birth.copy()
        birth[leap_day[common]] -= 1
    return (on - birth) // 10_000


def _year(days: np.ndarray) -> np.ndarray:
    """Each day's year counted from 1970, as ``datetime64[Y]`` numbers them (NaT: the
    smallest int64, as there)."""
    year = month_and_day(days)[0] // 12
    return np.where(np.isnat(days), np.iinfo(np.int64).min, year)
