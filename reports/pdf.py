"""A :class:`~reports.document.Report` as an A4 PDF (reportlab platypus).

Every page carries the report's title, fund and period at the top and "第 n 页 共 m 页" at
the bottom; the first starts with the title block (fund, period, issuing unit, date);
tables repeat their header row on each page they run onto; the last page ends with the
signature lines officers sign. Long tables are set in fixed-height rows of plain text, so
a 10,000-line register lays out in seconds.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)
from reportlab.platypus import Table as PdfTable

from reports import charts
from reports.document import Bars, Report, Table, shown
from reports.document import Paragraph as Note
from reports.fonts import cjk_font
from reports.pdf_rows import Rows
from reports.pdf_rows import Style as RowStyle

MARGIN = 15 * mm
ROW_HEIGHT = 14.0
WRAP_ROWS = 400  # longer tables are set in fixed-height rows without wrapping, for speed
HEADER_FILL = colors.HexColor("#d9e1f2")
TOTAL_FILL = colors.HexColor("#f2f2f2")
GRID = colors.HexColor("#808080")


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", base, fontSize=17, leading=24, alignment=TA_CENTER),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=10, leading=14, alignment=TA_CENTER),
        "heading": ParagraphStyle(
            "heading", base, fontSize=11.5, leading=16, spaceBefore=8, spaceAfter=4
        ),
        "body": base,
        "note": ParagraphStyle(
            "note", base, fontSize=8, leading=11, textColor=colors.HexColor("#404040")
        ),
        "cell": ParagraphStyle("cell", base, fontSize=7.5, leading=9.5),
        "notice": ParagraphStyle(
            "notice", base, fontSize=11, leading=20, firstLineIndent=22, spaceBefore=6, spaceAfter=8
        ),
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _title_block(report: Report, styles: dict, width: float, font: str) -> list[Flowable]:
    meta = [
        ["资金", report.fund, "期间", report.period],
        ["编制单位", report.unit or "", "编制日期", f"{report.prepared_on:%Y年%m月%d日}"],
    ]
    table = PdfTable(meta, colWidths=[width * w for w in (0.1, 0.45, 0.1, 0.35)])
    style = [
        ("FONT", (0, 0), (-1, -1), font, 9),
        ("TEXTCOLOR", (0, 0), (0, -1), colors.HexColor("#404040")),
        ("TEXTCOLOR", (2, 0), (2, -1), colors.HexColor("#404040")),
        ("LINEBELOW", (0, -1), (-1, -1), 1.2, colors.black),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if not report.unit:  # a line to write the unit on
        style.append(("LINEBELOW", (1, 1), (1, 1), 0.5, colors.black))
    table.setStyle(style)
    flow: list[Flowable] = [Paragraph(_escape(report.title), styles["title"])]
    if report.subtitle:
        flow.append(Paragraph(_escape(report.subtitle), styles["subtitle"]))
    flow += [Spacer(1, 6), table, Paragraph("金额单位：元", styles["note"]), Spacer(1, 4)]
    return flow


def _grid(table: Table, styles: dict, widths: list[float], font: str) -> Flowable:
    """A table of wrapped cells (reportlab's Table), for tables of at most WRAP_ROWS rows."""
    kinds = [c.kind for c in table.columns]
    cell = styles["cell"]
    centred = ParagraphStyle("header", cell, alignment=TA_CENTER)
    header = [Paragraph(_escape(c.title), centred) for c in table.columns]
    body = [
        [
            Paragraph(_escape(text), cell) if kind == "text" and text else text
            for text, kind in ((shown(v, k), k) for v, k in zip(row, kinds, strict=True))
        ]
        for row in [*table.rows, *table.total]
    ]
    pdf = PdfTable([header, *body], colWidths=widths, repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), font, 7.5),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    style += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i, k in enumerate(kinds) if k != "text"]
    style += [("BACKGROUND", (0, i + 1), (-1, i + 1), TOTAL_FILL) for i in sorted(table.subtotals)]
    if table.total:
        first = len(table.rows) + 1
        style += [
            ("BACKGROUND", (0, first), (-1, -1), TOTAL_FILL),
            ("LINEABOVE", (0, first), (-1, first), 1.0, colors.black),
        ]
    pdf.setStyle(style)
    return pdf


