"""Bank and treasury statements read through named layouts (data files, not code).

A layout (``subsidies/data/layouts/NAME.yaml``, or any YAML file given by path) maps each
field — value_date, serial, reference, payee_name, account, amount, status,
return_reason — to the headers a bank uses, and the bank's status words to
``success`` / ``returned``. A statement with a bad line is refused whole, naming every
bad line; nothing is imported from it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from calculators.coerce import parse_amounts, parse_dates
from calculators.template import normalise_header, normalise_value
from subsidies.domain.i18n import _, separator
from subsidies.domain.text import count_text
from subsidies.grids import (
    HEADER_SEARCH_ROWS,
    ClaimFileError,
    HeaderMatch,
    Sheet,
    pick_sheet,
    read_sheets,
    totals_cells,
)

FIELDS = (
    "value_date",
    "serial",
    "reference",
    "payee_name",
    "account",
    "amount",
    "status",
    "return_reason",
)


class StatementError(ValueError):
    """A statement that cannot be used; names the file and every problem."""


@dataclass(frozen=True)
class Layout:
    name: str
    description: str
    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    statuses: dict[str, tuple[str, ...]]

    def status_lookup(self) -> dict[str, str]:
        return {
            normalise_value(word): status
            for status, words in self.statuses.items()
            for word in words
        }


def layouts() -> list[str]:
    folder = resources.files("subsidies") / "data" / "layouts"
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def load_layout(name: str) -> Layout:
    """A built-in layout by name, or a layout file by path."""
    path = Path(name)
    if not path.suffix:
        path = Path(str(resources.files("subsidies") / "data" / "layouts" / f"{name}.yaml"))
    if not path.exists():
        raise StatementError(
            _("no layout {name}; built in: {layouts}, or give a YAML file").format(
                name=repr(name), layouts=", ".join(layouts())
            )
        )
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    unknown = set(data.get("columns", {})) - set(FIELDS)
    if unknown:
        raise StatementError(
            _("{path}: unknown fields {unknown}; fields are {fields}").format(
                path=path, unknown=", ".join(sorted(unknown)), fields=", ".join(FIELDS)
            )
        )
    return Layout(
        name=data.get("name", path.stem),
        description=data.get("description", ""),
        columns={f: tuple(v) for f, v in data["columns"].items()},
        required=tuple(data.get("required", ("value_date", "serial", "amount", "status"))),
        statuses={s: tuple(v) for s, v in data["statuses"].items()},
    )


@dataclass(frozen=True)
class _Cells:
    """A statement's lines as stripped cell text, one array per field ("" for a field the
    layout does not find), and each line's row number in the file (1-based)."""

    text: dict[str, np.ndarray]
    row_no: np.ndarray


@dataclass(frozen=True)
class _Typed:
    """The typed fields that are read, not copied: value dates, amounts in fen, statuses."""

    value_date: np.ndarray  # datetime.date objects
    amount_fen: np.ndarray  # int64
    status: np.ndarray  # "success" | "returned"


def read_statement(path: Path, layout: Layout, sheet: str | None = None) -> pd.DataFrame:
    """Lines with typed fields: value_date, serial, reference, payee_name, account, amount_fen,
    status (success|returned), return_reason, row_no and line_hash. In a workbook, the lines
    are on the first worksheet with the layout's header (or on ``sheet``); blank rows and a
    合计/汇总 row (a cell just 合计, 汇总 … and no bank serial) are read past."""
    read, header = _header_of(path, layout, sheet)
    cells = _line_cells(read.cells, header)
    if not len(cells.row_no):
        raise StatementError(
            _("{path}: no lines under the header on row {row}").format(
                path=path, row=header.row + 1
            )
        )
    typed, problems = _typed(cells, layout)
    if problems:
        raise StatementError(
            _("{path}: {lines} bad, nothing imported: {problems}").format(
                path=path,
                lines=count_text(len(problems), "{n} line", "{n} lines"),
                problems=_listed(problems),
            )
        )
    lines = _lines(cells, typed)
    _refuse_repeated(path, lines)
    return lines


