"""Every PDF the product writes, filled with long values, read back as it prints.

Notice, register, budget execution, plan, what-if and reconciliation report: every font
embedded, every character printed with a glyph of its embedded font, no text drawn over
other text or off the page (``pdf_checks.print_faults``). The values are the long ones
officers meet: a 30-character 编制单位, long unit and program names, long claim ids and
batch codes, amounts in the hundreds of millions, rare name characters.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from pdf_checks import print_faults
from report_helpers import SCENARIOS, pdf_pages

from ledgers import Ledger, keys, schemes
from reports import output
from reports.document import Bars, Report
from reports.execution import execution
from reports.execution_report import execution_report
from reports.fonts import cjk_font
from reports.plan import make_plan
from reports.plan_report import comparison_report, plan_report
from reports.register import Notice, Register, RegisterLine
from reports.register_report import notice_report, register_report
from reports.scenario import load
from reports.whatif import pairs, vary

_TESTS = Path(__file__).resolve().parents[1]
for helpers in ("workflow", "reconcile"):  # recon_helpers and the workflow_helpers it uses
    if str(_TESTS / helpers) not in sys.path:
        sys.path.append(str(_TESTS / helpers))

UNIT = "海西蒙古族藏族自治州格尔木市人力资源和社会保障局就业服务中心"  # 30 characters
RARE_UNIT = "格尔木市𠮷祥䶮源枸杞采摘劳务服务有限责任公司（第一分公司）"  # 𠮷 U+20BB7, 䶮 U+4DAE
PROGRAM = "青海 劳务经纪人枸杞采摘补贴（海西州格尔木市、德令哈市、都兰县、乌兰县、天峻县）"
YUAN = 100


@dataclass(frozen=True)
class Shown:
    """A batch as a register prints it (reports.register.BatchShown)."""

    code: str
    fund_code: str
    as_of: dt.date
    state: str


def long_register(n: int) -> Register:
    """``n`` lines of long claim ids, unit names and amounts of a long-named program."""
    batch = Shown(
        "B20241202-00001-海西州格尔木市补充申报批次", "QH2024", dt.date(2024, 12, 2), "approved"
    )
    lines = tuple(
        RegisterLine(
            batch.code,
            f"QH-GJ-2024-海西州格尔木市-{i:08d}-补充申报",
            "欧阳*" if i % 2 else "𠮷*",
            "632122********0245",
            RARE_UNIT if i % 3 == 0 else "䶮*",
            "91630100000000021X" if i % 3 == 0 else "632122********0245",
            123_456_789_01 + i,
            1_000_00 if i % 4 == 0 else 0,
        )
        for i in range(n)
    )
    return Register(
        "qinghai.goji_broker",
        PROGRAM,
        "青人社厅发〔2023〕45号 第三条第（二）项",
        (batch,),
        lines,
        has_subject=True,
        fund_names={"QH2024": "2024年中央财政就业补助资金（青海省海西蒙古族藏族自治州第一批）"},
    )


def assert_prints_cleanly(path: Path) -> None:
    faults = print_faults(path)
    assert not faults, "\n".join(faults[:20])


@pytest.mark.parametrize("n", [12, 150], ids=["one page", "pages"])
def test_register_prints_cleanly(tmp_path: Path, n: int) -> None:
    path = output.write(register_report(long_register(n), unit=UNIT), tmp_path / "register.pdf")
    assert_prints_cleanly(path)
    text = " ".join(pdf_pages(path))
    assert RARE_UNIT in text.replace(" ", "")  # 𠮷 and 䶮 printed, and copied back as themselves
    assert (
        "2024年中央财政就业补助资金（青海省海西蒙古族藏族自治州第一批）（QH2024）"
        in text.replace(" ", "")
    )


def test_notice_prints_cleanly_with_the_funds_name(tmp_path: Path) -> None:
    notice = Notice(long_register(12), dt.date(2024, 9, 27), dt.date(2024, 10, 10), 5)
    path = output.write(notice_report(notice, unit=UNIT), tmp_path / "notice.pdf")
    assert_prints_cleanly(path)
    first = pdf_pages(path)[0].replace(" ", "")
    assert "资金2024年中央财政就业补助资金（青海省海西蒙古族藏族自治州第一批）" in first
    assert "QH2024" not in first  # the public reads the fund's name, not its code
    assert f"编制单位{UNIT}" in first


def test_plan_and_what_if_print_cleanly(tmp_path: Path) -> None:
    plan = make_plan(load(SCENARIOS / "guangxi-2025.yaml"))
    assert_prints_cleanly(output.write(plan_report(plan, unit=UNIT), tmp_path / "plan.pdf"))
    scenario = load(SCENARIOS / "qinghai-transfers.yaml")
    change = vary(scenario, ["top_up_share=50%"])
    base, changed = make_plan(scenario), make_plan(change.scenario, overrides=change.overrides)
    report = comparison_report(
        base, changed, pairs(base, changed, by_number=True), list(change.described), unit=UNIT
    )
    assert_prints_cleanly(output.write(report, tmp_path / "whatif.pdf"))


def big_books(led: Ledger) -> Ledger:
    """Two long-named funds of billions over fourteen months; one program's spending is
    0.01 元, too small to see beside them."""
    a, b = "QH2024-ZY", "QH2024-SJ-补充"
    led.add_fund(a, "2024年中央财政就业补助资金（青海省海西蒙古族藏族自治州）", 2024)
    led.add_fund(b, "2024年省级就业补助资金（青海省劳务品牌建设专项，第二次追加）", 2024)
    led.appropriate(a, 9_876_543_210 * YUAN, doc="青财社指〔2024〕12号", on=dt.date(2024, 1, 15))
    led.appropriate(b, 1_234_567_890 * YUAN, doc="青财社指〔2024〕20号", on=dt.date(2024, 3, 3))
    drafts = []
    hiring, goji = "qinghai.hiring_bonus", "qinghai.goji_broker"
    for month in range(1, 15):
        on = dt.date(2024 + (month - 1) // 12, (month - 1) % 12 + 1, 10)
        fen = 123_456_789_01 + month
        claim = f"H{month}"
        drafts += [
            schemes.payout_accrued(
                a, hiring, fen, key=keys.accrual(hiring, claim), ref=f"B{month}", on=on
            ),
            schemes.disbursement(
                a,
                fen,
                program=hiring,
                key=keys.disbursement(hiring, claim, 1),
                ref=f"SL{month}",
                on=on,
            ),  # fmt: skip
        ]
    drafts += [
        schemes.payout_accrued(
            b, goji, 1, key=keys.accrual(goji, "G1"), ref="B99", on=dt.date(2024, 5, 5)
        ),
        schemes.disbursement(
            b,
            1,
            program=goji,
            key=keys.disbursement(goji, "G1", 1),
            ref="SL99",
            on=dt.date(2024, 5, 6),
        ),  # fmt: skip
    ]
    led.post_many(drafts)
    return led


def test_budget_execution_prints_cleanly(ledger: Ledger, tmp_path: Path) -> None:
    report = execution_report(execution(big_books(ledger)), unit=UNIT)
    path = output.write(report, tmp_path / "execution.pdf")
    assert_prints_cleanly(path)
    text = " ".join(pdf_pages(path))
    assert "0.000001" in text  # the 0.01 元 bar, in 万元, labelled: too small to see


def test_reconciliation_report_prints_cleanly(ledger: Ledger, tmp_path: Path) -> None:
    from recon_helpers import OFFICER, every_exception, reconciled
    from workflow_helpers import fund_ledger

    from subsidies.workflow import reconcile as recon
    from subsidies.workflow.reconcile_report import build
    from subsidies.workflow.statements import load_layout

    led = fund_ledger(ledger)
    sc = every_exception(led, tmp_path)
    outcome = recon.reconcile(led, sc.path, load_layout("default"), by=OFFICER, as_of=sc.as_of)
    report = build(
        outcome, recon.open_exceptions(led, as_of=sc.as_of), reconciled(led), source=str(sc.path)
    )
    path = output.write(report, tmp_path / "reconciliation.pdf")
    assert_prints_cleanly(path)
    assert "支付 − 退回" in " ".join(pdf_pages(path))  # U+2212 printed, and read back


def test_a_character_without_glyph_prints_its_code_point(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """U+2A6D6 (CJK Extension B) is not in the shipped font: never a blank."""
    name = "王\U0002a6d6"
    assert 0x2A6D6 not in cjk_font().chars and cjk_font().printable(name) == "王[U+2A6D6]"
    report = Report("名单", "F1", "2024年", name, [])
    with caplog.at_level(logging.WARNING, logger="reports.fonts"):
        path = output.write(report, tmp_path / "missing.pdf")
    assert_prints_cleanly(path)
    assert "王[U+2A6D6]" in pdf_pages(path)[0]
    assert "U+2A6D6" in caplog.text


def test_a_chart_has_one_unit_and_labels_a_bar_too_small_to_see(tmp_path: Path) -> None:
    bars = Bars(
        "测算与拨款（按资金）",
        ("甲资金", "乙资金"),
        (("测算", (50_000_000_00, 1_00)), ("拨款", (48_000_000_00, 0))),
    )
    path = output.write(Report("图", "F1", "2024年", "某单位", [bars]), tmp_path / "chart.pdf")
    assert_prints_cleanly(path)
    text = pdf_pages(path)[0]
    assert text.count("万元") == 1 and "元" not in text.replace("万元", "").replace(
        "金额单位：元", ""
    )
    assert "0.0001" in text  # 1 元 in 万元, over its invisible bar
    assert "5,000" in text  # an axis tick, in 万元


def test_a_horizontal_chart_labels_every_bar_in_the_axis_unit(tmp_path: Path) -> None:
    bars = Bars(
        "实际支出（按项目）",
        (PROGRAM, "青海 吸纳就业一次性奖励"),
        (("实际支出", (123_456_789_01, 50_00)),),
        horizontal=True,
    )
    path = output.write(Report("图", "F1", "2024年", "某单位", [bars]), tmp_path / "chart.pdf")
    assert_prints_cleanly(path)
    text = pdf_pages(path)[0]
    assert "12,345.68" in text and "0.01" in text and "123,456,789.01" not in text


def gb2312() -> set[str]:
    """Every character of GB 2312 (the two-byte codes Python's codec decodes)."""
    return {
        text
        for high in range(0xA1, 0xF8)
        for low in range(0xA1, 0xFF)
        if len(text := bytes([high, low]).decode("gb2312", errors="ignore")) == 1
    }


def test_the_shipped_font_covers_what_we_print() -> None:
    """Rare name characters, the minus sign, yen, full-width punctuation and all of GB 2312."""
    font = cjk_font()
    assert font.source.endswith("LXGWWenKai-Regular.ttf")
    wanted = set("䶮𠮷−¥￥，。：；！？（）、“”‘’《》〔〕【】—…·％＋－０１２３") | gb2312()
    assert len(wanted) > 7_400
    assert sorted(c for c in wanted if not font.covers(c)) == []
