"""Clean matches settle pending payments, a returned line posts 退回 and frees the claim for
reissue, and importing a statement again changes nothing. SQLite and PostgreSQL.

``paid``: six pending payments of one goji batch (100, 50, 100, 50, 100, 50 元, paid
2024-10-14). Figures expected here are the payments' own amounts, never the module's.
"""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from recon_helpers import (
    BANK_DAY,
    OFFICER,
    PAID,
    line,
    line_id,
    pay_batch,
    payment_id,
    reconciled,
    returned,
    row_counts,
    table_rows,
)
from sqlalchemy import text
from workflow_helpers import FUND, PAYER, bank_account, entry_count, reissue_approved

from ledgers import Kind
from ledgers.chart import CASH, PAYABLE
from subsidies.cli import main
from subsidies.workflow import payment_requests as req
from subsidies.workflow import payments as pay
from subsidies.workflow.base import WorkflowError


def _matches(led) -> list[tuple[int, int, str]]:
    with led.engine.connect() as conn:
        return sorted(
            tuple(r)
            for r in conn.execute(text("SELECT line_id, payment_id, rule FROM line_matches"))
        )


def _events(led, kind: str) -> list[tuple[int, dt.date]]:
    with led.engine.connect() as conn:
        return sorted(
            (r[0], r[1] if isinstance(r[1], dt.date) else dt.date.fromisoformat(str(r[1])))
            for r in conn.execute(
                text("SELECT payment_id, on_date FROM payment_events WHERE kind = :k"), {"k": kind}
            )
        )


def test_by_reference(paid) -> None:
    bank = [line(p) for p in paid.payments]
    entries = row_counts(paid.led)["entries"]
    outcome = paid.run(bank)
    assert outcome.exceptions.empty and outcome.returned.empty
    assert (outcome.imported, outcome.already) == (6, 0)
    ids = [payment_id(paid.led, p.reference) for p in paid.payments]
    assert _matches(paid.led) == sorted(
        (line_id(paid.led, b.serial), i, "reference") for b, i in zip(bank, ids, strict=True)
    )
    assert _events(paid.led, "settled") == [(i, BANK_DAY) for i in sorted(ids)]
    assert {paid.state(i) for i in range(6)} == {"settled"}
    assert row_counts(paid.led)["entries"] == entries  # settling posts no ledger entry
    st = reconciled(paid.led)
    assert (st.ledger_paid, st.in_transit, st.bank_paid, st.bank_only) == (450_00, 0, 450_00, 0)


@pytest.mark.parametrize(
    "days, window, matched",
    [(0, 7, True), (7, 7, True), (8, 7, False), (-1, 7, False)],
)
def test_by_account_and_amount_within_the_window(paid, days, window, matched) -> None:
    """A line without reference settles the one pending payment to its account for its
    amount paid ``0..window`` days before the line; outside the window it is unexplained."""
    bank = line(paid[1], reference="", value_date=PAID + dt.timedelta(days=days))
    outcome = paid.run([bank], window_days=window)
    if matched:
        assert outcome.exceptions.empty
        assert _matches(paid.led) == [
            (
                line_id(paid.led, bank.serial),
                payment_id(paid.led, paid[1].reference),
                "account_amount",
            )
        ]
        assert paid.state(1) == "settled"
    else:
        assert list(outcome.exceptions["type"]) == ["no_payment"]
        assert outcome.settle.empty and paid.state(1) == "pending"
    st = reconciled(paid.led)
    assert st.in_transit == 450_00 - (paid[1].amount_fen if matched else 0)


def test_same_amount_other_account_does_not_match(paid) -> None:
    outcome = paid.run([line(paid[0], reference="", account=paid[2].account + "0")])
    assert list(outcome.exceptions["type"]) == ["no_payment"] and outcome.settle.empty
    reconciled(paid.led)


