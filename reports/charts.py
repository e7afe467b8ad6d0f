"""Bar charts drawn with reportlab's own graphics (``reportlab.graphics``).

The data are integer fen; they become floats only as bar geometry. Every number a chart
prints — axis ticks and bar labels — is in the chart's one unit, named once beside the
axis: 万元 when a value reaches 1 万元, else 元. Ticks are whole steps (1, 2 or 5 × 10ⁿ of
the unit) chosen from the integer extremes; bar labels are formatted from integers. A bar
too short to see is labelled with its value. Category labels wrap or are set smaller to
fit their room, and the legend runs on as many lines as it needs, so no text is drawn over
other text.
"""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Group, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.document import Bars
from reports.fitting import in_lines

PALETTE = (
    colors.HexColor("#1f4e79"),
    colors.HexColor("#c55a11"),
    colors.HexColor("#548235"),
    colors.HexColor("#7f6000"),
    colors.HexColor("#7030a0"),
    colors.HexColor("#2f5597"),
)
UNITS = ((1_000_000, "万元"), (100, "元"))  # fen per unit, largest first
NICE = (1, 2, 5)
SIZE = 7.5  # axis and category labels
LEAST = 5.0  # the smallest a category label is set in
VISIBLE = 3.0  # points: a bar shorter than this is labelled with its value
LEGEND_SIZE = 8.0


def unit(values: list[int]) -> tuple[int, str]:
    """The chart's unit: 万元 when a value reaches 1 万元, else 元."""
    top = max((abs(v) for v in values), default=0)
    return next(((fen, name) for fen, name in UNITS if top >= fen), UNITS[-1])


def step(span_fen: int, unit_fen: int, ticks: int = 5) -> int:
    """A tick step in fen (1, 2 or 5 × 10ⁿ units) giving at most ``ticks`` steps over ``span_fen``."""
    size = unit_fen
    while True:
        for factor in NICE:
            if size * factor * ticks >= span_fen:
                return size * factor
        size *= 10


def amount(fen: int, unit_fen: int) -> str:
    """``fen`` in the unit, grouped, to two decimals (halves away from zero) or as many more
    as a value that is not zero needs to show (exact at the fen): 1,234.57; 0.0001."""
    digits = 2
    while True:
        scaled, rest = divmod(abs(fen) * 10**digits, unit_fen)
        scaled += 2 * rest >= unit_fen
        if scaled or not fen or 10**digits >= unit_fen:
            break
        digits += 1
    whole, part = divmod(scaled, 10**digits)
    sign = "-" if fen < 0 and scaled else ""
    return f"{sign}{whole:,}.{part:0{digits}d}"


def draw(bars: Bars, width: float, font: str) -> Drawing:
    """The chart as a drawing ``width`` points wide: title, bars, axis unit and legend."""
    values = [0, *(v for _, series in bars.series for v in series)]
    unit_fen, unit_name = unit(values)
    legend, legend_height = _legend(bars, width, font)
    plot = max(120.0, 26.0 * len(bars.categories)) if bars.horizontal else 140.0
    height = plot + 60 + legend_height
    drawing = Drawing(width, height)
    drawing.initialFontName = font  # else the drawing starts in Helvetica, not embedded
    drawing.add(
        String(
            width / 2, height - 14, bars.title, fontName=font, fontSize=10.5, textAnchor="middle"
        )
    )
    chart = HorizontalBarChart() if bars.horizontal else VerticalBarChart()
    chart.y, chart.height = legend_height + 24, plot
    chart.data = [tuple(float(v) for v in series) for _, series in bars.series]
    ticks = _value_axis(chart, values, unit_fen, font)
    if bars.horizontal:
        _horizontal(chart, bars, width, font, unit_fen)
    else:
        chart.x, chart.width = 50.0, width - 60
        _vertical(chart, bars, font)
    _label_small_bars(chart, bars, unit_fen, ticks, font)
    for i in range(len(bars.series)):
        chart.bars[i].fillColor = PALETTE[i % len(PALETTE)]
        chart.bars[i].strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 6
    drawing.add(chart)
    drawing.add(_unit_label(chart, bars.horizontal, unit_name, font))
    drawing.add(legend)
    return drawing


