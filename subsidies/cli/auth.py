"""Officers at the command line: ``subsidies init | login | logout | whoami | passwd``,
``subsidies user add | list | roles | disable | passwd``, ``subsidies permissions`` and
``subsidies setting``.

A password is typed at a hidden prompt, or read from the first line of ``--password-file``
(for scripts); it is never an option's value (it would stay in the shell's history) and
never printed.
"""

from __future__ import annotations

import getpass
import socket
from pathlib import Path

import click

from subsidies.cli import session
from subsidies.cli.options import db_option, officer, open_ledger, print_table
from subsidies.domain.i18n import _
from subsidies.workflow import officers as accounts
from subsidies.workflow.base import Officer, WorkflowError
from subsidies.workflow.permissions import ROLES, TABLE, role_names

PASSWORD_FILE = click.option(
    "--password-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Read the password from the first line of this file (for scripts) instead of a prompt.",
)
NEW_PASSWORD_FILE = click.option(
    "--new-password-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Read the new password from the first line of this file instead of a prompt.",
)


def _read_password(path: Path | None, prompt: str, *, confirm: bool = False) -> str:
    if path is not None:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        if not lines or not lines[0]:
            raise click.ClickException(f"{path}: 第一行应是密码，文件是空的")
        return lines[0]
    return click.prompt(prompt, hide_input=True, confirmation_prompt=confirm)


def _source() -> str:
    """Where a CLI sign-in comes from: the OS user at the host."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "?"
    return f"{user}@{socket.gethostname()}"


def _who(o: Officer) -> str:
    return f"{o.username}（{o.name}，{role_names(o.roles)}）"


def _role_codes(values: tuple[str, ...]) -> list[str]:
    """Role codes from codes or Chinese names (``checker`` or ``审核``), comma-separated too."""
    by_name = {name: code for code, name in ROLES.items()}
    return [by_name.get(v.strip(), v.strip()) for value in values for v in value.split(",") if v]


class _Refusals(click.Command):
    """A workflow refusal (wrong password, no role …) becomes one line ``Error: …``."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except WorkflowError as error:
            raise click.ClickException(error.for_cli()) from None


@click.command(cls=_Refusals)
@click.option("--admin", "username", default=None, help="The first administrator's username.")
@click.option("--name", default=None, help="The first administrator's name (姓名).")
@PASSWORD_FILE
@db_option
def init(username: str | None, name: str | None, password_file: Path | None, db) -> None:
    """Create or upgrade the ledger schema; with --admin, on a ledger without officers,
    create the first administrator (管理员), who then adds the office's officers."""
    with open_ledger(db, require_schema=False, signed_in=False) as led:
        led.upgrade()
        click.echo(
            _("ledger schema is current in {db}").format(
                db=led.engine.url.render_as_string(hide_password=True)
            )
        )
        if accounts.has_officers(led):
            if username:
                raise click.ClickException("账本已有用户：由管理员用 subsidies user add 添加用户")
            return
        if not username:
            click.echo(
                "账本还没有用户：subsidies init --admin USERNAME --name 姓名 创建第一位管理员"
            )
            return
        name = name or click.prompt("姓名")
        password = _read_password(password_file, "密码", confirm=True)
        admin = accounts.first_administrator(led, username, name, password)
    click.echo(f"首位管理员 {_who(admin)}已创建；登录：subsidies login {admin.username}")


@click.command(cls=_Refusals)
@click.argument("username")
@PASSWORD_FILE
@NEW_PASSWORD_FILE
@db_option
def login(username: str, password_file, new_password_file, db) -> None:
    """Sign in as USERNAME; the session is kept for this ledger until it expires or
    `subsidies logout`. A first sign-in sets a new password."""
    with open_ledger(db, signed_in=False) as led:
        password = _read_password(password_file, "密码")
        signed = accounts.sign_in(led, username, password, via="cli", source=_source())
        who = signed.officer
        if who.must_change_password:
            click.echo("首次登录（或管理员重设了密码）：请设置新密码")
            try:
                new = _read_password(new_password_file, "新密码", confirm=True)
                accounts.set_password(led, username, new, by=who, old=password)
            except (WorkflowError, click.Abort):
                accounts.sign_out(led, signed.token)
                raise
            who = accounts.officer_for_token(led, signed.token)
        session.keep(led, signed.token)
        hours = accounts.settings(led)["session_hours"]
    click.echo(f"已登录：{_who(who)}；{hours} 小时内有效，subsidies logout 退出")


@click.command(cls=_Refusals)
@db_option
def logout(db) -> None:
    """End this ledger's session."""
    with open_ledger(db, signed_in=False) as led:
        token = session.forget(led) or session.token(led)
        ended = accounts.sign_out(led, token) if token else None
    click.echo(f"已退出登录：{ended.username}" if ended else "没有登录的会话")


@click.command(cls=_Refusals)
@db_option
def whoami(db) -> None:
    """Who is signed in on this ledger, with which roles."""
    with open_ledger(db):
        me = officer()
    click.echo(_who(me))