def test_one_line_for_a_whole_batch(paid) -> None:
    bank = line(None, reference=paid.batch.code, fen=450_00)
    outcome = paid.run([bank])
    assert outcome.exceptions.empty
    assert sorted(outcome.settle["payment_id"]) == sorted(
        payment_id(paid.led, p.reference) for p in paid.payments
    )
    the_line = line_id(paid.led, bank.serial)
    assert {(m[0], m[2]) for m in _matches(paid.led)} == {(the_line, "batch")}
    assert len(_matches(paid.led)) == 6
    assert {paid.state(i) for i in range(6)} == {"settled"}
    st = reconciled(paid.led)
    assert (st.bank_paid, st.in_transit, st.bank_only) == (450_00, 0, 0)


def test_every_rule_in_one_statement(paid, funded, tmp_path) -> None:
    """Reference first, then a batch line against what is left, then account+amount."""
    other = pay_batch(funded, tmp_path, ["其他", "其他"])  # a second batch, 2 × 50 元
    bank = [
        line(paid[0]),
        line(paid[1], reference=""),
        returned(paid[2], reference=""),
        line(None, reference=other.batch.code, fen=100_00),
    ]
    outcome = paid.run(bank)
    assert outcome.exceptions.empty
    rules = {
        (r.payment_id, r.rule)
        for frame in (outcome.settle, outcome.returned)
        for r in frame.itertuples()
    }
    ref = lambda p: payment_id(funded, p.reference)  # noqa: E731
    assert rules == {
        (ref(paid[0]), "reference"),
        (ref(paid[1]), "account_amount"),
        (ref(paid[2]), "account_amount"),
        (ref(other[0]), "batch"),
        (ref(other[1]), "batch"),
    }
    assert [paid.state(i) for i in range(3)] == ["settled", "settled", "returned"]
    st = reconciled(funded)
    assert st.in_transit == paid[3].amount_fen + paid[4].amount_fen + paid[5].amount_fen


# -- returned, reissued, settled once -----------------------------------------------------


def test_returned_then_reissued_then_settled_once(paid) -> None:
    led, p = paid.led, paid[1]
    assert led.balance(PAYABLE, FUND) == 0
    cash = led.balance(CASH, FUND)
    back = returned(p, reason="账户已销户")
    outcome = paid.run([back, line(paid[0])])
    assert list(outcome.returned["payment_id"]) == [payment_id(led, p.reference)]
    assert outcome.exceptions.empty and paid.state(1) == "returned"
    # 退回: 借 1011 / 贷 2303 — the payable is restored by the amount, the claim payable again
    assert led.balance(PAYABLE, FUND) == p.amount_fen
    assert led.balance(CASH, FUND) == cash + p.amount_fen
    assert entry_count(led, Kind.RETURNED_PAYMENT, f"return:{p.reference}") == 1
    with led.engine.connect() as conn:
        memo, on = conn.execute(
            text("SELECT memo, entry_date FROM entries WHERE key = :k"),
            {"k": f"return:{p.reference}"},
        ).one()
    assert "账户已销户" in memo and back.serial in memo and str(on) == str(BANK_DAY)
    reconciled(led)

    again = reissue_approved(led, p.reference, bank_account(777_001), on=BANK_DAY)
    assert (again.attempt, again.state, again.claim_id) == (2, "pending", p.claim_id)
    assert led.balance(PAYABLE, FUND) == 0
    with pytest.raises(WorkflowError, match="已重新支付为"):
        req.reissue(led, p.reference, account=bank_account(777_002), by=PAYER)

    later = BANK_DAY + dt.timedelta(days=3)
    settles = paid.run([line(again, value_date=later)])
    assert list(settles.settle["payment_id"]) == [payment_id(led, again.reference)]
    assert settles.exceptions.empty
    assert pay.find_payment(led, again.reference).state == "settled"
    assert paid.state(1) == "returned"  # the first attempt stays returned

    # the same line again, in another export of the statement: nothing new
    counts = row_counts(led)
    rerun = paid.run([line(again, value_date=later, serial=_serial_of(led, again))])
    assert (rerun.imported, rerun.already) == (0, 1) and rerun.settle.empty
    assert {k: v for k, v in row_counts(led).items() if k != "audit_log"} == {
        k: v for k, v in counts.items() if k != "audit_log"
    }
    # a second success line for the reissue is paid twice, not settled again
    twice = paid.run([line(again, value_date=later + dt.timedelta(days=1))])
    assert list(twice.exceptions["type"]) == ["paid_twice"] and twice.settle.empty
    assert _events(led, "settled").count((payment_id(led, again.reference), later)) == 1
    st = reconciled(led)
    paid_now = 450_00 - p.amount_fen + again.amount_fen
    assert st.ledger_paid == paid_now
    assert st.in_transit == paid_now - paid[0].amount_fen - again.amount_fen


