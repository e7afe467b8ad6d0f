"""``subsidies reconcile`` through click's CliRunner with ``--db``: import and match, resolve,
report, layouts; every refusal is one line. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner
from recon_helpers import (
    CUSTOM,
    OFFICER,
    PAID,
    bad_statement,
    custom_rows,
    line,
    line_id,
    reconciled,
    returned,
    row_counts,
    write_statement,
)

from subsidies.cli import main


@pytest.fixture
def cli(db_url: str, as_officer):
    runner = CliRunner()
    as_officer(db_url)  # the office signed in before anything is compared

    def run(*args: str, ok: bool = True, db: bool = True, by=None):
        env = as_officer(db_url, by) if db else {}
        result = runner.invoke(
            main, ["reconcile", *args, *(["--db", db_url] if db else [])], env=env
        )
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        assert (result.exit_code == 0) == ok, result.output
        return result

    return run


def one_line_error(result, *words: str) -> str:
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("错误："), result.output
    assert result.exit_code == 1
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


def test_layouts() -> None:
    result = CliRunner().invoke(main, ["reconcile", "layouts"])
    assert result.exit_code == 0, result.output
    for name in ("bank-cn", "default", "treasury"):
        assert re.search(rf"^{name}: ", result.output, re.M), name
    assert "交易日期" in result.output and "流水号" in result.output


def test_import_resolve_report(paid, cli, tmp_path) -> None:
    short = line(paid[1], fen=40_00)
    bank = [line(paid[0]), short, returned(paid[2]), line(paid[3], reference="")]
    path = paid.write(bank)
    pdf = tmp_path / "run.pdf"
    out = cli(str(path), "-o", str(pdf), by=OFFICER).output
    assert f"{path}：新导入 4 笔，已导入过 0 笔" in out
    assert "到账 2 笔，退回 1 笔，异常 1 笔" in out
    assert "金额不符：1 笔" in out
    # ledger 450 − returned 100 − in transit (50 + 100 + 50) + bank only 40 = bank 100 + 40 + 50
    assert "调节表：调节后单位账面 190.00 元，调节后银行对账单 190.00 元（相等）" in out, out
    assert f"报告写入 {pdf}" in out and pdf.stat().st_size > 0
    assert [paid.state(i) for i in range(4)] == ["settled", "pending", "returned", "settled"]

    again = cli(str(path), by=OFFICER).output
    assert "新导入 0 笔，已导入过 4 笔" in again
    assert "到账 0 笔，退回 0 笔，异常 1 笔" in again

    the_line = line_id(paid.led, short.serial)
    said = cli(
        "resolve", str(the_line), paid[1].reference, "--reason", "手续费 10 元", by=OFFICER
    ).output
    assert said.strip() == (
        f"明细 {the_line} 已确认支付 {paid[1].reference} 到账；银行与支付相差 -10.00 元"
    )
    report = tmp_path / "now.csv"
    assert cli("report", "-o", str(report)).output.strip() == f"异常 0 笔；报告写入 {report}"
    assert "人工匹配金额差" in report.read_text(encoding="utf-8-sig")
    reconciled(paid.led, accepted=-10_00)


def test_options_layout_window_stale_as_of(paid, cli, tmp_path) -> None:
    late = PAID + dt.timedelta(days=10)
    bank = [line(paid[i], value_date=late) for i in range(3)] + [
        line(paid[3], fen=1_00, value_date=late),
        line(paid[4], reference="", value_date=late),  # 10 days on: outside a 7-day window
    ]
    path = paid.write(bank, ".csv", layout="bank-cn", encoding="gb18030")
    common = ["--layout", "bank-cn", "--stale-days", "9"]
    out = cli(str(path), *common, "--window-days", "10", "--as-of", "2024-10-24", by=OFFICER).output
    assert "到账 4 笔，退回 0 笔，异常 2 笔" in out
    assert "金额不符：1 笔" in out
    assert "账面已付、银行无记录：1 笔" in out  # payment 5, 10 days on
    assert paid.state(4) == "settled"
    layout = tmp_path / "rcc.yaml"
    layout.write_text(CUSTOM, encoding="utf-8")
    custom = write_statement(tmp_path / "rcc.csv", custom_rows([line(paid[5])]))
    out = cli(str(custom), "--layout", str(layout), by=OFFICER).output
    assert "到账 1 笔，退回 0 笔，异常 1 笔" in out and "（相等）" in out
    reconciled(paid.led)


def test_refusals_are_one_line(paid, cli, tmp_path) -> None:
    counts = row_counts(paid.led)
    bad = bad_statement(tmp_path)
    one_line_error(cli(str(bad), ok=False, by=OFFICER), "8 笔有误，未导入")
    one_line_error(
        cli(str(tmp_path / "missing.csv"), ok=False, by=OFFICER), "missing.csv", "找不到文件"
    )
    settles = line(paid[0])
    good = paid.write([settles])
    one_line_error(
        cli(str(good), "--layout", "swift", ok=False, by=OFFICER), "没有对账单格式 'swift'"
    )
    one_line_error(
        cli(str(good), "--layout", "bank-cn", ok=False, by=OFFICER),
        "缺少列",
        "流水号",
    )
    assert row_counts(paid.led) == counts

    cli(str(good), by=OFFICER)
    matched = line_id(paid.led, settles.serial)
    for args, words in [
        ((str(matched), paid[1].reference), [f"对账单明细 {matched} 已匹配"]),
        (("999999", paid[1].reference), ["没有对账单明细 999999"]),
        ((str(matched), "SL0"), ["已匹配"]),
    ]:
        one_line_error(cli("resolve", *args, "--reason", "x", ok=False, by=OFFICER), *words)
    short = line(paid[1], fen=1_00)
    cli(str(paid.write([short])), by=OFFICER)
    the_line = str(line_id(paid.led, short.serial))
    one_line_error(
        cli("resolve", the_line, paid[0].reference, "--reason", "x", ok=False, by=OFFICER),
        f"支付 {paid[0].reference} 已到账",
    )
    one_line_error(
        cli("resolve", the_line, paid[1].reference, "--reason", " ", ok=False, by=OFFICER),
        "人工匹配须填写理由",
    )
    missing = cli("resolve", the_line, paid[1].reference, ok=False, by=OFFICER)
    assert missing.exit_code == 2 and "--reason" in missing.output  # click's usage error
    reconciled(paid.led)


def test_cli_run_whose_only_exception_has_no_payment(paid, cli) -> None:
    path = paid.write([line(paid[0]), line(None, account="6217999", fen=1_00)])
    out = cli(str(path), by=OFFICER).output
    assert "银行有记录、账面无支付：1 笔" in out
    reconciled(paid.led)


def test_an_unknown_report_format_is_refused_first(paid, db_url, tmp_path, as_officer) -> None:
    as_officer(db_url)
    counts = row_counts(paid.led)
    runner = CliRunner()
    path = paid.write([line(paid[0])])
    refusals = {"r.doc": "'.doc'", "r": "没有扩展名", "missing/r.pdf": "文件夹"}
    for name, words in refusals.items():
        report = str(tmp_path / name)
        for args in ([str(path), "-o", report], ["report", "-o", report]):
            env = as_officer(db_url, OFFICER)
            result = runner.invoke(main, ["reconcile", *args, "--db", db_url], env=env)
            assert isinstance(result.exception, SystemExit), repr(result.exception)
            one_line_error(result, report, words)
    assert row_counts(paid.led) == counts
    reconciled(paid.led)


def test_sheet_names_the_statement_in_a_workbook(paid, cli, tmp_path) -> None:
    """--sheet reads the named worksheet; without it the first with the header is read."""
    from openpyxl import Workbook
    from recon_helpers import statement_rows

    path = tmp_path / "网银导出.xlsx"
    book = Workbook()
    book.active.title = "说明"
    book.active.append(["本文件由网银导出"])
    for name, lines in (("十月", [line(paid[0])]), ("十一月", [line(paid[1])])):
        sheet = book.create_sheet(name)
        for values in statement_rows(lines):
            sheet.append(values)
    book.save(path)
    one_line_error(
        cli(str(path), "--sheet", "十二月", ok=False, by=OFFICER), "没有名为「十二月」的工作表"
    )
    out = cli(str(path), "--sheet", "十一月", by=OFFICER).output
    assert "新导入 1 笔，已导入过 0 笔" in out
    assert [paid.state(i) for i in range(2)] == ["pending", "settled"]
    out = cli(str(path), by=OFFICER).output  # the first sheet with the header: 十月
    assert "新导入 1 笔，已导入过 0 笔" in out
    assert [paid.state(i) for i in range(2)] == ["settled", "settled"]
