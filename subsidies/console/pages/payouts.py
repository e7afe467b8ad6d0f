"""发放: pay an approved batch and download its bank file, record a return by hand,
reissue a returned payment, and a second officer's decision on such requests
(``subsidies disburse`` and ``subsidies payment …``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from sqlalchemy import select
from starlette.responses import FileResponse

from subsidies.console import uploads
from subsidies.console.web import Ctx, Page, Refused
from subsidies.workflow import bankfiles
from subsidies.workflow import batches as wf
from subsidies.workflow import payfiles as files
from subsidies.workflow import payment_requests as req
from subsidies.workflow import payments as pay
from subsidies.workflow.tables import payment_files

PAGE_SIZE = 200


def payouts(ctx: Ctx):
    rows = []
    for b in reversed(wf.list_batches(ctx.ledger)):
        if b.state == "approved":
            states = Counter(p.state for p in pay.batch_payments(ctx.ledger, b.code))
            rows.append((b, states))
    return ctx.render("payouts.html", rows=rows, requests=req.open_requests(ctx.ledger))


def batch_payouts(ctx: Ctx):
    batch = wf.get(ctx.ledger, ctx.params["code"])
    found = pay.batch_payments(ctx.ledger, batch.code)
    text = ctx.request.query_params.get("page", "1")
    page = max(int(text), 1) if text.isdigit() else 1
    last = max((len(found) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    return ctx.render(
        "payout.html", b=batch, payments=found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        page=page, last=last, total=len(found), states=Counter(p.state for p in found),
        files=files.files(ctx.ledger, batch.code), layouts=bankfiles.payment_layouts(),
        today=dt.date.today(),
    )  # fmt: skip


def file_options(ctx: Ctx) -> files.Options:
    """A built-in layout only: a layout file's path never comes from a request."""
    layout = ctx.field("layout", required=False) or "default"
    if layout not in bankfiles.payment_layouts():
        raise Refused(f"没有银行文件格式 {layout}")
    return files.Options(
        layout,
        ctx.field("merge", required=False) == "1",
        ctx.field("payer_account", required=False),
        ctx.field("payer_name", required=False),
    )


def file_suffix(ctx: Ctx) -> str:
    suffix = ctx.field("format", required=False) or ".xlsx"
    if suffix not in files.SUFFIXES:
        raise Refused(f"银行文件格式应为 .csv 或 .xlsx，而不是 {suffix}")
    return suffix


def disburse(ctx: Ctx):
    """支付 (``subsidies disburse``) as a job: post every payment and write the bank file."""
    code = wf.get(ctx.ledger, ctx.params["code"]).code
    options, on = file_options(ctx), ctx.date("on")
    path = uploads.written(ctx, "payments", file_suffix(ctx))
    files.check(path, options)

    def work(progress) -> dict:
        sent = files.send(ctx.ledger, code, path, options, by=ctx.by, on=on, progress=progress)
        return {
            "batch": code,
            "link": f"/payouts/{code}",
            "message": f"已支付 {sent.file.payments} 笔，银行文件 #{sent.file.id}",
        }

    job_id = ctx.app.state.runner.start("payment.disburse", f"发放批次 {code}", ctx.by, work)
    return ctx.redirect(f"/jobs/{job_id}")


def payment_file(ctx: Ctx):
    """A bank file by its id in the ledger (never by a path from the request)."""
    try:
        file_id = int(ctx.params["file_id"])
    except ValueError:
        raise Refused("文件编号应为数字") from None
    with ctx.ledger.reading() as conn:
        row = conn.execute(
            select(payment_files.c.path).where(payment_files.c.id == file_id)
        ).first()
    if row is None or not Path(row.path).is_file():
        raise Refused(f"没有银行文件 #{file_id}（或文件已不在服务器上）")
    return FileResponse(row.path, filename=f"银行文件-{file_id}{Path(row.path).suffix}")


def batch_of(ctx: Ctx, reference: str) -> str:
    return wf.get_by_id(ctx.ledger, pay.find_payment(ctx.ledger, reference).batch_id).code


def request_return(ctx: Ctx):
    ref = ctx.params["reference"]
    request = req.request_return(
        ctx.ledger, ref, reason=ctx.field("reason"), by=ctx.by, on=ctx.date("on")
    )
    return ctx.redirect(
        f"/payouts/{batch_of(ctx, ref)}", f"已登记退票，待另一名审核人员复核：{request.what}"
    )


def reissue(ctx: Ctx):
    """重新支付: to the same account at once (with its bank file), to another after approval."""
    ref = ctx.params["reference"]
    options, on = file_options(ctx), ctx.date("on")
    path = uploads.written(ctx, "payments", file_suffix(ctx))
    files.check(path, options)
    done = req.reissue(
        ctx.ledger, ref, account=ctx.field("account"), reason=ctx.field("reason", required=False),
        by=ctx.by, on=on,
    )  # fmt: skip
    code = batch_of(ctx, ref)
    if isinstance(done, req.PaymentRequest):
        return ctx.redirect(
            f"/payouts/{code}", f"已申请重新支付到新账号，待另一名审核人员复核：{done.what}"
        )
    f = files.write_reissue(ctx.ledger, done, path, options, by=ctx.by, on=on or dt.date.today())
    return ctx.redirect(f"/payouts/{code}", f"已重新支付 {done.reference}，银行文件 #{f.id}")


def approve_request(ctx: Ctx):
    ref = ctx.params["reference"]
    on = ctx.date("on")
    request, p = req.approve_request(ctx.ledger, ref, by=ctx.by, on=on)
    code = batch_of(ctx, ref)
    if request.kind == "reissue":  # its bank file is the cashier's to write (出纳)
        return ctx.redirect(
            f"/payouts/{code}",
            f"已复核重新支付 {p.reference}；银行文件由出纳在本页“写出银行文件”处写出",
        )
    return ctx.redirect(f"/payouts/{code}", f"已复核退票 {ref}，该申请可重新支付")


def reject_request(ctx: Ctx):
    ref = ctx.params["reference"]
    request = req.reject_request(
        ctx.ledger, ref, by=ctx.by, reason=ctx.field("reason"), on=ctx.date("on")
    )
    return ctx.redirect("/payouts", f"已驳回：{request.what}")


PAGES = [
    Page("/payouts", payouts),
    Page("/payouts/{code}", batch_payouts),
    Page("/payouts/{code}/disburse", disburse, "payment.disburse", "POST"),
    Page("/payment-files/{file_id}", payment_file, "person.read"),
    Page("/payments/{reference}/return", request_return, "payment.return", "POST"),
    Page("/payments/{reference}/reissue", reissue, "payment.reissue", "POST"),
    Page("/payments/{reference}/approve", approve_request, "payment.approve", "POST"),
    Page("/payments/{reference}/reject", reject_request, "payment.reject", "POST"),
]
