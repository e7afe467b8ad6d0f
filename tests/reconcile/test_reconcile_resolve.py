"""An officer resolves an exception by naming the payment: the line settles it (or returns
it), the audit log records who and why, and the 银行存款余额调节表 names the difference
accepted by hand. A matched line or a payment that is no longer pending is refused, and a
refusal changes nothing. SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest
from recon_helpers import (
    OFFICER,
    line,
    line_id,
    only_exception,
    pay_batch,
    payment_id,
    reconciled,
    returned,
    table_rows,
)
from sqlalchemy import text
from workflow_helpers import FUND, entry_count, return_by_hand

from ledgers import Kind
from ledgers.chart import PAYABLE
from subsidies.workflow import reconcile as recon
from subsidies.workflow.base import WorkflowError


def _audit(led, action: str) -> list[tuple[str, str, str]]:
    with led.engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                text("SELECT by, subject, detail FROM audit_log WHERE action = :a ORDER BY id"),
                {"a": action},
            )
        ]


def _match_of(led, line: int) -> list[tuple[int, str]]:
    with led.engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                text("SELECT payment_id, rule FROM line_matches WHERE line_id = :l"), {"l": line}
            )
        ]


def test_resolve_an_ambiguous_line(funded, tmp_path) -> None:
    shared = "6217000000000222222"
    paid = pay_batch(funded, tmp_path, ["其他", "其他"], accounts=[shared, shared])
    bank = line(paid[0], reference="")
    only_exception(paid.run([bank]), "ambiguous")
    the_line = line_id(funded, bank.serial)

    reason = "收款人来电确认为第二笔 (2024-10-18 电话记录)"
    said = recon.resolve(funded, the_line, paid[1].reference, reason=reason, by=OFFICER)
    assert said == f"明细 {the_line} 已确认支付 {paid[1].reference} 到账"
    assert [paid.state(0), paid.state(1)] == ["pending", "settled"]
    assert _match_of(funded, the_line) == [(payment_id(funded, paid[1].reference), "resolved")]
    assert _audit(funded, "reconcile.resolve") == [
        (OFFICER.username, f"line {the_line} -> {paid[1].reference}", reason)
    ]
    # the exception is gone; the other payment waits for its own line
    assert recon.open_exceptions(funded).empty
    assert paid.run([line(paid[0], reference="")]).settle["payment_id"].tolist() == [
        payment_id(funded, paid[0].reference)
    ]
    reconciled(funded, accepted=0)


def test_resolve_an_amount_that_differs(paid) -> None:
    bank = line(paid[1], fen=40_00)
    only_exception(paid.run([bank, line(paid[0])]), "amount_differs")
    the_line = line_id(paid.led, bank.serial)
    st = reconciled(paid.led)
    assert (st.bank_only, st.matched_difference) == (40_00, 0)

    said = recon.resolve(
        paid.led, the_line, paid[1].reference, reason="银行扣收手续费 10 元", by=OFFICER
    )
    assert said.endswith("；银行与支付相差 -10.00 元"), said
    assert paid.state(1) == "settled"
    # bank 140 (100 + 40) − accepted (−10) = 150 = ledger 450 − in transit 300
    st = reconciled(paid.led, accepted=-10_00)
    assert st.matched_difference != 0
    assert (st.bank_paid, st.bank_only, st.in_transit) == (140_00, 0, 300_00)
    assert st.adjusted_bank == st.adjusted_ledger == 150_00
    assert _audit(paid.led, "reconcile.resolve")[0][2] == "银行扣收手续费 10 元"


def test_resolve_a_returned_line_without_usable_reference(paid) -> None:
    """A returned line whose reference the bank garbled: the officer names the payment and
    the return is posted (退回, the payable restored)."""
    bank = returned(paid[2], reference="SL2410140000003", account="")
    only_exception(paid.run([bank]), "no_payment")
    said = recon.resolve(
        paid.led, line_id(paid.led, bank.serial), paid[2].reference, reason="摘要截断", by=OFFICER
    )
    assert said == f"明细 {line_id(paid.led, bank.serial)} 已确认支付 {paid[2].reference} 退票"
    assert paid.state(2) == "returned"
    assert paid.led.balance(PAYABLE, FUND) == paid[2].amount_fen
    assert entry_count(paid.led, Kind.RETURNED_PAYMENT, f"return:{paid[2].reference}") == 1
    reconciled(paid.led)


def test_refusals_change_nothing(paid) -> None:
    matched, twice = line(paid[0]), line(paid[0])
    bank = [matched, twice, line(paid[1], fen=1_00), returned(paid[2])]
    outcome = paid.run(bank)
    assert sorted(outcome.exceptions["type"]) == ["amount_differs", "paid_twice"]
    return_by_hand(paid.led, paid[3].reference)
    ids = {ln.serial: line_id(paid.led, ln.serial) for ln in bank}
    open_line = ids[bank[2].serial]
    cases = [
        # (line, payment reference, reason, refusal)
        (ids[matched.serial], paid[4].reference, "x", f"对账单明细 {ids[matched.serial]} 已匹配"),
        (ids[bank[3].serial], paid[4].reference, "x", "已匹配"),
        (ids[twice.serial], paid[0].reference, "同一笔", f"支付 {paid[0].reference} 已到账"),
        (open_line, paid[2].reference, "x", f"支付 {paid[2].reference} 已退票"),
        (open_line, paid[3].reference, "x", f"支付 {paid[3].reference} 已退票"),
        (open_line, "SL00000000000000", "x", "没有支付编号 'SL00000000000000'"),
        (999_999, paid[1].reference, "x", "没有对账单明细 999999"),
        (open_line, paid[1].reference, "  ", "人工匹配须填写理由"),
    ]  # fmt: skip
    before = table_rows(paid.led)
    for line_no, reference, reason, refusal in cases:
        with pytest.raises(WorkflowError) as error:
            recon.resolve(paid.led, line_no, reference, reason=reason, by=OFFICER)
        assert refusal in str(error.value), (refusal, str(error.value))
        assert table_rows(paid.led) == before, refusal
    # and the open line can still be resolved against its payment
    recon.resolve(paid.led, open_line, paid[1].reference, reason="部分到账", by=OFFICER)
    reconciled(paid.led, accepted=1_00 - paid[1].amount_fen)
