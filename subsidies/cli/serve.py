"""``subsidies serve``: the officers' console in the browser (issue #16)."""

from __future__ import annotations

from pathlib import Path

import click

from subsidies.cli.options import db_option
from subsidies.domain.i18n import _


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--files",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("console-files"),
    show_default=True,
    help="Folder for uploaded claims and statements and the files the console writes.",
)
@click.option(
    "--https/--no-https",
    default=False,
    help="The console is reached over HTTPS (a proxy in front): session cookies are Secure.",
)
@db_option
def serve(host: str, port: int, files: Path, https: bool, db: str | None) -> None:
    """Serve the console (Chinese) on HOST:PORT over the ledger at --db."""
    import uvicorn

    from subsidies.console.app import create_app
    from subsidies.console.settings import Settings

    try:
        app = create_app(Settings(db=db or "subsidies.db", files=files, https=https))
    except Exception as error:  # noqa: BLE001 - one line, never a traceback
        raise click.ClickException(
            _("cannot serve the ledger {db!r}: {error}").format(db=db, error=error)
        ) from None
    click.echo(_("console on http://{host}:{port}/ (Ctrl+C stops it)").format(host=host, port=port))
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(main: click.Group) -> None:
    main.add_command(serve)
