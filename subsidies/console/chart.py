"""A fund's money as a horizontal bar chart in SVG, drawn on the server (no script).

Each fund is one row of bars: appropriated (拨款), committed (已计提), paid (已支付),
returned (退回) and available (可用), scaled to the largest amount of all funds.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from subsidies.console.formatting import yuan

BARS = (
    ("appropriated", "拨款", "#3b6ea5"),
    ("committed", "已计提", "#c98a2b"),
    ("paid", "已支付", "#4a8f4a"),
    ("returned", "退回", "#b04a4a"),
    ("available", "可用", "#7a5ea8"),
)
WIDTH, LABEL, BAR, GAP = 720, 120, 16, 4


@dataclass(frozen=True)
class FundMoney:
    code: str
    name: str
    appropriated: int
    committed: int
    paid: int
    returned: int
    available: int


def svg(funds: list[FundMoney]) -> str:
    """The chart as an <svg> element; every text escaped, every amount in its title."""
    largest = max([abs(getattr(f, k)) for f in funds for k, _, _ in BARS] + [1])
    scale = (WIDTH - LABEL - 140) / largest
    group = len(BARS) * (BAR + GAP) + 18
    height = max(group * len(funds), 40) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="各资金拨款与支出">'
    ]
    for n, fund in enumerate(funds):
        top = n * group
        parts.append(f'<text x="0" y="{top + 14}" class="fund">{escape(fund.code)}</text>')
        for k, (field, label, colour) in enumerate(BARS):
            value = getattr(fund, field)
            y = top + 20 + k * (BAR + GAP)
            width = max(abs(value) * scale, 1 if value else 0)
            parts.append(
                f'<text x="8" y="{y + BAR - 4}">{label}</text>'
                f'<rect x="{LABEL}" y="{y}" width="{width:.1f}" height="{BAR}" fill="{colour}">'
                f"<title>{escape(fund.code)} {label} {yuan(value)}</title></rect>"
                f'<text x="{LABEL + width + 6:.1f}" y="{y + BAR - 4}">{yuan(value)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
