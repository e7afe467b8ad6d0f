"""管理: funds and their appropriations (``subsidies fund …``), and the officers with
their roles."""

from __future__ import annotations

import datetime as dt

from subsidies.console import access
from subsidies.console.web import Ctx, Page, Refused
from subsidies.domain.money import parse_yuan

LEVELS = ("中央", "省级", "市级", "县级")


def admin_page(ctx: Ctx):
    funds = [(f, ctx.ledger.available(f.code)) for f in ctx.ledger.funds()]
    officers = ctx.app.state.office.officers.values() if ctx.may("user.manage") else []
    return ctx.render(
        "admin.html", funds=funds, officers=[o for o, *_ in officers], role_labels=access.ROLES,
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


PAGES = [
    Page("/admin", admin_page),
    Page("/admin/funds", add_fund, "fund.add", "POST"),
    Page("/admin/funds/{code}/appropriate", appropriate, "fund.appropriate", "POST"),
]
