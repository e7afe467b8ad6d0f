"""An earlier batch of the same program, read back: its cells by column name, the rows it
made eligible (to repeat their one-time keys), and where its 申请编号 series ended."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from calculators.base import Calculator
from calculators.coerce import NO, YES
from calculators.evaluate import evaluate
from calculators.template import Column, normalise_value
from subsidies.demo.synthetic.draft import NAT
from subsidies.domain.money import AmountError, parse_yuan

ID_KINDS = ("resident_id", "credit_code", "party_id")


def read_earlier(calc: Calculator, earlier: pd.DataFrame | None, year: int):
    """The earlier frame's cells by template name, and its eligible rows: those it was made
    to be (``attrs["intent"]``) or, for a frame without them, those the rule passes."""
    if earlier is None or earlier.empty:
        return None, np.array([], dtype=np.int64)
    template = calc.template
    found = template.match_header([str(c) for c in earlier.columns])
    cells = earlier.to_numpy(dtype=object)  # no pandas operations: they deep-copy attrs
    by_name = {
        name: np.array(["" if pd.isna(v) else str(v) for v in cells[:, pos]], dtype=object)
        for pos, name in found.items()
    }
    intent = earlier.attrs.get("intent")
    if intent is not None and len(intent) == len(earlier):
        status = np.array(intent, dtype=object)
    else:
        raw = pd.DataFrame({name: by_name[name] for name in template.names if name in by_name})
        status = evaluate(calc, raw, as_of=dt.date(year, 12, 31))["status"].to_numpy()
    return by_name, np.flatnonzero(status == "eligible")


def identity_numbers(calc: Calculator, old: dict | None) -> set[str]:
    """The earlier batch's 身份证号 and 统一社会信用代码 (none of them is made again)."""
    if old is None:
        return set()
    columns = [c.name for c in calc.template.columns if c.kind in ID_KINDS and c.name in old]
    return {value.upper() for name in columns for value in old[name]}


def parse_cell(column: Column, text: str):
    """A cell of the earlier batch as the draft holds it (a date, a bool, fen …)."""
    text = str(text or "").strip()
    if column.kind == "date":
        m = re.fullmatch(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", text)
        try:
            return np.datetime64(dt.date(*map(int, m.groups())), "D") if m else NAT
        except ValueError:
            return NAT
    if column.kind == "choice":
        return column.choice_lookup().get(normalise_value(text))
    if column.kind == "yes_no":
        value = normalise_value(text)
        return True if value in YES else False if value in NO else None
    if column.kind == "amount":
        try:
            return parse_yuan(text)
        except (AmountError, TypeError):
            return None
    if column.kind in ID_KINDS:
        return text.upper()
    return text


def next_serial(ids, head: str) -> int:
    """The serial after the highest of ``ids`` in the series ``head``."""
    pattern = re.compile(re.escape(head) + r"(\d+)$")
    numbers = [int(m.group(1)) for m in map(pattern.match, ids) if m]
    return max(numbers, default=0) + 1