def _header_of(path: Path, layout: Layout, sheet: str | None) -> tuple[Sheet, HeaderMatch]:
    """The sheet with the layout's header, refused if a required column is missing."""
    try:
        read, header = pick_sheet(read_sheets(path, sheet), lambda cells: _header(cells, layout))
    except ClaimFileError as error:
        raise StatementError(str(error)) from None
    missing = [f for f in layout.required if f not in header.found.values()]
    if missing:
        wanted = separator().join(f"{f} ({' / '.join(layout.columns.get(f, ()))})" for f in missing)
        raise StatementError(
            _("{where}: layout {layout}: missing columns {wanted}").format(
                where=read.where(), layout=repr(layout.name), wanted=wanted
            )
        )
    return read, header


def _line_cells(grid: pd.DataFrame, header: HeaderMatch) -> _Cells:
    """The cells under the header, blank rows and a totals row left out."""
    body = grid.iloc[header.row + 1 :]
    text = {field: _stripped(body.iloc[:, position]) for position, field in header.found.items()}
    row_no = np.arange(header.row + 2, header.row + 2 + len(body))
    filled = np.zeros(len(body), dtype=bool)
    for values in text.values():
        filled |= values != ""
    keep = filled & ~_totals_rows(body, text.get("serial"))
    if not keep.all():
        keep = np.flatnonzero(keep)
        text = {field: values[keep] for field, values in text.items()}
        row_no = row_no[keep]
    blank = np.full(len(row_no), "", dtype=object)
    return _Cells({field: text.get(field, blank) for field in FIELDS}, row_no)


def _typed(cells: _Cells, layout: Layout) -> tuple[_Typed, list[str]]:
    """The value dates, amounts and statuses, each read once per distinct cell text, and a
    problem for every line with a bad one or no bank serial."""
    text, row_no = cells.text, cells.row_no
    days, day_bad = _value_dates(text["value_date"])
    fen, fen_bad = _amounts(text["amount"])
    status = _statuses(text["status"], layout)
    words = ", ".join(w for ws in layout.statuses.values() for w in ws)
    not_date = _("row {row} value date {value}: not a date")
    not_amount = _("row {row} amount {value}: not a positive amount")
    not_status = _("row {row} status {value}: not one of {words}")
    no_serial = _("row {row}: bank serial missing")
    problems = [
        *(not_date.format(row=row_no[i], value=repr(text["value_date"][i])) for i in day_bad),
        *(not_amount.format(row=row_no[i], value=repr(text["amount"][i])) for i in fen_bad),
        *(
            not_status.format(row=row_no[i], value=repr(text["status"][i]), words=words)
            for i in np.flatnonzero(pd.isna(status))
        ),
        *(no_serial.format(row=row_no[i]) for i in np.flatnonzero(text["serial"] == "")),
    ]
    return _Typed(days, fen, status), problems


