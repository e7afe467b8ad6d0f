"""``subsidies report …`` end to end: files written, one-line refusals, exit codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from report_helpers import SCENARIOS, goji_claims, pdf_pages

from ledgers import Ledger, schemes
from subsidies.cli import main
from subsidies.workflow import batches as wf
from subsidies.workflow.base import Officer

CLERK = Officer(2, "wang", "王经办", frozenset({"clerk"}))
CHECKER = Officer(3, "li", "李审核", frozenset({"checker"}))


def run(*args: str, db: str | None = None) -> tuple[int, str]:
    env = {"SUBSIDIES_DB": db} if db else {"SUBSIDIES_DB": ""}
    result = CliRunner().invoke(main, ["report", *args], env=env)
    return result.exit_code, result.output


def test_plan_writes_pdf_and_xlsx(tmp_path: Path) -> None:
    code, out = run("plan", str(SCENARIOS / "guangxi-2025.yaml"), "-o", str(tmp_path / "plan.pdf"))
    assert code == 0, out
    assert "plan 51,000,000.00 元 in 12 priced lines" in out
    assert (
        "GX-JYBZ-2022: planned 12,200,000.00, appropriated 12,000,000.00 (测算文件；示例数，以资金指标文件为准), difference -200,000.00"
        in out
    )
    assert "51,000,000.00" in " ".join(pdf_pages(tmp_path / "plan.pdf"))
    code, _ = run("plan", str(SCENARIOS / "guangxi-2025.yaml"), "-o", str(tmp_path / "plan.xlsx"))
    assert code == 0 and "测算明细" in openpyxl.load_workbook(tmp_path / "plan.xlsx").sheetnames


def test_plan_what_if_and_compare(tmp_path: Path) -> None:
    code, out = run(
        "plan",
        str(SCENARIOS / "qinghai-transfers.yaml"),
        "--vary",
        "top_up_share=50%",
        "-o",
        str(tmp_path / "whatif.pdf"),
    )
    assert code == 0, out
    assert "plan 86,700,000.00 元 -> changed 88,500,000.00 元 (difference 1,800,000.00 元)" in out
    text = " ".join(pdf_pages(tmp_path / "whatif.pdf"))
    assert "合计 86,700,000.00 88,500,000.00 1,800,000.00" in text
    code, out = run(
        "plan",
        str(SCENARIOS / "guangxi-2025.yaml"),
        "--compare",
        str(SCENARIOS / "guangxi-2025.yaml"),
        "-o",
        str(tmp_path / "same.csv"),
    )
    assert code == 0 and "(difference 0.00 元)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--vary", "qinghai.goji_broker.top_up=80"], "no amount 'top_up'"),
        (
            ["--vary", "top_up_share=0.5", "--compare", str(SCENARIOS / "guangxi-2025.yaml")],
            "二者只能选一",
        ),
        (["-o", "plan.docx"], "write .pdf, .xlsx or .csv"),
    ],
)
def test_plan_refusals_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    args = args if "-o" in args else [*args, "-o", str(tmp_path / "p.pdf")]
    code, out = run("plan", str(SCENARIOS / "qinghai-transfers.yaml"), *args)
    assert code != 0 and message in out and "Traceback" not in out


def test_execution_register_and_notice(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    with Ledger.connect(db) as led:
        led.upgrade()
        led.add_fund("QH2024", "2024年中央就业补助资金（青海）", 2024)
        led.appropriate("QH2024", 1_000_000_00, doc="青财社指〔2024〕12号", on=dt.date(2024, 6, 3))
        batch, _ = wf.submit(
            led,
            "qinghai.goji_broker",
            goji_claims(tmp_path / "c.csv", 9),
            fund_code="QH2024",
            by=CLERK,
            as_of=dt.date(2024, 12, 2),
            notice_days=5,
        )
        wf.publish_notice(led, batch.code, on=dt.date(2024, 12, 2), by=CLERK)
        wf.approve(led, batch.code, by=CHECKER, on=dt.date(2024, 12, 10))
        led.post(
            schemes.disbursement(
                "QH2024",
                50_00,
                program="qinghai.goji_broker",
                key="disbursement:qinghai.goji_broker:GJ-000001:1",
                ref="SL1",
                on=dt.date(2024, 12, 12),
            )
        )
    code, out = run("execution", "--period", "2024", "-o", str(tmp_path / "ex.pdf"), db=db)
    assert code == 0, out
    assert (
        "QH2024: appropriated 1,000,000.00, net spent 50.00, available 999,400.00" in out
    )  # 9 × 50 + 3 × 50
    assert "matches the trial balance to the fen" in out
    code, out = run("register", batch.code, "-o", str(tmp_path / "r.xlsx"), db=db)
    assert code == 0 and "9 payouts, 600.00 元" in out
    code, out = run("notice", batch.code, "-o", str(tmp_path / "n.pdf"), db=db)
    assert code == 0 and "notice 2024-12-02..2024-12-09 (5 working days)" in out
    code, out = run("execution", "--period", "2024-13", "-o", str(tmp_path / "x.pdf"), db=db)
    assert code != 0 and "write YYYY, YYYY-MM or YYYY-MM..YYYY-MM" in out
    code, out = run("register", "B-NONE", "-o", str(tmp_path / "x.pdf"), db=db)
    assert code != 0 and "没有批次 B-NONE" in out
