"""Every exception type, each found with its type, the line and the payment it concerns,
and a reason naming the payment; nothing is settled by guesswork. SQLite and PostgreSQL.

The fixture ``paid`` holds six pending payments of one goji batch (100, 50, 100, 50, 100,
50 元, paid 2024-10-14, payee 马经纪). After every test the 银行存款余额调节表 balances,
its ledger side equals SQL over the 1011 postings, and ``ledger.verify()`` is OK.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from recon_helpers import (
    BANK_DAY,
    BROKER,
    PAID,
    Line,
    line,
    line_id,
    only_exception,
    pay_batch,
    payment_id,
    reconciled,
    returned,
)
from workflow_helpers import entry_count, return_by_hand

from ledgers import Kind


def _nothing_decided(paid, outcome) -> None:
    assert outcome.settle.empty and outcome.returned.empty
    assert {paid.state(i) for i in range(len(paid.payments))} == {"pending"}


# -- a line that names a payment (or nothing) but does not fit it ----------------------

REFERENCE_CASES = {
    # case: (line builder, type, payment index or None, words the reason names)
    "bank pays less": (
        lambda p: line(p[1], fen=40_00),
        "amount_differs",
        1,
        ["银行金额 40.00 元", "50.00 元"],
    ),
    "bank pays more": (
        lambda p: line(p[0], fen=100_01),
        "amount_differs",
        0,
        ["银行金额 100.01 元", "100.00 元"],
    ),
    "payee name differs": (
        lambda p: line(p[2], payee_name="张三"),
        "name_differs",
        2,
        ["张三", BROKER],
    ),
    "unknown reference": (
        lambda p: line(None, reference="SL24101499999999", account="6217999", fen=77_00),
        "no_payment",
        None,
        ["SL24101499999999", "6217999", "77.00 元"],
    ),
    "no reference, unknown account": (
        lambda p: line(None, account="6228480000000000000", fen=100_00),
        "no_payment",
        None,
        ["流水编号 （无） 无对应支付", "6228480000000000000", "100.00 元"],
    ),
    "returned line with no payment": (
        lambda p: returned(p[0], reference="SL24101488888888", account=""),
        "no_payment",
        None,
        ["SL24101488888888"],
    ),
}


@pytest.mark.parametrize("case", REFERENCE_CASES)
def test_line_that_does_not_fit(paid, case) -> None:
    build, kind, index, words = REFERENCE_CASES[case]
    bank = build(paid)
    entries = entry_count(paid.led, Kind.RETURNED_PAYMENT)
    outcome = paid.run([bank])
    ex = only_exception(outcome, kind)
    assert ex["line_id"] == line_id(paid.led, bank.serial)
    if index is None:
        assert ex["payment_id"] is None or pd.isna(ex["payment_id"])
    else:
        assert ex["payment_id"] == payment_id(paid.led, paid[index].reference)
        assert paid[index].reference in ex["detail"]
    for word in words:
        assert word in ex["detail"], (word, ex["detail"])
    _nothing_decided(paid, outcome)
    assert entry_count(paid.led, Kind.RETURNED_PAYMENT) == entries
    reconciled(paid.led)


def test_batch_line_that_differs_from_the_pending_sum(paid) -> None:
    pending = sum(p.amount_fen for p in paid.payments)
    assert pending == 450_00
    bank = line(None, reference=paid.batch.code, fen=pending - 1)
    ex = only_exception(paid.run([bank]), "amount_differs")
    assert ex["line_id"] == line_id(paid.led, bank.serial)
    for word in (paid.batch.code, "银行金额 449.99 元", "待银行确认的 450.00 元", "6 笔支付"):
        assert word in ex["detail"], (word, ex["detail"])
    assert {paid.state(i) for i in range(6)} == {"pending"}
    reconciled(paid.led)


def test_batch_line_after_some_payments_settled_differs(paid) -> None:
    """The batch's pending sum is what is still pending: two payments settled by reference,
    a line for the whole batch's original total differs from the 4 left."""
    paid.run([line(paid[0]), line(paid[1])])
    bank = line(None, reference=paid.batch.code, fen=450_00)
    ex = only_exception(paid.run([bank]), "amount_differs")
    assert "待银行确认的 300.00 元（4 笔支付）" in ex["detail"], ex["detail"]
    assert [paid.state(i) for i in range(6)] == ["settled"] * 2 + ["pending"] * 4
    reconciled(paid.led)


