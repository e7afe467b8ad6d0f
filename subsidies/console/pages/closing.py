"""结账: close a period once the ledger verifies (``subsidies ledger close-period``) and
冲销 an entry by its mirror (``subsidies ledger reverse``), 管理员; what is closed so far."""

from __future__ import annotations

import datetime as dt

from subsidies.console.web import Ctx, Page, Refused
from subsidies.workflow import books


def closing(ctx: Ctx):
    return ctx.render(
        "closing.html", through=ctx.ledger.closed_through(), today=dt.date.today(),
        last_month=(dt.date.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m"),
    )  # fmt: skip


def close_period(ctx: Ctx):
    """结账 of the period and every month before it; the ledger must verify first."""
    period = ctx.field("period")
    books.require_verified(ctx.ledger)
    closed = books.close_period(ctx.ledger, period, by=ctx.by)
    through = ctx.ledger.closed_through()
    if not closed:
        return ctx.redirect("/ledger", f"{period} 已结账（已结账至 {through}），未作改动")
    return ctx.redirect("/ledger", f"已结账至 {through}")


def reverse(ctx: Ctx):
    """冲销: a new entry that mirrors the one named, into an open period."""
    text = ctx.field("entry")
    if not text.isdigit():
        raise Refused(f"凭证号应为数字：{text}")
    entry = books.reverse(ctx.ledger, int(text), ctx.field("reason"), by=ctx.by, on=ctx.date("on"))
    return ctx.redirect("/ledger", f"已以凭证 #{entry.id} 冲销凭证 #{text}")


PAGES = [
    Page("/ledger", closing),
    Page("/ledger/close", close_period, "ledger.close", "POST"),
    Page("/ledger/reverse", reverse, "ledger.close", "POST"),
]
