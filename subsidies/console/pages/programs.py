"""政策与项目: the programs with the amounts in force, and each one's parameters with their
history and the quoted articles (as ``subsidies programs`` and ``subsidies show``)."""

from __future__ import annotations

import datetime as dt

from calculators.registry import calculator, calculators
from subsidies.console.web import Ctx, Page

KIND = {"payout": "补贴发放", "loan": "担保贷款额度", "assessment": "认定标准（不涉及资金）"}


def in_force(program, on: dt.date) -> list[str]:
    """The program's amounts in yuan in force on ``on``, as ``subsidies programs`` shows them."""
    shown = []
    for parameter in program.parameters.values():
        value = parameter.at(on)
        if value is not None and parameter.unit == "yuan":
            shown.append(f"{parameter.description.split(' / ')[0]} {parameter.show(value)}")
    return shown


def programs(ctx: Ctx):
    on = ctx.request.query_params.get("on") or dt.date.today().isoformat()
    try:
        day = dt.date.fromisoformat(on)
    except ValueError:
        day = dt.date.today()
    rows = [(c.program, in_force(c.program, day)) for c in calculators()]
    return ctx.render("programs.html", rows=rows, on=day, kinds=KIND)


def program(ctx: Ctx):
    calc = calculator(ctx.params["program_id"])
    return ctx.render("program.html", p=calc.program, claim_template=calc.template, kinds=KIND)


PAGES = [Page("/programs", programs), Page("/programs/{program_id}", program)]
