"""品牌: the brand registry (``subsidies brand add | list | show | event | rename | recover``):
register a recognised brand, record its lifecycle events (营人社〔2023〕43号 第十五条–第二十二条),
a unit's change of name, and the recovery of what a brand removed for fraud was paid."""

from __future__ import annotations

import datetime as dt

from subsidies import brands as lifecycle
from subsidies.console.formatting import yuan
from subsidies.console.web import Ctx, Page, Refused
from subsidies.workflow import brand_recovery, brands_store
from subsidies.workflow.base import WorkflowError

LEVELS = {"city": "市级", "provincial": "省级", "district": "县级"}
STATUSES = {
    "active": "正常",
    "rectifying": "整改中",
    "interviewed": "约谈整改中",
    "suspended": "暂停标识使用",
    "removed": "已移出目录",
}
EVENTS = {
    "annual_report": "年度报告",
    "review": "复审",
    "rectification_ordered": "责令整改",
    "rectified": "整改完成",
    "interview_ordered": "约谈",
    "suspended": "暂停标识使用权",
    "suspension_extended": "继续暂停",
    "restored": "恢复标识使用权",
    "removed": "移出目录",
    "reapplied": "重新申请",
}
DEADLINES = {
    "rectification": "整改期限",
    "interview_rectification": "约谈整改期限",
    "suspension_end": "暂停期满",
    "annual_report": "报送年度报告",
    "review": "复审",
}
CAUSES = {name: f"{c.article} {c.words}" for name, c in brands_store.CAUSES.items()}
WORDS = {
    "levels": LEVELS,
    "statuses": STATUSES,
    "events": EVENTS,
    "causes": CAUSES,
    "deadlines": DEADLINES,
}


def brand_list(ctx: Ctx):
    today = dt.date.today()
    rows = [(reg, reg.status(today)) for reg in brands_store.registered(ctx.ledger)]
    return ctx.render("brands.html", rows=rows, today=today, **WORDS)


def _plan(ctx: Ctx, reg: brands_store.Registered) -> brand_recovery.BrandRecovery | None:
    """What a brand removed for fraud owes back (None for any other brand)."""
    try:
        return brand_recovery.plan(ctx.ledger, reg)
    except WorkflowError:
        return None


def brand_page(ctx: Ctx):
    reg = brands_store.find(ctx.ledger, ctx.params["brand_id"])
    today = dt.date.today()
    return ctx.render(
        "brand.html", reg=reg, status=reg.status(today), payable=reg.payable(today),
        plan=_plan(ctx, reg), today=today, **WORDS,
    )  # fmt: skip


def add_brand(ctx: Ctx):
    """登记品牌 (``subsidies brand add``, 经办)."""
    level = ctx.field("level")
    if level not in LEVELS:
        raise Refused(f"没有认定级别 {level}")
    recognised_on = ctx.date("recognised_on")
    if recognised_on is None:
        raise Refused("请填写“认定日期”")
    brand = lifecycle.Brand(
        ctx.field("unit_name"), ctx.field("credit_code"), ctx.field("brand_name"), level,
        recognised_on,
    )  # fmt: skip
    reg = brands_store.add(ctx.ledger, brand, by=ctx.by)
    return ctx.redirect(f"/brands/{reg.id}", f"已登记品牌 #{reg.id} {reg.brand.brand_name}")


def _passed(ctx: Ctx) -> bool | None:
    value = ctx.field("passed", required=False)
    return {"": None, "1": True, "0": False}[value] if value in ("", "1", "0") else None


def record_event(ctx: Ctx):
    """登记品牌管理事件 (``subsidies brand event``, 经办)."""
    reg = brands_store.find(ctx.ledger, ctx.params["brand_id"])
    kind, cause = ctx.field("kind"), ctx.field("cause", required=False)
    if kind not in EVENTS:
        raise Refused(f"没有事件类型 {kind}")
    if cause and cause not in CAUSES:
        raise Refused(f"没有事由 {cause}")
    year = ctx.field("for_year", required=False)
    if year and not year.isdigit():
        raise Refused(f"报告年度应为数字：{year}")
    on = ctx.date("on") or dt.date.today()
    event = lifecycle.BrandEvent(
        kind=lifecycle.EventKind(kind), on=on,
        cause=brands_store.CAUSES[cause] if cause else None, passed=_passed(ctx),
        for_year=int(year) if year else None, note=ctx.field("note", required=False),
    )  # fmt: skip
    brands_store.record(ctx.ledger, reg, event, by=ctx.by)
    return ctx.redirect(f"/brands/{reg.id}", f"已登记：{EVENTS[kind]}（{on:%Y年%m月%d日}）")


def rename_unit(ctx: Ctx):
    """单位名称变更 (``subsidies brand rename``, 经办)."""
    done = brands_store.rename(
        ctx.ledger, ctx.field("credit_code"), ctx.field("new_name"),
        reason=ctx.field("reason"), by=ctx.by, on=ctx.date("on"),
    )  # fmt: skip
    return ctx.redirect("/brands", f"{done.credit_code}：{done.old_name} 已更名为 {done.new_name}")


def recover(ctx: Ctx):
    """发起追回 of what a brand removed for fraud was paid (``brand recover --confirm``, 审核)."""
    reg = brands_store.find(ctx.ledger, ctx.params["brand_id"])
    done = brand_recovery.confirm(ctx.ledger, reg, by=ctx.by, on=ctx.date("on"))
    return ctx.redirect(
        f"/brands/{reg.id}", f"已对 {len(done.due)} 条申报发起追回，共 {yuan(done.total_fen)}"
    )


PAGES = [
    Page("/brands", brand_list),
    Page("/brands/{brand_id}", brand_page),
    Page("/brands/add", add_brand, "brand.register", "POST"),
    Page("/brands/rename", rename_unit, "brand.register", "POST"),
    Page("/brands/{brand_id}/events", record_event, "brand.register", "POST"),
    Page("/brands/{brand_id}/recover", recover, "recovery.raise", "POST"),
]