# -- paid twice ----------------------------------------------------------------------


@pytest.mark.parametrize("when", ["same statement", "later statement"])
def test_paid_twice(paid, when) -> None:
    first, second = line(paid[3]), line(paid[3], value_date=PAID + dt.timedelta(days=3))
    if when == "same statement":
        outcome = paid.run([first, second])
        assert list(outcome.settle["line_id"]) == [line_id(paid.led, first.serial)]
    else:
        assert len(paid.run([first]).settle) == 1
        outcome = paid.run([second])
        assert outcome.settle.empty
    ex = only_exception(outcome, "paid_twice")
    assert ex["line_id"] == line_id(paid.led, second.serial)
    reconciled(paid.led)
    assert ex["payment_id"] == payment_id(paid.led, paid[3].reference)
    assert paid[3].reference in ex["detail"] and paid[3].claim_id in ex["detail"]
    assert paid.state(3) == "settled"
    # the second line is money the bank shows and the ledger does not: 银行已付、单位未付
    st = reconciled(paid.led)
    assert st.bank_only == paid[3].amount_fen


# -- stale ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "days, stale_days, stale",
    [(29, 30, False), (31, 30, True), (8, 7, True)],
)
def test_stale_only_after_n_days(paid, days, stale_days, stale) -> None:
    """Payments 0–4 have lines; payment 5 has none. It is stale only ``stale_days`` after
    it was paid; the lines' dates do not matter, ``as_of`` does."""
    outcome = paid.run(
        [line(paid[i]) for i in range(5)],
        stale_days=stale_days,
        as_of=PAID + dt.timedelta(days=days),
    )
    assert len(outcome.settle) == 5
    if not stale:
        assert outcome.exceptions.empty, outcome.exceptions.to_dict("records")
    else:
        ex = only_exception(outcome, "stale")
        assert ex["payment_id"] == payment_id(paid.led, paid[5].reference)
        assert ex["line_id"] is None or pd.isna(ex["line_id"])
        for word in (
            paid[5].reference,
            "2024-10-14",
            "50.00 元",
            f"超过 {stale_days} 天仍无银行流水",
        ):
            assert word in ex["detail"], (word, ex["detail"])
    assert paid.state(5) == "pending"
    reconciled(paid.led)


def test_stale_as_of_defaults_to_the_latest_line(paid) -> None:
    late = [line(paid[i], value_date=PAID + dt.timedelta(days=31)) for i in range(5)]
    ex = only_exception(paid.run(late), "stale")
    assert ex["payment_id"] == payment_id(paid.led, paid[5].reference)
    early = paid.run([line(paid[5], value_date=PAID + dt.timedelta(days=1))])  # now it is paid
    assert early.exceptions.empty and len(early.settle) == 1
    reconciled(paid.led)


# -- payee name differs, found by account and amount ---------------------------------


def test_name_differs_on_a_line_without_reference(paid) -> None:
    bank = line(paid[2], reference="", payee_name="张 三")
    ex = only_exception(paid.run([bank]), "name_differs")
    assert ex["line_id"] == line_id(paid.led, bank.serial)
    assert ex["payment_id"] == payment_id(paid.led, paid[2].reference)
    for word in ("张 三", BROKER, paid[2].reference, "按账号和金额匹配"):
        assert word in ex["detail"], (word, ex["detail"])
    assert paid.state(2) == "pending"
    reconciled(paid.led)


