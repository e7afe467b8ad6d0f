"""A small paid ledger that has a row in every table deciding who is paid what: a goji
batch submitted by one officer and approved by another, disbursed, its bank file written,
a statement reconciled (one line settled, one returned), a return by hand approved by a
second officer, a recovery raised, two appropriations last. Used by the tamper-evidence
and database-role tests."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import text

from ledgers import Ledger
from subsidies.workflow import payfiles
from subsidies.workflow import payments as pay
from subsidies.workflow import reconcile as recon
from subsidies.workflow.statements import load_layout

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "reconcile"))
from recon_helpers import BANK_DAY, line, pay_batch, returned, write_statement  # noqa: E402
from workflow_helpers import (  # noqa: E402
    CHECKER,
    FUND,
    GOJI,
    PAYER,
    RECONCILER,
    fund_ledger,
    return_by_hand,
)

# what the tamper tests aim at: name -> the SQL that finds the row's id
TARGETS = {
    "returned": "SELECT MIN(id) FROM payment_events WHERE kind = 'returned'",
    "settled": "SELECT MIN(id) FROM payment_events WHERE kind = 'settled'",
    "decision": "SELECT MIN(id) FROM decisions",
    "approval": "SELECT id FROM batch_events WHERE kind = 'approved'",
    "audit": "SELECT MIN(id) + 1 FROM audit_log",
    "line": "SELECT MIN(id) FROM statement_lines",
    "recovery": "SELECT MIN(id) FROM recoveries",
    "request_decision": "SELECT MIN(id) FROM payment_request_decisions",
    "file": "SELECT MIN(id) FROM payment_files",
}


def paid_world(led: Ledger, tmp: Path) -> dict[str, int]:
    """Build it on a migrated, empty ledger; the ids of the rows named in TARGETS, and of
    the first payment and the batch."""
    fund_ledger(led)
    paid = pay_batch(led, tmp, ["脱贫劳动力", "其他", "其他", "脱贫劳动力"])
    first, second, third, _fourth = paid.payments
    payfiles.send(led, paid.batch.code, tmp / "pay.csv", payfiles.Options(), by=PAYER)
    statement = write_statement(tmp / "statement.csv", [line(first), returned(second)])
    recon.reconcile(led, statement, load_layout("default"), by=RECONCILER, as_of=BANK_DAY)
    return_by_hand(led, third.reference, on=BANK_DAY)
    pay.raise_recovery(led, GOJI, first.claim_id, reason="非农牧民", by=CHECKER, on=BANK_DAY)
    for doc in ("青财社指〔2024〕30号", "青财社指〔2024〕31号"):  # the last entries
        led.appropriate(FUND, 1_000_00, doc=doc, on=BANK_DAY, by="finance.bureau")
    with led.reading() as conn:
        rows = {name: conn.scalar(text(sql)) for name, sql in TARGETS.items()}
    rows |= {"payment": first.id, "batch": paid.batch.id}
    assert all(rows.values()), rows
    return rows
