"""A :class:`~reports.document.Report` as CSV (UTF-8 with BOM, which Excel opens as UTF-8).

The tables follow one another, each after a line with its title and before an empty
line. Amounts are yuan with two decimals and no grouping (``1234.56``), rates percents
(``85.27%``), so the file reads back exactly. Text that a spreadsheet would take for a
formula is written with a ``'`` in front (:mod:`reports.cells`).
"""

from __future__ import annotations

import csv
from pathlib import Path

from reports.atomic import replacing
from reports.cells import neutralised
from reports.document import Cell, ColumnKind, Report, percent
from subsidies.domain.i18n import _, pgettext
from subsidies.domain.money import format_yuan
from subsidies.domain.progress import SILENT, Progress


def _text(cell: Cell, kind: ColumnKind) -> str:
    if cell is None:
        return ""
    if kind == "fen":
        return format_yuan(cell)
    if kind == "rate":
        return f"{percent(cell)}%"
    return neutralised(str(cell))


def render(
    report: Report, path: Path, progress: Progress = SILENT, shown: str | None = None
) -> None:
    """Write ``report``'s tables as CSV to ``path`` (whole, or not at all), telling
    ``progress`` of the rows written."""
    rows = sum(len(table.rows) + len(table.total) for table in report.tables())
    label = _("writing {file}").format(file=shown or path.name)
    progress.stage(label, rows, pgettext("unit", "rows"))
    with replacing(path) as partial, open(partial, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        title = [report.title, report.fund, report.period, report.unit]
        writer.writerow([neutralised(t) for t in title])
        if report.subtitle:
            writer.writerow([neutralised(report.subtitle)])
        for table in report.tables():
            writer.writerow([])
            writer.writerow([neutralised(table.title)])
            writer.writerow([neutralised(c.title) for c in table.columns])
            kinds = [c.kind for c in table.columns]
            for row in [*table.rows, *table.total]:
                writer.writerow([_text(v, k) for v, k in zip(row, kinds, strict=True)])
            progress.advance(len(table.rows) + len(table.total))
