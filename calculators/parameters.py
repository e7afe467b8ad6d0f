"""The policy catalogue as data: documents and dated program parameters.

Every amount, cap, threshold and group list a rule uses lives in a YAML file
(beside its module in ``calculators/programs/``), as OpenFisca keeps parameters: a value holds from a date
until the next one, and each value cites the document, the article and the quoted
sentence it comes from. An amended amount is a new dated value, not a code change::

    parameters:
      base_per_worker:
        description: 每人补贴标准 subsidy per worker organised
        unit: yuan
        values:
          2022-02-07: {value: 50, article: 三(六), quote: 按每人50元标准给予补贴}

A quote is the document's own words. One that leaves words out says so with
``abridged: true`` beside it and writes …… where the words were left out. A value the
document does not state at all (a 公示 it does not require: 0 working days) has no quote;
it carries ``note:`` instead, saying so, and cites the document as a whole::

    notice_working_days:
      unit: working_days
      values:
        2022-02-07: {value: 0, note: 文件未规定公示（the document sets no public notice）}

A rule asks for a parameter *at the claim's date*, for a whole batch at once
(:meth:`BoundParameters.values`); a claim dated before its program's document took
effect matches no value and is ``ineligible``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from calculators.distinct import Texts
from subsidies.domain.i18n import _, ngettext, pgettext
from subsidies.domain.money import AmountError, parse_yuan, yuan

UNITS = ("yuan", "count", "months", "years", "working_days", "month_day", "percent", "list", "text")


class CatalogueError(ValueError):
    """A parameter file that cannot be used, naming the file and the entry."""


@dataclass(frozen=True)
class Document:
    id: str
    number: str  # 文号, or the title for a document without one (a draft)
    title: str
    issuer: str
    issued_on: dt.date
    effective_from: dt.date
    status: str  # in_force | trial | draft | repealed
    source: str = ""
    until: dt.date | None = None
    note: str = ""

    def cite(self, article: str) -> str:
        draft = (
            "（征求意见稿）" if self.status == "draft" and "征求意见稿" not in self.number else ""
        )
        return f"{self.number}{draft} {article}".strip()

    @property
    def status_zh(self) -> str:
        return {
            "in_force": "现行有效",
            "trial": "试行",
            "draft": "征求意见稿",
            "repealed": "已废止",
        }[self.status]


@dataclass(frozen=True)
class ParameterValue:
    start: dt.date
    value: Any  # fen (int) for yuan; int for count/months/years/working_days; hundredths for
    # percent; tuple for list; "MM-DD" for month_day
    document: Document
    article: str
    quote: str
    abridged: bool = False  # the quote leaves words out, where it writes ……
    note: str = ""  # for a value the document does not state (no quote): why

    @property
    def citation(self) -> str:
        return self.document.cite(self.article)


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    values: tuple[ParameterValue, ...]  # by start date, ascending

    def at(self, on: dt.date) -> ParameterValue | None:
        current = None
        for value in self.values:
            if value.start <= on:
                current = value
        return current

    def version_index(self, dates: np.ndarray) -> np.ndarray:
        """For each date, the index of the value in force then (-1 before the first)."""
        starts = np.array([v.start for v in self.values], dtype="datetime64[D]")
        return np.searchsorted(starts, np.asarray(dates, dtype="datetime64[D]"), side="right") - 1

    def show(self, value: ParameterValue) -> str:
        return show_value(self.unit, value.value)


def show_value(unit: str, value: Any) -> str:
    """A parameter's value as an officer reads it (``50.00 元``, ``2个月``, ``5 个工作日``)."""
    if unit == "yuan":
        return yuan(value)
    if unit == "percent":
        return f"{Decimal(value) / 100}%"
    if unit == "list":
        return _(", ").join(value)
    if unit == "months":
        return ngettext("{n} month", "{n} months", value).format(n=value)
    if unit == "years":
        return ngettext("{n} year", "{n} years", value).format(n=value)
    if unit == "working_days":
        return ngettext("{n} working day (工作日)", "{n} working days (工作日)", value).format(
            n=value
        )
    if unit == "month_day":
        month, day = value.split("-")
        return f"{value} (每年{int(month)}月{int(day)}日)"
    return str(value)


def unit_name(unit: str) -> str:
    """A parameter's unit as the officer reads it (``元``, ``工作日``)."""
    return {
        "yuan": "元",
        "percent": pgettext("unit", "percent"),
        "list": pgettext("unit", "list"),
        "months": pgettext("unit", "months"),
        "years": pgettext("unit", "years"),
        "working_days": pgettext("unit", "working days"),
        "month_day": pgettext("unit", "month and day"),
        "count": pgettext("unit", "count"),
        "text": pgettext("unit", "text"),
    }.get(unit, unit)


@dataclass(frozen=True)
class Program:
    id: str
    name_zh: str
    name_en: str
    kind: str  # payout | loan | assessment
    document: Document
    article: str
    quote: str
    event_date: str | None
    parameters: dict[str, Parameter] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    abridged: bool = False  # the quote leaves words out, where it writes ……

    @property
    def in_force_from(self) -> dt.date:
        return self.document.effective_from

    @property
    def citation(self) -> str:
        return self.document.cite(self.article)

    def parameter(self, name: str) -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            raise CatalogueError(f"{self.id}: no parameter {name!r}") from None

    def bind(self, dates: np.ndarray) -> BoundParameters:
        return BoundParameters(self, np.asarray(dates, dtype="datetime64[D]"))


