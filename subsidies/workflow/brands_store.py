"""The brand registry: brands and their lifecycle events in the database, and the checks
that keep brand money away from a suspended or removed brand.

A 统一社会信用代码 is one unit with one name: a brand added under another name for a
registered code is refused until the change of name (名称变更) is recorded as a rename.

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
from sqlalchemy import Connection, func, select

from ledgers import Ledger, listed, one_of
from subsidies import brands as lifecycle
from subsidies.domain.i18n import _, pgettext, separator
from subsidies.domain.text import count_text
from subsidies.workflow.base import Officer, WorkflowError, audit, now
from subsidies.workflow.permissions import require
from subsidies.workflow.tables import (
    brand_events,
    brands,
    decisions,
    payment_events,
    payments,
    unit_renames,
)

CAUSES = {
    **{c.name.lower(): c for c in lifecycle.RectificationCause},
    **{c.name.lower(): c for c in lifecycle.InterviewCause},
    **{c.name.lower(): c for c in lifecycle.RemovalCause},
}


@dataclass(frozen=True)
class Rename:
    """A unit's change of name (名称变更), recorded with its reason and who recorded it."""

    credit_code: str
    old_name: str
    new_name: str
    on: dt.date
    reason: str
    by: str


@dataclass(frozen=True)
class Registered:
    id: int
    brand: lifecycle.Brand  # under the unit's current name
    events: tuple[lifecycle.BrandEvent, ...]
    renames: tuple[Rename, ...] = ()  # the unit's, oldest first

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
                _(
                    "{brand}: no lifecycle recorded (营人社〔2023〕43号 governs 市级 brands only)"
                ).format(brand=self.brand.brand_name),
            )
        return lifecycle.payable(status)


def level_name(level: str) -> str:
    """A brand's level (认定级别, a stable code: ``city``) in the officer's language."""
    names = {
        "city": pgettext("brand level", "city-level (市级)"),
        "provincial": pgettext("brand level", "provincial (省级)"),
        "district": pgettext("brand level", "district-level (县级)"),
    }
    return names.get(str(level), str(level))


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


def _renames(conn: Connection, codes: list[str]) -> dict[str, list[Rename]]:
    """The renames of each of the credit ``codes``, oldest first."""
    rows = conn.execute(
        select(
            unit_renames.c.credit_code,
            unit_renames.c.old_name,
            unit_renames.c.new_name,
            unit_renames.c.on_date,
            unit_renames.c.reason,
            unit_renames.c.by,
        )
        .where(one_of(unit_renames.c.credit_code, "codes"))
        .order_by(unit_renames.c.id),
        {"codes": listed(conn, codes)},
    ).all()
    found: dict[str, list[Rename]] = {}
    for row in rows:
        found.setdefault(row[0], []).append(Rename(*row))
    return found


def _load(conn: Connection, *where, params: dict | None = None) -> list[Registered]:
    """The registered brands ``where`` says (its lists bound by ``params``), with their events."""
    rows = conn.execute(select(brands).where(*where).order_by(brands.c.id), params or {}).all()
    renames = _renames(conn, sorted({r.credit_code for r in rows}))
    out = []
    for r in rows:
        events = conn.execute(
            select(brand_events).where(brand_events.c.brand_id == r.id).order_by(brand_events.c.id)
        ).all()
        renamed = tuple(renames.get(r.credit_code, ()))
        unit_name = renamed[-1].new_name if renamed else r.unit_name
        brand = lifecycle.Brand(unit_name, r.credit_code, r.brand_name, r.level, r.recognised_on)
        out.append(Registered(r.id, brand, tuple(_event(e) for e in events), renamed))
    return out


def unit_name(conn: Connection, credit_code: str) -> str | None:
    """The unit's current name in the registry (after its renames), or None if no brand of
    it is registered."""
    regs = _load(conn, brands.c.credit_code == credit_code)
    return regs[-1].brand.unit_name if regs else None


