"""大连 劳务品牌一次性补贴: a newly recognised brand's builder (建设单位) is paid once per level,
provincial 100,000 and city 50,000; district-level brands are recognised but not paid.

大人社发〔2022〕187号 三(四)5. A city- or district-level brand was applied for by 30 September
of the year it was applied for in (三(四)3(1) "申报市、区两级劳务品牌的建设单位应于每年9月30日前
……提出申请"): the claim carries its application date (申请日期), and one received after that
year's deadline is ineligible. A provincial brand is recognised by the province, not applied
for with Dalian's district bureaus, so its application date is not asked for.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from calculators.base import Assessment, Calculator, Checks, OneTimeKey
from calculators.coerce import Problems
from calculators.common import CREDIT_CODE, UNIT_NAME, labelled
from calculators.parameters import BoundParameters
from calculators.pricing import ByLevel
from calculators.template import Choice, Column, Template
from subsidies.domain.i18n import N_, _, fill

LEVEL = Column(
    "level",
    "认定级别",
    "choice",
    choices=(
        Choice("provincial", "省级", ("省级劳务品牌",)),
        Choice("city", "市级", ("市级劳务品牌",)),
        Choice("district", "区级", ("区级劳务品牌", "县级", "区(市)县级")),
    ),
    aliases=("级别",),
)
APPLIED = ("city", "district")  # the levels applied for by 30 September (三(四)3(1))


class BrandRecognition(Calculator):
    program_id = "dalian.brand_recognition"
    template = Template(
        (
            UNIT_NAME,
            CREDIT_CODE,
            Column("brand_name", "品牌名称", aliases=("劳务品牌名称", "劳务品牌")),
            LEVEL,
            Column("recognized_on", "认定日期", "date", aliases=("认定时间",)),
            Column(
                "applied_on",
                "申请日期",
                "date",
                required=False,
                aliases=("申报日期", "申请时间", "申报时间"),
                note="city and district levels",
                only_when=("level", APPLIED),
            ),
        ),
        ordered_dates=(("applied_on", "recognized_on"),),
    )
    brand_unit = "credit_code"
    brand_name = "brand_name"
    one_time_keys = (
        OneTimeKey(N_("unit, brand and level"), ("credit_code", "brand_name", "level")),
    )
    pricing = ByLevel(  # 三(四)5 pays provincial and city levels only
        (("provincial", "amount_provincial"), ("city", "amount_city"), ("district", None)),
        unpaid_remark="区级不予补贴",
    )

    def row_errors(self, claims: pd.DataFrame, problems: Problems, as_of: dt.date) -> None:
        if "applied_on" not in claims:
            claims["applied_on"] = pd.Series(pd.NaT, index=claims.index, dtype="datetime64[s]")
        missing = claims["level"].isin(APPLIED) & claims["applied_on"].isna()
        problems.add(
            missing,
            _("applied_on 申请日期: missing (required for a city or district brand, 三(四)3(1))"),
        )

    def assess(self, claims: pd.DataFrame, params: BoundParameters) -> Assessment:
        checks = Checks(claims.index)
        applied = claims["applied_on"]
        deadline = _deadlines(applied, params.values("application_deadline"))
        checks.check(
            lambda: fill(
                _("applied {applied} by that year's deadline {deadline} ({citation})"),
                applied=_shown(applied),
                deadline=_shown(deadline),
                citation=params.citation("application_deadline"),
            ),
            ~(applied > deadline).to_numpy(),
            applies=claims["level"].isin(APPLIED).to_numpy(),
        )
        level = claims["level"].to_numpy(dtype=object)
        amount = np.select(
            [level == "provincial", level == "city"],
            [params.values("amount_provincial"), params.values("amount_city")],
            0,
        )
        checks.check(
            fill(
                _("level {level} is paid (省级 or 市级 only)"),
                level=labelled(LEVEL, claims["level"]),
            ),
            amount > 0,
        )
        return Assessment(checks, amount, params.citation("amount_city"))


def _deadlines(applied: pd.Series, month_days: np.ndarray) -> pd.Series:
    """Each application's deadline: the ``MM-DD`` in force, in the application's own year
    (NaT where there is no application date)."""
    years = applied.dt.year.astype("Int64").astype("string")
    return pd.to_datetime(years + "-" + pd.Series(month_days, index=applied.index), errors="coerce")


def _shown(days: pd.Series) -> np.ndarray:
    return days.dt.strftime("%Y-%m-%d").fillna("").to_numpy(dtype=object)
