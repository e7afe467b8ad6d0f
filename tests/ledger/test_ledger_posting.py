"""Posting through the API, on SQLite and PostgreSQL: the scheme, refusals, reports."""

from __future__ import annotations

from datetime import date

import pytest
from ledger_helpers import FUND, JUNE, PROGRAM

from ledgers import (
    BalanceBoundError,
    EntryDraft,
    FundExistsError,
    IdempotencyConflictError,
    Kind,
    Ledger,
    LedgerError,
    OverdraftError,
    PeriodClosedError,
    Posting,
    ReversalError,
    UnbalancedEntryError,
    UnknownAccountError,
    UnknownFundError,
    schemes,
)


def snapshot(led: Ledger) -> tuple:
    return tuple(led.balances()), led.journal(), led.closed_through()


def accrue(led: Ledger, fen: int, key: str, on: date = JUNE):
    return led.post(schemes.payout_accrued(FUND, PROGRAM, fen, key=key, ref=key, on=on))


def test_appropriation_posts_both_tracks(funded: Ledger) -> None:
    assert funded.available(FUND) == 1_000_000
    for code in ("1011", "4001", "8001", "6001"):
        assert funded.balance(code, FUND) == 1_000_000
    assert [f.code for f in funded.funds()] == [FUND]
    assert funded.trial_balance().balanced


def test_payout_lifecycle_moves_the_right_accounts(funded: Ledger) -> None:
    led = funded
    accrue(led, 30_000, "claim-1")
    assert (led.available(FUND), led.balance("2303", FUND), led.balance("5001", FUND)) == (
        970_000,
        30_000,
        30_000,
    )
    assert led.balance(f"5001.{PROGRAM}") == 30_000
    led.post(
        schemes.disbursement(FUND, 30_000, program=PROGRAM, key="pay-1", ref="claim-1", on=JUNE)
    )
    assert (led.balance("1011", FUND), led.balance("2303", FUND), led.balance("7101", FUND)) == (
        970_000,
        0,
        30_000,
    )
    assert led.balance("8001", FUND) == 970_000 and led.available(FUND) == 970_000
    led.post(
        schemes.returned_payment(FUND, 30_000, program=PROGRAM, key="ret-1", ref="claim-1", on=JUNE)
    )
    assert (led.balance("1011", FUND), led.balance("2303", FUND), led.balance("7101", FUND)) == (
        1_000_000,
        30_000,
        0,
    )
    assert led.available(FUND) == 970_000  # the claim is payable again
    led.post(
        schemes.disbursement(FUND, 30_000, program=PROGRAM, key="pay-1b", ref="claim-1", on=JUNE)
    )
    led.post(schemes.recovery_raised(FUND, PROGRAM, 10_000, key="rec-1", ref="claim-1", on=JUNE))
    assert (led.balance("1218", FUND), led.balance("5001", FUND)) == (10_000, 20_000)
    led.post(
        schemes.recovery_received(
            FUND, 10_000, program=PROGRAM, key="rec-1-paid", ref="claim-1", on=JUNE
        )
    )
    assert (led.balance("1218", FUND), led.available(FUND), led.balance("7101", FUND)) == (
        0,
        980_000,
        20_000,
    )
    assert led.trial_balance().balanced and led.verify().ok


def test_overdraft_is_refused_with_fund_available_and_requested(funded: Ledger) -> None:
    accrue(funded, 900_000, "claim-1")
    before = snapshot(funded)
    with pytest.raises(OverdraftError) as caught:
        accrue(funded, 100_001, "claim-2")
    err = caught.value
    assert (err.fund, err.available, err.requested) == (FUND, 100_000, 100_001)
    assert "可用余额 1,000.00 元" in str(err) and "本次需要 1,000.01 元" in str(err)
    assert snapshot(funded) == before
    accrue(funded, 100_000, "claim-3")  # the last fen can be spent
    assert funded.available(FUND) == 0


def test_paying_more_than_is_payable_is_refused(funded: Ledger) -> None:
    accrue(funded, 5_000, "claim-1")
    with pytest.raises(BalanceBoundError, match="2303"):
        funded.post(
            schemes.disbursement(FUND, 5_001, program=PROGRAM, key="pay", ref="claim-1", on=JUNE)
        )
    with pytest.raises(BalanceBoundError, match="7101"):
        funded.post(
            schemes.returned_payment(FUND, 1, program=PROGRAM, key="ret", ref="claim-1", on=JUNE)
        )


