"""A job's page: its state, a progress bar htmx polls while it runs, and what it made
(a batch, or the decisions of a 试算 to filter and download)."""

from __future__ import annotations

import pandas as pd
from starlette.responses import FileResponse

from subsidies.console.web import Ctx, Page, Refused
from subsidies.workflow import jobs

PAGE_SIZE = 200
STATUSES = ("eligible", "ineligible", "invalid", "duplicate")


def _job(ctx: Ctx) -> jobs.Job:
    try:
        job_id = int(ctx.params["job_id"])
    except ValueError:
        raise Refused("任务编号应为数字") from None
    return jobs.get(ctx.ledger, job_id)


def job_page(ctx: Ctx):
    job = _job(ctx)
    return ctx.render("job.html", job=job, running=ctx.app.state.runner.running(job.id))


def progress(ctx: Ctx):
    job = _job(ctx)
    return ctx.render("job_progress.html", job=job, running=ctx.app.state.runner.running(job.id))


def _results(ctx: Ctx, job: jobs.Job):
    name = job.result.get("results")
    if not name:
        raise Refused(f"任务 {job.id} 没有试算结果")
    return ctx.settings.files / "results" / name


def results(ctx: Ctx):
    job = _job(ctx)
    frame = pd.read_csv(_results(ctx, job), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    status = ctx.request.query_params.get("status", "")
    if status in STATUSES:
        frame = frame[frame["status"] == status]
    page = _page(ctx)
    last = max((len(frame) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    shown = frame.iloc[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return ctx.render(
        "job_results.html", job=job, rows=shown.to_dict("records"), status=status,
        statuses=STATUSES, page=page, last=last, total=len(frame),
    )  # fmt: skip


def _page(ctx: Ctx) -> int:
    text = ctx.request.query_params.get("page", "1")
    return max(int(text), 1) if text.isdigit() else 1


def download(ctx: Ctx):
    job = _job(ctx)
    return FileResponse(_results(ctx, job), filename=f"试算结果-{job.id}.csv")


PAGES = [
    Page("/jobs/{job_id}", job_page),
    Page("/jobs/{job_id}/progress", progress),
    Page("/jobs/{job_id}/results", results),
    Page("/jobs/{job_id}/results.csv", download),
]