@click.command(cls=_Refusals)
@PASSWORD_FILE
@NEW_PASSWORD_FILE
@db_option
def passwd(password_file, new_password_file, db) -> None:
    """Change your own password."""
    with open_ledger(db, signed_in=False) as led:
        token = session.token(led)
        me = accounts.officer_for_token(led, token) if token else None
        if me is None:
            raise click.ClickException("请先登录：subsidies login")
        old = _read_password(password_file, "原密码")
        new = _read_password(new_password_file, "新密码", confirm=True)
        accounts.set_password(led, me.username, new, by=me, old=old)
    click.echo(f"{me.username} 的密码已修改")


@click.group()
def user() -> None:
    """Officers' accounts (管理员): add, list, roles, disable, reset a password."""


@user.command("add", cls=_Refusals)
@click.argument("username")
@click.option("--name", required=True, help="The officer's name (姓名).")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    help=f"A role (repeatable): {', '.join(f'{c} {n}' for c, n in ROLES.items())}.",
)
@PASSWORD_FILE
@db_option
def user_add(username, name, roles, password_file, db) -> None:
    """Add an officer with a first password they change at their first sign-in."""
    with open_ledger(db) as led:
        password = _read_password(password_file, "初始密码", confirm=True)
        made = accounts.add_officer(led, username, name, password, _role_codes(roles), by=officer())
    click.echo(f"用户 {_who(made)}已添加；首次登录须修改密码：subsidies login {username}")


@user.command("list", cls=_Refusals)
@db_option
def user_list(db) -> None:
    """Every account, enabled or disabled (none is ever deleted)."""
    with open_ledger(db) as led:
        rows = accounts.list_officers(led)
    table = [["用户名", "姓名", "角色", "状态", "创建"]]
    for a in rows:
        state = "停用" if a.disabled else "须改密码" if a.officer.must_change_password else "启用"
        table.append(
            [
                a.officer.username,
                a.officer.name,
                role_names(a.officer.roles),
                state,
                f"{a.created_at:%Y-%m-%d} {a.created_by}",
            ]
        )
    print_table(table)


@user.command("roles", cls=_Refusals)
@click.argument("username")
@click.option("--grant", "granted", multiple=True, help="Grant a role (repeatable).")
@click.option("--revoke", "revoked", multiple=True, help="Revoke a role (repeatable).")
@db_option
def user_roles(username, granted, revoked, db) -> None:
    """Show an officer's roles, or grant and revoke them."""
    with open_ledger(db) as led:
        if granted:
            accounts.grant(led, username, _role_codes(granted), by=officer())
        if revoked:
            accounts.revoke(led, username, _role_codes(revoked), by=officer())
        found = accounts.find(led, username)
    click.echo(_who(found))


@user.command("disable", cls=_Refusals)
@click.argument("username")
@db_option
def user_disable(username, db) -> None:
    """Disable an account and end its sessions; its history stays."""
    with open_ledger(db) as led:
        accounts.disable(led, username, by=officer())
    click.echo(f"用户 {username} 已停用")


@user.command("passwd", cls=_Refusals)
@click.argument("username")
@PASSWORD_FILE
@db_option
def user_passwd(username, password_file, db) -> None:
    """Set an officer's password (they change it at their next sign-in); unlocks them."""
    with open_ledger(db) as led:
        password = _read_password(password_file, "新的初始密码", confirm=True)
        accounts.set_password(led, username, password, by=officer())
    click.echo(f"{username} 的密码已重设；下次登录须修改")


@click.command()
def permissions() -> None:
    """Which role may take which step (the one permission table)."""
    table = [["步骤", "命令", *ROLES.values()]]
    for step, what, commands, roles in TABLE:
        table.append(
            [f"{what} ({step})", commands, *("✓" if r in roles.split() else "" for r in ROLES)]
        )
    print_table(table)
    click.echo("一人可兼任几个角色；批次的提交人不能审核它，审核人不能支付它（数据库同样拒绝）。")


@click.command(cls=_Refusals)
@click.argument("name", required=False)
@click.argument("value", required=False)
@db_option
def setting(name: str | None, value: str | None, db) -> None:
    """The office's settings; NAME VALUE sets one (管理员; recorded in the audit log)."""
    with open_ledger(db) as led:
        if value is not None:
            before = accounts.set_setting(led, name, value, by=officer())
            click.echo(f"{name}: {before} -> {accounts.settings(led)[name]}")
            return
        current = accounts.settings(led)
    if name is not None and name not in current:
        raise click.ClickException(f"没有设置项 {name!r}；设置项有：{', '.join(current)}")
    table = [["设置", "值", "说明"]]
    for key, setting_ in accounts.SETTINGS.items():
        if name in (None, key):
            table.append([key, current[key], setting_.what])
    print_table(table)


def register(main: click.Group) -> None:
    for command in (init, login, logout, whoami, passwd, user, permissions, setting):
        main.add_command(command)
