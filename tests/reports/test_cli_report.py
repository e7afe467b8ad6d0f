"""``subsidies report …`` end to end: files written, one-line refusals, exit codes."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
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
    assert "测算合计 51,000,000.00 元，共 12 行" in out
    assert (
        "GX-JYBZ-2022：测算 12,200,000.00 元，拨款 12,000,000.00 元（测算文件；示例数，以资金指标文件为准），差额 -200,000.00 元"
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
    assert "测算合计 86,700,000.00 元，调整后 88,500,000.00 元（差额 1,800,000.00 元）" in out
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
    assert code == 0 and "（差额 0.00 元）" in out


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


def _approved_batch(tmp_path: Path, claims: int) -> tuple[str, str]:
    """A ledger (its URL) with one approved goji batch of ``claims`` claims (its code)."""
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    with Ledger.connect(db) as led:
        led.upgrade()
        led.add_fund("QH2024", "2024年中央就业补助资金（青海）", 2024)
        led.appropriate("QH2024", 1_000_000_00, doc="青财社指〔2024〕12号", on=dt.date(2024, 6, 3))
        batch, _ = wf.submit(
            led,
            "qinghai.goji_broker",
            goji_claims(tmp_path / "c.csv", claims),
            fund_code="QH2024",
            by=CLERK,
            as_of=dt.date(2024, 12, 2),
            notice_days=5,
        )
        wf.publish_notice(led, batch.code, on=dt.date(2024, 12, 2), by=CLERK)
        wf.approve(led, batch.code, by=CHECKER, on=dt.date(2024, 12, 10))
    return db, batch.code


def test_execution_register_and_notice(tmp_path: Path) -> None:
    db, batch = _approved_batch(tmp_path, 9)
    with Ledger.connect(db) as led:
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
        "QH2024：拨款 1,000,000.00 元，净支出 50.00 元，可用 999,400.00 元" in out
    )  # 9 × 50 + 3 × 50
    assert "与试算平衡表核对一致" in out
    code, out = run("register", batch, "-o", str(tmp_path / "r.xlsx"), db=db)
    assert code == 0 and f"qinghai.goji_broker：9 笔，600.00 元，写入 {tmp_path / 'r.xlsx'}" in out
    code, out = run("notice", batch, "-o", str(tmp_path / "n.pdf"), db=db)
    assert code == 0 and "公示期 2024-12-02至2024-12-09（5 个工作日）" in out
    code, out = run("execution", "--period", "2024-13", "-o", str(tmp_path / "x.pdf"), db=db)
    assert code != 0 and "请写作 YYYY、YYYY-MM 或 YYYY-MM..YYYY-MM" in out
    code, out = run("register", "B-NONE", "-o", str(tmp_path / "x.pdf"), db=db)
    assert code != 0 and "没有批次 B-NONE" in out


def _drawn(stderr: str) -> list[str]:
    """The distinct lines the progress bars drew, without colours, bars and times."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stderr)
    lines = []
    for line in re.split(r"[\r\n]", text):
        line = re.sub(r"\s+", " ", re.sub(r"[━╸╺]", "", line)).strip()
        line = re.sub(r" \d+:\d\d:\d\d$", "", line)
        if line and line not in lines:
            lines.append(line)
    return lines


def _subsidies(*args: str, cwd: Path, db: str) -> subprocess.CompletedProcess:
    env = os.environ | {"SUBSIDIES_DB": db, "SUBSIDIES_PROGRESS": "1", "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-c", "import sys; from subsidies.cli import main; main(sys.argv[1:])",
         *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_register_and_notice_show_progress_in_chinese(tmp_path: Path) -> None:
    """Reading, laying out (pages) or writing (rows), then saving: each a stage of its own,
    so no bar stands full while the file is still being written."""
    db, code = _approved_batch(tmp_path, 600)
    done = _subsidies("report", "register", code, "-o", "r.pdf", cwd=tmp_path, db=db)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "qinghai.goji_broker：600 笔，40,000.00 元，写入 r.pdf\n"
    drawn = _drawn(done.stderr)
    pages = [line for line in drawn if line.startswith("排版 r.pdf")]
    assert drawn[0] == "读取发放记录" and pages and drawn[-1] == "保存文件 r.pdf", drawn
    assert re.fullmatch(r"排版 r\.pdf \d+ 页", pages[-1]) and int(pages[-1].split()[2]) > 5
    assert drawn.index(pages[-1]) < drawn.index("保存文件 r.pdf")
    done = _subsidies("report", "register", code, "-o", "r.xlsx", cwd=tmp_path, db=db)
    drawn = _drawn(done.stderr)
    assert "写入文件 r.xlsx 600/600 行" in drawn, drawn
    assert drawn.index("写入文件 r.xlsx 600/600 行") < drawn.index("保存文件 r.xlsx")
    done = _subsidies("report", "notice", code, "-o", "n.pdf", cwd=tmp_path, db=db)
    assert done.stdout.startswith("公示期 2024-12-02至2024-12-09（5 个工作日），写入 n.pdf")
    assert _drawn(done.stderr)[-1] == "保存文件 n.pdf"
