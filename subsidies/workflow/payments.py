"""Money leaving the fund: disbursement to the bank, returns, reissues, recoveries.

- **Disburse** an approved batch: one payment per eligible claim, posted as 支付
  (借 2303 / 贷 1011, budget 借 7101 / 贷 8001) and written to the bank's payment
  instruction file. The payment is *pending* until reconciliation settles it. Re-running
  creates nothing new: a claim with a payment is not paid again.
- **Return**: the bank sent it back; 退回 restores the payable, and the claim can be
  **reissued** as a new attempt with a new reference. Each attempt's ledger key
  ``disbursement:PROGRAM:CLAIM:ATTEMPT`` and the rule "reissue only the latest attempt,
  only once it is returned" keep a claim from being paid twice. A return comes from a
  bank line (reconciliation) or, recorded by hand, with a second officer's approval; a
  reissue to the same account is one step, to another account it needs that approval too
  (:mod:`subsidies.workflow.payment_requests`).
- **Recover**: money paid in error becomes a receivable (追回, 借 1218 / 贷 5001.<program>),
  and repayments post against it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from functools import cache
from typing import NamedTuple

from sqlalchemy import Connection, func, select

from calculators.registry import calculator
from calculators.template import normalise_header
from ledgers import EntryDraft, Ledger, LedgerError, Transaction, keys, schemes
from subsidies.domain.i18n import _, pgettext
from subsidies.domain.money import format_yuan_grouped, yuan
from subsidies.domain.progress import SILENT, Progress
from subsidies.domain.text import count_text
from subsidies.workflow.base import Officer, WorkflowError, audit, fetch_tuples, now, state_name
from subsidies.workflow.batches import get, lock_batch, posting
from subsidies.workflow.officers import not_the_approver
from subsidies.workflow.permissions import require
from subsidies.workflow.tables import (
    batch_events,
    batches,
    decisions,
    payment_events,
    payment_request_decisions,
    payment_requests,
    payments,
    recoveries,
)

ACCOUNT_HEADERS = {
    normalise_header(h)
    for h in (
        "account",
        "payee_account",
        "bank_account",
        "银行账号",
        "收款账号",
        "账号",
        "银行卡号",
        "社会保障卡号",
        "社保卡号",
        "社保卡银行账号",
    )
}


@dataclass(frozen=True)
class Payment:
    id: int
    reference: str
    batch_id: int
    program_id: str
    claim_id: str
    attempt: int
    fund_code: str
    payee_name: str
    payee_id: str
    account: str
    amount_fen: int
    entry_id: int
    state: str  # pending | settled | returned


@cache
def is_account_header(header: str) -> bool:
    """Whether a column holds the payee's account (银行账号, 社会保障卡号 …)."""
    return normalise_header(header) in ACCOUNT_HEADERS


def _account_in(row: dict) -> str:
    for header, value in row.items():
        if is_account_header(header) and str(value or "").strip():
            return str(value).strip()
    return ""


class _Due(NamedTuple):
    """An eligible claim of the batch not paid yet, as ``disburse`` reads it."""

    claim_id: str
    row_no: int
    amount_fen: int
    input_json: str


def _next_references(tx: Transaction, on: dt.date, n: int) -> list[str]:
    """``n`` new payment references, counted under a lock so concurrent disbursements differ."""
    tx.serialise("subsidies:payment-reference")
    start = (tx.conn.scalar(select(func.count()).select_from(payments)) or 0) + 1
    return [f"SL{on:%y%m%d}{i:08d}" for i in range(start, start + n)]


_PAYMENT_COLUMNS = [payments.c[f] for f in Payment.__dataclass_fields__ if f != "state"]


def _payments(conn: Connection, *where) -> list[Payment]:
    """The payments ``where`` selects, each with its state (integers and text only: read
    as the driver's tuples)."""
    decided = dict(
        fetch_tuples(
            conn,
            select(payment_events.c.payment_id, payment_events.c.kind).where(
                payment_events.c.kind.in_(("settled", "returned")),
                payment_events.c.payment_id.in_(select(payments.c.id).where(*where)),
            ),
        )
    )
    rows = fetch_tuples(conn, select(*_PAYMENT_COLUMNS).where(*where).order_by(payments.c.id))
    return [Payment(*r, state=decided.get(r[0], "pending")) for r in rows]


