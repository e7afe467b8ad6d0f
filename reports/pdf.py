"""A :class:`~reports.document.Report` as an A4 PDF (reportlab platypus).

Every page carries the report's title, fund and period at the top and "第 n 页 共 m 页" at
the bottom; the first starts with the title block (fund, period, issuing unit, date);
tables repeat their header row on each page they run onto; the last page ends with the
signature lines officers sign. Tables are rows of wrapped text (:mod:`reports.pdf_rows`),
so a 10,000-line register lays out in seconds; cells, title block and header wrap, shrink
or cut short rather than run into each other. Everything prints in the shipped font,
embedded (:mod:`reports.fonts`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
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
from reports.document import Bars, Block, Report, Table, shown
from reports.document import Paragraph as Note
from reports.fitting import one_line
from reports.fonts import Font, cjk_font
from reports.pdf_rows import Rows
from reports.pdf_rows import Style as RowStyle
from subsidies.domain.i18n import _, pgettext
from subsidies.domain.progress import SILENT, Progress

MARGIN = 15 * mm
ROW_HEIGHT = 14.0
HEADER_SIZE = 8.0  # the running header
LEAST_SIZE = 6.0  # the smallest the running header is set in before it is cut short
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
        "meta": ParagraphStyle("meta", base, leading=11),
        "label": ParagraphStyle("label", base, leading=11, textColor=colors.HexColor("#404040")),
        "notice": ParagraphStyle(
            "notice", base, fontSize=11, leading=20, firstLineIndent=22, spaceBefore=6, spaceAfter=8
        ),
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _title_block(report: Report, styles: dict, width: float, font: str) -> list[Flowable]:
    """Title, subtitle, then fund, period, issuing unit and date in cells that wrap."""
    meta = [
        ["资金", report.fund, "期间", report.period],
        ["编制单位", report.unit, "编制日期", f"{report.prepared_on:%Y年%m月%d日}"],
    ]
    cells = [
        [
            Paragraph(_escape(text), styles["label" if i % 2 == 0 else "meta"])
            for i, text in enumerate(row)
        ]
        for row in meta
    ]
    label = stringWidth("编制日期", font, 9) + 14  # and the cell's padding
    value = width - 2 * label
    table = PdfTable(cells, colWidths=[label, value * 0.58, label, value * 0.42])
    style = [
        ("FONT", (0, 0), (-1, -1), font, 9),  # else reportlab sets Helvetica, not embedded
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
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


def _table(table: Table, styles: dict, font: str) -> list[Flowable]:
    """The table under its title (:mod:`reports.pdf_rows`), its header on every page, totals shaded."""
    kinds = [c.kind for c in table.columns]
    body = [
        [shown(v, k) for v, k in zip(row, kinds, strict=True)]
        for row in [*table.rows, *table.total]
    ]
    shaded = frozenset(table.subtotals) | frozenset(range(len(table.rows), len(body)))
    style = RowStyle(font, 7.5, ROW_HEIGHT, HEADER_FILL, TOTAL_FILL, GRID)
    rows = Rows(
        [c.title for c in table.columns],
        body,
        [c.width for c in table.columns],
        [k != "text" for k in kinds],
        style,
        shaded,
    )
    flow = [CondPageBreak(40 * mm), Paragraph(_escape(table.title), styles["heading"]), rows]
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


def _page_decorator(report: Report, font: str, progress: Progress, file_name: str):
    """Draw the running header and the page number once the page count is known; tell
    ``progress`` of each page laid out, then of the file being saved."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()
            progress.advance(1)

        def save(self) -> None:
            progress.stage(_("saving {file}").format(file=file_name))
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            page_width, page_height = self._pagesize
            room = page_width - 2 * MARGIN
            self.saveState()
            self.setFillColor(colors.HexColor("#404040"))
            top = page_height - MARGIN + 12
            where, where_size = one_line(
                f"{report.fund}  {report.period}", font, HEADER_SIZE, room * 0.45, LEAST_SIZE
            )
            title, title_size = one_line(
                report.title,
                font,
                HEADER_SIZE,
                room - stringWidth(where, font, where_size) - 12,
                LEAST_SIZE,
            )
            self.setFont(font, title_size)
            self.drawString(MARGIN, top, title)
            self.setFont(font, where_size)
            self.drawRightString(page_width - MARGIN, top, where)
            self.setLineWidth(0.5)
            self.line(MARGIN, top - 3, page_width - MARGIN, top - 3)
            self.setFont(font, HEADER_SIZE)
            self.drawCentredString(
                page_width / 2, MARGIN - 18, f"第 {self._pageNumber} 页 共 {total} 页"
            )
            self.restoreState()

    return NumberedCanvas


def _printable(report: Report, font: Font) -> Report:
    """``report`` with every character the font has no glyph for shown as its code point."""
    shown_as = font.printable

    def cells(rows):
        return [[shown_as(v) if isinstance(v, str) else v for v in row] for row in rows]

    def block(b: Block) -> Block:
        if isinstance(b, Table):
            columns = tuple(replace(c, title=shown_as(c.title)) for c in b.columns)
            return replace(
                b,
                title=shown_as(b.title),
                columns=columns,
                rows=cells(b.rows),
                total=tuple(cells(b.total)),
                note=shown_as(b.note),
            )
        if isinstance(b, Bars):
            return replace(
                b,
                title=shown_as(b.title),
                categories=tuple(map(shown_as, b.categories)),
                series=tuple((shown_as(name), values) for name, values in b.series),
            )
        return replace(b, text=shown_as(b.text))

    return replace(
        report,
        title=shown_as(report.title),
        fund=shown_as(report.fund),
        period=shown_as(report.period),
        unit=shown_as(report.unit),
        subtitle=shown_as(report.subtitle),
        signatures=tuple(map(shown_as, report.signatures)),
        closing=tuple(map(shown_as, report.closing)),
        blocks=[block(b) for b in report.blocks],
    )


def render(
    report: Report, path: Path, progress: Progress = SILENT, file_name: str | None = None
) -> None:
    """Write ``report`` as a PDF to ``path``, in the shipped font, embedded; ``progress`` is
    told of the pages laid out (how many is known only at the end), then of the saving."""
    cjk = cjk_font()
    report, font = _printable(report, cjk), cjk.name
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
        initialFontName=font,  # else each page sets Helvetica, a font not embedded
    )
    width = pagesize[0] - 2 * MARGIN
    flow = _title_block(report, styles, width, font)
    for block in report.blocks:
        if isinstance(block, Table):
            flow += _table(block, styles, font)
        elif isinstance(block, Bars):
            flow.append(KeepTogether([Spacer(1, 6), charts.draw(block, width, font)]))
        elif isinstance(block, Note):
            style = styles["notice"] if block.body else styles["note"]
            flow.append(Paragraph(_escape(block.text), style))
    flow.append(_ending(report, styles, width, font))
    name = file_name or path.name
    progress.stage(_("laying out {file}").format(file=name), None, pgettext("unit", "pages"))
    doc.build(flow, canvasmaker=_page_decorator(report, font, progress, name))
