"""``subsidies demo [-o DIR]``: the whole job on a fresh embedded ledger."""

from __future__ import annotations

import time
from pathlib import Path

import click


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
    click.echo("\nsummary")
    for line in summary.lines:
        click.echo(f"  {line}")
    click.echo("\naccounts (each step was taken by the officer whose role allows it):")
    for line in summary.accounts:
        click.echo(f"  {line}")
    click.echo(
        f"\nledger: {summary.db}  (try: export SUBSIDIES_DB={summary.db}; subsidies login sun; "
        "subsidies batch list)"
    )
    click.echo("files:")
    for path in summary.files:
        click.echo(f"  {path}")
    click.echo(f"done in {time.perf_counter() - start:.1f}s")


def register(main: click.Group) -> None:
    main.add_command(demo)
