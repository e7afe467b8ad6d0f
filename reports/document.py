"""What a report is, independent of PDF, XLSX or CSV: a title block, then tables, charts and notes.

Cells hold exact values and the column says how to show them: ``fen`` columns hold
integer fen (printed as grouped yuan, written to XLSX as an exact decimal number of
yuan), ``count`` integers, ``rate`` a :class:`~fractions.Fraction` (printed as a percent
to two decimals), ``text`` strings. ``None`` is an empty cell.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from subsidies.domain.money import format_yuan_grouped

ColumnKind = Literal["text", "fen", "count", "rate"]
Cell = str | int | Fraction | None


@dataclass(frozen=True)
class Column:
    title: str
    kind: ColumnKind = "text"
    width: float = 1.0  # relative width in the PDF


@dataclass(frozen=True)
class Table:
    """A table; ``total`` rows (合计) end it, ``subtotals`` (indexes in ``rows``) are shaded."""

    title: str
    columns: tuple[Column, ...]
    rows: list[list[Cell]]
    total: tuple[list[Cell], ...] = ()
    subtotals: frozenset[int] = frozenset()
    note: str = ""
    sheet: str = ""  # the XLSX sheet name (at most 31 characters); the title's start if empty


@dataclass(frozen=True)
class Bars:
    """Bars in groups: one group per category, one bar per series; values are integer fen."""

    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]
    horizontal: bool = False


@dataclass(frozen=True)
class Paragraph:
    text: str
    body: bool = False  # body text (a notice's); otherwise a small note


Block = Table | Bars | Paragraph


@dataclass(frozen=True)
class Report:
    """A printable report; ``fund``, ``period`` and ``unit`` make the title block."""

    title: str
    fund: str
    period: str
    unit: str  # 编制单位, the issuing unit ("" leaves a line to write on)
    blocks: list[Block]
    subtitle: str = ""
    prepared_on: dt.date = field(default_factory=dt.date.today)
    landscape: bool = False
    signatures: tuple[str, ...] = ("单位负责人", "财务负责人", "复核", "制表")  # lines to sign
    closing: tuple[str, ...] = ()  # right-aligned lines at the end (a notice's unit and date)

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


def percent(rate: Fraction) -> Decimal:
    """A rate as a percent to two decimals, halves away from zero, in integer arithmetic."""
    basis_points, rest = divmod(abs(rate.numerator) * 10_000, rate.denominator)
    if 2 * rest >= rate.denominator:
        basis_points += 1
    return Decimal(f"{-basis_points if rate < 0 else basis_points}e-2")


def rate(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


def shown(value: Cell, kind: ColumnKind) -> str:
    """A cell as printed."""
    if value is None:
        return ""
    if kind == "fen":
        return format_yuan_grouped(value)
    if kind == "count":
        return f"{value:,}"
    if kind == "rate":
        return f"{percent(value)}%"
    return str(value)


def yuan(fen: int) -> Decimal:
    """Integer fen as an exact Decimal of yuan (for spreadsheets)."""
    return Decimal(f"{fen}e-2")


NUMBERS = "一二三四五六七八九十"


def numbered(blocks: list[Block]) -> list[Block]:
    """Number the tables 一、二、… in the order they print."""
    out, n = [], 0
    for block in blocks:
        if isinstance(block, Table):
            block = dataclasses.replace(block, title=f"{NUMBERS[n]}、{block.title}")
            n += 1
        out.append(block)
    return out
