"""qinghai.transport — 青海 跨省就业一次性交通补助.

青海省劳务品牌建设的实施意见（征求意见稿） 三(六): "按规定对跨省就业3个月以上的脱贫人口和监测帮扶对象
给予每人不高于1000元的一次性交通补助".
Readings (docs/policies/README.md): 3个月以上 is ≥ 3 calendar months, both ends inclusive;
不高于 1000: the actual fare capped at 1000; 跨省: the province of work differs from the household
province, which must be 青海; one-time key: the person; in force from 2022-02-07 by employed_from.
"""

from __future__ import annotations

import unicodedata

import pytest

PROGRAM = "qinghai.transport"
BASE = {
    "claim_id": "T1",
    "person_name": "才让",
    "person_id": "ID:19880808",
    "hukou_province": "青海",
    "person_group": "脱贫人口",
    "work_province": "江苏",
    "employed_from": "2024-03-01",
    "employed_until": "2024-05-31",
    "fare": "800",
}
NO = ": no"


def case(name, overrides, status, amount=0, *fragments, as_of=None):
    return pytest.param(overrides, status, amount, fragments, as_of, id=name)


def span(start, end):
    return {"employed_from": start, "employed_until": end}


CASES = [
    # groups: 脱贫人口 and 监测帮扶对象
    case("group 脱贫人口", {"person_group": "脱贫人口"}, "eligible", 800, "脱贫人口"),
    case("group poverty_alleviated", {"person_group": "poverty_alleviated"}, "eligible", 800),
    case("group 监测帮扶对象", {"person_group": "监测帮扶对象"}, "eligible", 800, "监测帮扶对象"),
    case("group monitored", {"person_group": "monitored"}, "eligible", 800),
    case("group 其他", {"person_group": "其他"}, "ineligible", 0, "其他", NO),
    case("group other", {"person_group": "other"}, "ineligible", 0, NO),
    case("group unknown", {"person_group": "低保户"}, "invalid", 0, "person_group"),
    # 每人不高于1000元: the fare, capped at 1000
    case("fare 800", {"fare": "800"}, "eligible", 800, ("800", "800.00")),
    case("fare 999.99", {"fare": "999.99"}, "eligible", "999.99"),
    case("fare exactly 1000", {"fare": "1000"}, "eligible", 1000),
    case("fare 1000.01 capped", {"fare": "1000.01"}, "eligible", 1000),
    case("fare 1200 capped", {"fare": "1200"}, "eligible", 1000, ("1200", "1,200")),
    case("fare 1,000.00", {"fare": "1,000.00"}, "eligible", 1000),
    case("fare ¥650.50", {"fare": "¥650.50"}, "eligible", "650.50"),
    case("fare 650.5", {"fare": "650.5"}, "eligible", "650.50"),
    case("fare ¥1000", {"fare": "¥1000"}, "eligible", 1000),
    case("fare ¥1200 capped", {"fare": "¥1200"}, "eligible", 1000),
    case("fare 1500元 capped", {"fare": "1500元"}, "eligible", 1000),
    case("fare not an amount", {"fare": "八百"}, "invalid", 0, "fare"),
    case("fare three decimals", {"fare": "800.123"}, "invalid", 0, "fare"),
    case("fare negative", {"fare": "-800"}, "invalid", 0, "fare"),
    case("fare blank", {"fare": ""}, "invalid", 0, "fare"),
    # 3个月以上: calendar months, both ends inclusive
    case(
        "1 Mar-31 May is 3 months",
        span("2024-03-01", "2024-05-31"),
        "eligible",
        800,
        "2024-03-01..2024-05-31",
    ),
    case(
        "1 Mar-30 May short",
        span("2024-03-01", "2024-05-30"),
        "ineligible",
        0,
        "2024-03-01..2024-05-30",
        NO,
    ),
    case(
        "31 Jan-29 Apr is 3 months (S+3 = 30 Apr)",
        span("2024-01-31", "2024-04-29"),
        "eligible",
        800,
    ),
    case("31 Jan-28 Apr short", span("2024-01-31", "2024-04-28"), "ineligible", 0, NO),
    case("30 Nov-28 Feb leap year is 3 months", span("2023-11-30", "2024-02-28"), "eligible", 800),
    case("30 Nov-27 Feb leap year short", span("2023-11-30", "2024-02-27"), "ineligible", 0, NO),
    case(
        "30 Nov-27 Feb is 3 months (S+3 = 28 Feb)",
        span("2022-11-30", "2023-02-27"),
        "eligible",
        800,
    ),
    case("a year and more", span("2023-01-01", "2024-06-30"), "eligible", 800),
    case("one day", span("2024-03-01", "2024-03-01"), "ineligible", 0, NO),
    # 户籍 must be 青海; 跨省: work province differs
    case("hukou 青海省", {"hukou_province": "青海省"}, "eligible", 800),
    case("hukou 63", {"hukou_province": "63"}, "eligible", 800),
    case("hukou 甘肃, working in 江苏", {"hukou_province": "甘肃"}, "ineligible", 0, "甘肃", NO),
    case(
        "hukou 62, working in 青海",
        {"hukou_province": "62", "work_province": "青海"},
        "ineligible",
        0,
        NO,
    ),
    case("hukou not a province", {"hukou_province": "青海湖"}, "invalid", 0, "hukou_province"),
    case("working in 青海 is not 跨省", {"work_province": "青海"}, "ineligible", 0, NO),
    case("working in 青海省 is not 跨省", {"work_province": "青海省"}, "ineligible", 0, NO),
    case("working in 63 is not 跨省", {"work_province": "63"}, "ineligible", 0, NO),
    case("working in 江苏省", {"work_province": "江苏省"}, "eligible", 800),
    case("working in 32", {"work_province": "32"}, "eligible", 800),
    case("working in 广东", {"work_province": "广东"}, "eligible", 800),
    case("working in 新疆维吾尔自治区", {"work_province": "新疆维吾尔自治区"}, "eligible", 800),
    case("working in 西藏自治区", {"work_province": "西藏自治区"}, "eligible", 800),
    case("working in 北京市", {"work_province": "北京市"}, "eligible", 800),
    case("working in 广西壮族自治区", {"work_province": "广西壮族自治区"}, "eligible", 800),
    case("working in 新疆自治区", {"work_province": "新疆自治区"}, "eligible", 800),
    case("working in 内蒙古", {"work_province": "内蒙古"}, "eligible", 800),
    case("work province not a province", {"work_province": "海西"}, "invalid", 0, "work_province"),
    case("work province blank", {"work_province": ""}, "invalid", 0, "work_province"),
    # in force from 2022-02-07 by employed_from
    case(
        "employed the day before the document",
        span("2022-02-06", "2022-06-30"),
        "ineligible",
        0,
        "2022-02-06",
        NO,
    ),
    case("employed from the document's date", span("2022-02-07", "2022-05-06"), "eligible", 800),
    # invalid data
    case("until before from", span("2024-05-31", "2024-03-01"), "invalid", 0, "employed_until"),
    case("person id check character", {"person_id": "BADID:19880808"}, "invalid", 0, "person_id"),
    case("person id lower-case x", {"person_id": "XID:19880808"}, "eligible", 800),
    case(
        "person id unreal birth date",
        {"person_id": "RAWID:63280119880931001"},
        "invalid",
        0,
        "person_id",
    ),
    case("person born in the future", {"person_id": "ID:20270101"}, "invalid", 0, "person_id"),
    case("employed_from unparseable", {"employed_from": "2024-3-x"}, "invalid", 0, "employed_from"),
    case("employed_until blank", {"employed_until": ""}, "invalid", 0, "employed_until"),
    case("person name blank", {"person_name": ""}, "invalid", 0, "person_name"),
]


