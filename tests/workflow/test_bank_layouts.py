"""Bank payment files in the layouts banks take for 代发, and merged transfers reconciled.

- bank-cn: a batch header (付款账号, 付款户名, 总笔数, 总金额, 批次号, 付款日期) over one line
  per transfer (序号, 收款账号, 收款户名, 金额, 用途, 摘要 = the reference), in CSV and XLSX;
  the figures in the header are the file's own (count, total), amounts numbers in XLSX.
- An office's own layout is a YAML file; an unknown field, or a header that needs the
  payer's account when none is given, is refused before anything is paid.
- ``--merge``: a payee's payments of the batch are one transfer (its line the sum, its
  摘要 a transfer reference); the ledger keeps every payment. The bank's result sheet
  (statement layout bank-cn) answering with one line per transfer settles, or returns,
  every payment in it; a line whose amount differs is an exception and settles nothing.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from workflow_helpers import (
    ACCOUNT,
    CHECKER,
    GOJI,
    GOJI_AS_OF,
    PAYER,
    claim,
    db_state,
    new_person,
    submit_rows,
)
from written_files import readiness_problems

from subsidies.cli import main
from subsidies.workflow import batches as wf
from subsidies.workflow import payments as pay
from subsidies.workflow import reconcile as recon

PAYER_ACCOUNT, PAYER_NAME = "2100 1234 5678 0000 001", "市就业服务中心"
SHARED = "6217000000000000777"  # one broker's account on several claims


@pytest.fixture
def cli(db_url: str, as_officer):
    runner = CliRunner()
    as_officer(db_url)  # the office signed in before anything is compared

    def run(*args, ok: bool = True, by=None):
        env = as_officer(db_url, by)
        result = runner.invoke(
            main, [*map(str, args), "--db", db_url], catch_exceptions=True, env=env
        )
        assert (result.exit_code == 0) == ok, (args, result.output, result.exception)
        return result.output

    return run


def _batch(led, tmp_path: Path, prefix: str, brokers: list[tuple[str, str]]) -> str:
    """An approved goji batch: one claim per (broker name, account) given."""
    rows = []
    for n, (name, account) in enumerate(brokers, start=1):
        row = claim(GOJI, f"{prefix}-{n}", broker_name=name, worker_id=new_person())
        row[ACCOUNT] = account
        rows.append(row)
    batch, _ = submit_rows(led, rows, GOJI, tmp=tmp_path, as_of=GOJI_AS_OF)
    wf.approve(led, batch.code, by=CHECKER, on=GOJI_AS_OF)
    return batch.code


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_bank_cn_file_has_the_batch_header_and_one_line_per_transfer(funded, cli, tmp_path):
    code = _batch(funded, tmp_path, "BK", [("马经纪", "6217000000000000101"), ("韩经纪", SHARED)])
    path = tmp_path / "daifa.csv"
    out = cli("disburse", code, "-o", path, "--layout", "bank-cn",
              "--payer-account", PAYER_ACCOUNT, "--payer-name", PAYER_NAME, "--on", "2024-12-03", by=PAYER)  # fmt: skip
    assert "支付 2 笔，200.00 元" in out
    labels, values, columns, *lines = _rows(path)
    assert labels == ["付款账号", "付款户名", "总笔数", "总金额", "批次号", "付款日期"]
    assert values == [PAYER_ACCOUNT, PAYER_NAME, "2", "200.00", code, "2024-12-03"]
    assert columns == ["序号", "收款账号", "收款户名", "金额", "用途", "摘要"]
    references = [p.reference for p in pay.batch_payments(funded, code)]
    assert lines == [
        [
            "1",
            "6217000000000000101",
            "马经纪",
            "100.00",
            "青海 劳务经纪人枸杞采摘补贴",
            references[0],
        ],
        ["2", SHARED, "韩经纪", "100.00", "青海 劳务经纪人枸杞采摘补贴", references[1]],
    ]
    # the XLSX copy: the same header and lines, amounts as numbers, marked 副本
    copy = tmp_path / "daifa-copy.xlsx"
    cli("payment", "file", code, "--reprint", "-o", copy, by=PAYER)
    sheet = openpyxl.load_workbook(copy).worksheets[0]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0][0] == "副本 COPY" and sheet.title == "代发明细（副本）"
    assert cells[1][:6] == labels and cells[2][:5] == [PAYER_ACCOUNT, PAYER_NAME, 2, 200, code]
    assert [r[:4] for r in cells[5:7]] == [
        [1, "6217000000000000101", "马经纪", 100],
        [2, SHARED, "韩经纪", 100],
    ]
    assert cells[7][0].startswith("合计") and cells[7][3] == 200
    assert readiness_problems(copy) == []


def test_an_office_layout_file_and_refusals_before_paying(funded, cli, tmp_path):
    code = _batch(funded, tmp_path, "OF", [("马经纪", "6217000000000000201")])
    layout = tmp_path / "our-bank.yaml"
    layout.write_text(
        "name: our-bank\nheader: {单位账号: payer_account, 笔数: count, 金额合计: total}\n"
        "columns: {账号: account, 户名: payee_name, 身份证号: payee_id, 金额: amount, 附言: reference}\n"
        f"payer_account: '{PAYER_ACCOUNT}'\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "columns: {账号: account, 电话: phone}\nheader: {付款账号: payer_account}\n", "utf-8"
    )
    before = db_state(funded)
    assert "未知的明细字段 'phone'" in cli("disburse", code, "-o", tmp_path / "x.csv",
                                       "--layout", bad, ok=False, by=PAYER)  # fmt: skip
    payer = cli("disburse", code, "-o", tmp_path / "x.csv", "--layout", "bank-cn", ok=False,
                by=PAYER)  # fmt: skip
    assert "表头含付款账号" in payer and "（命令：--payer-account" in payer
    assert "没有付款文件格式 'nosuch'" in cli("disburse", code, "-o",
                                                    tmp_path / "x.csv", "--layout", "nosuch", ok=False, by=PAYER)  # fmt: skip
    assert db_state(funded) == before and not (tmp_path / "x.csv").exists()
    path = tmp_path / "ours.csv"
    cli("disburse", code, "-o", path, "--layout", layout, by=PAYER)
    rows = _rows(path)
    assert rows[:3] == [["单位账号", "笔数", "金额合计"], [PAYER_ACCOUNT, "1", "100.00"],
                        ["账号", "户名", "身份证号", "金额", "附言"]]  # fmt: skip
    (payment,) = pay.batch_payments(funded, code)
    assert rows[3] == [
        "6217000000000000201",
        "马经纪",
        payment.payee_id,
        "100.00",
        payment.reference,
    ]
    assert "our-bank" in cli("payment", "files", code) or str(layout) in cli(
        "payment", "files", code
    )


def _statement(path: Path, lines: list[list[str]]) -> Path:
    columns = ["交易日期", "流水号", "摘要", "收款人", "账号", "金额", "状态", "备注"]
    pd.DataFrame(lines, columns=columns).to_csv(path, index=False, encoding="utf-8-sig")
    return path


def test_merged_transfers_are_reconciled_payment_by_payment(funded, cli, tmp_path):
    brokers = [("马经纪", SHARED), ("韩经纪", "6217000000000000301"), ("马经纪", SHARED),
               ("冶经纪", "6217000000000000302"), ("冶经纪", "6217000000000000302"),
               ("马经纪", " 6217 0000 0000 0000 777")]  # fmt: skip
    code = _batch(funded, tmp_path, "MG", brokers)
    path = tmp_path / "merged.csv"
    out = cli("disburse", code, "-o", path, "--layout", "bank-cn", "--merge",
              "--payer-account", PAYER_ACCOUNT, "--on", "2024-12-03", by=PAYER)  # fmt: skip
    assert "支付 6 笔，合并为 3 笔转账，600.00 元" in out
    payments = pay.batch_payments(funded, code)
    assert len(payments) == 6 and {p.state for p in payments} == {"pending"}
    _, values, _, *lines = _rows(path)
    assert values[2:4] == ["3", "600.00"]
    by_payee = {line[2]: line for line in lines}
    ma, han, ye = by_payee["马经纪"], by_payee["韩经纪"], by_payee["冶经纪"]
    assert (ma[3], han[3], ye[3]) == ("300.00", "100.00", "200.00")
    assert re.fullmatch(r"SM\d{14}", ma[5]) and ma[5][2:] == payments[0].reference[2:]
    assert han[5] == payments[1].reference  # a payee paid once keeps the payment's reference
    assert {line[4] for line in lines} == {"青海 劳务经纪人枸杞采摘补贴"}  # bank-cn: the program

    # the bank answers one line per transfer: 马 paid, 冶 returned, 韩 for a wrong amount
    statement = _statement(
        tmp_path / "result.csv",
        [
            ["2024-12-04", "B1", ma[5], "马经纪", SHARED, "300.00", "成功", ""],
            ["2024-12-04", "B2", ye[5], "冶经纪", ye[1], "200.00", "失败", "账户已销户"],
            ["2024-12-04", "B3", han[5], "韩经纪", han[1], "90.00", "成功", ""],
        ],
    )
    out = cli("reconcile", statement, "--layout", "bank-cn", by="sun")
    assert "到账 3 笔，退回 2 笔，异常 1 笔" in out, out
    state = {p.claim_id: p.state for p in pay.batch_payments(funded, code)}
    assert state == {"MG-1": "settled", "MG-3": "settled", "MG-6": "settled",
                     "MG-4": "returned", "MG-5": "returned", "MG-2": "pending"}  # fmt: skip
    # the returned transfer's payments are each payable again, reissued one by one
    returned = [p for p in pay.batch_payments(funded, code) if p.state == "returned"]
    assert all(p.amount_fen == 100_00 for p in returned)
    # a second line for the settled transfer pays it twice: an exception, nothing settled again
    again = _statement(
        tmp_path / "again.csv",
        [["2024-12-05", "B9", ma[5], "马经纪", SHARED, "300.00", "成功", ""]],
    )
    before = {p.reference: p.state for p in pay.batch_payments(funded, code)}
    out = cli("reconcile", again, "--layout", "bank-cn", by="sun")
    assert "到账 0 笔，退回 0 笔" in out, out
    assert {p.reference: p.state for p in pay.batch_payments(funded, code)} == before
    found = recon.open_exceptions(funded)
    assert set(found.loc[found["serial"] == "B9", "type"]) == {"paid_twice"}
