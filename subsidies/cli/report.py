"""Report commands: ``subsidies report plan|execution|register|notice … -o FILE.pdf|.xlsx|.csv``.

``plan`` prices a scenario (``examples/scenarios/*.yaml``) from the calculators' dated
parameters; ``--vary NAME=VALUE`` or ``--compare OTHER.yaml`` prints the plan beside the
changed one. ``execution`` reads the ledger (``--db``), ``register`` and ``notice`` a
payout batch. Each prints what it wrote in the officer's language, with bars while it
reads and writes. A refusal is one line on stderr and a non-zero exit; so is an execution
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
from subsidies.cli.progress import progress_bars
from subsidies.domain.i18n import _
from subsidies.domain.money import yuan
from subsidies.domain.text import count_text
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
    first, _dots, last = text.partition("..")
    bounds = []
    for part, is_last in ((first, False), (last or first, True)):
        match = PERIOD.match(part.strip())
        if not match:
            raise click.BadParameter(
                _("{part!r}: write YYYY, YYYY-MM or YYYY-MM..YYYY-MM").format(part=part),
                param_hint="--period",
            )
        year, month = match.groups()
        bounds.append(f"{year}-{month or ('12' if is_last else '01')}")
    if bounds[0] > bounds[1]:
        raise click.BadParameter(
            _("{period}: the first month is after the last").format(period=text),
            param_hint="--period",
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
    with open_ledger(db) if db else nullcontext() as ledger, progress_bars() as progress:
        plans = plan_file(
            scenario,
            out,
            varies=varies,
            compare=compare,
            ledger=ledger,
            unit=unit,
            progress=progress,
        )
    base, final = plans.base, plans.final
    if not plans.compared:
        lines = count_text(len(base.priced), "{n} priced line", "{n} priced lines")
        click.echo(_("plan {total} in {lines}").format(total=yuan(base.total), lines=lines))
    else:
        click.echo(
            _("plan {base} -> changed {final} (difference {difference})").format(
                base=yuan(base.total),
                final=yuan(final.total),
                difference=yuan(final.total - base.total),
            )
        )
    for row in final.by_fund():
        click.echo(_fund_line(row))
    _written(out)


def _fund_line(row) -> str:
    """A fund's planned money, and the appropriation beside it where there is one."""
    if row.difference is None:
        return _("  {fund}: planned {planned}").format(fund=row.fund, planned=yuan(row.planned))
    return _(
        "  {fund}: planned {planned}, appropriated {appropriated} ({source}), "
        "difference {difference}"
    ).format(
        fund=row.fund,
        planned=yuan(row.planned),
        appropriated=yuan(row.appropriated),
        source=row.source,
        difference=yuan(row.difference),
    )


def _written(out: Path) -> None:
    click.echo(_("report -> {file}").format(file=out))


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
    with open_ledger(db) as ledger, progress_bars() as progress:
        result = execution_file(
            ledger, out, fund=fund_code, first=first, last=last, unit=unit, progress=progress
        )
    for code in result.funds:
        f = result.fund_figures(code)
        click.echo(
            _(
                "{fund}: appropriated {appropriated}, net spent {spent}, available {available}"
            ).format(
                fund=code,
                appropriated=yuan(f.appropriated),
                spent=yuan(f.net_spent),
                available=yuan(result.available(code)),
            )
        )
    _written(out)
    if not result.reconciled:
        raise click.ClickException(
            _("the report does not match the trial balance: see its table 与试算平衡表核对")
        )
    click.echo(_("matches the trial balance to the fen"))


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
    with open_ledger(db) as ledger, progress_bars() as progress:
        reg = register_file(ledger, out, list(batches), program, unit, progress)
    click.echo(
        _("{program}: {payouts}, {total} -> {file}").format(
            program=reg.program_id,
            payouts=count_text(len(reg.lines), "{n} payout", "{n} payouts"),
            total=yuan(reg.total),
            file=out,
        )
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
    with progress_bars() as progress:
        output.write(notice_report(found, unit), out, progress)
    click.echo(
        _("notice {first}..{last} ({days}) -> {file}").format(
            first=found.published_on,
            last=found.ends_on,
            days=count_text(found.working_days, "{n} working day", "{n} working days"),
            file=out,
        )
    )


def register(main: click.Group) -> None:
    main.add_command(report)
