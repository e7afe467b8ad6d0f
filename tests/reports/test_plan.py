"""Budget plans from the shipped scenarios: hand-checked totals, dated parameters, citations.

Expected figures are worked by hand from the documents (Guangxi 四(一)2 / 四(三)1: 1,000,000,
100,000 and 300,000 per award; Qinghai 三(六): 50 + 50 per goji worker, at most 1,000 fare,
1,000 per hire; Dalian 三(四)5: provincial 100,000, city 50,000, district not paid), never
from the code under test.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from report_helpers import SCENARIOS

from calculators.parameters import builtin_documents, builtin_program_file, load_program
from calculators.pricing import PricingError
from ledgers import Ledger
from reports.plan import make_plan
from reports.scenario import ScenarioError, load

YUAN = 100  # fen


def test_guangxi_targets_cost_51_million() -> None:
    plan = make_plan(load(SCENARIOS / "guangxi-2025.yaml"))
    assert plan.total == (30 * 1_000_000 + 30 * 100_000 + 60 * 300_000) * YUAN == 51_000_000 * YUAN
    assert plan.by_year() == {
        2022: (7 * 1_000_000 + 7 * 100_000 + 15 * 300_000) * YUAN,  # 12,200,000
        2023: (8 * 1_000_000 + 8 * 100_000 + 15 * 300_000) * YUAN,  # 13,300,000
        2024: 13_300_000 * YUAN,
        2025: 12_200_000 * YUAN,
    }
    by_program = {}
    for _, program, _, count, fen in plan.by_year_program_fund():
        by_program[program] = (
            by_program.get(program, (0, 0))[0] + count,
            by_program.get(program, (0, 0))[1] + fen,
        )
    assert by_program == {
        "guangxi.training_base": (30, 30_000_000 * YUAN),
        "guangxi.expert_studio": (30, 3_000_000 * YUAN),
        "guangxi.lead_enterprise": (60, 18_000_000 * YUAN),
    }
    # trainees and jobs per brand family are counted, not costed
    counted = {p.line.item: p.line.count for p in plan.counted}
    assert counted["八桂家政 家政类培训"] == 250_000 and counted["八桂家政 带动就业创业"] == 300_000
    assert sum(c for item, c in counted.items() if item.endswith("培训")) == 450_000
    assert sum(c for item, c in counted.items() if item.endswith("就业创业")) == 600_000
    funds = {r.fund: (r.planned, r.appropriated, r.difference) for r in plan.by_fund()}
    assert funds["GX-JYBZ-2022"] == (12_200_000 * YUAN, 12_000_000 * YUAN, -200_000 * YUAN)  # 缺口
    assert funds["GX-JYBZ-2023"] == (13_300_000 * YUAN, 13_500_000 * YUAN, 200_000 * YUAN)  # 结余


def test_qinghai_transfers_per_year() -> None:
    plan = make_plan(load(SCENARIOS / "qinghai-transfers.yaml"))
    goji = 60_000 * 50 + 18_000 * 50  # 30% of the workers get the 50 元 top-up
    year = (goji + 20_000 * 1_000 + 5_000 * 1_000) * YUAN
    assert plan.by_year() == {2023: year, 2024: year, 2025: year}
    assert plan.total == 3 * 28_900_000 * YUAN
    transport = next(p for p in plan.priced if p.line.program == "qinghai.transport")
    assert transport.price.remark == "按上限测算"  # 不高于1000元: the plan is a ceiling
    assert [p.line.count for p in plan.counted] == [400_000] * 3


def test_dalian_levels_and_district_brands_unpaid() -> None:
    plan = make_plan(load(SCENARIOS / "dalian-districts.yaml"))
    assert plan.by_year() == {
        2022: 50_000 * YUAN,
        2023: (2 * 50_000 + 100_000) * YUAN,
        2024: (2 * 50_000 + 100_000) * YUAN,
    }
    district = [p for p in plan.priced if p.line.level == "district"]
    assert sum(p.line.count for p in district) == 20 and all(p.fen == 0 for p in district)
    assert district[0].price.remark == "区级不予补贴"


def test_shandong_sets_no_amount_so_everything_is_counted() -> None:
    plan = make_plan(load(SCENARIOS / "shandong-2025.yaml"))
    assert plan.total == 0 and not plan.priced
    assert [(p.line.level, p.line.count) for p in plan.counted][:2] == [
        ("provincial", 20),
        ("city", 50),
    ]
    assert "文件未规定补贴金额" in plan.counted[0].reason


def _amended_dalian(tmp_path: Path, city_from_2024: int):
    """The Dalian program as its data file would read after an amendment dated 2024-01-01."""
    data = yaml.safe_load(builtin_program_file("dalian.brand_recognition").read_text("utf-8"))
    data["parameters"]["amount_city"]["values"][dt.date(2024, 1, 1)] = {
        "value": city_from_2024,
        "quote": "（修订）市级劳务品牌补贴",
    }
    path = tmp_path / "dalian.brand_recognition.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_program(path, builtin_documents())


def test_an_amended_amount_changes_the_plan_from_its_date(tmp_path: Path) -> None:
    amended = _amended_dalian(tmp_path, 60_000)
    plan = make_plan(load(SCENARIOS / "dalian-districts.yaml"), programs=lambda _: amended)
    assert plan.by_year() == {
        2022: 50_000 * YUAN,  # priced at 2022-12-31: the old amount
        2023: (2 * 50_000 + 100_000) * YUAN,
        2024: (2 * 60_000 + 100_000) * YUAN,  # the amended amount from 2024-01-01
    }


def test_a_year_before_the_document_took_effect_is_refused(tmp_path: Path) -> None:
    text = (
        (SCENARIOS / "dalian-districts.yaml")
        .read_text("utf-8")
        .replace('price_on: "12-31"', 'price_on: "07-01"')
    )
    path = tmp_path / "early.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        PricingError,
        match=r"line 2 \(dalian.brand_recognition 2022\).*no value in force on 2022-07-01",
    ):
        make_plan(load(path))


def _scenario(tmp_path: Path, line: str, extra: str = "") -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(
        "title: t\n"
        + extra
        + "lines:\n  - {"
        + line
        + ", year: 2024, region: 青海, count: 10, source: {document: qinghai-2022-draft, article: 一, quote: q}}\n",
        encoding="utf-8",
    )
    return path


def test_shares_are_exact_decimals_and_must_give_whole_workers(tmp_path: Path) -> None:
    scenario = load(_scenario(tmp_path, "program: qinghai.goji_broker, fund: F, top_up_share: 0.3"))
    assert scenario.lines[0].top_up_share == Decimal("0.3")  # YAML 0.3 is not a float here
    assert make_plan(scenario).total == (10 * 50 + 3 * 50) * YUAN
    odd = load(_scenario(tmp_path, "program: qinghai.goji_broker, fund: F, top_up_share: 25%"))
    with pytest.raises(PricingError, match=r"10 × 0.25 = 2.50 workers is not a whole number"):
        make_plan(odd)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "program: qinghai.goji_broker, fund: F, top_up_share: 130%",
            "not a share between 0 and 100%",
        ),
        ("program: qinghai.goji_broker, fund: F, colour: red", "unknown field colour"),
        ("program: dalian.brand_recognition, item: x, fund: F", "either program .priced. or item"),
        (
            "program: dalian.brand_recognition, fund: F, level: county",
            "level 'county' is not one of",
        ),
        ("item: 培训, unit: 人次", "reason is missing"),
    ],
)
def test_scenario_errors_name_the_file_line_and_field(
    tmp_path: Path, line: str, message: str
) -> None:
    with pytest.raises(ScenarioError, match=message) as caught:
        load(_scenario(tmp_path, line))
    assert "s.yaml: lines[1]" in str(caught.value)


def test_pricing_errors_name_the_line(tmp_path: Path) -> None:
    with pytest.raises(
        PricingError, match=r"line 1 .*give level: one of provincial, city, district"
    ):
        make_plan(load(_scenario(tmp_path, "program: dalian.brand_recognition, fund: F")))
    with pytest.raises(PricingError, match="give the fund"):
        make_plan(load(_scenario(tmp_path, "program: qinghai.hiring_bonus")))


def test_appropriations_come_from_the_ledger_for_the_funds_it_has(tmp_path: Path) -> None:
    with Ledger.connect(f"sqlite:///{tmp_path / 'ledger.db'}") as ledger:
        ledger.upgrade()
        ledger.add_fund("GX-JYBZ-2022", "2022年就业补助资金（广西）", 2022)
        ledger.appropriate(
            "GX-JYBZ-2022", 12_500_000 * YUAN, doc="桂财社〔2022〕1号", on=dt.date(2022, 3, 1)
        )
        plan = make_plan(load(SCENARIOS / "guangxi-2025.yaml"), ledger=ledger)
    funds = {r.fund: (r.appropriated, r.source) for r in plan.by_fund()}
    assert funds["GX-JYBZ-2022"] == (12_500_000 * YUAN, "账簿")
    assert funds["GX-JYBZ-2023"] == (13_500_000 * YUAN, "测算文件；示例数，以资金指标文件为准")