def batch_payments(ledger: Ledger, code: str) -> list[Payment]:
    with ledger.reading() as conn:
        batch = get(ledger, code)
        return _payments(conn, payments.c.batch_id == batch.id)


def find_payment(ledger: Ledger, reference: str) -> Payment:
    with ledger.reading() as conn:
        found = _payments(conn, payments.c.reference == reference)
    if not found:
        raise WorkflowError(no_payment(reference))
    return found[0]


def no_payment(reference: str) -> str:
    return _("no payment with reference {reference}").format(reference=repr(reference))


def not_pending(reference: str, state: str) -> str:
    """That payment ``reference`` is ``state``, and only a pending one can come back."""
    return _("payment {reference} is {state}; only a pending one can come back").format(
        reference=reference, state=state_name(state)
    )


def disburse(
    ledger: Ledger,
    code: str,
    *,
    by: Officer,
    on: dt.date | None = None,
    accounts: dict[str, str] | None = None,
    progress: Progress = SILENT,
) -> list[Payment]:
    """Create and post a payment for every eligible claim of an approved batch not yet paid,
    telling ``progress`` of each one posted (出纳: ``payment.disburse``; never the batch's
    approver).

    Returns the batch's pending payments (new and earlier), which go in the bank file.
    """
    require(by, "payment.disburse", ledger=ledger, subject=code)
    on = on or dt.date.today()
    accounts = accounts or {}
    with ledger.transaction() as tx:
        conn = tx.conn  # reads in this transaction
        batch = lock_batch(conn, code)
        if batch.state != "approved":
            raise WorkflowError(
                _("batch {code} is {state}: only an approved batch is disbursed").format(
                    code=code, state=state_name(batch.state)
                )
            )
        not_the_approver(conn, batch.event("approved")["by"], by, code)
        calc = calculator(batch.program_id)
        paid = {
            claim_id
            for (claim_id,) in fetch_tuples(
                conn, select(payments.c.claim_id).where(payments.c.program_id == batch.program_id)
            )
        }
        rows = fetch_tuples(
            conn,
            select(
                decisions.c.claim_id,
                decisions.c.row_no,
                decisions.c.amount_fen,
                decisions.c.input_json,
            )
            .where(
                decisions.c.batch_id == batch.id,
                decisions.c.status == "eligible",
                decisions.c.amount_fen > 0,
            )
            .order_by(decisions.c.row_no),
        )
        todo = [_Due(*r) for r in rows if r[0] not in paid]
        inputs = {r.claim_id: json.loads(r.input_json) for r in todo}
        chosen = {c: accounts.get(c) or _account_in(inputs[c]) for c in inputs}
        row = _("{claim} (row {row})")
        missing = [
            row.format(claim=r.claim_id, row=r.row_no) for r in todo if not chosen[r.claim_id]
        ]
        if missing:
            raise WorkflowError(
                _(
                    "batch {code}: {claims} have no payee account ({listed}); give a column "
                    "银行账号 or 社会保障卡号 in the claims file, or a file of accounts "
                    "(申请编号, 账号)"
                ).format(
                    code=code,
                    claims=count_text(len(missing), "{n} claim", "{n} claims"),
                    listed=", ".join(missing[:10]) + (" …" if len(missing) > 10 else ""),
                ),
                command="--accounts FILE",
            )
        references = _next_references(tx, on, len(todo))
        name = calc.program.name_zh
        drafts = schemes.disbursements(  # each draft built as it is posted
            batch.fund_code,
            [int(r.amount_fen) for r in todo],
            program=batch.program_id,
            keys=keys.first_disbursements(batch.program_id, (r.claim_id for r in todo)),
            refs=references,
            memos=(f"{name} {r.claim_id}" for r in todo),
            on=on,
            by=by.username,
        )
        try:
            entries = tx.post(posting(drafts, progress, _("posting the payments")))
        except LedgerError as error:
            raise WorkflowError(
                _("batch {code} not disbursed: {error}").format(code=code, error=error)
            ) from None
        created_at = now()
        payee_name, payee_id = calc.payee
        if todo:
            columns = (
                "reference", "batch_id", "program_id", "claim_id", "attempt", "fund_code",
                "payee_name", "payee_id", "account", "amount_fen", "entry_id", "created_by",
                "created_at",
            )  # fmt: skip
            rows = [
                (
                    reference,
                    batch.id,
                    batch.program_id,
                    r.claim_id,
                    1,
                    batch.fund_code,
                    inputs[r.claim_id].get(payee_name, ""),
                    inputs[r.claim_id].get(payee_id, ""),
                    chosen[r.claim_id],
                    int(r.amount_fen),
                    entry.id,
                    by.username,
                    created_at,
                )  # fmt: skip
                for r, reference, entry in zip(todo, references, entries, strict=True)
            ]
            tx.insert_rows(payments, columns, rows)
            audit(tx, by, "batch.disburse", code, f"{len(todo)} payments")
        return [p for p in _payments(conn, payments.c.batch_id == batch.id) if p.state == "pending"]


