"""An XLSX workbook's worksheets as text, read by python-calamine (the engine pandas calls
``engine="calamine"``; ten times faster than openpyxl on a large sheet).

Each cell reads as the officer sees it, as the openpyxl reader before it read it: a date
cell as ``2024-07-01`` (with its time when it has one), a whole number as ``1002`` (not
``1002.0``), any other number as Python writes it (``6.30102199001011e+17``: an id Excel
turned into a number, which the id checks name; calamine reads every number as a float, so
a whole number past 2**53 reads so too, and one from 1e15 to 2**53 reads whole however it
was written, where openpyxl added ".0" to one written as a float), TRUE/FALSE as yes/no, text as typed
(leading zeros kept), an error as Excel shows it (``#N/A``), and a number shown as a
percentage as that percentage (0.855 with format ``0.0%`` is ``85.5%``). calamine gives no
number formats and no error codes: both are read from the workbook's XML for the cells
that have them (a sheet with neither costs one byte search).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import python_calamine as calamine

from subsidies.domain.i18n import _, pgettext
from subsidies.domain.progress import SILENT, Progress
from subsidies.grids import CELL_LIMIT, ClaimFileError, Sheet, refuse_long_cells

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PERCENT_BUILTINS = {"9", "10"}  # 0% and 0.00%
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/?)>")
_ATTRIBUTE = re.compile(rb'\b(r|s|t)="([^"]*)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_ADDRESS = re.compile(r"([A-Z]+)([0-9]+)")
_EXACT_WHOLE = 2**53  # a float past this may not be the whole number that was written


def read_sheets(
    path: Path, sheet: str | None = None, progress: Progress = SILENT
) -> Iterator[Sheet]:
    """The worksheets in order (only ``sheet`` when named), each read when asked for;
    ``progress`` is told of each (its rows, as their cells are turned into text)."""
    try:
        book = calamine.CalamineWorkbook.from_path(path)
    except calamine.CalamineError as error:
        raise ClaimFileError(f"{path}: 不是可读的 XLSX 工作簿（{error}）") from None
    with book:
        names = [m.name for m in book.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
        if sheet is not None:
            if sheet not in names:
                listed = "、".join(f"「{n}」" for n in names)
                raise ClaimFileError(f"{path}: 没有名为「{sheet}」的工作表；工作簿中有 {listed}")
            names = [sheet]
        if not names:
            raise ClaimFileError(f"{path}: 工作簿中没有工作表")
        formats = _Formats(path)
        empty = True
        for name in names:
            progress.stage(
                _("reading worksheet {sheet} of {file}").format(sheet=name, file=path.name)
            )
            try:
                rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except calamine.CalamineError as error:
                raise ClaimFileError(f"{path} 工作表「{name}」: 无法读取（{error}）") from None
            except BaseException as error:
                if type(error).__name__ != "PanicException":
                    raise
                # calamine gives up (pyo3's PanicException) on a date cell far out of range
                raise ClaimFileError(
                    f"{path} 工作表「{name}」: 有设为日期格式的单元格，其数值不是日期（超出范围），"
                    f"无法读取；请检查设为日期格式的列（{error}）"
                ) from None
            progress.stage(
                _("reading the cells of {sheet}").format(sheet=name),
                len(rows),
                pgettext("unit", "rows"),
            )
            cells, numeric = _grid(rows, formats.marked(name), progress)
            if cells.empty:
                continue  # an empty sheet holds no header: the next may
            empty = False
            found = Sheet(path, name, cells, numeric)
            refuse_long_cells(found, CELL_LIMIT - 1)  # a longer cell reads cut to the limit
            yield found
        if empty:
            what = f"工作表「{sheet}」" if sheet is not None else "工作簿"
            raise ClaimFileError(f"{path}: {what}是空的")


def _grid(
    rows: list[list], marked: dict[tuple[int, int], str], progress: Progress = SILENT
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cell text and which cells held numbers, a column at a time (``marked``: the cells
    shown as percentages, "%", or holding an error, its code); ``progress`` counts the rows
    done as the columns are."""
    width = max(map(len, rows), default=0)
    if width == 0:
        return pd.DataFrame(), pd.DataFrame()
    if any(len(row) < width for row in rows):
        rows = [row + [""] * (width - len(row)) for row in rows]
    texts, numbers, done = {}, {}, 0
    for position, values in enumerate(zip(*rows, strict=True)):
        texts[position], numbers[position] = _column(values)
        now = len(rows) * (position + 1) // width
        progress.advance(now - done)
        done = now
    for (row, column), mark in marked.items():
        if row < len(rows) and column in texts:
            value = rows[row][column]
            if mark != "%":
                texts[column][row], numbers[column][row] = mark, False
            elif type(value) in (int, float):
                texts[column][row] = percent_text(value)
    return pd.DataFrame(texts, dtype=object), pd.DataFrame(numbers)


