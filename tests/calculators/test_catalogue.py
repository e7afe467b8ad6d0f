"""A program's data file that cannot be used is refused when it is loaded, naming the file,
the parameter and what is wrong — never a KeyError, never a failure in the middle of a batch."""

from __future__ import annotations

import numpy as np
import pytest

from calculators.parameters import CatalogueError, builtin_documents, load_program

HEAD = """id: example.transport
name_zh: 示例 交通补助
name_en: Example transport subsidy
document: qinghai-2022-draft
article: 三(六)
quote: 给予每人不高于1000元的一次性交通补助
parameters:
  cap_per_person:
    unit: yuan
"""


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            "    values:\n      2022-02-07: {value: 1000, document: qinghai-2099}\n",
            "cap_per_person from 2022-02-07: unknown document 'qinghai-2099'",
        ),
        (
            "    values:\n      2022-02-07: {quote: 不高于1000元}\n",
            "cap_per_person from 2022-02-07: missing `value`",
        ),
        ("    values: 1000\n", "cap_per_person needs `values:`"),
        (
            "    values:\n      2022-06-01: 1000\n",
            "cap_per_person's first value is from 2022-06-01, after the document takes effect",
        ),
        ("    values:\n      2022-02-07: '1000.005'\n", "at most two decimals"),
        ("    values:\n      2022-02-07: 1000.5\n", "integers or quoted text, not 1000.5"),
        (
            "    values:\n      2022-02-07: {value: 1000, quote: 不高于1000元, abridged: 'true'}\n",
            "cap_per_person from 2022-02-07: abridged must be true or false, not 'true'",
        ),
        (
            "    values:\n      2022-02-07: {value: 1000, quote: 不高于1000元, abridged: true}\n",
            "cap_per_person from 2022-02-07: an abridged quote writes …… where it leaves words out",
        ),
        (
            "    values:\n      2022-02-07: {value: 1000, abridged: true}\n",
            "cap_per_person from 2022-02-07: `abridged` marks a quote, and this value has none",
        ),
        (
            "    values:\n      2022-02-07: {value: 1000, quote: 不高于1000元, note: none}\n",
            "cap_per_person from 2022-02-07: `note` is for a value the document does not state",
        ),
    ],
    ids=[
        "unknown-document",
        "no-value",
        "values-not-dated",
        "gap",
        "sub-fen",
        "float",
        "abridged-not-a-flag",
        "abridged-leaves-nothing-out",
        "abridged-without-quote",
        "note-beside-a-quote",
    ],
)
def test_unusable_program_files_are_named(tmp_path, values, message) -> None:
    path = tmp_path / "example.transport.yaml"
    path.write_text(HEAD + values, encoding="utf-8")
    with pytest.raises(CatalogueError) as error:
        load_program(path, builtin_documents())
    assert str(path) in str(error.value) and message in str(error.value)


def test_a_usable_file_loads(tmp_path) -> None:
    path = tmp_path / "example.transport.yaml"
    path.write_text(
        HEAD + "    values:\n      2022-02-07: 1000\n      2024-01-01: 1200\n", encoding="utf-8"
    )
    program = load_program(path, builtin_documents())
    assert [v.value for v in program.parameter("cap_per_person").values] == [1000_00, 1200_00]


def test_an_abridged_quote_says_so(tmp_path) -> None:
    """``abridged: true`` beside a quote that writes …… is kept with the program and the value;
    a value without a quote of its own quotes the program's, marker and all."""
    path = tmp_path / "example.transport.yaml"
    head = HEAD.replace(
        "quote: 给予每人不高于1000元的一次性交通补助",
        "quote: 将脱贫人口……给予每人不高于1000元的一次性交通补助\nabridged: true",
    )
    path.write_text(
        head
        + "    values:\n      2022-02-07: 1000\n"
        + "      2024-01-01: {value: 1200, quote: 不高于……元, abridged: true}\n"
        + "      2025-01-01: {value: 1300, quote: 不高于1300元}\n",
        encoding="utf-8",
    )
    program = load_program(path, builtin_documents())
    assert program.abridged
    values = program.parameter("cap_per_person").values
    assert [(v.quote, v.abridged) for v in values] == [
        (program.quote, True),
        ("不高于……元", True),
        ("不高于1300元", False),
    ]


def test_grouped_gives_each_combination_of_versions_with_its_rows(tmp_path) -> None:
    """A rule that builds something per version (海西's place list) sees each combination of
    the parameters in force once, with exactly the rows dated under it."""
    path = tmp_path / "p.yaml"
    path.write_text(
        HEAD
        + "    values:\n      2022-02-07: 1000\n      2024-01-01: 1200\n"
        + "  places:\n    unit: list\n    values:\n"
        + "      2022-02-07: {value: [甲, 乙]}\n      2023-01-01: {value: [甲, 乙, 丙]}\n",
        encoding="utf-8",
    )
    program = load_program(path, builtin_documents())
    days = ["2022-03-01", "2023-06-01", "2024-02-01", "2022-05-01", "2024-03-01"]
    groups = program.bind(np.array(days, dtype="datetime64[D]")).grouped("cap_per_person", "places")
    found = {values: rows.tolist() for values, rows in groups}
    assert found == {
        (100000, ("甲", "乙")): [True, False, False, True, False],
        (100000, ("甲", "乙", "丙")): [False, True, False, False, False],
        (120000, ("甲", "乙", "丙")): [False, False, True, False, True],
    }


def test_a_value_the_document_does_not_state_has_a_note(tmp_path) -> None:
    """Qinghai sets no 公示: the value 0 has no quote, says so, and cites no article."""
    path = tmp_path / "example.notice.yaml"
    path.write_text(
        HEAD.replace(
            "cap_per_person:\n    unit: yuan", "notice_working_days:\n    unit: working_days"
        )
        + "    values:\n      2022-02-07: {value: 0, note: 文件未规定公示}\n",
        encoding="utf-8",
    )
    (value,) = load_program(path, builtin_documents()).parameter("notice_working_days").values
    assert (value.value, value.quote, value.note) == (0, "", "文件未规定公示")
    assert (
        value.citation == "青海省劳务品牌建设的实施意见（征求意见稿）"
    )  # the document, no article


@pytest.mark.parametrize(
    ("raw", "stored"), [("09-30", "09-30"), ("02-29", "02-29"), ("9-30", None), ("09-31", None)]
)
def test_a_month_day_is_a_day_of_every_year(tmp_path, raw, stored) -> None:
    path = tmp_path / "example.deadline.yaml"
    path.write_text(
        HEAD.replace("cap_per_person:\n    unit: yuan", "deadline:\n    unit: month_day")
        + f"    values:\n      2022-02-07: {{value: '{raw}', quote: 不高于1000元}}\n",
        encoding="utf-8",
    )
    if stored is None:
        with pytest.raises(CatalogueError, match="not a day of the year"):
            load_program(path, builtin_documents())
    else:
        assert (
            load_program(path, builtin_documents()).parameter("deadline").values[0].value == stored
        )