def test_unbalanced_and_unknown_are_refused_before_the_database(funded: Ledger) -> None:
    before = snapshot(funded)
    bad = EntryDraft(
        Kind.APPROPRIATION, "bad", (Posting.dr("1011", FUND, 5), Posting.cr("4001", FUND, 4))
    )
    with pytest.raises(UnbalancedEntryError):
        funded.post(bad)
    with pytest.raises(UnknownFundError):
        funded.appropriate("NOPE", 100, doc="d")
    with pytest.raises(UnknownAccountError):
        funded.post(
            EntryDraft(
                Kind.APPROPRIATION, "x", (Posting.dr("1099", FUND, 5), Posting.cr("4001", FUND, 5))
            )
        )
    assert snapshot(funded) == before


def test_idempotent_keys(funded: Ledger) -> None:
    first = accrue(funded, 5_000, "claim-1")
    again = funded.post(
        schemes.payout_accrued(FUND, PROGRAM, 5_000, key="claim-1", ref="claim-1", by="wang")
    )
    assert again == first  # same content (default date, other officer): the original comes back
    before = snapshot(funded)
    with pytest.raises(IdempotencyConflictError, match="claim-1"):
        accrue(funded, 5_001, "claim-1")
    assert snapshot(funded) == before
    assert funded.appropriate(FUND, 1_000_000, doc="青财社指〔2024〕12号", on=JUNE).id == 1


def test_closed_periods(funded: Ledger) -> None:
    entry = accrue(funded, 5_000, "claim-1")
    assert funded.close_period("2024-06") is True
    assert funded.close_period("2024-05") is False and funded.closed_through() == "2024-06"
    before = snapshot(funded)
    for day in (date(2024, 6, 30), date(2024, 5, 1)):
        with pytest.raises(PeriodClosedError):
            accrue(funded, 1, f"late-{day}", on=day)
    with pytest.raises(PeriodClosedError):
        funded.reverse(entry.id, "wrong amount", on=date(2024, 6, 30))
    assert snapshot(funded) == before
    fix = funded.reverse(entry.id, "wrong amount", on=date(2024, 7, 1), by="li")
    assert fix.period == "2024-07" and fix.reverses_entry_id == entry.id
    with pytest.raises(LedgerError):
        funded.close_period("2999-01")
    with pytest.raises(LedgerError):
        funded.close_period("2024-13")


def test_reversal_once_only_and_never_overdrawing(funded: Ledger) -> None:
    claim = accrue(funded, 5_000, "claim-1")
    rev = funded.reverse(claim.id, "duplicate claim", by="li")
    assert rev.kind is Kind.REVERSAL and funded.available(FUND) == 1_000_000
    assert funded.reverse(claim.id, "duplicate claim", by="li") == rev  # replay of the same key
    with pytest.raises(ReversalError, match="已冲销过"):
        funded.reverse(claim.id, "again", key="another-key")
    accrue(funded, 1_000_000, "claim-2")
    with pytest.raises(OverdraftError):
        funded.reverse(1, "appropriation withdrawn")  # the money is committed
    forged = EntryDraft(
        Kind.REVERSAL,
        "forged",
        (Posting.dr("1011", FUND, 5), Posting.cr("4001", FUND, 5)),
        reverses_entry_id=1,
    )
    with pytest.raises(ReversalError, match="mirror"):
        funded.post(forged)


def test_funds_are_added_once(ledger: Ledger) -> None:
    fund = ledger.add_fund(FUND, "2024 中央就业补助资金 青海", year=2024)
    assert ledger.add_fund(FUND, "2024 中央就业补助资金 青海", year=2024) == fund
    with pytest.raises(FundExistsError):
        ledger.add_fund(FUND, "another name")


def test_reports(funded: Ledger) -> None:
    july = date(2024, 7, 2)
    accrue(funded, 30_000, "claim-1")
    funded.post(
        schemes.disbursement(FUND, 30_000, program=PROGRAM, key="pay-1", ref="claim-1", on=july)
    )
    assert funded.balance("1011", FUND, as_of=JUNE) == 1_000_000
    assert funded.balance("1011", FUND, as_of=july) == 970_000
    assert funded.balance("1011", FUND, as_of=date(2024, 1, 1)) == 0
    tb = funded.trial_balance(as_of=JUNE)
    assert tb.balanced and {r.code for r in tb.rows} >= {"1011", "5001", f"5001.{PROGRAM}"}
    assert tb.totals("financial") == (1_030_000, 1_030_000, 1_030_000, 1_030_000)
    assert [e.kind for e in funded.journal(date_from=july)] == [Kind.DISBURSEMENT]
    assert len(funded.journal(date_to=JUNE)) == 2
    st = funded.statement("1011", FUND)
    assert [(line.debit, line.credit, line.net) for line in st.lines] == [
        (1_000_000, 0, 1_000_000),
        (0, 30_000, 970_000),
    ]
    assert funded.statement("1011", date_from=july).opening_net == 1_000_000
    assert funded.statement("5001").lines[0].entry_id == 2  # the parent shows its sub-accounts
