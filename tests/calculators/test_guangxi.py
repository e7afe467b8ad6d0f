"""guangxi.training_base / guangxi.expert_studio / guangxi.lead_enterprise.

桂政办发〔2021〕141号 四(一)2: "认定一批自治区级劳务品牌培训示范基地、劳务品牌专家工作室,分别给予每个
100万元、10万元的资金奖励"; 四(三)1: "对经认定的自治区级劳务品牌龙头企业,给予一次性奖补资金30万元".
Readings (docs/policies/README.md): only the autonomous-region level is paid (city and county
recognitions are not named), one-time key: unit and award; in force from 2021-12-31 by
recognized_on.
"""

from __future__ import annotations

import unicodedata

import pytest

AWARDS = {
    "guangxi.training_base": (1_000_000, "四(一)"),
    "guangxi.expert_studio": (100_000, "四(一)"),
    "guangxi.lead_enterprise": (300_000, "四(三)"),
}
BASE = {
    "claim_id": "X1",
    "unit_name": "柳州螺蛳粉职业培训学校",
    "credit_code": "CC:51",
    "level": "自治区级",
    "recognized_on": "2022-06-30",
}
NO = ": no"
PAID = "paid"  # stands for the program's amount


def case(name, overrides, status, amount=0, *fragments, as_of=None):
    return (name, overrides, status, amount, fragments, as_of)


CASES = [
    case("自治区级 paid", {"level": "自治区级"}, "eligible", PAID, "自治区级"),
    case("region paid", {"level": "region"}, "eligible", PAID),
    case("市级 not paid", {"level": "市级"}, "ineligible", 0, "市级"),
    case("city not paid", {"level": "city"}, "ineligible", 0),
    case("县级 not paid", {"level": "县级"}, "ineligible", 0, "县级"),
    case("county not paid", {"level": "county"}, "ineligible", 0),
    case("level unknown", {"level": "国家级"}, "invalid", 0, "level"),
    case("level blank", {"level": ""}, "invalid", 0, "level"),
    case(
        "recognized the day before the document",
        {"recognized_on": "2021-12-30"},
        "ineligible",
        0,
        "2021-12-30",
        NO,
    ),
    case("recognized on the document's date", {"recognized_on": "2021-12-31"}, "eligible", PAID),
    case("recognized_on 2022年6月30日", {"recognized_on": "2022年6月30日"}, "eligible", PAID),
    case("credit code check character", {"credit_code": "BADCC:51"}, "invalid", 0, "credit_code"),
    case("credit code blank", {"credit_code": ""}, "invalid", 0, "credit_code"),
    case("unit name blank", {"unit_name": ""}, "invalid", 0, "unit_name"),
    case(
        "recognized_on unparseable", {"recognized_on": "2022-06-31"}, "invalid", 0, "recognized_on"
    ),
    case("recognized_on blank", {"recognized_on": ""}, "invalid", 0, "recognized_on"),
]

PARAMS = [
    pytest.param(program, overrides, status, amount, fragments, as_of, id=f"{program}: {name}")
    for program in AWARDS
    for name, overrides, status, amount, fragments, as_of in CASES
]


@pytest.mark.parametrize("program,overrides,status,amount,fragments,as_of", PARAMS)
def test_rule(check, program, overrides, status, amount, fragments, as_of):
    amount = AWARDS[program][0] if amount == PAID else amount
    check(program, BASE, overrides, status, amount, fragments, as_of)


OTHER_UNIT = {"unit_name": "南宁八桂家政服务有限公司", "credit_code": "CC:52"}
BATCHES = [
    (
        "same unit twice: duplicate naming the first",
        [{"claim_id": "X1"}, {"claim_id": "X2", "recognized_on": "2024-01-15"}],
        [("eligible", PAID), ("duplicate", 0, "X1")],
    ),
    (
        "two units: both paid",
        [{"claim_id": "X1"}, {"claim_id": "X2", **OTHER_UNIT}],
        [("eligible", PAID), ("eligible", PAID)],
    ),
    (
        "same unit recognized at city level first, region later: paid once, for the region",
        [{"claim_id": "X1", "level": "市级"}, {"claim_id": "X2", "recognized_on": "2023-06-30"}],
        [("ineligible", 0), ("eligible", PAID)],
    ),
    (
        "same unit, region twice then a third claim: both later rows name the first",
        [
            {"claim_id": "X1"},
            {"claim_id": "X2", "level": "region"},
            {"claim_id": "X3", "recognized_on": "2025-01-01"},
        ],
        [("eligible", PAID), ("duplicate", 0, "X1"), ("duplicate", 0, "X1")],
    ),
    (
        "repeated claim_id: later row invalid",
        [{"claim_id": "X1"}, {"claim_id": "X1", **OTHER_UNIT}],
        [("eligible", PAID), ("invalid", 0, "claim_id")],
    ),
]
BATCH_PARAMS = [
    pytest.param(program, rows, expected, id=f"{program}: {name}")
    for program in AWARDS
    for name, rows, expected in BATCHES
]


@pytest.mark.parametrize("program,rows,expected", BATCH_PARAMS)
def test_file(check_batch, program, rows, expected):
    paid = AWARDS[program][0]
    expected = [
        (status, paid if amount == PAID else amount, *rest) for status, amount, *rest in expected
    ]
    check_batch(program, BASE, rows, expected)


def test_awards_are_separate_programs(run_rows):
    """The key is unit *and award*: one unit may hold all three awards, each paid once."""
    totals = []
    for program in AWARDS:
        result = run_rows(program, [BASE])
        assert list(result["status"]) == ["eligible"], result["reasons"].tolist()
        totals.append(int(result["amount_fen"].iloc[0]))
    assert totals == [100_000_000, 10_000_000, 30_000_000]


@pytest.mark.parametrize("program", list(AWARDS))
def test_citation(check, program):
    amount, article = AWARDS[program]
    row = check(program, BASE, {}, "eligible", amount, (), None)
    citation = unicodedata.normalize("NFKC", row["citation"])
    assert "桂政办发" in citation and "141" in citation
    assert article in citation
    assert str(row["decided_on"]) == "2022-06-30"
