"""Steps on a payment that need a second officer (maker–checker), as a batch's approval does.

A return recorded by hand (the bank's notice, with no statement line to match) and a
reissue to an account other than the returned payment's could otherwise let one officer
redirect money: mark a payment returned, pay it again to an account of their choosing.
Each is first a **request** of a cashier (出纳, pending): nothing is posted. A checker
(审核) other than the one who requested **approves** it, and only then it takes effect —
the 退回 posted and the payment marked returned, or the new attempt posted and its payment
row written, as made by the requesting cashier — or a checker **rejects** it. A payment
has one open request at a time, and every refusal changes nothing.

A return from a bank line (reconciliation) and a reissue to the same account (the bank
returned it for a reason that has passed) stay one step: :mod:`subsidies.workflow.payments`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, select

from ledgers import Ledger
from subsidies.domain.i18n import N_, _
from subsidies.workflow import payments as pay
from subsidies.workflow.base import Officer, WorkflowError, audit, now
from subsidies.workflow.officers import not_the_approver, second_officer
from subsidies.workflow.permissions import require
from subsidies.workflow.tables import payment_request_decisions, payment_requests, payments

KINDS = {  # what a request asks, as an officer reads it
    "reissue": N_("reissue of payment {reference}"),
    "return": N_("return of payment {reference}"),
}


@dataclass(frozen=True)
class PaymentRequest:
    id: int
    reference: str  # the payment's
    claim_id: str
    amount_fen: int
    from_account: str  # the payment's account
    kind: str  # return | reissue
    account: str  # a reissue's new account ("" for a return)
    reason: str
    on: dt.date
    requested_by: str
    state: str  # pending | approved | rejected
    decided_by: str | None

    @property
    def what(self) -> str:
        """What is asked, e.g. "reissue of payment SL… to 6217…"."""
        to = _(" to {account}").format(account=self.account) if self.account else ""
        return _(KINDS[self.kind]).format(reference=self.reference) + to


_COLUMNS = (
    payment_requests.c.id,
    payments.c.reference,
    payments.c.claim_id,
    payments.c.amount_fen,
    payments.c.account,
    payment_requests.c.kind,
    payment_requests.c.account,
    payment_requests.c.reason,
    payment_requests.c.on_date,
    payment_requests.c.requested_by,
    payment_request_decisions.c.kind,
    payment_request_decisions.c.by,
)


def _requests(conn: Connection, *where) -> list[PaymentRequest]:
    query = (
        select(*_COLUMNS)
        .select_from(
            payment_requests.join(payments, payments.c.id == payment_requests.c.payment_id).join(
                payment_request_decisions,
                payment_request_decisions.c.request_id == payment_requests.c.id,
                isouter=True,
            )
        )
        .where(*where)
        .order_by(payment_requests.c.id)
    )
    return [
        PaymentRequest(*r[:10], state=r[10] or "pending", decided_by=r[11])
        for r in conn.execute(query).all()
    ]


def open_requests(ledger: Ledger) -> list[PaymentRequest]:
    """Every request awaiting a second officer, oldest first."""
    with ledger.reading() as conn:
        return [r for r in _requests(conn) if r.state == "pending"]


def _record(
    tx, payment: pay.Payment, kind: str, *, account: str, reason: str, on: dt.date, by: Officer
) -> PaymentRequest:
    pay.refuse_if_requested(tx.conn, payment)
    tx.insert(
        payment_requests,
        payment_id=payment.id,
        kind=kind,
        account=account,
        reason=reason,
        on_date=on,
        requested_by=by.username,
        requested_at=now(),
    )
    detail = "; ".join(part for part in (f"to {account}" if account else "", reason) if part)
    audit(tx, by, f"payment.request_{kind}", payment.reference, detail)
    return _requests(tx.conn, payments.c.id == payment.id)[-1]


def request_return(
    ledger: Ledger, reference: str, *, reason: str, by: Officer, on: dt.date | None = None
) -> PaymentRequest:
    """Record by hand that the bank returned a pending payment (its notice, no statement
    line); it takes effect when a second officer approves (出纳: ``payment.return``)."""
    require(by, "payment.return", ledger=ledger, subject=reference)
    if not reason.strip():
        raise WorkflowError(_("a returned payment needs a reason (the bank's return reason)"))
    with ledger.transaction() as tx:
        payment = pay.lock_payment(tx.conn, reference)
        if payment.state != "pending":
            raise WorkflowError(pay.not_pending(reference, payment.state))
        return _record(
            tx,
            payment,
            "return",
            account="",
            reason=reason.strip(),
            on=on or dt.date.today(),
            by=by,
        )


def request_reissue(
    ledger: Ledger,
    reference: str,
    *,
    account: str,
    by: Officer,
    reason: str = "",
    on: dt.date | None = None,
) -> PaymentRequest:
    """Ask to pay a returned payment's claim again to another account; it is paid when a
    second officer approves (出纳: ``payment.reissue``). The requester makes the payment,
    so the batch's approver may not ask."""
    require(by, "payment.reissue", ledger=ledger, subject=reference)
    account = account.strip()
    if not account:
        raise WorkflowError(_("a reissue needs the corrected account"))
    with ledger.transaction() as tx:
        payment = pay.lock_payment(tx.conn, reference)
        pay.check_reissuable(tx.conn, payment)
        code = pay.batch_code(tx.conn, payment.batch_id)
        not_the_approver(tx.conn, pay.batch_approver(tx.conn, payment.batch_id), by, code)
        if account == payment.account:
            raise WorkflowError(
                _(
                    "{account} is payment {reference}'s own account: reissue it without a request"
                ).format(account=account, reference=reference)
            )
        return _record(
            tx, payment, "reissue", account=account, reason=reason.strip(),
            on=on or dt.date.today(), by=by,
        )  # fmt: skip


