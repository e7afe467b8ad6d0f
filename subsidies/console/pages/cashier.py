"""出纳's steps beside 发放: record by hand that the bank paid (``subsidies payment settle``),
write a batch's bank file of payments in no file yet or of an approved reissue, and
reprint a marked copy (副本) of a file (``subsidies payment file``)."""

from __future__ import annotations

import datetime as dt

from subsidies.console import uploads
from subsidies.console.pages.payouts import batch_of, file_options, file_suffix
from subsidies.console.web import Ctx, Page, Refused
from subsidies.workflow import batches as wf
from subsidies.workflow import payfiles as files
from subsidies.workflow import payments as pay


def settle(ctx: Ctx):
    """手工确认到账 (出纳; reconciliation settles from statements)."""
    ref = ctx.params["reference"]
    pay.settle(
        ctx.ledger, ref, by=ctx.by, on=ctx.date("on"), detail=ctx.field("detail", required=False)
    )
    return ctx.redirect(f"/payouts/{batch_of(ctx, ref)}", f"已确认 {ref} 到账")


def write_file(ctx: Ctx):
    """写出付款文件: with a reissued payment's reference, its file; else the batch's payments
    posted but in no file yet (a disbursement stopped before its file was written)."""
    code = wf.get(ctx.ledger, ctx.params["code"]).code
    options, on = file_options(ctx), ctx.date("on")
    path = uploads.written(ctx, "payments", file_suffix(ctx))
    files.check(path, options)
    reissued = ctx.field("reissue", required=False)
    if reissued:
        if batch_of(ctx, reissued) != code:
            raise Refused(f"支付 {reissued} 不属于批次 {code}")
        p = pay.find_payment(ctx.ledger, reissued)
        f = files.write_reissue(ctx.ledger, p, path, options, by=ctx.by, on=on or dt.date.today())
        return ctx.redirect(f"/payouts/{code}", f"已写出重新支付 {reissued} 的银行文件 #{f.id}")
    sent = files.send(ctx.ledger, code, path, options, by=ctx.by, on=on, post=False)
    return ctx.redirect(
        f"/payouts/{code}", f"已写出银行文件 #{sent.file.id}（{sent.file.payments} 笔）"
    )


def reprint(ctx: Ctx):
    """重印副本: a copy of one of the batch's files, marked 副本 on its first row."""
    code = wf.get(ctx.ledger, ctx.params["code"]).code
    text = ctx.field("file_id", required=False)
    if text and not text.isdigit():
        raise Refused(f"文件编号应为数字：{text}")
    path = uploads.written(ctx, "payments", file_suffix(ctx))
    f = files.reprint(ctx.ledger, code, path, by=ctx.by, file_id=int(text) if text else None)
    return ctx.redirect(f"/payouts/{code}", f"已重印第 {f.copy_of} 号文件的副本 #{f.id}")


PAGES = [
    Page("/payments/{reference}/settle", settle, "payment.settle", "POST"),
    Page("/payouts/{code}/file", write_file, "payment.file", "POST"),
    Page("/payouts/{code}/reprint", reprint, "payment.file", "POST"),
]
