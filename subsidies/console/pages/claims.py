"""申报受理: upload a claims workbook or CSV (read as ``subsidies calc`` reads it), decide it
(试算, nothing recorded) or submit it as a batch to a fund (``subsidies batch submit``).
Both run as jobs; the decisions are then seen, filtered and downloaded."""

from __future__ import annotations

import datetime as dt

from calculators.evaluate import RESULT_COLUMNS, evaluate
from calculators.registry import calculator, calculators
from subsidies.claimfile import read_claims
from subsidies.console import uploads
from subsidies.console.web import Ctx, Page, Refused
from subsidies.tablefile import write_table
from subsidies.workflow import batches as wf
from subsidies.workflow import jobs


def claims_page(ctx: Ctx):
    return ctx.render(
        "claims.html",
        programs=[c.program for c in calculators()],
        funds=ctx.ledger.funds(),
        recent=[j for j in jobs.recent(ctx.ledger, 50) if j.kind in ("batch.submit", "submit")][
            :10
        ],
        today=dt.date.today(),
    )


def _program(ctx: Ctx):
    return calculator(ctx.field("program"))


def _notice_days(ctx: Ctx) -> int | None:
    text = ctx.field("notice_days", required=False)
    if not text:
        return None
    if not text.isdigit():
        raise Refused(f"公示工作日数应为非负整数：{text}")
    return int(text)


def calc(ctx: Ctx):
    """试算: decide every claim and keep the results for the officer to see and download."""
    calc_ = _program(ctx)
    on = ctx.date("as_of") or dt.date.today()
    sheet = ctx.field("sheet", required=False) or None
    source = uploads.save(ctx, "file", "claims")
    out = uploads.written(ctx, "results", ".csv")

    def work(progress) -> dict:
        claims = read_claims(source, calc_.template, sheet)
        result = evaluate(
            calc_, claims.raw, as_of=on, numeric=claims.numeric, rows=claims.source_rows,
            chunk=wf.PROGRESS_CHUNK, progress=progress,
        )  # fmt: skip
        result.insert(1, "row", claims.source_rows)
        typed = {"amount": ("fen", result["amount_fen"])}
        write_table(
            result[["claim_id", "row", *RESULT_COLUMNS[1:]]],
            out,
            sheet="审核结果",
            typed=typed,
            progress=progress,
        )
        counts = result["status"].value_counts().to_dict()
        return {"results": out.name, "program": calc_.program.id, "counts": counts}

    title = f"试算 {calc_.program.name_zh}（{ctx.form['file'].filename}）"
    job_id = ctx.app.state.runner.start("batch.submit", title, ctx.by, work)
    return ctx.redirect(f"/jobs/{job_id}")


def submit(ctx: Ctx):
    """提交为批次: decide and record the claims as a batch (``subsidies batch submit``)."""
    calc_ = _program(ctx)
    fund = ctx.field("fund")
    notice_days = _notice_days(ctx)
    on = ctx.date("as_of")
    sheet = ctx.field("sheet", required=False) or None
    source = uploads.save(ctx, "file", "claims")

    def work(progress) -> dict:
        batch, _ = wf.submit(
            ctx.ledger, calc_.program.id, source, fund_code=fund, by=ctx.by, as_of=on,
            notice_days=notice_days, sheet=sheet, progress=progress,
        )  # fmt: skip
        return {"batch": batch.code}

    title = f"提交批次 {calc_.program.name_zh} → {fund}（{ctx.form['file'].filename}）"
    job_id = ctx.app.state.runner.start("submit", title, ctx.by, work)
    return ctx.redirect(f"/jobs/{job_id}")


PAGES = [
    Page("/claims", claims_page),
    Page("/claims/calc", calc, "batch.submit", "POST"),
    Page("/claims/submit", submit, "batch.submit", "POST"),
]
