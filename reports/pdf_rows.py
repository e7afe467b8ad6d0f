"""A long table as fixed-height rows of plain text: the flowable for registers of thousands.

reportlab's ``Table`` measures every cell and, at each page break, builds a new table of
all the rows left, so a 10,000-line register costs it O(n²). Here a row is one line of
text at a fixed height: a page takes as many rows as fit, a split is two views of the
same list, and a page's text is drawn as one text object. The header row repeats on
every page; shaded rows (subtotals, totals) are filled and ruled above.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

PADDING = 3.0


@dataclass(frozen=True)
class Style:
    font: str
    size: float
    row_height: float
    header_fill: colors.Color
    shade_fill: colors.Color
    grid: colors.Color


class Rows(Flowable):
    """``rows[start:stop]`` under ``header``; ``right`` columns are right-aligned."""

    def __init__(
        self,
        header: list[str],
        rows: list[list[str]],
        widths: list[float],
        right: list[bool],
        style: Style,
        shaded: frozenset[int] = frozenset(),
        start: int = 0,
        stop: int | None = None,
    ) -> None:
        super().__init__()
        self.header, self.rows, self.widths, self.right = header, rows, widths, right
        self.style, self.shaded = style, shaded
        self.start, self.stop = start, len(rows) if stop is None else stop

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = sum(self.widths)
        self.height = (1 + self.stop - self.start) * self.style.row_height
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Rows]:
        fit = int(avail_height // self.style.row_height) - 1  # the header takes a row
        if fit < 1:
            return []
        if self.start + fit >= self.stop:
            return [self]
        cut = self.start + fit
        return [self._view(self.start, cut), self._view(cut, self.stop)]

    def _view(self, start: int, stop: int) -> Rows:
        args = (self.header, self.rows, self.widths, self.right, self.style, self.shaded)
        return Rows(*args, start=start, stop=stop)

    def draw(self) -> None:
        canvas, style = self.canv, self.style
        h, n = style.row_height, self.stop - self.start
        edges = [0.0]
        for w in self.widths:
            edges.append(edges[-1] + w)
        top = self.height
        canvas.saveState()
        canvas.setFillColor(style.header_fill)
        canvas.rect(0, top - h, self.width, h, stroke=0, fill=1)
        canvas.setFillColor(style.shade_fill)
        for i in range(self.start, self.stop):
            if i in self.shaded:
                canvas.rect(0, top - h * (2 + i - self.start), self.width, h, stroke=0, fill=1)
        canvas.setStrokeColor(style.grid)
        canvas.setLineWidth(0.4)
        lines = [(0, top - k * h, self.width, top - k * h) for k in range(n + 2)]
        lines += [(x, 0, x, top) for x in edges]
        canvas.lines(lines)
        text = canvas.beginText()
        text.setFont(style.font, style.size)
        canvas.setFillColor(colors.black)
        baseline = (h - style.size) / 2 + style.size * 0.18
        for k, cells in enumerate([self.header, *self.rows[self.start : self.stop]]):
            y = top - h * (k + 1) + baseline
            for cell, left, right_edge, right in zip(
                cells, edges[:-1], edges[1:], self.right, strict=True
            ):
                if not cell:
                    continue
                width = stringWidth(cell, style.font, style.size)
                if k == 0:
                    x = (left + right_edge - width) / 2
                else:
                    x = right_edge - PADDING - width if right else left + PADDING
                text.setTextOrigin(x, y)
                text.textOut(cell)
        canvas.drawText(text)
        canvas.restoreState()
