"""subsidies.demo.synthetic draws its claims from the program: a changed parameter file
changes the claims made, and each row is still decided as it was made to be; a Mix says
what a batch is made of."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from calculators.evaluate import evaluate
from calculators.parameters import builtin_program_file
from calculators.programs.qinghai.goji_broker import GojiBroker
from calculators.registry import calculator
from subsidies.demo.synthetic import ALL_ELIGIBLE, BANK_ACCOUNT, Mix, cases, generate, mix
from subsidies.domain.periods import add_months

YEAR = 2024
AS_OF = dt.date(YEAR, 12, 31)


def goji_with(tmp_path: Path, **values) -> GojiBroker:
    """The goji calculator reading a copy of its parameter file with ``values`` in force
    from the document's date (``name=value``) or from a later date (``name=(day, value)``)."""
    data = yaml.safe_load(builtin_program_file("qinghai.goji_broker").read_text(encoding="utf-8"))
    for name, value in values.items():
        dated = data["parameters"][name]["values"]
        day, value = value if isinstance(value, tuple) else (next(iter(dated)), value)
        dated[day] = {"value": value, "quote": dated[next(iter(dated))]["quote"]}
    path = tmp_path / "goji_broker.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    class Changed(GojiBroker):
        parameter_file = path

    return Changed()


def decided(calc, frame: pd.DataFrame) -> pd.DataFrame:
    raw = frame.drop(columns=[BANK_ACCOUNT])
    return evaluate(calc, raw, as_of=AS_OF)


def intended(frame: pd.DataFrame) -> list[str]:
    return [i.split(":")[0] for i in frame.attrs["intent"]]


def months_picked(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    start = pd.to_datetime(frame["start_date"], format="mixed").to_numpy(dtype="datetime64[D]")
    end = pd.to_datetime(frame["end_date"], format="mixed").to_numpy(dtype="datetime64[D]")
    return start, end


def test_a_changed_parameter_file_changes_the_claims(tmp_path):
    calc = goji_with(
        tmp_path,
        min_months=3,
        max_months_exclusive=5,
        destination_places=["德令哈", "都兰"],
        destination_prefecture=["海西州"],
        minimum_working_age=18,
    )
    frame = generate(calc, 600, seed=3, year=YEAR, headers="ids")
    result = decided(calc, frame)
    assert result["status"].tolist() == intended(frame)
    eligible = (result["status"] == "eligible").to_numpy()
    start, end = months_picked(frame[eligible])
    assert (end >= add_months(start, 3) - 1).all() and (end < add_months(start, 5) - 1).all()
    places = set(frame.loc[eligible, "destination"])
    assert places and not any("格尔木" in p for p in places)
    labels = cases(calc)["ineligible"]
    assert "one day short of 3 months" in labels and "exactly 5 months (not 不足5个月)" in labels
    assert "worker under 18 on start_date" in labels
    # the same claims under the built-in file would not all be decided as made
    usual = decided(calculator("qinghai.goji_broker"), frame)
    assert usual["status"].tolist() != intended(frame)


def test_a_value_amended_within_the_year_dates_the_claims_after_it(tmp_path):
    calc = goji_with(tmp_path, base_per_worker=("2024-05-20", 80))
    frame = generate(calc, 300, seed=4, year=YEAR, headers="ids", mix=ALL_ELIGIBLE)
    start, _ = months_picked(frame)
    assert start.min() >= np.datetime64("2024-05-20")
    result = decided(calc, frame)
    assert (result["status"] == "eligible").all()
    assert set(result["amount"]) <= {"80.00", "130.00"}


def test_the_mix_says_what_a_batch_is_made_of():
    everyone = generate("qinghai.transport", 300, seed=5, year=YEAR, mix=ALL_ELIGIBLE)
    assert set(intended(everyone)) == {"eligible"}
    bad = Mix(ineligible=0, duplicate=0, repeat=0, invalid=0.5, invalid_kinds=(mix.BAD_CHECK,))
    frame = generate("qinghai.transport", 300, seed=5, year=YEAR, mix=bad)
    assert frame.attrs["intent"].count(f"invalid: {mix.BAD_CHECK}") == 150
    result = evaluate(
        calculator("qinghai.transport"),
        frame.iloc[:, 1:-1].set_axis(calculator("qinghai.transport").template.names, axis=1),
        as_of=AS_OF,
    )
    assert result["status"].tolist() == intended(frame)
    assert result.loc[result["status"] == "invalid", "reasons"].str.contains("校验码").all()
    with pytest.raises(ValueError, match="no invalid kind"):
        generate("qinghai.transport", 10, seed=5, mix=Mix(invalid_kinds=("a typo",)))
    with pytest.raises(ValueError, match="at most 1"):
        Mix(ineligible=0.6, invalid=0.6)


def test_headers_as_the_template_ids():
    frame = generate("qinghai.goji_broker", 20, seed=6, year=YEAR, headers="ids")
    assert list(frame.columns) == [*calculator("qinghai.goji_broker").template.names, BANK_ACCOUNT]
    loan = generate("qinghai.guarantee_loan", 20, seed=6, year=YEAR, headers="ids")
    assert list(loan.columns) == calculator("qinghai.guarantee_loan").template.names
