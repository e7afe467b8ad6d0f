"""Typed columns as the cell text officers type: dates with - or /, amounts as 1,000.00,
¥1000 or 1000元, yes/no as 是/否, a choice by its label or another spelling."""

from __future__ import annotations

import numpy as np

from calculators.template import Column, Template
from subsidies.demo.synthetic import places
from subsidies.demo.synthetic.draft import Draft


def as_text(d: Draft, template: Template) -> dict[str, np.ndarray]:
    """Every template column of ``d`` as cell text, by column name."""
    return {
        column.name: _column_text(d, column, d.cols[column.name]) for column in template.columns
    }


def _column_text(d: Draft, column: Column, values: np.ndarray) -> np.ndarray:
    g = d.g
    if column.kind == "date":
        return dates_text(g, values)
    if column.kind == "yes_no":
        return np.where(values.astype(bool), "是", "否").astype(object)
    if column.kind == "choice":
        return _choice_text(g, column, values)
    if column.kind == "amount":
        return _amount_text(g, values)
    if column.kind == "percent":
        return _percent_text(g, values)
    if column.kind == "count":
        return _count_text(d, column, values)
    if column.kind == "resident_id":
        lower = np.char.endswith(values.astype(str), "X") & (g.random(d.n) < 0.3)
        return np.where(lower, np.char.lower(values.astype(str)), values).astype(object)
    return np.asarray(values, dtype=object).copy()


def date_text(day, slash: bool) -> str:
    if np.isnat(day):
        return ""
    day = day.astype(object)
    return f"{day.year}/{day.month}/{day.day}" if slash else day.isoformat()


def dates_text(g: np.random.Generator, values: np.ndarray) -> np.ndarray:
    """YYYY-MM-DD, or YYYY/M/D for one in five; "" for no date. Each day between the first
    and the last is written once."""
    values = np.asarray(values, dtype="datetime64[D]")
    slash = g.random(len(values)) < 0.2
    out = np.full(len(values), "", dtype=object)
    dated = np.flatnonzero(~np.isnat(values))
    if not len(dated):
        return out
    first = values[dated].min()
    offset = (values[dated] - first).astype(np.int64)
    table = first + np.arange(offset.max() + 1).astype("timedelta64[D]")
    iso = np.datetime_as_string(table, unit="D").astype(object)
    slashed = np.array([date_text(day, True) for day in table], dtype=object)
    out[dated] = np.where(slash[dated], slashed[offset], iso[offset])
    return out


def _amount_text(g: np.random.Generator, fen: np.ndarray) -> np.ndarray:
    styles = g.choice(4, len(fen), p=(0.45, 0.3, 0.15, 0.1))
    out = np.empty(len(fen), dtype=object)
    for i, (value, style) in enumerate(zip(fen, styles, strict=True)):
        yuan, part = divmod(int(value), 100)
        plain = f"{yuan}" if part == 0 else f"{yuan}.{part:02d}"
        out[i] = (plain, f"{yuan:,}.{part:02d}", f"¥{plain}", f"{plain}元")[style]
    return out


def _percent_text(g: np.random.Generator, hundredths: np.ndarray) -> np.ndarray:
    sign = g.random(len(hundredths)) < 0.5
    out = np.empty(len(hundredths), dtype=object)
    for i, value in enumerate(hundredths):
        whole, part = divmod(int(value), 100)
        text = f"{whole}" if part == 0 else f"{whole}.{part:02d}".rstrip("0")
        out[i] = text + ("%" if sign[i] else "")
    return out


def _count_text(d: Draft, column: Column, values: np.ndarray) -> np.ndarray:
    shown = np.array([str(int(v)) for v in values], dtype=object)
    if column.only_when:  # a count read only where another column says so: blank elsewhere
        other, read = column.only_when
        return np.where(np.isin(d.cols[other], read), shown, "").astype(object)
    suffix = "年" if column.name.startswith("years") else "人"
    return np.where(d.g.random(d.n) < 0.1, shown + suffix, shown).astype(object)


def _choice_text(g: np.random.Generator, column: Column, values: np.ndarray) -> np.ndarray:
    """Each value by its label, or for about one in eight by another spelling."""
    out = np.array(["" if v is None else str(v) for v in values], dtype=object)
    other = g.random(len(values)) < 0.12
    for choice in column.choices:
        rows = np.flatnonzero(values == choice.value)
        out[rows] = choice.label
        aliased = rows[other[rows]] if choice.aliases else rows[:0]
        out[aliased] = np.array(choice.aliases, dtype=object)[
            g.integers(0, len(choice.aliases), len(aliased))
        ]
    return out


def bank_accounts(g: np.random.Generator, k: int) -> np.ndarray:
    """Debit-card numbers of 16 to 19 digits under common bank prefixes."""
    lengths = g.integers(16, 20, k)
    digits = (g.integers(0, 10, (k, 15)) + ord("0")).astype(np.uint8).view("S15").ravel()
    prefixes = np.array(places.BANK_PREFIXES, dtype=object)[
        g.integers(0, len(places.BANK_PREFIXES), k)
    ]
    return np.array(
        [(p + d.decode())[:n] for p, d, n in zip(prefixes, digits, lengths, strict=True)],
        dtype=object,
    )


def header(column: Column) -> str:
    """The officer's header: the label, with （元） after an amount."""
    return f"{column.label}（元）" if column.kind == "amount" else column.label
