"""``subsidies programs | show | template | calc``: the rules, and claims decided by them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
import pandas as pd

from calculators.evaluate import evaluate
from calculators.parameters import unit_name
from calculators.registry import UnknownProgram, calculator, calculators
from subsidies.claimfile import ClaimFileError, read_claims
from subsidies.cli.options import AS_OF, SHEET
from subsidies.cli.progress import progress_bars
from subsidies.cli.summary import print_decisions
from subsidies.domain.i18n import ENGLISH, _, language, pgettext, separator
from subsidies.domain.text import count_text
from subsidies.tablefile import write_table

CHUNK = 100_000


def _calculator(program_id: str):
    try:
        return calculator(program_id)
    except UnknownProgram as error:
        raise click.ClickException(str(error)) from None


def _name(program) -> str:
    """A program's name: Chinese, and in English both."""
    if language() == ENGLISH:
        return f"{program.name_zh} / {program.name_en}"
    return program.name_zh


def _either(text: str) -> str:
    """A parameter file's "中文 / English" description in the officer's language."""
    chinese, sep, english = text.partition(" / ")
    return english if sep and language() == ENGLISH else chinese


@click.command()
@AS_OF
def programs(as_of: dt.date | None) -> None:
    """List the programs: id, names, amounts in force, document status, citation."""
    on = as_of or dt.date.today()
    for calc_ in calculators():
        p = calc_.program
        click.echo(f"{p.id}  {_name(p)}")
        doc = p.document
        state = _("not yet in force") if on < p.in_force_from else doc.status_zh
        click.echo(
            "    "
            + _("{citation} — {title} ({issuer}, {issued}; {state})").format(
                citation=p.citation,
                title=doc.title,
                issuer=doc.issuer,
                issued=doc.issued_on,
                state=state,
            )
        )
        shown = []
        for parameter in p.parameters.values():
            value = parameter.at(on)
            if value is not None and parameter.unit == "yuan":
                shown.append(f"{_either(parameter.description)} {parameter.show(value)}")
        if shown:
            click.echo("    " + separator().join(shown))


@click.command()
@click.argument("program_id", metavar="PROGRAM")
def show(program_id: str) -> None:
    """A program's parameters with their history and the quoted article."""
    p = _calculator(program_id).program
    doc = p.document
    kinds = {"payout": _("payout"), "loan": _("loan"), "assessment": _("recognition standard")}
    click.echo(f"{p.id}  {_name(p)}  [{kinds.get(p.kind, p.kind)}]")
    click.echo(_("document: {number} {title}").format(number=doc.number, title=doc.title))
    state = doc.status_zh + (separator() + doc.note if doc.note else "")
    click.echo(
        _("          {issuer}, issued {issued}, in force from {effective} ({state})").format(
            issuer=doc.issuer, issued=doc.issued_on, effective=doc.effective_from, state=state
        )
    )
    click.echo(_("article:  {article}").format(article=p.article))
    click.echo(_("quote:    「{quote}」").format(quote=p.quote))
    if p.event_date:
        column = _calculator(program_id).template.column(p.event_date)
        dated = pgettext("column", "{name} {label}").format(name=column.name, label=column.label)
        click.echo(
            _("dated by: {column} (the parameters in force on that date apply)").format(
                column=dated
            )
        )
    for note in p.notes:
        click.echo(_("note:     {note}").format(note=_either(note)))
    for parameter in p.parameters.values():
        unit = unit_name(parameter.unit)
        click.echo(f"\n{parameter.name} — {_either(parameter.description)} [{unit}]")
        for value in parameter.values:
            click.echo(
                "  "
                + _("from {start}: {value}   ({citation})").format(
                    start=value.start, value=parameter.show(value), citation=value.citation
                )
            )
            if value.quote:
                click.echo(f"      「{value.quote}」")
            if value.note:
                click.echo(_("      ({note})").format(note=_either(value.note)))


@click.command()
@click.argument("program_id", metavar="PROGRAM")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def template(program_id: str, output: Path) -> None:
    """Write an empty claims template (.csv or .xlsx) with the program's headers."""
    if output.suffix.lower() not in (".csv", ".xlsx"):
        raise click.ClickException(f"{output}: a template is written as .csv or .xlsx")
    tpl = _calculator(program_id).template
    headers = [c.label for c in tpl.columns]
    if output.suffix.lower() == ".xlsx":
        _write_template_xlsx(tpl, output)
    else:
        pd.DataFrame(columns=headers).to_csv(output, index=False, encoding="utf-8-sig")
    click.echo(f"wrote {output}: {', '.join(headers)}")


def _write_template_xlsx(tpl, output: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    book = Workbook()
    sheet = book.active
    sheet.title = "claims"
    for position, column in enumerate(tpl.columns, start=1):
        cell = sheet.cell(row=1, column=position, value=column.label)
        note = column.describe() + ("" if column.required else " — optional")
        cell.comment = Comment(note, "subsidies")
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(12, len(column.label) * 2 + 4)
        if column.kind in ("resident_id", "credit_code", "party_id", "text"):
            for row in range(2, 1001):
                sheet.cell(row=row, column=position).number_format = "@"
    book.save(output)


@click.command()
@click.argument("program_id", metavar="PROGRAM")
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Results file: .csv (default) or .xlsx.",
)
@AS_OF
@SHEET
def calc(
    program_id: str, input_path: Path, output: Path, as_of: dt.date | None, sheet: str | None
) -> None:
    """Decide every claim in INPUT and write one result row per input row."""
    calc_ = _calculator(program_id)
    on = as_of or dt.date.today()
    with progress_bars() as progress:
        try:
            claims = read_claims(input_path, calc_.template, sheet, progress)
        except ClaimFileError as error:
            raise click.ClickException(str(error)) from None
        result = evaluate(
            calc_,
            claims.raw,
            as_of=on,
            numeric=claims.numeric,
            rows=claims.source_rows,
            chunk=CHUNK,
            progress=progress,
        )
        table, typed = claims.with_results(result, calc_.template)
        sheet_name = pgettext("sheet", "results")
        write_table(table, output, sheet=sheet_name, typed=typed, progress=progress)
    shown = count_text(len(result), "{n} claim", "{n} claims")
    click.echo(
        _("{program}: {claims} from {input} -> {output}").format(
            program=calc_.program.id, claims=shown, input=input_path, output=output
        )
    )
    print_decisions(result)


def register(main: click.Group) -> None:
    for command in (programs, show, template, calc):
        main.add_command(command)