class BoundParameters:
    """A program's parameters looked up at each claim's date, for a whole batch."""

    def __init__(self, program: Program, dates: np.ndarray):
        self.program = program
        self.dates = dates
        self._indexes: dict[tuple[dt.date, ...], np.ndarray] = {}  # by the versions' starts

    def _versions(self, name: str) -> tuple[Parameter, np.ndarray]:
        """The parameter, and for each row the index of its value in force then (looked up
        once for all the parameters whose values start on the same days)."""
        parameter = self.program.parameter(name)
        starts = tuple(v.start for v in parameter.values)
        index = self._indexes.get(starts)
        if index is None:
            index = self._indexes[starts] = parameter.version_index(self.dates)
        if (index < 0).any():
            raise CatalogueError(f"{self.program.id}.{name}: a claim predates every value")
        return parameter, index

    def values(self, name: str) -> np.ndarray:
        """The value in force for each row (int64 for numbers, objects for text)."""
        parameter, index = self._versions(name)
        dtype = object if parameter.unit in ("text", "list", "month_day") else np.int64
        table = np.array([v.value for v in parameter.values], dtype=dtype)
        return table[index]

    def member(self, name: str, values: pd.Series) -> np.ndarray:
        """Whether each row's value is in the list parameter in force at the row's date."""
        parameter, index = self._versions(name)
        out = np.zeros(len(values), dtype=bool)
        for version, value in enumerate(parameter.values):
            rows = index == version
            if rows.all():  # one version for every row: the column is not copied
                return values.isin(value.value).to_numpy()
            out[rows] = values[rows].isin(value.value).to_numpy()
        return out

    def grouped(self, *names: str) -> list[tuple[tuple[Any, ...], np.ndarray]]:
        """Each combination of the named parameters' values in force, with its rows (a
        boolean mask): for a rule that builds something once per version (a place list).
        The usual case, one version in force for every row, costs one pass per parameter."""
        parameters = [self.program.parameter(name) for name in names]
        indexes = [self._versions(name)[1] for name in names]
        combined = np.zeros(len(self.dates), dtype=np.int64)
        for parameter, index in zip(parameters, indexes, strict=True):
            combined = combined * len(parameter.values) + index
        first = combined[0] if len(combined) else 0
        if (combined == first).all():
            codes, distinct = np.zeros(len(combined), dtype=np.intp), np.array([first])
        else:
            codes, distinct = pd.factorize(combined)
        groups = []
        for k, code in enumerate(distinct):
            versions = []
            for parameter in reversed(parameters):  # the digits of the combined code
                code, version = divmod(int(code), len(parameter.values))
                versions.append(parameter.values[version].value)
            groups.append((tuple(reversed(versions)), codes == k))
        return groups

    def citation(self, name: str) -> np.ndarray:
        parameter, index = self._versions(name)
        return np.array([v.citation for v in parameter.values], dtype=object)[index]

    def shown(self, name: str) -> np.ndarray:
        """The value for each row as text ("50.00 元"), for reasons."""
        shown = self.texts(name, shown=True)
        return shown.values[shown.codes]

    def texts(self, name: str, *, shown: bool = False) -> Texts:
        """The value in force for each row (a province code, say; or with ``shown``, as
        text, "50.00 元"), coded by version: work done once per distinct value need not
        look for the distinct values."""
        parameter, index = self._versions(name)
        values = [parameter.show(v) if shown else v.value for v in parameter.values]
        return Texts(index, np.array(values, dtype=object))


# ---------------------------------------------------------------- loading


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise CatalogueError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def _value(unit: str, raw: Any, where: str) -> Any:
    if unit == "yuan":
        if isinstance(raw, float):
            raise CatalogueError(
                f"{where}: write yuan amounts as integers or quoted text, not {raw!r}"
            )
        try:
            return parse_yuan(str(raw))
        except AmountError as error:
            raise CatalogueError(f"{where}: {error}") from None
    if unit in ("count", "months", "years", "working_days"):
        if not isinstance(raw, int):
            raise CatalogueError(f"{where}: {raw!r} is not a whole number")
        return raw
    if unit == "percent":
        try:
            hundredths = Decimal(str(raw)) * 100
        except ArithmeticError:
            raise CatalogueError(f"{where}: {raw!r} is not a percentage") from None
        if hundredths != hundredths.to_integral_value():
            raise CatalogueError(f"{where}: {raw!r} has more than two decimals")
        return int(hundredths)
    if unit == "list":
        return tuple(str(item) for item in raw)
    if unit == "month_day":  # a day of every year, MM-DD
        try:
            dt.date.fromisoformat(f"2000-{raw}")  # a leap year: 02-29 is a day
        except (TypeError, ValueError):
            raise CatalogueError(f"{where}: {raw!r} is not a day of the year (MM-DD)") from None
    return str(raw)


