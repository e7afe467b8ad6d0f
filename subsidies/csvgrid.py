"""A CSV file's cells as text, in the encoding it was saved in.

UTF-8 (with or without a BOM) is read as UTF-8. Any other file is weighed by
charset-normalizer (the lines around its first non-ASCII byte) and read as GB18030, as
Excel saves CSV on a simplified-Chinese Windows, or as Big5, as it does on a
traditional-Chinese one; where the two are equally likely (a file with a character or
two that both spell) it is GB18030, as before. A file that reads better as another
encoding (Shift_JIS, EUC-KR, UTF-16 …), or as no text at all, is refused naming it.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from subsidies.grids import CELL_LIMIT, HEADER_SEARCH_ROWS, ClaimFileError, Sheet, refuse_long_cells

READABLE = ("gb18030", "big5", "cp950", "big5hkscs")  # the first wins a tie
# encodings that, read better than the one we can read, mean the file is in them
_RIVALS = ("cp932", "shift_jis", "euc_j", "iso2022", "cp949", "euc_kr", "johab", "utf_16", "utf_32")
_NAMES = {
    "cp932": "Shift_JIS（日文）", "shift_jis": "Shift_JIS（日文）", "shift_jis_2004": "Shift_JIS（日文）",
    "euc_jp": "EUC-JP（日文）", "euc_jis_2004": "EUC-JP（日文）", "cp949": "EUC-KR（韩文）",
    "euc_kr": "EUC-KR（韩文）", "utf_16": "UTF-16（Excel 的「Unicode 文本」）",
    "utf_16_le": "UTF-16（Excel 的「Unicode 文本」）", "utf_16_be": "UTF-16", "utf_32": "UTF-32",
}  # fmt: skip
_WINDOW = 256 * 1024  # bytes of lines weighed in a large file
_SAVE_AS = "请在 Excel 中另存为「CSV UTF-8（逗号分隔）」或 .xlsx"


def read_sheet(path: Path) -> Sheet:
    data = path.read_bytes()
    text, encoding = decoded(path, data)
    width = _width(path, text)
    del text  # the parser reads the bytes (far faster than text), in the encoding found
    if width == 0:
        raise ClaimFileError(f"{path}: 文件是空的")
    try:
        cells = pd.read_csv(
            io.BytesIO(data),
            encoding=encoding,
            header=None,
            names=range(width),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise ClaimFileError(f"{path}: 无法按 CSV 读取：{_parser_problem(error)}") from None
    sheet = Sheet(path, None, cells, None)
    if _longest_line(data) > CELL_LIMIT:  # else no cell can be longer
        refuse_long_cells(sheet)
    return sheet


def decoded(path: Path, data: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was read in."""
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        pass
    encoding = _detected(path, data)
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ClaimFileError(
            f"{path}: 按 {encoding.upper()} 编码读取，第 {line} 行有该编码中没有的字节，无法读取；"
            f"{_SAVE_AS}"
        ) from None


def _detected(path: Path, data: bytes) -> str:
    """GB18030 or Big5, as charset-normalizer weighs the file; else refused naming what it
    looks like."""
    from charset_normalizer import from_bytes

    matches = from_bytes(_window(data))
    chaos = {match.encoding: match.chaos for match in matches}
    rivals = {e: c for e, c in chaos.items() if e.startswith(_RIVALS)}
    readable = [e for e in READABLE if e in chaos]
    if readable:
        best = min(readable, key=chaos.__getitem__)
        if all(c >= chaos[best] for c in rivals.values()):
            return best
    if not chaos:
        raise ClaimFileError(f"{path}: 不是文本文件（CSV），也不是 XLSX 工作簿；{_SAVE_AS}")
    named = min(rivals, key=rivals.__getitem__) if rivals else matches.best().encoding
    raise ClaimFileError(
        f"{path}: 文件编码看来是 {_NAMES.get(named, named)}，不是 UTF-8、GB18030 或 Big5，"
        f"无法读取；{_SAVE_AS}"
    )


def _window(data: bytes) -> bytes:
    """A small file whole; of a large one, whole lines from the first with a non-ASCII byte,
    about :data:`_WINDOW` bytes (encoded characters never hold a newline byte)."""
    if len(data) <= 4 * _WINDOW:
        return data
    first = re.search(rb"[\x80-\xff]", data)
    start = data.rfind(b"\n", 0, first.start()) + 1 if first else 0
    end = data.find(b"\n", start + _WINDOW)
    return data[start : end if end >= 0 else len(data)]


def _width(path: Path, text: str) -> int:
    """The most cells in a row among the rows the header is looked for in."""
    rows = csv.reader(_lines(text))
    with _fields_unlimited():
        try:
            head = list(itertools.islice(rows, HEADER_SEARCH_ROWS + 1))
        except csv.Error as error:
            raise ClaimFileError(
                f"{path}: 第 {rows.line_num} 行无法按 CSV 读取（{error}）"
            ) from None
    return max(map(len, head), default=0)


@contextmanager
def _fields_unlimited() -> Iterator[None]:
    """The csv module refuses a cell over 131,072 characters; a long cell is refused by
    :func:`~subsidies.grids.refuse_long_cells` instead, naming it."""
    limit = csv.field_size_limit(sys.maxsize)
    try:
        yield
    finally:
        csv.field_size_limit(limit)


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their "\n", as ``io.StringIO(text)`` gives them, without
    copying the whole text first."""
    start = 0
    while start < len(text):
        end = text.find("\n", start) + 1 or len(text)
        yield text[start:end]
        start = end


def _longest_line(data: bytes) -> int:
    """The most bytes between two newlines."""
    if len(data) <= CELL_LIMIT:
        return len(data)
    newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n"))
    return int(np.diff(newlines, prepend=-1, append=len(data)).max()) - 1


def _parser_problem(error: Exception) -> str:
    """pandas' "Expected 11 fields in line 14, saw 12" as the officer would say it."""
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
    if not found:
        return str(error)
    expected, line, saw = found.groups()
    return (
        f"第 {line} 行有 {saw} 个单元格，多于表头所在的前 {HEADER_SEARCH_ROWS + 1} 行中最多的 "
        f"{expected} 个；请检查该行是否多了逗号"
    )
