"""营口 市级劳务品牌认定条件 (no money).

营人社〔2023〕43号 第八条.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from calculators.base import Assessment, Calculator, Checks
from calculators.common import CREDIT_CODE, UNIT_NAME, text
from calculators.parameters import BoundParameters
from calculators.standards import check_conditions, count_column, percent_text, yes_column
from calculators.template import Template
from subsidies.domain.i18n import _, fill


class YingkouAssessment(Calculator):
    program_id = "yingkou.brand_assessment"
    template = Template(
        (
            UNIT_NAME,
            CREDIT_CODE,
            yes_column("independent_legal_person", "独立法人资格", "具有独立法人资格"),
            yes_column("premises_and_rules", "固定场所及管理、财务制度"),
            yes_column("no_violations_or_disputes", "无违法违纪及未了结纠纷"),
            yes_column("brand_identity", "独立品牌名称或注册商标"),
            yes_column("output_agreements", "长期稳定输出合作协议"),
            yes_column("records_complete", "培训及就业台账完整"),
            yes_column("intangible_heritage", "非物质文化遗产类企业", "非遗企业"),
            count_column("years_operating", "运行年限"),
            count_column("trained_last_two_years", "近两年培训人数", "近两年总培训人员"),
            count_column(
                "working_in_trade_after_training", "培训后从事该行业人数", "培训后从事该行业人员"
            ),
            count_column("trained_per_year", "年培训人数", "每年培训人数"),
            count_column("placed_per_year", "年自用或输出人数", "每年自用或输出人数"),
        )
    )

    def assess(self, claims: pd.DataFrame, params: BoundParameters) -> Assessment:
        checks = Checks(claims.index)
        check_conditions(
            checks,
            claims,
            self.template,
            ("independent_legal_person", "premises_and_rules", "no_violations_or_disputes"),
        )
        years = claims["years_operating"].to_numpy(dtype=np.int64)
        min_years = params.values("min_years_operating")
        checks.check(
            fill(
                _("operating {years} years ≥ {least} (含)"),
                years=text(years),
                least=text(min_years),
            ),
            years >= min_years,
        )
        check_conditions(checks, claims, self.template, ("brand_identity",))
        two_years = claims["trained_last_two_years"].to_numpy(dtype=np.int64)
        over_two = params.values("trained_two_years_over")
        checks.check(
            fill(
                _("trained over the last two years {trained} > {over} (超过)"),
                trained=text(two_years),
                over=text(over_two),
            ),
            two_years > over_two,
        )
        in_trade = claims["working_in_trade_after_training"].to_numpy(dtype=np.int64)
        over_trade = params.values("working_in_trade_over")
        checks.check(
            fill(
                _("working in the trade after training {working} > {over} (超过)"),
                working=text(in_trade),
                over=text(over_trade),
            ),
            in_trade > over_trade,
        )
        trained = claims["trained_per_year"].to_numpy(dtype=np.int64)
        min_trained = params.values("min_trained_per_year")
        checks.check(
            fill(
                _("trained {trained} a year ≥ {least}"),
                trained=text(trained),
                least=text(min_trained),
            ),
            trained >= min_trained,
        )
        check_conditions(checks, claims, self.template, ("records_complete", "output_agreements"))
        placed = claims["placed_per_year"].to_numpy(dtype=np.int64)
        share = params.values("min_placed_share")
        # placed ≥ share% of trained, in integers: placed × 10000 ≥ share(hundredths) × trained
        checks.check(
            fill(
                _("placed {placed} a year ≥ {share} of {trained} trained"),
                placed=text(placed),
                share=percent_text(share),
                trained=text(trained),
            ),
            placed * 10000 >= share * trained,
        )
        heritage = claims["intangible_heritage"].to_numpy(dtype=bool)
        checks.note(
            np.where(
                heritage,
                _(
                    "非物质文化遗产类企业: the expert panel may relax the training figures "
                    "(第八条(三)); they are applied here as written"
                ),
                "",
            )
        )
        return Assessment(
            checks, np.zeros(len(claims), dtype=np.int64), params.citation("min_trained_per_year")
        )
