"""查询: a person or unit by 身份证号 (or 统一社会信用代码), name, claim id or payment
reference → every claim, batch, payment, return and recovery; then "explain" from the
bank line back to the quoted sentence (``subsidies explain``). Person data is masked for
the roles that do not need it."""

from __future__ import annotations

import json
import re

from sqlalchemy import or_, select

from subsidies.console.web import Ctx, Page
from subsidies.domain.identity import mask_id, mask_name
from subsidies.workflow.explain import explain
from subsidies.workflow.tables import (
    batches,
    decisions,
    line_matches,
    payments,
    statement_lines,
)

LIMIT = 200
ID_LIKE = re.compile(r"\b\d{17}[\dXx]\b|\b[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}\b")
ACCOUNT_LIKE = re.compile(r"\b\d{12,19}\b")
PROGRAM_LINE = re.compile(r"^claim \S+ — (\S+) ")
NAME_KEYS = ("姓名", "name", "收款人", "payee", "户名")


def find(ctx: Ctx, text: str) -> tuple[list[dict], list[dict]]:
    """(payments, decisions) naming ``text`` as payee id, payee name, claim id or reference."""
    with ctx.ledger.reading() as conn:
        paid = (
            conn.execute(
                select(payments, batches.c.code)
                .join(batches, batches.c.id == payments.c.batch_id)
                .where(
                    or_(
                        payments.c.payee_id == text,
                        payments.c.payee_name == text,
                        payments.c.claim_id == text,
                        payments.c.reference == text,
                    )
                )
                .order_by(payments.c.id)
                .limit(LIMIT)
            )
            .mappings()
            .all()
        )
        claim_ids = {p["claim_id"] for p in paid} | {text}
        decided = (
            conn.execute(
                select(decisions, batches.c.code, batches.c.program_id)
                .join(batches, batches.c.id == decisions.c.batch_id)
                .where(decisions.c.claim_id.in_(claim_ids))
                .order_by(decisions.c.id)
                .limit(LIMIT)
            )
            .mappings()
            .all()
        )
        if not decided and not paid:  # a person never paid: their claims' own cells
            decided = (
                conn.execute(
                    select(decisions, batches.c.code, batches.c.program_id)
                    .join(batches, batches.c.id == decisions.c.batch_id)
                    .where(decisions.c.input_json.contains(json.dumps(text, ensure_ascii=False)))
                    .order_by(decisions.c.id)
                    .limit(LIMIT)
                )
                .mappings()
                .all()
            )
    return [dict(p) for p in paid], [dict(d) for d in decided]


def bank_lines(ctx: Ctx, payment_ids: list[int]) -> list[dict]:
    """The bank statement lines matched to these payments, with the bank's return reason."""
    with ctx.ledger.reading() as conn:
        rows = (
            conn.execute(
                select(statement_lines, line_matches.c.rule, payments.c.reference.label("payment"))
                .join(line_matches, line_matches.c.line_id == statement_lines.c.id)
                .join(payments, payments.c.id == line_matches.c.payment_id)
                .where(line_matches.c.payment_id.in_(payment_ids))
                .order_by(statement_lines.c.id)
            )
            .mappings()
            .all()
        )
    return [dict(r) for r in rows]


def search(ctx: Ctx):
    text = ctx.request.query_params.get("q", "").strip()
    paid, decided = find(ctx, text) if text else ([], [])
    lines = bank_lines(ctx, [p["id"] for p in paid]) if paid else []
    return ctx.render("search.html", q=text, paid=paid, decided=decided, lines=lines)


def masked_line(line: str) -> str:
    """An explain line with 身份证号, credit codes and accounts masked, and names in the
    claim's input cells reduced to the family initial."""
    if line.lstrip().startswith("input: "):
        head, _, body = line.partition("input: ")
        cells = json.loads(body)
        for key, value in cells.items():
            if isinstance(value, str) and any(k in key for k in NAME_KEYS):
                cells[key] = mask_name(value)
        line = head + "input: " + json.dumps(cells, ensure_ascii=False)
    line = ID_LIKE.sub(lambda m: mask_id(m.group()), line)
    return ACCOUNT_LIKE.sub(lambda m: "****" + m.group()[-4:], line)


def explain_page(ctx: Ctx):
    what = ctx.request.query_params.get("what", "").strip()
    lines = explain(ctx.ledger, what) if what else []
    if ctx.may("person.read") is False:
        lines = [masked_line(line) for line in lines]
    programs = dict.fromkeys(m.group(1) for line in lines if (m := PROGRAM_LINE.match(line)))
    return ctx.render("explain.html", what=what, lines=lines, programs=list(programs))


PAGES = [Page("/search", search), Page("/explain", explain_page)]
