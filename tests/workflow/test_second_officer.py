"""One officer cannot redirect money (issue #18): maker–checker on returns and reissues.

The cashier who disbursed a payment could mark it returned by hand and reissue it to an
account of their choosing, alone. Now a return recorded without a bank line (by hand,
not through reconciliation) and a reissue to an account other than the returned
payment's are *requests*: nothing is posted until a second officer approves, the one who
requested cannot approve (checked in code and by a database trigger), and every refusal
changes nothing. A reissue to the same account stays one step. SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import insert, select
from sqlalchemy.exc import DBAPIError
from workflow_helpers import (
    CHECKER,
    HIRING,
    PAYER,
    approved_batch,
    bank_account,
    check_books,
    claim,
    db_state,
    entry_count,
    new_person,
    refusal_only,
)

from ledgers import Ledger
from ledgers.model import Kind
from subsidies.cli import main
from subsidies.workflow import payment_requests as req
from subsidies.workflow import payments as pay
from subsidies.workflow.base import WorkflowError, now
from subsidies.workflow.explain import audit_lines

PAID_ON = dt.date(2025, 7, 2)
BANK_NOTICE = dt.date(2025, 7, 4)
NEW_ACCOUNT = bank_account(990_001)


@pytest.fixture
def paid(funded: Ledger, tmp_path: Path) -> dict[str, pay.Payment]:
    """Two hiring bonuses approved by CHECKER and disbursed by PAYER (the cashier)."""
    rows = [claim(HIRING, f"R{i}", employee_id=new_person()) for i in (1, 2)]
    batch = approved_batch(funded, rows, HIRING, tmp_path)
    return {p.claim_id: p for p in pay.disburse(funded, batch.code, by=PAYER, on=PAID_ON)}


@pytest.fixture
def cli(db_url: str, as_officer):
    runner = CliRunner()
    as_officer(db_url)  # the office signed in before anything is compared

    def run(*args: str | Path, ok: bool = True, by=None) -> str:
        env = as_officer(db_url, by)
        result = runner.invoke(main, [*map(str, args), "--db", db_url], env=env)
        assert (result.exit_code == 0) is ok, (args, result.output, result.exception)
        assert "Traceback" not in result.output
        return result.output

    return run


def _returned(led: Ledger, reference: str) -> pay.Payment:
    """A return recorded by hand by the cashier and approved by the checker."""
    req.request_return(led, reference, reason="账户冻结", by=PAYER, on=BANK_NOTICE)
    return req.approve_request(led, reference, by=CHECKER, on=BANK_NOTICE)[1]


def test_a_return_by_hand_waits_for_a_second_officer(funded, paid, cli) -> None:
    ref = paid["R1"].reference
    out = cli("payment", "return", ref, "--reason", "户名与账号不符", "--on", "2025-07-04", by=PAYER)  # fmt: skip
    assert "申请，须由审核人员批准" in out and f"subsidies payment approve {ref}" in out, out
    # nothing happened to the money: the payment is still pending, no 退回 posted
    assert pay.find_payment(funded, ref).state == "pending"
    assert entry_count(funded, Kind.RETURNED_PAYMENT) == 0
    listed = cli("payment", "requests")
    assert ref in listed and "return" in listed and PAYER.username in listed

    before = db_state(funded)
    out = cli("payment", "approve", ref, ok=False, by=PAYER)
    assert "需要「审核」角色" in out  # a cashier does not approve
    with pytest.raises(WorkflowError, match="审核须由另一位人员进行（经办与审核分离）"):
        both = replace(PAYER, roles=frozenset({"cashier", "checker"}))
        req.approve_request(funded, ref, by=both)  # nor does the requester, whatever roles
    refusal_only(before, db_state(funded))

    out = cli("payment", "approve", ref, "--on", "2025-07-05", by=CHECKER)
    assert f"支付 {ref} 已退回" in out and f"由 {CHECKER.username} 审核通过" in out, out
    returned = pay.find_payment(funded, ref)
    assert returned.state == "returned"
    assert entry_count(funded, Kind.RETURNED_PAYMENT) == 1
    assert cli("payment", "approve", ref, ok=False, by=CHECKER).count("没有待复核的申请")
    check_books(funded)


def test_a_reissue_to_another_account_waits_for_a_second_officer(
    funded, paid, cli, tmp_path
) -> None:
    ref = paid["R1"].reference
    _returned(funded, ref)
    bank_file = tmp_path / "reissue.csv"
    out = cli("payment", "reissue", ref, "--account", NEW_ACCOUNT, "--on", "2025-07-06", "-o", bank_file, by=PAYER)  # fmt: skip
    assert "申请，须由审核人员批准" in out and NEW_ACCOUNT in out, out
    assert not bank_file.exists()  # no money moves before the approval
    attempts = [p for p in pay.batch_payments(funded, _batch(funded, ref)) if p.claim_id == "R1"]
    assert [(p.attempt, p.state) for p in attempts] == [(1, "returned")]
    assert entry_count(funded, Kind.DISBURSEMENT) == 2  # the two first payments only

    before = db_state(funded)
    assert "需要「审核」角色" in cli("payment", "approve", ref, ok=False, by=PAYER)
    refusal_only(before, db_state(funded))

    out = cli("payment", "approve", ref, "--on", "2025-07-07", by=CHECKER)
    new = re.search(r"已重新支付为 (\S+)（第 2 次），收款账号 (\S+)，", out)
    assert new and new.group(2) == NEW_ACCOUNT, out
    code = _batch(funded, ref)
    cli("payment", "file", code, "--reissue", new.group(1), "-o", bank_file, by=PAYER)
    lines = bank_file.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2 and lines[1].startswith(f"{new.group(1)},") and NEW_ACCOUNT in lines[1]
    reissued = pay.find_payment(funded, new.group(1))
    assert (reissued.account, reissued.attempt, reissued.state) == (NEW_ACCOUNT, 2, "pending")
    audit = cli("audit")
    for action in ("payment.request_return", "payment.request_reissue", "payment.approve"):
        assert action in audit, action
    check_books(funded)


def test_a_reissue_to_the_same_account_is_one_step(funded, paid) -> None:
    first = paid["R1"]
    _returned(funded, first.reference)
    again = req.reissue(funded, first.reference, account=first.account, by=PAYER, on=BANK_NOTICE)
    assert isinstance(again, pay.Payment)
    assert (again.attempt, again.account, again.state) == (2, first.account, "pending")


def test_a_rejected_request_moves_nothing(funded, paid) -> None:
    ref = paid["R1"].reference
    _returned(funded, ref)
    request = req.reissue(funded, ref, account=NEW_ACCOUNT, by=PAYER, on=BANK_NOTICE)
    assert isinstance(request, req.PaymentRequest) and request.state == "pending"
    # a checker rejects it
    rejected = req.reject_request(funded, ref, by=CHECKER, reason="账号抄错", on=BANK_NOTICE)
    assert rejected.state == "rejected"
    assert any(
        f"{CHECKER} payment.reject {ref}：reissue: 账号抄错" in line for line in audit_lines(funded)
    )
    with pytest.raises(WorkflowError, match="没有待复核的申请"):
        req.approve_request(funded, ref, by=CHECKER, on=BANK_NOTICE)
    assert pay.find_payment(funded, ref).state == "returned"
    assert req.open_requests(funded) == []
    # a fresh request can follow, and is approved
    req.reissue(funded, ref, account=NEW_ACCOUNT, by=PAYER, on=BANK_NOTICE)
    _, paid_again = req.approve_request(funded, ref, by=CHECKER, on=BANK_NOTICE)
    assert (paid_again.account, paid_again.attempt) == (NEW_ACCOUNT, 2)


REFUSALS = [
    # (what, the call, the refusal)
    ("return of a settled payment", "settled", "已到账；只有已发送银行的付款才能退票"),
    ("a second open request", "twice", "已有待复核的申请"),
    ("approval dated before the request", "early", "早于申请日期"),
    (
        "return approved after the bank settled it",
        "overtaken",
        "已到账；只有已发送银行的付款才能退票",
    ),
    (
        "reissue request of a pending payment",
        "pending_reissue",
        "已发送银行；只有已退票的付款才能重新支付",
    ),
    ("one-step reissue while a request is open", "reissue_open", "已有待复核的申请"),
    ("request without a reason", "no_reason", "退票须填写理由"),
]


@pytest.mark.parametrize("case", [c[1] for c in REFUSALS], ids=[c[0] for c in REFUSALS])
def test_refusals_change_nothing(funded, paid, case) -> None:
    r1, r2 = paid["R1"].reference, paid["R2"].reference
    if case == "settled":
        pay.settle(funded, r1, by=PAYER)
        step = lambda: req.request_return(funded, r1, reason="x", by=PAYER)  # noqa: E731
    elif case == "twice":
        req.request_return(funded, r1, reason="x", by=PAYER, on=BANK_NOTICE)
        step = lambda: req.request_return(funded, r1, reason="y", by=PAYER)  # noqa: E731
    elif case == "early":
        req.request_return(funded, r1, reason="x", by=PAYER, on=BANK_NOTICE)
        step = lambda: req.approve_request(  # noqa: E731
            funded, r1, by=CHECKER, on=BANK_NOTICE - dt.timedelta(days=1)
        )
    elif case == "overtaken":
        req.request_return(funded, r1, reason="x", by=PAYER, on=BANK_NOTICE)
        pay.settle(funded, r1, by=PAYER, on=BANK_NOTICE)
        step = lambda: req.approve_request(funded, r1, by=CHECKER, on=BANK_NOTICE)  # noqa: E731
    elif case == "pending_reissue":
        step = lambda: req.reissue(funded, r2, account=NEW_ACCOUNT, by=PAYER)  # noqa: E731
    elif case == "reissue_open":
        _returned(funded, r1)
        req.reissue(funded, r1, account=NEW_ACCOUNT, by=PAYER, on=BANK_NOTICE)
        account = paid["R1"].account
        step = lambda: pay.reissue(funded, r1, account=account, by=PAYER)  # noqa: E731
    else:
        step = lambda: req.request_return(funded, r1, reason=" ", by=PAYER)  # noqa: E731
    before = db_state(funded)
    with pytest.raises(WorkflowError) as refused:
        step()
    assert REFUSALS[[c[1] for c in REFUSALS].index(case)][2] in str(refused.value)
    assert db_state(funded) == before


def test_the_database_refuses_an_approval_by_the_requester(funded, paid) -> None:
    """The trigger holds even for a writer that skips the workflow's check."""
    from subsidies.workflow.tables import payment_request_decisions, payment_requests

    request = req.request_return(funded, paid["R1"].reference, reason="x", by=PAYER)
    row = {"request_id": request.id, "kind": "approved", "on_date": BANK_NOTICE, "at": now()}
    with pytest.raises(DBAPIError, match="second officer"), funded.engine.begin() as conn:
        conn.execute(insert(payment_request_decisions).values(by=PAYER.username, detail="", **row))
    with funded.engine.begin() as conn:  # another officer's row is taken
        conn.execute(
            insert(payment_request_decisions).values(by=CHECKER.username, detail="", **row)
        )
        assert conn.scalar(select(payment_requests.c.requested_by)) == PAYER.username


def _batch(led: Ledger, reference: str) -> str:
    from subsidies.workflow import batches as wf

    return wf.get_by_id(led, pay.find_payment(led, reference).batch_id).code