@pytest.mark.parametrize("overrides,status,amount,fragments,as_of", CASES)
def test_rule(check, overrides, status, amount, fragments, as_of):
    check(PROGRAM, BASE, overrides, status, amount, fragments, as_of)


def batch(name, rows, *expected, as_of=None):
    return pytest.param(rows, expected, as_of, id=name)


BATCHES = [
    batch(
        "same person twice, another job and year: duplicate naming the first",
        [
            {"claim_id": "T1"},
            {
                "claim_id": "T2",
                "work_province": "广东",
                **span("2024-07-01", "2024-12-31"),
                "fare": "500",
            },
        ],
        ("eligible", 800),
        ("duplicate", 0, "T1"),
    ),
    batch(
        "two people: both paid",
        [{"claim_id": "T1"}, {"claim_id": "T2", "person_id": "ID:19880808:002", "fare": "1500"}],
        ("eligible", 800),
        ("eligible", 1000),
    ),
    batch(
        "too short first claim does not block the corrected one",
        [{"claim_id": "T1", **span("2024-03-01", "2024-04-30")}, {"claim_id": "T2"}],
        ("ineligible", 0),
        ("eligible", 800),
    ),
    batch(
        "invalid first claim does not block",
        [{"claim_id": "T1", "fare": "x"}, {"claim_id": "T2"}],
        ("invalid", 0, "fare"),
        ("eligible", 800),
    ),
    batch(
        "repeated claim_id: later row invalid",
        [{"claim_id": "T1"}, {"claim_id": "T1", "person_id": "ID:19880808:002"}],
        ("eligible", 800),
        ("invalid", 0, "claim_id"),
    ),
]


@pytest.mark.parametrize("rows,expected,as_of", BATCHES)
def test_file(check_batch, rows, expected, as_of):
    check_batch(PROGRAM, BASE, rows, expected, as_of)


def test_citation(check):
    row = check(PROGRAM, BASE, {}, "eligible", 800, (), None)
    assert "三(六)" in unicodedata.normalize("NFKC", row["citation"])
    assert str(row["decided_on"]) == "2024-03-01"
