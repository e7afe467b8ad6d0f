"""批次: every batch, and one batch's events and decisions (filtered by status); publish its
公示 and download it; approve (a job: a big batch posts many accruals) or reject it with a
reason. The steps, dates and refusals are the workflow's, exactly as on the CLI."""

from __future__ import annotations

import datetime as dt

from subsidies.console import uploads
from subsidies.console.web import Ctx, Page
from subsidies.domain.money import format_yuan_each
from subsidies.tablefile import write_table
from subsidies.workflow import batches as wf
from subsidies.workflow.registers import publish, write_notice

PAGE_SIZE = 200
STATUSES = ("eligible", "ineligible", "invalid", "duplicate")


def batch_list(ctx: Ctx):
    counted = wf.claim_totals(ctx.ledger)
    rows = [
        {
            "batch": b,
            "claims": counted.get(b.id, (0, 0))[0],
            "eligible": counted.get(b.id, (0, 0))[1],
        }
        for b in reversed(wf.list_batches(ctx.ledger))
    ]
    return ctx.render("batches.html", rows=rows)


def _page(ctx: Ctx) -> int:
    text = ctx.request.query_params.get("page", "1")
    return max(int(text), 1) if text.isdigit() else 1


def batch_page(ctx: Ctx):
    batch = wf.get(ctx.ledger, ctx.params["code"])
    d = wf.batch_decisions(ctx.ledger, batch.code)
    by_status = (
        d.groupby("status")["amount_fen"].agg(["count", "sum"]).to_dict("index") if len(d) else {}
    )
    status = ctx.request.query_params.get("status", "")
    shown = d[d["status"] == status] if status in STATUSES and len(d) else d
    page, total = _page(ctx), len(shown)
    last = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    rows = shown.iloc[(page - 1) * PAGE_SIZE : page * PAGE_SIZE].to_dict("records")
    return ctx.render(
        "batch.html", b=batch, by_status=by_status, rows=rows, status=status, statuses=STATUSES,
        page=page, last=last, total=total, today=dt.date.today(),
        own=batch.submitted_by == ctx.by,
    )  # fmt: skip


def decisions_file(ctx: Ctx):
    code = wf.get(ctx.ledger, ctx.params["code"]).code
    d = wf.batch_decisions(ctx.ledger, code)
    frame = d.assign(amount=format_yuan_each(d["amount_fen"]))
    columns = ["claim_id", "row_no", "status", "amount", "reasons", "citation"]
    typed = {"amount": ("fen", d["amount_fen"])}
    return uploads.made_for_download(
        ctx, ".xlsx",
        lambda path: write_table(frame[columns], path, sheet="批次审核结果", typed=typed),
        f"{code}-审核结果.xlsx",
    )  # fmt: skip


def notice(ctx: Ctx):
    """发布公示 (``subsidies batch notice``): written and recorded, all or nothing."""
    code = wf.get(ctx.ledger, ctx.params["code"]).code
    on = ctx.date("on") or dt.date.today()
    unit = ctx.field("unit", required=False)
    path = uploads.written(ctx, "notices", ".pdf")
    _, total = publish(ctx.ledger, code, path, on=on, by=ctx.by, unit=unit)
    return ctx.redirect(f"/batches/{code}", f"批次 {code} 已于 {on:%Y年%m月%d日} 发布公示")


def notice_pdf(ctx: Ctx):
    code = wf.get(ctx.ledger, ctx.params["code"]).code
    return uploads.made_for_download(
        ctx, ".pdf", lambda path: write_notice(ctx.ledger, code, path), f"{code}-公示.pdf"
    )


def approve(ctx: Ctx):
    """审核通过 (``subsidies batch approve``), as a job: one accrual per eligible claim."""
    code = wf.get(ctx.ledger, ctx.params["code"]).code
    on = ctx.date("on")

    def work(progress) -> dict:
        _, posted = wf.approve(ctx.ledger, code, by=ctx.by, on=on, progress=progress)
        return {"batch": code, "message": f"已审核通过，计提 {posted} 笔"}

    job_id = ctx.app.state.runner.start("approve", f"审核批次 {code}", ctx.by, work)
    return ctx.redirect(f"/jobs/{job_id}")


def reject(ctx: Ctx):
    code = wf.get(ctx.ledger, ctx.params["code"]).code
    reason = ctx.field("reason")
    wf.reject(ctx.ledger, code, by=ctx.by, reason=reason, on=ctx.date("on"))
    return ctx.redirect(f"/batches/{code}", f"批次 {code} 已退回：{reason}")


PAGES = [
    Page("/batches", batch_list),
    Page("/batches/{code}", batch_page),
    Page("/batches/{code}/decisions.xlsx", decisions_file),
    Page("/batches/{code}/notice", notice, "batch.notice", "POST"),
    Page("/batches/{code}/notice.pdf", notice_pdf),
    Page("/batches/{code}/approve", approve, "batch.approve", "POST"),
    Page("/batches/{code}/reject", reject, "batch.reject", "POST"),
]
