"""Report commands: ``subsidies report plan|execution|register|notice … -o FILE.pdf|.xlsx|.csv``.

``plan`` prices a scenario (``examples/scenarios/*.yaml``) from the calculators' dated
parameters; ``--vary NAME=VALUE`` or ``--compare OTHER.yaml`` prints the plan beside the
changed one. ``execution`` reads the ledger (``--db``), ``register`` and ``notice`` a
payout batch. A refusal is one line on stderr and a non-zero exit; so is an execution
report that does not match the trial balance (the report is written, saying where).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import nullcontext
from functools import wraps
from pathlib import Path

import click

from calculators.parameters import CatalogueError
from calculators.pricing import PricingError
from calculators.registry import UnknownProgram
from reports import output
from reports.fonts import FontError
from reports.register_report import notice_report
from reports.scenario import ScenarioError
from reports.whatif import VaryError
from subsidies.cli.options import DATE, db_option, open_ledger
from subsidies.domain.money import format_yuan_grouped
from subsidies.workflow.batches import WorkflowError
from subsidies.workflow.registers import notice as batch_notice
from subsidies.workflow.report_files import execution_file, plan_file, register_file

PERIOD = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2]))?$")
REFUSALS = (
    ScenarioError,
    PricingError,
    VaryError,
    WorkflowError,
    UnknownProgram,
    CatalogueError,
    output.OutputError,
    FontError,
    OSError,
)


def _refusals(command: Callable) -> Callable:
    """Every expected refusal becomes a one-line ClickException."""

    @wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except REFUSALS as error:
            raise click.ClickException(str(error)) from None

    return run


def _out(command: Callable) -> Callable:
    command = click.option(
        "-o",
        "--output",
        "out",
        required=True,
        type=click.Path(path_type=Path),
        help="The report file: .pdf, .xlsx or .csv.",
    )(command)
    return click.option(
        "--unit", default="", help="编制单位, the issuing unit in the title block."
    )(command)


def periods(text: str | None) -> tuple[str | None, str | None]:
    """``2024`` → 2024-01..2024-12, ``2024-06`` → that month, ``2024-01..2024-06`` → the range."""
    if not text:
        return None, None
    first, _, last = text.partition("..")
    bounds = []
    for part, is_last in ((first, False), (last or first, True)):
        match = PERIOD.match(part.strip())
        if not match:
            raise click.BadParameter(
                f"{part!r}: write YYYY, YYYY-MM or YYYY-MM..YYYY-MM", param_hint="--period"
            )
        year, month = match.groups()
        bounds.append(f"{year}-{month or ('12' if is_last else '01')}")
    if bounds[0] > bounds[1]:
        raise click.BadParameter(
            f"{text}: the first month is after the last", param_hint="--period"
        )
    return bounds[0], bounds[1]


@click.group("report")
def report() -> None:
    """Budget plans, what-ifs, budget execution, payout registers and notices (PDF/XLSX/CSV)."""


@report.command("plan")
@click.argument("scenario", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--vary",
    "varies",
    multiple=True,
    metavar="NAME=VALUE",
    help="Change a program amount (PROGRAM.PARAMETER=YUAN) or a scenario field "
    "(top_up_share=50%, PROGRAM.count=N, level=city); repeatable.",
)
@click.option(
    "--compare",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A second scenario to set beside the first.",
)
@click.option(
    "--db",
    envvar="SUBSIDIES_DB",
    metavar="URL",
    help="Read appropriations from this ledger for the funds it has [env SUBSIDIES_DB]; "
    "otherwise from the scenario's appropriations.",
)
@_out
@_refusals
def plan_command(
    scenario: Path,
    varies: tuple[str, ...],
    compare: Path | None,
    db: str | None,
    out: Path,
    unit: str,
) -> None:
    """Price SCENARIO's planned counts, by year × program × fund, against appropriations."""
    with open_ledger(db) if db else nullcontext() as ledger:
        plans = plan_file(scenario, out, varies=varies, compare=compare, ledger=ledger, unit=unit)
    base, final = plans.base, plans.final
    if not plans.compared:
        click.echo(f"plan {format_yuan_grouped(base.total)} 元 in {len(base.priced)} priced lines")
    else:
        click.echo(
            f"plan {format_yuan_grouped(base.total)} 元 -> changed {format_yuan_grouped(final.total)} 元 "
            f"(difference {format_yuan_grouped(final.total - base.total)} 元)"
        )
    for row in final.by_fund():
        against = (
            ""
            if row.difference is None
            else (
                f", appropriated {format_yuan_grouped(row.appropriated)} ({row.source}), difference {format_yuan_grouped(row.difference)}"
            )
        )
        click.echo(f"  {row.fund}: planned {format_yuan_grouped(row.planned)}{against}")
    click.echo(f"-> {out}")


@report.command("execution")
@click.option("--fund", "fund_code", metavar="CODE", help="One fund (default: every fund).")
@click.option("--period", metavar="YYYY[-MM][..YYYY-MM]", help="Months shown (default: all).")
@db_option
@_out
@_refusals
def execution_command(
    fund_code: str | None, period: str | None, db: str | None, out: Path, unit: str
) -> None:
    """Budget execution (预算执行) by fund, program and month, checked against the trial balance."""
    first, last = periods(period)
    with open_ledger(db) as ledger:
        result = execution_file(ledger, out, fund=fund_code, first=first, last=last, unit=unit)
    for code in result.funds:
        f = result.fund_figures(code)
        click.echo(
            f"{code}: appropriated {format_yuan_grouped(f.appropriated)}, net spent "
            f"{format_yuan_grouped(f.net_spent)}, available {format_yuan_grouped(result.available(code))}"
        )
    click.echo(f"-> {out}")
    if not result.reconciled:
        raise click.ClickException(
            "the report does not match the trial balance: see its table 与试算平衡表核对"
        )
    click.echo("matches the trial balance to the fen")


@report.command("register")
@click.argument("batches", nargs=-1)
@click.option("--program", metavar="PROGRAM", help="Every approved batch of this program.")
@db_option
@_out
@_refusals
def register_command(
    batches: tuple[str, ...], program: str | None, db: str | None, out: Path, unit: str
) -> None:
    """Payout register (发放明细表) of BATCHES, with masked names and numbers and totals."""
    with open_ledger(db) as ledger:
        reg = register_file(ledger, out, list(batches), program, unit)
    click.echo(
        f"{reg.program_id}: {len(reg.lines):,} payouts, {format_yuan_grouped(reg.total)} 元 -> {out}"
    )


@report.command("notice")
@click.argument("batch")
@click.option("--on", "on", type=DATE, help="Publication date if not yet recorded (default today).")
@db_option
@_out
@_refusals
def notice_command(batch: str, on, db: str | None, out: Path, unit: str) -> None:
    """The public notice (公示) of BATCH: payees masked, amounts, the notice period."""
    with open_ledger(db) as ledger:
        found = batch_notice(ledger, batch, on.date() if on else None)
    output.write(notice_report(found, unit), out)
    click.echo(
        f"notice {found.published_on}..{found.ends_on} ({found.working_days} working days) -> {out}"
    )


def register(main: click.Group) -> None:
    main.add_command(report)
