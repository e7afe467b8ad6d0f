"""A claims frame written as officers keep the file: a title row, 填报单位/填报日期, the header,
the claims and a 合计 row, as XLSX or CSV."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pandas as pd

from calculators.coerce import parse_amounts
from calculators.registry import calculator
from subsidies.demo.synthetic.earlier import ID_KINDS
from subsidies.demo.synthetic.generate import BANK_ACCOUNT


def write_sheet(
    frame: pd.DataFrame,
    path: Path,
    *,
    program_id: str,
    title: str,
    unit: str,
    filled_on: dt.date | None = None,
) -> Path:
    """Write ``frame`` as XLSX or CSV (UTF-8 with BOM) by ``path``'s suffix, as officers keep
    it: a title row, 填报单位/填报日期, the header, the claims and a 合计 row."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    template = calculator(program_id).template
    found = template.match_header([str(c) for c in frame.columns])
    kinds = {pos: template.column(name).kind for pos, name in found.items()}
    names = {pos: name for pos, name in found.items()}
    headers = [str(c) for c in frame.columns]
    cells = frame.fillna("").astype(str).to_numpy(dtype=object)
    width = len(headers)
    filled = filled_on or dt.date.today()
    unit_line = f"填报单位：{unit}    填报日期：{filled.year}年{filled.month}月{filled.day}日"

    totals = [""] * width
    totals[0] = "合计"
    claim_pos = next((p for p, n in names.items() if n == "claim_id"), 0)
    if claim_pos + 1 < width:
        totals[claim_pos + 1] = f"共{len(frame)}条"
    for pos, kind in kinds.items():
        if kind == "amount":
            fen = parse_amounts(pd.Series(cells[:, pos], dtype="string"))[0]
            whole, part = divmod(int(fen.sum(skipna=True)), 100)
            totals[pos] = f"{whole:,}.{part:02d}"

    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            out = csv.writer(handle)
            out.writerow([title] + [""] * (width - 1))
            out.writerow([unit_line] + [""] * (width - 1))
            out.writerow(headers)
            out.writerows(cells.tolist())
            out.writerow(totals)
        return path
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise ValueError(f"{path}: write .xlsx or .csv")
    _write_xlsx(path, title, unit_line, headers, cells, totals, kinds, names)
    return path


def _write_xlsx(path, title, unit_line, headers, cells, totals, kinds, names) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    width = len(headers)
    book = Workbook()
    sheet = book.active
    sheet.title = "申报表"
    last = get_column_letter(width)
    sheet.append([title])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([unit_line])
    sheet.merge_cells(f"A2:{last}2")
    sheet.append(headers)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = box
    as_text = {pos for pos, kind in kinds.items() if kind in ID_KINDS} | {
        pos for pos, name in names.items() if name == "claim_id"
    }
    as_text |= {p for p, h in enumerate(headers) if h == BANK_ACCOUNT}
    for r, row in enumerate(cells, start=4):
        for pos, text in enumerate(row):
            cell = sheet.cell(row=r, column=pos + 1)
            value, number_format = _excel_value(text, kinds.get(pos), pos in as_text)
            cell.value = value
            if number_format:
                cell.number_format = number_format
    sheet.append(totals)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for pos, header in enumerate(headers):
        wide = 22 if pos in as_text or kinds.get(pos) == "text" else 12
        sheet.column_dimensions[get_column_letter(pos + 1)].width = max(wide, len(header) * 2 + 2)
    sheet.freeze_panes = "A4"
    book.save(path)


_PLAIN = re.compile(r"[0-9]+(\.[0-9]{1,2})?")
_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]{1,2})?")
_CURRENCY = re.compile(r"[¥￥]([0-9]+(\.[0-9]{1,2})?)")
_SCIENTIFIC = re.compile(r"[0-9]\.[0-9]+E\+[0-9]+")
_DATE = re.compile(r"(\d{4})([-/])(\d{1,2})[-/](\d{1,2})")


def _number(text: str):
    value = float(text)
    return int(value) if value.is_integer() else value


def _excel_value(text: str, kind: str | None, as_text: bool):
    """A cell as Excel holds what an officer typed: dates and plain numbers converted,
    identity numbers in a column formatted as text (an id Excel already turned into a
    number stays the number it became)."""
    if text == "":
        return None, "@" if as_text else None
    if as_text:
        if kind in ID_KINDS and _SCIENTIFIC.fullmatch(text):
            return float(text), "0.00000E+00"
        return text, "@"
    if kind == "date":
        m = _DATE.fullmatch(text)
        if m:
            try:
                day = dt.date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
            except ValueError:
                return text, None  # 2024-02-30 stays the text it was typed as
            return day, "yyyy/m/d" if m.group(2) == "/" else "yyyy-mm-dd"
        return text, None
    if kind == "amount":
        if _PLAIN.fullmatch(text):
            return _number(text), "0.00" if "." in text else "General"
        if _GROUPED.fullmatch(text):
            return _number(text.replace(",", "")), "#,##0.00"
        m = _CURRENCY.fullmatch(text)
        if m:
            return _number(m.group(1)), '"¥"#,##0.00'
        return text, None
    if kind in ("count", "province", None) and re.fullmatch(r"[1-9][0-9]{0,8}", text):
        return int(text), None
    if kind == "percent" and _PLAIN.fullmatch(text):
        return _number(text), None  # "85" typed as a number; "85%" is kept as the text typed
    return text, None
