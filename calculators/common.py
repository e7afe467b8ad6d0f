"""Pieces several rules share: person groups, and checks on periods and ages."""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import pandas as pd

from calculators.base import Checks
from calculators.coerce import birth_dates, birth_numbers
from calculators.distinct import Texts, distinct_picks, per_distinct
from calculators.parameters import BoundParameters
from calculators.template import Choice, Column
from subsidies.domain.i18n import _, fill, ngettext, pgettext
from subsidies.domain.money import yuan_each
from subsidies.domain.periods import (
    age_on,
    as_days,
    completed_years,
    day_numbers,
    has_lasted,
    months_and_days,
)
from subsidies.domain.places import province_name

_GROUP_SPELLINGS = {
    "poverty_alleviated": ("脱贫劳动力", "脱贫人口", "脱贫户", "建档立卡脱贫人口"),
    "monitored": ("监测帮扶对象", "监测对象", "防止返贫监测对象", "防返贫监测对象"),
    "difficulty": ("就业困难人员", "就业困难"),
    "veteran": ("退役军人",),
    "graduate": ("离校2年未就业高校毕业生", "离校未就业高校毕业生", "高校毕业生"),
    "other": ("其他", "一般人员"),
}


def group(value: str, label: str) -> Choice:
    """A person group (人员类别) under the label its template uses, other spellings accepted."""
    return Choice(value, label, tuple(s for s in _GROUP_SPELLINGS[value] if s != label))


def labelled(column: Column, values: pd.Series) -> np.ndarray:
    """Enumeration values as ``value 中文`` for reasons (in Chinese the label alone)."""
    shown = pgettext("choice", "{value} {label}")
    return values.map(
        {c.value: shown.format(value=c.value, label=c.label) for c in column.choices}
    ).to_numpy(dtype=object)


def column_named(column: Column) -> str:
    """A column as a reason names it: ``start_date 开始日期`` (in Chinese ``开始日期``)."""
    return pgettext("column", "{name} {label}").format(name=column.name, label=column.label)


def period(start, end):
    """``2024-07-01..2024-08-31`` (in Chinese ``2024-07-01至2024-08-31``), of one or many."""
    return fill(_("{start}..{end}"), start=start, end=end)


def counted_each(values: np.ndarray, singular: str, plural: str) -> np.ndarray:
    """``1 month`` / ``2 months`` per row (``singular`` and ``plural`` hold ``{n}``)."""
    n = text(values)
    one = fill(ngettext(singular, plural, 1), n=n)
    return np.where(np.asarray(values) == 1, one, fill(ngettext(singular, plural, 2), n=n))


def text(values) -> np.ndarray:
    """Any array or Series as an object array of str (for building reasons)."""
    if isinstance(values, pd.Series):
        values = values.to_numpy()
    return np.asarray(values).astype(str).astype(object)


def dates(values: pd.Series) -> np.ndarray:
    return values.dt.strftime("%Y-%m-%d").to_numpy(dtype=object)


def check_span(
    checks: Checks,
    what: str,
    start: pd.Series,
    end: pd.Series,
    *,
    at_least: np.ndarray | None = None,
    less_than: np.ndarray | None = None,
) -> None:
    """Checks that the inclusive period lasted ``at_least`` (以上) and ``less_than`` (不足) months;
    each label is written once per distinct (start, end, months), when reasons are asked for
    (both labels from one look for the distinct periods)."""
    bounds = [months for months in (at_least, less_than) if months is not None]
    picks = functools.cache(functools.partial(distinct_picks, start, end, *bounds))
    first, last = as_days(start), as_days(end)
    if at_least is not None:
        label = functools.partial(_span_texts, picks, what, _("{lasted} ≥ {months}"), 2)
        checks.check(label, has_lasted(first, last, at_least))
    if less_than is not None:
        label = functools.partial(
            _span_texts, picks, what, _("{lasted} < {months}"), len(bounds) + 1
        )
        checks.check(label, ~has_lasted(first, last, less_than))


