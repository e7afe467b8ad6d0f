"""qinghai.goji_broker — 青海 劳务经纪人枸杞采摘补贴.

青海省劳务品牌建设的实施意见（征求意见稿） 三(六): "对劳务经纪人组织带领我省户籍农牧民赴海西采摘
枸杞2个月以上不足6个月的,按每人50元标准给予补贴(其中,对组织带领脱贫劳动力、监测对象、就业困难人员
转移就业的,在上述补贴的基础上增加50元)".
Readings (docs/policies/README.md): 2 ≤ months < 6 counted in calendar months with both
ends inclusive; 海西 and its county-level places; under 16 on start_date → ineligible;
the same worker on two claims whose periods share a day → the later is a duplicate of the
earlier *eligible* one; in force from 2022-02-07 by start_date.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

PROGRAM = "qinghai.goji_broker"
BASE = {
    "claim_id": "G1",
    "broker_name": "马经纪",
    "broker_id": "ID:19800505:011",
    "worker_name": "李四",
    "worker_id": "ID:19900101",
    "worker_hukou": "青海",
    "farmer_herder": "是",
    "destination": "海西",
    "start_date": "2024-07-01",
    "end_date": "2024-08-31",
    "worker_group": "脱贫劳动力",
}
NO = ": no"


def case(name, overrides, status, amount=0, *fragments, as_of=None):
    return pytest.param(overrides, status, amount, fragments, as_of, id=name)


def span(start, end):
    return {"start_date": start, "end_date": end}


CASES = [
    # amounts: 50 per worker, +50 for 脱贫劳动力 / 监测对象 / 就业困难人员
    case("group 脱贫劳动力 +50", {"worker_group": "脱贫劳动力"}, "eligible", 100, "脱贫劳动力"),
    case("group poverty_alleviated +50", {"worker_group": "poverty_alleviated"}, "eligible", 100),
    case("group 监测对象 +50", {"worker_group": "监测对象"}, "eligible", 100, "监测对象"),
    case("group monitored +50", {"worker_group": "monitored"}, "eligible", 100),
    case(
        "group 就业困难人员 +50", {"worker_group": "就业困难人员"}, "eligible", 100, "就业困难人员"
    ),
    case("group difficulty +50", {"worker_group": "difficulty"}, "eligible", 100),
    case("group 其他 base only", {"worker_group": "其他"}, "eligible", 50, "其他"),
    case("group other base only", {"worker_group": "other"}, "eligible", 50),
    case("group unknown label", {"worker_group": "学生"}, "invalid", 0, "worker_group"),
    case("group blank", {"worker_group": ""}, "invalid", 0, "worker_group"),
    # 我省户籍
    case("hukou 青海", {"worker_hukou": "青海"}, "eligible", 100),
    case("hukou 青海省", {"worker_hukou": "青海省"}, "eligible", 100),
    case("hukou code 63", {"worker_hukou": "63"}, "eligible", 100),
    case("hukou 甘肃", {"worker_hukou": "甘肃"}, "ineligible", 0, "甘肃", NO),
    case("hukou 甘肃省", {"worker_hukou": "甘肃省"}, "ineligible", 0, "甘肃", NO),
    case("hukou code 62", {"worker_hukou": "62"}, "ineligible", 0, NO),
    case("hukou not a province", {"worker_hukou": "火星"}, "invalid", 0, "worker_hukou"),
    # 农牧民, yes/no spellings
    *[
        case(f"farmer {v}", {"farmer_herder": v}, "eligible", 100)
        for v in ("是", "yes", "1", "true", "YES", "True")
    ],
    *[
        case(f"not farmer {v}", {"farmer_herder": v}, "ineligible", 0, NO)
        for v in ("否", "no", "0", "false")
    ],
    case("farmer not yes/no", {"farmer_herder": "也许"}, "invalid", 0, "farmer_herder"),
    # 赴海西: 海西州 and its county-level places
    *[
        case(f"destination {place}", {"destination": place}, "eligible", 100)
        for place in (
            "海西",
            "海西州",
            "海西蒙古族藏族自治州",
            "青海省海西州",
            "青海海西",
            "格尔木",
            "格尔木市",
            "德令哈",
            "德令哈市",
            "茫崖",
            "茫崖市",
            "大柴旦",
            "乌兰",
            "乌兰县",
            "都兰",
            "都兰县",
            "天峻",
            "天峻县",
        )
    ],
    *[
        case(f"destination {place} not 海西", {"destination": place}, "ineligible", 0, place, NO)
        for place in ("西宁", "西宁市", "海东市", "青海省", "新疆")
    ],
    # 2个月以上不足6个月: calendar months, both ends inclusive (README examples)
    case(
        "1 Jul-31 Aug is 2 months",
        span("2024-07-01", "2024-08-31"),
        "eligible",
        100,
        "2024-07-01..2024-08-31",
    ),
    case(
        "1 Jul-30 Aug short",
        span("2024-07-01", "2024-08-30"),
        "ineligible",
        0,
        "2024-07-01..2024-08-30",
        NO,
    ),
    case("15 Jul-14 Sep is 2 months", span("2024-07-15", "2024-09-14"), "eligible", 100),
    case(
        "15 Jul-13 Sep short",
        span("2024-07-15", "2024-09-13"),
        "ineligible",
        0,
        "2024-07-15..2024-09-13",
        NO,
    ),
    case("31 Dec-27 Feb is 2 months", span("2022-12-31", "2023-02-27"), "eligible", 100),
    case("31 Dec-26 Feb short", span("2022-12-31", "2023-02-26"), "ineligible", 0, NO),
    case("31 Dec-28 Feb leap year is 2 months", span("2023-12-31", "2024-02-28"), "eligible", 100),
    case("31 Dec-27 Feb leap year short", span("2023-12-31", "2024-02-27"), "ineligible", 0, NO),
    case(
        "1 Jun-30 Nov is 6 months, not 不足6个月",
        span("2024-06-01", "2024-11-30"),
        "ineligible",
        0,
        NO,
    ),
    case("1 Jun-29 Nov under 6 months", span("2024-06-01", "2024-11-29"), "eligible", 100),
    case("15 Mar-14 Sep is 6 months", span("2024-03-15", "2024-09-14"), "ineligible", 0, NO),
    case("15 Mar-13 Sep under 6 months", span("2024-03-15", "2024-09-13"), "eligible", 100),
    case("one day", span("2024-07-01", "2024-07-01"), "ineligible", 0, NO),
    case("a year", span("2024-01-01", "2024-12-31"), "ineligible", 0, NO),
    case("dates with slashes", span("2024/07/01", "2024/08/31"), "eligible", 100),
    # 劳动法 第十五条: not under 16 on the first day of work
    case(
        "16th birthday on start_date",
        {"worker_id": "ID:20080701", **span("2024-07-01", "2024-08-31")},
        "eligible",
        100,
    ),
    case(
        "15 the day before 16th birthday",
        {"worker_id": "ID:20080702", **span("2024-07-01", "2024-08-31")},
        "ineligible",
        0,
        "15",
        NO,
    ),
    case(
        "29 Feb birthday reached 29 Feb",
        {"worker_id": "ID:20080229", **span("2024-02-29", "2024-04-28")},
        "eligible",
        100,
    ),
    case(
        "29 Feb birthday not yet on 28 Feb",
        {"worker_id": "ID:20080229", **span("2024-02-28", "2024-04-27")},
        "ineligible",
        0,
        NO,
    ),
    # in force from 2022-02-07 by start_date
    case(
        "start day before the document",
        span("2022-02-06", "2022-04-30"),
        "ineligible",
        0,
        "2022-02-06",
        NO,
    ),
    case("start on the document's date", span("2022-02-07", "2022-04-06"), "eligible", 100),
    # invalid data, naming the column
    case("end before start", span("2024-08-31", "2024-07-01"), "invalid", 0, "end_date"),
    case("worker id check character", {"worker_id": "BADID:19900101"}, "invalid", 0, "worker_id"),
    case(
        "broker id check character", {"broker_id": "BADID:19800505:011"}, "invalid", 0, "broker_id"
    ),
    case("worker id lower-case x", {"worker_id": "XID:19900101"}, "eligible", 100),
    case("worker id too short", {"worker_id": "63280119900101"}, "invalid", 0, "worker_id"),
    case(
        "worker id unreal birth date",
        {"worker_id": "RAWID:63280119900230001"},
        "invalid",
        0,
        "worker_id",
    ),
    case("worker born after as-of", {"worker_id": "ID:20260101"}, "invalid", 0, "worker_id"),
    case("start date unparseable", {"start_date": "2024-13-01"}, "invalid", 0, "start_date"),
    case("end date not a date", {"end_date": "八月底"}, "invalid", 0, "end_date"),
    case("end date blank", {"end_date": ""}, "invalid", 0, "end_date"),
    case("worker name blank", {"worker_name": ""}, "invalid", 0, "worker_name"),
    case("broker id blank", {"broker_id": ""}, "invalid", 0, "broker_id"),
    case("destination blank", {"destination": ""}, "invalid", 0, "destination"),
]


@pytest.mark.parametrize("overrides,status,amount,fragments,as_of", CASES)
def test_rule(check, overrides, status, amount, fragments, as_of):
    check(PROGRAM, BASE, overrides, status, amount, fragments, as_of)


def batch(name, rows, *expected, as_of=None):
    return pytest.param(rows, expected, as_of, id=name)


W2 = "ID:19920202:002"
BATCHES = [
    batch(
        "same worker, periods share one day: later row duplicate",
        [{"claim_id": "G1"}, {"claim_id": "G2", **span("2024-08-31", "2024-10-31")}],
        ("eligible", 100),
        ("duplicate", 0, "G1"),
    ),
    batch(
        "same worker, next period starts the day after: not a duplicate",
        [{"claim_id": "G1"}, {"claim_id": "G2", **span("2024-09-01", "2024-10-31")}],
        ("eligible", 100),
        ("eligible", 100),
    ),
    batch(
        "same worker, later row covers an earlier period: the later row is the duplicate",
        [
            {"claim_id": "G1", **span("2024-09-01", "2024-10-31")},
            {"claim_id": "G2", **span("2024-07-01", "2024-09-01")},
        ],
        ("eligible", 100),
        ("duplicate", 0, "G1"),
    ),
    batch(
        "different workers, same period",
        [{"claim_id": "G1"}, {"claim_id": "G2", "worker_id": W2}],
        ("eligible", 100),
        ("eligible", 100),
    ),
    batch(
        "same worker, other broker, overlapping: still a duplicate",
        [{"claim_id": "G1"}, {"claim_id": "G2", "broker_id": "ID:19750303:021"}],
        ("eligible", 100),
        ("duplicate", 0, "G1"),
    ),
    batch(
        "ineligible first claim does not block a corrected one",
        [
            {"claim_id": "G1", **span("2024-07-01", "2024-08-29")},
            {"claim_id": "G2", **span("2024-07-01", "2024-08-31")},
        ],
        ("ineligible", 0),
        ("eligible", 100),
    ),
    batch(
        "invalid first claim does not block",
        [{"claim_id": "G1", "broker_id": "BADID:19800505:011"}, {"claim_id": "G2"}],
        ("invalid", 0, "broker_id"),
        ("eligible", 100),
    ),
    batch(
        "overlapping later claim that fails a rule stays ineligible",
        [{"claim_id": "G1"}, {"claim_id": "G2", "farmer_herder": "否"}],
        ("eligible", 100),
        ("ineligible", 0),
    ),
    batch(
        "only an eligible claim blocks: a duplicate does not block a third claim",
        [
            {"claim_id": "G1", **span("2024-07-01", "2024-08-31")},
            {"claim_id": "G2", **span("2024-08-15", "2024-10-20")},
            {"claim_id": "G3", **span("2024-09-01", "2024-10-31")},
        ],
        ("eligible", 100),
        ("duplicate", 0, "G1"),
        ("eligible", 100),
    ),
    batch(
        "same worker id, x and X are the same person",
        [
            {"claim_id": "G1", "worker_id": "XID:19950505"},
            {"claim_id": "G2", "worker_id": "XIDUP:19950505"},
        ],
        ("eligible", 100),
        ("duplicate", 0, "G1"),
    ),
    batch(
        "not one-time: the same worker in two separate seasons is paid twice",
        [
            {"claim_id": "G1", **span("2023-07-01", "2023-09-30"), "worker_group": "其他"},
            {"claim_id": "G2", **span("2024-07-01", "2024-09-30"), "worker_group": "其他"},
        ],
        ("eligible", 50),
        ("eligible", 50),
    ),
    batch(
        "repeated claim_id after an invalid row: still invalid",
        [{"claim_id": "G1", "worker_id": "BADID:19900101"}, {"claim_id": "G1", "worker_id": W2}],
        ("invalid", 0, "worker_id"),
        ("invalid", 0, "claim_id"),
    ),
    batch(
        "a row refused for its repeated claim_id takes no key",
        [
            {"claim_id": "G1"},
            {"claim_id": "G1", "worker_id": W2},
            {"claim_id": "G2", "worker_id": W2},
        ],
        ("eligible", 100),
        ("invalid", 0, "claim_id"),
        ("eligible", 100),
    ),
    batch(
        "blank claim_id is invalid",
        [{"claim_id": ""}],
        ("invalid", 0, "claim_id"),
    ),
    batch(
        "repeated claim_id: later row invalid",
        [{"claim_id": "G1"}, {"claim_id": "G1", "worker_id": W2}],
        ("eligible", 100),
        ("invalid", 0, "claim_id"),
    ),
]


@pytest.mark.parametrize("rows,expected,as_of", BATCHES)
def test_file(check_batch, rows, expected, as_of):
    check_batch(PROGRAM, BASE, rows, expected, as_of)


def test_citation_and_decided_on(check):
    row = check(PROGRAM, BASE, {}, "eligible", 100, (), None)
    assert "三(六)" in unicodedata.normalize("NFKC", row["citation"])
    assert "青海" in row["citation"]
    assert str(row["decided_on"]) == "2024-07-01"


def test_as_of_does_not_decide_in_force(check):
    """start_date, not the as-of date, is the claim's date for "in force"."""
    check(PROGRAM, BASE, {}, "eligible", 100, (), dt.date(2025, 1, 2))
