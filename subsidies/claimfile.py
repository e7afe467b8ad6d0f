"""Claim files as officers keep them: CSV (UTF-8, UTF-8 with BOM, GB18030) or XLSX.

The header is the first of the top 10 rows that names every required column of
the program's template (English or Chinese headers, any order); title rows above
it, a 序号 column, blank rows and a totals row (合计 / 总计 with no claim_id) are
read past. Extra columns are kept. A file that cannot be used at all raises
:class:`ClaimFileError` naming the file and listing every problem at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from calculators.template import Template

HEADER_SEARCH_ROWS = 10
_TOTALS_CELL = r"(?:合\s*计|总\s*计|小\s*计)[:：]?"


class ClaimFileError(ValueError):
    """A claims file that cannot be used; the message names the file and every problem."""


@dataclass
class ClaimFile:
    path: Path
    raw: pd.DataFrame  # cell text; template columns under their names, extra columns as headed
    source_rows: np.ndarray  # the 1-based row number of each claim in the file
    numeric: pd.DataFrame | None  # XLSX cells that held numbers (an id Excel converted)
    header_row: int
    extra_columns: list[str]

    def __len__(self) -> int:
        return len(self.raw)


def read_claims(path: str | Path, template: Template) -> ClaimFile:
    path = Path(path)
    grid, numeric = read_grid(path)
    return _claims_from_grid(path, grid, numeric, template)


def read_grid(path: Path) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Every cell of a CSV (UTF-8, BOM, GB18030) or of an XLSX's first sheet as text, and for
    XLSX which cells Excel held as numbers."""
    if not path.exists():
        raise ClaimFileError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt", ""):
        return _read_csv(path), None
    raise ClaimFileError(f"{path}: unsupported file type {suffix!r} (use .csv or .xlsx)")


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """The file's text and its encoding."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ClaimFileError(f"{path}: not text in UTF-8 or GB18030; save it as CSV UTF-8 or XLSX")


def _width(text: str) -> int:
    """The most cells in a row among the rows the header is looked for in."""
    head = itertools.islice(csv.reader(_lines(text)), HEADER_SEARCH_ROWS + 1)
    return max((len(r) for r in head), default=0)


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their "\n", as ``io.StringIO(text)`` gives them, without
    copying the whole text first."""
    start = 0
    while start < len(text):
        end = text.find("\n", start) + 1 or len(text)
        yield text[start:end]
        start = end


def _read_csv(path: Path) -> pd.DataFrame:
    data = path.read_bytes()
    text, encoding = _decode(path, data)
    width = _width(text)
    del text  # the parser reads the bytes (far faster than text), in the encoding found
    if width == 0:
        raise ClaimFileError(f"{path}: the file is empty")
    try:
        grid = pd.read_csv(
            io.BytesIO(data),
            encoding=encoding,
            header=None,
            names=range(width),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.ParserError as error:
        raise ClaimFileError(f"{path}: not a readable CSV file ({error})") from None
    return grid


def _cell_text(value, number_format: str | None = None) -> tuple[str, bool]:
    """An XLSX cell as text, and whether Excel held it as a number.

    A number shown as a percentage (format ``0%``, ``0.00%``) is read as the officer sees it:
    0.855 is "85.5%", exactly.
    """
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("yes" if value else "no"), False
    if isinstance(value, dt.datetime):
        return (value.date().isoformat() if value.time() == dt.time() else value.isoformat()), False
    if isinstance(value, dt.date):
        return value.isoformat(), False
    if isinstance(value, int | float) and number_format and "%" in number_format:
        percent = (Decimal(repr(value)) * 100).normalize()
        return f"{percent:f}%", True
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value)), True
        return repr(value), True
    return str(value), False


