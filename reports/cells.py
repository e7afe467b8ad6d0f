"""Text cells as a spreadsheet must get them: never a live formula, and how wide they print.

Formula injection (OWASP, "CSV Injection"): a cell whose text begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is taken by Excel or WPS as a formula when the
file is opened (``=HYPERLINK(…)`` as a broker's name, ``=1+1`` as an account). A claim
file's text reaches every file the product writes, so every text cell is written
*neutralised*: in CSV with a ``'`` in front, in XLSX as a string with Excel's own quote
prefix (the cell keeps its text and stays text when edited). A plain number (``-12.50``,
``+86``) is no formula and is left as it is, so amounts and counts stay numbers.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_STARTS = np.array([ord(c) for c in FORMULA_START], dtype=np.uint32)
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")


def is_live(text: str) -> bool:
    """Whether a spreadsheet would take ``text`` as a formula (OWASP's rule, plain numbers aside)."""
    return text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text)


def neutralised(text: str) -> str:
    """``text`` as a CSV cell: ``'`` in front of a live formula, otherwise unchanged."""
    return "'" + text if is_live(text) else text


def live_cells(values: list[str], joined: str | None = None) -> list[int]:
    """The positions of the live formulas among ``values`` (text; ``joined`` is their
    concatenation when the caller has it): the first characters are compared all at once,
    and only the few that start like a formula are looked at one by one."""
    if not values:
        return []
    joined = "".join(values) if joined is None else joined
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    starts = np.cumsum(lengths) - lengths
    filled = np.flatnonzero(lengths)
    if not len(filled):
        return []
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    candidates = filled[np.isin(codes[starts[filled]], _STARTS)].tolist()
    return [i for i in candidates if is_live(values[i])]


def width(text: str) -> int:
    """Columns ``text`` takes in a spreadsheet: East Asian wide and full-width characters
    (汉字, ，) count two, others one."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def widest(texts) -> int:
    """The greatest :func:`width` among ``texts``: longest first, and only while a text
    could still be wider than the widest so far (no text is wider than twice its length)."""
    unique = list(set(texts))
    lengths = np.fromiter(map(len, unique), dtype=np.int64, count=len(unique))
    best = 0
    for i in np.argsort(-lengths, kind="stable").tolist():
        if 2 * lengths[i] <= best:
            break
        best = max(best, width(unique[i]))
    return best
