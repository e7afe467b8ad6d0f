"""本单位设置 (``subsidies setting``): every setting in force with what it means; an
administrator sets one (recorded with the value before in the audit log)."""

from __future__ import annotations

from subsidies.console.web import Ctx, Page, Refused
from subsidies.workflow import officers


def settings_page(ctx: Ctx):
    current = officers.settings(ctx.ledger)
    rows = [(name, current[name], setting.what) for name, setting in officers.SETTINGS.items()]
    return ctx.render("settings.html", rows=rows)


def set_setting(ctx: Ctx):
    name = ctx.field("name")
    if name not in officers.SETTINGS:
        raise Refused(f"没有设置项 {name}")
    before = officers.set_setting(ctx.ledger, name, ctx.field("value"), by=ctx.by)
    after = officers.settings(ctx.ledger)[name]
    return ctx.redirect("/admin/settings", f"{name}：{before} → {after}")


PAGES = [
    Page("/admin/settings", settings_page),
    Page("/admin/settings", set_setting, "officer.manage", "POST"),
]
