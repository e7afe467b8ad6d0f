"""管理: funds and their appropriations (``subsidies fund …``), the officers with their roles
(``subsidies user …``); and 修改密码, every officer's own."""

from __future__ import annotations

import datetime as dt

from subsidies.console import access
from subsidies.console.web import PASSWORD, Ctx, Page, Refused
from subsidies.domain.money import parse_yuan
from subsidies.workflow import officers

LEVELS = ("中央", "省级", "市级", "县级")


def admin_page(ctx: Ctx):
    funds = [(f, ctx.ledger.available(f.code)) for f in ctx.ledger.funds()]
    accounts = officers.list_officers(ctx.ledger) if ctx.may("officer.manage") else []
    return ctx.render(
        "admin.html", funds=funds, accounts=accounts, role_labels=access.ROLES,
        levels=LEVELS, today=dt.date.today(),
    )  # fmt: skip


def add_fund(ctx: Ctx):
    code, name = ctx.field("code"), ctx.field("name")
    year = ctx.field("year", required=False)
    if year and not year.isdigit():
        raise Refused(f"年度应为数字：{year}")
    ctx.ledger.add_fund(
        code, name, year=int(year) if year else None,
        level=ctx.field("level", required=False) or None,
        region=ctx.field("region", required=False) or None,
    )  # fmt: skip
    return ctx.redirect("/admin", f"已添加资金 {code} {name}")


def appropriate(ctx: Ctx):
    code = ctx.params["code"]
    fen = parse_yuan(ctx.field("amount"))
    doc = ctx.field("doc")
    entry = ctx.ledger.appropriate(code, fen, doc=doc, on=ctx.date("on"), by=ctx.by)
    return ctx.redirect("/admin", f"凭证 #{entry.id} 拨款 {code}（{doc}）")


def add_officer(ctx: Ctx):
    """添加用户 (``subsidies user add``): the new officer changes the password at first sign-in."""
    roles = [r for r in access.ROLES if ctx.form and ctx.form.get(f"role_{r}") == "1"]
    if not roles:
        raise Refused("请至少选择一个角色")
    username = ctx.field("username")
    officers.add_officer(
        ctx.ledger, username, ctx.field("name"), ctx.field("password"), roles, by=ctx.officer
    )
    return ctx.redirect(
        "/admin", f"已添加用户 {username}（{access.role_names(roles)}），首次登录须修改密码"
    )


def password_page(ctx: Ctx):
    return ctx.render("password.html")


def change_password(ctx: Ctx):
    """An officer changes their own password (required at first sign-in)."""
    new = ctx.field("new")
    if new != ctx.field("again"):
        raise Refused("两次输入的新密码不一致，密码未修改")
    officers.set_password(
        ctx.ledger, ctx.officer.username, new, by=ctx.officer, old=ctx.field("old")
    )
    return ctx.redirect("/", "密码已修改")


PAGES = [
    Page("/admin", admin_page),
    Page("/admin/funds", add_fund, "fund.manage", "POST"),
    Page("/admin/funds/{code}/appropriate", appropriate, "fund.manage", "POST"),
    Page("/admin/officers", add_officer, "officer.manage", "POST"),
    Page(PASSWORD, password_page),
    Page(PASSWORD, change_password, None, "POST"),
]
