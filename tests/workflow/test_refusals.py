"""A refused step changes nothing: every row of the ledger's and the workflow's tables
(balances, chain head, entries, postings, batches, events, decisions, payments, audit log)
is byte-identical before and after, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from workflow_helpers import (
    ACCOUNT,
    AS_OF,
    CHECKER,
    FUND,
    FUND_NAME,
    GOJI,
    GOJI_AS_OF,
    HIRING,
    MAKER,
    PAYER,
    approved_batch,
    check_books,
    claim,
    db_state,
    entry_count,
    new_person,
    submit_rows,
)

from ledgers import Kind
from subsidies.workflow import batches as wf
from subsidies.workflow import payments as pay

LATER = AS_OF + dt.timedelta(days=1)


def goji_rows(prefix: str, n: int, **overrides: str) -> list[dict]:
    return [
        claim(GOJI, f"{prefix}-{i}", worker_id=new_person(), **overrides) for i in range(1, n + 1)
    ]


def refused(led, call, match: str) -> wf.WorkflowError:
    """``call`` raises WorkflowError matching ``match`` and leaves every table as it was."""
    before = db_state(led)
    with pytest.raises(wf.WorkflowError, match=match) as error:
        call()
    assert db_state(led) == before, "a refused step changed the database"
    return error.value


@pytest.fixture
def opened(funded, tmp_path):
    """A ledger where the goji program has been approved once (its 5001 account is open)."""
    approved_batch(funded, goji_rows("OPEN", 1), GOJI, tmp_path, as_of=GOJI_AS_OF)
    return funded


def test_maker_cannot_check(opened, tmp_path) -> None:
    batch, _ = submit_rows(opened, goji_rows("MC", 2), GOJI, tmp=tmp_path, as_of=GOJI_AS_OF)
    both = replace(MAKER, roles=frozenset({"clerk", "checker"}))  # whatever roles they hold
    error = refused(
        opened, lambda: wf.approve(opened, batch.code, by=both, on=LATER), "经办与审核分离"
    )
    assert MAKER.username in str(error)
    _, posted = wf.approve(opened, batch.code, by=CHECKER, on=LATER)
    assert posted == 2


def test_no_approval_before_the_notice(opened, tmp_path) -> None:
    batch, _ = submit_rows(
        opened, goji_rows("NT", 1), GOJI, tmp=tmp_path, as_of=GOJI_AS_OF, notice_days=5
    )
    refused(
        opened,
        lambda: wf.approve(opened, batch.code, by=CHECKER, on=dt.date(2025, 1, 31)),
        "尚未发布公示",
    )
    wf.publish_notice(opened, batch.code, on=dt.date(2024, 12, 2), by=MAKER)
    # Mon 2 Dec + 5 working days (Tue–Fri, Mon) = Mon 9 Dec
    error = refused(
        opened,
        lambda: wf.approve(opened, batch.code, by=CHECKER, on=dt.date(2024, 12, 9)),
        "2024-12-09",
    )
    assert "2024-12-10 起方可审核通过" in str(error)
    assert wf.approve(opened, batch.code, by=CHECKER, on=dt.date(2024, 12, 10))[1] == 1


def test_no_notice_period_needs_no_notice(opened, tmp_path) -> None:
    batch, _ = submit_rows(
        opened, goji_rows("N0", 1), GOJI, tmp=tmp_path, as_of=GOJI_AS_OF, notice_days=0
    )
    batch, posted = wf.approve(opened, batch.code, by=CHECKER, on=GOJI_AS_OF)
    assert posted == 1 and batch.event("notice_published") is None


def test_rejected_batch_is_not_approved(opened, tmp_path) -> None:
    batch, _ = submit_rows(opened, goji_rows("RJ", 2), GOJI, tmp=tmp_path, as_of=GOJI_AS_OF)
    refused(opened, lambda: wf.reject(opened, batch.code, by=CHECKER, reason=" "), "退回须填写理由")
    wf.reject(opened, batch.code, by=CHECKER, reason="名单有误", on=LATER)
    refused(
        opened,
        lambda: wf.approve(opened, batch.code, by=CHECKER, on=LATER),
        "已退回；请将更正后的申报作为新批次提交",
    )
    refused(
        opened,
        lambda: wf.reject(opened, batch.code, by=CHECKER, reason="again"),
        f"批次 {batch.code} 已退回$",
    )
    refused(
        opened,
        lambda: wf.publish_notice(opened, batch.code, on=LATER, by=MAKER),
        f"批次 {batch.code} 已退回$",
    )
    assert entry_count(opened, Kind.PAYOUT_ACCRUED, "accrual:%:RJ-%") == 0


def test_second_approval_posts_nothing(opened, tmp_path) -> None:
    batch, _ = submit_rows(opened, goji_rows("TW", 3), GOJI, tmp=tmp_path, as_of=GOJI_AS_OF)
    assert wf.approve(opened, batch.code, by=CHECKER, on=LATER)[1] == 3
    error = refused(
        opened,
        lambda: wf.approve(
            opened, batch.code, by=replace(CHECKER, username="another.checker"), on=LATER
        ),
        "已由 li.checker 审核通过",
    )
    assert CHECKER.username in str(error) and "未重复记账" in str(error)
    refused(
        opened,
        lambda: wf.reject(opened, batch.code, by=CHECKER, reason="late"),
        f"批次 {batch.code} 已审核通过$",
    )
    assert entry_count(opened, Kind.PAYOUT_ACCRUED, "accrual:%:TW-%") == 3


def test_overdraft_refuses_the_whole_batch(ledger, tmp_path) -> None:
    """150 元 of claims against a fund holding 120 元: no accrual at all, not the first 100."""
    ledger.add_fund("QH2024S", FUND_NAME + " 小额", year=2024)
    ledger.appropriate("QH2024S", 120_00, doc="青财社指〔2024〕99号", on=dt.date(2024, 6, 3))
    ledger.add_fund(FUND, FUND_NAME, year=2024)
    ledger.appropriate(FUND, 1_000_00, doc="青财社指〔2024〕12号", on=dt.date(2024, 6, 3))
    approved_batch(ledger, goji_rows("OPEN", 1), GOJI, tmp_path, as_of=GOJI_AS_OF)
    rows = goji_rows("OD", 2)
    rows[1]["worker_group"] = "其他"  # 100 + 50 元
    batch, _ = submit_rows(ledger, rows, GOJI, tmp=tmp_path, as_of=GOJI_AS_OF, fund="QH2024S")
    error = refused(
        ledger, lambda: wf.approve(ledger, batch.code, by=CHECKER, on=LATER), "未审核通过"
    )
    assert "资金 QH2024S 可用 120.00 元" in str(error) and "需 150.00 元" in str(error)
    assert "缺 30.00 元" in str(error)
    assert ledger.available("QH2024S") == 120_00
    assert wf.get(ledger, batch.code).state == "submitted"
    assert entry_count(ledger, Kind.PAYOUT_ACCRUED, "accrual:%:OD-%") == 0
    # with the money there, the same batch is approved in full
    ledger.appropriate("QH2024S", 30_00, doc="青财社指〔2024〕100号", on=dt.date(2024, 7, 1))
    assert wf.approve(ledger, batch.code, by=CHECKER, on=LATER)[1] == 2
    assert ledger.available("QH2024S") == 0
    check_books(ledger)


def test_refused_first_approval_opens_no_account(funded, tmp_path) -> None:
    batch, _ = submit_rows(funded, goji_rows("FA", 1), GOJI, tmp=tmp_path, as_of=GOJI_AS_OF)
    both = replace(MAKER, roles=frozenset({"clerk", "checker"}))
    refused(funded, lambda: wf.approve(funded, batch.code, by=both, on=LATER), "经办与审核分离")


def test_unapproved_batch_is_not_disbursed(opened, tmp_path) -> None:
    batch, _ = submit_rows(
        opened, goji_rows("UD", 1), GOJI, tmp=tmp_path, as_of=GOJI_AS_OF, notice_days=5
    )
    refused(
        opened,
        lambda: pay.disburse(opened, batch.code, by=PAYER),
        "已提交：只有审核通过的批次才能支付",
    )
    wf.publish_notice(opened, batch.code, on=dt.date(2024, 12, 2), by=MAKER)
    refused(opened, lambda: pay.disburse(opened, batch.code, by=PAYER), "公示中：只有审核通过")
    wf.reject(opened, batch.code, by=CHECKER, reason="重复申报")
    refused(opened, lambda: pay.disburse(opened, batch.code, by=PAYER), "已退回：只有审核通过")


def test_missing_payee_accounts_are_listed(funded, tmp_path) -> None:
    rows = [claim(HIRING, f"AC-{i}", employee_id=new_person()) for i in range(1, 5)]
    rows[1][ACCOUNT] = ""
    rows[3][ACCOUNT] = "  "
    batch = approved_batch(funded, rows, HIRING, tmp_path)
    error = refused(funded, lambda: pay.disburse(funded, batch.code, by=PAYER), "2 笔 没有收款账号")
    assert "AC-2（第 3 行）" in str(error) and "AC-4（第 5 行）" in str(error)
    assert "AC-1" not in str(error) and "AC-3" not in str(error)
    assert "银行账号" in str(error) and "账号文件" in str(error)
    assert "--accounts" not in str(error) and "--accounts" in error.for_cli()
    # accounts supplied at disbursement fill the gaps; the file's own are kept
    pending = pay.disburse(
        funded, batch.code, by=PAYER, accounts={"AC-2": "6222000000000002", "AC-4": "6222004"}
    )
    got = {p.claim_id: p.account for p in pending}
    assert got == {
        "AC-1": rows[0][ACCOUNT],
        "AC-2": "6222000000000002",
        "AC-3": rows[2][ACCOUNT],
        "AC-4": "6222004",
    }
    assert {p.payee_id for p in pending} == {rows[0]["employer_credit_code"]}
    check_books(funded)


def test_claims_without_any_account_column(funded, tmp_path) -> None:
    rows = [claim(HIRING, "NA-1") | {ACCOUNT: None}]
    del rows[0][ACCOUNT]
    batch = approved_batch(funded, rows, HIRING, tmp_path)
    refused(funded, lambda: pay.disburse(funded, batch.code, by=PAYER), "NA-1（第 2 行）")


def test_social_security_card_column_is_an_account(funded, tmp_path) -> None:
    row = claim(HIRING, "SS-1")
    del row[ACCOUNT]
    row["社会保障卡号"] = "630000000000123456"
    batch = approved_batch(funded, [row], HIRING, tmp_path)
    (payment,) = pay.disburse(funded, batch.code, by=PAYER)
    assert payment.account == "630000000000123456"


def test_submit_refusals(funded, files) -> None:
    path = files(goji_rows("SR", 1))
    for kwargs, match in [
        ({"fund_code": "NOFUND", "by": MAKER}, "没有资金 NOFUND"),
        ({"fund_code": FUND, "by": MAKER, "notice_days": -1}, "公示期不能为负数"),
    ]:
        refused(funded, lambda kwargs=kwargs: wf.submit(funded, GOJI, path, **kwargs), match)
    refused(funded, lambda: wf.get(funded, "B00000000-99999"), "没有批次 B00000000-99999")
    refused(funded, lambda: pay.find_payment(funded, "SL000"), "没有支付编号 'SL000'")