def _span_texts(picks: Callable[[], tuple], what: str, compared: str, column: int) -> Texts:
    """A span label per row, from the distinct (start, end, months…) ``picks`` gives."""
    codes, picked = picks()
    return Texts(codes, _span_label(what, compared, picked[0], picked[1], picked[column]))


def _span_label(what: str, compared: str, start, end, months_wanted) -> np.ndarray:
    """``picked 2 months 0 days (2024-07-01..2024-08-31) ≥ 2 months`` (in Chinese
    ``采摘 2个月0天（2024-07-01至2024-08-31），须满 2 个月``)."""
    months, days = months_and_days(start, end)
    lasted = fill(
        _("{what} {months} {days} ({period})"),
        what=what,
        months=counted_each(months, "{n} month", "{n} months"),
        days=counted_each(days, "{n} day", "{n} days"),
        period=period(dates(start), dates(end)),
    )
    return fill(
        compared, lasted=lasted, months=counted_each(months_wanted, "{n} month", "{n} months")
    )


def check_age(
    checks: Checks,
    who: str,
    ids: pd.Series,
    on: pd.Series,
    on_column: Column,
    params: BoundParameters,
) -> None:
    """The person is at least the minimum working age (劳动法 第十五条) on the first day of work."""
    minimum = params.values("minimum_working_age")
    age = ages(ids, on)
    template = _("{who} aged {age} on {day} {on} ≥ {minimum} (劳动法 第十五条)")

    def label(age, on, minimum) -> np.ndarray:
        return fill(
            template,
            who=who,
            age=text(age),
            day=column_named(on_column),
            on=dates(on),
            minimum=text(minimum),
        )

    checks.check(functools.partial(per_distinct, label, age, on, minimum), age >= minimum)


_NO_ID = "0" * 18  # stands in for a missing id: its birth digits 00000000 are no date


def ages(ids: pd.Series, on: pd.Series) -> np.ndarray:
    """Completed years of age on ``on`` of the holders of already checked 身份证号, as
    :func:`age_on` of their birth dates: from the ids' birth digits and the days as YYYYMMDD
    numbers when every day is there and every id readable (a missing one read as
    00000000, and given what :func:`age_on` makes of no birth date)."""
    days = as_days(on)
    births = None if np.isnat(days).any() else _birth_numbers(ids)
    if births is None:
        return age_on(birth_dates(ids), days)
    age = completed_years(births, day_numbers(days))
    unknown = births == 0
    if unknown.any():
        age[unknown] = age_on(np.full(unknown.sum(), np.datetime64("NaT")), days[unknown])
    return age


def _birth_numbers(ids: pd.Series) -> np.ndarray | None:
    """:func:`~calculators.coerce.birth_numbers` of every id, a missing one read as 0."""
    births = birth_numbers(ids.tolist())
    if births is None:  # an id is missing (a row refused for it), or not 18 characters
        births = birth_numbers(ids.to_numpy(dtype=object, na_value=_NO_ID).tolist())
    return births


def check_province(
    checks: Checks, what: str, codes: pd.Series, required: Texts | np.ndarray
) -> np.ndarray:
    """The province (2-digit code) is the one ``required`` for the row (the quicker coded by
    version, as ``params.texts`` gives it)."""
    required = Texts.of(required, len(codes))

    def label(codes, required) -> np.ndarray:
        names = codes.map(province_name).to_numpy(dtype=object)
        wanted = np.array([province_name(c) for c in required], dtype=object)
        return fill(_("{what} {province} is {wanted}"), what=what, province=names, wanted=wanted)

    one = len(required.values) == 1  # one province for every row: no need to spread it
    passed = codes.to_numpy() == (required.values[0] if one else required.values[required.codes])
    return checks.check(functools.partial(per_distinct, label, codes, required), passed)


UNIT_NAME = Column("unit_name", "单位名称", aliases=("建设单位", "申报单位", "单位"))
CREDIT_CODE = Column("credit_code", "统一社会信用代码", "credit_code", aliases=("信用代码",))


def yuan(values) -> np.ndarray:
    """Fen as "1,000.00 元" for reasons."""
    return yuan_each(values)