def test_blank_payee_and_spacing_are_not_a_difference(paid) -> None:
    """A bank that leaves the payee out, or spaces it (马 经纪), names the same payee."""
    outcome = paid.run([line(paid[0], payee_name=""), line(paid[1], payee_name=" 马 经纪 ")])
    assert outcome.exceptions.empty and len(outcome.settle) == 2
    reconciled(paid.led)


# -- ambiguous -----------------------------------------------------------------------


def test_ambiguous_same_account_and_amount(funded, tmp_path) -> None:
    """Two pending payments to one account for 100 元: a line without reference fits both;
    neither is settled, the reason names both."""
    shared = "6217000000000123456"
    paid = pay_batch(
        funded,
        tmp_path,
        ["脱贫劳动力", "脱贫劳动力", "其他"],
        accounts=[shared, shared, "6217000000000999999"],
    )
    bank = line(paid[0], reference="")
    ex = only_exception(paid.run([bank]), "ambiguous")
    assert ex["line_id"] == line_id(funded, bank.serial)
    assert paid[0].reference in ex["detail"] and paid[1].reference in ex["detail"]
    assert "账号和金额与多笔支付相符" in ex["detail"]
    assert [paid.state(i) for i in range(3)] == ["pending"] * 3
    # the third payment, its own account, settles by account and amount
    third = paid.run([line(paid[2], reference="")])
    assert list(third.settle["rule"]) == ["account_amount"]
    assert list(third.exceptions["type"]) == ["ambiguous"]  # the first line is still open
    reconciled(funded)


def test_two_lines_fitting_one_payment_name_it_and_say_so(paid) -> None:
    """Two lines without reference fit one payment by account and amount: both are
    ambiguous, and the reason does not claim several payments."""
    first, second = line(paid[0], reference=""), line(paid[0], reference="")
    outcome = paid.run([first, second])
    ex = outcome.exceptions
    assert sorted(ex["type"]) == ["ambiguous", "ambiguous"]
    for detail in ex["detail"]:
        assert detail == f"账号和金额与支付 {paid[0].reference} 相符，但另有一笔流水也相符"
    assert paid.state(0) == "pending"
    reconciled(paid.led)


def test_ambiguous_success_and_returned_lines_for_one_payment(paid) -> None:
    ok, back = line(paid[0]), returned(paid[0])
    outcome = paid.run([ok, back])
    ex = outcome.exceptions
    assert sorted(ex["type"]) == ["ambiguous", "ambiguous"]
    assert set(ex["line_id"]) == {line_id(paid.led, ok.serial), line_id(paid.led, back.serial)}
    assert set(ex["payment_id"]) == {payment_id(paid.led, paid[0].reference)}
    assert all("既有成功流水又有退回流水" in d for d in ex["detail"])
    _nothing_decided(paid, outcome)
    assert entry_count(paid.led, Kind.RETURNED_PAYMENT) == 0
    reconciled(paid.led)


# -- a line that contradicts what the payment already is ------------------------------


def _return_by_hand(paid, i):
    return_by_hand(paid.led, paid[i].reference, on=PAID)


def _settle_by_line(paid, i):
    assert len(paid.run([line(paid[i])]).settle) == 1


def _return_by_line(paid, i):
    assert len(paid.run([returned(paid[i], reason="账户冻结")]).returned) == 1


CONFLICTS = {
    # case: (what happened before, the new line, payment state after, words in the reason)
    "success line for a returned payment": (
        _return_by_hand,
        line,
        "returned",
        ["银行流水为成功", "状态为退回"],
    ),
    "returned line for a settled payment": (
        _settle_by_line,
        returned,
        "settled",
        ["银行流水为退回", "状态为已到账"],
    ),
    "returned line for a returned payment": (
        _return_by_line,
        lambda p: returned(p, reason="户名不符"),
        "returned",
        ["银行流水为退回", "状态为退回"],
    ),
}


