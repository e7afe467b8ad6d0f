"""What the three 广西 "八桂系列" awards share: paid once per unit and award for an
autonomous-region-level (自治区级) recognition, at the amount in the program's own file.

桂政办发〔2021〕141号 四(一)2 (培训示范基地, 专家工作室), 四(三)1 (龙头企业).
"""

from __future__ import annotations

import pandas as pd

from calculators.base import Assessment, Calculator, Checks, OneTimeKey
from calculators.common import CREDIT_CODE, UNIT_NAME, labelled
from calculators.parameters import BoundParameters
from calculators.template import Choice, Column, Template
from subsidies.domain.i18n import N_, _, fill

LEVEL = Column(
    "level",
    "认定级别",
    "choice",
    choices=(
        Choice(
            "region", "自治区级", ("自治区",)
        ),  # not 区级: in Guangxi a 区 can be an urban district
        Choice("city", "市级"),
        Choice("county", "县级", ("县(市、区)级",)),
    ),
    aliases=("级别",),
)


class RegionAward(Calculator):
    template = Template(
        (
            UNIT_NAME,
            CREDIT_CODE,
            LEVEL,
            Column("recognized_on", "认定日期", "date", aliases=("认定时间",)),
        )
    )
    brand_unit = "credit_code"
    one_time_keys = (OneTimeKey(N_("unit and award"), ("credit_code",)),)

    def assess(self, claims: pd.DataFrame, params: BoundParameters) -> Assessment:
        checks = Checks(claims.index)
        paid = checks.check(
            fill(_("level {level} is 自治区级"), level=labelled(LEVEL, claims["level"])),
            params.member("paid_levels", claims["level"]),
        )
        return Assessment(checks, params.values("amount") * paid, params.citation("amount"))
