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
``holidays`` once the year's notice is out.

How the count is made (民法典 第二百零一条: "按照年、月、日计算期间的，开始的当日不计入，
自下一日开始计算"): the day a notice is published never counts, whatever day it is.
The first working day *after* it is day 1; the notice has run ``n`` working days at
the end of the ``n``-th working day after publication, which is its last day, and
approval may follow from the next day. So a notice published on Friday 2024-09-27
for 5 working days counts Sun 29 Sep (调休), Mon 30 Sep, then (1–7 Oct being 国庆节)
Tue 8 Oct, Wed 9 Oct, Thu 10 Oct: it ends on 2024-10-10.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

import holidays
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


def _check(day: date) -> date:
    if isinstance(day, datetime):
        day = day.date()
    if not isinstance(day, date):
        raise TypeError(f"expected a date, got {type(day).__name__}")
    if not FIRST_YEAR <= day.year <= PUBLISHED_THROUGH:
        raise CalendarNotPublishedError(
            f"{day.isoformat()}: the installed holidays {holidays.__version__} carries China's "
            f"official holiday notices for {FIRST_YEAR}–{PUBLISHED_THROUGH} only; working days "
            f"in {day.year} (调休 included) are not known: upgrade the holidays package"
        )
    return day


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day in China: not a weekend or public holiday,
    or a weekend day made a working day (调休)."""
    return _calendar().is_working_day(_check(day))


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
        if _calendar().is_working_day(day):
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
    calendar = _calendar()
    return sum(calendar.is_working_day(a + timedelta(days=k)) for k in range(1, (b - a).days + 1))
