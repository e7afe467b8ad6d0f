"""A :class:`~reports.document.Report` as an XLSX workbook: one sheet per table.

Each sheet starts with the title block; figures are numbers with number formats —
amounts an exact decimal number of yuan (``#,##0.00``), counts ``#,##0``, rates a fraction
shown ``0.00%`` — never text, so officers can sum and check them. The sheet itself (widths,
frozen header, filter, print setup) is :mod:`reports.sheets`'.
"""

from __future__ import annotations

from pathlib import Path

from reports.atomic import replacing
from reports.document import Cell, ColumnKind, Report, Table, percent
from reports.sheets import Column, Sheet, write_xlsx
from subsidies.domain.progress import SILENT, Progress


def _cell(value: Cell, kind: ColumnKind):
    """A rate as a Decimal fraction (0.8527 for 85.27%); any other cell as it is."""
    return percent(value).scaleb(-2) if kind == "rate" and value is not None else value


def sheet(report: Report, table: Table) -> Sheet:
    """``table`` with ``report``'s title block above it."""
    above = [[report.title]]
    if report.subtitle:
        above.append([report.subtitle])
    above += [
        ["资金", report.fund, "期间", report.period],
        ["编制单位", report.unit, "编制日期", report.prepared_on.isoformat()],
        [table.title, None, "金额单位", "元"],
        [],
    ]
    kinds = [c.kind for c in table.columns]
    data = [
        [_cell(row[i], kind) for row in table.rows] for i, kind in enumerate(kinds)
    ]  # one list per column
    return Sheet(
        name=table.sheet or table.title,
        columns=[Column(c.title, c.kind) for c in table.columns],
        data=data,
        above=above,
        totals=[[_cell(v, k) for v, k in zip(row, kinds, strict=True)] for row in table.total],
        shaded=table.subtotals,
        below=[table.note] if table.note else [],
    )


def render(
    report: Report, path: Path, progress: Progress = SILENT, shown: str | None = None
) -> None:
    """Write ``report`` as an XLSX workbook to ``path`` (whole, or not at all)."""
    with replacing(path) as partial:
        sheets = [sheet(report, table) for table in report.tables()]
        write_xlsx(partial, sheets, progress=progress, shown=shown or path.name)
