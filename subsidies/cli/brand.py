"""``subsidies brand add | list | show | event | recover | rename``: the brand registry, its
lifecycle, the recoveries of a brand removed for fraud and the renames of a unit."""

from __future__ import annotations

import datetime as dt

import click

from subsidies import brands as lifecycle
from subsidies.cli.options import BY, DateParam, db_option, officer, print_table, workflow
from subsidies.domain.i18n import _
from subsidies.domain.money import yuan
from subsidies.domain.text import count_text
from subsidies.workflow import brand_recovery, brands_store

LEVELS = {
    "provincial": "provincial",
    "省级": "provincial",
    "city": "city",
    "市级": "city",
    "district": "district",
    "区级": "district",
    "县级": "district",
}


@click.group()
def brand() -> None:
    """The brand registry (营人社〔2023〕43号 第十五条–第二十二条 lifecycle for 市级 brands)."""


@brand.command()
@click.argument("unit_name")
@click.argument("credit_code")
@click.argument("brand_name")
@click.option("--level", type=click.Choice(sorted(LEVELS)), default="city", show_default=True)
@click.option("--recognised-on", "recognised_on", type=DateParam(), required=True)
@BY
@db_option
def add(unit_name, credit_code, brand_name, level, recognised_on, db) -> None:
    """Register a recognised brand (经办)."""
    try:
        new = lifecycle.Brand(unit_name, credit_code, brand_name, LEVELS[level], recognised_on)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    with workflow(db) as ledger:
        reg = brands_store.add(ledger, new, by=officer())
    click.echo(
        _("brand #{id} {name} ({unit}, {code}) {level}, recognised {on}").format(
            id=reg.id,
            name=reg.brand.brand_name,
            unit=reg.brand.unit_name,
            code=reg.brand.credit_code,
            level=reg.brand.level,
            on=reg.brand.recognised_on,
        )
    )


@brand.command(name="list")
@click.option("--on", "on", type=DateParam(), default=None)
@db_option
def list_(on, db) -> None:
    """Every brand with its status and next deadline."""
    on = on or dt.date.today()
    with workflow(db) as ledger:
        regs = brands_store.registered(ledger)
    rows = [["#", _("brand"), _("unit"), _("credit code"), _("level"), _("status"), _("next")]]
    for reg in regs:
        status = reg.status(on)
        state = status.status.value if status else "—"
        step = status.next_step.text if status and status.next_step else ""
        rows.append(
            [
                str(reg.id),
                reg.brand.brand_name,
                reg.brand.unit_name,
                reg.brand.credit_code,
                str(reg.brand.level),
                state,
                step,
            ]
        )
    print_table(rows)


@brand.command()
@click.argument("which", metavar="BRAND")
@click.option("--on", "on", type=DateParam(), default=None)
@db_option
def show(which, on, db) -> None:
    """A brand's status, deadlines, events and the articles behind them."""
    on = on or dt.date.today()
    with workflow(db) as ledger:
        reg = brands_store.find(ledger, which)
    b = reg.brand
    click.echo(
        _("brand #{id} {name} — {unit} ({code}), {level}, recognised {on}").format(
            id=reg.id,
            name=b.brand_name,
            unit=b.unit_name,
            code=b.credit_code,
            level=b.level,
            on=b.recognised_on,
        )
    )
    for r in reg.renames:
        click.echo(
            _("  renamed on {on} from {old} to {new} by {by}: {reason}").format(
                on=r.on, old=r.old_name, new=r.new_name, by=r.by, reason=r.reason
            )
        )
    status = reg.status(on)
    ok, why = reg.payable(on)
    if status is not None:
        click.echo(
            _("status on {on}: {status}; suspensions so far {n}").format(
                on=on, status=status.status.value, n=status.suspensions
            )
        )
        for deadline in status.deadlines:
            click.echo(
                _("  due {due}: {kind} ({article})").format(
                    due=deadline.due, kind=deadline.kind, article=deadline.article
                )
            )
        if status.next_step:
            click.echo(_("  next: {step}").format(step=status.next_step.text))
        for reason in status.reasons:
            click.echo(f"  · {reason}")
    click.echo((_("payable: ") if ok else _("not payable: ")) + why)


