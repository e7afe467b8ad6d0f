"""Every program's reasons in the officers' Chinese (issue #17): each check and each refusal
of the generated claims (every ineligible condition, every kind of bad data, duplicates in
the file and against an earlier batch) reads without an English word; citations and
quotes stay as written."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from calculators.evaluate import evaluate, status_labels
from calculators.registry import calculator, program_ids
from subsidies.claimfile import read_claims
from subsidies.demo.synthetic import generate, write_sheet
from subsidies.domain.i18n import speaking

AS_OF = dt.date(2024, 12, 31)
# what may stay in Latin letters: standards' and formats' names, and claim ids and codes
# (capitals and digits), which the pattern below never matches
ALLOWED = {"Excel"}
ENGLISH_WORD = re.compile(r"[A-Za-z]*[a-z][A-Za-z]*")


def _decided(program_id: str, folder: Path) -> pd.DataFrame:
    path = write_sheet(
        generate(program_id, 300, seed=17),
        folder / f"{program_id}.csv",
        program_id=program_id,
        title="申报表",
        unit="测试单位",
        filled_on=AS_OF,
    )
    calc = calculator(program_id)
    claims = read_claims(path, calc.template)
    first = evaluate(calc, claims.raw, as_of=AS_OF, numeric=claims.numeric)
    eligible = first[first["status"] == "eligible"]
    prior = pd.DataFrame(
        {c.removeprefix("key_"): eligible[c].to_numpy() for c in first if c.startswith("key_")}
    )
    prior["claim_id"] = eligible["claim_id"].to_numpy()
    prior["source"] = "批次 B20241201-00001 第 5 行"
    again = evaluate(calc, claims.raw, as_of=AS_OF, numeric=claims.numeric, prior=prior)
    return pd.concat([first, again])


@pytest.mark.parametrize("program_id", program_ids())
def test_every_reason_is_chinese(program_id: str, tmp_path: Path) -> None:
    with speaking("zh_CN"):
        result = _decided(program_id, tmp_path)
    assert set(result["status"]) >= {"eligible", "invalid"}, program_id
    for reasons in result["reasons"].unique():
        english = set(ENGLISH_WORD.findall(reasons)) - ALLOWED
        assert not english, f"{program_id}: {sorted(english)} in {reasons}"


def test_a_failed_check_reads_as_the_issue_writes_it(run_rows) -> None:
    row = {
        "claim_id": "G1",
        "broker_name": "马经纪",
        "broker_id": "ID:19800505:011",
        "worker_name": "李四",
        "worker_id": "ID:19900101",
        "worker_hukou": "甘肃",
        "farmer_herder": "是",
        "destination": "海西",
        "start_date": "2024-07-15",
        "end_date": "2024-09-13",
        "worker_group": "脱贫劳动力",
    }
    with speaking("zh_CN"):
        result = run_rows("qinghai.goji_broker", [row]).iloc[0]
        labels = status_labels()
    assert result["status"] == "ineligible"
    assert labels[result["status"]] == "不符合"
    assert "务工人员户籍 甘肃，须为 青海：否" in result["reasons"]
    assert "采摘 1个月30天（2024-07-15至2024-09-13），须满 2个月：否" in result["reasons"]
    assert "；农牧民：是；" in result["reasons"]


def test_the_statuses_read_in_chinese_and_stay_codes_for_scripts() -> None:
    with speaking("zh_CN"):
        assert status_labels() == {
            "eligible": "符合",
            "ineligible": "不符合",
            "invalid": "数据有误",
            "duplicate": "重复",
        }
    with speaking("en"):
        assert status_labels()["invalid"] == "invalid"