def _value_axis(chart, values: list[int], unit_fen: int, font: str) -> list[int]:
    """Whole steps of the unit from below the least value to above the greatest."""
    size = step(max(values) - min(values), unit_fen)
    low, high = -(-min(values) // size), max(1, -(-max(values) // size))  # in steps
    ticks = [i * size for i in range(-low, high + 1)]
    axis = chart.valueAxis
    axis.valueMin, axis.valueMax, axis.valueStep = float(ticks[0]), float(ticks[-1]), float(size)
    axis.labelTextFormat = lambda value: f"{ticks[round((value - ticks[0]) / size)] // unit_fen:,}"
    axis.labels.fontName = font
    axis.labels.fontSize = SIZE
    axis.visibleGrid = True
    axis.gridStrokeColor = colors.HexColor("#d9d9d9")
    return ticks


def _vertical(chart, bars: Bars, font: str) -> None:
    """Category names under their groups, wrapped (and set smaller) to the group's width."""
    room = chart.width / len(bars.categories) - 2
    labels = chart.categoryAxis.labels
    chart.categoryAxis.categoryNames = list(bars.categories)
    labels.fontName, labels.fontSize, labels.boxAnchor = font, SIZE, "n"
    for i, name in enumerate(bars.categories):
        lines, size = in_lines(name, font, SIZE, room, 2, LEAST)
        labels[i].fontSize, labels[i].leading = size, size * 1.2
        chart.categoryAxis.categoryNames[i] = "\n".join(lines)


def _horizontal(chart, bars: Bars, width: float, font: str, unit_fen: int) -> None:
    """Category names left of their bars in up to two lines; each bar's value at its end."""
    names = [stringWidth(name, font, SIZE) for name in bars.categories]
    room = min(max(names, default=0.0), width * 0.3)
    values = [[amount(v, unit_fen) for v in series] for _, series in bars.series]
    end = max((stringWidth(t, font, 7) for row in values for t in row), default=0.0)
    chart.x = room + 14
    chart.width = width - chart.x - end - 10
    axis = chart.categoryAxis
    axis.categoryNames = list(bars.categories)
    axis.labels.fontName, axis.labels.fontSize = font, SIZE
    axis.labels.boxAnchor, axis.labels.dx = "e", -4
    for i, name in enumerate(bars.categories):
        lines, size = in_lines(name, font, SIZE, room, 2, LEAST)
        axis.labels[i].fontSize, axis.labels[i].leading = size, size * 1.2
        axis.categoryNames[i] = "\n".join(lines)
    chart.barLabelFormat = "values"
    chart.barLabelArray = values
    chart.barLabels.fontName, chart.barLabels.fontSize = font, 7
    chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 3


def _label_small_bars(chart, bars: Bars, unit_fen: int, ticks: list[int], font: str) -> None:
    """A bar shorter than VISIBLE points, but not zero, shows its value (a vertical chart's
    label reads upwards from the bar's end, within its width)."""
    if bars.horizontal:
        return  # every bar of a horizontal chart is labelled
    span = chart.height / (ticks[-1] - ticks[0])
    labels = [
        [amount(v, unit_fen) if v and abs(v) * span < VISIBLE else "" for v in series]
        for _, series in bars.series
    ]
    if not any(any(row) for row in labels):
        return
    chart.barLabelFormat = "values"
    chart.barLabelArray = labels
    chart.barLabels.fontName, chart.barLabels.fontSize = font, 6.5
    chart.barLabels.angle, chart.barLabels.boxAnchor, chart.barLabels.dy = 90, "w", 2


def _unit_label(chart, horizontal: bool, name: str, font: str) -> String:
    """The unit, once: above the value axis (vertical), under its right end (horizontal)."""
    if horizontal:
        return String(
            chart.x + chart.width,
            chart.y - 22,
            name,
            fontName=font,
            fontSize=SIZE,
            textAnchor="end",
        )
    return String(
        chart.x - 4,
        chart.y + chart.height + 6,
        name,
        fontName=font,
        fontSize=SIZE,
        textAnchor="end",
    )


def _legend(bars: Bars, width: float, font: str) -> tuple[Group, float]:
    """A swatch and name per series, left to right, on as many lines as they need."""
    group = Group()
    if len(bars.series) < 2:
        return group, 0.0
    line, x, lines = 0, 0.0, []
    for i, (name, _) in enumerate(bars.series):
        item = 12 + stringWidth(name, font, LEGEND_SIZE) + 16
        if x and x + item > width:
            line, x = line + 1, 0.0
        lines.append((i, name, x, line))
        x += item
    height = (line + 1) * 14.0
    for i, name, left, n in lines:
        y = height - 14.0 * (n + 1) + 4
        group.add(Rect(left, y, 8, 8, fillColor=PALETTE[i % len(PALETTE)], strokeColor=None))
        group.add(String(left + 12, y + 1, name, fontName=font, fontSize=LEGEND_SIZE))
    return group, height + 4
