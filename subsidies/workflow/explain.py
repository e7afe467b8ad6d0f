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
from subsidies.domain.i18n import _, separator
from subsidies.domain.money import format_yuan_grouped, yuan
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
        return _("(no ledger entry)")
    entry = found[0]
    postings = ", ".join(
        f"{'借' if p.debit else '贷'} {p.account} {format_yuan_grouped(p.debit or p.credit)}"
        for p in entry.postings
    )
    return _("entry #{id} {kind} {on} by {by} [{postings}] hash {hash}").format(
        id=entry.id,
        kind=entry.kind.name_zh,
        on=entry.entry_date,
        by=entry.by,
        postings=postings,
        hash=entry.hash[:12],
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
    return ["    " + _request_line(r) for r in rows]


def _request_line(r) -> str:
    """One request: who asked, when, for which account, why, and how it was decided."""
    line = _("{kind} requested {on} by {by}").format(
        kind=r["kind"], on=r["on_date"], by=r["requested_by"]
    )
    if r["account"]:
        line += _(" to account {account}").format(account=r["account"])
    if r["reason"]:
        line += _(": {reason}").format(reason=r["reason"])
    if not r["decided"]:
        return line + separator() + _("awaiting a second officer")
    return (
        line
        + separator()
        + _("{decided} {on} by {by}").format(
            decided=r["decided"], on=r["decided_on"], by=r["decided_by"]
        )
    )


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
    lines = [
        _("claim {claim} — {program} {name}").format(
            claim=claim_id, program=program.id, name=program.name_zh
        )
    ]
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
            "  "
            + _("payment {reference} (attempt {attempt}) {amount} to account {account}").format(
                reference=p["reference"],
                attempt=p["attempt"],
                amount=yuan(p["amount_fen"]),
                account=p["account"],
            )
        )
        for e in conn.execute(
            select(payment_events).where(payment_events.c.payment_id == p["id"])
        ).mappings():
            lines.append("    " + _event_line(e))
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
            "  "
            + _("recovery {kind} {amount} by {by}: {reason}").format(
                kind=r["kind"], amount=yuan(r["amount_fen"]), by=r["by"], reason=r["reason"]
            )
        )
        lines.append(f"    {_entry_line(conn, r['entry_id'])}")
    accrual = _entry_line(conn, key=keys.accrual(program_id, claim_id))
    lines.append("  " + _("accrual: {entry}").format(entry=accrual))
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
            "  "
            + _("batch {code} fund {fund} submitted by {by} from {file} row {row}").format(
                code=d["code"],
                fund=d["fund_code"],
                by=d["submitted_by"],
                file=d["source_file"],
                row=d["row_no"],
            )
        )
        for e in conn.execute(
            select(batch_events).where(batch_events.c.batch_id == d["bid"])
        ).mappings():
            lines.append("    " + _event_line(e))
        lines += _decision_lines(d, calc, viewer)
    return lines


def _event_line(e) -> str:
    """A payment's or a batch's event: its machine code, date, officer and detail as written."""
    return _("{kind} {on} by {by}: {detail}").format(
        kind=e["kind"], on=e["on_date"], by=e["by"], detail=e["detail"]
    )


def _decision_lines(d, calc, viewer: Officer | None) -> list[str]:
    """The decision (status, amount, citation), its reasons, the input row as ``viewer`` may
    see it, and the parameters in force on the decision's date with their quoted articles."""
    shown = privacy.row(json.loads(d["input_json"]), calc.template, viewer)
    lines = [
        "  "
        + _("decision: {status} {amount} ({citation})").format(
            status=d["status"], amount=yuan(d["amount_fen"]), citation=d["citation"]
        ),
        "    " + _("reasons: {reasons}").format(reasons=d["reasons"]),
        "    " + _("input: {row}").format(row=json.dumps(shown, ensure_ascii=False)),
    ]
    on = dt.date.fromisoformat(d["decided_on"]) if d["decided_on"] else None
    if on:
        lines.append("  " + _("parameters in force on {on}:").format(on=on))
        for parameter in calc.program.parameters.values():
            value = parameter.at(on)
            if value is not None:
                lines.append(
                    "    "
                    + _("{name} = {value} ({citation}, from {start}): {source}").format(
                        name=parameter.name,
                        value=parameter.show(value),
                        citation=value.citation,
                        start=value.start,
                        source=f"「{value.quote}」" if value.quote else value.note,
                    )
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
    where = _(" ({via})").format(via=r["via"]) if r["via"] else ""
    return _("#{id} {at} {by}{via} {action} {subject}: {detail}").format(
        id=r["id"],
        at=f"{r['at']:%Y-%m-%d %H:%M:%S}",
        by=r["by"],
        via=where,
        action=r["action"],
        subject=r["subject"],
        detail=r["detail"],
    )
