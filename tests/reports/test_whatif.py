"""What-if: the plan beside the changed plan, with the difference per line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from report_helpers import SCENARIOS

from calculators.pricing import PricingError
from reports.plan import make_plan
from reports.scenario import load
from reports.whatif import VaryError, pairs, vary

YUAN = 100


def _compare(name: str, *assignments: str):
    scenario = load(SCENARIOS / name)
    change = vary(scenario, list(assignments))
    base = make_plan(scenario)
    changed = make_plan(change.scenario, overrides=change.overrides)
    return base, changed, pairs(base, changed, by_number=True), change


def test_goji_top_up_share_from_30_to_50_percent() -> None:
    base, changed, lines, change = _compare("qinghai-transfers.yaml", "top_up_share=50%")
    differences = {(p.line.year, p.line.program or p.line.item): p.difference for p in lines}
    # 60,000 workers: 20% more of them (12,000) get the 50 元 top-up, each year
    assert differences[(2023, "qinghai.goji_broker")] == 12_000 * 50 * YUAN
    assert differences[(2023, "qinghai.transport")] == 0
    assert changed.total - base.total == 3 * 600_000 * YUAN
    assert change.described == ("增补比例 = 50%（3 行）",)
    assert [
        p.changed.line.top_up_share for p in lines if p.line.program == "qinghai.goji_broker"
    ] == [Decimal("0.5")] * 3


def test_share_as_a_decimal_equals_the_percent() -> None:
    _, as_percent, _, _ = _compare("qinghai-transfers.yaml", "top_up_share=50%")
    _, as_decimal, _, _ = _compare("qinghai-transfers.yaml", "qinghai.goji_broker.top_up_share=0.5")
    assert as_percent.total == as_decimal.total


def test_city_brand_subsidy_to_80000() -> None:
    base, changed, lines, change = _compare(
        "dalian-districts.yaml", "dalian.brand_recognition.amount_city=80000"
    )
    assert [p.difference for p in lines] == [
        0,
        30_000 * YUAN,
        0,
        60_000 * YUAN,
        0,
        0,
        60_000 * YUAN,
        0,
    ]
    assert (base.total, changed.total) == (450_000 * YUAN, 600_000 * YUAN)
    city = next(p for p in changed.priced if p.line.level == "city")
    assert city.price.uses[0].citation == "假设（what-if）"  # never passed off as the document's
    assert "80,000.00 元" in change.described[0]


def test_a_second_scenario_is_matched_line_by_line(tmp_path: Path) -> None:
    text = (SCENARIOS / "guangxi-2025.yaml").read_text("utf-8")
    text = text.replace(
        "fund: GX-JYBZ-2025, count: 7, source: *bases}",
        "fund: GX-JYBZ-2025, count: 9, source: *bases}",
    )
    other = tmp_path / "more-bases.yaml"
    other.write_text(text, encoding="utf-8")
    base, changed = make_plan(load(SCENARIOS / "guangxi-2025.yaml")), make_plan(load(other))
    lines = pairs(base, changed, by_number=False)
    moved = [p for p in lines if p.difference]
    assert [(p.line.program, p.line.year, p.difference) for p in moved] == [
        ("guangxi.training_base", 2025, 2 * 1_000_000 * YUAN)
    ]


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        (
            "qinghai.goji_broker.top_up=80",
            "no amount 'top_up'; its amounts are base_per_worker, top_up_per_worker",
        ),
        ("nowhere.rule.amount=1", "没有项目 'nowhere.rule'"),
        ("qinghai.goji_broker.top_up_per_worker=80.001", "not an amount in yuan"),
        ("top_up_share=0.5.1", "is not a share"),
        ("level=county", "level must be one of"),
        ("count=5", r"name the program \(PROGRAM.count=N\)"),
        ("dalian.brand_recognition.level=city", "no line of the scenario has dalian"),
        ("amount", "write NAME=VALUE"),
    ],
)
def test_vary_errors(assignment: str, message: str) -> None:
    with pytest.raises(VaryError, match=message):
        vary(load(SCENARIOS / "qinghai-transfers.yaml"), [assignment])


def test_a_field_the_program_does_not_take_is_refused_when_priced() -> None:
    change = vary(load(SCENARIOS / "qinghai-transfers.yaml"), ["qinghai.transport.level=city"])
    with pytest.raises(
        PricingError, match=r"line 3 \(qinghai.transport 2023\): qinghai.transport takes no level"
    ):
        make_plan(change.scenario)
