"""What a calculator is: a template, its parameters, and one vectorised rule.

A calculator class declares its program id, its claim template, its one-time keys
and :meth:`Calculator.assess`, which sees only rows whose data are valid and whose
date is covered by the program's document, and returns a :class:`Assessment`:
every check with the actual values, the amount in fen and the citation. The
pipeline around it (:mod:`calculators.evaluate`) does the rest, identically for a
batch of one and a batch of a million.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd

from calculators.coerce import Problems
from calculators.distinct import Texts, Values, joined
from calculators.parameters import (
    BoundParameters,
    Program,
    builtin_documents,
    load_program,
)
from calculators.pricing import PerHead, Pricing
from calculators.template import Template
from subsidies.domain.i18n import _, fill, separator


@dataclass(frozen=True)
class OneTimeKey:
    """Columns that may take a payment once ("一次性"), and how to name them in a reason."""

    label: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class OverlapKey:
    """A person who may be claimed again, but never for days already claimed."""

    label: str
    person: str
    start: str
    end: str


Label = Texts | Values | str  # one string, or text per row


class Checks:
    """The conditions of a rule, each kept with its actual values as a reason.

    ``check("worked 2 months 0 days ≥ 2 months", passed)`` records
    ``"worked 2 months 0 days ≥ 2 months: yes"`` (or ``no``; in Chinese ``：是`` / ``：否``)
    per row; the row is
    eligible when every check passed. A label is one string, a Series or array of
    text per row, :class:`~calculators.distinct.Texts`, or a function of no arguments
    that returns one of these: it is called only when :meth:`reasons` are asked for, so
    deciding (``passed`` and the amounts) costs no text at all.
    """

    def __init__(self, index: pd.Index):
        self.index = index
        self.passed = np.ones(len(index), dtype=bool)
        self._reasons: list[Callable[[], Texts]] = []

    def check(self, label: Label | Callable[[], Label], passed, applies=None) -> np.ndarray:
        """Record a condition; rows where it does not ``applies`` pass it silently."""
        passed = np.array(passed, dtype=bool)  # a copy: the answers are written later
        if applies is not None:
            applies = np.array(applies, dtype=bool)
        label = label if callable(label) else self._texts(label)
        self._reasons.append(functools.partial(self._answered, label, passed, applies))
        if applies is not None:
            passed = passed | ~applies
        self.passed &= passed
        return passed

    def note(self, text: Label | Callable[[], Label]) -> None:
        """A reason that decides nothing (a remark an auditor should read)."""
        text = text if callable(text) else self._texts(text)
        self._reasons.append(functools.partial(self._texts, text))

    def _texts(self, label: Label | Callable[[], Label]) -> Texts:
        return Texts.of(label() if callable(label) else label, len(self.index))

    def _answered(self, label, passed: np.ndarray, applies: np.ndarray | None) -> Texts:
        """``<label>: yes`` or ``<label>: no`` per row, "" where the check does not apply."""
        label = self._texts(label)
        answered = np.concatenate([answer(label.values, False), answer(label.values, True)])
        text = Texts(label.codes + passed * len(label.values), answered)
        return text if applies is None else text.blank_where(~applies)

    def texts(self) -> list[Texts]:
        """Every reason part (a check's label with its answer, or a note), in order."""
        return [part() for part in self._reasons]

    def reasons(self) -> np.ndarray:
        """Each row's reasons, those that are not blank, joined by "; " (Chinese "；")."""
        return joined(self.texts(), len(self.index), separator())


def answer(label, passed: bool):
    """A check's label (one text or a column of them) with its answer, ``: yes`` / ``: no``."""
    return fill(_("{check}: yes") if passed else _("{check}: no"), check=label)


@dataclass
class Assessment:
    checks: Checks
    amount_fen: np.ndarray  # what an eligible row is paid (or, for a loan, approved)
    citation: np.ndarray | str


class Calculator:
    """Base of every program's calculator; subclasses register under the
    ``subsidies.calculators`` entry-point group."""

    program_id: ClassVar[str]
    template: ClassVar[Template]
    one_time_keys: ClassVar[tuple[OneTimeKey, ...]] = ()
    overlap: ClassVar[OverlapKey | None] = None
    parameter_file: ClassVar[Path | None] = None  # default: the module's own name, .yaml
    # who is paid (name column, id column), and whom the claim is for when that differs
    payee: ClassVar[tuple[str, str]] = ("unit_name", "credit_code")
    subject: ClassVar[tuple[str, str] | None] = None
    # the brand-builder unit (统一社会信用代码 column) and brand name a claim is paid for, if any:
    # the brand registry refuses a claim whose brand is suspended or removed
    brand_unit: ClassVar[str | None] = None
    brand_name: ClassVar[str | None] = None
    # how a budget plan prices a line of this program (calculators.pricing)
    pricing: ClassVar[Pricing] = PerHead()

    @cached_property
    def program(self) -> Program:
        path = self.parameter_file or Path(inspect.getfile(type(self))).with_suffix(".yaml")
        return load_program(path, builtin_documents())

    def row_errors(self, claims: pd.DataFrame, problems: Problems, as_of: dt.date) -> None:
        """Add problems the template alone cannot see (a value required by another); ``as_of``
        is the date the claims are read on (the identity checks' ``today``)."""

    def assess(self, claims: pd.DataFrame, params: BoundParameters) -> Assessment:
        raise NotImplementedError
