"""The reports an officer writes to a file, one function each for the CLI, the console and
the demo: budget plans and what-ifs, budget execution, payout registers.

Each reads what it needs, builds the report (:mod:`reports`) and writes it (.pdf, .xlsx or
.csv by the path's suffix); it returns what was reported, for the caller to summarise.
``progress`` hears of the reading, then of the writing (:mod:`subsidies.domain.progress`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ledgers import Ledger
from reports import output
from reports.execution import Execution, execution
from reports.execution_report import execution_report
from reports.plan import Plan, make_plan
from reports.plan_report import comparison_report, plan_report
from reports.register import Register
from reports.register_report import register_report
from reports.scenario import load
from reports.whatif import pairs, vary
from subsidies.domain.i18n import _
from subsidies.domain.progress import SILENT, Progress
from subsidies.workflow.base import WorkflowError
from subsidies.workflow.registers import register


@dataclass(frozen=True)
class Plans:
    """A plan, and the changed plan set beside it (the same plan when nothing changed)."""

    base: Plan
    final: Plan

    @property
    def compared(self) -> bool:
        return self.final is not self.base


def plan_file(
    scenario: Path,
    out: Path,
    *,
    varies: tuple[str, ...] = (),
    compare: Path | None = None,
    ledger: Ledger | None = None,
    unit: str = "",
    progress: Progress = SILENT,
) -> Plans:
    """Price ``scenario`` (appropriations from ``ledger`` where it has the fund); with
    ``varies`` (``NAME=VALUE``) or a second scenario ``compare``, the two side by side."""
    if varies and compare:
        raise WorkflowError(_("vary the scenario or compare it with another, not both"))
    progress.stage(_("pricing the plan"))
    base_scenario = load(scenario)
    base = final = make_plan(base_scenario, ledger=ledger)
    if compare:
        final = make_plan(load(compare), ledger=ledger)
        described = [f"对比测算文件 {compare.name}"]
    elif varies:
        change = vary(base_scenario, list(varies))
        final = make_plan(change.scenario, overrides=change.overrides, ledger=ledger)
        described = list(change.described)
    if final is base:
        document = plan_report(base, unit)
    else:
        lines = pairs(base, final, by_number=not compare)
        document = comparison_report(base, final, lines, described, unit)
    output.write(document, out, progress)
    return Plans(base, final)


def execution_file(
    ledger: Ledger,
    out: Path,
    *,
    fund: str | None = None,
    first: str | None = None,
    last: str | None = None,
    unit: str = "",
    progress: Progress = SILENT,
) -> Execution:
    """Budget execution (预算执行) by fund, program and month, written with its check
    against the trial balance (``Execution.reconciled`` says whether they agree)."""
    if fund and fund not in {f.code for f in ledger.funds()}:
        raise WorkflowError(_("no fund {fund}").format(fund=repr(fund)))
    progress.stage(_("reading the ledger"))
    result = execution(ledger, fund=fund, first=first, last=last)
    output.write(execution_report(result, unit), out, progress)
    return result


def register_file(
    ledger: Ledger,
    out: Path,
    batches: list[str],
    program: str | None = None,
    unit: str = "",
    progress: Progress = SILENT,
) -> Register:
    """The payout register (发放明细表) of ``batches`` and/or every approved batch of ``program``."""
    progress.stage(_("reading the payouts"))
    found = register(ledger, batches, program)
    output.write(register_report(found, unit), out, progress)
    return found
