"""``subsidies batch submit | list | show | notice | approve | reject``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from subsidies.cli.options import (
    BY,
    ON,
    SHEET,
    DateParam,
    db_option,
    in_a_folder,
    officer,
    print_table,
    reader,
    workflow,
)
from subsidies.cli.progress import progress_bars
from subsidies.cli.summary import print_decisions
from subsidies.domain.i18n import _
from subsidies.domain.money import format_yuan_grouped, yuan
from subsidies.domain.text import count_text
from subsidies.tablefile import write_table
from subsidies.workflow import batches as wf
from subsidies.workflow import privacy
from subsidies.workflow.registers import publish


@click.group()
def batch() -> None:
    """Payout batches: submit, publish the notice (公示), approve or reject."""


@batch.command()
@click.argument("program_id", metavar="PROGRAM")
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--fund", "fund_code", required=True, help="The fund the batch draws on.")
@BY
@click.option("--as-of", type=DateParam(), default=None)
@click.option(
    "--notice-days",
    type=click.IntRange(min=0),
    default=None,
    help="Working days of public notice (公示) before approval: at least the program's "
    "minimum (`subsidies show PROGRAM`: notice_working_days), which is the default.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    callback=in_a_folder,
    help="Also write the decisions (.csv or .xlsx).",
)
@SHEET
@db_option
def submit(program_id, input_path, fund_code, as_of, notice_days, output, sheet, db) -> None:
    """Decide the claims in INPUT and record them as a batch (no money moves; 经办)."""
    with workflow(db) as ledger, progress_bars() as progress:
        by = officer()
        found, result = wf.submit(
            ledger,
            program_id,
            input_path,
            fund_code=fund_code,
            by=by,
            as_of=as_of,
            notice_days=notice_days,
            sheet=sheet,
            progress=progress,
        )
    if output:
        columns = ["claim_id", "status", "amount", "reasons", "citation"]
        typed = {"amount": ("fen", result["amount_fen"])}
        with progress_bars() as progress:
            write_table(
                result[columns], output, sheet="批次审核结果", typed=typed, progress=progress
            )
    click.echo(
        _("batch {code}: {program}, {claims}, fund {fund}, by {by}").format(
            code=found.code,
            program=program_id,
            claims=count_text(len(result), "{n} claim", "{n} claims"),
            fund=fund_code,
            by=by,
        )
    )
    print_decisions(result)
    payable = (result["status"] == "eligible") & (result["amount_fen"] > 0)
    if not payable.any():
        click.echo(
            _(
                "next: nothing to pay, so no notice (公示) to publish; correct the claims and "
                "submit again"
            )
        )
    elif notice_days:
        click.echo(_("next: subsidies batch notice {code} -o notice.pdf").format(code=found.code))
    else:
        click.echo(
            _("next: a checker (审核) approves it: subsidies batch approve {code}").format(
                code=found.code
            )
        )


@batch.command(name="list")
@db_option
def list_(db) -> None:
    """Every batch with its program, fund, state and eligible total."""
    with workflow(db) as ledger:
        rows = [
            [
                _("batch"),
                _("program"),
                _("fund"),
                _("state"),
                _("submitted by"),
                _("claims"),
                _("eligible 元"),
            ]
        ]
        for b in wf.list_batches(ledger):
            d = wf.batch_decisions(ledger, b.code)
            eligible = d[d["status"] == "eligible"]["amount_fen"].sum()
            rows.append(
                [
                    b.code,
                    b.program_id,
                    b.fund_code,
                    b.state,
                    b.submitted_by,
                    str(len(d)),
                    format_yuan_grouped(int(eligible)),
                ]
            )
    print_table(rows, right={5, 6})


@batch.command()
@click.argument("code", metavar="BATCH")
@click.option("--claims/--no-claims", default=False, help="List every decision too.")
@db_option
def show(code, claims, db) -> None:
    """A batch: its source, events and decisions by status."""
    with workflow(db) as ledger:
        b = wf.get(ledger, code)
        d = wf.batch_decisions(ledger, code)
    click.echo(
        _("batch {code}  {program}  fund {fund}  state {state}").format(
            code=b.code, program=b.program_id, fund=b.fund_code, state=b.state
        )
    )
    click.echo(
        _("  source {file}; as of {as_of}; notice {days} working days").format(
            file=b.source_file, as_of=b.as_of, days=b.notice_days
        )
    )
    click.echo(
        _("  submitted by {by} at {at}").format(
            by=b.submitted_by, at=f"{b.submitted_at:%Y-%m-%d %H:%M}"
        )
    )
    for e in b.events:
        click.echo(
            _("  {kind} on {on} by {by}: {detail}").format(
                kind=e["kind"], on=e["on_date"], by=e["by"], detail=e["detail"]
            )
        )
    for status, group in d.groupby("status"):
        click.echo(
            f"  {status:<10} {len(group):>8}   {format_yuan_grouped(int(group['amount_fen'].sum())):>18} 元"
        )
    if claims:
        viewer = reader()
        for r in d.itertuples():
            reasons = privacy.text(r.reasons, viewer)
            click.echo(
                _("  row {row} {claim} {status} {amount}: {reasons}").format(
                    row=r.row_no,
                    claim=r.claim_id,
                    status=r.status,
                    amount=yuan(int(r.amount_fen)),
                    reasons=reasons,
                )
            )


@batch.command()
@click.argument("code", metavar="BATCH")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    callback=in_a_folder,
    help="The notice: .xlsx or .pdf",
)
@ON
@BY
@click.option("--unit", default="", help="编制单位, the issuing unit in the title block.")
@db_option
def notice(code, output, on, unit, db) -> None:
    """Write the public notice (公示) and record its publication date, all or nothing (经办).

    Writing it again on the same day reprints it; on a later day the period restarts.
    """
    if output.suffix.lower() not in (".xlsx", ".pdf"):
        raise click.ClickException(
            _("{file}: the notice is written as .xlsx or .pdf").format(file=output)
        )
    on = on or dt.date.today()
    with workflow(db) as ledger, progress_bars() as progress:
        b, total = publish(ledger, code, output, on=on, by=officer(), unit=unit, progress=progress)
    published = b.event("notice_published")["on_date"]
    click.echo(
        _("notice for batch {code}: {total} -> {file}; published {on}").format(
            code=code, total=yuan(total), file=output, on=published
        )
    )


@batch.command()
@click.argument("code", metavar="BATCH")
@BY
@ON
@db_option
def approve(code, on, db) -> None:
    """Approve (审核, never the submitter) and post an accrual for every eligible claim."""
    with workflow(db) as ledger:
        by = officer()
        with progress_bars() as progress:
            b, posted = wf.approve(ledger, code, by=by, on=on, progress=progress)
        available = ledger.available(b.fund_code)
    click.echo(
        _(
            "batch {code} approved by {by}: {accruals} posted; fund {fund} available {available}"
        ).format(
            code=code,
            by=by,
            accruals=count_text(posted, "{n} accrual", "{n} accruals"),
            fund=b.fund_code,
            available=yuan(available),
        )
    )


@batch.command()
@click.argument("code", metavar="BATCH")
@BY
@click.option("--reason", required=True)
@ON
@db_option
def reject(code, reason, on, db) -> None:
    """Reject a batch (审核); its claims take no one-time keys and can be resubmitted."""
    with workflow(db) as ledger:
        by = officer()
        wf.reject(ledger, code, by=by, reason=reason, on=on)
    click.echo(_("batch {code} rejected by {by}: {reason}").format(code=code, by=by, reason=reason))


def register(main: click.Group) -> None:
    main.add_command(batch)
