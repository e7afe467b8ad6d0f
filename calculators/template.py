"""Claim templates: the columns a program reads, as ``docs/spec/claim-templates.md`` fixes them.

A :class:`Template` names each column with its English id, its Chinese header, the
kind of value it holds and, for enumerations, the English values with their
Chinese labels. Headers are matched after normalising (NFKC, case, spaces, a
trailing ``*`` or bracketed note such as ``（元）``), so ``身份证号``,
``Employee ID`` and ``employee_id`` all find their column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal[
    "text",  # free text (names, units)
    "resident_id",  # 身份证号, GB 11643-1999
    "credit_code",  # 统一社会信用代码, GB 32100-2015
    "party_id",  # 身份证号 or 统一社会信用代码, checked as the row's other columns say
    "date",
    "yes_no",
    "choice",
    "amount",  # yuan, to integer fen
    "count",  # a whole number of people, years, …
    "percent",  # to integer hundredths of a percent
    "province",  # to a 2-digit code
]


@dataclass(frozen=True)
class Choice:
    """One value of an enumeration: the English value, its Chinese label, other spellings."""

    value: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kind: Kind = "text"
    required: bool = True
    choices: tuple[Choice, ...] = ()
    aliases: tuple[str, ...] = ()
    note: str = ""
    # read only where another column holds one of these values, ignored elsewhere
    # (graduated_on for graduates, eligible_partners for partnerships)
    only_when: tuple[str, tuple[str, ...]] | None = None

    def headers(self) -> set[str]:
        return {normalise_header(h) for h in (self.name, self.label, *self.aliases)}

    def choice_lookup(self) -> dict[str, str]:
        """Every accepted spelling (normalised) -> the English value."""
        lookup: dict[str, str] = {}
        for choice in self.choices:
            for spelling in (choice.value, choice.label, *choice.aliases):
                lookup[normalise_value(spelling)] = choice.value
        return lookup

    def label_of(self, value: str) -> str:
        return next((c.label for c in self.choices if c.value == value), value)

    def describe(self) -> str:
        """``level 认定级别 (provincial 省级 | city 市级)`` as a message or template note shows it."""
        text = f"{self.name} {self.label}"
        if self.choices:
            text += " (" + " | ".join(f"{c.value} {c.label}" for c in self.choices) + ")"
        return text


CLAIM_ID = Column("claim_id", "申请编号", aliases=("claim id", "申请号", "编号"))


@dataclass(frozen=True)
class Template:
    """The columns of one program's claim file, ``claim_id`` first."""

    columns: tuple[Column, ...]
    ordered_dates: tuple[tuple[str, str], ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.columns or self.columns[0].name != "claim_id":
            object.__setattr__(self, "columns", (CLAIM_ID, *self.columns))

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def match_header(self, cells: list[str]) -> dict[int, str]:
        """Map the positions of header cells to column names (first match wins)."""
        lookup = {h: c.name for c in self.columns for h in c.headers()}
        found: dict[int, str] = {}
        taken: set[str] = set()
        for position, cell in enumerate(cells):
            for key in _header_keys(cell):
                name = lookup.get(key)
                if name and name not in taken:
                    found[position] = name
                    taken.add(name)
                    break
        return found


_BRACKETED = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]$")


def normalise_header(text: str) -> str:
    value = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    value = re.sub(r"[\s\-]+", "_", value).strip("_*")
    return value


def _header_keys(cell: str) -> list[str]:
    """A header cell as written, then without a trailing note in brackets (``交通费（元）``)."""
    first = normalise_header(cell)
    keys = [first]
    stripped = normalise_header(_BRACKETED.sub("", unicodedata.normalize("NFKC", str(cell or ""))))
    if stripped != first:
        keys.append(stripped)
    return keys


def normalise_value(text: str) -> str:
    value = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    return re.sub(r"[\s\"“”'‘’]+", "", value)
