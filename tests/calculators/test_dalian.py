"""dalian.brand_recognition — 大连 劳务品牌一次性补贴.

大人社发〔2022〕187号 三(四)5 政策支持: "对新认定的劳务品牌,按照省级10万、市级5万元标准给予建设单位
一次性补贴资金支持,所需资金从就业补助资金中列支".
Readings (docs/policies/README.md): a district-level brand is ineligible (the document pays
only provincial and city levels); one-time key: unit, brand and level (city then provincial is
paid at each level once); in force from 2022-10-13 by recognized_on.
"""

from __future__ import annotations

import unicodedata

import pytest

PROGRAM = "dalian.brand_recognition"
BASE = {
    "claim_id": "D1",
    "unit_name": "大连海员劳务有限公司",
    "credit_code": "CC:41",
    "brand_name": "大连海员",
    "level": "市级",
    "recognized_on": "2023-06-01",
}
NO = ": no"


def case(name, overrides, status, amount=0, *fragments, as_of=None):
    return pytest.param(overrides, status, amount, fragments, as_of, id=name)


CASES = [
    # 省级10万、市级5万; 区级 not paid
    case("省级 100,000", {"level": "省级"}, "eligible", 100000, "省级"),
    case("provincial 100,000", {"level": "provincial"}, "eligible", 100000),
    case("市级 50,000", {"level": "市级"}, "eligible", 50000, "市级"),
    case("city 50,000", {"level": "city"}, "eligible", 50000),
    case("City (any case) 50,000", {"level": "City"}, "eligible", 50000),
    case("区级 not paid", {"level": "区级"}, "ineligible", 0, "区级"),
    case("district not paid", {"level": "district"}, "ineligible", 0),
    case("level unknown", {"level": "国家级"}, "invalid", 0, "level"),
    case("level blank", {"level": ""}, "invalid", 0, "level"),
    # in force from 2022-10-13 by recognized_on
    case(
        "recognized the day before the document",
        {"recognized_on": "2022-10-12"},
        "ineligible",
        0,
        "2022-10-12",
        NO,
    ),
    case("recognized on the document's date", {"recognized_on": "2022-10-13"}, "eligible", 50000),
    case(
        "provincial recognized the day before",
        {"level": "省级", "recognized_on": "2022-10-12"},
        "ineligible",
        0,
        NO,
    ),
    case("recognized_on written 2023/6/1", {"recognized_on": "2023/6/1"}, "eligible", 50000),
    # invalid data
    case("credit code check character", {"credit_code": "BADCC:41"}, "invalid", 0, "credit_code"),
    case("credit code too short", {"credit_code": "9121020012345"}, "invalid", 0, "credit_code"),
    case("credit code blank", {"credit_code": ""}, "invalid", 0, "credit_code"),
    case("unit name blank", {"unit_name": ""}, "invalid", 0, "unit_name"),
    case("brand name blank", {"brand_name": ""}, "invalid", 0, "brand_name"),
    case(
        "recognized_on unparseable", {"recognized_on": "2023-02-29"}, "invalid", 0, "recognized_on"
    ),
    case("recognized_on blank", {"recognized_on": ""}, "invalid", 0, "recognized_on"),
]


@pytest.mark.parametrize("overrides,status,amount,fragments,as_of", CASES)
def test_rule(check, overrides, status, amount, fragments, as_of):
    check(PROGRAM, BASE, overrides, status, amount, fragments, as_of)


def batch(name, rows, *expected, as_of=None):
    return pytest.param(rows, expected, as_of, id=name)


OTHER_UNIT = {"unit_name": "大连家政服务协会", "credit_code": "CC:42"}
BATCHES = [
    batch(
        "same unit, brand and level twice: duplicate naming the first",
        [{"claim_id": "D1"}, {"claim_id": "D2", "recognized_on": "2024-06-01"}],
        ("eligible", 50000),
        ("duplicate", 0, "D1"),
    ),
    batch(
        "same brand at city then provincial level: paid at each level once",
        [{"claim_id": "D1"}, {"claim_id": "D2", "level": "省级", "recognized_on": "2024-06-01"}],
        ("eligible", 50000),
        ("eligible", 100000),
    ),
    batch(
        "city, provincial, then provincial again",
        [
            {"claim_id": "D1"},
            {"claim_id": "D2", "level": "省级", "recognized_on": "2024-06-01"},
            {"claim_id": "D3", "level": "provincial", "recognized_on": "2024-09-01"},
        ],
        ("eligible", 50000),
        ("eligible", 100000),
        ("duplicate", 0, "D2"),
    ),
    batch(
        "same unit, another brand: both paid",
        [{"claim_id": "D1"}, {"claim_id": "D2", "brand_name": "大连月嫂"}],
        ("eligible", 50000),
        ("eligible", 50000),
    ),
    batch(
        "same brand name, another unit: both paid",
        [{"claim_id": "D1"}, {"claim_id": "D2", **OTHER_UNIT}],
        ("eligible", 50000),
        ("eligible", 50000),
    ),
    batch(
        "district then city for the same brand: district unpaid, city paid",
        [{"claim_id": "D1", "level": "区级"}, {"claim_id": "D2", "level": "市级"}],
        ("ineligible", 0),
        ("eligible", 50000),
    ),
    batch(
        "a claim dated before the document does not block a later one",
        [{"claim_id": "D1", "recognized_on": "2022-09-30"}, {"claim_id": "D2"}],
        ("ineligible", 0),
        ("eligible", 50000),
    ),
    batch(
        "repeated claim_id: later row invalid",
        [{"claim_id": "D1"}, {"claim_id": "D1", "brand_name": "大连月嫂"}],
        ("eligible", 50000),
        ("invalid", 0, "claim_id"),
    ),
]


@pytest.mark.parametrize("rows,expected,as_of", BATCHES)
def test_file(check_batch, rows, expected, as_of):
    check_batch(PROGRAM, BASE, rows, expected, as_of)


def test_citation(check):
    row = check(PROGRAM, BASE, {}, "eligible", 50000, (), None)
    citation = unicodedata.normalize("NFKC", row["citation"])
    assert "大人社发" in citation and "187" in citation
    assert "三(四)" in citation
    assert str(row["decided_on"]) == "2023-06-01"
