"""Claim files as officers keep them: CSV (UTF-8, UTF-8 with BOM, GB18030, Big5) or XLSX
(:mod:`subsidies.grids` reads the cells).

The header is the first of the top 10 rows that names every required column of
the program's template (English or Chinese headers, any order); title rows above
it, a 序号 column, blank rows and a totals row (合计 / 总计 / 汇总 with no claim_id) are
read past. In a workbook, the claims are on the first worksheet holding such a header
(an instructions sheet before it is read past), or on the sheet named. Extra columns are
kept. A template column headed twice is read when both columns hold the same values
(the second kept as an extra column) and refused, naming both, when they differ. A file
that cannot be used at all raises :class:`ClaimFileError` naming the file and listing
every problem at once, in Chinese.

Results go back under the officer's own headers, in the file's order, with the result
columns after them (:meth:`ClaimFile.with_results`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from calculators.evaluate import status_labels
from calculators.template import Template
from subsidies.domain.i18n import _, pgettext
from subsidies.domain.progress import SILENT, Progress
from subsidies.grids import (
    HEADER_SEARCH_ROWS,
    ClaimFileError,
    HeaderMatch,
    Sheet,
    abridged,
    column_letter,
    pick_sheet,
    read_sheets,
    totals_cells,
)

__all__ = ["HEADER_SEARCH_ROWS", "ClaimFile", "ClaimFileError", "read_claims", "read_grid"]


@dataclass
class ClaimFile:
    path: Path
    raw: pd.DataFrame  # cell text; template columns under their names, extra columns as headed
    source_rows: np.ndarray  # the 1-based row number of each claim in the file
    numeric: pd.DataFrame | None  # XLSX cells that held numbers (an id Excel converted)
    header_row: int
    extra_columns: list[str]
    sheet: str | None = None  # the worksheet read (None for a CSV)
    headers: list[str] = field(default_factory=list)  # each raw column's header as written
    # (a blank one as 第 N 列)

    def __len__(self) -> int:
        return len(self.raw)

    def with_results(
        self, result: pd.DataFrame, template: Template
    ) -> tuple[pd.DataFrame, dict[str, tuple[str, Sequence]]]:
        """The claims as the officer sent them (their headers, their columns in their order,
        title and totals rows left out), then the result columns: 审核结果 (符合 / 不符合 /
        数据有误 / 重复), 金额, 原因, 政策依据, the row in the file, and ``status``, the
        code scripts read. Also, for an XLSX, the columns to write as numbers and dates
        (kind, values). An input column headed like a result column is kept, marked."""
        added = result_headers()
        headers = [_marked(header, added) for header in self.headers]
        columns = {header: self.raw.iloc[:, n].array for n, header in enumerate(headers)}
        labels = status_labels()
        columns[added["result"]] = result["status"].map(labels).array
        columns[added["amount"]] = result["amount"].array
        columns[added["reasons"]] = result["reasons"].array
        columns[added["citation"]] = result["citation"].array
        columns[added["row"]] = self.source_rows
        columns[added["status"]] = result["status"].array
        typed: dict[str, tuple[str, Sequence]] = {
            added["amount"]: ("fen", result["amount_fen"]),
            added["row"]: ("number", self.source_rows),
        }
        for header, name in zip(headers, self.raw.columns, strict=True):
            if name in template.names and template.column(name).kind == "date":
                typed[header] = ("date", self.raw[name])
        return pd.DataFrame(columns, copy=False), typed


def result_headers() -> dict[str, str]:
    """The headers of the result columns, in the officer's language (``status`` is always
    ``status``: the code's column, for scripts)."""
    return {
        "result": pgettext("result column", "result"),
        "amount": pgettext("result column", "amount (yuan)"),
        "reasons": pgettext("result column", "reasons"),
        "citation": pgettext("result column", "citation"),
        "row": pgettext("result column", "row in the file"),
        "status": "status",
    }


def _marked(header: str, added: dict[str, str]) -> str:
    """An input column's header as written, marked ``（原表）`` when a result column has it
    (a results file decided again)."""
    if header in added.values():
        return _("{header} (input)").format(header=header)
    return header


def read_claims(
    path: str | Path, template: Template, sheet: str | None = None, progress: Progress = SILENT
) -> ClaimFile:
    """The claims of a CSV, or of the worksheet that holds the template's header (``sheet``
    when named); ``progress`` is told how the reading goes."""
    path = Path(path)
    sheets = read_sheets(path, sheet, progress)
    found, header = pick_sheet(sheets, lambda cells: _header(cells, template))
    return _claims_from_grid(found, header, template)


