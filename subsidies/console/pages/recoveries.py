"""追回: raise the recovery of what was paid on a claim (``subsidies recover``, 审核) and
record its repayments (``subsidies repay``, 出纳); every claim's recovery and what is owed."""

from __future__ import annotations

import datetime as dt

from subsidies.console.formatting import yuan
from subsidies.console.web import Ctx, Page
from subsidies.domain.money import parse_yuan
from subsidies.workflow import payments as pay


def recoveries(ctx: Ctx):
    return ctx.render(
        "recoveries.html", rows=pay.recoveries_raised(ctx.ledger), today=dt.date.today()
    )


def _program(ctx: Ctx, claim_id: str) -> str:
    """The program the form names, else the one the claim was paid under."""
    return ctx.field("program", required=False) or pay.program_of(ctx.ledger, claim_id)


def raise_recovery(ctx: Ctx):
    """发起追回 (``subsidies recover``, 审核): everything paid on the claim becomes a receivable."""
    claim_id = ctx.field("claim")
    program_id = _program(ctx, claim_id)
    fen = pay.raise_recovery(
        ctx.ledger, program_id, claim_id, reason=ctx.field("reason"), by=ctx.by, on=ctx.date("on")
    )
    return ctx.redirect("/recoveries", f"已对 {program_id} {claim_id} 发起追回 {yuan(fen)}")


def repay(ctx: Ctx):
    """登记追回收款 (``subsidies repay``, 出纳)."""
    claim_id = ctx.field("claim")
    fen = parse_yuan(ctx.field("amount"))
    program_id = _program(ctx, claim_id)
    owed = pay.repay(ctx.ledger, program_id, claim_id, fen, by=ctx.by, on=ctx.date("on"))
    return ctx.redirect("/recoveries", f"已登记 {claim_id} 追回收款 {yuan(fen)}，尚欠 {yuan(owed)}")


PAGES = [
    Page("/recoveries", recoveries),
    Page("/recoveries/raise", raise_recovery, "recovery.raise", "POST"),
    Page("/recoveries/repay", repay, "recovery.repay", "POST"),
]
