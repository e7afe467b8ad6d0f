"""查询: a person or unit by 身份证号 (or 统一社会信用代码), name, claim id or payment
reference → every claim, batch, payment, return and recovery; then "explain" from the
bank line back to the quoted sentence (``subsidies explain``). Person data is masked for
the roles that do not need it. The lookups are the workflow's
(:mod:`subsidies.workflow.lookup`), each through an index."""

from __future__ import annotations

import json
import re

from calculators.registry import program_ids
from subsidies.console.web import Ctx, Page
from subsidies.domain.identity import mask_id, mask_name
from subsidies.workflow import lookup
from subsidies.workflow.explain import explain

ID_LIKE = re.compile(r"\b\d{17}[\dXx]\b|\b[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}\b")
ACCOUNT_LIKE = re.compile(r"\b\d{12,19}\b")
NAME_KEYS = ("姓名", "name", "收款人", "payee", "户名")


def search(ctx: Ctx):
    text = ctx.request.query_params.get("q", "").strip()
    paid, decided = lookup.find(ctx.ledger, text) if text else ([], [])
    lines = lookup.bank_lines(ctx.ledger, [p["id"] for p in paid]) if paid else []
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
    return ctx.render("explain.html", what=what, lines=lines, programs=programs_named(lines))


def programs_named(lines: list[str]) -> list[str]:
    """The programs the explanation names (whatever language its lines are in), in order."""
    known = set(program_ids())
    return [word for word in dict.fromkeys(" ".join(lines).split()) if word in known]


PAGES = [Page("/search", search), Page("/explain", explain_page)]
