"""``explain``: the whole chain behind a payment or a claim, for an auditor.

bank settlement (once reconciled) → payment and its 支付 entry, its returns and the
requests a second officer decided → the 计提 accrual →
the batch and its events → the decision (status, reasons, the input row) → the
parameter values in force on the decision's date, with the quoted articles.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from calculators.registry import calculator
from ledgers import Ledger, keys
from ledgers.records import fetch_entries
from ledgers.schema import entries
from subsidies.domain.i18n import _
from subsidies.domain.money import format_yuan_grouped
from subsidies.workflow import privacy
from subsidies.workflow.base import Officer, WorkflowError
from subsidies.workflow.permissions import require
from subsidies.workflow.tables import (
    audit_log,
    batch_events,
    batches,
    decisions,
    payment_events,
    payment_request_decisions,
    payment_requests,
    payments,
    recoveries,
)


def _entry_line(conn, entry_id: int | None = None, key: str | None = None) -> str:
    where = entries.c.id == entry_id if entry_id else entries.c.key == key
    found = fetch_entries(conn, where)
    if not found:
        return "(no ledger entry)"
    entry = found[0]
    postings = ", ".join(
        f"{'借' if p.debit else '贷'} {p.account} {format_yuan_grouped(p.debit or p.credit)}"
        for p in entry.postings
    )
    return (
        f"entry #{entry.id} {entry.kind.name_zh} {entry.entry_date} by {entry.by} "
        f"[{postings}] hash {entry.hash[:12]}"
    )


def _request_lines(conn, payment_id: int) -> list[str]:
    """The payment's requests for a second officer (a return by hand, a reissue to another
    account) and how each was decided."""
    rows = conn.execute(
        select(payment_requests, payment_request_decisions.c.kind.label("decided"))
        .add_columns(
            payment_request_decisions.c.on_date.label("decided_on"),
            payment_request_decisions.c.by.label("decided_by"),
        )
        .join(
            payment_request_decisions,
            payment_request_decisions.c.request_id == payment_requests.c.id,
            isouter=True,
        )
        .where(payment_requests.c.payment_id == payment_id)
        .order_by(payment_requests.c.id)
    ).mappings()
    return [
        f"    {r['kind']} requested {r['on_date']} by {r['requested_by']}"
        + (f" to account {r['account']}" if r["account"] else "")
        + (f": {r['reason']}" if r["reason"] else "")
        + (
            f"; {r['decided']} {r['decided_on']} by {r['decided_by']}"
            if r["decided"]
            else "; awaiting a second officer"
        )
        for r in rows
    ]


def explain(ledger: Ledger, what: str, *, viewer: Officer | None = None) -> list[str]:
    """Lines explaining a payment reference or a claim_id (every program and batch it is in),
    person data masked unless ``viewer`` may see it (:mod:`subsidies.workflow.privacy`)."""
    if viewer is not None:
        require(viewer, "ledger.read", ledger=ledger, subject=f"explain {what}")
    with ledger.reading() as conn:
        pay = conn.execute(select(payments).where(payments.c.reference == what)).mappings().first()
        if pay is not None:
            targets = [(pay["program_id"], pay["claim_id"])]
        else:
            found = conn.execute(
                select(batches.c.program_id, decisions.c.claim_id)
                .join(batches, batches.c.id == decisions.c.batch_id)
                .where(decisions.c.claim_id == what)
                .distinct()
            ).all()
            targets = [(r.program_id, r.claim_id) for r in found]
        if not targets:
            raise WorkflowError(
                _("no payment reference or claim_id {what}").format(what=repr(what))
            )
        lines: list[str] = []
        for program_id, claim_id in targets:
            lines += _explain_claim(conn, program_id, claim_id, viewer)
    return [privacy.text(line, viewer) for line in lines]


def _explain_claim(conn, program_id: str, claim_id: str, viewer: Officer | None) -> list[str]:
    calc = calculator(program_id)
    program = calc.program
    lines = [f"claim {claim_id} — {program.id} {program.name_zh}"]
    attempts = (
        conn.execute(
            select(payments)
            .where(payments.c.program_id == program_id, payments.c.claim_id == claim_id)
            .order_by(payments.c.attempt)
        )
        .mappings()
        .all()
    )
    for p in attempts:
        lines.append(
            f"  payment {p['reference']} (attempt {p['attempt']}) "
            f"{format_yuan_grouped(p['amount_fen'])} 元 to account {p['account']}"
        )
        for e in conn.execute(
            select(payment_events).where(payment_events.c.payment_id == p["id"])
        ).mappings():
            lines.append(f"    {e['kind']} {e['on_date']} by {e['by']}: {e['detail']}")
            if e["entry_id"]:
                lines.append(f"      {_entry_line(conn, e['entry_id'])}")
        lines += _request_lines(conn, p["id"])
        lines.append(f"    {_entry_line(conn, p['entry_id'])}")
    for r in conn.execute(
        select(recoveries).where(
            recoveries.c.program_id == program_id, recoveries.c.claim_id == claim_id
        )
    ).mappings():
        lines.append(
            f"  recovery {r['kind']} {format_yuan_grouped(r['amount_fen'])} 元 by {r['by']}: {r['reason']}"
        )
        lines.append(f"    {_entry_line(conn, r['entry_id'])}")
    lines.append(f"  accrual: {_entry_line(conn, key=keys.accrual(program_id, claim_id))}")
    rows = (
        conn.execute(
            select(
                decisions,
                batches.c.code,
                batches.c.fund_code,
                batches.c.submitted_by,
                batches.c.source_file,
                batches.c.id.label("bid"),
            )
            .join(batches, batches.c.id == decisions.c.batch_id)
            .where(batches.c.program_id == program_id, decisions.c.claim_id == claim_id)
            .order_by(decisions.c.id)
        )
        .mappings()
        .all()
    )
    for d in rows:
        lines.append(
            f"  batch {d['code']} fund {d['fund_code']} submitted by {d['submitted_by']} "
            f"from {d['source_file']} row {d['row_no']}"
        )
        for e in conn.execute(
            select(batch_events).where(batch_events.c.batch_id == d["bid"])
        ).mappings():
            lines.append(f"    {e['kind']} {e['on_date']} by {e['by']}: {e['detail']}")
        lines.append(
            f"  decision: {d['status']} {format_yuan_grouped(d['amount_fen'])} 元 ({d['citation']})"
        )
        lines.append(f"    reasons: {d['reasons']}")
        shown = privacy.row(json.loads(d["input_json"]), calc.template, viewer)
        lines.append(f"    input: {json.dumps(shown, ensure_ascii=False)}")
        on = dt.date.fromisoformat(d["decided_on"]) if d["decided_on"] else None
        if on:
            lines.append(f"  parameters in force on {on}:")
            for parameter in program.parameters.values():
                value = parameter.at(on)
                if value is not None:
                    lines.append(
                        f"    {parameter.name} = {parameter.show(value)} "
                        f"({value.citation}, from {value.start}): "
                        + (f"「{value.quote}」" if value.quote else value.note)
                    )
    return lines


def audit_lines(
    ledger: Ledger, limit: int | None = None, *, viewer: Officer | None = None
) -> list[str]:
    """The audit log, oldest first (审计, 管理员: ``audit.read``): who did what, when, from
    where; account numbers masked unless ``viewer`` may see them."""
    if viewer is not None:
        require(viewer, "audit.read", ledger=ledger, subject="audit")
    with ledger.reading() as conn:
        query = select(audit_log).order_by(audit_log.c.id.desc())
        if limit:
            query = query.limit(limit)
        rows = list(conn.execute(query).mappings())
    return [privacy.text(_audit_line(r), viewer) for r in reversed(rows)]


def _audit_line(r) -> str:
    where = f" ({r['via']})" if r["via"] else ""
    return (
        f"#{r['id']} {r['at']:%Y-%m-%d %H:%M:%S} {r['by']}{where} {r['action']} "
        f"{r['subject']}: {r['detail']}"
    )
