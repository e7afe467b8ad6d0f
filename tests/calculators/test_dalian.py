"""dalian.brand_recognition — 大连 劳务品牌一次性补贴.

大人社发〔2022〕187号 三(四)5 政策支持: "对新认定的劳务品牌,按照省级10万、市级5万元标准给予建设单位
一次性补贴资金支持,所需资金从就业补助资金中列支".
Readings (docs/policies/README.md): a district-level brand is ineligible (the document pays
only provincial and city levels); one-time key: unit, brand and level (city then provincial is
paid at each level once); in force from 2022-10-13 by recognized_on.

三(四)3(1) "申报市、区两级劳务品牌的建设单位应于每年9月30日前……提出申请": a city or district claim
carries its application date (applied_on 申请日期), on or before 30 September of its own year
(9月30日前 includes the day); after it the claim is ineligible, saying so with the date and
the article. A provincial brand is not applied for in Dalian: its date is not asked for.
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
    "applied_on": "2022-09-01",
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
    # 三(四)3(1): applied by 30 September of the application's year
    case(
        "applied on 30 September: in time",
        {"applied_on": "2022-09-30"},
        "eligible",
        50000,
        "applied 2022-09-30 by that year's deadline 2022-09-30",
        "三(四)3(1)): yes",
    ),
    case(
        "applied on 1 October: after the deadline",
        {"applied_on": "2022-10-01"},
        "ineligible",
        0,
        "applied 2022-10-01 by that year's deadline 2022-09-30",
        "三(四)3(1)): no",
    ),
    case(
        "applied in December, recognised the next year: after that year's deadline",
        {"applied_on": "2022-12-15", "recognized_on": "2023-06-01"},
        "ineligible",
        0,
        "2022-12-15",
        NO,
    ),
    case("applied 2023年3月1日", {"applied_on": "2023年3月1日"}, "eligible", 50000),
    case(
        "district after the deadline",
        {"level": "区级", "applied_on": "2022-10-08"},
        "ineligible",
        0,
        "2022-10-08",
        NO,
    ),
    case(
        "city without an application date",
        {"applied_on": ""},
        "invalid",
        0,
        "applied_on 申请日期: missing",
    ),
    case(
        "district without an application date",
        {"level": "区级", "applied_on": ""},
        "invalid",
        0,
        "applied_on",
    ),
    case("provincial needs none", {"level": "省级", "applied_on": ""}, "eligible", 100000),
    case(
        "provincial's date is not Dalian's deadline",
        {"level": "省级", "applied_on": "2022-11-20"},
        "eligible",
        100000,
    ),
    case(
        "applied after the recognition",
        {"applied_on": "2023-06-02"},
        "invalid",
        0,
        "is before applied_on",
    ),
    case("applied_on unparseable", {"applied_on": "2022-09-31"}, "invalid", 0, "applied_on"),
    # a claim states what has happened by its as-of date
    case(
        "recognised after the as-of date",
        {"recognized_on": "2025-07-01"},
        "invalid",
        0,
        "recognized_on 认定日期 '2025-07-01': after the as-of date 2025-06-30",
    ),
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
