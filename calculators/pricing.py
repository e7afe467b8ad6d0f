"""How a budget plan prices a program: a count times the parameters in force on the price date.

Amounts come only from the program's dated parameters (``Parameter.at``), so an amended
amount changes the plan. Each program says how a plan line gives its mix, as the class
attribute ``pricing`` of its calculator:

- :class:`PerHead` (the default): count × the program's one yuan parameter, or a named
  one; ``at_cap`` for a rule paying "不高于 X" (the plan is then a ceiling);
- :class:`ByLevel`: by the line's ``level``, a level mapped to ``None`` is not paid;
- :class:`WithTopUp`: count × base + (count × ``top_up_share``) × top-up; the share must
  give a whole number of people.

A what-if may override a parameter (:data:`Overrides`); the price then says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from calculators.parameters import Program
from subsidies.domain.money import format_yuan_grouped

Overrides = dict[tuple[str, str], int]  # (program id, yuan parameter) -> fen
AT_CAP = "按上限测算"


class PricingError(ValueError):
    """A line that cannot be priced, saying why (the plan adds which line)."""


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


@dataclass(frozen=True)
class Quantity:
    """What a plan line asks to price: a count, and the mix the program takes."""

    count: int
    level: str = ""
    top_up_share: Decimal | None = None


def parameter_use(program: Program, name: str, on: dt.date, overrides: Overrides) -> Use:
    """The yuan parameter ``name`` in force on ``on`` (or the what-if's value)."""
    if (program.id, name) in overrides:
        return Use(name, overrides[(program.id, name)], "假设（what-if）")
    parameter = program.parameter(name)
    if parameter.unit != "yuan":
        raise PricingError(f"{program.id}.{name} is not an amount in yuan")
    found = parameter.at(on)
    if found is None:
        raise PricingError(
            f"{program.id}.{name} has no value in force on {on} "
            f"(the first is from {parameter.values[0].start}); plan a later year"
        )
    return Use(name, found.value, found.citation)


def share_shown(share: Decimal | None) -> str:
    return "" if share is None else f"{(share * 100).normalize():f}%"


class Pricing:
    """A program's plan model; subclasses say which mix a line may give."""

    levels: tuple[str, ...] = ()  # the levels a line may name; none: a level is refused
    takes_share = False

    def price(
        self, program: Program, quantity: Quantity, on: dt.date, overrides: Overrides
    ) -> Price:
        if quantity.level and not self.levels:
            raise PricingError(f"{program.id} takes no level")
        if quantity.top_up_share is not None and not self.takes_share:
            raise PricingError(f"{program.id} takes no top_up_share")
        return self._price(program, quantity, on, overrides)

    def _price(
        self, program: Program, quantity: Quantity, on: dt.date, overrides: Overrides
    ) -> Price:
        raise NotImplementedError


@dataclass(frozen=True)
class PerHead(Pricing):
    """count × one yuan parameter (``parameter``, or the program's only one)."""

    parameter: str | None = None
    at_cap: bool = False

    def _price(self, program, quantity, on, overrides) -> Price:
        use = parameter_use(program, self.parameter or _only_yuan(program), on, overrides)
        formula = f"{quantity.count:,} × {format_yuan_grouped(use.fen)}"
        return Price(quantity.count * use.fen, formula, (use,), AT_CAP if self.at_cap else "")


@dataclass(frozen=True)
class ByLevel(Pricing):
    """count × the parameter of the line's level; ``None`` for a level the rule does not pay."""

    parameters: tuple[tuple[str, str | None], ...] = ()  # (level, yuan parameter or None)
    unpaid_remark: str = ""  # why an unpaid level costs nothing ("区级不予补贴")
    at_cap: bool = False

    @property
    def levels(self) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(level for level, _ in self.parameters)

    def _price(self, program, quantity, on, overrides) -> Price:
        chosen = dict(self.parameters)
        if quantity.level not in chosen:
            raise PricingError(f"give level: one of {', '.join(chosen)}")
        name = chosen[quantity.level]
        if name is None:
            return Price(0, f"{quantity.count:,} × 0.00", (), self.unpaid_remark)
        return PerHead(name, self.at_cap)._price(program, quantity, on, overrides)


@dataclass(frozen=True)
class WithTopUp(Pricing):
    """count × ``base`` + (count × top_up_share) × ``top_up``."""

    base: str = ""
    top_up: str = ""
    takes_share = True

    def _price(self, program, quantity, on, overrides) -> Price:
        share = quantity.top_up_share
        if share is None:
            raise PricingError("give top_up_share, the share of workers with the top-up")
        entitled = quantity.count * share
        if entitled != entitled.to_integral_value():
            raise PricingError(
                f"{quantity.count:,} × {share} = {entitled} workers is not a whole number; "
                "change the count or the share"
            )
        base = parameter_use(program, self.base, on, overrides)
        top_up = parameter_use(program, self.top_up, on, overrides)
        n = int(entitled)
        return Price(
            quantity.count * base.fen + n * top_up.fen,
            f"{quantity.count:,} × {format_yuan_grouped(base.fen)} + {n:,}（{share_shown(share)}）"
            f"× {format_yuan_grouped(top_up.fen)}",
            (base, top_up),
        )


def _only_yuan(program: Program) -> str:
    names = [n for n, p in program.parameters.items() if p.unit == "yuan"]
    if len(names) != 1:
        raise PricingError(
            f"{program.id} has no plan model; its yuan parameters are {', '.join(names) or 'none'}"
        )
    return names[0]
