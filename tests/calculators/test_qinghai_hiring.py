"""qinghai.hiring_bonus — 青海 吸纳就业一次性奖励.

青海省劳务品牌建设的实施意见（征求意见稿） 三(六): "对劳务品牌企业及就业帮扶车间(包括农业专业合作社、
个体工商户和民办非企业单位)新增就业岗位吸纳就业困难人员、离校2年未就业高校毕业生、退役军人、脱贫劳动力和
监测帮扶对象就业,依法签订劳动合同并缴纳社会保险费的,给予其社保补贴和每吸纳一人1000元的一次性奖励".
Readings (docs/policies/README.md): graduate window hired_on < graduated_on + 24 months
(month-end rule), hired before graduated_on → ineligible, blank graduated_on for a graduate →
invalid, graduated_on for another group ignored; under 16 on hired_on → ineligible; one-time
key: the person hired, whichever employer; in force from 2022-02-07 by hired_on.
"""

from __future__ import annotations

import unicodedata

import pytest

PROGRAM = "qinghai.hiring_bonus"
BASE = {
    "claim_id": "H1",
    "employer_name": "青海高原劳务有限公司",
    "employer_credit_code": "CC:1",
    "employer_type": "劳务品牌企业",
    "employee_name": "王五",
    "employee_id": "ID:19900101",
    "employee_group": "就业困难人员",
    "hired_on": "2024-03-01",
    "new_post": "是",
    "contract_signed": "是",
    "social_insurance_paid": "是",
    "graduated_on": "",
}
NO = ": no"


def case(name, overrides, status, amount=0, *fragments, as_of=None):
    return pytest.param(overrides, status, amount, fragments, as_of, id=name)


def graduate(graduated_on, hired_on):
    return {
        "employee_group": "离校2年未就业高校毕业生",
        "graduated_on": graduated_on,
        "hired_on": hired_on,
    }


