"""`subsidies demo` end to end: the ledger it leaves verifies and balances, and the
reports it writes print the ledger's own totals."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import text
from written_files import live_formulas, readiness_problems

from ledgers import Ledger
from subsidies.cli import main
from subsidies.domain.money import format_yuan_grouped
from subsidies.workflow import reconcile


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("demo") / "subsidies-demo"
    result = CliRunner().invoke(main, ["demo", "-o", str(folder)])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return folder, result.output


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_the_ledger_verifies_and_balances(demo):
    folder, output = demo
    with Ledger.connect(f"sqlite:///{folder / 'subsidies.db'}") as ledger:
        assert ledger.verify().first_bad_entry is None
        assert ledger.trial_balance().balanced
        assert all(ledger.available(f.code) >= 0 for f in ledger.funds())
    assert "ledger verify: OK" in output
    assert "调节表 difference 0.00 元" in output


def test_the_recovery_is_booked_as_summarised(demo):
    folder, output = demo
    line = next(x for x in output.splitlines() if "recovery (追回)" in x)
    with Ledger.connect(f"sqlite:///{folder / 'subsidies.db'}") as ledger:
        receivable = sum(ledger.balance("1218", f.code) for f in ledger.funds())
    assert receivable > 0 and f"outstanding {format_yuan_grouped(receivable)} 元" in line


def test_every_file_it_lists_exists(demo):
    folder, output = demo
    listed = [Path(line.strip()) for line in output.splitlines() if line.startswith(f"  {folder}")]
    assert len(listed) > 40
    missing = [p for p in listed if not p.exists() or p.stat().st_size == 0]
    assert not missing


def test_every_spreadsheet_it_writes_is_ready_to_use(demo):
    """Results, payment files and reports (not the officers' claim sheets it generates):
    no live formula, and each ready to use (see ``written_files``). Tables that are not
    sums (a reconciliation, months, checks, counts without amounts) have no 合计 row."""
    folder, _ = demo
    written = [p for p in sorted(folder.rglob("*.xlsx")) if p.parent.name != "claims"]
    assert len(written) > 20
    untotalled = frozenset({"本次对账", "余额调节表", "按月", "核对", "只计数量", "与拨款对比"})
    problems = [
        problem
        for path in written
        for problem in live_formulas(path) + readiness_problems(path, untotalled=untotalled)
    ]
    assert problems == [], "\n".join(problems)


def test_reports_print_the_ledgers_totals(demo):
    folder, _ = demo
    with Ledger.connect(f"sqlite:///{folder / 'subsidies.db'}") as ledger:
        accrued = sum(ledger.balance("5001", f.code) for f in ledger.funds())
        recovered = sum(ledger.balance("1218", f.code) for f in ledger.funds())
        appropriated = sum(ledger.balance("4001", f.code) for f in ledger.funds())
        st = reconcile.statement(ledger)
        # the register lists what was approved for payment: the sub-account's debits (a
        # recovery later credits it back, and is reported as a recovery, not unlisted)
        (goji,) = [
            r.debit_total
            for r in ledger.trial_balance().rows
            if r.code == "5001.qinghai.goji_broker"
        ]
    reports = folder / "reports"
    execution = _pdf_text(reports / "预算执行-2024.pdf")
    assert format_yuan_grouped(appropriated) in execution
    assert format_yuan_grouped(accrued + recovered) in execution  # accrued before recoveries
    recon = _pdf_text(reports / "银行对账报告.pdf")
    for figure in (st.ledger_paid, st.adjusted_ledger, st.adjusted_bank, st.in_transit):
        assert format_yuan_grouped(figure) in recon
    register = _pdf_text(reports / "发放明细表-qinghai.goji_broker.pdf")
    assert format_yuan_grouped(goji) in register
    # the spreadsheet's figures are numbers, not text
    sheet = load_workbook(reports / "预算执行-2024.xlsx").worksheets[0]
    numbers = [
        c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, int | float)
    ]
    assert numbers


def test_person_data_is_masked_in_the_register(demo):
    folder, _ = demo
    text = _pdf_text(folder / "reports" / "发放明细表-qinghai.goji_broker.pdf")
    assert "********" in text


def test_it_refuses_a_folder_it_did_not_make(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    result = CliRunner().invoke(main, ["demo", "-o", str(tmp_path)])
    assert result.exit_code != 0
    assert "not a demo folder" in result.output
    assert (tmp_path / "mine.txt").read_text() == "keep me"


def test_each_step_is_taken_by_the_officer_whose_role_allows_it(demo):
    """Issue #15: the demo's office signs in, and the audit log names who took each step."""
    folder, output = demo
    accounts = folder / "accounts.txt"
    assert accounts.stat().st_mode & 0o777 == 0o600
    rows = [line.split("\t") for line in accounts.read_text(encoding="utf-8").splitlines()[1:]]
    assert [r[0] for r in rows] == ["wu", "zhang", "zhou", "li", "wang", "zhao", "sun"]
    for username, name, roles, password in rows:
        assert f"{username:<6} {name} ({roles})" in output
        assert password not in output
    with Ledger.connect(f"sqlite:///{folder / 'subsidies.db'}") as ledger, ledger.reading() as conn:
        done = set(conn.execute(text('SELECT DISTINCT action, "by" FROM audit_log')).all())
    expected = {
        ("fund.appropriate", "wu"), ("brand.add", "zhang"), ("batch.submit", "zhang"),
        ("batch.submit", "zhou"), ("batch.approve", "li"), ("batch.disburse", "wang"),
        ("reconcile", "zhao"), ("payment.request_reissue", "wang"), ("payment.approve", "li"),
        ("recovery.raise", "li"), ("recovery.repay", "wang"), ("signin", "sun"),
    }  # fmt: skip
    assert expected <= done, expected - done
    assert not [a for a, _ in done if a == "refused"]
