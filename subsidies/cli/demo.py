"""``subsidies demo [-o DIR]``: the whole job on a fresh embedded ledger."""

from __future__ import annotations

import time
from pathlib import Path

import click

from subsidies.domain.i18n import _


@click.command()
@click.option(
    "-o",
    "--output",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("subsidies-demo"),
    show_default=True,
    help="Folder for the demo's ledger and files.",
)
def demo(folder: Path) -> None:
    """Fund, decide, notice, approve, pay, reconcile and report — every program, in one run."""
    from subsidies.demo.run import run

    start = time.perf_counter()

    def progress(text: str) -> None:
        click.echo(f"[{time.perf_counter() - start:5.1f}s] {text}")

    try:
        summary = run(folder, progress)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo("\n" + _("summary"))
    for line in summary.lines:
        click.echo(f"  {line}")
    click.echo("\n" + _("accounts (each step was taken by the officer whose role allows it):"))
    for line in summary.accounts:
        click.echo(f"  {line}")
    click.echo(
        "\n"
        + _(
            "ledger: {db}  (try: export SUBSIDIES_DB={db}; subsidies login sun; "
            "subsidies batch list)"
        ).format(db=summary.db)
    )
    click.echo(_("files:"))
    for path in summary.files:
        click.echo(f"  {path}")
    click.echo(_("done in {seconds:.1f}s").format(seconds=time.perf_counter() - start))


def register(main: click.Group) -> None:
    main.add_command(demo)
