"""A plan line's money: its count times the program's parameters in force on the price date.

Amounts come only from the calculators' dated parameters (``Parameter.at``), so an
amended amount changes the plan. Programs whose claims vary say how a line gives the mix:

- ``qinghai.goji_broker``: count × base + (count × ``top_up_share``) × top-up; the share
  must give a whole number of workers.
- ``dalian.brand_recognition``: by ``level`` (provincial, city; district is not paid).
- ``qinghai.specialised_sme``: by ``level`` (provincial, national_little_giant), at the cap.
- ``qinghai.transport``: at the cap per person ("不高于"), so the plan is a ceiling.
- any other payout program with one yuan parameter: count × that parameter.

A what-if may override a parameter (:data:`Overrides`); the line then says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from calculators.parameters import Program
from reports.scenario import Line
from subsidies.domain.money import format_yuan_grouped

Overrides = dict[tuple[str, str], int]  # (program id, yuan parameter) -> fen
LEVEL_PARAMETERS: dict[str, dict[str, str | None]] = {
    "dalian.brand_recognition": {
        "provincial": "amount_provincial",
        "city": "amount_city",
        "district": None,  # 三(四)5 pays provincial and city levels only
    },
    "qinghai.specialised_sme": {
        "provincial": "cap_provincial",
        "national_little_giant": "cap_national_little_giant",
    },
}
GOJI = "qinghai.goji_broker"
AT_CAP = {"qinghai.transport", "qinghai.specialised_sme"}
LEVEL_NAMES = {
    "provincial": "省级",
    "city": "市级",
    "district": "区级",
    "national_little_giant": "国家级小巨人",
}


class PricingError(ValueError):
    """A line that cannot be priced, naming the line and why."""


@dataclass(frozen=True)
class Use:
    """One parameter value a line was priced with."""

    name: str
    fen: int
    citation: str  # the value's document and article, or "假设（what-if）"


@dataclass(frozen=True)
class Price:
    fen: int
    formula: str  # "7 × 1,000,000.00"
    uses: tuple[Use, ...]
    remark: str = ""  # "按上限测算", "区级不予补贴"


def _yuan(fen: int) -> str:
    return format_yuan_grouped(fen)


def _value(program: Program, name: str, on: dt.date, line: Line, overrides: Overrides) -> Use:
    if (program.id, name) in overrides:
        return Use(name, overrides[(program.id, name)], "假设（what-if）")
    parameter = program.parameter(name)
    if parameter.unit != "yuan":
        raise PricingError(f"{line.where}: {program.id}.{name} is not an amount in yuan")
    found = parameter.at(on)
    if found is None:
        raise PricingError(
            f"{line.where}: {program.id}.{name} has no value in force on {on} "
            f"(the first is from {parameter.values[0].start}); plan a later year"
        )
    return Use(name, found.value, found.citation)


def _goji(program: Program, on: dt.date, line: Line, overrides: Overrides) -> Price:
    if line.top_up_share is None:
        raise PricingError(f"{line.where}: give top_up_share, the share of workers with the top-up")
    entitled = line.count * line.top_up_share
    if entitled != entitled.to_integral_value():
        raise PricingError(
            f"{line.where}: {line.count:,} × {line.top_up_share} = {entitled} workers is not a "
            "whole number; change the count or the share"
        )
    base = _value(program, "base_per_worker", on, line, overrides)
    top_up = _value(program, "top_up_per_worker", on, line, overrides)
    n = int(entitled)
    share = share_shown(line.top_up_share)
    return Price(
        line.count * base.fen + n * top_up.fen,
        f"{line.count:,} × {_yuan(base.fen)} + {n:,}（{share}）× {_yuan(top_up.fen)}",
        (base, top_up),
    )


def _single(program: Program, line: Line) -> str:
    names = [n for n, p in program.parameters.items() if p.unit == "yuan"]
    if len(names) != 1:
        raise PricingError(
            f"{line.where}: {program.id} has no plan model; its yuan parameters are "
            f"{', '.join(names) or 'none'}"
        )
    return names[0]


def price(program: Program, line: Line, on: dt.date, overrides: Overrides | None = None) -> Price:
    """The money of ``line`` (a payout program) at the parameters in force on ``on``."""
    overrides = overrides or {}
    if line.level and program.id not in LEVEL_PARAMETERS:
        raise PricingError(f"{line.where}: {program.id} takes no level")
    if line.top_up_share is not None and program.id != GOJI:
        raise PricingError(f"{line.where}: {program.id} takes no top_up_share")
    if program.id == GOJI:
        return _goji(program, on, line, overrides)
    remark = "按上限测算" if program.id in AT_CAP else ""
    if program.id in LEVEL_PARAMETERS:
        levels = LEVEL_PARAMETERS[program.id]
        if line.level not in levels:
            raise PricingError(f"{line.where}: give level: one of {', '.join(levels)}")
        name = levels[line.level]
        if name is None:
            return Price(0, f"{line.count:,} × 0.00", (), f"{LEVEL_NAMES[line.level]}不予补贴")
    else:
        name = _single(program, line)
    use = _value(program, name, on, line, overrides)
    return Price(line.count * use.fen, f"{line.count:,} × {_yuan(use.fen)}", (use,), remark)


def share_shown(share: Decimal | None) -> str:
    return "" if share is None else f"{(share * 100).normalize():f}%"
