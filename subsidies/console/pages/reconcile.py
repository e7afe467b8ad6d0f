"""对账: import a bank statement (a job), the matches and the exceptions, resolve an
exception by hand with a reason, the 银行存款余额调节表 and its report
(``subsidies reconcile …``)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from reports.output import write
from subsidies.console import uploads
from subsidies.console.web import Ctx, Page, Refused
from subsidies.workflow import reconcile as recon
from subsidies.workflow.reconcile_report import build
from subsidies.workflow.statements import layouts, load_layout

TYPES = {kind: label.split(" ")[0] for kind, label in recon.EXCEPTION_TYPES.items()}


def _rows(exceptions: pd.DataFrame) -> list[dict]:
    frame = exceptions.astype(object).where(exceptions.notna(), None)
    return frame.to_dict("records")


def reconcile_page(ctx: Ctx):
    exceptions = recon.open_exceptions(ctx.ledger)
    return ctx.render(
        "reconcile.html", exceptions=_rows(exceptions), types=TYPES,
        st=recon.statement(ctx.ledger), layouts=layouts(), today=dt.date.today(),
    )  # fmt: skip


def import_statement(ctx: Ctx):
    """导入对账单 as a job: new lines only, matched, settled and returned in one transaction."""
    name = ctx.field("layout", required=False) or "default"
    if name not in layouts():
        raise Refused(f"没有对账单格式 {name}")
    layout = load_layout(name)
    sheet = ctx.field("sheet", required=False) or None
    as_of = ctx.date("as_of")
    path = uploads.save(ctx, "file", "statements")
    filename = ctx.form["file"].filename

    def work(progress) -> dict:
        outcome = recon.reconcile(ctx.ledger, path, layout, by=ctx.by, as_of=as_of, sheet=sheet)
        return {
            "link": "/reconcile",
            "message": f"新导入 {outcome.imported} 行（已导入过 {outcome.already} 行）；"
            f"到账 {len(outcome.settle)} 笔，退票 {len(outcome.returned)} 笔，"
            f"差异 {len(outcome.exceptions)} 项",
        }

    job_id = ctx.app.state.runner.start("reconcile", f"导入对账单 {filename}", ctx.by, work)
    return ctx.redirect(f"/jobs/{job_id}")


def resolve(ctx: Ctx):
    line = ctx.field("line")
    if not line.isdigit():
        raise Refused(f"银行流水编号应为数字：{line}")
    said = recon.resolve(
        ctx.ledger, int(line), ctx.field("reference"), reason=ctx.field("reason"), by=ctx.by
    )
    return ctx.redirect("/reconcile", said)


def report(ctx: Ctx):
    suffix = "." + ctx.params["suffix"]
    if suffix not in (".pdf", ".xlsx"):
        raise Refused("报告格式应为 PDF 或 XLSX")
    exceptions = recon.open_exceptions(ctx.ledger)
    document = build(None, exceptions, recon.statement(ctx.ledger), source="全部对账单")
    return uploads.made_for_download(
        ctx, suffix, lambda path: write(document, path), f"银行对账报告{suffix}"
    )


PAGES = [
    Page("/reconcile", reconcile_page),
    Page("/reconcile/import", import_statement, "reconcile.statement", "POST"),
    Page("/reconcile/resolve", resolve, "reconcile.resolve", "POST"),
    Page("/reconcile/report.{suffix}", report),
]
