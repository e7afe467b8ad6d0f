"""首页: every fund's money (appropriated, committed, paid, returned, available) with a
chart, and what waits for the signed-in officer. The figures come from the ledger's running
totals (:func:`subsidies.workflow.positions.fund_positions`), not from its postings."""

from __future__ import annotations

from subsidies.console.chart import FundMoney, svg
from subsidies.console.web import Ctx, Page
from subsidies.workflow import batches as wf
from subsidies.workflow import payfiles
from subsidies.workflow import payment_requests as req
from subsidies.workflow import reconcile as recon
from subsidies.workflow.positions import fund_positions


def fund_money(ctx: Ctx) -> list[FundMoney]:
    return [
        FundMoney(p.code, p.name, f.appropriated, f.accrued, f.disbursed, f.returned, p.available)
        for p in fund_positions(ctx.ledger)
        for f in (p.figures,)
    ]


def waiting(ctx: Ctx) -> list[tuple[str, str, str]]:
    """(what, link, label) for each thing the officer's roles act on next."""
    items = []
    listed = wf.list_batches(ctx.ledger)
    for b in listed:
        link = f"/batches/{b.code}"
        if b.state == "submitted" and ctx.may("batch.notice"):
            items.append(("待发布公示", link, f"{b.code} {b.program_id}"))
        mine = b.submitted_by == ctx.by
        if b.state in ("submitted", "noticed") and ctx.may("batch.approve") and not mine:
            items.append(("待审核", link, f"{b.code} {b.program_id}"))
        paying = b.state == "approved" and ctx.may("payment.disburse")
        if paying and not payfiles.files(ctx.ledger, b.code):
            items.append(("待发放", f"/payouts/{b.code}", f"{b.code} {b.program_id}"))
    if ctx.may("payment.approve"):
        for r in req.open_requests(ctx.ledger):
            if r.requested_by != ctx.by:
                items.append(("待复核的退票/重新支付", "/payouts", f"{r.reference} {r.what}"))
    if ctx.may("reconcile.resolve"):
        count = len(recon.open_exceptions(ctx.ledger))
        if count:
            items.append(("待处理的对账差异", "/reconcile", f"{count} 项"))
    return items


def home(ctx: Ctx):
    money = fund_money(ctx)
    return ctx.render("home.html", funds=money, chart=svg(money), waiting=waiting(ctx))


PAGES = [Page("/", home)]