def _serial_of(led, payment) -> str:
    with led.engine.connect() as conn:
        return conn.execute(
            text("SELECT serial FROM statement_lines WHERE reference = :r"),
            {"r": payment.reference},
        ).scalar_one()


# -- idempotent import -------------------------------------------------------------------


def _trial_balance_text(db_url: str) -> str:
    result = CliRunner().invoke(main, ["ledger", "trial-balance", "--db", db_url])
    assert result.exit_code == 0, result.output
    return result.output


def test_rerun_on_the_same_statement_changes_nothing(paid, db_url) -> None:
    bank = [
        line(paid[0]),
        line(paid[1], reference=""),
        returned(paid[2]),
        line(paid[3], fen=1_00),
        line(None, account="6217999", fen=9_00),
    ]
    path = paid.write(bank)
    first = paid.run(path)
    assert (first.imported, len(first.settle), len(first.returned)) == (5, 2, 1)
    assert sorted(first.exceptions["type"]) == ["amount_differs", "no_payment"]
    # the re-run adds an audit line, so the audit log's chain head moves; nothing else does
    state, counts = table_rows(paid.led, without=("audit_log",)), row_counts(paid.led)
    state["seals"] = [head for head in state["seals"] if head[0] != "audit_log"]
    balances, trial = paid.led.balances(), _trial_balance_text(db_url)

    for _ in range(2):
        again = paid.run(path)
        assert (again.imported, again.already) == (0, 5)
        assert again.settle.empty and again.returned.empty
        now = table_rows(paid.led, without=("audit_log",))
        now["seals"] = [head for head in now["seals"] if head[0] != "audit_log"]
        assert now == state
        assert paid.led.balances() == balances
        assert _trial_balance_text(db_url) == trial  # byte-identical
    after = row_counts(paid.led)
    # the runs themselves are audited (and nothing else changed)
    assert after == counts | {"audit_log": counts["audit_log"] + 2}
    with paid.led.engine.connect() as conn:
        last = conn.execute(
            text("SELECT action, by, detail FROM audit_log ORDER BY id DESC")
        ).first()
    assert (last[0], last[1]) == ("reconcile", OFFICER.username)
    assert "0 new lines (5 already imported)" in last[2]
    reconciled(paid.led)


def test_reimport_after_lines_were_added_imports_only_the_new_ones(paid) -> None:
    early = [line(paid[0]), line(paid[1])]
    assert paid.run(early).imported == 2
    # the month's statement: the same two lines (other rows, other file, XLSX) and two more
    month = [line(paid[2]), *early, returned(paid[3])]
    outcome = paid.run(paid.write(month, ".xlsx"))
    assert (outcome.imported, outcome.already) == (2, 2)
    assert len(outcome.settle) == 1 and len(outcome.returned) == 1
    assert row_counts(paid.led)["statement_lines"] == 4
    assert [paid.state(i) for i in range(4)] == ["settled", "settled", "settled", "returned"]
    reconciled(paid.led)


def test_an_account_typed_with_spaces_matches(funded, tmp_path) -> None:
    paid = pay_batch(funded, tmp_path, ["其他"], accounts=["6217 0000 1234 5678 901"])
    outcome = paid.run([line(paid[0], reference="")])
    assert outcome.exceptions.empty and list(outcome.settle["rule"]) == ["account_amount"]
    reconciled(funded)
