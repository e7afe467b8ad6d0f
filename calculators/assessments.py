"""Recognition standards (no money): the status says whether a unit meets the standard.

- Dalian 大人社发〔2022〕187号 三(四)2: city and district levels;
- Yingkou 营人社〔2023〕43号 第八条: city level;
- Shandong 鲁就办〔2021〕22号 二(二).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from calculators.base import Assessment, Calculator, Checks
from calculators.common import CREDIT_CODE, UNIT_NAME, labelled, text
from calculators.parameters import BoundParameters
from calculators.template import Choice, Column, Template


def _yes(column: str, label: str, *aliases: str) -> Column:
    return Column(column, label, "yes_no", aliases=aliases)


def _count(column: str, label: str, *aliases: str) -> Column:
    return Column(column, label, "count", aliases=aliases)


def _percent(column: str, label: str, *aliases: str) -> Column:
    return Column(column, label, "percent", aliases=aliases)


def _pct(hundredths) -> np.ndarray:
    """Hundredths of a percent as "85%" / "85.5%"."""
    values = np.asarray(hundredths, dtype=np.int64)
    whole, part = values // 100, values % 100
    return (
        np.where(
            part == 0,
            text(whole),
            text(whole)
            + "."
            + pd.Series(part).astype(str).str.zfill(2).str.rstrip("0").to_numpy(dtype=object),
        )
        + "%"
    )


def _conditions(
    checks: Checks, claims: pd.DataFrame, template: Template, names: tuple[str, ...]
) -> None:
    for name in names:
        column = template.column(name)
        checks.check(f"{column.label} ({name})", claims[name].to_numpy(dtype=bool))


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
            _yes("registered_in_dalian", "注册或登记地在大连市", "注册地在大连"),
            _yes("independent_legal_person", "独立法人资格", "具备独立法人资格"),
            _yes("brand_identity", "独立品牌名称或商标"),
            _yes("lawful_conduct", "无违法经营、拖欠工资、未签合同或欠缴社保", "遵守法律法规"),
            _count("trained_per_year", "年培训人数", "每年培训人数"),
            _percent("training_pass_rate", "培训合格率"),
            _count(
                "placed_per_year", "年输出就业人数", "每年输出就业人数", "每年吸纳或输出就业人数"
            ),
            _percent("placed_trained_share", "经培训人员比例", "经过特色职业培训的人员比例"),
            _percent("contract_rate", "劳动合同签订率"),
            _percent("filing_rate", "劳动用工备案率"),
        )
    )

    def assess(self, claims: pd.DataFrame, params: BoundParameters) -> Assessment:
        checks = Checks(claims.index)
        _conditions(
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
            level + ": trained " + text(trained) + " a year ≥ " + text(min_trained),
            trained >= min_trained,
        )
        rate = claims["training_pass_rate"].to_numpy(dtype=np.int64)
        over = params.values("pass_rate_over")
        checks.check("pass rate " + _pct(rate) + " > " + _pct(over) + " (超过)", rate > over)
        checks.check(
            level + ": placed " + text(placed) + " a year ≥ " + text(min_placed),
            placed >= min_placed,
        )
        share = claims["placed_trained_share"].to_numpy(dtype=np.int64)
        min_share = params.values("min_trained_share")
        checks.check(
            "trained share of placed " + _pct(share) + " ≥ " + _pct(min_share), share >= min_share
        )
        for name, parameter, what in (
            ("contract_rate", "min_contract_rate", "labour contract rate"),
            ("filing_rate", "min_filing_rate", "employment filing rate"),
        ):
            value = claims[name].to_numpy(dtype=np.int64)
            wanted = params.values(parameter)
            checks.check(f"{what} " + _pct(value) + " = " + _pct(wanted), value >= wanted)
        citation = np.where(
            city, "大人社发〔2022〕187号 三(四)2(1)", "大人社发〔2022〕187号 三(四)2(2)"
        )
        return Assessment(checks, np.zeros(len(claims), dtype=np.int64), citation)


class YingkouAssessment(Calculator):
    program_id = "yingkou.brand_assessment"
    template = Template(
        (
            UNIT_NAME,
            CREDIT_CODE,
            _yes("independent_legal_person", "独立法人资格", "具有独立法人资格"),
            _yes("premises_and_rules", "固定场所及管理、财务制度"),
            _yes("no_violations_or_disputes", "无违法违纪及未了结纠纷"),
            _yes("brand_identity", "独立品牌名称或注册商标"),
            _yes("output_agreements", "长期稳定输出合作协议"),
            _yes("records_complete", "培训及就业台账完整"),
            _yes("intangible_heritage", "非物质文化遗产类企业", "非遗企业"),
            _count("years_operating", "运行年限"),
            _count("trained_last_two_years", "近两年培训人数", "近两年总培训人员"),
            _count(
                "working_in_trade_after_training", "培训后从事该行业人数", "培训后从事该行业人员"
            ),
            _count("trained_per_year", "年培训人数", "每年培训人数"),
            _count("placed_per_year", "年自用或输出人数", "每年自用或输出人数"),
        )
    )

    def assess(self, claims: pd.DataFrame, params: BoundParameters) -> Assessment:
        checks = Checks(claims.index)
        _conditions(
            checks,
            claims,
            self.template,
            ("independent_legal_person", "premises_and_rules", "no_violations_or_disputes"),
        )
        years = claims["years_operating"].to_numpy(dtype=np.int64)
        min_years = params.values("min_years_operating")
        checks.check(
            "operating " + text(years) + " years ≥ " + text(min_years) + " (含)", years >= min_years
        )
        _conditions(checks, claims, self.template, ("brand_identity",))
        two_years = claims["trained_last_two_years"].to_numpy(dtype=np.int64)
        over_two = params.values("trained_two_years_over")
        checks.check(
            "trained over the last two years "
            + text(two_years)
            + " > "
            + text(over_two)
            + " (超过)",
            two_years > over_two,
        )
        in_trade = claims["working_in_trade_after_training"].to_numpy(dtype=np.int64)
        over_trade = params.values("working_in_trade_over")
        checks.check(
            "working in the trade after training "
            + text(in_trade)
            + " > "
            + text(over_trade)
            + " (超过)",
            in_trade > over_trade,
        )
        trained = claims["trained_per_year"].to_numpy(dtype=np.int64)
        min_trained = params.values("min_trained_per_year")
        checks.check(
            "trained " + text(trained) + " a year ≥ " + text(min_trained), trained >= min_trained
        )
        _conditions(checks, claims, self.template, ("records_complete", "output_agreements"))
        placed = claims["placed_per_year"].to_numpy(dtype=np.int64)
        share = params.values("min_placed_share")
        # placed ≥ share% of trained, in integers: placed × 10000 ≥ share(hundredths) × trained
        checks.check(
            "placed "
            + text(placed)
            + " a year ≥ "
            + _pct(share)
            + " of "
            + text(trained)
            + " trained",
            placed * 10000 >= share * trained,
        )
        heritage = claims["intangible_heritage"].to_numpy(dtype=bool)
        checks.note(
            np.where(
                heritage,
                "非物质文化遗产类企业: the expert panel may relax the training figures (第八条(三)); they are applied here as written",
                "",
            )
        )
        return Assessment(
            checks, np.zeros(len(claims), dtype=np.int64), params.citation("min_trained_per_year")
        )


class ShandongAssessment(Calculator):
    program_id = "shandong.brand_assessment"
    template = Template(
        (
            UNIT_NAME,
            CREDIT_CODE,
            _count("trained_per_year", "年培训人数", "每年培训人数"),
            _count("placed_per_year", "年自用或输出人数", "每年自用或输出人数"),
        )
    )

    def assess(self, claims: pd.DataFrame, params: BoundParameters) -> Assessment:
        checks = Checks(claims.index)
        trained = claims["trained_per_year"].to_numpy(dtype=np.int64)
        placed = claims["placed_per_year"].to_numpy(dtype=np.int64)
        min_trained, min_placed = (
            params.values("min_trained_per_year"),
            params.values("min_placed_per_year"),
        )
        checks.check(
            "trained " + text(trained) + " a year ≥ " + text(min_trained), trained >= min_trained
        )
        checks.check(
            "placed " + text(placed) + " a year ≥ " + text(min_placed), placed >= min_placed
        )
        return Assessment(
            checks, np.zeros(len(claims), dtype=np.int64), params.citation("min_trained_per_year")
        )
