"""审计: the audit log with filters, and ``ledger verify`` with its result. Read-only."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from sqlalchemy import func, select

from subsidies.console.web import Ctx, Page, Refused
from subsidies.workflow.tables import audit_log

PAGE_SIZE = 100


def _day(text: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Refused(f"日期应写作 年-月-日：{text}") from None


def audit_page(ctx: Ctx):
    q = ctx.request.query_params
    who, action, text = q.get("by", "").strip(), q.get("action", "").strip(), q.get("q", "").strip()
    first, last = _day(q.get("from", "")), _day(q.get("to", ""))
    where = []
    if who:
        where.append(audit_log.c.by == who)
    if action:
        where.append(audit_log.c.action.startswith(action))
    if text:
        where.append(audit_log.c.subject.contains(text) | audit_log.c.detail.contains(text))
    if first:
        where.append(audit_log.c.at >= dt.datetime.combine(first, dt.time()))
    if last:
        where.append(audit_log.c.at < dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))
    page = max(int(q["page"]), 1) if q.get("page", "").isdigit() else 1
    with ctx.ledger.reading() as conn:
        total = conn.scalar(select(func.count()).select_from(audit_log).where(*where))
        rows = conn.execute(
            select(audit_log).where(*where).order_by(audit_log.c.id.desc())
            .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
        ).mappings().all()  # fmt: skip
        actions = conn.scalars(
            select(audit_log.c.action).distinct().order_by(audit_log.c.action)
        ).all()
    last_page = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    filters = urlencode({k: v for k, v in q.items() if k != "page" and v})
    return ctx.render(
        "audit.html", rows=rows, total=total, actions=actions, q=q, page=page,
        last=last_page, base=f"?{filters}&" if filters else "?",
    )  # fmt: skip


def verify(ctx: Ctx):
    return ctx.render("verify.html", result=ctx.ledger.verify())


PAGES = [
    Page("/audit", audit_page, "audit.read"),
    Page("/audit/verify", verify, "audit.read"),
]