def read_grid(path: Path, sheet: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Every cell of a CSV or of an XLSX's first (or named) sheet as text, and for XLSX
    which cells Excel held as numbers."""
    found = next(read_sheets(Path(path), sheet))
    return found.cells, found.numeric


def _header(grid: pd.DataFrame, template: Template) -> HeaderMatch:
    """The first of the top rows naming every required column, else the one naming most."""
    required = {c.name for c in template.required}
    best = HeaderMatch(0, {}, False)
    for row in range(min(HEADER_SEARCH_ROWS, len(grid))):
        found = template.match_header([str(v) for v in grid.iloc[row].tolist()])
        if required <= set(found.values()):
            return HeaderMatch(row, found, True)
        if len(found) > len(best.found):
            best = HeaderMatch(row, found, False)
    return best


def _claims_from_grid(sheet: Sheet, header: HeaderMatch, template: Template) -> ClaimFile:
    path, grid, numeric = sheet.where(), sheet.cells, sheet.numeric
    header_row, found = header.row, header.found
    missing = [c for c in template.required if c.name not in found.values()]
    if missing:
        listed = "; ".join(c.describe() for c in missing)
        raise ClaimFileError(
            f"{path}: 缺少必填列（{len(missing)} 列）: {listed}。"
            f"在前 {HEADER_SEARCH_ROWS} 行中查找表头，最接近的是第 {header_row + 1} 行。"
            f"`subsidies template` 可写出空白模板。"
        )

    header = [str(v).strip() for v in grid.iloc[header_row].tolist()]
    names: list[str] = []
    headers: list[str] = []
    for position, cell in enumerate(header):
        name = found.get(position) or cell or f"column_{position + 1}"
        while name in names:
            name += "_"
        names.append(name)
        shown = cell or _("column {n}").format(n=position + 1)
        while shown in headers:
            shown += "_"
        headers.append(shown)
    body = grid.iloc[header_row + 1 :]
    source_rows = np.arange(header_row + 2, header_row + 2 + len(body))

    if body.empty:
        raise ClaimFileError(f"{path}: 第 {header_row + 1} 行表头下没有申报数据")
    cells = _stripped(body, names)
    template_cells = cells[[n for n in names if n in template.names]]
    blank = (template_cells == "").all(axis=1).astype(bool)  # 序号 alone is a blank row
    claim_ids = cells["claim_id"]
    # a totals row: a cell that is just 合计/总计/小计/汇总 and no claim_id (or the word where the id
    # goes); a row with no claim_id whose note merely mentions 合计 stays, and is reported
    candidates = (claim_ids == "") | totals_cells(claim_ids)
    totals = pd.Series(False, index=cells.index)
    if candidates.any():
        rows = cells[candidates.to_numpy()]
        totals[rows.index] = rows.apply(totals_cells).any(axis=1)
    keep = (~blank & ~totals).to_numpy()
    raw = (cells if keep.all() else cells[keep]).reset_index(drop=True)
    rows = source_rows[keep]
    kept_numeric = None
    if numeric is not None:
        kept_numeric = numeric.iloc[header_row + 1 :].copy()
        kept_numeric.columns = names
        kept_numeric = kept_numeric[keep].reset_index(drop=True)
    if raw.empty:
        raise ClaimFileError(f"{path}: 第 {header_row + 1} 行表头下没有申报数据")
    _refuse_differing_copies(path, header_row, header, names, found, template, raw, rows)
    extra = [n for n in names if n not in template.names]
    return ClaimFile(
        sheet.path, raw, rows, kept_numeric, header_row + 1, extra, sheet.name, headers
    )


def _refuse_differing_copies(
    path: str,
    header_row: int,
    header: list[str],
    names: list[str],
    found: dict[int, str],
    template: Template,
    raw: pd.DataFrame,
    rows: np.ndarray,
) -> None:
    """A template column headed twice (务工人员身份证号 and 身份证号) is read from the first;
    the second is kept as an extra column when every value is the same, and the file is
    refused, naming both columns and the first row where they differ, when not."""
    taken = {name: position for position, name in found.items()}
    problems = []
    for position, cell in enumerate(header):
        name = template.match_header([cell]).get(0)
        first = taken.get(name)
        if first is None or first == position:
            continue
        ours, theirs = raw[name].to_numpy(dtype=object), raw[names[position]].to_numpy(dtype=object)
        differ = np.flatnonzero(ours != theirs)
        if len(differ):
            row = differ[0]
            column = template.column(name)
            problems.append(
                f"{column_letter(first)} 列「{header[first]}」与 {column_letter(position)} 列"
                f"「{cell}」都是 {column.name} {column.label}，但两列的值不同"
                f"（第 {rows[row]} 行：“{abridged(ours[row])}” 与 “{abridged(theirs[row])}”）"
            )
    if problems:
        raise ClaimFileError(
            f"{path}: 第 {header_row + 1} 行表头中有重复的列：{'；'.join(problems)}；"
            "请删去多余的一列，或改正表头"
        )


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