def _column(values: tuple) -> tuple[list[str], np.ndarray]:
    """A column's cells as text (:func:`cell_text`), and which held numbers; the cells of
    each kind (text, dates, numbers …) are turned into text together."""
    texts, numeric = list(values), np.zeros(len(values), dtype=bool)
    for kind in set(map(type, values)) - {str}:
        rows = [i for i, v in enumerate(values) if v.__class__ is kind]
        kept = [values[i] for i in rows]
        if kind is float:
            made = _numbers_text(kept)
        elif kind is dt.date:
            made = list(map(dt.date.isoformat, kept))
        else:
            made = list(map(cell_text, kept))
        for i, text in zip(rows, made, strict=True):
            texts[i] = text
        numeric[rows] = kind in (int, float)
    return texts, numeric


def _numbers_text(numbers: list[float]) -> list[str]:
    """:func:`cell_text` of many floats: whole ones (to 2**53) as integers, in one pass."""
    values = np.array(numbers, dtype=np.float64)
    whole = (values == np.trunc(values)) & (np.abs(values) <= _EXACT_WHOLE)
    out = np.empty(len(values), dtype=object)
    out[whole] = values[whole].astype(np.int64).astype(str)
    out[~whole] = list(map(repr, values[~whole].tolist()))
    return out.tolist()


def cell_text(value) -> str:
    """A cell as the officer sees it (a percentage aside: :func:`percent_text`)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) <= _EXACT_WHOLE:
            return str(int(value))
        return repr(value)
    return str(value)  # int, time, timedelta


def percent_text(value: float) -> str:
    """0.855 shown as a percentage is "85.5%", exactly."""
    percent = (Decimal(repr(value)) * 100).normalize()
    return f"{abs(percent) if percent == 0 else percent:f}%"  # -0.0 is 0%


class _Formats:
    """Which cells of each worksheet are shown as percentages or hold errors, from the
    workbook's XML (calamine gives neither)."""

    def __init__(self, path: Path):
        self.path = path
        with zipfile.ZipFile(path) as archive:
            self.parts = _sheet_parts(archive)
            self.percent = _percent_styles(archive)

    def marked(self, name: str) -> dict[tuple[int, int], str]:
        part = self.parts.get(name)
        if part is None:
            return {}
        with zipfile.ZipFile(self.path) as archive:
            xml = archive.read(part)
        if not self.percent and b't="e"' not in xml:
            return {}
        found = {}
        for cell in _CELL.finditer(xml):
            attributes = dict(_ATTRIBUTE.findall(cell.group(1)))
            error = attributes.get(b"t") == b"e"
            if not error and attributes.get(b"s", b"").decode() not in self.percent:
                continue
            address = _ADDRESS.fullmatch(attributes.get(b"r", b"").decode())
            if not address:
                continue  # a cell without its address (no writer we know omits it)
            at = (int(address[2]) - 1, _column_number(address[1]))
            if not error:
                found[at] = "%"
            elif cell.group(2) != b"/":
                end = _CELL_END.search(xml, cell.end())
                value = _VALUE.search(xml, cell.end(), end.start() if end else len(xml))
                found[at] = value.group(1).decode() if value else ""
        return found


def _column_number(letters: str) -> int:
    """A -> 0, Z -> 25, AA -> 26."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number - 1


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's name and the archive member that holds it."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_RELS}Relationship")}
    parts = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(_R_ID), "")
        member = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl", target))
        parts[sheet.get("name")] = member
    return parts


def _percent_styles(archive: zipfile.ZipFile) -> set[str]:
    """The indexes (as written in a cell's ``s``) of the cell styles showing a percentage."""
    try:
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    except (KeyError, ElementTree.ParseError):
        return set()
    percent = set(_PERCENT_BUILTINS)
    for number_format in styles.iter(f"{_MAIN}numFmt"):
        if "%" in number_format.get("formatCode", ""):
            percent.add(number_format.get("numFmtId"))
    cell_styles = styles.find(f"{_MAIN}cellXfs")
    if cell_styles is None:
        return set()
    return {
        str(index)
        for index, style in enumerate(cell_styles.iter(f"{_MAIN}xf"))
        if style.get("numFmtId") in percent
    }
