"""A budget plan: a scenario's lines priced, totalled by year × program × fund, set against
the appropriations.

A line of a payout program is priced by its calculator (:mod:`calculators.pricing`) at the
parameters in force
on its year's price date (1 July unless the scenario says otherwise). Lines of loan
programs (a loan is not a payout from the fund), of recognition standards (no money) and
``item`` lines (targets the catalogue has no money rule for) are counted, not costed,
and stay out of every total. Appropriations per fund come from the ledger for a fund the
ledger has, else from the scenario's ``appropriations``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from calculators.parameters import Program
from calculators.pricing import Overrides, Price, PricingError, Quantity
from calculators.registry import calculator
from ledgers import Ledger
from reports.scenario import Line, Scenario

NOT_COSTED = {
    "loan": "贷款，不属于补贴资金支出，不计入合计",
    "assessment": "认定标准，文件未规定补贴金额",
}

ProgramLookup = Callable[[str], Program]


def builtin_program(program_id: str) -> Program:
    return calculator(program_id).program


@dataclass(frozen=True)
class PlanLine:
    line: Line
    program: Program | None
    price: Price | None = None  # None: counted, not costed
    reason: str = ""  # why it is not costed

    @property
    def fen(self) -> int:
        return self.price.fen if self.price else 0

    @property
    def name(self) -> str:
        return self.program.name_zh if self.program else self.line.item


@dataclass(frozen=True)
class FundRow:
    fund: str
    planned: int
    appropriated: int | None  # None: neither the ledger nor the scenario gives one
    source: str  # 账簿 | 测算文件 | ""

    @property
    def difference(self) -> int | None:
        """Appropriated less planned: a surplus (结余) if positive, a shortfall (缺口) if negative."""
        return None if self.appropriated is None else self.appropriated - self.planned


@dataclass(frozen=True)
class Plan:
    scenario: Scenario
    lines: tuple[PlanLine, ...]
    appropriations: dict[str, tuple[int, str]]  # fund -> (fen, source)

    @property
    def priced(self) -> list[PlanLine]:
        return [p for p in self.lines if p.price is not None]

    @property
    def counted(self) -> list[PlanLine]:
        return [p for p in self.lines if p.price is None]

    @property
    def total(self) -> int:
        return sum(p.fen for p in self.priced)

    def by_year_program_fund(self) -> list[tuple[int, str, str, int, int]]:
        """(year, program id, fund, count, fen), sorted."""
        totals: dict[tuple[int, str, str], list[int]] = defaultdict(lambda: [0, 0])
        for p in self.priced:
            cell = totals[(p.line.year, p.line.program, p.line.fund)]
            cell[0] += p.line.count
            cell[1] += p.fen
        return [(*key, count, fen) for key, (count, fen) in sorted(totals.items())]

    def by_year(self) -> dict[int, int]:
        totals: dict[int, int] = defaultdict(int)
        for p in self.priced:
            totals[p.line.year] += p.fen
        return dict(sorted(totals.items()))

    def by_fund(self) -> list[FundRow]:
        planned: dict[str, int] = defaultdict(int)
        for p in self.priced:
            planned[p.line.fund] += p.fen
        funds = sorted(set(planned) | set(self.appropriations))
        return [FundRow(f, planned[f], *self.appropriations.get(f, (None, ""))) for f in funds]


def _price(program: Program, line: Line, on, overrides: Overrides) -> Price:
    """The line priced by its program's plan model, an error naming the line."""
    quantity = Quantity(line.count, line.level, line.top_up_share)
    try:
        return calculator(program.id).pricing.price(program, quantity, on, overrides)
    except PricingError as error:
        raise PricingError(f"{line.where}: {error}") from None


def ledger_appropriations(ledger: Ledger, funds: list[str]) -> dict[str, int]:
    """Appropriated to date (4001 财政拨款收入, net of reversals) of each fund the ledger has."""
    known = {f.code for f in ledger.funds()}
    return {fund: ledger.balance("4001", fund) for fund in funds if fund in known}


def make_plan(
    scenario: Scenario,
    *,
    overrides: Overrides | None = None,
    ledger: Ledger | None = None,
    programs: ProgramLookup = builtin_program,
) -> Plan:
    """Price every line; appropriations from ``ledger`` where it has the fund."""
    overrides = overrides or {}
    lines = []
    for line in scenario.lines:
        if not line.program:
            lines.append(PlanLine(line, None, reason=line.reason))
            continue
        try:
            program = programs(line.program)
        except KeyError as error:
            raise PricingError(f"{line.where}: {error}") from None
        if program.kind in NOT_COSTED:
            lines.append(PlanLine(line, program, reason=NOT_COSTED[program.kind]))
            continue
        if not line.fund:
            raise PricingError(f"{line.where}: give the fund the line is paid from")
        on = scenario.price_date(line.year)
        lines.append(PlanLine(line, program, _price(program, line, on, overrides)))
    appropriations: dict[str, tuple[int, str]] = {}
    for a in scenario.appropriations:
        fen, source = appropriations.get(a.fund, (0, "测算文件"))
        appropriations[a.fund] = (fen + a.fen, f"{source}；{a.ref}" if a.ref else source)
    if ledger is not None:
        funds = sorted({*scenario.funds, *appropriations})
        for fund, fen in ledger_appropriations(ledger, funds).items():
            appropriations[fund] = (fen, "账簿")
    return Plan(scenario, tuple(lines), appropriations)