def _decided_once(
    tx: Transaction,
    payment: Payment,
    kind: str,
    on: dt.date,
    by: Officer,
    detail: str,
    entry_id: int | None,
) -> None:
    tx.insert(
        payment_events,
        payment_id=payment.id,
        kind=kind,
        on_date=on,
        by=by.username,
        at=now(),
        detail=detail,
        entry_id=entry_id,
    )


def lock_payment(conn: Connection, reference: str) -> Payment:
    """The payment, read in a write transaction, which excludes every other writer
    (SQLite's ``BEGIN IMMEDIATE``, PostgreSQL's writers' lock): its state holds until the
    commit, without a row lock the product's database role may not take."""
    found = _payments(conn, payments.c.reference == reference)
    if not found:
        raise WorkflowError(no_payment(reference))
    return found[0]


def already(reference: str, state: str) -> str:
    """That payment ``reference`` is already settled or returned (``state``)."""
    return _("payment {reference} is already {state}").format(
        reference=reference, state=state_name(state)
    )


def settle(
    ledger: Ledger, reference: str, *, by: Officer, on: dt.date | None = None, detail: str = ""
) -> Payment:
    """Record by hand that the bank paid (出纳: ``payment.settle``); reconciliation settles
    from statements."""
    require(by, "payment.settle", ledger=ledger, subject=reference)
    with ledger.transaction() as tx:
        payment = lock_payment(tx.conn, reference)
        if payment.state != "pending":
            raise WorkflowError(already(reference, payment.state))
        _decided_once(tx, payment, "settled", on or dt.date.today(), by, detail, None)
        audit(tx, by, "payment.settle", reference, detail)
    return find_payment(ledger, reference)


def open_request(conn: Connection, payment_id: int) -> tuple[int, str, str, dt.date] | None:
    """The payment's request awaiting a second officer: (id, kind, requested_by, on_date)."""
    decided = select(payment_request_decisions.c.request_id)
    row = conn.execute(
        select(
            payment_requests.c.id,
            payment_requests.c.kind,
            payment_requests.c.requested_by,
            payment_requests.c.on_date,
        ).where(payment_requests.c.payment_id == payment_id, payment_requests.c.id.not_in(decided))
    ).first()
    return tuple(row) if row else None


def refuse_if_requested(conn: Connection, payment: Payment) -> None:
    """One request at a time: refuse a step on a payment with a request awaiting approval."""
    found = open_request(conn, payment.id)
    if found:
        _id, kind, requested_by, on = found
        what = {"return": pgettext("request", "return"), "reissue": pgettext("request", "reissue")}
        raise WorkflowError(
            _(
                "payment {reference} already has an open request ({kind}, by {by} on {on}): a "
                "second officer approves or rejects it first"
            ).format(
                reference=payment.reference, kind=what.get(kind, kind), by=requested_by, on=on
            ),
            command=f"subsidies payment approve {payment.reference} | subsidies payment reject",
        )


