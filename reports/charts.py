"""Bar charts drawn with reportlab's own graphics (``reportlab.graphics``).

The data are integer fen; they become floats only as bar geometry. Every number printed
on a chart — axis ticks, bar labels — is formatted from integers: the value axis is laid
out in whole steps of 万元 (10,000 yuan) chosen from the integer maximum.
"""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from reports.document import Bars
from subsidies.domain.money import format_yuan_grouped

PALETTE = (
    colors.HexColor("#1f4e79"),
    colors.HexColor("#c55a11"),
    colors.HexColor("#548235"),
    colors.HexColor("#7f6000"),
    colors.HexColor("#7030a0"),
    colors.HexColor("#2f5597"),
)
WAN_FEN = 1_000_000  # 1 万元 in fen
NICE = (1, 2, 5)


def _step(top_fen: int, ticks: int = 5) -> int:
    """A tick step in fen (1, 2 or 5 × 10ⁿ 万元) giving at most ``ticks`` steps to ``top_fen``."""
    step = WAN_FEN
    while True:
        for factor in NICE:
            if step * factor * ticks >= top_fen:
                return step * factor
        step *= 10


def draw(bars: Bars, width: float, font: str) -> Drawing:
    """The chart as a drawing ``width`` points wide, with a title and a legend."""
    groups = len(bars.categories)
    height = max(160.0, 26.0 * groups + 80) if bars.horizontal else 220.0
    drawing = Drawing(width, height)
    drawing.add(
        String(
            width / 2, height - 14, bars.title, fontName=font, fontSize=10.5, textAnchor="middle"
        )
    )
    chart = HorizontalBarChart() if bars.horizontal else VerticalBarChart()
    label_room = 150.0 if bars.horizontal else 0.0
    chart.x, chart.y = 60 + label_room, 40
    chart.width = width - chart.x - 30
    chart.height = height - 90
    chart.data = [tuple(float(v) for v in values) for _, values in bars.series]
    values = [0, *(v for _, values in bars.series for v in values)]
    step = _step(max(values) - min(values))
    low, high = -(-min(values) // step), max(1, -(-max(values) // step))  # in steps
    ticks = [i * step for i in range(-low, high + 1)]
    axis = chart.valueAxis
    axis.valueMin, axis.valueMax, axis.valueStep = float(ticks[0]), float(ticks[-1]), float(step)
    axis.labelTextFormat = lambda value: f"{ticks[round((value - ticks[0]) / step)] // WAN_FEN:,}"
    axis.labels.fontName = font
    axis.labels.fontSize = 7.5
    axis.visibleGrid = True
    axis.gridStrokeColor = colors.HexColor("#d9d9d9")
    cats = chart.categoryAxis
    cats.categoryNames = list(bars.categories)
    cats.labels.fontName = font
    cats.labels.fontSize = 7.5
    if bars.horizontal:
        cats.labels.boxAnchor = "e"
        cats.labels.dx = -4
        chart.barLabelFormat = "values"
        chart.barLabelArray = [
            [format_yuan_grouped(v) for v in values] for _, values in bars.series
        ]
        chart.barLabels.fontName = font
        chart.barLabels.fontSize = 7
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 3
    elif groups > 8:
        cats.labels.angle = 30
        cats.labels.boxAnchor = "ne"
    for i in range(len(bars.series)):
        chart.bars[i].fillColor = PALETTE[i % len(PALETTE)]
        chart.bars[i].strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 6
    drawing.add(chart)
    unit_at = (
        (chart.x + chart.width, chart.y - 24)
        if bars.horizontal
        else (chart.x - 4, chart.y + chart.height + 6)
    )
    drawing.add(String(*unit_at, "万元", fontName=font, fontSize=7.5, textAnchor="end"))
    if len(bars.series) > 1:
        legend = Legend()
        legend.fontName = font
        legend.fontSize = 8
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.x, legend.y = chart.x, 12
        legend.dx = legend.dy = 8
        legend.deltax = 120
        legend.colorNamePairs = [
            (PALETTE[i % len(PALETTE)], name) for i, (name, _) in enumerate(bars.series)
        ]
        drawing.add(legend)
    return drawing
