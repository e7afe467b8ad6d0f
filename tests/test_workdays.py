"""subsidies.domain.workdays: China's working days with 调休, and the 5-working-day public notice."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from subsidies.domain.workdays import (
    PUBLISHED_THROUGH,
    CalendarNotPublishedError,
    add_working_days,
    is_working_day,
    notice_ends,
    working_days_between,
)

D = date.fromisoformat


@pytest.mark.parametrize(
    ("day", "working", "why"),
    [
        ("2024-09-27", True, "ordinary Friday"),
        ("2024-09-28", False, "ordinary Saturday"),
        ("2024-09-29", True, "Sunday made a working day before 国庆节 (调休)"),
        ("2024-09-30", True, "ordinary Monday"),
        ("2024-10-01", False, "国庆节"),
        ("2024-10-04", False, "国庆节 day off, substituted from 29 September"),
        ("2024-10-07", False, "国庆节 day off, substituted from 12 October"),
        ("2024-10-08", True, "first working day after 国庆节"),
        ("2024-10-12", True, "Saturday made a working day (调休)"),
        ("2024-10-13", False, "ordinary Sunday"),
        ("2025-01-26", True, "Sunday made a working day before 春节 (调休)"),
        ("2025-01-27", True, "Monday before 除夕"),
        ("2025-01-28", False, "农历除夕 (a holiday from 2025)"),
        ("2025-01-29", False, "春节"),
        ("2025-02-04", False, "春节 day off, substituted from 8 February"),
        ("2025-02-05", True, "first working day after 春节"),
        ("2025-02-08", True, "Saturday made a working day (调休)"),
        ("2025-02-09", False, "ordinary Sunday"),
        ("2026-01-02", False, "元旦 day off, substituted from 4 January"),
        ("2026-01-04", True, "Sunday made a working day (调休)"),
    ],
)
def test_is_working_day(day, working, why):
    assert is_working_day(D(day)) is working, why


@pytest.mark.parametrize(
    ("start", "n", "expected", "why"),
    [
        ("2024-06-17", 0, "2024-06-17", "n=0 is the start itself"),
        ("2024-06-22", 0, "2024-06-22", "n=0 is the start, even on a Saturday"),
        ("2024-06-17", 1, "2024-06-18", "Monday: the next day is day 1"),
        ("2024-06-17", 5, "2024-06-24", "Monday + 5: Tue..Fri, then the next Monday"),
        ("2024-06-21", 5, "2024-06-28", "Friday + 5: the following Friday"),
        ("2024-06-22", 5, "2024-06-28", "published Saturday: Mon..Fri"),
        ("2024-06-23", 5, "2024-06-28", "published Sunday: Mon..Fri"),
        ("2024-06-05", 5, "2024-06-13", "Wednesday + 5: 端午节 Mon 10 June is off"),
        ("2024-09-27", 1, "2024-09-29", "the 调休 Sunday is the next working day"),
        ("2024-09-27", 2, "2024-09-30", "Sunday 29, Monday 30"),
        ("2024-09-27", 3, "2024-10-08", "国庆节 1-7 October skipped"),
        ("2024-09-27", 5, "2024-10-10", "29, 30 Sep, 8, 9, 10 Oct"),
        ("2024-09-29", 5, "2024-10-11", "published on the 调休 Sunday: it does not count"),
        ("2024-09-30", 5, "2024-10-12", "30 Sep published; 8-11 Oct and the 调休 Saturday 12"),
        ("2024-10-01", 5, "2024-10-12", "published during the holiday: 8-12 October"),
        ("2025-01-24", 5, "2025-02-07", "26, 27 Jan, then 5-7 Feb after 春节"),
        ("2025-01-27", 1, "2025-02-05", "除夕 to 4 February off"),
        ("2025-02-05", 3, "2025-02-08", "the 调休 Saturday is day 3"),
        ("2024-12-27", 5, "2025-01-06", "元旦 2025 skipped"),
    ],
)
def test_add_working_days(start, n, expected, why):
    assert add_working_days(D(start), n) == D(expected), why


@pytest.mark.parametrize(
    ("published", "days", "ends"),
    [
        ("2024-09-27", 5, "2024-10-10"),
        ("2025-01-24", 5, "2025-02-07"),
        ("2024-06-17", 5, "2024-06-24"),
        ("2024-06-17", 7, "2024-06-26"),
    ],
)
def test_notice_ends_is_the_nth_working_day_after_publication(published, days, ends):
    end = notice_ends(D(published), days)
    assert end == D(ends)
    assert working_days_between(D(published), end) == days
    assert is_working_day(end)


@pytest.mark.parametrize(
    ("a", "b", "count", "why"),
    [
        ("2024-06-17", "2024-06-17", 0, "same day"),
        ("2024-06-17", "2024-06-18", 1, "the start day does not count"),
        ("2024-06-17", "2024-06-23", 4, "Tue..Fri"),
        ("2024-06-07", "2024-06-10", 0, "weekend, then 端午节 on Monday"),
        ("2024-09-27", "2024-10-07", 2, "29 and 30 September only"),
        ("2024-09-27", "2024-10-12", 7, "29, 30 Sep, 8-12 Oct"),
        ("2025-01-24", "2025-02-09", 6, "26, 27 Jan, 5-8 Feb"),
        ("2024-01-01", "2024-12-31", 251, "2024 had 251 working days"),
        ("2024-10-12", "2024-09-27", -7, "reversed: negative"),
    ],
)
def test_working_days_between(a, b, count, why):
    assert working_days_between(D(a), D(b)) == count, why


def test_round_trip_over_a_year():
    start = D("2024-01-01")
    for n in range(0, 260, 7):
        assert working_days_between(start, add_working_days(start, n)) == n


def test_datetime_is_read_as_its_date():
    assert add_working_days(datetime(2024, 9, 27, 17, 30), 5) == D("2024-10-10")


@pytest.mark.parametrize("bad", [-1])
def test_negative_n_refused(bad):
    with pytest.raises(ValueError, match="0 or more"):
        add_working_days(D("2024-06-17"), bad)


def test_a_notice_of_no_days_is_refused():
    with pytest.raises(ValueError, match="at least one"):
        notice_ends(D("2024-06-17"), 0)


def test_a_year_without_an_official_notice_is_refused():
    first_unknown = date(PUBLISHED_THROUGH + 1, 1, 4)
    with pytest.raises(CalendarNotPublishedError, match="upgrade the holidays package"):
        is_working_day(first_unknown)
    # Counting across the year's end into an unknown year is refused too.
    with pytest.raises(CalendarNotPublishedError):
        add_working_days(date(PUBLISHED_THROUGH, 12, 28), 10)
    with pytest.raises(CalendarNotPublishedError):
        is_working_day(date(2000, 6, 1))


def test_a_year_added_from_a_calendar_file(tmp_path, monkeypatch):
    """Until `holidays` carries a year, the officer copies the State Council's notice into a
    file; weekends, days off and 调休 days then count as the notice says."""
    year = PUBLISHED_THROUGH + 1
    (tmp_path / f"{year}.yaml").write_text(
        f"year: {year}\n"
        "notice: 国务院办公厅关于部分节假日安排的通知 (test)\n"
        f"holidays: [{year}-01-01, {year}-02-08..{year}-02-12]\n"
        f"workdays: [{year}-02-07]\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SUBSIDIES_CALENDAR", str(tmp_path))
    assert not is_working_day(date(year, 1, 1))
    assert is_working_day(date(year, 2, 7))  # 调休, whatever weekday it falls on
    assert not is_working_day(date(year, 2, 10))
    # the count runs across the year's end from the official calendar into the file's
    last = date(PUBLISHED_THROUGH, 12, 31)
    end = add_working_days(last, 3)
    expected = [d for d in (date(year, 1, k) for k in range(2, 10)) if d.weekday() < 5][2]
    assert end == expected
    assert working_days_between(last, end) == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("holidays: [2030-01-01]\n", "needs `year:`"),
        ("year: 2030\nholidays: [2031-01-01]\n", "only days of that year"),
        ("year: 2030\nholidays: [2030-13-01]\n", "not a readable calendar file"),
        ("year: 2030\nholidays: [first of May]\n", "not a date"),
    ],
)
def test_a_bad_calendar_file_is_named(tmp_path, monkeypatch, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    monkeypatch.setenv("SUBSIDIES_CALENDAR", str(path))
    with pytest.raises(CalendarNotPublishedError, match=message) as error:
        is_working_day(date(2030, 1, 2))
    assert str(path) in str(error.value)
