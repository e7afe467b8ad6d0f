"""大连 劳务品牌一次性补贴: a newly recognised brand's builder (建设单位) is paid once per level,
provincial 100,000 and city 50,000; district-level brands are recognised but not paid.

大人社发〔2022〕187号 三(四)5.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from calculators.base import Assessment, Calculator, Checks, OneTimeKey
from calculators.common import CREDIT_CODE, UNIT_NAME, labelled
from calculators.parameters import BoundParameters
from calculators.pricing import ByLevel
from calculators.template import Choice, Column, Template

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


class BrandRecognition(Calculator):
    program_id = "dalian.brand_recognition"
    template = Template(
        (
            UNIT_NAME,
            CREDIT_CODE,
            Column("brand_name", "品牌名称", aliases=("劳务品牌名称", "劳务品牌")),
            LEVEL,
            Column("recognized_on", "认定日期", "date", aliases=("认定时间",)),
        )
    )
    brand_unit = "credit_code"
    brand_name = "brand_name"
    one_time_keys = (OneTimeKey("unit, brand and level", ("credit_code", "brand_name", "level")),)
    pricing = ByLevel(  # 三(四)5 pays provincial and city levels only
        (("provincial", "amount_provincial"), ("city", "amount_city"), ("district", None)),
        unpaid_remark="区级不予补贴",
    )

    def assess(self, claims: pd.DataFrame, params: BoundParameters) -> Assessment:
        checks = Checks(claims.index)
        level = claims["level"].to_numpy(dtype=object)
        amount = np.select(
            [level == "provincial", level == "city"],
            [params.values("amount_provincial"), params.values("amount_city")],
            0,
        )
        checks.check(
            "level " + labelled(LEVEL, claims["level"]) + " is paid (省级 or 市级 only)",
            amount > 0,
        )
        return Assessment(checks, amount, params.citation("amount_city"))
