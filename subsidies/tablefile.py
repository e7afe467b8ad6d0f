"""A table the officer opens — calc results, batch decisions — as CSV or XLSX, whole or not
at all.

CSV: :func:`subsidies.csvwrite.write_csv` (text as given, live formulas neutralised). XLSX:
one sheet by :mod:`reports.sheets` (Chinese sheet name, typed cells, 合计 row, widths,
frozen header, filter, print setup); ``typed`` columns are written as numbers or dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from reports.atomic import replacing
from reports.sheets import Column, Kind, Sheet, total_row, write_xlsx
from subsidies.csvwrite import write_csv
from subsidies.domain.progress import SILENT, Progress


def write_table(
    frame: pd.DataFrame,
    path: Path,
    *,
    sheet: str,
    typed: dict[str, tuple[Kind, Sequence]] | None = None,
    progress: Progress = SILENT,
) -> None:
    """``frame`` to ``path`` (.xlsx, else CSV); in XLSX, ``typed[column]`` = (kind, values)
    replaces a column's text (``fen`` values are integer fen, ``date`` values dates or ISO
    text). ``progress`` is told of the rows written."""
    typed = typed or {}
    with replacing(path) as partial:
        if path.suffix.lower() != ".xlsx":
            write_csv(frame, partial, progress=progress, shown=path.name)
            return
        names = [str(name) for name in frame.columns]
        columns = [Column(name, typed.get(name, ("text",))[0]) for name in names]
        data = [
            list(typed[name][1]) if name in typed else frame.iloc[:, i].tolist()
            for i, name in enumerate(names)
        ]
        sheets = [Sheet(sheet, columns, data, totals=[total_row(columns, data)])]
        write_xlsx(partial, sheets, progress=progress, shown=path.name)