def post_return(
    tx: Transaction, payment: Payment, *, reason: str, on: dt.date, by: Officer
) -> None:
    """退回 a pending payment: restore the payable, record the event and the audit line."""
    if payment.state != "pending":
        raise WorkflowError(not_pending(payment.reference, payment.state))
    draft = schemes.returned_payment(
        payment.fund_code,
        payment.amount_fen,
        program=payment.program_id,
        key=keys.returned_payment(payment.reference),
        ref=payment.reference,
        on=on,
        by=by.username,
        memo=f"退回 {reason}",
    )
    (entry,) = _posted(tx, draft, payment.reference)
    _decided_once(tx, payment, "returned", on, by, reason, entry.id)
    audit(tx, by, "payment.return", payment.reference, reason)


def check_reissuable(conn: Connection, payment: Payment) -> None:
    """Only the claim's latest attempt is reissued, and only once it is returned."""
    attempts = _claim_payments(conn, payment.program_id, payment.claim_id)
    latest = max(attempts, key=lambda p: p.attempt)
    if latest.reference != payment.reference:
        raise WorkflowError(
            _("payment {reference} was already reissued as {latest} ({state})").format(
                reference=payment.reference, latest=latest.reference, state=state_name(latest.state)
            )
        )
    if payment.state != "returned":
        raise WorkflowError(
            _("payment {reference} is {state}; only a returned payment is reissued").format(
                reference=payment.reference, state=state_name(payment.state)
            )
        )


def post_reissue(
    tx: Transaction,
    payment: Payment,
    *,
    account: str,
    on: dt.date,
    by: Officer,
    note: str = "",
    paid_by: str | None = None,
) -> str:
    """Pay a returned payment's claim again as the next attempt; returns the new reference.

    ``paid_by`` is the officer making the payment (``created_by``): ``by``, who posts it,
    unless a second officer approves the request of the cashier who asked for it (the
    cashier pays, the approver authorises; the database refuses a payment made by the
    batch's approver)."""
    check_reissuable(tx.conn, payment)
    code = batch_code(tx.conn, payment.batch_id)
    not_the_approver(tx.conn, batch_approver(tx.conn, payment.batch_id), paid_by or by, code)
    attempt = payment.attempt + 1
    (new_reference,) = _next_references(tx, on, 1)
    draft = schemes.disbursement(
        payment.fund_code,
        payment.amount_fen,
        program=payment.program_id,
        key=keys.disbursement(payment.program_id, payment.claim_id, attempt),
        ref=new_reference,
        on=on,
        by=by.username,
        memo=f"重新支付 {payment.claim_id} (原 {payment.reference})",
    )
    (entry,) = _posted(tx, draft, payment.reference)
    tx.insert(
        payments,
        reference=new_reference,
        batch_id=payment.batch_id,
        program_id=payment.program_id,
        claim_id=payment.claim_id,
        attempt=attempt,
        fund_code=payment.fund_code,
        payee_name=payment.payee_name,
        payee_id=payment.payee_id,
        account=account,
        amount_fen=payment.amount_fen,
        entry_id=entry.id,
        created_by=paid_by or by.username,
        created_at=now(),
    )
    detail = f"reissues {payment.reference} to {account}{note}"
    audit(tx, by, "payment.reissue", new_reference, detail)
    return new_reference


def _posted(tx: Transaction, draft: EntryDraft, reference: str):
    try:
        return tx.post([draft])
    except LedgerError as error:
        raise WorkflowError(
            _("payment {reference}: {error}").format(reference=reference, error=error)
        ) from None


def batch_code(conn: Connection, batch_id: int) -> str:
    return conn.scalar(select(batches.c.code).where(batches.c.id == batch_id))


def batch_approver(conn: Connection, batch_id: int) -> str | None:
    return conn.scalar(
        select(batch_events.c.by).where(
            batch_events.c.batch_id == batch_id, batch_events.c.kind == "approved"
        )
    )


