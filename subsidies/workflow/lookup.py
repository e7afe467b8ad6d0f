"""查询: every payment and decision naming a person or unit (身份证号 or 统一社会信用代码),
a payee's name, a claim id or a payment reference (a payment's own, or the bank line's
that carried it merged), and the bank lines matched to those payments.

Each way in is an exact match on an index (payments by payee id, payee name, claim id and
reference; merged transfers by reference; decisions by claim id; the people claims name,
``claim_people``), and each answer is bounded (:data:`LIMIT` rows): no search reads a
table through, however many payouts the ledger holds.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Connection, Select, Table, select, union

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
    """(payments, decisions) naming ``text``, oldest first, at most :data:`LIMIT` of each.

    The ids are found first (each arm an index lookup), then the rows by primary key: asked
    for ``ORDER BY id LIMIT`` over a join at once, PostgreSQL may walk the whole table in id
    order hoping to meet the few matching rows early (0.8–1.6 s at 1,000,000 payouts).
    """
    named = union(
        *(select(payments.c.id).where(column == text) for column in _PAYMENT_KEYS),
        select(payment_transfers.c.payment_id).where(payment_transfers.c.reference == text),
    ).subquery()
    with ledger.reading() as conn:
        ids = list(conn.scalars(select(named.c.id).order_by(named.c.id).limit(LIMIT)))
        paid = _rows(conn, select(payments, batches.c.code), payments, payments.c.id.in_(ids))
        claim_ids = {p["claim_id"] for p in paid} | {text} | set(claims_naming(conn, text))
        decided = _rows(
            conn,
            select(decisions, batches.c.code, batches.c.program_id),
            decisions,
            decisions.c.claim_id.in_(sorted(claim_ids)),
        )[:LIMIT]
    return paid, decided


def _rows(conn: Connection, query: Select, table: Table, where: ColumnElement) -> list[dict]:
    """The rows of ``table`` (with their batch) that ``where`` picks by an index, by id."""
    query = query.join(batches, batches.c.id == table.c.batch_id).where(where)
    return sorted((dict(r) for r in conn.execute(query).mappings()), key=lambda r: r["id"])


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
