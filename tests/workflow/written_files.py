"""Reading back the files the product writes, as a spreadsheet would open them.

- :func:`live_formulas`: the cells Excel or WPS would run as a formula — a CSV cell, or
  an XLSX string without the quote prefix, beginning with ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return that is not a plain number (OWASP, "CSV Injection") — and every
  XLSX formula cell.
- :func:`readiness_problems`: what keeps an XLSX from being ready to use: a sheet name
  without Chinese, no frozen header, no filter, print setup other than A4 landscape fitted
  to the page width with the header repeated, a column narrower than its widest value
  (CJK counted double, up to 60), an amount that is not a number in ``#,##0.00`` (or any
  text that reads like one), and no 合计 row.

The rules are written out here, independently of ``reports.cells`` and ``reports.sheets``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import openpyxl

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?[\d,]+(\.\d+)?%?")
AMOUNT_HEADERS = re.compile(r"^(拟发放|银行|支付)?金额( |$)|^amount$")
AMOUNT_TEXT = re.compile(r"-?\d{1,3}(,\d{3})*\.\d{2}")
WIDEST = 60


def _starts_live(text: str) -> bool:
    return text.startswith(FORMULA_START) and not NUMBER.fullmatch(text)


def csv_cells(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def xlsx_cells(path: Path) -> list:
    book = openpyxl.load_workbook(path)
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def live_formulas(path: Path) -> list[str]:
    """Every cell of ``path`` (.csv or .xlsx) a spreadsheet would take for a formula."""
    if path.suffix == ".csv":
        return [c for c in csv_cells(path) if _starts_live(c)]
    return [
        f"{c.coordinate} {c.value!r}"
        for c in xlsx_cells(path)
        if c.data_type == "f"
        or (isinstance(c.value, str) and _starts_live(c.value) and not c.quotePrefix)
    ]


def neutralised(path: Path) -> list[str]:
    """The cells that would be formulas, written as text: a ``'`` in front in CSV, the
    quote prefix in XLSX."""
    if path.suffix == ".csv":
        return [c[1:] for c in csv_cells(path) if c.startswith("'") and _starts_live(c[1:])]
    return [
        c.value
        for c in xlsx_cells(path)
        if isinstance(c.value, str) and _starts_live(c.value) and c.quotePrefix
    ]


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _shown(cell) -> str:
    if isinstance(cell.value, int | float) and cell.number_format == "#,##0.00":
        return f"{cell.value:,.2f}"
    if isinstance(cell.value, int | float) and cell.number_format == "#,##0":
        return f"{cell.value:,.0f}"
    if hasattr(cell.value, "year"):
        return "yyyy-mm-dd"
    return "" if cell.value is None else str(cell.value)


def _width(ws, column: int) -> float:
    """Column ``column``'s width (1-based; a <col> element may span several columns)."""
    for dimension in ws.column_dimensions.values():
        if dimension.min and dimension.min <= column <= dimension.max:
            return dimension.width
    return 0.0


def _table(rows: list) -> list:
    """The rows of the table under the header: up to the first empty row (notes follow)."""
    table = []
    for row in rows:
        if all(c.value is None for c in row):
            break
        table.append(row)
    return table


def readiness_problems(path: Path, *, untotalled: frozenset[str] = frozenset()) -> list[str]:
    """What is not ready to use in the XLSX ``path`` (nothing: []); the sheets named in
    ``untotalled`` need no 合计 row."""
    problems = []
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        where = f"{path.name}!{ws.title}"
        if not any(unicodedata.east_asian_width(ch) == "W" for ch in ws.title):
            problems.append(f"{where}: the sheet name is not Chinese")
        if not ws.freeze_panes:
            problems.append(f"{where}: no frozen header")
            continue
        header = int(re.sub(r"\D", "", ws.freeze_panes)) - 1
        if ws.print_title_rows != f"{header}:{header}" and ws.print_title_rows != (
            f"${header}:${header}"
        ):
            problems.append(f"{where}: header row {header} not repeated ({ws.print_title_rows})")
        if not (ws.auto_filter.ref or "").startswith(f"A{header}:"):
            problems.append(f"{where}: no filter on row {header} ({ws.auto_filter.ref})")
        setup = ws.page_setup
        if (setup.paperSize, setup.orientation) != (9, "landscape"):
            problems.append(
                f"{where}: prints {setup.paperSize} {setup.orientation}, not A4 landscape"
            )
        if not ws.sheet_properties.pageSetUpPr.fitToPage or setup.fitToHeight not in (0, "0"):
            problems.append(f"{where}: not fitted to the page width")
        titles = [c.value for c in ws[header]]
        rows = _table(list(ws.iter_rows(min_row=header + 1)))
        for i, title in enumerate(titles):
            if title is None:
                continue
            cells = [r[i] for r in rows if r[i].value is not None]
            width = _width(ws, i + 1)
            widest = max([display_width(str(title))] + [display_width(_shown(c)) for c in cells])
            if width < min(WIDEST, widest):
                problems.append(
                    f"{where}: column {title!r} is {width} wide, its widest value {widest}"
                )
            if AMOUNT_HEADERS.search(str(title)):
                bad = [
                    c.coordinate
                    for c in cells
                    if c.data_type != "n" or c.number_format != "#,##0.00"
                ]
                if bad:
                    problems.append(f"{where}: amounts not numbers in #,##0.00: {bad[:5]}")
            as_text = [
                c.coordinate
                for c in cells
                if isinstance(c.value, str) and AMOUNT_TEXT.fullmatch(c.value)
            ]
            if as_text:
                problems.append(f"{where}: amounts written as text: {as_text[:5]}")
        if ws.title not in untotalled and not any(
            str(r[0].value or "").startswith("合计") for r in rows
        ):
            problems.append(f"{where}: no 合计 row")
    return problems
