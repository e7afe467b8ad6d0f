"""qinghai.startup_grant — 青海 一次性创业补贴.

青海省劳务品牌建设的实施意见（征求意见稿） 四(八): "在青海省内创办小微企业或从事个体经营的劳务品牌创业人员,
依法登记注册,领取营业执照并正常经营1年以上,按规定给予1万元的一次性创业补贴".
Readings (docs/policies/README.md): 1年以上 is ≥ 1 year by the calendar-month period rule from
licensed_on to assessed_on, both inclusive; assessed before licensed → invalid; one-time keys:
the founder, and separately the business (credit_code); in force from 2022-02-07 by licensed_on.
"""

from __future__ import annotations

import unicodedata

import pytest

PROGRAM = "qinghai.startup_grant"
BASE = {
    "claim_id": "S1",
    "founder_name": "韩梅",
    "founder_id": "ID:19870707",
    "brand_entrepreneur": "是",
    "business_name": "西宁青绣工坊",
    "credit_code": "CC:11",
    "business_form": "小微企业",
    "registered_province": "青海",
    "licensed_on": "2023-03-15",
    "assessed_on": "2024-03-14",
    "operating_normally": "是",
}
NO = ": no"


def case(name, overrides, status, amount=0, *fragments, as_of=None):
    return pytest.param(overrides, status, amount, fragments, as_of, id=name)


def year(licensed, assessed):
    return {"licensed_on": licensed, "assessed_on": assessed}


CASES = [
    # 小微企业 or 个体经营
    case("form 小微企业", {"business_form": "小微企业"}, "eligible", 10000, "小微企业"),
    case(
        "form small_micro_enterprise",
        {"business_form": "small_micro_enterprise"},
        "eligible",
        10000,
    ),
    case("form 个体工商户", {"business_form": "个体工商户"}, "eligible", 10000, "个体工商户"),
    case("form individual_business", {"business_form": "individual_business"}, "eligible", 10000),
    case("form 其他", {"business_form": "其他"}, "ineligible", 0, "其他", NO),
    case("form other", {"business_form": "other"}, "ineligible", 0, NO),
    case("form unknown", {"business_form": "上市公司"}, "invalid", 0, "business_form"),
    # 劳务品牌创业人员, 正常经营
    *[
        case(f"brand entrepreneur {v}", {"brand_entrepreneur": v}, "eligible", 10000)
        for v in ("是", "yes", "1", "true")
    ],
    *[
        case(f"not a brand entrepreneur {v}", {"brand_entrepreneur": v}, "ineligible", 0, NO)
        for v in ("否", "no", "0", "false")
    ],
    case("not operating normally", {"operating_normally": "否"}, "ineligible", 0, NO),
    case("not operating normally (false)", {"operating_normally": "false"}, "ineligible", 0, NO),
    case(
        "operating normally not yes/no",
        {"operating_normally": "停业"},
        "invalid",
        0,
        "operating_normally",
    ),
    # 在青海省内
    case("registered 青海省", {"registered_province": "青海省"}, "eligible", 10000),
    case("registered 63", {"registered_province": "63"}, "eligible", 10000),
    case("registered 甘肃", {"registered_province": "甘肃"}, "ineligible", 0, "甘肃", NO),
    case("registered 四川省", {"registered_province": "四川省"}, "ineligible", 0, NO),
    case(
        "registered not a province",
        {"registered_province": "西宁"},
        "invalid",
        0,
        "registered_province",
    ),
    # 正常经营1年以上: licensed_on..assessed_on inclusive ≥ 12 calendar months
    case(
        "15 Mar to 14 Mar next year is 1 year",
        year("2023-03-15", "2024-03-14"),
        "eligible",
        10000,
        "2023-03-15",
    ),
    case(
        "15 Mar to 13 Mar next year short",
        year("2023-03-15", "2024-03-13"),
        "ineligible",
        0,
        "2024-03-13",
        NO,
    ),
    case("1 Jan to 31 Dec is 1 year", year("2023-01-01", "2023-12-31"), "eligible", 10000),
    case("1 Jan to 30 Dec short", year("2023-01-01", "2023-12-30"), "ineligible", 0, NO),
    case(
        "28 Feb 2023 to 27 Feb 2024 is 1 year", year("2023-02-28", "2024-02-27"), "eligible", 10000
    ),
    case("28 Feb 2023 to 26 Feb 2024 short", year("2023-02-28", "2024-02-26"), "ineligible", 0, NO),
    case(
        "29 Feb 2024 to 27 Feb 2025 is 1 year (S+12 = 28 Feb)",
        year("2024-02-29", "2025-02-27"),
        "eligible",
        10000,
    ),
    case("29 Feb 2024 to 26 Feb 2025 short", year("2024-02-29", "2025-02-26"), "ineligible", 0, NO),
    case("three years", year("2022-05-01", "2025-05-01"), "eligible", 10000),
    case("assessed on the licence day", year("2024-03-14", "2024-03-14"), "ineligible", 0, NO),
    case(
        "assessed before licensed: invalid",
        year("2024-03-15", "2024-03-14"),
        "invalid",
        0,
        "assessed_on",
    ),
    # in force from 2022-02-07 by licensed_on
    case(
        "licensed the day before the document",
        year("2022-02-06", "2023-06-30"),
        "ineligible",
        0,
        "2022-02-06",
        NO,
    ),
    case("licensed on the document's date", year("2022-02-07", "2023-02-06"), "eligible", 10000),
    # invalid data
    case(
        "founder id check character", {"founder_id": "BADID:19870707"}, "invalid", 0, "founder_id"
    ),
    case("founder id lower-case x", {"founder_id": "XID:19870707"}, "eligible", 10000),
    case(
        "founder id unreal birth date",
        {"founder_id": "RAWID:63280119870229001"},
        "invalid",
        0,
        "founder_id",
    ),
    case("founder born in the future", {"founder_id": "ID:20300101"}, "invalid", 0, "founder_id"),
    case("credit code check character", {"credit_code": "BADCC:11"}, "invalid", 0, "credit_code"),
    case(
        "credit code with a forbidden letter",
        {"credit_code": "91630100000000001I"},
        "invalid",
        0,
        "credit_code",
    ),
    case("credit code blank", {"credit_code": ""}, "invalid", 0, "credit_code"),
    case("licensed_on unparseable", {"licensed_on": "2023年13月1日"}, "invalid", 0, "licensed_on"),
    case("assessed_on blank", {"assessed_on": ""}, "invalid", 0, "assessed_on"),
    case("business name blank", {"business_name": ""}, "invalid", 0, "business_name"),
    case("founder name blank", {"founder_name": ""}, "invalid", 0, "founder_name"),
]


