"""Every XLSX the product writes, ready to use (XlsxWriter): results, decisions, payment and
reissue files, and the formal reports.

Each sheet has a Chinese name, an optional title block, one header row (bold, shaded,
frozen, repeated on every printed page, with a filter), the rows, and 合计 rows. Amounts
are numbers of yuan (``#,##0.00``, exact: integer fen written as a decimal), counts
``#,##0``, rates ``0.00%``, dates real dates (``yyyy-mm-dd``); text is always written as
text, never as a formula (a live formula gets Excel's quote prefix, see
:mod:`reports.cells`). Columns are as wide as their widest cell, CJK counted double.
Pages print A4 landscape, fitted to the page width.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

import pandas as pd
import xlsxwriter

from reports.cells import FORMULA_START, is_live, widest
from subsidies.domain.i18n import _, pgettext
from subsidies.domain.money import format_yuan_grouped
from subsidies.domain.progress import SILENT, Progress

Kind = Literal["text", "fen", "count", "number", "rate", "date"]
NUMBER_FORMATS: dict[str, str] = {
    "fen": "#,##0.00",
    "count": "#,##0",
    "number": "0",
    "rate": "0.00%",
    "date": "yyyy-mm-dd",
}
MIN_WIDTH, MAX_WIDTH, PADDING = 6, 60, 2
A4 = 9
_FORMULA_FIRST = frozenset(FORMULA_START)
SHEET_NAME_CHARACTERS = str.maketrans("", "", "[]:*?/\\")


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = "text"


@dataclass(frozen=True)
class Sheet:
    """One sheet: ``data`` holds one sequence per column (all of one length); ``fen``
    cells are integer fen, ``count`` cells counts (summed in 合计), ``number`` cells other
    integers (row numbers), ``rate`` cells fractions (0.8527 is 85.27%), ``date`` cells
    dates or ISO text. ``totals`` are 合计 rows (one list per row); ``shaded`` the data
    rows shown like them (subtotals)."""

    name: str
    columns: Sequence[Column]
    data: Sequence[Sequence]
    above: Sequence[Sequence] = ()  # the title block, one list per row
    totals: Sequence[Sequence] = ()
    shaded: frozenset[int] = frozenset()
    below: Sequence[str] = ()  # notes under the table


def total_row(columns: Sequence[Column], data: Sequence[Sequence], label: str = "合计") -> list:
    """A 合计 row: ``label`` (and the row count) in the first column, the sum of every
    amount and count column."""
    rows = len(data[0]) if data else 0
    row: list = [f"{label}（{rows:,} 笔）"] + [None] * (len(columns) - 1)
    for i, column in enumerate(columns[1:], start=1):
        if column.kind in ("fen", "count"):
            row[i] = sum(int(v) for v in data[i] if not _missing(v) and not isinstance(v, str))
    return row


PROGRESS_ROWS = 10_000  # rows written between two reports to ``progress``


def write_xlsx(
    path: Path, sheets: Sequence[Sheet], *, progress: Progress = SILENT, shown: str | None = None
) -> None:
    """Write ``sheets`` to ``path`` (rows streamed: memory stays flat for large sheets),
    telling ``progress`` of the rows written, then of the workbook being saved; ``shown``
    is the file's name in those reports (``path``'s own by default)."""
    book = xlsxwriter.Workbook(
        str(path),
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False},
    )
    formats = _Formats(book)
    taken: set[str] = set()
    name = shown or path.name
    rows = sum(len(sheet.data[0]) if sheet.data else 0 for sheet in sheets)
    progress.stage(_("writing {file}").format(file=name), rows, pgettext("unit", "rows"))
    for sheet in sheets:
        ws = book.add_worksheet(_sheet_name(sheet.name, taken))
        _write_sheet(ws, sheet, formats, progress)
    progress.stage(_("saving {file}").format(file=name))
    book.close()


def _sheet_name(name: str, taken: set[str]) -> str:
    base = name.translate(SHEET_NAME_CHARACTERS)[:28] or "明细"
    chosen, n = base, 1
    while chosen in taken:
        n += 1
        chosen = f"{base[:26]}_{n}"
    taken.add(chosen)
    return chosen


class _Formats:
    """The workbook's cell formats, made once each."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.made: dict[tuple, object] = {}
        self.header = book.add_format(
            {
                "bold": True,
                "bg_color": "#D9E1F2",
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        )

    def cell(self, kind: str, *, bold: bool = False, quoted: bool = False, boxed: bool = True):
        key = (kind, bold, quoted, boxed)
        if key not in self.made:
            spec: dict = {"border": 1, "border_color": "#808080"} if boxed else {}
            if kind in NUMBER_FORMATS:
                spec["num_format"] = NUMBER_FORMATS[kind]
            if bold:
                spec |= {"bold": True} | ({"bg_color": "#F2F2F2"} if boxed else {"font_size": 14})
            if quoted:
                spec["quote_prefix"] = True
            self.made[key] = self.book.add_format(spec)
        return self.made[key]


def _write_sheet(ws, sheet: Sheet, formats: _Formats, progress: Progress = SILENT) -> None:
    kinds = [c.kind for c in sheet.columns]
    for r, row in enumerate(sheet.above):
        for c, value in enumerate(row):
            _above(ws, r, c, value, formats)
    header = len(sheet.above)
    for c, column in enumerate(sheet.columns):
        ws.write_string(header, c, column.title, formats.header)
    rows = len(sheet.data[0]) if sheet.data else 0
    for i, values in enumerate(zip(*sheet.data, strict=True)):
        _row(ws, header + 1 + i, values, kinds, formats, i in sheet.shaded)
        if (i + 1) % PROGRESS_ROWS == 0:
            progress.advance(PROGRESS_ROWS)
    progress.advance(rows % PROGRESS_ROWS)
    for j, values in enumerate(sheet.totals):
        _row(ws, header + 1 + rows + j, values, kinds, formats, True)
    after = header + 1 + rows + len(sheet.totals)
    for k, note in enumerate(sheet.below):
        style = formats.cell("text", quoted=is_live(note), boxed=False)
        ws.write_string(after + 1 + k, 0, note, style)
    for c, column in enumerate(sheet.columns):
        values = sheet.data[c] if sheet.data else ()
        totals = [row[c] for row in sheet.totals]
        ws.set_column(c, c, column_width(column, values, totals))
    ws.freeze_panes(header + 1, 0)
    if sheet.columns:
        ws.autofilter(header, 0, header + max(rows, 1), len(sheet.columns) - 1)
    ws.set_paper(A4)
    ws.set_landscape()
    ws.repeat_rows(header)
    ws.fit_to_pages(1, 0)


def _above(ws, r: int, c: int, value, formats: _Formats) -> None:
    """A title-block cell: a Decimal is an amount of yuan, an int a count, a date a date;
    anything else text (the first cell, the title, in large bold)."""
    if isinstance(value, Decimal):
        ws.write_number(r, c, value, formats.cell("fen", boxed=False))
    elif isinstance(value, int) and not isinstance(value, bool):
        ws.write_number(r, c, value, formats.cell("count", boxed=False))
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, value, formats.cell("date", boxed=False))
    elif not _missing(value):
        text = str(value)
        bold = (r, c) == (0, 0)
        ws.write_string(
            r, c, text, formats.cell("text", bold=bold, quoted=is_live(text), boxed=False)
        )


