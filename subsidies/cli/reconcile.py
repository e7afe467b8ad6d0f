"""``subsidies reconcile STATEMENT [--layout NAME] [-o REPORT]`` and ``reconcile resolve | layouts``."""

from __future__ import annotations

from pathlib import Path

import click

from reports.document import Report
from reports.output import WRITERS, write
from subsidies.cli.options import BY, SHEET, DateParam, db_option, officer, workflow
from subsidies.cli.progress import progress_bars
from subsidies.domain.i18n import _
from subsidies.domain.money import yuan
from subsidies.domain.text import count_text
from subsidies.workflow import reconcile as recon
from subsidies.workflow.reconcile_report import build
from subsidies.workflow.statements import StatementError, layouts, load_layout


class _StatementFirst(click.Group):
    """``reconcile FILE …`` runs the import; ``reconcile resolve …`` and ``layouts`` are commands."""

    def parse_args(self, ctx, args):
        if not any(a in self.commands for a in args[:1]) and not {"-h", "--help"} & set(args):
            args = ["statement", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_StatementFirst)
def reconcile() -> None:
    """Reconcile disbursements against bank and treasury statements."""


WINDOW = click.option(
    "--window-days",
    type=click.IntRange(min=0),
    default=7,
    show_default=True,
    help="Days after payment within which a line without reference may match.",
)
STALE = click.option(
    "--stale-days",
    type=click.IntRange(min=0),
    default=30,
    show_default=True,
    help="A pending payment with no bank line after this many days is an exception.",
)


def _report_path(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Refuse a report this command could not write, before anything is imported."""
    if value is None:
        return None
    if value.suffix.lower() not in WRITERS:
        wrong = (
            _("{file}: a report is .pdf, .xlsx or .csv, not {suffix!r}")
            if value.suffix
            else _("{file}: a report is .pdf, .xlsx or .csv; the name has no suffix")
        )
        raise click.ClickException(wrong.format(file=value, suffix=value.suffix))
    if not value.parent.is_dir():
        raise click.ClickException(
            _("{file}: no folder {folder} for the report").format(file=value, folder=value.parent)
        )
    return value


def _write_report(report: Report, output: Path) -> None:
    try:
        with progress_bars() as progress:
            write(report, output, progress)
    except OSError as error:
        raise click.ClickException(
            _("{file}: the report cannot be written: {error}").format(file=output, error=error)
        ) from None


@reconcile.command(name="statement")
@click.argument("path", metavar="STATEMENT", type=click.Path(path_type=Path))
@click.option("--layout", default="default", show_default=True, help="A layout name or YAML file.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    callback=_report_path,
    help="The report: .pdf, .xlsx or .csv",
)
@WINDOW
@STALE
@click.option(
    "--as-of", type=DateParam(), default=None, help="For staleness (default: the latest line)."
)
@SHEET
@BY
@db_option
def statement(path, layout, output, window_days, stale_days, as_of, sheet, db) -> None:
    """Import STATEMENT (re-importing changes nothing), match, settle and list exceptions (对账)."""
    with workflow(db) as ledger:
        try:
            outcome = recon.reconcile(
                ledger,
                path,
                load_layout(layout),
                by=officer(),
                window_days=window_days,
                stale_days=stale_days,
                as_of=as_of,
                sheet=sheet,
            )
        except StatementError as error:
            raise click.ClickException(str(error)) from None
        exceptions = recon.open_exceptions(
            ledger, window_days=window_days, stale_days=stale_days, as_of=as_of
        )
        st = recon.statement(ledger)
    click.echo(
        _("{file}: {new}, {already} already imported").format(
            file=path,
            new=count_text(outcome.imported, "{n} new line", "{n} new lines"),
            already=count_text(outcome.already, "{n} line", "{n} lines"),
        )
    )
    click.echo(
        _("  settled {settled}, returned {returned}, exceptions {exceptions}").format(
            settled=_lines(len(outcome.settle)),
            returned=_lines(len(outcome.returned)),
            exceptions=_lines(len(exceptions)),
        )
    )
    for kind, label in recon.EXCEPTION_TYPES.items():
        n = int((exceptions["type"] == kind).sum())
        if n:
            click.echo(_("    {kind}: {count}").format(kind=label, count=_lines(n)))
    state = (
        _("balanced")
        if st.difference == 0
        else _("difference {amount}").format(amount=yuan(st.difference))
    )
    click.echo(
        _("  调节表: ledger {ledger} = bank {bank} ({state})").format(
            ledger=yuan(st.adjusted_ledger), bank=yuan(st.adjusted_bank), state=state
        )
    )
    if output:
        _write_report(build(outcome, exceptions, st, source=str(path)), output)
        click.echo(_("  report -> {file}").format(file=output))


def _lines(n: int) -> str:
    """A count of statement lines or exceptions: ``1,234 笔``."""
    return count_text(n, "{n} line", "{n} lines")


@reconcile.command()
@click.argument("line_id", metavar="LINE", type=int)
@click.argument("reference", metavar="PAYMENT")
@click.option("--reason", required=True)
@BY
@db_option
def resolve(line_id, reference, reason, db) -> None:
    """Match an exception's bank LINE to a PAYMENT by hand (对账; recorded in the audit log)."""
    with workflow(db) as ledger:
        click.echo(recon.resolve(ledger, line_id, reference, reason=reason, by=officer()))


@reconcile.command(name="report")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    callback=_report_path,
    help="The report: .pdf, .xlsx or .csv",
)
@WINDOW
@STALE
@click.option("--as-of", type=DateParam(), default=None)
@db_option
def report(output, window_days, stale_days, as_of, db) -> None:
    """The current exceptions and 银行存款余额调节表, without importing anything."""
    with workflow(db) as ledger:
        exceptions = recon.open_exceptions(
            ledger, window_days=window_days, stale_days=stale_days, as_of=as_of
        )
        st = recon.statement(ledger)
    _write_report(build(None, exceptions, st, source="全部对账单"), output)
    click.echo(
        _("{exceptions}; report -> {file}").format(
            exceptions=count_text(len(exceptions), "{n} exception", "{n} exceptions"), file=output
        )
    )


@reconcile.command(name="layouts")
def layouts_command() -> None:
    """The built-in statement layouts."""
    for name in layouts():
        layout = load_layout(name)
        click.echo(f"{name}: {layout.description}")
        for field, headers in layout.columns.items():
            click.echo(f"    {field}: {' / '.join(headers)}")


def register(main: click.Group) -> None:
    main.add_command(reconcile)
