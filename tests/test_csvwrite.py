"""subsidies.csvwrite: the same bytes as ``DataFrame.to_csv(index=False, encoding="utf-8-sig")``
writes once every cell a spreadsheet would run as a formula has its ``'`` in front."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.cells import neutralised
from subsidies import csvwrite
from subsidies.csvwrite import write_csv

TRICKY = ["", " ", "a,b", 'say "hi"', "two\nlines", "cr\rhere", "crlf\r\n", "青海, 是", '"', ","]
FORMULAS = ["=1+1", '=HYPERLINK("http://x","点")', "+1-1", "-2+3", "@SUM(A1)", "\tx", "\r=1", "-5"]


def _same_as_pandas(frame: pd.DataFrame, tmp_path) -> None:
    ours, theirs = tmp_path / "ours.csv", tmp_path / "theirs.csv"
    write_csv(frame, ours)
    safe = frame.map(lambda v: neutralised(v) if isinstance(v, str) else v)
    safe.columns = [neutralised(str(c)) for c in frame.columns]
    safe.to_csv(theirs, index=False, encoding="utf-8-sig")
    assert ours.read_bytes() == theirs.read_bytes()


def test_formulas_get_a_quote_in_front(tmp_path):
    frame = pd.DataFrame({"=cmd": FORMULAS, "row": range(-3, len(FORMULAS) - 3)})
    _same_as_pandas(frame, tmp_path)
    text = (tmp_path / "ours.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[:3] == [
        "'=cmd,row",
        "'=1+1,-3",
        '"\'=HYPERLINK(""http://x"",""点"")",-2',
    ]
    assert "\n-5," in text  # a plain number stays a number


def test_text_integers_and_missing_cells(tmp_path):
    frame = pd.DataFrame(
        {
            "claim_id": pd.Series(TRICKY, dtype="string"),
            "row": range(2, 2 + len(TRICKY)),
            "reasons": pd.Series([*TRICKY[1:], None], dtype=object),
            "note, quoted": pd.Series([pd.NA, *TRICKY[:-1]], dtype="string"),
        }
    )
    _same_as_pandas(frame, tmp_path)


def test_chunks_and_empty_frames(tmp_path, monkeypatch):
    monkeypatch.setattr(csvwrite, "CHUNK_ROWS", 3)
    frame = pd.DataFrame({"a": [f"r{i}," if i % 4 == 0 else f"r{i}" for i in range(10)], "b": 1})
    _same_as_pandas(frame, tmp_path)
    _same_as_pandas(frame.iloc[:0], tmp_path)


def test_one_column_and_other_values_are_refused(tmp_path):
    with pytest.raises(ValueError, match="two or more columns"):
        write_csv(pd.DataFrame({"a": ["x"]}), tmp_path / "out.csv")
    with pytest.raises(TypeError):
        write_csv(pd.DataFrame({"a": ["x"], "b": [1.5]}), tmp_path / "out.csv")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(max_size=8), st.text(max_size=8) | st.sampled_from(FORMULAS)),
        max_size=12,
    )
)
def test_random_text(tmp_path_factory, rows):
    frame = pd.DataFrame(rows, columns=["a", "b"], dtype=object)
    _same_as_pandas(frame, tmp_path_factory.mktemp("csv"))