def reissue(
    ledger: Ledger, reference: str, *, account: str, by: Officer, on: dt.date | None = None
) -> Payment:
    """Pay a returned payment's claim again, to the same account, in one step (出纳:
    ``payment.reissue``).

    To another account it needs a second officer: :mod:`subsidies.workflow.payment_requests`.
    """
    require(by, "payment.reissue", ledger=ledger, subject=reference)
    on = on or dt.date.today()
    with ledger.transaction() as tx:
        payment = lock_payment(tx.conn, reference)
        if account.strip() != payment.account:
            raise WorkflowError(
                _(
                    "a reissue of payment {reference} to {account}, not to its own account "
                    "{own}, needs a second officer's approval: request it"
                ).format(reference=reference, account=account.strip(), own=payment.account)
            )
        refuse_if_requested(tx.conn, payment)
        new_reference = post_reissue(tx, payment, account=payment.account, on=on, by=by)
    return find_payment(ledger, new_reference)


def program_of(ledger: Ledger, claim_id: str) -> str:
    """The one program under which ``claim_id`` was paid (for 追回 and its repayments), or
    a refusal saying to name one."""
    with ledger.reading() as conn:
        programs = set(
            conn.scalars(select(payments.c.program_id).where(payments.c.claim_id == claim_id))
        )
    if not programs:
        raise WorkflowError(
            _(
                "claim {claim} has no payment (never disbursed, or no such claim): nothing was "
                "paid, so there is nothing to recover"
            ).format(claim=claim_id)
        )
    if len(programs) > 1:
        raise WorkflowError(
            _("claim {claim} is paid under {programs}; name one").format(
                claim=claim_id, programs=", ".join(sorted(programs))
            ),
            command="--program PROGRAM",
        )
    return programs.pop()


def _claim_payments(conn: Connection, program_id: str, claim_id: str) -> list[Payment]:
    return _payments(conn, payments.c.program_id == program_id, payments.c.claim_id == claim_id)


def recovery_balance(conn: Connection, program_id: str, claim_id: str) -> tuple[int, int]:
    """(raised, repaid) fen for a claim."""
    rows = conn.execute(
        select(recoveries.c.kind, func.sum(recoveries.c.amount_fen))
        .where(recoveries.c.program_id == program_id, recoveries.c.claim_id == claim_id)
        .group_by(recoveries.c.kind)
    ).all()
    totals = {kind: int(total) for kind, total in rows}
    return totals.get("raised", 0), totals.get("repaid", 0)


@dataclass(frozen=True)
class Recovery:
    """A claim's 追回: raised, repaid so far, and what is still owed (fen)."""

    program_id: str
    claim_id: str
    fund_code: str
    raised_fen: int
    repaid_fen: int
    reason: str

    @property
    def owed_fen(self) -> int:
        return self.raised_fen - self.repaid_fen


def recoveries_raised(ledger: Ledger) -> list[Recovery]:
    """Every claim's recovery, oldest first."""
    with ledger.reading() as conn:
        rows = conn.execute(select(recoveries).order_by(recoveries.c.id)).all()
    found: dict[tuple[str, str], Recovery] = {}
    for r in rows:
        key = (r.program_id, r.claim_id)
        if r.kind == "raised":
            found[key] = Recovery(r.program_id, r.claim_id, r.fund_code, r.amount_fen, 0, r.reason)
        elif key in found:
            before = found[key]
            found[key] = replace(before, repaid_fen=before.repaid_fen + r.amount_fen)
    return list(found.values())


def _book_recovery(
    tx: Transaction,
    draft: EntryDraft,
    kind: str,
    program_id: str,
    claim_id: str,
    fen: int,
    reason: str,
) -> None:
    """Post a recovery's entry and record it (``raised`` or ``repaid``) against the claim."""
    (entry,) = tx.post([draft])
    tx.insert(
        recoveries,
        program_id=program_id,
        claim_id=claim_id,
        kind=kind,
        amount_fen=fen,
        fund_code=draft.postings[0].fund_code,
        reason=reason,
        by=draft.by,
        at=now(),
        entry_id=entry.id,
    )


