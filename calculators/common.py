"""Pieces several rules share: person groups, and checks on periods and ages."""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import pandas as pd

from calculators.base import Checks
from calculators.coerce import birth_dates
from calculators.distinct import per_distinct
from calculators.parameters import BoundParameters
from calculators.template import Choice, Column
from subsidies.money import format_yuan_grouped
from subsidies.periods import age_on, has_lasted, months_and_days
from subsidies.places import province_name

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
    """Enumeration values as ``value 中文`` for reasons."""
    return values.map({c.value: f"{c.value} {c.label}" for c in column.choices}).to_numpy(
        dtype=object
    )


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
    each label is written once per distinct (start, end, months), when reasons are asked for."""
    if at_least is not None:
        label = functools.partial(per_distinct, _span_labeller(what, " ≥ "), start, end, at_least)
        checks.check(label, has_lasted(start, end, at_least))
    if less_than is not None:
        label = functools.partial(per_distinct, _span_labeller(what, " < "), start, end, less_than)
        checks.check(label, ~has_lasted(start, end, less_than))


def _span_labeller(what: str, compared: str) -> Callable[..., np.ndarray]:
    return functools.partial(_span_label, what, compared)


def _span_label(what: str, compared: str, start, end, months_wanted) -> np.ndarray:
    """``picked 2 months 0 days (2024-07-01..2024-08-31) ≥ 2 months``."""
    months, days = months_and_days(start, end)
    lasted = (
        f"{what} "
        + text(months)
        + np.where(months == 1, " month ", " months ")
        + text(days)
        + np.where(days == 1, " day (", " days (")
        + dates(start)
        + ".."
        + dates(end)
        + ")"
    )
    return lasted + compared + text(months_wanted) + " months"


def check_age(
    checks: Checks, who: str, ids: pd.Series, on: pd.Series, on_label: str, params: BoundParameters
) -> None:
    """The person is at least the minimum working age (劳动法 第十五条) on the first day of work."""
    minimum = params.values("minimum_working_age")
    age = age_on(birth_dates(ids), on)

    def label(age, on, minimum) -> np.ndarray:
        return (
            f"{who} aged "
            + text(age)
            + f" on {on_label} "
            + dates(on)
            + " ≥ "
            + text(minimum)
            + " (劳动法 第十五条)"
        )

    checks.check(functools.partial(per_distinct, label, age, on, minimum), age >= minimum)


def check_province(checks: Checks, what: str, codes: pd.Series, required: np.ndarray) -> np.ndarray:
    def label(codes, required) -> np.ndarray:
        names = codes.map(province_name).to_numpy(dtype=object)
        wanted = np.array([province_name(c) for c in required], dtype=object)
        return f"{what} " + names + " is " + wanted

    passed = codes.to_numpy() == required
    return checks.check(functools.partial(per_distinct, label, codes, required), passed)


UNIT_NAME = Column("unit_name", "单位名称", aliases=("建设单位", "申报单位", "单位"))
CREDIT_CODE = Column("credit_code", "统一社会信用代码", "credit_code", aliases=("信用代码",))


def yuan(values) -> np.ndarray:
    """Fen as "1,000.00 元" for reasons."""
    return np.array([format_yuan_grouped(int(v)) + " 元" for v in np.asarray(values)], dtype=object)
