"""The cells of a file officers give us, as text: a CSV, or each sheet of an XLSX workbook.

:func:`read_sheets` tells a file by what it holds, not only by its name: a workbook
renamed ``.csv`` or a CSV renamed ``.xlsx`` is refused saying what it really is. Every
problem is a :class:`ClaimFileError` naming the file (and the sheet, row, column and the
value, abridged, where there is one), in Chinese for the officer. A cell longer than
Excel's own limit (:data:`CELL_LIMIT`) cannot have been typed in a spreadsheet: the file
is refused naming it. :func:`pick_sheet` finds the sheet that holds the header a reader
looks for, so an instructions sheet (填表说明) before the claims is read past.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from subsidies.domain.i18n import _
from subsidies.domain.progress import SILENT, Progress

HEADER_SEARCH_ROWS = 10
CELL_LIMIT = 32_767  # the most characters an Excel cell holds
XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt", "")
_TOTALS_CELL = r"(?:合\s*计|总\s*计|小\s*计|汇\s*总)[:：]?"
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls workbook (or another Office file)


class ClaimFileError(ValueError):
    """A file that cannot be used; the message names the file and every problem."""


@dataclass(frozen=True)
class Sheet:
    """One table of cells as text ("" where empty): a CSV file (``name`` None) or one
    worksheet, and for a worksheet which cells Excel held as numbers."""

    path: Path
    name: str | None
    cells: pd.DataFrame
    numeric: pd.DataFrame | None

    def where(self) -> str:
        """``claims.xlsx 工作表「申报表」`` or ``claims.csv``, for messages."""
        return f"{self.path} 工作表「{self.name}」" if self.name is not None else str(self.path)


@dataclass(frozen=True)
class HeaderMatch:
    """Where a reader found its header in a sheet: the row (0-based), the column names it
    found by position, and whether they are all it needs."""

    row: int
    found: dict[int, str]
    complete: bool


def read_sheets(
    path: Path, sheet: str | None = None, progress: Progress = SILENT
) -> Iterator[Sheet]:
    """The file's sheets in order, each read when asked for: a CSV's one, or the worksheets
    of an XLSX (only ``sheet`` when it is named); ``progress`` is told how the reading goes."""
    from subsidies import csvgrid, xlsxgrid  # (they import this module)

    path = Path(path)
    if not path.exists():
        raise ClaimFileError(f"{path}: 找不到文件")
    suffix = path.suffix.lower()
    if suffix not in XLSX_SUFFIXES + CSV_SUFFIXES:
        raise ClaimFileError(f"{path}: 不支持的文件类型 {suffix!r}（请用 .csv 或 .xlsx）")
    with path.open("rb") as file:
        head = file.read(len(_OLE2))
    if suffix in XLSX_SUFFIXES:
        if not head.startswith(_ZIP):
            raise ClaimFileError(f"{path}: 扩展名是 {suffix}，但{_what_it_is(head)}")
        sheets = xlsxgrid.read_sheets(path, sheet, progress)
    else:
        if head.startswith(_ZIP) or head.startswith(_OLE2):
            raise ClaimFileError(f"{path}: 扩展名是 {suffix or '（无）'}，但{_what_it_is(head)}")
        if sheet is not None:
            raise ClaimFileError(f"{path}: --sheet 只用于 XLSX 工作簿；CSV 文件只有一张表")
        progress.stage(_("reading {file}").format(file=path.name))
        sheets = iter([csvgrid.read_sheet(path)])
    yield from sheets


def _what_it_is(head: bytes) -> str:
    if not head:
        return "文件是空的"
    if head.startswith(_ZIP):
        return "内容是 Excel 工作簿（XLSX）：请把扩展名改为 .xlsx"
    if head.startswith(_OLE2):
        return "内容是旧版 Excel 工作簿（.xls）：请在 Excel 中另存为 .xlsx"
    return (
        "内容不是 Excel 工作簿（看来是 CSV 等文本）：请把扩展名改为 .csv，或在 Excel 中另存为 .xlsx"
    )


def pick_sheet(
    sheets: Iterable[Sheet], match: Callable[[pd.DataFrame], HeaderMatch]
) -> tuple[Sheet, HeaderMatch]:
    """The first sheet whose header ``match`` finds complete; else the one where it found
    the most columns (the first of those), for the reader to say what is missing."""
    best: tuple[Sheet, HeaderMatch] | None = None
    for sheet in sheets:
        found = match(sheet.cells)
        if found.complete:
            return sheet, found
        if best is None or len(found.found) > len(best[1].found):
            best = (sheet, found)
    if best is None:
        raise ClaimFileError("工作簿中没有工作表")  # pragma: no cover - a workbook has one
    return best


def totals_cells(cells: pd.Series) -> pd.Series:
    """Which cells are just 合计/总计/小计/汇总 (the pattern is tried on the cells holding
    计 or 汇 only)."""
    found = pd.Series(False, index=cells.index)
    has = np.fromiter(
        ("计" in cell or "汇" in cell for cell in cells.tolist()), dtype=bool, count=len(cells)
    )
    if has.any():
        found[has] = cells[has].str.fullmatch(_TOTALS_CELL).astype(bool).to_numpy()
    return found


def refuse_long_cells(sheet: Sheet, most: int = CELL_LIMIT) -> None:
    """Refuse a sheet with a cell over ``most`` characters, naming them (five at most): row,
    column letter, length and the start of the value. Each reader calls it (the XLSX reader
    with one less than Excel's limit: calamine cuts a longer cell to the limit)."""
    long_cells = []
    for position, column in enumerate(sheet.cells.columns):
        values = sheet.cells[column].tolist()
        if max(map(len, values), default=0) <= most:
            continue
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        for row in np.flatnonzero(lengths > most)[:5]:
            value = values[row]
            long_cells.append(
                f"第 {row + 1} 行 {column_letter(position)} 列（{len(value):,} 个字符："
                f"“{abridged(value)}”）"
            )
    if long_cells:
        raise ClaimFileError(
            f"{sheet.where()}: 单元格达到或超过 Excel 单元格上限 {CELL_LIMIT:,} 个字符，"
            f"不是表格里填写的内容，请检查：{'；'.join(long_cells[:5])}"
        )


def column_letter(position: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as Excel names it."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def abridged(value: str, most: int = 20) -> str:
    """The value, or its first ``most`` characters and "…"."""
    return value if len(value) <= most else value[:most] + "…"
