"""Chinese working days (工作日), for the public notice (公示) before recognition.

The notice lasts "5个工作日": Dalian 大人社发〔2022〕187号 三(四)3(2) "公示5个工作日";
Yingkou 营人社〔2023〕43号 第十三条 "公示期不少于5个工作日".

A working day is a day that is neither a public holiday nor a weekend, plus the
weekend days that the State Council's yearly notice turns into working days (调休,
e.g. Sunday 2024-09-29 before 国庆节). The calendar is the China calendar of the
``holidays`` package (``holidays.country_holidays("CN")``: its ``is_working_day``
honours ``weekend_workdays``). The package carries the State Council's notices up
to a last year (:data:`PUBLISHED_THROUGH`); for a later year it could only guess
(no 调休 is known before the notice is issued), so a date in such a year raises
:class:`CalendarNotPublishedError` instead of giving a wrong day: upgrade
``holidays`` once the year's notice is out, or, until a release carries it, copy the
notice's days into a calendar file (``subsidies/domain/calendar/YYYY.yaml``, or a file or
folder named by ``$SUBSIDIES_CALENDAR``)::

    year: 2027
    notice: 国务院办公厅关于2027年部分节假日安排的通知
    holidays: [2027-01-01, 2027-02-06..2027-02-12]   # days off (a..b: every day between)
    workdays: [2027-02-14]                           # weekend days worked (调休)

A year the installed ``holidays`` carries is always taken from it.

How the count is made (民法典 第二百零一条: "按照年、月、日计算期间的，开始的当日不计入，
自下一日开始计算"): the day a notice is published never counts, whatever day it is.
The first working day *after* it is day 1; the notice has run ``n`` working days at
the end of the ``n``-th working day after publication, which is its last day, and
approval may follow from the next day. So a notice published on Friday 2024-09-27
for 5 working days counts Sun 29 Sep (调休), Mon 30 Sep, then (1–7 Oct being 国庆节)
Tue 8 Oct, Wed 9 Oct, Thu 10 Oct: it ends on 2024-10-10.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path

import holidays
import yaml
from holidays.countries.china import ChinaStaticHolidays

__all__ = [
    "FIRST_YEAR",
    "PUBLISHED_THROUGH",
    "CalendarNotPublishedError",
    "add_working_days",
    "is_working_day",
    "notice_ends",
    "working_days_between",
]

#: The first year whose holiday notice the ``holidays`` package checked against the
#: State Council's (its China calendar: "Only checked with the official General Office
#: of the State Council Notice from 2001 onwards").
FIRST_YEAR = 2001

#: The last year for which the installed ``holidays`` carries the State Council's
#: notice (its substituted days, 调休).
PUBLISHED_THROUGH: int = max(ChinaStaticHolidays.special_public_holidays)

_ONE_DAY = timedelta(days=1)


class CalendarNotPublishedError(ValueError):
    """A date outside the years whose official holiday notice the calendar carries."""


@cache
def _calendar() -> holidays.HolidayBase:
    # One read-only calendar for every covered year (expand=False: nothing is ever
    # guessed for a year outside it; _check refuses such dates first). The years
    # either side let a 调休 day listed under the neighbouring year's notice count.
    return holidays.country_holidays(
        "CN", years=range(FIRST_YEAR - 1, PUBLISHED_THROUGH + 2), expand=False
    )


CALENDAR_ENV = "SUBSIDIES_CALENDAR"


def _dates(entries: list, where: str) -> frozenset[date]:
    """``2027-01-01`` and ``2027-02-06..2027-02-12`` entries as a set of days."""
    days: set[date] = set()
    for entry in entries or []:
        first, _, last = str(entry).partition("..")
        try:
            start = date.fromisoformat(first.strip())
            end = date.fromisoformat(last.strip()) if last else start
        except ValueError:
            raise CalendarNotPublishedError(
                f"{where}: {entry!r} is not a date or date..date"
            ) from None
        days.update(start + timedelta(days=k) for k in range((end - start).days + 1))
    return frozenset(days)


@cache
def _calendar_files(source: str) -> dict[int, tuple[frozenset[date], frozenset[date]]]:
    """Years added from calendar files: year -> (days off, weekend days worked)."""
    paths = sorted(Path(str(resources.files("subsidies.domain") / "calendar")).glob("*.yaml"))
    if source:
        given = Path(source)
        paths += sorted(given.glob("*.yaml")) if given.is_dir() else [given]
    years = {}
    for path in paths:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, ValueError, yaml.YAMLError) as error:
            raise CalendarNotPublishedError(
                f"{path}: not a readable calendar file ({error})"
            ) from None
        year = data.get("year")
        off, worked = (
            _dates(data.get("holidays"), str(path)),
            _dates(data.get("workdays"), str(path)),
        )
        if not isinstance(year, int) or any(d.year != year for d in off | worked):
            raise CalendarNotPublishedError(f"{path}: needs `year:` and only days of that year")
        years[year] = (off, worked)
    return years


def _added_years() -> dict[int, tuple[frozenset[date], frozenset[date]]]:
    return _calendar_files(os.environ.get(CALENDAR_ENV, ""))


def _check(day: date) -> date:
    if isinstance(day, datetime):
        day = day.date()
    if not isinstance(day, date):
        raise TypeError(f"expected a date, got {type(day).__name__}")
    if not FIRST_YEAR <= day.year <= PUBLISHED_THROUGH and day.year not in _added_years():
        raise CalendarNotPublishedError(_not_published(day))
    return day


def _not_published(day: date) -> str:
    """Why ``day`` cannot be counted, and how the officer adds its year, in their words."""
    year = day.year
    return (
        f"{day.isoformat()}：本系统尚未载入{year}年的节假日安排，无法按工作日（含调休）计算。"
        f"请查阅国务院办公厅发布的《国务院办公厅关于{year}年部分节假日安排的通知》"
        f"（中国政府网 www.gov.cn 公布，通常在上一年年底），将其中的放假日期和调休上班日期"
        f"录入日历文件 subsidies/domain/calendar/{year}.yaml，或录入环境变量 {CALENDAR_ENV} "
        f"指定的文件或文件夹，格式为：year: {year} / notice: 国务院办公厅关于{year}年部分节假日"
        f"安排的通知 / holidays: [放假日期，连续的写作 {year}-MM-DD..{year}-MM-DD] / workdays: "
        f"[调休上班的周末日期]；或升级 holidays 软件包。"
        f" (The installed holidays {holidays.__version__} carries China's official holiday "
        f"notices for {FIRST_YEAR}–{PUBLISHED_THROUGH} only; working days in {year} are not "
        f"known: upgrade the holidays package, or copy the State Council's notice for {year} "
        f"into a calendar file.)"
    )


def _works(day: date) -> bool:
    if day.year <= PUBLISHED_THROUGH:
        return _calendar().is_working_day(day)
    off, worked = _added_years()[day.year]
    return day in worked or (day.weekday() < 5 and day not in off)


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day in China: not a weekend or public holiday,
    or a weekend day made a working day (调休)."""
    return _works(_check(day))


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself never counts).

    Counting starts on the day after ``start`` (民法典 第二百零一条: 开始的当日不计入),
    whether or not ``start`` is a working day; ``n = 0`` returns ``start``.
    """
    if n < 0:
        raise ValueError(f"n must be 0 or more, got {n}")
    day = _check(start)
    while n:
        day = _check(day + _ONE_DAY)
        if _works(day):
            n -= 1
    return day


def notice_ends(published_on: date, working_days: int) -> date:
    """The last day of a notice published on ``published_on`` lasting ``working_days``.

    The publication day does not count (民法典 第二百零一条); the notice ends at the end
    of the ``working_days``-th working day after it, and approval may follow from the
    next day (大人社发〔2022〕187号 三(四)3(2) "公示5个工作日"; 营人社〔2023〕43号
    第十三条 "公示期不少于5个工作日").
    """
    if working_days < 1:
        raise ValueError(f"a notice lasts at least one working day, got {working_days}")
    return add_working_days(published_on, working_days)


def working_days_between(a: date, b: date) -> int:
    """Working days after ``a`` up to and including ``b`` (``a`` itself never counts).

    So ``working_days_between(a, add_working_days(a, n)) == n``, and a notice published
    on ``a`` has run ``k`` working days by the end of ``b``. When ``b`` is before ``a``
    the count is negative: ``working_days_between(b, a) == -working_days_between(a, b)``.
    """
    a, b = _check(a), _check(b)
    if b < a:
        return -working_days_between(b, a)
    return sum(_works(_check(a + timedelta(days=k))) for k in range(1, (b - a).days + 1))