def _value_dates(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each line's value date (a ``datetime.date``), and the lines whose cell is not one."""
    codes, texts = pd.factorize(cells)
    values, bad = parse_dates(pd.Series(texts, dtype=object))
    bad = (bad.to_numpy(dtype=bool) | (texts == ""))[codes]
    days = np.array([d.date() for d in values], dtype=object)
    return days[codes], np.flatnonzero(bad)


def _amounts(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each line's amount in fen (a leading + read past), and the lines whose cell is not a
    positive amount."""
    codes, texts = pd.factorize(cells)
    values, bad = parse_amounts(pd.Series([re.sub(r"^\+", "", t) for t in texts], dtype=object))
    bad = (
        bad.to_numpy(dtype=bool)
        | values.isna().to_numpy(dtype=bool)
        | (values == 0).fillna(False).to_numpy(dtype=bool)
    )[codes]
    return values.to_numpy(dtype=np.int64, na_value=0)[codes], np.flatnonzero(bad)


def _statuses(cells: np.ndarray, layout: Layout) -> np.ndarray:
    """Each line's status by the layout's words (success | returned), None for another word."""
    lookup = layout.status_lookup()
    codes, texts = pd.factorize(cells)
    return np.array([lookup.get(normalise_value(t)) for t in texts], dtype=object)[codes]


def _lines(cells: _Cells, typed: _Typed) -> pd.DataFrame:
    """The statement's lines as the reconciliation reads them, each with its line hash."""
    text = cells.text
    lines = pd.DataFrame(
        {
            "row_no": cells.row_no.astype(int),
            "value_date": typed.value_date,
            "serial": text["serial"],
            "reference": text["reference"],
            "payee_name": text["payee_name"],
            "account": normalise_account(pd.Series(text["account"], dtype=object)).to_numpy(),
            "amount_fen": typed.amount_fen,
            "status": typed.status,
            "return_reason": text["return_reason"],
        }
    )
    lines["line_hash"] = line_hashes(lines)
    return lines


def _refuse_repeated(path: Path, lines: pd.DataFrame) -> None:
    """A line given twice in one statement (the same line hash) refuses the statement."""
    repeated = lines[lines["line_hash"].duplicated(keep=False)]
    if len(repeated):
        same = [
            _("rows {rows}: the same line (serial {serial}) {times} times").format(
                rows=", ".join(str(n) for n in group["row_no"]),
                serial=group["serial"].iloc[0],
                times=len(group),
            )
            for _hash, group in repeated.groupby("line_hash", sort=False)
        ]
        raise StatementError(
            _("{path}: {lines} repeated, nothing imported: {problems}").format(
                path=path,
                lines=count_text(len(same), "{n} line", "{n} lines"),
                problems=_listed(same),
            )
        )


def _header(grid: pd.DataFrame, layout: Layout) -> HeaderMatch:
    """The first of the top rows naming every required field, else the one naming most."""
    lookup = {
        normalise_header(h): field for field, headers in layout.columns.items() for h in headers
    }
    best = HeaderMatch(0, {}, False)
    for row in range(min(HEADER_SEARCH_ROWS, len(grid))):
        cells = [normalise_header(v) for v in grid.iloc[row].tolist()]
        here = {}
        for position, cell in enumerate(cells):
            if cell in lookup and lookup[cell] not in here.values():
                here[position] = lookup[cell]
        if set(layout.required) <= set(here.values()):
            return HeaderMatch(row, here, True)
        if len(here) > len(best.found):
            best = HeaderMatch(row, here, False)
    return best


def _totals_rows(body: pd.DataFrame, serials: np.ndarray | None) -> np.ndarray:
    """Rows with no bank serial (or the word where it goes) and a cell that is just
    合计/总计/小计/汇总."""
    totals = np.zeros(len(body), dtype=bool)
    if serials is None:
        return totals
    serial = pd.Series(serials, dtype=object)
    candidates = np.flatnonzero(((serial == "") | totals_cells(serial)).to_numpy(dtype=bool))
    if len(candidates):
        rows = body.iloc[candidates]
        found = [totals_cells(pd.Series(_stripped(rows[c]), dtype=object)) for c in rows.columns]
        totals[candidates] = np.logical_or.reduce([f.to_numpy(dtype=bool) for f in found])
    return totals


def _stripped(column: pd.Series) -> np.ndarray:
    """A column's cells as stripped text ("" for an empty cell), an object array."""
    return np.array(
        [
            v.strip() if isinstance(v, str) else "" if pd.isna(v) else str(v).strip()
            for v in column.to_numpy(dtype=object)
        ],
        dtype=object,
    )


def _listed(problems: list[str], most: int = 20) -> str:
    """The first ``most`` problems, and how many more."""
    more = len(problems) - most
    listed = separator().join(problems[:most])
    if more > 0:
        listed += separator() + _("… {more} more").format(more=f"{more:,}")
    return listed


def normalise_account(accounts: pd.Series) -> pd.Series:
    """An account number as matched: every space removed (``6217 0000 1234`` is ``62170000…``),
    on the bank's lines and on the payments alike."""
    values = accounts.to_numpy(dtype=object)
    return pd.Series(
        [
            "".join(a.split())
            if isinstance(a, str)
            else ""
            if pd.isna(a)
            else "".join(str(a).split())
            for a in values
        ],
        index=accounts.index,
        dtype=object,
    )


def line_hashes(lines: pd.DataFrame) -> pd.Series:
    """SHA-256 over a line's content: the same line imported twice has the same key (the text
    hashed: value date, serial, reference, payee name, account, amount in fen, status and
    return reason joined by ``|``)."""
    sha256 = hashlib.sha256
    columns = [
        lines["value_date"].astype(str),
        lines["serial"],
        lines["reference"],
        lines["payee_name"],
        lines["account"],
        lines["amount_fen"].astype(str),
        lines["status"],
        lines["return_reason"],
    ]
    return pd.Series(
        [
            sha256("|".join(parts).encode("utf-8")).hexdigest()
            for parts in zip(*(c.to_numpy(dtype=object) for c in columns), strict=True)
        ],
        index=lines.index,
        dtype=object,
    )
