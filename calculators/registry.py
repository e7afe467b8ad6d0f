"""Calculators are found through the ``subsidies.calculators`` entry-point group.

The built-in programs register in this project's ``pyproject.toml`` exactly as a
plugin package registers its own: ``"<jurisdiction>.<rule>" = "module:Class"``.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points

from calculators.base import Calculator
from subsidies.domain.i18n import _

GROUP = "subsidies.calculators"


class UnknownProgram(KeyError):
    def __str__(self) -> str:
        return _("unknown program {program!r}; known: {known}").format(
            program=self.args[0], known=", ".join(program_ids())
        )


@cache
def _entry_points() -> dict:
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def program_ids() -> list[str]:
    return sorted(_entry_points())


@cache
def calculator(program_id: str) -> Calculator:
    try:
        entry = _entry_points()[program_id]
    except KeyError:
        raise UnknownProgram(program_id) from None
    instance = entry.load()()
    if instance.program_id != program_id:
        raise ValueError(f"entry point {program_id!r} loads {instance.program_id!r}")
    return instance


def calculators() -> list[Calculator]:
    return [calculator(p) for p in program_ids()]