def _refuse_second_name(conn: Connection, brand: lifecycle.Brand) -> None:
    """One 统一社会信用代码 is one unit with one name: another name needs a recorded rename."""
    current = unit_name(conn, brand.credit_code)
    new = brand.unit_name.strip()
    if current is not None and current != new:
        raise WorkflowError(
            _(
                "统一社会信用代码 {code} is registered to {current}, not {new}: a unit has one "
                "name. If it was renamed, record the rename (名称变更) first"
            ).format(code=brand.credit_code, current=current, new=new),
            command=f'subsidies brand rename {brand.credit_code} {new} --reason "…" [--on DATE]',
        )


def add(ledger: Ledger, brand: lifecycle.Brand, *, by: Officer) -> Registered:
    """Register a recognised brand (经办: ``brand.register``); the same again returns it."""
    require(by, "brand.register", ledger=ledger, subject=brand.brand_name)
    with ledger.transaction() as tx:
        _refuse_second_name(tx.conn, brand)
        existing = _load(
            tx.conn,
            brands.c.credit_code == brand.credit_code,
            brands.c.brand_name == brand.brand_name,
        )
        if existing:
            if existing[0].brand != brand:
                old = existing[0].brand
                raise WorkflowError(
                    _(
                        "brand {brand} of {code} is already registered differently: {unit}, "
                        "{level}, recognised on {on}"
                    ).format(
                        brand=brand.brand_name,
                        code=brand.credit_code,
                        unit=old.unit_name,
                        level=level_name(old.level),
                        on=old.recognised_on,
                    )
                )
            return existing[0]
        tx.insert(
            brands,
            credit_code=brand.credit_code,
            brand_name=brand.brand_name,
            unit_name=brand.unit_name.strip(),
            level=str(brand.level),
            recognised_on=brand.recognised_on,
            by=by.username,
            at=now(),
        )
        audit(tx, by, "brand.add", f"{brand.credit_code}/{brand.brand_name}", str(brand.level))
        return _load(
            tx.conn,
            brands.c.credit_code == brand.credit_code,
            brands.c.brand_name == brand.brand_name,
        )[0]


def rename(
    ledger: Ledger,
    credit_code: str,
    new_name: str,
    *,
    reason: str,
    by: Officer,
    on: dt.date | None = None,
) -> Rename:
    """Record that the unit with ``credit_code`` is now called ``new_name`` (名称变更; 经办:
    ``brand.register``)."""
    require(by, "brand.register", ledger=ledger, subject=credit_code)
    code, new = credit_code.strip().upper(), new_name.strip()
    if not reason.strip():
        raise WorkflowError(_("a rename needs a reason (e.g. the 工商变更登记 and its date)"))
    if not new:
        raise WorkflowError(_("a rename needs the unit's new name"))
    with ledger.transaction() as tx:
        old = unit_name(tx.conn, code)
        if old is None:
            raise WorkflowError(
                _("no registered brand has 统一社会信用代码 {code}").format(code=code)
            )
        if old == new:
            raise WorkflowError(
                _("统一社会信用代码 {code} is already registered as {name}").format(
                    code=code, name=new
                )
            )
        done = Rename(code, old, new, on or dt.date.today(), reason.strip(), by.username)
        tx.insert(
            unit_renames,
            credit_code=code,
            old_name=old,
            new_name=new,
            on_date=done.on,
            reason=done.reason,
            by=by.username,
            at=now(),
        )
        audit(tx, by, "brand.rename", code, f"{old} -> {new}: {done.reason}")
    return done


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
            _("{found} match {what}; name one by its brand name or registry id").format(
                found=count_text(len(found), "{n} registered brand", "{n} registered brands"),
                what=name_or_code,
            )
        )
    return found[0]


