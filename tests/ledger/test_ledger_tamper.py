"""Tamper evidence: history edited in SQL behind the ledger's back is named by verify."""

from __future__ import annotations

from ledger_helpers import FUND, JUNE, PROGRAM, drop_immutability_trigger, run_sql

from ledgers import Ledger, schemes


def _history(led: Ledger) -> None:
    """Entries 1 (appropriation, from the fixture) to 5."""
    for n in range(1, 4):
        led.post(
            schemes.payout_accrued(
                FUND, PROGRAM, 1_000 * n, key=f"claim-{n}", ref=f"claim-{n}", on=JUNE
            )
        )
    led.post(
        schemes.disbursement(FUND, 1_000, program=PROGRAM, key="pay-1", ref="claim-1", on=JUNE)
    )
    assert led.verify().ok


def test_an_edited_posting_is_named(funded: Ledger) -> None:
    _history(funded)
    drop_immutability_trigger(funded.engine, "postings")
    run_sql(
        funded.engine,
        "UPDATE postings SET credit = credit + 100 WHERE entry_id = 3 AND account = '2303'",
    )
    result = funded.verify()
    assert not result.ok and result.first_bad_entry == 3
    assert any(p.startswith("entry 3: content does not match its hash") for p in result.problems)
    assert any(p.startswith("balance 2303 of fund QH2024") for p in result.problems)


def test_an_edited_memo_is_named(funded: Ledger) -> None:
    _history(funded)
    drop_immutability_trigger(funded.engine, "entries")
    run_sql(funded.engine, "UPDATE entries SET memo = 'nothing to see' WHERE id = 4")
    result = funded.verify()
    assert result.first_bad_entry == 4 and len(result.problems) == 1


def test_a_rehashed_entry_breaks_the_link_to_the_next(funded: Ledger) -> None:
    _history(funded)
    drop_immutability_trigger(funded.engine, "entries")
    # Flip the first hex digit to one it certainly is not (hashes vary with the clock).
    run_sql(
        funded.engine,
        "UPDATE entries SET hash = CASE WHEN substr(hash, 1, 1) = '0' THEN '1' ELSE '0' END"
        " || substr(hash, 2) WHERE id = 2",
    )
    assert funded.verify().first_bad_entry == 2
    assert any("entry 3: does not link" in p for p in funded.verify().problems)


def test_a_deleted_entry_is_named(funded: Ledger) -> None:
    _history(funded)
    drop_immutability_trigger(funded.engine, "postings")
    drop_immutability_trigger(funded.engine, "entries")
    run_sql(
        funded.engine, "DELETE FROM postings WHERE entry_id = 5", "DELETE FROM entries WHERE id = 5"
    )
    result = funded.verify()
    assert result.first_bad_entry == 5 and "chain head names entry 5" in result.problems[0]


def test_an_edited_running_balance_is_named(funded: Ledger) -> None:
    _history(funded)
    run_sql(
        funded.engine,
        "UPDATE balances SET debit_total = debit_total + 1, balance = balance + 1 WHERE account = '1011'",
    )
    result = funded.verify()
    assert result.first_bad_entry is None and len(result.problems) == 1
    assert result.problems[0].startswith("balance 1011 of fund QH2024: stored debit 10,000.01")


def test_an_edited_program_is_named(funded: Ledger) -> None:
    """A program is sealed in the hash of the entry posted with it (and, where the entry
    names one, held to it as well)."""
    _history(funded)
    drop_immutability_trigger(funded.engine, "entries")
    run_sql(funded.engine, "UPDATE entries SET program = 'qinghai.transport' WHERE id = 5")
    result = funded.verify()
    assert result.first_bad_entry == 5
    assert result.problems == ("entry 5: content does not match its hash (altered after posting)",)
    run_sql(funded.engine, "UPDATE entries SET program = NULL WHERE id = 2")
    assert "entry 2: content does not match its hash" in funded.verify().problems[0]
