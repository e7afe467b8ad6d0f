"""查询 (``subsidies.workflow.lookup``): a person never paid is found by the 身份证号 in
their claim's cells (written to ``claim_people`` with the decisions), in any letter case; a
merged bank transfer's reference finds every payment it carried; a name finds the payee's
payments; text naming nobody finds nothing. On SQLite and PostgreSQL."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import select

from ledgers import Ledger
from subsidies.workflow import payfiles
from subsidies.workflow.lookup import find
from subsidies.workflow.tables import payment_transfers

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "reconcile"))
from recon_helpers import pay_batch  # noqa: E402
from workflow_helpers import (  # noqa: E402
    GOJI,
    GOJI_AS_OF,
    PAYER,
    claim,
    fund_ledger,
    new_person,
    submit_rows,
)


def test_a_person_never_paid_is_found_by_the_id_in_their_claim(
    ledger: Ledger, tmp_path: Path
) -> None:
    fund_ledger(ledger)
    worker = new_person()[:17] + "X"  # a check character X, written in lower case below
    rows = [claim(GOJI, "NP-1", worker_id=worker.lower()), claim(GOJI, "NP-2")]
    submit_rows(ledger, rows, GOJI, tmp=tmp_path, as_of=GOJI_AS_OF)
    for text in (worker, worker.lower()):
        paid, decided = find(ledger, text)
        assert not paid
        assert [d["claim_id"] for d in decided] == ["NP-1"]
    assert find(ledger, new_person()) == ([], [])


def test_a_merged_transfer_reference_finds_every_payment_it_carried(
    ledger: Ledger, tmp_path: Path
) -> None:
    fund_ledger(ledger)
    account = "6217002870001234529"
    paid = pay_batch(ledger, tmp_path, ["其他", "其他"], accounts=[account, account])
    options = payfiles.Options(merge=True)
    payfiles.send(ledger, paid.batch.code, tmp_path / "pay.csv", options, by=PAYER)
    with ledger.reading() as conn:
        (reference,) = set(conn.scalars(select(payment_transfers.c.reference)))
    found, decided = find(ledger, reference)
    assert sorted(p["id"] for p in found) == sorted(p.id for p in paid.payments)
    assert {d["claim_id"] for d in decided} == {p.claim_id for p in paid.payments}
    by_name, _ = find(ledger, paid.payments[0].payee_name)
    assert {p["id"] for p in by_name} >= {p.id for p in paid.payments}
