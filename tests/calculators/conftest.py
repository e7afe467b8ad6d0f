"""Helpers for the table-driven rule tests: valid and broken ids, and ``run``.

Expected results in these tests come from the policy documents and the binding
readings in ``docs/policies/README.md``, never from the code under test.

Cells in the tables are the text an officer types. A few tokens stand for
identity numbers, so a table stays readable and every number is valid by
construction (``run`` replaces them before evaluating):

``ID:19900101``         a valid 身份证号 born on that day (sequence 001)
``ID:19900101:007``     the same birth date, another person (sequence 007)
``BADID:19900101``      the same number as ``ID:19900101`` with a wrong check character
``XID:19900101``        a valid 身份证号 whose check character is X, written lower-case "x"
``RAWID:<17 digits>``   17 digits with their correct check character (e.g. an unreal birth date)
``CC:5``                a valid 统一社会信用代码 (number 5)
``BADCC:5``             ``CC:5`` with a wrong check character

Note on the directory name: ``tests/calculators`` has the same name as the
``calculators`` package under test. Whenever ``tests/`` is on ``sys.path`` (pytest's
default "prepend" import mode puts it there for the rootless ``tests/conftest.py``,
and a ``tests/calculators/__init__.py`` would do the same), ``import calculators``
finds this test directory instead of the installed package and the package's data
files are looked for here. So this directory has no ``__init__.py`` and the guard in
``tests/conftest.py`` imports the installed package before any test module does.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pandas as pd
import pytest

from calculators.evaluate import evaluate
from calculators.registry import calculator
from subsidies.domain.i18n import speaking
from subsidies.domain.identity import (
    credit_code_check_character,
    resident_id_check_character,
)

AS_OF = dt.date(2025, 6, 30)
REGION = "632801"  # 德令哈市 (any 6-digit region code serves)


@pytest.fixture(autouse=True)
def english_reasons():
    """The tables here hold the rules' reasons in English, the language the rules are written
    in (``SUBSIDIES_LANG=en``); ``test_chinese_reasons.py`` holds every program's reasons in
    the officers' Chinese."""
    with speaking("en"):
        yield


# -- identity numbers ---------------------------------------------------------------


def resident_id(birth: str = "19900101", sequence: str = "001", region: str = REGION) -> str:
    first17 = f"{region}{birth}{sequence}"
    assert len(first17) == 17, first17
    return first17 + resident_id_check_character(first17)


def with_wrong_check(number: str) -> str:
    last = number[-1].upper()
    return number[:-1] + ("1" if last != "1" else "2")


def resident_id_ending_x(birth: str = "19900101") -> str:
    for n in range(1000):
        first17 = f"{REGION}{birth}{n:03d}"
        if resident_id_check_character(first17) == "X":
            return first17 + "x"
    raise AssertionError("no sequence gives X")  # pragma: no cover


def credit_code(n: int = 1) -> str:
    first17 = f"91630100{n:09d}"
    return first17 + credit_code_check_character(first17)


def wrong_credit_code(n: int = 1) -> str:
    good = credit_code(n)
    return good[:-1] + ("A" if good[-1] != "A" else "B")


_TOKEN = re.compile(r"^(ID|BADID|XIDUP|XID|RAWID|CC|BADCC):(.*)$")


def resolve(cell: object) -> str:
    """A table cell as the text a claim file holds (tokens replaced by numbers)."""
    text = "" if cell is None else str(cell)
    match = _TOKEN.match(text)
    if not match:
        return text
    kind, arg = match.groups()
    if kind == "ID":
        birth, _, sequence = arg.partition(":")
        return resident_id(birth, sequence or "001")
    if kind == "BADID":
        birth, _, sequence = arg.partition(":")
        return with_wrong_check(resident_id(birth, sequence or "001"))
    if kind == "XID":
        return resident_id_ending_x(arg)
    if kind == "XIDUP":
        return resident_id_ending_x(arg).upper()
    if kind == "RAWID":
        return arg + resident_id_check_character(arg)
    if kind == "CC":
        return credit_code(int(arg))
    return wrong_credit_code(int(arg))


# -- running claims ------------------------------------------------------------------


def run(
    program: str, rows: list[dict], as_of: dt.date | None = None, chunk: int | None = None
) -> pd.DataFrame:
    """Evaluate ``rows`` (dicts of cell text, tokens allowed) as one claim file
    (``chunk`` rows at a time when given, as the CLI does with a large file)."""
    as_of = as_of or AS_OF
    raw = pd.DataFrame([{k: resolve(v) for k, v in row.items()} for row in rows], dtype=object)
    result = evaluate(calculator(program), raw, as_of=as_of, chunk=chunk)
    return result.reset_index(drop=True)


def yuan(amount: int | str | Decimal) -> Decimal:
    return Decimal(str(amount)).quantize(Decimal("0.01"))


def expect(result: pd.Series, status: str, amount: int | str = 0, *fragments) -> None:
    """The row has this status and amount (yuan), and every fragment is in its reasons.

    A fragment may be a tuple of alternatives (any one of them will do), for wording
    two careful writers could choose differently.
    """
    shown = f"{result['claim_id']}: {result['status']} {result['amount']} | {result['reasons']}"
    assert result["status"] == status, shown
    want = yuan(amount)
    assert int(result["amount_fen"]) == int(want * 100), shown
    assert result["amount"] == f"{want:.2f}", shown
    for fragment in fragments:
        options = fragment if isinstance(fragment, tuple) else (fragment,)
        assert any(option in result["reasons"] for option in options), (
            f"none of {options!r} in reasons of {shown}"
        )


def with_ids(rows: list[dict]) -> list[dict]:
    """Give rows without a claim_id one of their own (C1, C2, …)."""
    return [{"claim_id": f"C{i}", **row} for i, row in enumerate(rows, start=1)]


@pytest.fixture(scope="session")
def check():
    """``check(program, base, overrides, status, amount, fragments, as_of)`` for one-row tables."""

    def _check(program, base, overrides, status, amount, fragments, as_of=None):
        row = {**base, **overrides}
        result = run(program, [row], as_of=as_of)
        assert len(result) == 1
        expect(result.iloc[0], status, amount, *fragments)
        return result.iloc[0]

    return _check


@pytest.fixture(scope="session")
def run_rows():
    """``run_rows(program, rows, as_of)``: the results of several rows as one file."""
    return run


@pytest.fixture(scope="session")
def expect_row():
    return expect


@pytest.fixture(scope="session")
def check_batch():
    """``check_batch(program, base, rows, expected, as_of)`` for several rows in one file.

    ``rows`` are overrides of ``base``; ``expected`` holds ``(status, amount, *fragments)``
    for each row in order.
    """

    def _check_batch(program, base, rows, expected, as_of=None):
        result = run(program, [{**base, **row} for row in rows], as_of=as_of)
        assert len(result) == len(expected)
        for index, (status, amount, *fragments) in enumerate(expected):
            expect(result.iloc[index], status, amount, *fragments)
        return result

    return _check_batch
