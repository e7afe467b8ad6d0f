"""Rows of a DataFrame as JSON objects, one string per row, encoded once per distinct value.

``json_objects(frame)`` equals ``[json.dumps(record, ensure_ascii=False) for record in
frame.to_dict("records")]`` with each value passed through :func:`json_value`, but costs a
``json.dumps`` per distinct value of a column rather than per cell: a million decisions
are recorded with their inputs and one-time keys in a second or two, not half a minute.
"""

from __future__ import annotations

import datetime as dt
import json
from json.encoder import encode_basestring

import numpy as np
import pandas as pd

from calculators.distinct import looks_all_distinct


def json_value(value):
    """A value as stored: dates as YYYY-MM-DD, missing (None, NaN, NaT) as null, other
    non-JSON values as their text."""
    if type(value) is str:  # the common case, first
        return value
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp | dt.date):
        return value.strftime("%Y-%m-%d")
    return value if isinstance(value, str | int | bool) else str(value)


def _json_text(value) -> str:
    """``json.dumps(json_value(value), ensure_ascii=False)``; text goes straight to the
    encoder ``json.dumps`` itself uses for a string."""
    value = json_value(value)
    if isinstance(value, str):
        return encode_basestring(value)
    return json.dumps(value, ensure_ascii=False)


def _encoded(column: pd.Series, prefix: str) -> np.ndarray | list[str]:
    """``prefix`` + the JSON text of each cell: once per distinct value, taken by code,
    unless the column looks all distinct (claim ids, 身份证号: :func:`looks_all_distinct`),
    where each cell is encoded on its own."""
    if looks_all_distinct(column):
        return [
            prefix + (encode_basestring(v) if type(v) is str else _json_text(v))
            for v in column.tolist()
        ]
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    texts = [prefix + _json_text(u) for u in pd.Index(uniques).tolist()]
    texts.append(prefix + "null")  # code -1: a missing value
    return np.array(texts, dtype=object)[codes]


def json_objects(frame: pd.DataFrame, names: list[str] | None = None) -> list[str]:
    """Each row as a JSON object; ``names`` renames the columns (same order) in the keys."""
    names = list(frame.columns) if names is None else names
    if frame.empty or not names:
        return ["{}"] * len(frame)
    parts = [
        _encoded(frame.iloc[:, i], json.dumps(str(name), ensure_ascii=False) + ": ")
        for i, name in enumerate(names)
    ]
    return ["{" + ", ".join(row) + "}" for row in zip(*parts, strict=True)]