CASES = [
    # employer: 劳务品牌企业 or 就业帮扶车间
    case(
        "employer 劳务品牌企业", {"employer_type": "劳务品牌企业"}, "eligible", 1000, "劳务品牌企业"
    ),
    case("employer brand_enterprise", {"employer_type": "brand_enterprise"}, "eligible", 1000),
    case(
        "employer 就业帮扶车间", {"employer_type": "就业帮扶车间"}, "eligible", 1000, "就业帮扶车间"
    ),
    case(
        "employer assistance_workshop", {"employer_type": "assistance_workshop"}, "eligible", 1000
    ),
    case("employer 其他", {"employer_type": "其他"}, "ineligible", 0, "其他", NO),
    case("employer other", {"employer_type": "other"}, "ineligible", 0, NO),
    case("employer type unknown", {"employer_type": "国有企业"}, "invalid", 0, "employer_type"),
    # the five groups, and 其他
    case(
        "group 就业困难人员", {"employee_group": "就业困难人员"}, "eligible", 1000, "就业困难人员"
    ),
    case("group difficulty", {"employee_group": "difficulty"}, "eligible", 1000),
    case("group 退役军人", {"employee_group": "退役军人"}, "eligible", 1000, "退役军人"),
    case("group veteran", {"employee_group": "veteran"}, "eligible", 1000),
    case("group 脱贫劳动力", {"employee_group": "脱贫劳动力"}, "eligible", 1000, "脱贫劳动力"),
    case("group poverty_alleviated", {"employee_group": "poverty_alleviated"}, "eligible", 1000),
    case(
        "group 监测帮扶对象", {"employee_group": "监测帮扶对象"}, "eligible", 1000, "监测帮扶对象"
    ),
    case("group monitored", {"employee_group": "monitored"}, "eligible", 1000),
    case(
        "group 离校2年未就业高校毕业生",
        graduate("2023-07-01", "2024-03-01"),
        "eligible",
        1000,
        "离校2年未就业高校毕业生",
    ),
    case(
        "group graduate",
        {**graduate("2023-07-01", "2024-03-01"), "employee_group": "graduate"},
        "eligible",
        1000,
    ),
    case("group 其他", {"employee_group": "其他"}, "ineligible", 0, "其他", NO),
    case("group other", {"employee_group": "other"}, "ineligible", 0, NO),
    case("group unknown", {"employee_group": "农民工"}, "invalid", 0, "employee_group"),
    # 新增就业岗位, 签订劳动合同, 缴纳社会保险费; yes/no spellings
    *[
        case(f"new post {v}", {"new_post": v}, "eligible", 1000)
        for v in ("是", "yes", "1", "true", "Y", "TRUE")
    ],
    *[
        case(f"not a new post {v}", {"new_post": v}, "ineligible", 0, NO)
        for v in ("否", "no", "0", "false")
    ],
    case("no contract 否", {"contract_signed": "否"}, "ineligible", 0, NO),
    case("no contract no", {"contract_signed": "no"}, "ineligible", 0, NO),
    case("no social insurance 否", {"social_insurance_paid": "否"}, "ineligible", 0, NO),
    case("no social insurance 0", {"social_insurance_paid": "0"}, "ineligible", 0, NO),
    case("social insurance yes", {"social_insurance_paid": "yes"}, "eligible", 1000),
    case("new post not yes/no", {"new_post": "待定"}, "invalid", 0, "new_post"),
    case("contract blank", {"contract_signed": ""}, "invalid", 0, "contract_signed"),
    case(
        "social insurance blank",
        {"social_insurance_paid": ""},
        "invalid",
        0,
        "social_insurance_paid",
    ),
    # 离校2年: hired_on < graduated_on + 24 months
    case(
        "graduate hired on the last day of the window",
        graduate("2022-06-30", "2024-06-29"),
        "eligible",
        1000,
    ),
    case(
        "graduate hired on graduated_on + 24 months",
        graduate("2022-06-30", "2024-06-30"),
        "ineligible",
        0,
        NO,
    ),
    case(
        "graduate hired 2 years and a month later",
        graduate("2022-06-30", "2024-07-31"),
        "ineligible",
        0,
        NO,
    ),
    case(
        "graduate 31 Aug, hired 30 Aug two years on",
        graduate("2022-08-31", "2024-08-30"),
        "eligible",
        1000,
    ),
    case(
        "graduate 31 Aug, hired 31 Aug two years on",
        graduate("2022-08-31", "2024-08-31"),
        "ineligible",
        0,
        NO,
    ),
    case(
        "graduate 29 Feb 2020, window ends 28 Feb 2022: hired 27 Feb",
        graduate("2020-02-29", "2022-02-27"),
        "eligible",
        1000,
    ),
    case(
        "graduate 29 Feb 2020, hired 28 Feb 2022",
        graduate("2020-02-29", "2022-02-28"),
        "ineligible",
        0,
        NO,
    ),
    case(
        "graduate hired on the day of leaving school",
        graduate("2024-03-01", "2024-03-01"),
        "eligible",
        1000,
    ),
    case(
        "graduate hired before leaving school",
        graduate("2024-03-02", "2024-03-01"),
        "ineligible",
        0,
        "2024-03-02",
        NO,
    ),
    case(
        "graduate with blank graduated_on", graduate("", "2024-03-01"), "invalid", 0, "graduated_on"
    ),
    case(
        "graduate with unparseable graduated_on",
        graduate("2023-02-30", "2024-03-01"),
        "invalid",
        0,
        "graduated_on",
    ),
    case(
        "graduated_on for a veteran is ignored",
        {"employee_group": "退役军人", "graduated_on": "2010-07-01"},
        "eligible",
        1000,
    ),
    case(
        "graduated_on after hiring for a veteran is ignored",
        {"employee_group": "veteran", "graduated_on": "2024-07-01"},
        "eligible",
        1000,
    ),
    case(
        "junk graduated_on for a veteran is ignored",
        {"employee_group": "退役军人", "graduated_on": "不适用"},
        "eligible",
        1000,
    ),
    # 劳动法 第十五条: 16 on hired_on
    case(
        "hired on the 16th birthday",
        {"employee_id": "ID:20080315", "hired_on": "2024-03-15"},
        "eligible",
        1000,
    ),
    case(
        "hired the day before the 16th birthday",
        {"employee_id": "ID:20080315", "hired_on": "2024-03-14"},
        "ineligible",
        0,
        "15",
        NO,
    ),
    case(
        "29 Feb birthday, hired 29 Feb at 16",
        {"employee_id": "ID:20080229", "hired_on": "2024-02-29"},
        "eligible",
        1000,
    ),
    case(
        "29 Feb birthday, hired 28 Feb at 15",
        {"employee_id": "ID:20080229", "hired_on": "2024-02-28"},
        "ineligible",
        0,
        NO,
    ),
    # in force from 2022-02-07 by hired_on
    case(
        "hired the day before the document",
        {"hired_on": "2022-02-06"},
        "ineligible",
        0,
        "2022-02-06",
        NO,
    ),
    case("hired on the document's date", {"hired_on": "2022-02-07"}, "eligible", 1000),
    # invalid data
    case(
        "employee id check character",
        {"employee_id": "BADID:19900101"},
        "invalid",
        0,
        "employee_id",
    ),
    case("employee id lower-case x", {"employee_id": "XID:19900101"}, "eligible", 1000),
    case(
        "employee id unreal birth date",
        {"employee_id": "RAWID:63280119901301001"},
        "invalid",
        0,
        "employee_id",
    ),
    case(
        "employee born in the future", {"employee_id": "ID:20260101"}, "invalid", 0, "employee_id"
    ),
    case(
        "employer credit code check character",
        {"employer_credit_code": "BADCC:1"},
        "invalid",
        0,
        "employer_credit_code",
    ),
    case(
        "employer credit code blank",
        {"employer_credit_code": ""},
        "invalid",
        0,
        "employer_credit_code",
    ),
    case("hired_on unparseable", {"hired_on": "2024-02-30"}, "invalid", 0, "hired_on"),
    case("hired_on blank", {"hired_on": ""}, "invalid", 0, "hired_on"),
    case("employee name blank", {"employee_name": ""}, "invalid", 0, "employee_name"),
    case("employer name blank", {"employer_name": ""}, "invalid", 0, "employer_name"),
]


