"""追回 for a brand removed for fraud (营人社〔2023〕43号 第二十条(四)), listed, then confirmed.

That a brand removed for fraud owes back what was paid for it is this product's reading
(docs/policies/README.md "Brand lifecycle"). A recovery follows the brand, not the unit:
what is taken back is the payments made for that brand (:func:`brands_store.paid_for_brand`),
never a payment to the same unit for its other brand in good standing. The list comes
first, for a person to check (:func:`plan`); :func:`confirm` raises exactly the recoveries
the list shows, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection

from ledgers import Ledger
from subsidies import brands as lifecycle
from subsidies.domain.i18n import _
from subsidies.domain.text import count_text
from subsidies.workflow import brands_store
from subsidies.workflow import payments as pay
from subsidies.workflow.base import Officer, WorkflowError
from subsidies.workflow.permissions import require

FRAUD = lifecycle.RemovalCause.FRAUD


@dataclass(frozen=True)
class BrandRecovery:
    """What a fraud removal takes back: ``due`` on confirmation; ``raised`` earlier;
    ``undecided`` claims name no brand while the unit has several (a person decides)."""

    brand: brands_store.Registered
    removed_on: dt.date
    due: tuple[brands_store.PaidClaim, ...]
    raised: tuple[brands_store.PaidClaim, ...]
    undecided: tuple[brands_store.PaidClaim, ...]
    unit_brands: tuple[str, ...]

    @property
    def total_fen(self) -> int:
        return sum(c.amount_fen for c in self.due)

    @property
    def grounds(self) -> str:
        return _("removed for fraud on {on}, {citation}").format(
            on=self.removed_on, citation=FRAUD.cite()
        )

    @property
    def reason(self) -> str:
        """The recoveries' reason, as the ledger and the audit log keep it."""
        return f"{self.brand.brand.brand_name} {self.grounds}"


def removed_for_fraud_on(reg: brands_store.Registered) -> dt.date:
    """The date of the brand's removal for fraud, or a refusal saying it was not."""
    removals = [e for e in reg.events if e.kind is lifecycle.EventKind.REMOVED and e.cause is FRAUD]
    if not removals:
        raise WorkflowError(
            _(
                "{brand} was not removed for fraud ({article}): nothing is recovered for it; a "
                "claim paid in error is recovered on its own"
            ).format(brand=reg.brand.brand_name, article=FRAUD.article),
            command="subsidies recover CLAIM",
        )
    return removals[-1].on


def _plan(conn: Connection, reg: brands_store.Registered) -> BrandRecovery:
    removed_on = removed_for_fraud_on(reg)
    paid = brands_store.paid_for_brand(conn, reg)
    owed = {c: pay.recovery_balance(conn, c.program_id, c.claim_id)[0] > 0 for c in paid.brand}
    return BrandRecovery(
        brand=reg,
        removed_on=removed_on,
        due=tuple(c for c in paid.brand if not owed[c]),
        raised=tuple(c for c in paid.brand if owed[c]),
        undecided=paid.undecided,
        unit_brands=paid.unit_brands,
    )


def plan(ledger: Ledger, reg: brands_store.Registered) -> BrandRecovery:
    """What a confirmation would recover for the brand (nothing is recorded)."""
    with ledger.reading() as conn:
        return _plan(conn, reg)


def confirm(
    ledger: Ledger, reg: brands_store.Registered, *, by: Officer, on: dt.date | None = None
) -> BrandRecovery:
    """Raise the recovery of every claim :func:`plan` lists as due, in one transaction;
    returns the plan that was carried out (审核: ``recovery.raise``)."""
    require(by, "recovery.raise", ledger=ledger, subject=reg.brand.brand_name)
    on = on or dt.date.today()
    with ledger.transaction() as tx:
        done = _plan(tx.conn, reg)
        if on < done.removed_on:
            raise WorkflowError(
                _("a recovery on {on} is before the removal on {removed}").format(
                    on=on, removed=done.removed_on
                )
            )
        if not done.due:
            raise WorkflowError(
                _(
                    "nothing left to recover for {brand}: {raised} already recovered, "
                    "{undecided} naming no brand left to a person"
                ).format(
                    brand=reg.brand.brand_name,
                    raised=count_text(len(done.raised), "{n} claim", "{n} claims"),
                    undecided=count_text(len(done.undecided), "{n} claim", "{n} claims"),
                )
            )
        for c in done.due:
            pay.post_recovery(tx, c.program_id, c.claim_id, reason=done.reason, by=by, on=on)
    return done
