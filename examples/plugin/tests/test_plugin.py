"""The EXAMPLE plugin's calculator, decided in-process (nothing is installed).

``example.training_allowance`` is a made-up program (示例人社发〔2024〕1号 is not a real
document): 50 yuan per day of training, 60 from 2025-01-01, at most 1,500 per person, once,
for a certified 脱贫劳动力 or 就业困难人员 aged 16 or more who trained at least 5 days.
Expected amounts below come from that (made-up) text, not from the code.

Run with ``pytest examples/plugin/tests`` from the subsidy-ledger checkout; the plugin
package is imported from ``examples/plugin`` on ``sys.path``.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

PLUGIN = Path(__file__).resolve().parents[1]
if str(PLUGIN) not in sys.path:
    sys.path.insert(0, str(PLUGIN))

from example_province.training_allowance import TrainingAllowance  # noqa: E402

from calculators.evaluate import evaluate  # noqa: E402
from calculators.parameters import load_program  # noqa: E402
from subsidies.claimfile import read_claims  # noqa: E402

PARAMETERS = PLUGIN / "example_province" / "data" / "example.training_allowance.yaml"


AS_OF = dt.date(2025, 6, 30)
BASE = {
    "claim_id": "T1",
    "trainee_name": "杨秀芬",
    "trainee_id": "522622199001010012",  # born 1990-01-01
    "trainee_group": "脱贫劳动力",
    "course_name": "中式烹调师",
    "start_date": "2024-11-04",
    "end_date": "2024-11-15",
    "training_days": "10",
    "certified": "是",
}
NO = "：否"  # the reasons are read in Chinese, the officer's language (the default)
CALCULATOR = TrainingAllowance()  # loads its parameter file once


def decide(
    rows: list[dict], calculator=None, prior: pd.DataFrame | None = None, as_of: dt.date = AS_OF
) -> pd.DataFrame:
    raw = pd.DataFrame(rows, dtype=object)
    result = evaluate(calculator or CALCULATOR, raw, as_of=as_of, prior=prior)
    return result.reset_index(drop=True)


def case(name, overrides, status, amount, *fragments):
    return pytest.param(overrides, status, amount, fragments, id=name)


CASES = [
    case("10 days at 50 in 2024", {}, "eligible", "500.00", "生活费补贴 10 天 × 50.00 元"),
    case(
        "60 a day from 2025-01-01",
        {"start_date": "2025-01-01", "end_date": "2025-01-12"},
        "eligible",
        "600.00",
        "10 天 × 60.00 元",
    ),
    case(
        "last day of the 50 rate",
        {"start_date": "2024-12-31", "end_date": "2025-01-10"},
        "eligible",
        "500.00",
        "× 50.00 元",
    ),
    case(
        "capped at 1500",
        {"start_date": "2025-03-03", "end_date": "2025-04-11", "training_days": "30"},
        "eligible",
        "1500.00",
        "1,800.00 元",
        "最高不超过 1,500.00 元，补贴 1,500.00 元",
    ),
    case(
        "5 days is enough",
        {"training_days": "5"},
        "eligible",
        "250.00",
        "实际培训 5 天，须满 5 天：是",
    ),
    case(
        "4 days is not",
        {"training_days": "4"},
        "ineligible",
        "0.00",
        "实际培训 4 天，须满 5 天" + NO,
    ),
    case("group difficulty", {"trainee_group": "就业困难人员"}, "eligible", "500.00"),
    case(
        "group other is not listed",
        {"trainee_group": "其他"},
        "ineligible",
        "0.00",
        "人员类别 其他，须为政策所列人员" + NO,
    ),
    case(
        "no certificate",
        {"certified": "否"},
        "ineligible",
        "0.00",
        "取得合格证书" + NO,
    ),
    case(
        "aged 14",
        {"trainee_id": "522622201005050038", "start_date": "2025-04-07", "end_date": "2025-04-18"},
        "ineligible",
        "0.00",
        "学员于开班日期 2025-04-07 年满 14 周岁，须满 16 周岁（第三条）" + NO,
    ),
    case(
        "before the document took effect",
        {"start_date": "2023-12-04", "end_date": "2023-12-15"},
        "ineligible",
        "0.00",
        "施行日期 2024-01-01" + NO,
    ),
    case(
        "bad check character",
        {"trainee_id": "522622199001010013"},
        "invalid",
        "0.00",
        "身份证号“522622199001010013”：校验码应为 2",
    ),
    case("0 days", {"training_days": "0"}, "invalid", "0.00", "实际培训天数：须大于 0"),
    case(
        "more days than the course lasted",
        {"training_days": "13"},
        "invalid",
        "0.00",
        "实际培训天数 13 天，多于开班日期至结业日期的 12 天",
    ),
    case(
        "end before start",
        {"end_date": "2024-11-01"},
        "invalid",
        "0.00",
        "结业日期 2024-11-01 早于开班日期 2024-11-04",
    ),
    case("not a yes/no", {"certified": "也许"}, "invalid", "0.00", "取得合格证书“也许”"),
]


@pytest.mark.parametrize(("overrides", "status", "amount", "fragments"), CASES)
def test_one_claim(overrides, status, amount, fragments):
    row = decide([{**BASE, **overrides}]).iloc[0]
    shown = f"{row['status']} {row['amount']} | {row['reasons']}"
    assert (row["status"], row["amount"]) == (status, amount), shown
    for fragment in fragments:
        assert fragment in row["reasons"], shown
    assert row["citation"] == "示例人社发〔2024〕1号（EXAMPLE） 第五条"


def test_the_parameter_file_ships_with_the_package_and_says_example():
    assert TrainingAllowance.parameter_file == PARAMETERS
    program = TrainingAllowance().program
    assert program.id == TrainingAllowance.program_id == "example.training_allowance"
    assert "EXAMPLE" in program.name_zh and "EXAMPLE" in program.name_en
    assert program.document.id == "example-2024-1"  # defined inline in the YAML
    assert "EXAMPLE" in program.document.number
    assert program.document.status == "trial"
    rate = program.parameter("daily_rate")
    assert rate.at(dt.date(2024, 12, 31)).value == 5000  # fen
    assert rate.at(dt.date(2025, 1, 1)).value == 6000
    assert rate.at(dt.date(2023, 12, 31)) is None


def test_a_trainee_is_paid_once_in_a_file():
    second = {
        **BASE,
        "claim_id": "T2",
        "course_name": "育婴员",
        "start_date": "2025-05-06",
        "end_date": "2025-05-16",
    }
    result = decide([BASE, second])
    assert list(result["status"]) == ["eligible", "duplicate"]
    assert (
        "学员（身份证号 522622199001010012）已由第 1 行的申请 T1 申领，一次性补贴只发放一次"
        in result.at[1, "reasons"]
    )


def test_a_refused_claim_takes_no_key():
    refused = {**BASE, "certified": "否"}
    corrected = {**BASE, "claim_id": "T2"}
    assert list(decide([refused, corrected])["status"]) == ["ineligible", "eligible"]


def test_a_trainee_paid_in_an_earlier_batch_is_a_duplicate():
    prior = pd.DataFrame(
        {
            "trainee_id": [BASE["trainee_id"]],
            "claim_id": ["OLD-1"],
            "source": ["batch B20250101-00001 row 2"],
        }
    )
    row = decide([BASE], prior=prior).iloc[0]
    assert row["status"] == "duplicate"
    assert "batch B20250101-00001 row 2的申请 OLD-1 申领" in row["reasons"]


def test_an_amended_amount_is_a_new_dated_value(tmp_path):
    """Setting ``parameter_file`` points the calculator at another file: here the example's
    own file with one more dated value, as an amendment would add it."""
    data = yaml.safe_load(PARAMETERS.read_text(encoding="utf-8"))
    data["parameters"]["daily_rate"]["values"][dt.date(2026, 1, 1)] = {
        "value": 70,
        "quote": "2026年1月1日起提高至每人每天70元（示例）",
    }
    amended = tmp_path / "example.training_allowance.yaml"
    amended.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    class Amended(TrainingAllowance):
        parameter_file = amended

    before, after = (
        {**BASE, "claim_id": "A", "start_date": "2025-12-22", "end_date": "2025-12-31"},
        {
            **BASE,
            "claim_id": "B",
            "trainee_id": "522622198511110027",
            "start_date": "2026-01-05",
            "end_date": "2026-01-14",
        },
    )
    # decided after both (a claim dated after its as-of date would be invalid)
    result = decide([before, after], calculator=Amended(), as_of=dt.date(2026, 6, 30))
    assert list(result["amount"]) == ["600.00", "700.00"]
    assert load_program(amended, {}).parameter("daily_rate").values[-1].quote.startswith("2026年")


def test_the_example_claims_file():
    claims = read_claims(PLUGIN / "claims-example.csv", CALCULATOR.template)
    result = evaluate(
        CALCULATOR, claims.raw, as_of=AS_OF, numeric=claims.numeric, rows=claims.source_rows
    )
    decided = list(zip(result["claim_id"], result["status"], result["amount"], strict=True))
    assert decided == [
        ("EX-001", "eligible", "500.00"),
        ("EX-002", "eligible", "1500.00"),
        ("EX-003", "ineligible", "0.00"),
        ("EX-004", "ineligible", "0.00"),
        ("EX-005", "duplicate", "0.00"),
        ("EX-006", "ineligible", "0.00"),
        ("EX-007", "ineligible", "0.00"),
        ("EX-008", "invalid", "0.00"),
        ("EX-009", "ineligible", "0.00"),
    ]
