"""The whole payout cycle on SQLite and PostgreSQL, with the ledger's invariants at the end.

fund + appropriation → submit (decisions kept as evidence) → notice (XLSX and PDF; no
approval before it ends) → approve by a second officer (accruals) → disburse (bank file)
→ return by hand and reissue to a corrected account (each approved by a second officer)
→ settle → recover and repay part. At the end
the chain verifies, each track balances, every figure is the sum of its postings, and
2303 payable = accrued − disbursed + returned.

The notice is published on Friday 2024-09-27, before the National Day holiday: the five
working days after it are 09-29 (a Sunday worked, 调休), 09-30, 10-08, 10-09 and 10-10
(国办发明电〔2023〕7号), so approval is refused on 10-10 and allowed from 10-11.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from workflow_helpers import (
    ACCOUNT,
    APPROPRIATED_FEN,
    CHECKER,
    FUND,
    GOJI,
    MAKER,
    PAYER,
    bank_account,
    check_books,
    claim,
    db_state,
    entry_count,
    posting_sum,
    reissue_approved,
    resident_id,
    return_by_hand,
    wrong_check,
)

from ledgers import Kind
from ledgers.chart import BUDGET_EXPENDITURE, CASH, FUNDS_HELD, PAYABLE, RECEIVABLE
from subsidies.workflow import batches as wf
from subsidies.workflow import payfiles
from subsidies.workflow import payment_requests as req
from subsidies.workflow import payments as pay
from subsidies.workflow.registers import write_notice

SUBMITTED = dt.date(2024, 9, 26)
PUBLISHED = dt.date(2024, 9, 27)
NOTICE_ENDS = dt.date(2024, 10, 10)
APPROVED = dt.date(2024, 10, 11)
PAID = dt.date(2024, 10, 14)


def cycle_claims() -> list[dict]:
    """Four eligible claims (100 + 50 + 100 + 50 元), one ineligible, one invalid."""
    return [
        claim(GOJI, "QH-C-1", worker_id=resident_id("19850612", 24), worker_name="韩玉兰"),
        claim(GOJI, "QH-C-2", worker_id=resident_id("19900115", 37), worker_group="其他"),
        claim(GOJI, "QH-C-3", worker_id=resident_id("19920303", 5), worker_group="监测对象"),
        claim(GOJI, "QH-C-4", worker_id=resident_id("19930404", 6), worker_group="其他"),
        claim(GOJI, "QH-C-5", worker_id=resident_id("19940505", 7), destination="西宁市"),
        claim(GOJI, "QH-C-6", worker_id=wrong_check(resident_id("19950606", 8))),
    ]


EXPECTED = {
    "QH-C-1": ("eligible", 100_00),
    "QH-C-2": ("eligible", 50_00),
    "QH-C-3": ("eligible", 100_00),
    "QH-C-4": ("eligible", 50_00),
    "QH-C-5": ("ineligible", 0),
    "QH-C-6": ("invalid", 0),
}
ELIGIBLE_FEN = 300_00


def test_full_cycle(funded, files, tmp_path) -> None:
    led = funded
    assert led.available(FUND) == APPROPRIATED_FEN
    rows = cycle_claims()
    path = files(rows, "goji-2024-09.csv")

    # -- submit: decisions recorded as evidence, no money moves ---------------------------
    entries_before = entry_count(led, Kind.PAYOUT_ACCRUED)
    batch, result = wf.submit(
        led, GOJI, path, fund_code=FUND, by=MAKER, as_of=SUBMITTED, notice_days=5
    )
    assert batch.state == "submitted" and batch.submitted_by == MAKER.username
    assert batch.notice_days == 5 and batch.as_of == SUBMITTED
    got = {r.claim_id: (r.status, int(r.amount_fen)) for r in result.itertuples()}
    assert got == EXPECTED
    decisions = wf.batch_decisions(led, batch.code).set_index("claim_id")
    for line, row in enumerate(rows, start=2):  # the header is line 1 of the file
        d = decisions.loc[row["claim_id"]]
        assert (d["status"], int(d["amount_fen"])) == EXPECTED[row["claim_id"]]
        assert d["row_no"] == line
        assert json.loads(d["input_json"]) == row  # the row as the officer gave it, account too
        assert d["reasons"].strip()
    eligible = decisions[decisions["status"] == "eligible"]
    assert all("三(六)" in c for c in eligible["citation"]), eligible["citation"].tolist()
    assert "户籍" in decisions.loc["QH-C-1", "reasons"]
    assert "海西" in decisions.loc["QH-C-5", "reasons"]
    assert "校验码应为" in decisions.loc["QH-C-6", "reasons"]
    assert led.available(FUND) == APPROPRIATED_FEN
    assert entry_count(led, Kind.PAYOUT_ACCRUED) == entries_before

    # -- notice: XLSX and PDF, masked; no approval before it ends --------------------------
    with pytest.raises(wf.WorkflowError, match="尚未发布公示"):
        wf.approve(led, batch.code, by=CHECKER, on=APPROVED)
    xlsx, pdf = tmp_path / "notice.xlsx", tmp_path / "notice.pdf"
    assert write_notice(led, batch.code, xlsx, on=PUBLISHED) == ELIGIBLE_FEN
    assert write_notice(led, batch.code, pdf, on=PUBLISHED) == ELIGIBLE_FEN
    cells = [
        str(c)
        for r in load_workbook(xlsx).active.iter_rows(values_only=True)
        for c in r
        if c is not None
    ]
    shown = " ".join(cells)
    assert batch.code in shown and str(NOTICE_ENDS) in shown
    for r in rows:
        listed = EXPECTED[r["claim_id"]][0] == "eligible"
        assert (r["claim_id"] in cells) == listed, r["claim_id"]
        assert r["worker_id"] not in shown and r["broker_id"] not in shown  # masked
        assert r[ACCOUNT] not in shown
    assert "韩**" in cells and "632801********" + rows[0]["worker_id"][-4:] in cells
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 1
    pdf_text = "".join(page.extract_text() for page in reader.pages)
    assert batch.code in pdf_text and "QH-C-4" in pdf_text and "QH-C-5" not in pdf_text

    batch = wf.publish_notice(led, batch.code, on=PUBLISHED, by=MAKER)
    assert batch.state == "noticed"
    before = db_state(led)
    with pytest.raises(wf.WorkflowError) as refused:
        wf.approve(led, batch.code, by=CHECKER, on=NOTICE_ENDS)
    assert str(NOTICE_ENDS) in str(refused.value)
    assert "2024-10-11 起方可审核通过" in str(refused.value)
    assert db_state(led) == before

    # -- approve: one accrual per eligible claim, the fund committed by the total -------------
    batch, posted = wf.approve(led, batch.code, by=CHECKER, on=APPROVED)
    assert batch.state == "approved" and posted == 4
    assert batch.event("approved")["by"] == CHECKER.username
    assert entry_count(led, Kind.PAYOUT_ACCRUED, f"accrual:{GOJI}:QH-C-%") == 4
    assert posting_sum(led, PAYABLE, FUND, Kind.PAYOUT_ACCRUED) == (0, ELIGIBLE_FEN)
    assert led.available(FUND) == APPROPRIATED_FEN - ELIGIBLE_FEN
    assert led.balance(PAYABLE, FUND) == ELIGIBLE_FEN
    assert led.balance(f"5001.{GOJI}", FUND) == ELIGIBLE_FEN

    # -- disburse: the bank file lists the pending payments; a re-run creates nothing --------
    pending = pay.disburse(led, batch.code, by=PAYER, on=PAID)
    assert sorted(p.claim_id for p in pending) == ["QH-C-1", "QH-C-2", "QH-C-3", "QH-C-4"]
    assert {p.state for p in pending} == {"pending"} and {p.attempt for p in pending} == {1}
    by_claim = {p.claim_id: p for p in pending}
    accounts = {r["claim_id"]: r[ACCOUNT] for r in rows}
    for p in pending:
        assert p.account == accounts[p.claim_id]  # from the 银行账号 column
        assert p.amount_fen == EXPECTED[p.claim_id][1]
        assert p.payee_id == rows[0]["broker_id"]  # the broker is paid
    assert len({p.reference for p in pending}) == 4
    bank_file = tmp_path / "payments.csv"
    sent = payfiles.send(led, batch.code, bank_file, payfiles.Options(), by=PAYER, post=False)
    assert (sent.file.total_fen, sent.file.payments, sent.new) == (ELIGIBLE_FEN, 4, 0)
    written = pd.read_csv(bank_file, dtype=str, encoding="utf-8-sig")
    assert len(written) == len(pending)
    assert sorted(written.iloc[:, 0]) == sorted(p.reference for p in pending)
    assert sorted(written.iloc[:, 3]) == sorted(p.account for p in pending)
    xlsx_file = tmp_path / "payments.xlsx"
    copy = payfiles.reprint(led, batch.code, xlsx_file, by=PAYER)
    assert (copy.kind, copy.copy_of, copy.total_fen) == ("copy", sent.file.id, ELIGIBLE_FEN)
    lines = pd.read_excel(xlsx_file, dtype=str, skiprows=1).iloc[:-1]  # the copy row, 合计
    assert lines.iloc[:, [0, 1, 2, 3, 5, 6]].equals(written.iloc[:, [0, 1, 2, 3, 5, 6]])
    assert entry_count(led, Kind.DISBURSEMENT) == 4
    assert led.balance(PAYABLE, FUND) == 0
    assert led.balance(CASH, FUND) == APPROPRIATED_FEN - ELIGIBLE_FEN

    before = db_state(led)
    again = pay.disburse(led, batch.code, by=PAYER, on=PAID + dt.timedelta(days=1))
    assert sorted(p.reference for p in again) == sorted(p.reference for p in pending)
    assert db_state(led) == before

    # -- return one payment, reissue it to a corrected account (each by PAYER, approved
    # by CHECKER: maker–checker, issue #18) ---------------------------------------------------
    returned = by_claim["QH-C-1"]
    back = return_by_hand(
        led, returned.reference, reason="户名与账号不符", on=dt.date(2024, 10, 16)
    )
    assert back.state == "returned"
    assert led.balance(PAYABLE, FUND) == 100_00  # payable again
    assert entry_count(led, Kind.RETURNED_PAYMENT) == 1
    corrected = bank_account(999_001)
    reissued = reissue_approved(led, returned.reference, corrected, on=dt.date(2024, 10, 17))
    assert reissued.reference != returned.reference
    assert (reissued.attempt, reissued.account, reissued.state) == (2, corrected, "pending")
    assert (reissued.claim_id, reissued.amount_fen) == ("QH-C-1", 100_00)
    assert led.balance(PAYABLE, FUND) == 0
    before = db_state(led)
    with pytest.raises(wf.WorkflowError, match="已重新支付为"):
        req.reissue(led, returned.reference, account=bank_account(999_002), by=PAYER)
    assert db_state(led) == before
    # only the pending ones go to the bank again
    still = pay.disburse(led, batch.code, by=PAYER, on=dt.date(2024, 10, 17))
    assert sorted(p.reference for p in still) == sorted(
        [reissued.reference] + [p.reference for p in pending if p.claim_id != "QH-C-1"]
    )
    assert db_state(led) == before

    # -- settle; a settled payment cannot come back ------------------------------------------
    settled_on = dt.date(2024, 10, 18)
    for p in [reissued] + [by_claim[c] for c in ("QH-C-2", "QH-C-3", "QH-C-4")]:
        assert pay.settle(led, p.reference, by=PAYER, on=settled_on).state == "settled"
    before = db_state(led)
    with pytest.raises(wf.WorkflowError, match="已到账；只有已发送银行的付款才能退票"):
        req.request_return(led, by_claim["QH-C-2"].reference, reason="退回", by=PAYER)
    with pytest.raises(wf.WorkflowError, match="已到账$"):
        pay.settle(led, reissued.reference, by=PAYER)
    assert db_state(led) == before

    # -- recover a claim paid in error, repay part --------------------------------------------
    raised = pay.raise_recovery(
        led, GOJI, "QH-C-3", reason="务工人员非农牧民", by=CHECKER, on=dt.date(2024, 11, 1)
    )
    assert raised == 100_00
    owed = pay.repay(led, GOJI, "QH-C-3", 30_00, by=PAYER, on=dt.date(2024, 11, 15))
    assert owed == 70_00
    assert led.balance(RECEIVABLE, FUND) == 70_00
    with pytest.raises(wf.WorkflowError, match="已追回 100.00 元"):
        pay.raise_recovery(led, GOJI, "QH-C-3", reason="again", by=CHECKER)
    with pytest.raises(
        wf.WorkflowError, match="退回金额 70.01 元 须在 0.01 元 与欠款 70.00 元 之间"
    ):
        pay.repay(led, GOJI, "QH-C-3", 70_01, by=PAYER)

    # -- the books -----------------------------------------------------------------------------
    check_books(led)
    payments = pay.batch_payments(led, batch.code)
    assert len(payments) == 5
    accrued = int(eligible["amount_fen"].sum())
    disbursed = sum(p.amount_fen for p in payments)
    returned_fen = sum(p.amount_fen for p in payments if p.state == "returned")
    assert (accrued, disbursed, returned_fen) == (300_00, 400_00, 100_00)
    assert led.balance(PAYABLE, FUND) == accrued - disbursed + returned_fen == 0
    # the same figures from the postings of each kind of entry
    assert posting_sum(led, PAYABLE, FUND, Kind.PAYOUT_ACCRUED) == (0, accrued)
    assert posting_sum(led, PAYABLE, FUND, Kind.DISBURSEMENT) == (disbursed, 0)
    assert posting_sum(led, PAYABLE, FUND, Kind.RETURNED_PAYMENT) == (0, returned_fen)
    assert posting_sum(led, RECEIVABLE, FUND) == (100_00, 30_00)
    repaid = 30_00
    cash = APPROPRIATED_FEN - disbursed + returned_fen + repaid
    assert led.balance(CASH, FUND) == cash
    assert led.balance(FUNDS_HELD, FUND) == cash  # budget track mirrors the cash
    assert led.balance(BUDGET_EXPENDITURE, FUND) == disbursed - returned_fen - repaid
    assert led.balance(f"5001.{GOJI}", FUND) == accrued - raised
    assert led.available(FUND) == cash - led.balance(PAYABLE, FUND)
    assert {p.state for p in payments} == {"settled", "returned"}
