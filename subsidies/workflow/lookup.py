"""查询: every payment and decision naming a person or unit (身份证号 or 统一社会信用代码),
a payee's name, a claim id or a payment reference (a payment's own, or the bank line's
that carried it merged), and the bank lines matched to those payments.

Each way in is an exact match on an index (payments by payee id, payee name, claim id and
reference; merged transfers by reference; decisions by claim id; the people claims name,
``claim_people``), and each answer is bounded (:data:`LIMIT` rows): no search reads a
table through, however many payouts the ledger holds.
"""

from __future__ import annotations

from sqlalchemy import select, union

from ledgers import Ledger
from subsidies.workflow.people import claims_naming
from subsidies.workflow.tables import (
    batches,
    decisions,
    line_matches,
    payment_transfers,
    payments,
    statement_lines,
)

LIMIT = 200


def find(ledger: Ledger, text: str) -> tuple[list[dict], list[dict]]:
    """(payments, decisions) naming ``text``, oldest first, at most :data:`LIMIT` of each."""
    named = union(
        *(select(payments.c.id).where(column == text) for column in _PAYMENT_KEYS),
        select(payment_transfers.c.payment_id).where(payment_transfers.c.reference == text),
    )
    with ledger.reading() as conn:
        paid = (
            conn.execute(
                select(payments, batches.c.code)
                .join(batches, batches.c.id == payments.c.batch_id)
                .where(payments.c.id.in_(named))
                .order_by(payments.c.id)
                .limit(LIMIT)
            )
            .mappings()
            .all()
        )
        claim_ids = {p["claim_id"] for p in paid} | {text} | set(claims_naming(conn, text))
        decided = (
            conn.execute(
                select(decisions, batches.c.code, batches.c.program_id)
                .join(batches, batches.c.id == decisions.c.batch_id)
                .where(decisions.c.claim_id.in_(sorted(claim_ids)))
                .order_by(decisions.c.id)
                .limit(LIMIT)
            )
            .mappings()
            .all()
        )
    return [dict(p) for p in paid], [dict(d) for d in decided]


_PAYMENT_KEYS = (
    payments.c.payee_id,
    payments.c.payee_name,
    payments.c.claim_id,
    payments.c.reference,
)


def bank_lines(ledger: Ledger, payment_ids: list[int]) -> list[dict]:
    """The bank statement lines matched to these payments, with the bank's return reason."""
    with ledger.reading() as conn:
        rows = (
            conn.execute(
                select(statement_lines, line_matches.c.rule, payments.c.reference.label("payment"))
                .join(line_matches, line_matches.c.line_id == statement_lines.c.id)
                .join(payments, payments.c.id == line_matches.c.payment_id)
                .where(line_matches.c.payment_id.in_(payment_ids))
                .order_by(statement_lines.c.id)
            )
            .mappings()
            .all()
        )
    return [dict(r) for r in rows]