def raise_recovery(
    ledger: Ledger,
    program_id: str,
    claim_id: str,
    *,
    reason: str,
    by: Officer,
    on: dt.date | None = None,
) -> int:
    """追回: everything paid (settled or pending) on the claim becomes a receivable; returns
    fen (审核: ``recovery.raise``)."""
    require(by, "recovery.raise", ledger=ledger, subject=f"{program_id}/{claim_id}")
    if not reason.strip():
        raise WorkflowError(_("a recovery needs a reason"))
    with ledger.transaction() as tx:
        return post_recovery(
            tx, program_id, claim_id, reason=reason, by=by, on=on or dt.date.today()
        )


def post_recovery(
    tx: Transaction, program_id: str, claim_id: str, *, reason: str, by: Officer, on: dt.date
) -> int:
    """Raise the claim's recovery in ``tx`` (once per claim); returns fen."""
    conn = tx.conn  # reads in this transaction
    tx.serialise(f"subsidies:recovery:{program_id}:{claim_id}")
    paid = [p for p in _claim_payments(conn, program_id, claim_id) if p.state != "returned"]
    if not paid:
        raise WorkflowError(
            _("claim {claim} under {program} has no payment to recover").format(
                claim=claim_id, program=program_id
            )
        )
    raised, _repaid = recovery_balance(conn, program_id, claim_id)
    if raised:
        raise WorkflowError(
            _("a recovery of {amount} was already raised for {claim}").format(
                amount=yuan(raised), claim=claim_id
            )
        )
    amount = sum(p.amount_fen for p in paid)
    draft = schemes.recovery_raised(
        paid[-1].fund_code,
        program_id,
        amount,
        key=keys.recovery(program_id, claim_id),
        ref=claim_id,
        on=on,
        by=by.username,
        memo=f"追回 {reason}",
    )
    _book_recovery(tx, draft, "raised", program_id, claim_id, amount, reason)
    audit(
        tx,
        by,
        "recovery.raise",
        f"{program_id}/{claim_id}",
        f"{format_yuan_grouped(amount)} 元: {reason}",
    )
    return amount


def repay(
    ledger: Ledger,
    program_id: str,
    claim_id: str,
    fen: int,
    *,
    by: Officer,
    on: dt.date | None = None,
    note: str = "",
) -> int:
    """A repayment against a claim's recovery; returns what is still owed (fen); 出纳:
    ``recovery.repay``."""
    require(by, "recovery.repay", ledger=ledger, subject=f"{program_id}/{claim_id}")
    on = on or dt.date.today()
    with ledger.transaction() as tx:
        conn = tx.conn  # reads in this transaction
        tx.serialise(f"subsidies:recovery:{program_id}:{claim_id}")
        raised, repaid = recovery_balance(conn, program_id, claim_id)
        owed = raised - repaid
        if owed <= 0:
            raise WorkflowError(
                _("nothing is owed on {claim} under {program}").format(
                    claim=claim_id, program=program_id
                )
            )
        if fen <= 0 or fen > owed:
            raise WorkflowError(
                _("a repayment of {amount} must be between 0.01 元 and the {owed} owed").format(
                    amount=yuan(fen), owed=yuan(owed)
                )
            )
        fund = conn.scalar(
            select(recoveries.c.fund_code).where(
                recoveries.c.program_id == program_id, recoveries.c.claim_id == claim_id
            )
        )
        n = (
            conn.scalar(
                select(func.count())
                .select_from(recoveries)
                .where(recoveries.c.program_id == program_id, recoveries.c.claim_id == claim_id)
            )
            or 0
        )
        draft = schemes.recovery_received(
            fund,
            fen,
            program=program_id,
            key=keys.repayment(program_id, claim_id, n),
            ref=claim_id,
            on=on,
            by=by.username,
            memo=f"追回收款 {note}".strip(),
        )
        _book_recovery(tx, draft, "repaid", program_id, claim_id, fen, note)
        audit(
            tx, by, "recovery.repay", f"{program_id}/{claim_id}", f"{format_yuan_grouped(fen)} 元"
        )
    return owed - fen