@pytest.mark.parametrize("overrides,status,amount,fragments,as_of", CASES)
def test_rule(check, overrides, status, amount, fragments, as_of):
    check(PROGRAM, BASE, overrides, status, amount, fragments, as_of)


def batch(name, rows, *expected, as_of=None):
    return pytest.param(rows, expected, as_of, id=name)


FOUNDER_B = {"founder_name": "李雷", "founder_id": "ID:19850303:005"}
BUSINESS_Y = {
    "business_name": "格尔木枸杞合作社",
    "credit_code": "CC:12",
    "business_form": "个体工商户",
}
BATCHES = [
    batch(
        "same founder, another business: duplicate naming the first",
        [{"claim_id": "S1"}, {"claim_id": "S2", **BUSINESS_Y}],
        ("eligible", 10000),
        ("duplicate", 0, "S1"),
    ),
    batch(
        "same business, another founder: duplicate naming the first",
        [{"claim_id": "S1"}, {"claim_id": "S2", **FOUNDER_B}],
        ("eligible", 10000),
        ("duplicate", 0, "S1"),
    ),
    batch(
        "different founder and business: both paid",
        [{"claim_id": "S1"}, {"claim_id": "S2", **FOUNDER_B, **BUSINESS_Y}],
        ("eligible", 10000),
        ("eligible", 10000),
    ),
    batch(
        "a duplicate takes no key: founder B's own business is still paid",
        [
            {"claim_id": "S1"},
            {"claim_id": "S2", **FOUNDER_B},
            {"claim_id": "S3", **FOUNDER_B, **BUSINESS_Y},
        ],
        ("eligible", 10000),
        ("duplicate", 0, "S1"),
        ("eligible", 10000),
    ),
    batch(
        "refused first claim does not block a corrected one",
        [{"claim_id": "S1", "operating_normally": "否"}, {"claim_id": "S2"}],
        ("ineligible", 0),
        ("eligible", 10000),
    ),
    batch(
        "too-early first claim does not block the later assessment",
        [
            {"claim_id": "S1", **year("2023-03-15", "2023-12-31")},
            {"claim_id": "S2", **year("2023-03-15", "2024-06-30")},
        ],
        ("ineligible", 0),
        ("eligible", 10000),
    ),
    batch(
        "repeated claim_id: later row invalid",
        [{"claim_id": "S1"}, {"claim_id": "S1", **FOUNDER_B, **BUSINESS_Y}],
        ("eligible", 10000),
        ("invalid", 0, "claim_id"),
    ),
]


@pytest.mark.parametrize("rows,expected,as_of", BATCHES)
def test_file(check_batch, rows, expected, as_of):
    check_batch(PROGRAM, BASE, rows, expected, as_of)


def test_citation(check):
    row = check(PROGRAM, BASE, {}, "eligible", 10000, (), None)
    assert "四(八)" in unicodedata.normalize("NFKC", row["citation"])
    assert str(row["decided_on"]) == "2023-03-15"
