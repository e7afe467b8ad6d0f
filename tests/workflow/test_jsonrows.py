"""json_objects encodes each distinct value once, and must equal json.dumps row by row."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators.distinct import SAMPLE
from subsidies.workflow.jsonrows import json_objects, json_value


def row_by_row(frame: pd.DataFrame, names: list[str]) -> list[str]:
    return [
        json.dumps(
            {name: json_value(v) for name, v in zip(names, record.values(), strict=True)},
            ensure_ascii=False,
        )
        for record in frame.to_dict("records")
    ]


TEXT = st.text(alphabet=st.sampled_from(list('ab"\\\n合计张三 0')), max_size=6)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            TEXT,
            st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31))),
            st.integers(-5, 10**12),
            st.booleans(),
            st.one_of(st.none(), TEXT, st.integers(0, 3)),
        ),
        max_size=30,
    )
)
def test_equals_json_dumps_per_row(rows) -> None:
    frame = pd.DataFrame(rows, columns=["text", "date", "fen", "flag", "mixed"])
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[s]")
    frame["fen"] = frame["fen"].astype("int64")
    frame["flag"] = frame["flag"].astype(bool)
    names = ["申请编号", "date", "fen", "flag", "mixed"]
    assert json_objects(frame, names) == row_by_row(frame, names)


def test_missing_values_are_null_and_no_columns_is_an_empty_object() -> None:
    frame = pd.DataFrame(
        {"a": ["x", None, np.nan], "b": pd.to_datetime(["2024-07-01", None, None])}
    )
    assert json_objects(frame) == [
        '{"a": "x", "b": "2024-07-01"}',
        '{"a": null, "b": null}',
        '{"a": null, "b": null}',
    ]
    assert json_objects(frame[[]]) == ["{}", "{}", "{}"]


def test_columns_of_distinct_cells_are_encoded_cell_by_cell_with_the_same_text() -> None:
    """Past SAMPLE rows of all-distinct cells (ids), the per-cell path gives the same JSON."""
    n = SAMPLE + 500
    frame = pd.DataFrame(
        {
            "id": [f'63010219900101{i:04d}"\\合' for i in range(n)],
            "day": pd.to_datetime(
                [dt.date(2020, 1, 1) + dt.timedelta(days=i) for i in range(n)]
            ).astype("datetime64[s]"),
            "fen": np.arange(n, dtype="int64"),
            "mixed": [i if i % 3 else (None if i % 2 else f"t{i}") for i in range(n)],
            "repeated": ["同一个"] * n,
        }
    )
    frame.loc[SAMPLE + 7, "id"] = None  # a missing cell after the sample
    names = list(frame.columns)
    assert json_objects(frame, names) == row_by_row(frame, names)
