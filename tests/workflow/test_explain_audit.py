"""``explain`` shows the whole chain behind a payment; ``audit`` lists who did each step.

explain(payment reference): the payment (every attempt, with its return), its 支付 entry,
the 计提 accrual, the batch and its events, the decision with its reasons and input row,
and the parameter values in force on the decision's date with the quoted article.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from workflow_helpers import (
    CHECKER,
    FUND,
    GOJI,
    GOJI_AS_OF,
    MAKER,
    PAYER,
    bank_account,
    claim,
    new_person,
    reissue_approved,
    return_by_hand,
)

from subsidies.workflow import batches as wf
from subsidies.workflow import payments as pay
from subsidies.workflow.explain import audit_lines, explain

NOTICE = dt.date(2024, 12, 2)
APPROVED = dt.date(2024, 12, 10)


def test_explain_and_audit(funded, files) -> None:
    led = funded
    rows = [
        claim(GOJI, "EX-1", worker_id=new_person(), worker_name="韩玉兰"),
        claim(GOJI, "EX-2", worker_id=new_person(), worker_group="其他"),
    ]
    batch, _ = wf.submit(
        led, GOJI, files(rows), fund_code=FUND, by=MAKER, as_of=GOJI_AS_OF, notice_days=5
    )
    wf.publish_notice(led, batch.code, on=NOTICE, by=MAKER)
    wf.approve(led, batch.code, by=CHECKER, on=APPROVED)
    first, second = pay.disburse(led, batch.code, by=PAYER, on=APPROVED)
    return_by_hand(led, first.reference, reason="账号不存在", on=APPROVED)
    new = reissue_approved(led, first.reference, bank_account(777), on=APPROVED)
    pay.settle(led, new.reference, by=PAYER, on=APPROVED, detail="银行流水 0001")
    pay.settle(led, second.reference, by=PAYER, on=APPROVED)
    pay.raise_recovery(led, GOJI, "EX-2", reason="虚报务工时间", by=CHECKER, on=APPROVED)
    pay.repay(led, GOJI, "EX-2", 20_00, by=PAYER, on=APPROVED)

    lines = explain(led, new.reference)
    shown = "\n".join(lines)
    assert lines[0].startswith("申报 EX-1") and GOJI in lines[0]
    # the payment, both attempts, the return and the 支付 / 退回 entries
    assert f"支付 {first.reference}（第 1 次）" in shown
    assert f"支付 {new.reference}（第 2 次）100.00 元，收款账号 {bank_account(777)}" in shown
    # returned by hand: recorded by the cashier, taking effect by the checker's approval
    assert re.search(
        r"returned 2024-12-10，li\.checker：账号不存在 \(requested by zhao\.cashier\)", shown
    )
    assert (
        "return 申请：2024-12-10，zhao.cashier：账号不存在；approved：2024-12-10，li.checker"
        in shown
    )
    assert (
        f"reissue 申请：2024-12-10，zhao.cashier，收款账号 {bank_account(777)}；"
        "approved：2024-12-10，li.checker"
    ) in shown
    assert re.search(r"settled 2024-12-10，zhao\.cashier：银行流水 0001", shown)
    assert re.search(r"分录 #\d+ 支付 2024-12-10，zhao\.cashier \[借 2303 ", shown)
    assert re.search(r"分录 #\d+ 退回 2024-12-10，.*\[借 1011 .*\] 哈希 [0-9a-f]{12}\b", shown)
    # the accrual
    assert re.search(
        r"计提：分录 #\d+ 计提应付补贴 2024-12-10，li\.checker \[借 5001\.qinghai\.goji_broker ",
        shown,
    )
    # the batch and its events
    assert f"批次 {batch.code} 资金 {FUND}，提交人 {MAKER}，来自 " in shown
    assert f"notice_published {NOTICE}，{MAKER}：" in shown
    assert f"approved {APPROVED}，{CHECKER}：" in shown
    # the decision, its reasons and input
    assert "审核结果：eligible 100.00 元（" in shown and "三(六)" in shown
    assert re.search(r"理由：.*户籍.*农牧民.*海西", shown)
    assert "韩玉兰" in shown  # the input row as given
    # the parameters in force on the decision's date, with the quoted article
    at = lines.index(next(line for line in lines if line.endswith(" 施行的参数：")))
    quoted = [line for line in lines[at + 1 :] if "「" in line and "」" in line]
    assert quoted and any("50" in line for line in quoted), lines[at:]

    # a claim_id explains the recovery too
    recovered = "\n".join(explain(led, "EX-2"))
    assert "追回 raised 50.00 元，li.checker：虚报务工时间" in recovered
    assert "追回 repaid 20.00 元，zhao.cashier" in recovered
    assert re.search(r"分录 #\d+ 追回", recovered)
    with pytest.raises(wf.WorkflowError, match="没有支付编号或申请编号 'NOPE'"):
        explain(led, "NOPE")

    # the audit log: every step with its officer, in order
    log = audit_lines(led)
    expected = [
        (MAKER.username, "batch.submit", batch.code),
        (MAKER.username, "batch.notice", batch.code),
        (CHECKER.username, "batch.approve", batch.code),
        (PAYER.username, "batch.disburse", batch.code),
        (PAYER.username, "payment.request_return", first.reference),
        (CHECKER.username, "payment.return", first.reference),
        (CHECKER.username, "payment.approve", first.reference),
        (PAYER.username, "payment.request_reissue", first.reference),
        (CHECKER.username, "payment.reissue", new.reference),
        (CHECKER.username, "payment.approve", first.reference),
        (PAYER.username, "payment.settle", new.reference),
        (PAYER.username, "payment.settle", second.reference),
        (CHECKER.username, "recovery.raise", f"{GOJI}/EX-2"),
        (PAYER.username, "recovery.repay", f"{GOJI}/EX-2"),
    ]
    found = [
        (by, action, subject)
        for line in log
        for _, _, _, by, action, subject in [line.split(" ", 6)[:6]]
    ]
    found = [(by, action, subject.partition("：")[0]) for by, action, subject in found]
    assert found == expected, log
    assert "2 claims" in log[0] and "published 2024-12-02" in log[1]
    assert audit_lines(led, limit=2) == log[-2:]