@brand.command()
@click.argument("which", metavar="BRAND")
@click.argument("kind", type=click.Choice([k.value for k in lifecycle.EventKind]))
@click.option("--on", "on", type=DateParam(), required=True)
@click.option(
    "--cause",
    type=click.Choice(sorted(brands_store.CAUSES)),
    default=None,
    help="The article's ground (rectification, interview, removal).",
)
@click.option("--passed/--failed", default=None, help="A review's outcome.")
@click.option("--for-year", type=int, default=None, help="The year an annual report covers.")
@click.option("--note", default="")
@BY
@db_option
def event(which, kind, on, cause, passed, for_year, note, db) -> None:
    """Record a lifecycle step; a removal for fraud (第二十条(四)) lists what is to be
    recovered for the brand (`subsidies brand recover BRAND --confirm` raises it)."""
    try:
        step = lifecycle.BrandEvent(
            kind=lifecycle.EventKind(kind),
            on=on,
            cause=brands_store.CAUSES[cause] if cause else None,
            passed=passed,
            for_year=for_year,
            note=note,
        )
    except (lifecycle.BrandEventError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    with workflow(db) as ledger:
        reg = brands_store.record(ledger, brands_store.find(ledger, which), step, by=officer())
        status = reg.status(on)
        click.echo(
            _("{brand}: {kind} on {on}; status {status}").format(
                brand=reg.brand.brand_name,
                kind=kind,
                on=on,
                status=status.status.value if status else "—",
            )
        )
        if step.kind is lifecycle.EventKind.REMOVED and step.cause is brand_recovery.FRAUD:
            _show(brand_recovery.plan(ledger, reg))


@brand.command()
@click.argument("which", metavar="BRAND")
@click.option(
    "--confirm", is_flag=True, help="Raise the recoveries listed (without it: only list them)."
)
@BY
@click.option(
    "--on", "on", type=DateParam(), default=None, help="Date of the recoveries (default today)."
)
@db_option
def recover(which, confirm, on, db) -> None:
    """List what a brand removed for fraud (第二十条(四)) owes back; --confirm raises it.

    Only payments made for that brand are taken: a claim naming the brand, or naming none
    when it is its unit's one registered brand — never the unit's other brands.
    """
    with workflow(db) as ledger:
        reg = brands_store.find(ledger, which)
        if not confirm:
            _show(brand_recovery.plan(ledger, reg))
            return
        done = brand_recovery.confirm(ledger, reg, by=officer(), on=on)
    for c in done.due:
        click.echo(
            _("recovery raised: {program} {claim} {amount}").format(
                program=c.program_id, claim=c.claim_id, amount=yuan(c.amount_fen)
            )
        )
    click.echo(
        _("{brand}: recovery raised on {claims}, {total} receivable (1218)").format(
            brand=reg.brand.brand_name, claims=_claims(len(done.due)), total=yuan(done.total_fen)
        )
    )
    if done.undecided:
        click.echo(
            _("{claims} naming no brand not taken: subsidies brand recover {id} lists them").format(
                claims=_claims(len(done.undecided)), id=reg.id
            )
        )


@brand.command()
@click.argument("credit_code")
@click.argument("new_name")
@click.option("--reason", required=True, help="Why (e.g. the 工商变更登记 and its date).")
@click.option("--on", "on", type=DateParam(), default=None, help="Date of the change of name.")
@BY
@db_option
def rename(credit_code, new_name, reason, on, db) -> None:
    """Record a unit's change of name (名称变更, 经办): its brands are shown under the new one."""
    with workflow(db) as ledger:
        done = brands_store.rename(
            ledger, credit_code, new_name, reason=reason, by=officer(), on=on
        )
    click.echo(
        _("{code}: {old} renamed {new} on {on} ({reason})").format(
            code=done.credit_code,
            old=done.old_name,
            new=done.new_name,
            on=done.on,
            reason=done.reason,
        )
    )


def _claims(n: int) -> str:
    return count_text(n, "{n} claim", "{n} claims")


def _claim_line(c: brands_store.PaidClaim) -> str:
    return f"  {c.program_id}  {c.claim_id}  {yuan(c.amount_fen)}  {','.join(c.references)}"


def _show(plan: brand_recovery.BrandRecovery) -> None:
    """The list a person checks before `brand recover … --confirm`."""
    b = plan.brand.brand
    click.echo(
        _("to recover for {brand} ({grounds}): {claims}, {total}").format(
            brand=b.brand_name,
            grounds=plan.grounds,
            claims=_claims(len(plan.due)),
            total=yuan(plan.total_fen),
        )
    )
    for c in plan.due:
        click.echo(_claim_line(c))
    if plan.raised:
        click.echo(_("already recovered:"))
        for c in plan.raised:
            click.echo(_claim_line(c))
    if plan.undecided:
        brands = ", ".join(plan.unit_brands)
        click.echo(
            _(
                "not taken, for a person to decide (if paid for {brand}: subsidies recover "
                "CLAIM --program PROGRAM --reason …):"
            ).format(brand=b.brand_name)
        )
        for c in plan.undecided:
            click.echo(
                _("{line}: names no brand, and {code} has {brands} ({names})").format(
                    line=_claim_line(c),
                    code=b.credit_code,
                    brands=count_text(
                        len(plan.unit_brands), "{n} registered brand", "{n} registered brands"
                    ),
                    names=brands,
                )
            )
    if plan.due:
        click.echo(
            _("confirm (审核): subsidies brand recover {id} --confirm [--on DATE]").format(
                id=plan.brand.id
            )
        )


def register(main: click.Group) -> None:
    main.add_command(brand)
