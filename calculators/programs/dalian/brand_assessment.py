"""大连 劳务品牌认定标准 (no money): city and district levels.

大人社发〔2022〕187号 三(四)2.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from calculators.base import Assessment, Calculator, Checks
from calculators.common import CREDIT_CODE, UNIT_NAME, labelled, text
from calculators.parameters import BoundParameters
from calculators.standards import (
    check_conditions,
    count_column,
    percent_column,
    percent_text,
    yes_column,
)
from calculators.template import Choice, Column, Template
from subsidies.domain.i18n import N_, _, fill

DALIAN_LEVEL = Column(
    "level",
    "认定级别",
    "choice",
    choices=(
        Choice("city", "市级", ("市级劳务品牌",)),
        Choice("district", "区级", ("区级劳务品牌", "县级")),
    ),
)


class DalianAssessment(Calculator):
    program_id = "dalian.brand_assessment"
    template = Template(
        (
            UNIT_NAME,
            CREDIT_CODE,
            DALIAN_LEVEL,
            yes_column("registered_in_dalian", "注册或登记地在大连市", "注册地在大连"),
            yes_column("independent_legal_person", "独立法人资格", "具备独立法人资格"),
            yes_column("brand_identity", "独立品牌名称或商标"),
            yes_column(
                "lawful_conduct", "无违法经营、拖欠工资、未签合同或欠缴社保", "遵守法律法规"
            ),
            count_column("trained_per_year", "年培训人数", "每年培训人数"),
            percent_column("training_pass_rate", "培训合格率"),
            count_column(
                "placed_per_year", "年输出就业人数", "每年输出就业人数", "每年吸纳或输出就业人数"
            ),
            percent_column("placed_trained_share", "经培训人员比例", "经过特色职业培训的人员比例"),
            percent_column("contract_rate", "劳动合同签订率"),
            percent_column("filing_rate", "劳动用工备案率"),
        )
    )

    def assess(self, claims: pd.DataFrame, params: BoundParameters) -> Assessment:
        checks = Checks(claims.index)
        check_conditions(
            checks,
            claims,
            self.template,
            (
                "independent_legal_person",
                "registered_in_dalian",
                "brand_identity",
                "lawful_conduct",
            ),
        )
        city = (claims["level"] == "city").to_numpy()
        level = labelled(DALIAN_LEVEL, claims["level"])
        trained = claims["trained_per_year"].to_numpy(dtype=np.int64)
        placed = claims["placed_per_year"].to_numpy(dtype=np.int64)
        min_trained = np.where(
            city, params.values("city_min_trained"), params.values("district_min_trained")
        )
        min_placed = np.where(
            city, params.values("city_min_placed"), params.values("district_min_placed")
        )
        checks.check(
            fill(
                _("{level}: trained {trained} a year ≥ {least}"),
                level=level,
                trained=text(trained),
                least=text(min_trained),
            ),
            trained >= min_trained,
        )
        rate = claims["training_pass_rate"].to_numpy(dtype=np.int64)
        over = params.values("pass_rate_over")
        checks.check(
            fill(
                _("pass rate {rate} > {over} (超过)"),
                rate=percent_text(rate),
                over=percent_text(over),
            ),
            rate > over,
        )
        checks.check(
            fill(
                _("{level}: placed {placed} a year ≥ {least}"),
                level=level,
                placed=text(placed),
                least=text(min_placed),
            ),
            placed >= min_placed,
        )
        share = claims["placed_trained_share"].to_numpy(dtype=np.int64)
        min_share = params.values("min_trained_share")
        checks.check(
            fill(
                _("trained share of placed {share} ≥ {least}"),
                share=percent_text(share),
                least=percent_text(min_share),
            ),
            share >= min_share,
        )
        for name, parameter, what in (
            ("contract_rate", "min_contract_rate", N_("labour contract rate")),
            ("filing_rate", "min_filing_rate", N_("employment filing rate")),
        ):
            value = claims[name].to_numpy(dtype=np.int64)
            wanted = params.values(parameter)
            checks.check(
                fill(
                    _("{what} {value} = {wanted}"),
                    what=_(what),
                    value=percent_text(value),
                    wanted=percent_text(wanted),
                ),
                value >= wanted,
            )
        citation = np.where(
            city, "大人社发〔2022〕187号 三(四)2(1)", "大人社发〔2022〕187号 三(四)2(2)"
        )
        return Assessment(checks, np.zeros(len(claims), dtype=np.int64), citation)