def record(
    ledger: Ledger, reg: Registered, event: lifecycle.BrandEvent, *, by: Officer
) -> Registered:
    """Append a lifecycle event after checking the whole sequence stays possible (经办:
    ``brand.register``)."""
    require(by, "brand.register", ledger=ledger, subject=reg.brand.brand_name)
    if reg.brand.level is not lifecycle.Level.CITY:
        raise WorkflowError(
            _(
                "{brand} is {level}: the lifecycle of 营人社〔2023〕43号 第十五条–第二十条 "
                "governs 市级 brands only"
            ).format(brand=reg.brand.brand_name, level=level_name(reg.brand.level))
        )
    try:
        lifecycle.append_event(reg.brand, reg.events, event)
    except (lifecycle.BrandEventError, ValueError) as error:
        raise WorkflowError(str(error)) from None
    with ledger.transaction() as tx:
        tx.insert(brand_events, brand_id=reg.id, by=by.username, at=now(), **_event_row(event))
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
    listed_units = {"units": listed(conn, sorted(units))}
    for reg in _load(conn, one_of(brands.c.credit_code, "units"), params=listed_units):
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
            out[index] = separator().join(
                _("brand {brand} not payable: {why}").format(brand=r.brand.brand_name, why=why)
                for r, (_ok, why) in zip(regs, verdicts, strict=True)
            )
    return out


@dataclass(frozen=True)
class PaidClaim:
    """A claim paid to a brand's unit: what was paid and not returned, and its payments."""

    program_id: str
    claim_id: str
    amount_fen: int
    references: tuple[str, ...]


@dataclass(frozen=True)
class PaidFor:
    """The claims paid to a brand's unit, by whether they were paid for the brand."""

    brand: tuple[PaidClaim, ...]  # paid for this brand
    undecided: tuple[PaidClaim, ...]  # naming no brand, while the unit has several
    unit_brands: tuple[str, ...]  # the unit's registered brands


def paid_for_brand(conn: Connection, reg: Registered) -> PaidFor:
    """The claims paid (payments not returned) for the brand ``reg``.

    A claim carries its brand in the calculator's ``brand_unit`` (统一社会信用代码) and
    ``brand_name`` columns: one naming a brand is this brand's only if it names this one;
    one naming none (a program whose claims carry only the unit) is this brand's when it is
    the unit's one registered brand, and undecided otherwise — a person decides, it is
    never taken by the credit code alone.
    """
    from calculators.registry import calculator

    code = reg.brand.credit_code
    unit_brands = tuple(r.brand.brand_name for r in _load(conn, brands.c.credit_code == code))
    returned = select(payment_events.c.payment_id).where(payment_events.c.kind == "returned")
    rows = conn.execute(
        select(
            payments.c.program_id,
            payments.c.claim_id,
            payments.c.amount_fen,
            payments.c.reference,
            decisions.c.input_json,
        )
        .join(
            decisions,
            (decisions.c.batch_id == payments.c.batch_id)
            & (decisions.c.claim_id == payments.c.claim_id),
        )
        .where(payments.c.id.not_in(returned), func.upper(decisions.c.input_json).contains(code))
        .order_by(payments.c.id)
    ).all()
    found: dict[tuple[str, str], tuple[bool, list]] = {}
    for program_id, claim_id, fen, reference, input_json in rows:
        calc = calculator(program_id)
        claim = json.loads(input_json)
        if not calc.brand_unit or str(claim.get(calc.brand_unit) or "").strip().upper() != code:
            continue
        named = str(claim.get(calc.brand_name) or "").strip() if calc.brand_name else ""
        if named and named != reg.brand.brand_name:
            continue
        mine = bool(named) or unit_brands == (reg.brand.brand_name,)
        found.setdefault((program_id, claim_id), (mine, []))[1].append((int(fen), reference))
    claims = {
        key: PaidClaim(*key, sum(f for f, _ in paid), tuple(r for _, r in paid))
        for key, (_, paid) in found.items()
    }
    return PaidFor(
        brand=tuple(c for key, c in claims.items() if found[key][0]),
        undecided=tuple(c for key, c in claims.items() if not found[key][0]),
        unit_brands=unit_brands,
    )