def reissue(
    ledger: Ledger,
    reference: str,
    *,
    account: str,
    by: Officer,
    reason: str = "",
    on: dt.date | None = None,
) -> pay.Payment | PaymentRequest:
    """Reissue a returned payment: to its own account at once (the new :class:`Payment`),
    to another account as a request for a second officer (a :class:`PaymentRequest`)."""
    if account.strip() == pay.find_payment(ledger, reference).account:
        return pay.reissue(ledger, reference, account=account, by=by, on=on)
    return request_reissue(ledger, reference, account=account, by=by, reason=reason, on=on)


def _open(conn: Connection, payment: pay.Payment) -> PaymentRequest:
    found = [r for r in _requests(conn, payments.c.id == payment.id) if r.state == "pending"]
    if not found:
        raise WorkflowError(
            _("payment {reference} has no open request to decide").format(
                reference=payment.reference
            )
        )
    return found[0]


def _decide(
    tx, request: PaymentRequest, kind: str, *, on: dt.date, by: Officer, detail: str
) -> None:
    tx.insert(
        payment_request_decisions,
        request_id=request.id,
        kind=kind,
        on_date=on,
        by=by.username,
        at=now(),
        detail=detail,
    )
    action = {"approved": "approve", "rejected": "reject"}[kind]
    audit(tx, by, f"payment.{action}", request.reference, f"{request.kind}: {detail}")


def approve_request(
    ledger: Ledger, reference: str, *, by: Officer, on: dt.date | None = None
) -> tuple[PaymentRequest, pay.Payment]:
    """A second officer approves the payment's open request (审核: ``payment.approve``),
    which then takes effect: the payment returned (dated as requested, the bank's return),
    or the new attempt paid (on the approval's date), made by the cashier who requested it;
    each names the requester. Its bank file is the cashier's to write
    (:func:`subsidies.workflow.payfiles.write_reissue`). Returns the request and the
    payment returned or newly made."""
    require(by, "payment.approve", ledger=ledger, subject=reference)
    on = on or dt.date.today()
    with ledger.transaction() as tx:
        payment = pay.lock_payment(tx.conn, reference)
        request = _open(tx.conn, payment)
        second_officer(
            request.requested_by, by, _("requested the {what}").format(what=request.what)
        )
        if on < request.on:
            raise WorkflowError(
                _("approval on {on} is before the request of {asked}: approve from {asked}").format(
                    on=on, asked=request.on
                )
            )
        note = f"requested by {request.requested_by}"
        if request.kind == "return":
            reason = f"{request.reason} ({note})"
            pay.post_return(tx, payment, reason=reason, on=request.on, by=by)
            result = reference
        else:
            result = pay.post_reissue(
                tx, payment, account=request.account, on=on, by=by, note=f" ({note})",
                paid_by=request.requested_by,
            )  # fmt: skip
        _decide(tx, request, "approved", on=on, by=by, detail=f"{note} on {request.on}")
    return _requests_of(ledger, request.id), pay.find_payment(ledger, result)


def reject_request(
    ledger: Ledger, reference: str, *, by: Officer, reason: str, on: dt.date | None = None
) -> PaymentRequest:
    """Refuse the payment's open request (审核: ``payment.reject``): nothing is posted."""
    require(by, "payment.reject", ledger=ledger, subject=reference)
    if not reason.strip():
        raise WorkflowError(_("a rejection needs a reason"))
    with ledger.transaction() as tx:
        request = _open(tx.conn, pay.lock_payment(tx.conn, reference))
        _decide(tx, request, "rejected", on=on or dt.date.today(), by=by, detail=reason.strip())
    return _requests_of(ledger, request.id)


def _requests_of(ledger: Ledger, request_id: int) -> PaymentRequest:
    with ledger.reading() as conn:
        return _requests(conn, payment_requests.c.id == request_id)[0]