def _read_yaml(path: Path | str) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CatalogueError(f"{path}: {error}") from None
    if not isinstance(data, dict):
        raise CatalogueError(f"{path}: expected a mapping at the top")
    return data


def load_documents(path: Path | str) -> dict[str, Document]:
    data = _read_yaml(path)
    return {key: _document(key, entry, f"{path}: {key}") for key, entry in data.items()}


def _document(key: str, entry: dict, where: str) -> Document:
    try:
        return Document(
            id=key,
            number=entry["number"],
            title=entry["title"],
            issuer=entry["issuer"],
            issued_on=_date(entry["issued_on"], where),
            effective_from=_date(entry.get("effective_from", entry["issued_on"]), where),
            status=entry["status"],
            source=entry.get("source", ""),
            until=_date(entry["until"], where) if entry.get("until") else None,
            note=entry.get("note", ""),
        )
    except KeyError as missing:
        raise CatalogueError(f"{where}: missing {missing}") from None


def load_program(path: Path | str, documents: dict[str, Document]) -> Program:
    """Read one program file; its ``document`` is an id in ``documents`` or a full mapping."""
    where = str(path)
    data = _read_yaml(path)
    raw_document = data.get("document")
    if isinstance(raw_document, dict):
        document = _document(raw_document.get("id", data["id"]), raw_document, where)
    elif raw_document in documents:
        document = documents[raw_document]
    else:
        raise CatalogueError(f"{where}: unknown document {raw_document!r}")
    for note in data.get("notes", ()):
        if not isinstance(note, str):
            raise CatalogueError(
                f"{where}: a note is text, not {note!r}: quote it (YAML reads `a: b` as a mapping)"
            )
    parameters = {}
    for name, spec in (data.get("parameters") or {}).items():
        unit = spec.get("unit")
        if unit not in UNITS:
            raise CatalogueError(f"{where}: {name}: unit must be one of {', '.join(UNITS)}")
        values = []
        dated = spec.get("values")
        if not isinstance(dated, dict):
            raise CatalogueError(f"{where}: {name} needs `values:`, a mapping of dates to values")
        for start, entry in sorted(dated.items(), key=lambda kv: _date(kv[0], where)):
            here = f"{where}: {name} from {start}"
            entry = entry if isinstance(entry, dict) else {"value": entry}
            value_doc = entry.get("document")
            if value_doc and value_doc not in documents:
                raise CatalogueError(f"{here}: unknown document {value_doc!r}")
            if "value" not in entry:
                raise CatalogueError(f"{here}: missing `value`")
            doc = documents[value_doc] if value_doc else document
            if "abridged" in entry and "quote" not in entry:
                raise CatalogueError(f"{here}: `abridged` marks a quote, and this value has none")
            unstated = "note" in entry  # the document does not state it: no quote, no article
            if unstated and "quote" in entry:
                raise CatalogueError(f"{here}: `note` is for a value the document does not state")
            quoted = entry if "quote" in entry or unstated else data  # else the program's quote
            values.append(
                ParameterValue(
                    start=_date(start, here),
                    value=_value(unit, entry["value"], here),
                    document=doc,
                    article=str(entry.get("article", "" if unstated else data.get("article", ""))),
                    quote=str(quoted.get("quote", "")),
                    abridged=_abridged(quoted, here),
                    note=str(entry.get("note", "")),
                )
            )
        if not values:
            raise CatalogueError(f"{where}: {name} has no values")
        if values[0].start > document.effective_from:
            raise CatalogueError(
                f"{where}: {name}'s first value is from {values[0].start}, after the document "
                f"takes effect ({document.effective_from}): a claim in between would have no value"
            )
        parameters[name] = Parameter(name, spec.get("description", ""), unit, tuple(values))
    return Program(
        id=data["id"],
        name_zh=data["name_zh"],
        name_en=data["name_en"],
        kind=data.get("kind", "payout"),
        document=document,
        article=str(data.get("article", "")),
        quote=str(data.get("quote", "")),
        event_date=data.get("event_date"),
        parameters=parameters,
        notes=tuple(data.get("notes", ())),
        abridged=_abridged(data, where),
    )


def _abridged(entry: dict, where: str) -> bool:
    """``abridged: true`` beside a quote that leaves words out, marking each gap with ……."""
    abridged = entry.get("abridged", False)
    if not isinstance(abridged, bool):
        raise CatalogueError(f"{where}: abridged must be true or false, not {abridged!r}")
    if abridged and "…" not in str(entry.get("quote", "")):
        raise CatalogueError(f"{where}: an abridged quote writes …… where it leaves words out")
    return abridged


@cache
def builtin_documents() -> dict[str, Document]:
    return load_documents(resources.files("calculators") / "documents.yaml")


def builtin_program_file(program_id: str) -> Path:
    """``qinghai.goji_broker`` -> ``calculators/programs/qinghai/goji_broker.yaml``."""
    jurisdiction, rule = program_id.split(".", 1)
    return Path(str(resources.files("calculators") / "programs" / jurisdiction / f"{rule}.yaml"))
