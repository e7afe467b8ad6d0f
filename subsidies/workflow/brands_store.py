"""The brand registry: brands and their lifecycle events in the database, and the checks
that keep brand money away from a suspended or removed brand.

The lifecycle itself (status, deadlines, what is due next) is :mod:`subsidies.brands`,
营人社〔2023〕43号 第十五条–第二十二条, which governs city-level (市级) brands; brands of
other levels are registered without a lifecycle. That a suspended or removed brand is
not paid, and that one removed for fraud (第二十条(四)) owes back what it received, is
this product's reading (docs/policies/README.md, "Brand lifecycle").
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, select

from ledgers import Ledger
from subsidies import brands as lifecycle
from subsidies.workflow.base import WorkflowError, audit, now
from subsidies.workflow.tables import brand_events, brands, decisions, payment_events, payments

CAUSES = {
    **{c.name.lower(): c for c in lifecycle.RectificationCause},
    **{c.name.lower(): c for c in lifecycle.InterviewCause},
    **{c.name.lower(): c for c in lifecycle.RemovalCause},
}


@dataclass(frozen=True)
class Registered:
    id: int
    brand: lifecycle.Brand
    events: tuple[lifecycle.BrandEvent, ...]

    def status(self, on: dt.date) -> lifecycle.BrandStatus | None:
        """The lifecycle status on ``on`` (city-level brands; ``None`` for other levels)."""
        if self.brand.level is not lifecycle.Level.CITY or on < self.brand.recognised_on:
            return None
        return lifecycle.status_on(self.brand, self.events, on)

    def payable(self, on: dt.date) -> tuple[bool, str]:
        status = self.status(on)
        if status is None:
            return (
                True,
                f"{self.brand.brand_name}: no lifecycle recorded (营人社〔2023〕43号 governs 市级 brands)",
            )
        return lifecycle.payable(status)


def _event_row(event: lifecycle.BrandEvent) -> dict:
    return {
        "kind": str(event.kind),
        "on_date": event.on,
        "cause": event.cause.name.lower() if event.cause else None,
        "passed": event.passed,
        "for_year": event.for_year,
        "note": event.note,
    }


def _event(row) -> lifecycle.BrandEvent:
    return lifecycle.BrandEvent(
        kind=lifecycle.EventKind(row.kind),
        on=row.on_date,
        cause=CAUSES[row.cause] if row.cause else None,
        passed=row.passed,
        for_year=row.for_year,
        note=row.note,
    )


def _load(conn: Connection, *where) -> list[Registered]:
    rows = conn.execute(select(brands).where(*where).order_by(brands.c.id)).all()
    out = []
    for r in rows:
        events = conn.execute(
            select(brand_events).where(brand_events.c.brand_id == r.id).order_by(brand_events.c.id)
        ).all()
        brand = lifecycle.Brand(r.unit_name, r.credit_code, r.brand_name, r.level, r.recognised_on)
        out.append(Registered(r.id, brand, tuple(_event(e) for e in events)))
    return out


def add(ledger: Ledger, brand: lifecycle.Brand, *, by: str) -> Registered:
    with ledger.transaction() as tx:
        existing = _load(
            tx.conn,
            brands.c.credit_code == brand.credit_code,
            brands.c.brand_name == brand.brand_name,
        )
        if existing:
            if existing[0].brand != brand:
                raise WorkflowError(
                    f"brand {brand.brand_name} of {brand.credit_code} is already "
                    f"registered differently: {existing[0].brand}"
                )
            return existing[0]
        tx.insert(
            brands,
            credit_code=brand.credit_code,
            brand_name=brand.brand_name,
            unit_name=brand.unit_name,
            level=str(brand.level),
            recognised_on=brand.recognised_on,
            by=by,
            at=now(),
        )
        audit(tx, by, "brand.add", f"{brand.credit_code}/{brand.brand_name}", str(brand.level))
        return _load(
            tx.conn,
            brands.c.credit_code == brand.credit_code,
            brands.c.brand_name == brand.brand_name,
        )[0]


def registered(ledger: Ledger) -> list[Registered]:
    with ledger.reading() as conn:
        return _load(conn)


def find(ledger: Ledger, name_or_code: str) -> Registered:
    found = [
        r
        for r in registered(ledger)
        if name_or_code in (r.brand.brand_name, r.brand.credit_code, str(r.id))
    ]
    if len(found) != 1:
        raise WorkflowError(
            f"{len(found)} registered brands match {name_or_code!r}; "
            "name one by its brand name or registry id"
        )
    return found[0]


def record(ledger: Ledger, reg: Registered, event: lifecycle.BrandEvent, *, by: str) -> Registered:
    """Append a lifecycle event after checking the whole sequence stays possible."""
    if reg.brand.level is not lifecycle.Level.CITY:
        raise WorkflowError(
            f"{reg.brand.brand_name} is {reg.brand.level}: the lifecycle of "
            "营人社〔2023〕43号 第十五条–第二十条 governs 市级 brands"
        )
    try:
        lifecycle.append_event(reg.brand, reg.events, event)
    except (lifecycle.BrandEventError, ValueError) as error:
        raise WorkflowError(str(error)) from None
    with ledger.transaction() as tx:
        tx.insert(brand_events, brand_id=reg.id, by=by, at=now(), **_event_row(event))
        audit(
            tx,
            by,
            f"brand.{event.kind}",
            reg.brand.brand_name,
            event.cause.cite() if event.cause else event.note,
        )
        return _load(tx.conn, brands.c.id == reg.id)[0]


def refusals(conn: Connection, calc, claims: pd.DataFrame, on: dt.date) -> pd.Series:
    """For each claim, "" or why its brand may not be paid on ``on`` (suspended or removed).

    A claim naming its brand is checked against that brand only (a unit's other, suspended
    brand does not stop it); a claim naming none is refused only when none of its unit's
    registered brands may be paid.
    """
    out = pd.Series("", index=claims.index, dtype=object)
    if calc.brand_unit is None or calc.brand_unit not in claims:
        return out
    units = set(claims[calc.brand_unit].dropna())
    if not units:
        return out
    by_unit: dict[str, list[Registered]] = {}
    for reg in _load(conn, brands.c.credit_code.in_(units)):
        by_unit.setdefault(reg.brand.credit_code, []).append(reg)
    if not by_unit:
        return out
    for index, unit in claims[calc.brand_unit].items():
        regs = by_unit.get(unit)
        if not regs:
            continue
        named = claims.at[index, calc.brand_name] if calc.brand_name in claims else None
        if isinstance(named, str) and named.strip():
            regs = [r for r in regs if r.brand.brand_name == named.strip()]
            if not regs:  # a brand of this unit not (yet) in the registry
                continue
        verdicts = [r.payable(on) for r in regs]
        if not any(ok for ok, _ in verdicts):
            out[index] = "brand " + "; ".join(
                f"{r.brand.brand_name}: {why}" for r, (_, why) in zip(regs, verdicts, strict=True)
            )
    return out


def paid_claims_of_unit(conn: Connection, credit_code: str) -> list[tuple[str, str]]:
    """(program, claim) pairs with a payment not returned, whose brand unit is ``credit_code``."""
    from calculators.registry import calculator

    returned = select(payment_events.c.payment_id).where(payment_events.c.kind == "returned")
    rows = conn.execute(
        select(payments.c.program_id, payments.c.claim_id, decisions.c.input_json)
        .join(
            decisions,
            (decisions.c.batch_id == payments.c.batch_id)
            & (decisions.c.claim_id == payments.c.claim_id),
        )
        .where(payments.c.id.not_in(returned))
    ).all()
    found = []
    for program_id, claim_id, input_json in rows:
        unit_column = calculator(program_id).brand_unit
        if (
            unit_column
            and json.loads(input_json).get(unit_column, "").strip().upper() == credit_code
        ):
            found.append((program_id, claim_id))
    return list(dict.fromkeys(found))
