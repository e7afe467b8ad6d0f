"""The payout commands through click's CliRunner, each with ``--db``, on both backends.

One officer's day, command by command: init, fund add / appropriate, batch submit / list /
show / notice / approve / reject, disburse (with --accounts), payment list / return /
reissue / approve / requests / settle, recover, repay, explain, audit. A refusal exits non-zero with one line
``错误：…`` (``Error: …`` in English) and no traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result
from workflow_helpers import (
    ACCOUNT,
    CHECKER,
    GOJI,
    HIRING,
    MAKER,
    PAYER,
    claim,
    new_person,
    write_claims,
)

from ledgers import Ledger
from subsidies.cli import main


@pytest.fixture
def cli(db_url: str, as_officer):
    """Commands on ``db_url`` signed in as ``by`` (default chief, every role)."""
    runner = CliRunner()
    as_officer(db_url)  # the office signed in before anything is compared

    def run(*args: str | Path, by=None) -> Result:
        return runner.invoke(
            main,
            [*map(str, args), "--db", db_url],
            catch_exceptions=True,
            env=as_officer(db_url, by),
        )

    def ok(*args: str | Path, by=None) -> str:
        result = run(*args, by=by)
        assert result.exit_code == 0, (args, result.output, result.exception)
        return result.output

    def refused(*args: str | Path, match: str, by=None) -> str:
        result = run(*args, by=by)
        assert result.exit_code != 0, (args, result.output)
        assert isinstance(result.exception, SystemExit), (args, result.exception)
        assert "Traceback" not in result.output, result.output
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("错误："), (args, result.stderr)
        assert re.search(match, lines[0]), (match, lines[0])
        return lines[0]

    run.ok, run.refused, run.run = ok, refused, run
    return run


def test_cli_payout_day(cli, db_url, tmp_path) -> None:
    assert "账本结构已是最新" in cli.ok("init")
    cli.ok("fund", "add", "QH2024", "2024 中央就业补助资金 青海", "--year", "2024")
    cli.ok(
        "fund", "appropriate", "QH2024", "1,000,000", "--doc", "青财社指〔2024〕12号",
        "--on", "2024-06-03", by="admin",
    )  # fmt: skip
    rows = [claim(GOJI, f"CLI-{i}", worker_id=new_person()) for i in range(1, 4)]
    rows[2][ACCOUNT] = ""  # its account comes from --accounts
    claims = write_claims(tmp_path / "goji.csv", rows)
    decisions = tmp_path / "decisions.csv"
    out = cli.ok(
        "batch", "submit", GOJI, claims, "--fund", "QH2024", "--as-of", "2024-12-02", "--notice-days", "5", "-o", decisions, by=MAKER,
    )  # fmt: skip
    code = re.search(r"批次 (B\d{8}-\d{5})", out).group(1)
    assert re.search(r"符合\s+3 笔\s+300\.00 元", out), out
    assert list(pd.read_csv(decisions, encoding="utf-8-sig")["status"]) == ["eligible"] * 3
    listed = cli.ok("batch", "list")
    assert code in listed and "submitted" in listed and "300.00" in listed
    assert "CLI-2" in cli.ok("batch", "show", code, "--claims")

    # the notice, and the approval it holds back
    notice = tmp_path / "notice.pdf"
    out = cli.ok("batch", "notice", code, "-o", notice, "--on", "2024-12-02", by=MAKER)
    assert "300.00 元" in out and notice.read_bytes().startswith(b"%PDF")
    cli.refused("batch", "approve", code, "--on", "2024-12-09", match="2024-12-09", by=CHECKER)
    cli.refused(
        "batch",
        "approve",
        code,
        "--on",
        "2024-12-10",
        match="wang.maker 无权审核通过批次",
        by=MAKER,
    )
    out = cli.ok("batch", "approve", code, "--on", "2024-12-10", by=CHECKER)
    assert "计提 3 笔" in out and "999,700.00" in out
    cli.refused(
        "batch", "approve", code, "--on", "2024-12-10", match="已由 li.checker 审核通过", by="chief"
    )
    assert "approved 2024-12-10，li.checker：" in cli.ok("batch", "show", code)

    # disbursement: the third claim's account is missing until --accounts gives it
    bank_file = tmp_path / "payments.csv"
    cli.refused("disburse", code, "-o", bank_file, match="CLI-3（第 4 行）", by=PAYER)
    accounts = tmp_path / "accounts.csv"
    pd.DataFrame({"申请编号": ["CLI-3"], "账号": ["6222333"]}).to_csv(accounts, index=False)
    out = cli.ok("disburse", code, "-o", bank_file, "--accounts", accounts, by=PAYER)
    assert "支付 3 笔，300.00 元" in out
    paid = pd.read_csv(bank_file, dtype=str, encoding="utf-8-sig")
    assert len(paid) == 3 and "6222333" in set(paid.iloc[:, 3])
    references = list(paid.iloc[:, 0])
    # a re-run pays nothing twice and writes no file; only an explicit reprint writes a
    # copy, marked 副本 on its first row (this replaced `disburse --again`, which rewrote
    # the payments as a second original)
    cli.refused("disburse", code, "-o", tmp_path / "again.csv",
                match=r"已支付：其付款见第 1 号付款文件（原件，3 笔，300\.00 元）.*（命令："
                r"subsidies payment file B\d{8}-\d{5} --reprint -o FILE）", by=PAYER)  # fmt: skip
    assert not (tmp_path / "again.csv").exists()
    cli.refused("payment", "file", code, "-o", tmp_path / "again.csv",
                match="已支付：其付款见", by=PAYER)  # fmt: skip
    out = cli.ok("payment", "file", code, "--reprint", "-o", tmp_path / "again.csv", by=PAYER)
    assert "文件 #1 的副本，3 笔，300.00 元" in out
    copy = (tmp_path / "again.csv").read_text(encoding="utf-8-sig")
    assert copy.startswith("副本 COPY,") and "副本" not in bank_file.read_text(encoding="utf-8-sig")
    again = pd.read_csv(tmp_path / "again.csv", dtype=str, encoding="utf-8-sig", skiprows=1)
    assert list(again.iloc[:, 0]) == references
    files = cli.ok("payment", "files", code)
    assert "#1" in files and "#1 的副本" in files and str(bank_file.resolve()) in files
    listing = cli.ok("payment", "list", code)
    assert all(r in listing for r in references) and listing.count("pending") == 3

    # return and reissue by hand, each approved by a second officer (issue #18); settle
    first, second, third = references
    out = cli.ok("payment", "return", first, "--reason", "账户冻结", by=PAYER)
    assert "申请，须由审核人员批准" in out and f"payment approve {first}" in out
    cli.refused("payment", "return", first, "--reason", "again", match="已有待复核的申请", by=PAYER)  # fmt: skip
    cli.refused("payment", "approve", first, match="需要「审核」角色", by=PAYER)
    assert first in cli.ok("payment", "requests")
    assert "由 li.checker 审核通过" in cli.ok("payment", "approve", first, by=CHECKER)
    cli.refused(
        "payment",
        "return",
        first,
        "--reason",
        "again",
        match="已退票；只有已发送银行的付款才能退票",
        by=PAYER,
    )
    out = cli.ok("payment", "reissue", first, "--account", "6222111", "--reason", "收款人更换银行卡", by=PAYER)  # fmt: skip
    assert "申请，须由审核人员批准" in out and "6222111" in out
    out = cli.ok("payment", "approve", first, by=CHECKER)
    reissued = re.search(r"已重新支付为 (\S+)（第 2 次）", out).group(1)
    assert f"payment file {code} --reissue {reissued} -o FILE" in out
    cli.refused("payment", "file", code, "--reissue", reissued, "-o", tmp_path / "reissue.csv",
                match="需要「出纳」角色", by=CHECKER)  # fmt: skip
    cli.ok("payment", "file", code, "--reissue", reissued, "-o", tmp_path / "reissue.csv", by=PAYER)
    cli.refused("payment", "file", code, "--reissue", reissued, "-o", tmp_path / "twice.csv",
                match="的文件已写出", by=PAYER)  # fmt: skip
    cli.refused("payment", "file", code, "--reprint", "--file", "9", "-o", tmp_path / "x.csv", match="没有可重印的第 9 号付款文件；其文件有：#1, #3", by=PAYER)  # fmt: skip
    out = cli.ok("payment", "file", code, "--reprint", "--file", "3", "-o", tmp_path / "reissue-copy.csv", by=PAYER)  # fmt: skip
    assert "文件 #3 的副本，1 笔，" in out
    assert reissued in (tmp_path / "reissue-copy.csv").read_text(encoding="utf-8-sig")
    bank_file = (tmp_path / "reissue.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(bank_file) == 2 and bank_file[1].startswith(f"{reissued},")
    assert ",6222111," in bank_file[1]
    cli.refused("payment", "reissue", first, "--account", "6222", match="已重新支付为", by=PAYER)
    for reference in (reissued, second, third):
        cli.ok("payment", "settle", reference, "--detail", "流水", by=PAYER)
    cli.refused("payment", "return", second, "--reason", "x", match="已到账", by=PAYER)

    # recover and repay
    out = cli.ok("recover", "CLI-2", "--reason", "冒名申领", by=CHECKER)
    assert "应收 100.00 元" in out
    out = cli.ok("repay", "CLI-2", "40", by=PAYER)
    assert "尚欠 60.00 元" in out
    cli.refused("repay", "CLI-2", "abc", match="abc", by=PAYER)
    cli.refused(
        "repay",
        "CLI-2",
        "61",
        match="退回金额 61.00 元 须在 0.01 元 与欠款 60.00 元 之间",
        by=PAYER,
    )

    # explain and audit
    out = cli.ok("explain", reissued)
    assert f"支付 {reissued}（第 2 次）" in out and "计提应付补贴" in out and "「" in out
    audit = cli.ok("audit")
    for action in ("batch.submit", "batch.notice", "batch.approve", "batch.disburse"):
        assert action in audit
    for action in ("payment.file.original", "payment.file.copy", "payment.file.reissue"):
        assert action in audit
    for action in ("payment.request_return", "payment.return", "payment.request_reissue"):
        assert action in audit
    for action in ("payment.approve", "payment.reissue", "recovery.raise", "recovery.repay"):
        assert action in audit
    assert len(cli.ok("audit", "--limit", "3").strip().splitlines()) == 3

    # a second batch, rejected
    other = write_claims(tmp_path / "hiring.csv", [claim(HIRING, "HR-1", employee_id=new_person())])
    out = cli.ok(
        "batch", "submit", HIRING, other, "--fund", "QH2024", "--as-of",
        "2025-06-30", "--notice-days", "0", by=MAKER,
    )  # fmt: skip
    rejected = re.search(r"批次 (B\d{8}-\d{5})", out).group(1)
    cli.refused("batch", "notice", rejected, "-o", tmp_path / "none.pdf",
                match="没有需要发布的公示")  # fmt: skip
    assert "notice_published" not in cli.ok("batch", "show", rejected)
    assert "已由 li.checker 退回" in cli.ok(
        "batch", "reject", rejected, "--reason", "重复申报", by=CHECKER
    )
    cli.refused("batch", "approve", rejected, match="已退回；请将更正后的申报", by=CHECKER)
    cli.refused(
        "disburse", rejected, "-o", tmp_path / "x.csv", match="已退回：只有审核通过的批次", by=PAYER
    )

    with Ledger.connect(db_url) as led:
        assert led.verify().ok
        assert led.trial_balance().balanced


def test_cli_refusals_are_one_line(cli, new_db_url, tmp_path) -> None:
    bare = CliRunner().invoke(main, ["batch", "list", "--db", new_db_url()])  # no schema yet
    assert bare.exit_code == 1 and "请先运行 `subsidies init`" in bare.stderr, bare.output
    cli.ok("init")
    cli.ok("fund", "add", "QH2024", "2024 青海")
    claims = write_claims(tmp_path / "c.csv", [claim(GOJI, "R-1", worker_id=new_person())])
    submit = ("batch", "submit", GOJI, claims, "--as-of", "2024-12-02", "--notice-days", "5")
    cli.refused(
        *submit,
        "--fund",
        "NOFUND",
        match="没有资金 NOFUND：请先添加（命令：subsidies fund add）",
        by=MAKER,
    )
    cli.refused("batch", "submit", "nowhere.program", claims, "--fund", "QH2024", match="没有项目", by=MAKER)  # fmt: skip
    cli.refused("batch", "submit", GOJI, tmp_path / "missing.csv", "--fund", "QH2024", match="找不到文件", by=MAKER)  # fmt: skip
    cli.refused("batch", "show", "B20990101-00001", match="没有批次 B20990101-00001")
    cli.refused("batch", "approve", "B20990101-00001", match="没有批次", by=CHECKER)
    cli.refused("disburse", "B20990101-00001", "-o", tmp_path / "p.csv",
                match="没有批次", by=PAYER)  # fmt: skip
    cli.refused("payment", "settle", "SL000", match="没有支付编号 'SL000'", by=PAYER)
    cli.refused(
        "payment", "return", "SL000", "--reason", "x", match="没有支付编号 'SL000'", by=PAYER
    )
    cli.refused(
        "payment", "reissue", "SL000", "--account", "1", match="没有支付编号 'SL000'", by=PAYER
    )
    cli.refused("payment", "approve", "SL000", match="没有支付编号 'SL000'", by=CHECKER)
    cli.refused(
        "payment", "reject", "SL000", "--reason", "x", match="没有支付编号 'SL000'", by=CHECKER
    )
    cli.refused("disburse", "B20990101-00001", "-o", tmp_path / "p.txt",
                match=r"p\.txt：付款文件须为 \.csv 或 \.xlsx", by=PAYER)  # fmt: skip
    cli.refused("payment", "reissue", "SL000", "--account", "1", "-o", tmp_path / "r.txt", match=r"r\.txt：付款文件须为", by=PAYER)  # fmt: skip
    cli.refused("recover", "R-1", "--reason", "x", match="申请 R-1 没有支付记录", by=CHECKER)
    cli.refused("repay", "R-1", "10", match="R-1", by=PAYER)
    cli.refused("explain", "NOTHING", match="没有支付编号或申请编号")
    out = cli.ok(*submit, "--fund", "QH2024", by=MAKER)
    code = re.search(r"批次 (B\d{8}-\d{5})", out).group(1)
    cli.refused(
        "disburse", code, "-o", tmp_path / "p.csv", match="只有审核通过的批次才能支付", by=PAYER
    )
    cli.refused(
        "batch",
        "notice",
        code,
        "-o",
        tmp_path / "notice.txt",
        match=r"公示只能写成 \.xlsx 或 \.pdf",
    )
    # the overdraft: the fund holds nothing
    cli.ok("batch", "notice", code, "-o", tmp_path / "n.xlsx", "--on", "2024-12-02")
    cli.refused("batch", "approve", code, "--on", "2024-12-10",
                match="未审核通过", by=CHECKER)  # fmt: skip


def test_notice_published_again(cli, tmp_path) -> None:
    cli.ok("init")
    cli.ok("fund", "add", "QH2024", "2024 青海")
    cli.ok("fund", "appropriate", "QH2024", "1000", "--doc", "青财社指〔2024〕12号")
    claims = write_claims(tmp_path / "c.csv", [claim(GOJI, "N-1", worker_id=new_person())])
    out = cli.ok("batch", "submit", GOJI, claims, "--fund", "QH2024", "--as-of", "2024-12-02", "--notice-days", "5", by=MAKER)  # fmt: skip
    code = re.search(r"批次 (B\d{8}-\d{5})", out).group(1)
    cli.ok("batch", "notice", code, "-o", tmp_path / "n1.xlsx", "--on", "2024-12-02")
    second = cli.run("batch", "notice", code, "-o", tmp_path / "n2.xlsx", "--on", "2024-12-05")
    assert second.exit_code == 0, second.output  # accepted: its period (to 2024-12-12) holds
    assert "发布日期 2024-12-05" in second.output
    cli.refused("batch", "approve", code, "--on", "2024-12-10",
                match="2024-12-12", by=CHECKER)  # fmt: skip
    cli.refused("batch", "notice", code, "-o", tmp_path / "n0.xlsx", "--on", "2024-12-01",
                match="再次发布的日期不能更早")  # fmt: skip
    assert not (tmp_path / "n0.xlsx").exists()
    cli.ok("batch", "approve", code, "--on", "2024-12-13", by=CHECKER)


def test_a_batch_with_nothing_eligible_has_no_notice(cli, tmp_path) -> None:
    """A 公示 of no names is refused with its reason, recording nothing, and submitting such
    a batch does not suggest publishing one."""
    cli.ok("init")
    cli.ok("fund", "add", "QH2024", "2024 青海")
    rows = [claim(GOJI, f"Z-{i}", worker_id=new_person(), worker_hukou="甘肃") for i in (1, 2)]
    out = cli.ok("batch", "submit", GOJI, write_claims(tmp_path / "c.csv", rows), "--fund",
                 "QH2024", "--as-of", "2024-12-02", "--notice-days", "5", by=MAKER)  # fmt: skip
    code = re.search(r"批次 (B\d{8}-\d{5})", out).group(1)
    assert re.search(r"不符合\s+2 笔\s", out), out
    assert "batch notice" not in out and "没有可发放的申报，无需公示" in out
    cli.refused("batch", "notice", code, "-o", tmp_path / "n.pdf", "--on", "2024-12-02",
                match="没有符合条件且有金额的申报：不发布没有名单的公示")  # fmt: skip
    assert not (tmp_path / "n.pdf").exists()
    assert "notice_published" not in cli.ok("batch", "show", code)
    assert "batch.submit" in cli.ok("audit") and "batch.notice" not in cli.ok("audit")