@pytest.mark.parametrize("case", CONFLICTS)
def test_state_conflict(paid, case) -> None:
    before, build, state, words = CONFLICTS[case]
    before(paid, 4)
    returns = entry_count(paid.led, Kind.RETURNED_PAYMENT)
    bank: Line = build(paid[4])
    outcome = paid.run([bank])
    ex = only_exception(outcome, "state_conflict")
    assert ex["line_id"] == line_id(paid.led, bank.serial)
    assert ex["payment_id"] == payment_id(paid.led, paid[4].reference)
    assert f"支付 {paid[4].reference} 的状态为" in ex["detail"]
    for word in words:
        assert word in ex["detail"]
    assert outcome.settle.empty and outcome.returned.empty
    assert paid.state(4) == state
    assert entry_count(paid.led, Kind.RETURNED_PAYMENT) == returns  # no second 退回
    reconciled(paid.led)


# -- exceptions stay open until resolved, and are found again --------------------------


def test_exceptions_are_found_again_until_resolved(paid) -> None:
    bank = [line(paid[1], fen=40_00), line(None, account="6217999", fen=1_00), line(paid[0])]
    first = paid.run(bank)
    again = paid.run(bank)  # the same statement: nothing new, the same exceptions
    assert (again.imported, again.already) == (0, 3)
    columns = ["type", "line_id", "payment_id", "detail"]
    assert again.exceptions[columns].to_dict("records") == first.exceptions[columns].to_dict(
        "records"
    )
    assert again.settle.empty
    reconciled(paid.led)


# -- regressions ---------------------------------------------------------------------


def test_two_returned_lines_for_one_payment(paid) -> None:
    """The first returned line posts 退回; the second conflicts, in this run and the next."""
    first, second = returned(paid[3]), returned(paid[3], reason="账户已销户")
    outcome = paid.run([first, second])
    assert list(outcome.returned["line_id"]) == [line_id(paid.led, first.serial)]
    ex = only_exception(outcome, "state_conflict")
    assert ex["line_id"] == line_id(paid.led, second.serial)
    assert paid[3].reference in ex["detail"]
    assert entry_count(paid.led, Kind.RETURNED_PAYMENT) == 1
    again = only_exception(paid.run([first, second]), "state_conflict")
    assert again["line_id"] == ex["line_id"]
    assert entry_count(paid.led, Kind.RETURNED_PAYMENT) == 1
    reconciled(paid.led)


@pytest.mark.parametrize("when", ["same statement", "later statement"])
def test_second_line_for_a_whole_batch_is_paid_twice(paid, when) -> None:
    total = sum(p.amount_fen for p in paid.payments)
    first = line(None, reference=paid.batch.code, fen=total)
    second = line(
        None, reference=paid.batch.code, fen=total, value_date=BANK_DAY + dt.timedelta(days=1)
    )
    if when == "same statement":
        outcome = paid.run([first, second])
        assert len(outcome.settle) == 6
    else:
        assert len(paid.run([first]).settle) == 6
        outcome = paid.run([second])
        assert outcome.settle.empty
    ex = only_exception(outcome, "paid_twice")
    assert ex["line_id"] == line_id(paid.led, second.serial)
    for word in (paid.batch.code, "6 笔支付", "450.00 元"):
        assert word in ex["detail"], (word, ex["detail"])
    reconciled(paid.led)


def test_a_disputed_batch_line_keeps_its_payments_from_stale(paid) -> None:
    bank = line(None, reference=paid.batch.code, fen=449_99)
    outcome = paid.run([bank], as_of=PAID + dt.timedelta(days=45))
    assert list(outcome.exceptions["type"]) == ["amount_differs"]
    reconciled(paid.led)


def test_ambiguous_candidates_are_not_also_stale(funded, tmp_path) -> None:
    shared = "6217000000000123457"
    paid = pay_batch(funded, tmp_path, ["脱贫劳动力", "脱贫劳动力"], accounts=[shared, shared])
    bank = line(paid[0], reference="", value_date=PAID + dt.timedelta(days=3))
    outcome = paid.run([bank], as_of=PAID + dt.timedelta(days=45))
    assert list(outcome.exceptions["type"]) == ["ambiguous"]
    reconciled(funded)
