"""A table as rows of wrapped text: the flowable for every table, registers of thousands too.

reportlab's ``Table`` measures every cell and, at each page break, builds a new table of
all the rows left, so a 10,000-line register costs it O(n²). Here every cell is laid out
once: columns are as wide as their widest cell when the page allows (:func:`widths`), text
that still does not fit wraps inside its cell (between any two characters, as CJK text
does), a figure never wraps but is set smaller if its column cannot hold it, and a row is
as tall as its tallest cell. Nothing runs into the next cell. A page takes as many rows as
fit, a split is two views of the same rows, the header row repeats on every page, and
shaded rows (subtotals, totals) are filled.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from reports.fitting import SLACK, wrap

PADDING = 3.0  # left and right of a cell's text
V_PADDING = 2.0  # above and below it
LEADING = 1.27  # line height, in font sizes
ASCENT = 0.82  # of a glyph above its baseline, in font sizes
HEADER_WORDS = re.compile(r"\s+|(?<=/)")  # a figure's column is as wide as its header's words
LEAST = 2 * PADDING + 16  # a column is two characters wide at least
SHORT_SHARE = 0.6


@dataclass(frozen=True)
class Style:
    font: str
    size: float
    row_height: float  # of a row of one line
    header_fill: colors.Color
    shade_fill: colors.Color
    grid: colors.Color


@dataclass(frozen=True)
class Cell:
    """A cell laid out: its lines, the size they are set in, and how they align."""

    lines: tuple[str, ...]
    size: float
    align: str  # "left", "right" or "centre"


def widths(
    natural: list[float],
    figures: list[float],
    numeric: list[bool],
    weights: list[float],
    room: float,
) -> list[float]:
    """Column widths filling ``room``.

    When every column fits as wide as its ``natural`` (widest cell, header included), the
    room left is shared by ``weights``. Else numeric columns are as wide as their
    ``figures`` (never wrapped); short text columns (a number, a name: at most a sixth of
    the room) keep their width while they take at most SHORT_SHARE of what is left; then
    a text column needing less than an equal share of the rest gets what it needs, and the
    others share what is left in proportion to their natural widths, so their cells wrap
    into about as many lines.
    """
    natural = [max(n, LEAST) for n in natural]
    if sum(natural) <= room:
        spare, weight = room - sum(natural), sum(weights)
        return [n + spare * w / weight for n, w in zip(natural, weights, strict=True)]
    out = [f if num else 0.0 for f, num in zip(figures, numeric, strict=True)]
    left = room - sum(out)
    pending = {i for i, num in enumerate(numeric) if not num}
    short = {i for i in pending if natural[i] <= room / 6}
    if sum(natural[i] for i in short) <= left * SHORT_SHARE:
        for i in short:
            out[i] = natural[i]
        left -= sum(natural[i] for i in short)
        pending -= short
    while pending:
        settled = {i for i in pending if natural[i] <= left / len(pending)}
        if not settled:
            wanted = sum(natural[i] for i in pending)
            for i in pending:
                out[i] = max(LEAST, left * natural[i] / wanted)
            break
        for i in settled:
            out[i] = natural[i]
            left -= natural[i]
        pending -= settled
    scale = min(1.0, room / sum(out))  # below 1 only if the figures alone overflow
    return [w * scale for w in out]


class Rows(Flowable):
    """``rows[start:stop]`` under ``header``; ``right`` columns hold figures (right-aligned)."""

    def __init__(
        self,
        header: list[str],
        rows: list[list[str]],
        weights: list[float],
        right: list[bool],
        style: Style,
        shaded: frozenset[int] = frozenset(),
    ) -> None:
        super().__init__()
        self.header, self.rows, self.weights, self.right = header, rows, weights, right
        self.style, self.shaded = style, shaded
        self.start, self.stop = 0, len(rows)
        self.widths: list[float] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if not self.widths:
            self._lay_out(avail_width)
        self.width = sum(self.widths)
        self.height = self.header_height + self.tops[self.stop] - self.tops[self.start]
        return self.width, self.height

    def _lay_out(self, room: float) -> None:
        """Column widths, every cell's lines and every row's height, once for all pages."""
        style, measured = self.style, {}

        def width(text: str) -> float:
            if text not in measured:
                measured[text] = stringWidth(text, style.font, style.size)
            return measured[text]

        columns = list(zip(*self.rows, strict=True)) if self.rows else [()] * len(self.header)
        figures = [max(map(width, cells), default=0.0) + 2 * PADDING for cells in columns]
        heads = [width(h) + 2 * PADDING for h in self.header]
        natural = [max(f, h) for f, h in zip(figures, heads, strict=True)]
        words = [max(map(width, HEADER_WORDS.split(h))) + 2 * PADDING for h in self.header]
        figures = [max(f, w) for f, w in zip(figures, words, strict=True)]  # a header wraps
        self.widths = widths(natural, figures, self.right, self.weights, room)
        self.head = self._row(self.header, ["centre"] * len(self.header), width)
        aligns = ["right" if r else "left" for r in self.right]
        self.cells = [self._row(row, aligns, width) for row in self.rows]
        self.header_height = self._height(self.head)
        self.tops = [0.0, *accumulate(self._height(cells) for cells in self.cells)]

    def _row(self, texts: list[str], aligns: list[str], width) -> list[Cell]:
        style, out = self.style, []
        for text, column, align in zip(texts, self.widths, aligns, strict=True):
            inner, natural = column - 2 * PADDING, width(text)
            if natural <= inner + SLACK:
                out.append(Cell((text,), style.size, align))
            elif align == "right":  # a figure: smaller, never broken
                out.append(Cell((text,), style.size * inner / natural, align))
            else:
                out.append(Cell(wrap(text, style.font, style.size, inner), style.size, align))
        return out

    def _height(self, cells: list[Cell]) -> float:
        lines = max((len(c.lines) for c in cells), default=1)
        text = (lines - 1) * self.style.size * LEADING + self.style.size
        return max(self.style.row_height, text + 2 * V_PADDING + 2)

    def split(self, avail_width: float, avail_height: float) -> list[Rows]:
        self.wrap(avail_width, avail_height)
        room = avail_height - self.header_height + self.tops[self.start]
        cut = bisect_right(self.tops, room, lo=self.start) - 1
        if cut <= self.start:
            return []
        if cut >= self.stop:
            return [self]
        return [self._view(self.start, cut), self._view(cut, self.stop)]

    def _view(self, start: int, stop: int) -> Rows:
        view = Rows(self.header, self.rows, self.weights, self.right, self.style, self.shaded)
        view.__dict__.update(
            {k: v for k, v in self.__dict__.items() if k in _LAID_OUT}, start=start, stop=stop
        )
        return view

    def draw(self) -> None:
        canvas, style = self.canv, self.style
        edges = [0.0, *accumulate(self.widths)]
        # the top of the header, then of each row, down the page
        tops = [self.height] + [
            self.height - self.header_height - (self.tops[i] - self.tops[self.start])
            for i in range(self.start, self.stop + 1)
        ]
        canvas.saveState()
        canvas.setFillColor(style.header_fill)
        canvas.rect(0, tops[1], self.width, self.header_height, stroke=0, fill=1)
        canvas.setFillColor(style.shade_fill)
        for k, i in enumerate(range(self.start, self.stop), start=1):
            if i in self.shaded:
                canvas.rect(0, tops[k + 1], self.width, tops[k] - tops[k + 1], stroke=0, fill=1)
        canvas.setStrokeColor(style.grid)
        canvas.setLineWidth(0.4)
        lines = [(0, y, self.width, y) for y in tops]
        lines += [(x, 0, x, self.height) for x in edges]
        canvas.lines(lines)
        canvas.setFillColor(colors.black)
        text = canvas.beginText()
        text.setFont(style.font, style.size)
        self._set_size = style.size
        rows = [self.head, *self.cells[self.start : self.stop]]
        for cells, top, bottom in zip(rows, tops, tops[1:], strict=False):
            for cell, left, right in zip(cells, edges, edges[1:], strict=False):
                self._text(text, cell, left, right, (top + bottom) / 2)
        canvas.drawText(text)
        canvas.restoreState()

    def _text(self, text, cell: Cell, left: float, right: float, middle: float) -> None:
        """``cell``'s lines, centred on ``middle`` between ``left`` and ``right``."""
        if not cell.lines or cell.lines == ("",):
            return
        size, font = cell.size, self.style.font
        if size != self._set_size:
            text.setFont(font, size)
            self._set_size = size
        block = (len(cell.lines) - 1) * self.style.size * LEADING + size
        baseline = middle + block / 2 - size * ASCENT
        for line in cell.lines:
            w = stringWidth(line, font, size)
            if cell.align == "right":
                x = right - PADDING - w
            elif cell.align == "centre":
                x = (left + right - w) / 2
            else:
                x = left + PADDING
            text.setTextOrigin(x, baseline)
            text.textOut(line)
            baseline -= self.style.size * LEADING


_LAID_OUT = ("widths", "head", "cells", "header_height", "tops")
