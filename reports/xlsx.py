"""A :class:`~reports.document.Report` as an XLSX workbook (openpyxl): one sheet per table.

Each sheet starts with the title block; figures are numbers with number formats —
amounts an exact decimal number of yuan (``#,##0.00``), counts ``#,##0``, rates a fraction
shown ``0.00%`` — never text, so officers can sum and check them.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from reports.document import Cell, ColumnKind, Report, Table, percent, yuan

FORMATS: dict[str, str] = {"fen": "#,##0.00", "count": "#,##0", "rate": "0.00%"}
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def value(cell: Cell, kind: ColumnKind) -> str | int | Decimal | None:
    """The value written to the sheet: Decimal yuan, int, Decimal fraction or text."""
    if cell is None:
        return None
    if kind == "fen":
        return yuan(cell)
    if kind == "rate":
        return percent(cell).scaleb(-2)
    return cell


def _sheet_name(table: Table, taken: set[str]) -> str:
    base = SHEET_NAME.sub("", table.sheet or table.title)[:28] or "Sheet"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base[:26]}_{n}"
    taken.add(name)
    return name


def render(report: Report, path: Path) -> None:
    """Write ``report`` as an XLSX workbook to ``path``."""
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for table in report.tables():
        sheet = book.create_sheet(_sheet_name(table, taken))
        sheet.append([report.title])
        sheet["A1"].font = Font(bold=True, size=14)
        if report.subtitle:
            sheet.append([report.subtitle])
        sheet.append(["资金", report.fund, "期间", report.period])
        sheet.append(["编制单位", report.unit, "编制日期", report.prepared_on.isoformat()])
        sheet.append([table.title, None, "金额单位", "元"])
        sheet.append([])
        header_row = sheet.max_row + 1
        sheet.append([c.title for c in table.columns])
        for cell in sheet[header_row]:
            cell.font, cell.fill, cell.border = BOLD, HEADER_FILL, BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        kinds = [c.kind for c in table.columns]
        for n, row in enumerate([*table.rows, *table.total]):
            sheet.append([value(v, k) for v, k in zip(row, kinds, strict=True)])
            is_total = n >= len(table.rows) or n in table.subtotals
            # only the table's own cells: the title block above may be wider than the table
            (written,) = sheet.iter_rows(min_row=sheet.max_row, max_col=len(kinds))
            for cell, kind in zip(written, kinds, strict=True):
                cell.border = BOX
                if kind in FORMATS:
                    cell.number_format = FORMATS[kind]
                if is_total:
                    cell.font, cell.fill = BOLD, TOTAL_FILL
        if table.note:
            sheet.append([])
            sheet.append([table.note])
        for i, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = max(10, 7 * column.width + 4)
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    book.save(path)