def _row(ws, r: int, values: Sequence, kinds: list[str], formats: _Formats, bold: bool) -> None:
    text_format = formats.cell("text", bold=bold)
    for c, (value, kind) in enumerate(zip(values, kinds, strict=True)):
        if type(value) is str and kind == "text":  # most cells: text as it is
            quoted = value[:1] in _FORMULA_FIRST and is_live(value)
            style = formats.cell("text", bold=bold, quoted=True) if quoted else text_format
            ws.write_string(r, c, value, style)
        elif _missing(value):
            ws.write_blank(r, c, None, formats.cell(kind, bold=bold))
        elif kind == "fen" and not isinstance(value, str):
            ws.write_number(r, c, Decimal(int(value)).scaleb(-2), formats.cell(kind, bold=bold))
        elif kind in ("count", "number", "rate") and not isinstance(value, str):
            ws.write_number(r, c, value, formats.cell(kind, bold=bold))
        elif kind == "date" and (day := _date(value)) is not None:
            ws.write_datetime(r, c, day, formats.cell(kind, bold=bold))
        else:
            text = str(value)
            ws.write_string(r, c, text, formats.cell("text", bold=bold, quoted=is_live(text)))


def _missing(value) -> bool:
    """None, NaN, pandas' NA or NaT: an empty cell."""
    return value is None or (not isinstance(value, str | int | Decimal) and bool(pd.isna(value)))


def _date(value) -> dt.date | None:
    """A date cell's date: a date or datetime as it is, ISO text (YYYY-MM-DD) parsed."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def column_width(column: Column, values: Sequence, totals: Sequence = ()) -> float:
    """The width of the column's widest cell as shown (header, data, totals), padded,
    within MIN_WIDTH..MAX_WIDTH; each distinct value is measured once."""
    distinct = [v for v in {*values, *totals} if not _missing(v)]
    texts = [column.title] + [v for v in distinct if isinstance(v, str)]
    numbers = [v for v in distinct if not isinstance(v, str)]
    if column.kind == "fen":
        texts += (
            [format_yuan_grouped(int(n)) for n in (min(numbers), max(numbers))] if numbers else []
        )
    elif column.kind in ("count", "number"):
        texts += [f"{int(n):,}" for n in (min(numbers), max(numbers))] if numbers else []
    elif column.kind == "rate":
        texts += ["100.00%"] if numbers else []
    elif column.kind == "date":
        texts += ["yyyy-mm-dd"] if numbers else []
    else:
        texts += [str(n) for n in numbers]
    return float(min(MAX_WIDTH, max(MIN_WIDTH, widest(texts) + PADDING)))