def _read_xlsx(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ClaimFileError(f"{path}: not a readable XLSX workbook ({error})") from None
    try:
        sheet = workbook.worksheets[0]
        texts, numbers = [], []
        for row in sheet.iter_rows():
            cells = [_cell_text(c.value, getattr(c, "number_format", None)) for c in row]
            texts.append([c[0] for c in cells])
            numbers.append([c[1] for c in cells])
    finally:
        workbook.close()
    if not texts:
        raise ClaimFileError(f"{path}: the first sheet is empty")
    width = max(len(r) for r in texts)
    grid = pd.DataFrame([r + [""] * (width - len(r)) for r in texts])
    numeric = pd.DataFrame([r + [False] * (width - len(r)) for r in numbers])
    return grid, numeric


def _claims_from_grid(
    path: Path, grid: pd.DataFrame, numeric: pd.DataFrame | None, template: Template
) -> ClaimFile:
    required = {c.name for c in template.required}
    best: tuple[int, dict[int, str]] | None = None
    for row in range(min(HEADER_SEARCH_ROWS, len(grid))):
        found = template.match_header([str(v) for v in grid.iloc[row].tolist()])
        if required <= set(found.values()):
            best = (row, found)
            break
        if best is None or len(found) > len(best[1]):
            best = (row, found)
    header_row, found = best if best else (0, {})
    missing = [c for c in template.required if c.name not in found.values()]
    if missing:
        listed = "; ".join(c.describe() for c in missing)
        raise ClaimFileError(
            f"{path}: missing required columns ({len(missing)}): {listed}. "
            f"Looked for the header in the first {HEADER_SEARCH_ROWS} rows; "
            f"the closest was row {header_row + 1}. `subsidies template` writes a blank template."
        )

    header = [str(v).strip() for v in grid.iloc[header_row].tolist()]
    names: list[str] = []
    for position, cell in enumerate(header):
        name = found.get(position) or cell or f"column_{position + 1}"
        while name in names:
            name += "_"
        names.append(name)
    body = grid.iloc[header_row + 1 :]
    source_rows = np.arange(header_row + 2, header_row + 2 + len(body))

    if body.empty:
        raise ClaimFileError(f"{path}: no claims under the header on row {header_row + 1}")
    cells = _stripped(body, names)
    template_cells = cells[[n for n in names if n in template.names]]
    blank = (template_cells == "").all(axis=1).astype(bool)  # 序号 alone is a blank row
    claim_ids = cells["claim_id"]
    # a totals row: a cell that is just 合计/总计/小计 and no claim_id (or the word where the id
    # goes); a row with no claim_id whose note merely mentions 合计 stays, and is reported
    candidates = (claim_ids == "") | _totals_cells(claim_ids)
    totals = pd.Series(False, index=cells.index)
    if candidates.any():
        rows = cells[candidates.to_numpy()]
        totals[rows.index] = rows.apply(_totals_cells).any(axis=1)
    keep = (~blank & ~totals).to_numpy()
    raw = (cells if keep.all() else cells[keep]).reset_index(drop=True)
    rows = source_rows[keep]
    kept_numeric = None
    if numeric is not None:
        kept_numeric = numeric.iloc[header_row + 1 :].copy()
        kept_numeric.columns = names
        kept_numeric = kept_numeric[keep].reset_index(drop=True)
    if raw.empty:
        raise ClaimFileError(f"{path}: no claims under the header on row {header_row + 1}")
    extra = [n for n in names if n not in template.names]
    return ClaimFile(path, raw, rows, kept_numeric, header_row + 1, extra)


def _totals_cells(cells: pd.Series) -> pd.Series:
    """Which cells are just 合计/总计/小计 (the pattern is tried on the cells holding 计 only)."""
    found = pd.Series(False, index=cells.index)
    has = np.fromiter(("计" in cell for cell in cells.tolist()), dtype=bool, count=len(cells))
    if has.any():
        found[has] = cells[has].str.fullmatch(_TOTALS_CELL).astype(bool).to_numpy()
    return found


def _stripped(body: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """The cells as text without surrounding whitespace, under ``names`` (both readers give
    "" for an empty or missing cell)."""
    return pd.DataFrame(
        {
            name: pd.Series(
                list(map(str.strip, body.iloc[:, i].tolist())),
                index=body.index,
                dtype="string",
            )
            for i, name in enumerate(names)
        }
    )