def _rows(table: Table, widths: list[float], font: str) -> Flowable:
    """A long table as fixed-height rows of plain text (:mod:`reports.pdf_rows`)."""
    kinds = [c.kind for c in table.columns]
    body = [
        [shown(v, k) for v, k in zip(row, kinds, strict=True)]
        for row in [*table.rows, *table.total]
    ]
    shaded = frozenset(table.subtotals) | frozenset(range(len(table.rows), len(body)))
    style = RowStyle(font, 7.5, ROW_HEIGHT, HEADER_FILL, TOTAL_FILL, GRID)
    return Rows(
        [c.title for c in table.columns], body, widths, [k != "text" for k in kinds], style, shaded
    )


def _table(table: Table, styles: dict, width: float, font: str) -> list[Flowable]:
    """The table under its title, its header repeated on every page, totals shaded."""
    total_width = sum(c.width for c in table.columns)
    widths = [width * c.width / total_width for c in table.columns]
    short = len(table.rows) <= WRAP_ROWS
    flow: list[Flowable] = [CondPageBreak(60 * mm if short else 30 * mm)]
    flow.append(Paragraph(_escape(table.title), styles["heading"]))
    flow.append(_grid(table, styles, widths, font) if short else _rows(table, widths, font))
    if table.note:
        flow.append(Paragraph(_escape(table.note), styles["note"]))
    return flow


def _ending(report: Report, styles: dict, width: float, font: str) -> Flowable:
    """The signature lines, or a notice's closing (unit and date) on the right."""
    if report.closing:
        right = ParagraphStyle("closing", styles["notice"], alignment=TA_RIGHT, firstLineIndent=0)
        return KeepTogether(
            [Spacer(1, 18), *(Paragraph(_escape(line), right) for line in report.closing)]
        )
    cells = [f"{name}：" for name in report.signatures]
    table = PdfTable([cells], colWidths=[width / len(cells)] * len(cells))
    table.setStyle([("FONT", (0, 0), (-1, -1), font, 10), ("TOPPADDING", (0, 0), (-1, -1), 18)])
    return KeepTogether([Spacer(1, 10), table])


def _page_decorator(report: Report, font: str):
    """Draw the running header and the page number once the page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            page_width, page_height = self._pagesize
            self.saveState()
            self.setFont(font, 8)
            self.setFillColor(colors.HexColor("#404040"))
            top = page_height - MARGIN + 12
            self.drawString(MARGIN, top, report.title)
            self.drawRightString(page_width - MARGIN, top, f"{report.fund}  {report.period}")
            self.setLineWidth(0.5)
            self.line(MARGIN, top - 3, page_width - MARGIN, top - 3)
            self.drawCentredString(
                page_width / 2, MARGIN - 18, f"第 {self._pageNumber} 页 共 {total} 页"
            )
            self.restoreState()

    return NumberedCanvas


def render(report: Report, path: Path) -> None:
    """Write ``report`` as a PDF to ``path``."""
    font = cjk_font().name
    styles = _styles(font)
    pagesize = landscape(A4) if report.landscape else A4
    doc = SimpleDocTemplate(
        str(path),
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 6,
        bottomMargin=MARGIN,
        title=report.title,
        author=report.unit,
        subject=f"{report.fund} {report.period}",
    )
    width = pagesize[0] - 2 * MARGIN
    flow = _title_block(report, styles, width, font)
    for block in report.blocks:
        if isinstance(block, Table):
            flow += _table(block, styles, width, font)
        elif isinstance(block, Bars):
            flow.append(KeepTogether([Spacer(1, 6), charts.draw(block, width, font)]))
        elif isinstance(block, Note):
            style = styles["notice"] if block.body else styles["note"]
            flow.append(Paragraph(_escape(block.text), style))
    flow.append(_ending(report, styles, width, font))
    doc.build(flow, canvasmaker=_page_decorator(report, font))
