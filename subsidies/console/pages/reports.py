"""报表: budget execution (预算执行) on the page and as PDF/XLSX, payout registers (发放明细表)
by program, and a budget plan or what-if (预算测算) from a scenario file
(``subsidies report …``, through the same :mod:`subsidies.workflow.report_files`)."""

from __future__ import annotations

import re

from reports.execution import execution
from subsidies.console import uploads
from subsidies.console.web import Ctx, Page, Refused
from subsidies.workflow import batches as wf
from subsidies.workflow.report_files import execution_file, plan_file, register_file

PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
SUFFIXES = (".pdf", ".xlsx")


def _period(ctx: Ctx, name: str) -> str | None:
    text = ctx.request.query_params.get(name, "").strip()
    if text and not PERIOD.match(text):
        raise Refused(f"月份应写作 YYYY-MM：{text}")
    return text or None


def _suffix(ctx: Ctx) -> str:
    suffix = "." + ctx.params["suffix"]
    if suffix not in SUFFIXES:
        raise Refused("报表格式应为 PDF 或 XLSX")
    return suffix


def reports_page(ctx: Ctx):
    first, last = _period(ctx, "first"), _period(ctx, "last")
    result = execution(ctx.ledger, first=first, last=last)
    funds = [
        (code, name, result.fund_figures(code), result.available(code), result.by_program(code))
        for code, name in result.funds.items()
    ]
    approved = sorted({b.program_id for b in wf.list_batches(ctx.ledger) if b.state == "approved"})
    return ctx.render(
        "reports.html", funds=funds, result=result, first=first or "", last=last or "",
        programs=approved,
    )  # fmt: skip


def execution_download(ctx: Ctx):
    suffix = _suffix(ctx)
    first, last = _period(ctx, "first"), _period(ctx, "last")
    return uploads.made_for_download(
        ctx, suffix,
        lambda path: execution_file(ctx.ledger, path, first=first, last=last),
        f"预算执行{suffix}",
    )  # fmt: skip


def register_download(ctx: Ctx):
    suffix = _suffix(ctx)
    program = ctx.request.query_params.get("program", "").strip()
    if not program:
        raise Refused("请选择项目")
    return uploads.made_for_download(
        ctx, suffix,
        lambda path: register_file(ctx.ledger, path, [], program),
        f"发放明细表-{program}{suffix}",
    )  # fmt: skip


def plan(ctx: Ctx):
    """预算测算: a scenario file priced (and changed by --vary lines), as a download."""
    suffix = ctx.field("format", required=False) or ".pdf"
    if suffix not in SUFFIXES:
        raise Refused("报表格式应为 PDF 或 XLSX")
    scenario = uploads.save(ctx, "scenario", "scenarios", (".yaml", ".yml"))
    varies = tuple(
        line.strip() for line in ctx.field("vary", required=False).splitlines() if line.strip()
    )
    return uploads.made_for_download(
        ctx, suffix,
        lambda path: plan_file(scenario, path, varies=varies, ledger=ctx.ledger),
        f"预算测算{suffix}",
    )  # fmt: skip


PAGES = [
    Page("/reports", reports_page),
    Page("/reports/execution.{suffix}", execution_download),
    Page("/reports/register.{suffix}", register_download),
    Page("/reports/plan", plan, None, "POST"),
]
