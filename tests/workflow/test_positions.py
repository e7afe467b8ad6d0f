"""首页's fund figures, read from the running totals per event, equal the budget execution
report's, summed from every posting, to the fen: after a batch is paid, payments returned
(by the bank's statement and by hand) and reissued, a recovery raised and part repaid, and
entries reversed; on SQLite and PostgreSQL. The 批次 list's totals, written with each batch's decisions,
equal the decisions' sums."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path

from sqlalchemy import case, func, select

from ledgers import Ledger, event_totals
from reports.execution import execution
from subsidies.workflow import payments as pay
from subsidies.workflow.batches import claim_totals, list_batches
from subsidies.workflow.positions import fund_positions
from subsidies.workflow.tables import SEALED, decisions

sys.path.insert(0, str(Path(__file__).resolve().parent))
from paid_world import paid_world  # noqa: E402
from workflow_helpers import FUND, GOJI, PAYER  # noqa: E402


def _cycle(led: Ledger, tmp: Path) -> None:
    """Paid, returned, reissued, repaid twice; the second repayment and an appropriation
    reversed."""
    rows = paid_world(led, tmp)
    returned = [p for p in pay.batch_payments(led, _batch_code(led)) if p.state == "returned"]
    assert len(returned) == 2
    pay.reissue(led, returned[0].reference, account=returned[0].account, by=PAYER)
    first = next(p for p in pay.batch_payments(led, _batch_code(led)) if p.id == rows["payment"])
    for _ in range(2):
        pay.repay(led, GOJI, first.claim_id, first.amount_fen // 3, by=PAYER)
    journal = led.journal()
    repaid = journal[-1]
    assert repaid.kind.value == "recovery_received"
    appropriated = [e for e in journal if e.kind.value == "appropriation"][-1]
    for entry in (repaid, appropriated):  # each counts under the event it undoes
        led.reverse(entry.id, "录入有误", by="finance.bureau")


def _batch_code(led: Ledger) -> str:
    (batch,) = list_batches(led)
    return batch.code


def test_fund_figures_from_running_totals_equal_the_postings_sums(
    ledger: Ledger, tmp_path: Path
) -> None:
    _cycle(ledger, tmp_path)
    full = execution(ledger)
    assert full.reconciled, (full.unexplained, full.checks)
    (position,) = fund_positions(ledger)
    assert position.code == FUND
    summed = full.fund_figures(FUND)
    assert asdict(position.figures) == asdict(summed)
    assert position.available == full.available(FUND)
    # every kind of event of the cycle is there, not an empty agreement
    assert all(asdict(summed).values()), summed
    with ledger.reading() as conn:
        assert event_totals.stored(conn) == event_totals.recomputed(conn)
    assert ledger.verify(SEALED).ok


def test_batch_totals_written_with_the_decisions_equal_their_sums(
    ledger: Ledger, tmp_path: Path
) -> None:
    paid_world(ledger, tmp_path)
    eligible = case((decisions.c.status == "eligible", decisions.c.amount_fen), else_=0)
    query = select(decisions.c.batch_id, func.count(), func.sum(eligible)).group_by(
        decisions.c.batch_id
    )
    with ledger.reading() as conn:
        summed = {batch_id: (n, int(fen)) for batch_id, n, fen in conn.execute(query)}
    assert summed and claim_totals(ledger) == summed
