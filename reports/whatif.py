"""What-if: a plan beside a changed plan, line by line, with the difference.

A change is ``--vary NAME=VALUE``:

- ``PROGRAM.PARAMETER=AMOUNT`` overrides a program's yuan parameter for every line
  (``dalian.brand_recognition.amount_city=80000``), read as yuan exactly as claim files are;
- ``FIELD=VALUE`` sets a scenario field on every line that has it
  (``top_up_share=50%`` or ``=0.5``, an exact Decimal), ``PROGRAM.FIELD=VALUE`` on that
  program's lines only; the fields are ``count``, ``top_up_share`` and ``level``.

Or the changed plan is a second scenario; its lines are matched to the first's by program
(or item), year, region, fund and level.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass

from calculators.pricing import Overrides
from reports.plan import Plan, PlanLine, ProgramLookup, builtin_program
from reports.scenario import LEVELS, Line, Scenario, ScenarioError, share
from subsidies.domain.money import AmountError, format_yuan_grouped, parse_yuan

FIELDS = ("count", "top_up_share", "level")
FIELD_NAMES = {
    "count": "数量",
    "top_up_share": "增补比例",
    "level": "级别",
}  # as reports print them


class VaryError(ValueError):
    """A ``--vary`` that names nothing in the scenario or its programs."""


@dataclass(frozen=True)
class Change:
    scenario: Scenario
    overrides: Overrides
    described: tuple[str, ...]  # one line per change, as the report prints it


def _field_value(name: str, text: str, where: str):
    if name == "count":
        if not text.isdigit():
            raise VaryError(f"{where}: count must be a whole number, not {text!r}")
        return int(text)
    if name == "top_up_share":
        try:
            return share(text, where)
        except ScenarioError as error:
            raise VaryError(str(error)) from None
    if text not in LEVELS:
        raise VaryError(f"{where}: level must be one of {', '.join(LEVELS)}")
    return text


def _set_field(
    lines: tuple[Line, ...], program: str, name: str, value
) -> tuple[tuple[Line, ...], int]:
    """Set ``name`` on ``program``'s lines, or without a program on every line that has it."""
    changed, n = [], 0
    for line in lines:
        if line.program == program if program else getattr(line, name) not in (None, ""):
            line = dataclasses.replace(line, **{name: value})
            n += 1
        changed.append(line)
    return tuple(changed), n


def vary(
    scenario: Scenario, assignments: list[str], programs: ProgramLookup = builtin_program
) -> Change:
    """The scenario and parameter overrides after ``NAME=VALUE`` assignments, in order."""
    lines, overrides, described = scenario.lines, {}, []
    for assignment in assignments:
        name, sep, text = assignment.partition("=")
        name, text = name.strip(), text.strip()
        if not sep or not name or not text:
            raise VaryError(f"--vary {assignment!r}: write NAME=VALUE")
        program_id, _, last = name.rpartition(".")
        if last in FIELDS:
            if name == "count":
                raise VaryError("--vary count=…: name the program (PROGRAM.count=N)")
            value = _field_value(last, text, f"--vary {assignment}")
            lines, n = _set_field(lines, program_id, last, value)
            if n == 0:
                raise VaryError(f"--vary {assignment}: no line of the scenario has {name}")
            whose = f"{programs(program_id).name_zh} " if program_id else ""
            described.append(f"{whose}{FIELD_NAMES[last]} = {text}（{n} 行）")
            continue
        if not program_id:
            raise VaryError(
                f"--vary {assignment}: name a field ({', '.join(FIELDS)}) or PROGRAM.PARAMETER"
            )
        try:
            program = programs(program_id)
        except KeyError as error:
            raise VaryError(f"--vary {assignment}: {error}") from None
        yuan = [n for n, p in program.parameters.items() if p.unit == "yuan"]
        if last not in yuan:
            raise VaryError(
                f"--vary {assignment}: {program_id} has no amount {last!r}; its amounts are "
                f"{', '.join(yuan) or 'none'}"
            )
        try:
            overrides[(program_id, last)] = parse_yuan(text)
        except AmountError as error:
            raise VaryError(f"--vary {assignment}: {error}") from None
        description = program.parameters[last].description.split(" / ")[0]
        label = (
            program.name_zh
            if description in program.name_zh
            else f"{program.name_zh} {description}"
        )
        described.append(f"{label} = {format_yuan_grouped(overrides[(program_id, last)])} 元")
    changed = dataclasses.replace(scenario, lines=lines)
    return Change(changed, overrides, tuple(described))


@dataclass(frozen=True)
class Pair:
    base: PlanLine | None
    changed: PlanLine | None

    @property
    def line(self) -> Line:
        return (self.base or self.changed).line

    @property
    def name(self) -> str:
        return (self.base or self.changed).name

    @property
    def difference(self) -> int:
        return (self.changed.fen if self.changed else 0) - (self.base.fen if self.base else 0)


def pairs(base: Plan, changed: Plan, *, by_number: bool) -> list[Pair]:
    """Lines side by side: by line number (a varied scenario) or by key (a second scenario)."""

    def keyed(plan: Plan) -> dict:
        seen: Counter = Counter()
        out = {}
        for p in plan.lines:
            key = p.line.number if by_number else p.line.key
            seen[key] += 1
            out[(key, seen[key])] = p
        return out

    left, right = keyed(base), keyed(changed)
    order = [*left, *(k for k in right if k not in left)]
    return [Pair(left.get(k), right.get(k)) for k in order]