@pytest.mark.parametrize("overrides,status,amount,fragments,as_of", CASES)
def test_rule(check, overrides, status, amount, fragments, as_of):
    check(PROGRAM, BASE, overrides, status, amount, fragments, as_of)


def batch(name, rows, *expected, as_of=None):
    return pytest.param(rows, expected, as_of, id=name)


OTHER_EMPLOYER = {
    "employer_name": "德令哈帮扶车间",
    "employer_credit_code": "CC:2",
    "employer_type": "就业帮扶车间",
}
BATCHES = [
    batch(
        "same person, another employer: duplicate naming the first",
        [{"claim_id": "H1"}, {"claim_id": "H2", **OTHER_EMPLOYER, "hired_on": "2024-09-01"}],
        ("eligible", 1000),
        ("duplicate", 0, "H1"),
    ),
    batch(
        "same person, same employer, other group: duplicate",
        [{"claim_id": "H1"}, {"claim_id": "H2", "employee_group": "退役军人"}],
        ("eligible", 1000),
        ("duplicate", 0, "H1"),
    ),
    batch(
        "two people, same employer: both paid",
        [{"claim_id": "H1"}, {"claim_id": "H2", "employee_id": "ID:19850505:003"}],
        ("eligible", 1000),
        ("eligible", 1000),
    ),
    batch(
        "refused first claim does not block a corrected one",
        [{"claim_id": "H1", "contract_signed": "否"}, {"claim_id": "H2"}],
        ("ineligible", 0),
        ("eligible", 1000),
    ),
    batch(
        "a refused later claim is not a duplicate",
        [{"claim_id": "H1"}, {"claim_id": "H2", **OTHER_EMPLOYER, "new_post": "否"}],
        ("eligible", 1000),
        ("ineligible", 0),
    ),
    batch(
        "x and X are the same person",
        [
            {"claim_id": "H1", "employee_id": "XIDUP:19930303"},
            {"claim_id": "H2", "employee_id": "XID:19930303", **OTHER_EMPLOYER},
        ],
        ("eligible", 1000),
        ("duplicate", 0, "H1"),
    ),
    batch(
        "three claims for one person: second and third name the first",
        [{"claim_id": "H1"}, {"claim_id": "H2", **OTHER_EMPLOYER}, {"claim_id": "H3"}],
        ("eligible", 1000),
        ("duplicate", 0, "H1"),
        ("duplicate", 0, "H1"),
    ),
    batch(
        "repeated claim_id: later row invalid",
        [{"claim_id": "H1"}, {"claim_id": "H1", "employee_id": "ID:19850505:003"}],
        ("eligible", 1000),
        ("invalid", 0, "claim_id"),
    ),
]


@pytest.mark.parametrize("rows,expected,as_of", BATCHES)
def test_file(check_batch, rows, expected, as_of):
    check_batch(PROGRAM, BASE, rows, expected, as_of)


def test_citation(check):
    row = check(PROGRAM, BASE, {}, "eligible", 1000, (), None)
    assert "三(六)" in unicodedata.normalize("NFKC", row["citation"])
    assert str(row["decided_on"]) == "2024-03-01"
