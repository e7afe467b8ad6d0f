"""What every command shares: the options (``--db``, ``--on``, ``--as-of``), opening the
ledger as the signed-in officer with every failure as a one-line message, and printing a
table.

A ledger that has officers is read and written only signed in (``subsidies login``): the
session token comes from ``$SUBSIDIES_TOKEN`` or the file :mod:`subsidies.cli.session`
keeps. ``--by`` is gone: given, it is refused, saying how to sign in. A refusal is one
line on stderr and a non-zero exit; nothing a command prints is a traceback.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from calculators.registry import UnknownProgram
from ledgers import Ledger, LedgerError
from subsidies.claimfile import ClaimFileError
from subsidies.cli import session
from subsidies.domain.i18n import _
from subsidies.workflow.base import Officer, WorkflowError
from subsidies.workflow.officers import NotSignedIn, has_officers, officer_for_token


class DateParam(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date (YYYY-MM-DD)", param, ctx)


SHEET = click.option(
    "--sheet",
    default=None,
    metavar="NAME",
    help="The worksheet to read in an XLSX workbook (default: the first with the header).",
)
AS_OF = click.option(
    "--as-of",
    type=DateParam(),
    default=None,
    help="Date whose parameters apply where a claim has no date of its own (default: today).",
)


DATE = click.DateTime(formats=["%Y-%m-%d"])


def db_option(command: Callable) -> Callable:
    return click.option(
        "--db",
        envvar="SUBSIDIES_DB",
        metavar="URL",
        help="Database URL or SQLite file [env SUBSIDIES_DB; default ./subsidies.db].",
    )(command)


NOT_SIGNED_IN = "请先登录：subsidies login（脚本可设置环境变量 SUBSIDIES_TOKEN）"


def _sign_in(led: Ledger) -> None:
    """Find who runs this command (kept for :func:`officer`): on a ledger with officers,
    the signed-in officer, else the command is refused; on one without, nobody."""
    found = None
    if has_officers(led):
        token = session.token(led)
        if not token:
            raise click.ClickException(f"这个账本需要登录才能使用。{NOT_SIGNED_IN}")
        try:
            found = officer_for_token(led, token)
        except NotSignedIn as error:
            raise click.ClickException(error.for_cli()) from None
    click.get_current_context().meta["subsidies.officer"] = found


def officer() -> Officer:
    """The signed-in officer taking this command's step."""
    found = click.get_current_context().meta.get("subsidies.officer")
    if found is None:
        raise click.ClickException(
            "这个账本还没有用户：先用 subsidies init --admin USERNAME --name 姓名 创建第一位"
            "管理员，再 subsidies login"
        )
    return found


def reader() -> Officer | None:
    """Who reads (None on a ledger without officers, where nobody signs in)."""
    return click.get_current_context().meta.get("subsidies.officer")


@contextmanager
def open_ledger(
    db: str | None, *, require_schema: bool = True, signed_in: bool = True
) -> Iterator[Ledger]:
    """A ledger for one command, as the signed-in officer (unless ``signed_in`` is False:
    ``init``, ``login``); every failure becomes a one-line ClickException."""
    try:
        led = Ledger.connect(db)
    except (ArgumentError, ImportError, ValueError) as exc:
        raise click.ClickException(
            _("cannot open database {db!r}: {error}").format(db=db, error=exc)
        ) from None
    try:
        if require_schema:
            led.require_schema()
        if signed_in:
            _sign_in(led)
        yield led
    except LedgerError as exc:
        raise click.ClickException(str(exc)) from None
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise click.ClickException(_("database error: {detail}").format(detail=detail)) from None
    finally:
        led.close()


def day_of(value: dt.datetime | None) -> dt.date | None:
    """A click DateTime option's date."""
    return value.date() if value is not None else None


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clip(text: str, width: int) -> str:
    while _width(text) > width:
        text = text[:-2] + "…"
    return text


def print_table(rows: list[list[str]], right: set[int] = frozenset()) -> None:
    """Print rows as columns, padded by display width (a Chinese character is two)."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [
            " " * (w - _width(cell)) + cell if i in right else cell + " " * (w - _width(cell))
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        click.echo("  ".join(cells).rstrip())


@contextmanager
def workflow(db: str | None) -> Iterator:
    with open_ledger(db) as ledger:
        try:
            yield ledger
        except WorkflowError as error:
            raise click.ClickException(error.for_cli()) from None
        except (ClaimFileError, UnknownProgram, ValueError, OSError) as error:
            raise click.ClickException(str(error)) from None


def _no_by(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        raise click.ClickException(
            f"--by 已取消：每一步都以登录的用户身份记录，不能代填姓名。{NOT_SIGNED_IN}"
        )


BY = click.option("--by", hidden=True, expose_value=False, callback=_no_by, is_eager=True)
ON = click.option(
    "--on", "on", type=DateParam(), default=None, help="Date of the step (default today)."
)


def in_a_folder(ctx: click.Context, param: click.Parameter, path: Path | None) -> Path | None:
    """Refuse a file the command could not write, before anything is recorded."""
    if path is not None and not path.parent.is_dir():
        raise click.ClickException(
            _("{file}: no folder {folder} to write it in").format(file=path, folder=path.parent)
        )
    return path
