"""青海 专精特新一次性奖励: a brand's 行业龙头企业 recognised as provincial 专精特新 gets at most
500,000, as a national 专精特新"小巨人" at most 1,000,000, once per recognition.

青海省劳务品牌建设的实施意见（征求意见稿） 四(九).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from calculators.base import Assessment, Calculator, Checks, OneTimeKey
from calculators.coerce import Problems
from calculators.common import CREDIT_CODE, UNIT_NAME, labelled, yuan
from calculators.parameters import BoundParameters
from calculators.pricing import ByLevel
from calculators.template import Choice, Column, Template
from subsidies.domain.i18n import N_, _, fill

RECOGNITION = Column(
    "recognition",
    "认定类别",
    "choice",
    choices=(
        Choice("provincial", "省级专精特新", ("省级", '省级"专精特新"', "省级专精特新企业")),
        Choice(
            "national_little_giant",
            '国家级专精特新"小巨人"',
            ("国家级专精特新小巨人", '专精特新"小巨人"', "小巨人"),
        ),
    ),
)


class SpecialisedSme(Calculator):
    program_id = "qinghai.specialised_sme"
    pricing = ByLevel(  # "最高不超过": at the cap, so the plan is a ceiling
        (("provincial", "cap_provincial"), ("national_little_giant", "cap_national_little_giant")),
        at_cap=True,
    )
    template = Template(
        (
            UNIT_NAME,
            CREDIT_CODE,
            Column(
                "brand_lead_enterprise",
                "劳务品牌行业龙头企业",
                "yes_no",
                aliases=("劳务品牌龙头企业",),
            ),
            RECOGNITION,
            Column("requested_amount", "申请金额", "amount", aliases=("申请奖励金额",)),
        )
    )
    brand_unit = "credit_code"
    one_time_keys = (OneTimeKey(N_("unit and recognition"), ("credit_code", "recognition")),)

    def row_errors(self, claims: pd.DataFrame, problems: Problems, as_of: dt.date) -> None:
        problems.add(
            (claims["requested_amount"] == 0).fillna(False),
            _("requested_amount 申请金额: must be more than 0"),
        )

    def assess(self, claims: pd.DataFrame, params: BoundParameters) -> Assessment:
        checks = Checks(claims.index)
        checks.check(
            _("brand lead enterprise (劳务品牌行业龙头企业)"),
            claims["brand_lead_enterprise"].to_numpy(dtype=bool),
        )
        national = (claims["recognition"] == "national_little_giant").to_numpy()
        cap = np.where(
            national, params.values("cap_national_little_giant"), params.values("cap_provincial")
        )
        requested = claims["requested_amount"].to_numpy(dtype=np.int64)
        amount = np.minimum(requested, cap)
        checks.note(
            fill(
                _("{recognition}: requested {requested}, at most {cap} (不高于): pays {amount}"),
                recognition=labelled(RECOGNITION, claims["recognition"]),
                requested=yuan(requested),
                cap=yuan(cap),
                amount=yuan(amount),
            )
        )
        citation = np.where(
            national,
            params.citation("cap_national_little_giant"),
            params.citation("cap_provincial"),
        )
        return Assessment(checks, amount, citation)
