"""Every printed report reads in Chinese: no English word, no command to type.

The demo's ledger (every program, notices, payments, returns, reconciliation exceptions)
is built once; every report it writes is read back — PDF text with pypdf, XLSX cells and
sheet names with openpyxl — beside the reports the demo does not write (a what-if and a
comparison as XLSX, a notice as XLSX, the reconciliation report over all statements).

What a report may show in Latin letters, and nothing else:

- codes without lower-case letters: fund codes, batch codes, payment references,
  统一社会信用代码, the ``X`` of a 身份证号, ``GB``;
- a 身份证号 (whole or masked) ending in a lower-case ``x``;
- a program id (``qinghai.goji_broker``), as the registry lists them;
- a file's name with its suffix (``guangxi-2025.yaml``, the scenario a plan was priced from).

A token is a run of ASCII letters, digits, ``_``, ``.``, ``-`` and ``*``, so ``元``, ``笔``
and every CJK word are never tokens.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from report_helpers import SCENARIOS

from calculators.registry import program_ids
from ledgers import Ledger
from reports import output
from reports.register_report import notice_report
from subsidies.demo.run import run as run_demo
from subsidies.workflow import reconcile as recon
from subsidies.workflow.reconcile_report import build as reconciliation_report
from subsidies.workflow.registers import notice
from subsidies.workflow.report_files import plan_file

TOKEN = re.compile(r"[A-Za-z0-9_.*\-]+")
FILE_NAME = re.compile(r"[\w.\-]+\.(?:yaml|yml|csv|xlsx|pdf)")
RESIDENT_ID = re.compile(r"[0-9*]{17}x")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every report file of a demo run, and the few kinds the demo does not write."""
    folder = tmp_path_factory.mktemp("demo")
    summary = run_demo(folder, progress=lambda _line: None)
    extra = folder / "extra"
    extra.mkdir()
    guangxi = SCENARIOS / "guangxi-2025.yaml"
    with Ledger.connect(f"sqlite:///{summary.db}") as ledger:
        plan_file(
            guangxi, extra / "what-if.xlsx", varies=("guangxi.lead_enterprise.amount=200000",)
        )
        plan_file(guangxi, extra / "compare.xlsx", compare=SCENARIOS / "shandong-2025.yaml")
        first_notice = sorted((folder / "notices").glob("*.pdf"))[0].name.split("-公示")[0]
        output.write(notice_report(notice(ledger, first_notice)), extra / "notice.xlsx")
        exceptions = recon.open_exceptions(ledger)
        report = reconciliation_report(
            None, exceptions, recon.statement(ledger), source="全部对账单"
        )
        for suffix in (".pdf", ".xlsx"):
            output.write(report, extra / f"reconciliation{suffix}")
    return sorted(
        path
        for sub in ("reports", "notices", "extra")
        for path in (folder / sub).iterdir()
        if path.suffix in (".pdf", ".xlsx")
    )


def texts(path: Path) -> Iterator[tuple[str, str]]:
    """(where, text) of every page's lines of a PDF, every sheet name and text cell of a workbook."""
    if path.suffix == ".pdf":
        for number, page in enumerate(PdfReader(path).pages, start=1):
            for line in page.extract_text().splitlines():
                yield f"page {number}", line
        return
    book = openpyxl.load_workbook(path, read_only=True)
    for sheet in book.worksheets:
        yield "sheet name", sheet.title
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    yield f"{sheet.title}!{cell.coordinate}", cell.value


def english(text: str, programs: set[str]) -> list[str]:
    """The tokens of ``text`` a report may not show (see the module's docstring)."""
    return [
        token
        for token in (t.strip(".-") for t in TOKEN.findall(text))
        if re.search("[a-z]", token)
        and token not in programs
        and not FILE_NAME.fullmatch(token)
        and not RESIDENT_ID.fullmatch(token)
    ]


def test_every_kind_of_report_is_read(written: list[Path]) -> None:
    names = " ".join(path.name for path in written)
    for kind in (
        "公示",
        "发放明细表",
        "预算执行",
        "预算计划",
        "银行对账报告",
        "what-if",
        "compare",
    ):
        assert kind in names, kind
    assert {path.suffix for path in written} == {".pdf", ".xlsx"}


def test_no_english_word_in_any_report(written: list[Path]) -> None:
    programs = set(program_ids())
    found = [
        f"{path.name} {where}: {words} in {text!r}"
        for path in written
        for where, text in texts(path)
        if (words := english(text, programs))
    ]
    assert not found, "\n".join(found[:40])


def test_the_reconciliation_reasons_are_read_in_chinese(written: list[Path]) -> None:
    """The demo's statements leave exceptions; their reasons are printed, in Chinese."""
    book = openpyxl.load_workbook(
        next(p for p in written if p.name == "reconciliation.xlsx"), read_only=True
    )
    reasons = [row[-1] for row in book["差异明细"].iter_rows(min_row=2, values_only=True)]
    assert any(isinstance(r, str) and "银行流水" in r for r in reasons), reasons


def test_the_check_finds_english() -> None:
    """The rule itself: words and sentences are caught, codes and ids are not."""
    programs = {"qinghai.goji_broker"}
    assert english("payment SL24102300000001 has no bank line after 30 days", programs) == [
        "payment",
        "has",
        "no",
        "bank",
        "line",
        "after",
        "days",
    ]
    assert english("run subsidies ledger verify", programs) == [
        "run",
        "subsidies",
        "ledger",
        "verify",
    ]
    allowed = "qinghai.goji_broker QH-JYBZ-2024 91630100MA7CXY1N2H 632122********819x 测算文件 guangxi-2025.yaml 1,000.00 元"
    assert english(allowed, programs) == []
