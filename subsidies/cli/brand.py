"""``subsidies brand add | list | show | event``: the brand registry and its lifecycle."""

from __future__ import annotations

import datetime as dt

import click

from subsidies import brands as lifecycle
from subsidies.cli.options import BY, DateParam, db_option, print_table, workflow
from subsidies.domain.money import format_yuan_grouped
from subsidies.workflow import brands_store, payments
from subsidies.workflow.base import WorkflowError

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
def add(unit_name, credit_code, brand_name, level, recognised_on, by, db) -> None:
    """Register a recognised brand."""
    try:
        new = lifecycle.Brand(unit_name, credit_code, brand_name, LEVELS[level], recognised_on)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    with workflow(db) as ledger:
        reg = brands_store.add(ledger, new, by=by)
    click.echo(
        f"brand #{reg.id} {reg.brand.brand_name} ({reg.brand.unit_name}, {reg.brand.credit_code}) "
        f"{reg.brand.level}, recognised {reg.brand.recognised_on}"
    )


@brand.command(name="list")
@click.option("--on", "on", type=DateParam(), default=None)
@db_option
def list_(on, db) -> None:
    """Every brand with its status and next deadline."""
    on = on or dt.date.today()
    with workflow(db) as ledger:
        regs = brands_store.registered(ledger)
    rows = [["#", "brand", "unit", "credit code", "level", "status", "next"]]
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
        f"brand #{reg.id} {b.brand_name} — {b.unit_name} ({b.credit_code}), {b.level}, "
        f"recognised {b.recognised_on}"
    )
    status = reg.status(on)
    ok, why = reg.payable(on)
    if status is not None:
        click.echo(
            f"status on {on}: {status.status.value}; suspensions so far {status.suspensions}"
        )
        for deadline in status.deadlines:
            click.echo(f"  due {deadline.due}: {deadline.kind} ({deadline.article})")
        if status.next_step:
            click.echo(f"  next: {status.next_step.text}")
        for reason in status.reasons:
            click.echo(f"  · {reason}")
    click.echo(("payable: " if ok else "") + why)


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
def event(which, kind, on, cause, passed, for_year, note, by, db) -> None:
    """Record a lifecycle step; a removal for fraud (第二十条(四)) raises recoveries."""
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
        reg = brands_store.record(ledger, brands_store.find(ledger, which), step, by=by)
        status = reg.status(on)
        click.echo(
            f"{reg.brand.brand_name}: {kind} on {on}; status {status.status.value if status else '—'}"
        )
        if lifecycle.recovery_required(reg.events):
            with ledger.reading() as conn:
                claims = brands_store.paid_claims_of_unit(conn, reg.brand.credit_code)
            for program_id, claim_id in claims:
                try:
                    fen = payments.raise_recovery(
                        ledger,
                        program_id,
                        claim_id,
                        by=by,
                        on=on,
                        reason=f"{reg.brand.brand_name} removed for fraud ({lifecycle.RemovalCause.FRAUD.cite()})",
                    )
                except WorkflowError as error:  # already raised earlier
                    click.echo(f"  {program_id} {claim_id}: {error}")
                    continue
                click.echo(
                    f"  recovery raised: {program_id} {claim_id} {format_yuan_grouped(fen)} 元"
                )


def register(main: click.Group) -> None:
    main.add_command(brand)
