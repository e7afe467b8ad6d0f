"""Typed values from the text officers type, one vectorised pass per column.

:func:`coerce` turns a frame of raw cell text into typed columns (dates as
``datetime64``, amounts as integer fen, yes/no as ``bool``, enumerations as their
English values, provinces as 2-digit codes) and, for every row, the problems that
make it ``invalid``, each naming the column, the value and why.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
import unicodedata

import numpy as np
import pandas as pd

from calculators.distinct import Texts, by_distinct, filled, looks_all_distinct
from calculators.template import Template, normalise_value
from subsidies.domain.i18n import _, fill, pgettext, separator
from subsidies.domain.identity import (
    EXCEL_NUMBER_HINT,
    check_credit_codes,
    check_resident_ids,
    eight_digit_numbers,
    fixed_width_codes,
)
from subsidies.domain.money import DECORATION, FEN_PER_YUAN, YUAN
from subsidies.domain.places import province_codes
from subsidies.domain.text import plain_ascii

YES = {"yes", "y", "true", "t", "1", "是", "有", "√", "✓"}
NO = {"no", "n", "false", "f", "0", "否", "无", "×", "✗"}

_ID_KINDS = ("resident_id", "credit_code", "party_id")
_NFKC = functools.partial(unicodedata.normalize, "NFKC")

_DATE_FORMS = (
    (r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$", r"\1-\2-\3"),
    (r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$", r"\1-\2-\3"),
    (r"^(\d{4})(\d{2})(\d{2})$", r"\1-\2-\3"),
    (r"^(\d{4}-\d{1,2}-\d{1,2})[ T]00:00(:00)?$", r"\1"),
)


class Problems:
    """The reasons each row is invalid, gathered column by column."""

    def __init__(self, index: pd.Index):
        self._parts: list[tuple[np.ndarray, np.ndarray]] = []  # (row positions, messages)
        self.index = index

    def add(self, mask, message) -> None:
        """A problem on the rows of ``mask``: one message, or one per row (Series or array)."""
        rows = np.flatnonzero(np.asarray(mask, dtype=bool))
        if len(rows):
            if isinstance(message, pd.Series | np.ndarray):
                text = np.asarray(message, dtype=object)[rows]
            else:
                text = np.full(len(rows), message, dtype=object)
            self._parts.append((rows, text))

    def extend(self, found: Problems, codes: np.ndarray) -> None:
        """Add the problems ``found`` among distinct values to every row holding the value
        (``codes``: each row's position among them)."""
        for positions, messages in found._parts:
            has = np.zeros(len(found.index), dtype=bool)
            has[positions] = True
            per_value = np.empty(len(found.index), dtype=object)
            per_value[positions] = messages
            rows = np.flatnonzero(has[codes])
            self._parts.append((rows, per_value[codes[rows]]))

    @property
    def any(self) -> pd.Series:
        mask = np.zeros(len(self.index), dtype=bool)
        for rows, _messages in self._parts:
            mask[rows] = True
        return pd.Series(mask, index=self.index)

    def joined(self) -> pd.Series:
        out = np.full(len(self.index), "", dtype=object)
        sep = separator()
        for rows, messages in self._parts:
            current = out[rows]
            out[rows] = np.where(current == "", messages, current + sep + messages)
        return pd.Series(out, index=self.index, dtype=object)


def read_cells(column: pd.Series) -> Texts:
    """A column's cells as typed text (NFKC, stripped): its distinct values and each row's
    position among them. A column of ids keeps a value per row (:func:`_factorized`); each
    value is read on its own either way."""
    if pd.api.types.infer_dtype(column, skipna=True) not in ("string", "empty"):
        column = column.astype("string")
    codes, uniques = _factorized(column)
    text = pd.Series(uniques, dtype=object).astype("string").fillna("")
    cells = text.tolist()
    if plain_ascii("".join(cells)):  # then NFKC and strip change no cell
        return Texts(codes, text.to_numpy(dtype=object))
    normal = list(map(str.strip, map(_NFKC, cells)))
    values = np.array(normal, dtype=object)
    # NFKC and strip give back the same str when they change nothing: only then can two
    # spellings now read the same
    changed = any(map(operator.is_not, normal, cells))
    if changed and len(set(normal)) < len(normal):
        again, uniques = pd.factorize(values)
        values, codes = np.asarray(uniques, dtype=object), again[codes]
    return Texts(codes, values)


def _factorized(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize`` of the cells, but a column of ids or claim numbers
    (:func:`~calculators.distinct.looks_all_distinct`) keeps a value per row."""
    if looks_all_distinct(column):
        return np.arange(len(column)), column.to_numpy(dtype=object)
    return pd.factorize(column, use_na_sentinel=False)


def coerce(
    template: Template, raw: pd.DataFrame, *, today: dt.date, numeric: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, Problems]:
    """Typed columns for every template column present in ``raw``, and the problems found.

    Each column is read once per distinct cell text (:func:`read_cells`), then given to its
    rows.
    """
    problems = Problems(raw.index)
    typed = pd.DataFrame(index=raw.index)
    for column in template.columns:
        if column.name not in raw.columns:
            continue
        cells = read_cells(raw[column.name])
        where = pgettext("column", "{name} {label}").format(name=column.name, label=column.label)
        if column.only_when:
            other, values = column.only_when
            cells = cells.blank_where(~typed[other].isin(values).fillna(False).to_numpy(bool))
        if column.kind in _ID_KINDS and numeric is not None and column.name in numeric:
            excel = numeric[column.name].fillna(False).astype(bool).to_numpy() & ~cells.blank
            problems.add(excel, said(where, cells.rows(), excel, _(EXCEL_NUMBER_HINT)))
            cells = cells.blank_where(excel)
            blank = cells.blank & ~excel
        else:
            blank = cells.blank
        if column.required:
            problems.add(blank, _("{where}: missing").format(where=where))
        text = pd.Series(cells.values, dtype="string", copy=False)
        found = Problems(text.index)
        values = _READERS[column.kind](column, text, found, where, today)
        typed[column.name] = cells.spread(values, raw.index)
        problems.extend(found, cells.codes)
    for earlier, later in template.ordered_dates:
        if earlier in typed and later in typed:
            reversed_ = (typed[later] < typed[earlier]).fillna(False).to_numpy(dtype=bool)
            first, second = template.column(earlier), template.column(later)
            problems.add(
                reversed_,
                _reversed_message(first, second, typed[earlier], typed[later], reversed_),
            )
    return typed, problems


def _reversed_message(first, second, earlier: pd.Series, later: pd.Series, rows: np.ndarray):
    """``end_date 结束日期 2024-05-01 is before start_date 开始日期 2024-06-01`` on ``rows``."""
    message = np.full(len(rows), "", dtype=object)
    named = pgettext("column", "{name} {label}")
    message[rows] = fill(
        _("{later} {later_day} is before {earlier} {earlier_day}"),
        later=named.format(name=second.name, label=second.label),
        later_day=later[rows].dt.strftime("%Y-%m-%d").fillna("").to_numpy(dtype=object),
        earlier=named.format(name=first.name, label=first.label),
        earlier_day=earlier[rows].dt.strftime("%Y-%m-%d").fillna("").to_numpy(dtype=object),
    )
    return message


def said(where: str, text: pd.Series | np.ndarray, rows, why: str | pd.Series) -> np.ndarray:
    """``<where> '<text>': <why>`` on ``rows`` (``why``: one reason, or one per value), ""
    elsewhere; built for those rows only."""
    rows = np.asarray(rows, dtype=bool)
    message = filled(len(text), "")
    reason = why if isinstance(why, str) else np.asarray(why, dtype=object)[rows]
    message[rows] = fill(
        _("{where} '{text}': {why}"),
        where=where,
        text=np.asarray(text, dtype=object)[rows],
        why=reason,
    )
    return message


def _text(column, text, problems, where, today):
    return text


def _date(column, text, problems, where, today):
    """A date, on or before ``today`` (the as-of date): a claim states what has happened."""
    values, bad = parse_dates(text)
    problems.add(bad & (text != ""), said(where, text, bad, _("not a date (YYYY-MM-DD)")))
    later = (values > pd.Timestamp(today)).to_numpy()  # NaT: no
    after = _("after the as-of date {day}").format(day=today)
    problems.add(later, said(where, text, later, after))
    return values


def parse_dates(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates written YYYY-MM-DD, YYYY/MM/DD, YYYY年M月D日 or YYYYMMDD; ``bad`` marks the rest."""
    normal = text.astype("string").fillna("").str.strip()
    for pattern, replacement in _DATE_FORMS:
        normal = normal.str.replace(pattern, replacement, regex=True)
    values = pd.to_datetime(normal, format="%Y-%m-%d", errors="coerce")
    return values.astype("datetime64[s]"), values.isna() & (normal != "")


def _yes_no(column, text, problems, where, today):
    normal = text.map(normalise_value)
    yes, no = normal.isin(YES), normal.isin(NO)
    bad = ~yes & ~no & (text != "")
    problems.add(bad, said(where, text, bad, _("not yes/no (是/否)")))
    return yes.where(yes | no, other=pd.NA).astype("boolean")


def _choice(column, text, problems, where, today):
    lookup = column.choice_lookup()
    values = text.map(normalise_value).map(lookup)
    bad = values.isna() & (text != "")
    shown = pgettext("choice", "{value}/{label}")
    options = _(", ").join(shown.format(value=c.value, label=c.label) for c in column.choices)
    problems.add(bad, said(where, text, bad, _("not one of {options}").format(options=options)))
    return values


def _amount(column, text, problems, where, today):
    fen, bad = parse_amounts(text)
    problems.add(bad, said(where, text, bad, _("not an amount in yuan (at most 2 decimals)")))
    return fen


def parse_amounts(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Yuan as officers type them ("1,000.00", "¥1000", "1000元") -> integer fen."""
    cleaned = (
        text.astype("string")
        .fillna("")
        .str.normalize("NFKC")
        .str.replace(DECORATION, "", regex=True, flags=re.IGNORECASE)
    )
    sign, digits, decimals = (cleaned.str.extract(YUAN)[i] for i in range(3))
    readable = digits.notna() & sign.isna()  # a claim is never for a negative amount
    bad = ~readable & (cleaned != "")
    whole = pd.to_numeric(digits.str.replace(",", ""), errors="coerce").fillna(0).astype(np.int64)
    frac = pd.to_numeric(decimals.fillna("").str.ljust(2, "0"), errors="coerce").fillna(0)
    fen = (whole * FEN_PER_YUAN + frac.astype(np.int64)).astype("Int64").where(readable)
    return fen, bad


def _count(column, text, problems, where, today):
    cleaned = text.str.replace(r"[\s,]|人$|年$|次$", "", regex=True)
    ok = cleaned.str.fullmatch(r"[0-9]+").fillna(False).astype(bool)
    bad = ~ok & (text != "")
    problems.add(bad, said(where, text, bad, _("not a whole number")))
    values = pd.to_numeric(cleaned.where(ok), errors="coerce").astype("Int64")
    return values


def _percent(column, text, problems, where, today):
    """ "85", "85%", "85.5％" -> hundredths of a percent (8500, 8550), exact."""
    cleaned = text.str.replace(r"[\s%％]", "", regex=True)
    parts = cleaned.str.extract(r"^([0-9]+)(?:\.([0-9]{1,2}))?$")
    bad = parts[0].isna() & (text != "")
    problems.add(bad, said(where, text, bad, _("not a percentage (e.g. 85 or 85%)")))
    whole = pd.to_numeric(parts[0], errors="coerce")
    frac = pd.to_numeric(parts[1].fillna("").str.ljust(2, "0"), errors="coerce").fillna(0)
    values = (whole * 100 + frac).astype("Int64")
    over = (values > 10000).fillna(False)
    problems.add(over, said(where, text, over, _("more than 100%")))
    return values


def _province(column, text, problems, where, today):
    codes = province_codes(text)
    bad = codes.isna() & (text != "")
    problems.add(bad, said(where, text, bad, _("not a province name or 2-digit code")))
    return codes


def _resident_id(column, text, problems, where, today):
    values, reasons, _ = check_resident_ids(text, today=today)
    bad = (reasons.to_numpy() != "") & (text.to_numpy(dtype=object) != "")
    problems.add(bad, said(where, text, bad, reasons))
    return values.where(~bad) if bad.any() else values


def _credit_code(column, text, problems, where, today):
    values, reasons = check_credit_codes(text, today=today)
    bad = (reasons != "") & (text != "")
    problems.add(bad, said(where, text, bad, reasons))
    return values.where(~bad)


def _party_id(column, text, problems, where, today):
    """Checked later by the calculator, which knows from the row which kind of number it is."""
    return text.str.upper()


_READERS = {
    "text": _text,
    "resident_id": _resident_id,
    "credit_code": _credit_code,
    "party_id": _party_id,
    "date": _date,
    "yes_no": _yes_no,
    "choice": _choice,
    "amount": _amount,
    "count": _count,
    "percent": _percent,
    "province": _province,
}


def birth_dates(ids: pd.Series) -> pd.Series:
    """Birth dates of already checked 身份证号 (digits 7-14), each distinct date parsed once;
    NaT where there is no id."""
    missing = ids.isna().to_numpy(dtype=bool)
    present = ids.to_numpy(dtype=object)[~missing] if missing.any() else ids.to_numpy(dtype=object)
    yyyymmdd = birth_numbers(present.tolist())
    if yyyymmdd is None:
        return _births(ids.str[6:14])
    days = np.full(len(ids), np.datetime64("NaT"), dtype="datetime64[s]")
    days[~missing] = by_distinct(lambda v: _births(pd.Series([f"{d:08d}" for d in v])), yyyymmdd)
    return pd.Series(days, index=ids.index)


def birth_numbers(ids: list) -> np.ndarray | None:
    """Birth dates of already checked 身份证号 as YYYYMMDD numbers (digits 7-14), or None
    if any id is not 18 ASCII characters with digits there."""
    chars = fixed_width_codes(ids, 18)
    return None if chars is None else eight_digit_numbers(chars[:, 6:14])


def _births(yyyymmdd: pd.Series) -> pd.Series:
    return pd.to_datetime(yyyymmdd, format="%Y%m%d", errors="coerce").astype("datetime64[s]")
