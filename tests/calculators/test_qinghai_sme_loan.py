"""qinghai.specialised_sme and qinghai.guarantee_loan.

青海省劳务品牌建设的实施意见（征求意见稿） 四(九): "对被认定为省级“专精特新”的,给予不高于50万元的一次性奖励;
对被认定为国家级专精特新“小巨人”的,给予不高于100万元的一次性奖励" — under "发挥劳务品牌龙头企业引领作用".
四(十一): "个人自主创业的,创业担保贷款最高贷款额度为20万元;合伙创业的,按符合条件的合伙创业人数累加,
按每人上浮10%的比例计算担保额度,总额度最高不超过220万元;给予小微企业最高不超过400万元的创业贷款".
Readings (docs/policies/README.md): 不高于/最高不超过 X → min(requested, X); partnership
ceiling min(n × 220,000, 2,200,000), blank or 0 partners → invalid; borrower_id is a 身份证号
for an individual or partnership and a 统一社会信用代码 for a small or micro enterprise; the
专精特新 one-time key is unit and recognition; neither program has an event date, so the
as-of date decides "in force" (from 2022-02-07).
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

SME = "qinghai.specialised_sme"
LOAN = "qinghai.guarantee_loan"
NO = ": no"

SME_BASE = {
    "claim_id": "Z1",
    "unit_name": "青海昆仑技工科技有限公司",
    "credit_code": "CC:21",
    "brand_lead_enterprise": "是",
    "recognition": "省级专精特新",
    "requested_amount": "500000",
}
LOAN_BASE = {
    "claim_id": "L1",
    "borrower_name": "张三",
    "borrower_id": "ID:19900101",
    "borrower_kind": "个人",
    "eligible_partners": "",
    "requested_amount": "150000",
}
NATIONAL = '国家级专精特新"小巨人"'


def case(name, overrides, status, amount=0, *fragments, as_of=None):
    return pytest.param(overrides, status, amount, fragments, as_of, id=name)


def sme(recognition, requested):
    return {"recognition": recognition, "requested_amount": requested}


SME_CASES = [
    # 省级专精特新: at most 500,000
    case("provincial 300,000", sme("省级专精特新", "300000"), "eligible", 300000, "省级专精特新"),
    case("provincial exactly 500,000", sme("省级专精特新", "500000"), "eligible", 500000),
    case("provincial 500,000.01 capped", sme("省级专精特新", "500000.01"), "eligible", 500000),
    case(
        "provincial 600,000 capped",
        sme("provincial", "600000"),
        "eligible",
        500000,
        ("600000", "600,000"),
    ),
    case("provincial ¥450,000.00", sme("provincial", "¥450,000.00"), "eligible", 450000),
    case(
        "provincial 1,000,000 capped at 500,000", sme("省级专精特新", "1000000"), "eligible", 500000
    ),
    # 国家级专精特新"小巨人": at most 1,000,000
    case("national 800,000", sme(NATIONAL, "800000"), "eligible", 800000, "小巨人"),
    case("national exactly 1,000,000", sme(NATIONAL, "1000000"), "eligible", 1000000),
    case(
        "national 1,500,000 capped",
        sme(NATIONAL, "1500000"),
        "eligible",
        1000000,
        ("1500000", "1,500,000"),
    ),
    case("national English value", sme("national_little_giant", "1200000"), "eligible", 1000000),
    case(
        "national label with Chinese quotes",
        sme("国家级专精特新“小巨人”", "900000"),
        "eligible",
        900000,
    ),
    case("recognition unknown", sme("市级专精特新", "100000"), "invalid", 0, "recognition"),
    case("recognition blank", sme("", "100000"), "invalid", 0, "recognition"),
    # 劳务品牌行业龙头企业
    case("not a brand lead enterprise 否", {"brand_lead_enterprise": "否"}, "ineligible", 0, NO),
    case("not a brand lead enterprise no", {"brand_lead_enterprise": "no"}, "ineligible", 0, NO),
    case("brand lead enterprise 1", {"brand_lead_enterprise": "1"}, "eligible", 500000),
    case("brand lead enterprise true", {"brand_lead_enterprise": "true"}, "eligible", 500000),
    case(
        "brand lead enterprise blank",
        {"brand_lead_enterprise": ""},
        "invalid",
        0,
        "brand_lead_enterprise",
    ),
    # in force from 2022-02-07 by the as-of date
    case(
        "as of the day before the document",
        {},
        "ineligible",
        0,
        "2022-02-06",
        NO,
        as_of=dt.date(2022, 2, 6),
    ),
    case("as of the document's date", {}, "eligible", 500000, as_of=dt.date(2022, 2, 7)),
    # invalid data
    case("requested amount blank", {"requested_amount": ""}, "invalid", 0, "requested_amount"),
    case(
        "requested amount in words",
        {"requested_amount": "五十万"},
        "invalid",
        0,
        "requested_amount",
    ),
    case("credit code check character", {"credit_code": "BADCC:21"}, "invalid", 0, "credit_code"),
    case(
        "credit code is a resident id", {"credit_code": "ID:19900101"}, "invalid", 0, "credit_code"
    ),
    case("unit name blank", {"unit_name": ""}, "invalid", 0, "unit_name"),
]


@pytest.mark.parametrize("overrides,status,amount,fragments,as_of", SME_CASES)
def test_specialised_sme(check, overrides, status, amount, fragments, as_of):
    check(SME, SME_BASE, overrides, status, amount, fragments, as_of)


def loan(kind, requested, partners="", borrower_id=None):
    row = {"borrower_kind": kind, "requested_amount": requested, "eligible_partners": partners}
    if borrower_id:
        row["borrower_id"] = borrower_id
    return row


ENTERPRISE = "CC:31"
LOAN_CASES = [
    # individual: at most 200,000
    case("individual 150,000", loan("个人", "150000"), "eligible", 150000, "个人"),
    case("individual exactly 200,000", loan("个人", "200000"), "eligible", 200000),
    case(
        "individual 250,000 capped",
        loan("individual", "250000"),
        "eligible",
        200000,
        ("250000", "250,000"),
    ),
    case("individual 200,000.50 capped", loan("individual", "200000.50"), "eligible", 200000),
    case(
        "individual partners column ignored",
        loan("个人", "300000", partners="3"),
        "eligible",
        200000,
    ),
    # partnership: min(requested, n × 220,000, 2,200,000)
    case("partnership 1 partner", loan("合伙创业", "300000", "1"), "eligible", 220000, "合伙创业"),
    case(
        "partnership 3 partners capped at 660,000",
        loan("合伙创业", "700000", "3"),
        "eligible",
        660000,
        ("660000", "660,000"),
    ),
    case(
        "partnership 3 partners, 500,000 asked",
        loan("partnership", "500000", "3"),
        "eligible",
        500000,
    ),
    case(
        "partnership 3 partners, exactly 660,000",
        loan("partnership", "660000", "3"),
        "eligible",
        660000,
    ),
    case("partnership 9 partners", loan("partnership", "2500000", "9"), "eligible", 1980000),
    case(
        "partnership 10 partners reach the cap",
        loan("partnership", "2500000", "10"),
        "eligible",
        2200000,
    ),
    case(
        "partnership 12 partners still capped",
        loan("partnership", "3000000", "12"),
        "eligible",
        2200000,
    ),
    case(
        "partnership 12 partners, 2,000,000 asked",
        loan("partnership", "2000000", "12"),
        "eligible",
        2000000,
    ),
    case(
        "partnership blank partners",
        loan("合伙创业", "500000", ""),
        "invalid",
        0,
        "eligible_partners",
    ),
    case(
        "partnership 0 partners", loan("合伙创业", "500000", "0"), "invalid", 0, "eligible_partners"
    ),
    case(
        "partnership partners not a number",
        loan("合伙创业", "500000", "三"),
        "invalid",
        0,
        "eligible_partners",
    ),
    # small or micro enterprise: at most 4,000,000; borrower_id a credit code
    case(
        "enterprise 3,000,000",
        loan("小微企业", "3000000", borrower_id=ENTERPRISE),
        "eligible",
        3000000,
        "小微企业",
    ),
    case(
        "enterprise exactly 4,000,000",
        loan("小微企业", "4000000", borrower_id=ENTERPRISE),
        "eligible",
        4000000,
    ),
    case(
        "enterprise 5,000,000 capped",
        loan("small_micro_enterprise", "5000000", borrower_id=ENTERPRISE),
        "eligible",
        4000000,
        ("5000000", "5,000,000"),
    ),
    # borrower_id: the kind of number follows borrower_kind
    case("enterprise with a resident id", loan("小微企业", "1000000"), "invalid", 0, "borrower_id"),
    case(
        "individual with a credit code",
        loan("个人", "100000", borrower_id=ENTERPRISE),
        "invalid",
        0,
        "borrower_id",
    ),
    case(
        "partnership with a credit code",
        loan("合伙创业", "100000", "2", borrower_id=ENTERPRISE),
        "invalid",
        0,
        "borrower_id",
    ),
    case(
        "individual id check character",
        loan("个人", "100000", borrower_id="BADID:19900101"),
        "invalid",
        0,
        "borrower_id",
    ),
    case(
        "individual id lower-case x",
        loan("个人", "100000", borrower_id="XID:19900101"),
        "eligible",
        100000,
    ),
    case(
        "enterprise credit code check character",
        loan("小微企业", "100000", borrower_id="BADCC:31"),
        "invalid",
        0,
        "borrower_id",
    ),
    case("borrower id blank", loan("个人", "100000", borrower_id=" "), "invalid", 0, "borrower_id"),
    case("borrower kind unknown", loan("国有企业", "100000"), "invalid", 0, "borrower_kind"),
    case("requested amount blank", loan("个人", ""), "invalid", 0, "requested_amount"),
    case(
        "requested amount not an amount", loan("个人", "二十万"), "invalid", 0, "requested_amount"
    ),
    case("borrower name blank", {"borrower_name": ""}, "invalid", 0, "borrower_name"),
    # in force from 2022-02-07 by the as-of date
    case(
        "as of the day before the document",
        {},
        "ineligible",
        0,
        "2022-02-06",
        NO,
        as_of=dt.date(2022, 2, 6),
    ),
    case("as of the document's date", {}, "eligible", 150000, as_of=dt.date(2022, 2, 7)),
]


@pytest.mark.parametrize("overrides,status,amount,fragments,as_of", LOAN_CASES)
def test_guarantee_loan(check, overrides, status, amount, fragments, as_of):
    check(LOAN, LOAN_BASE, overrides, status, amount, fragments, as_of)


def batch(name, program, base, rows, *expected, as_of=None):
    return pytest.param(program, base, rows, expected, as_of, id=name)


BATCHES = [
    batch(
        "专精特新: same unit, same recognition: duplicate naming the first",
        SME,
        SME_BASE,
        [{"claim_id": "Z1"}, {"claim_id": "Z2", "requested_amount": "200000"}],
        ("eligible", 500000),
        ("duplicate", 0, "Z1"),
    ),
    batch(
        "专精特新: provincial then national for the same unit: each once",
        SME,
        SME_BASE,
        [{"claim_id": "Z1"}, {"claim_id": "Z2", **sme(NATIONAL, "1000000")}],
        ("eligible", 500000),
        ("eligible", 1000000),
    ),
    batch(
        "专精特新: same recognition, two units",
        SME,
        SME_BASE,
        [
            {"claim_id": "Z1"},
            {"claim_id": "Z2", "unit_name": "海东拉面匠人公司", "credit_code": "CC:22"},
        ],
        ("eligible", 500000),
        ("eligible", 500000),
    ),
    batch(
        "专精特新: refused first claim does not block",
        SME,
        SME_BASE,
        [{"claim_id": "Z1", "brand_lead_enterprise": "否"}, {"claim_id": "Z2"}],
        ("ineligible", 0),
        ("eligible", 500000),
    ),
    batch(
        "专精特新: repeated claim_id",
        SME,
        SME_BASE,
        [{"claim_id": "Z1"}, {"claim_id": "Z1", "credit_code": "CC:22"}],
        ("eligible", 500000),
        ("invalid", 0, "claim_id"),
    ),
    batch(
        "loan: not a one-time payout, the same borrower twice is decided twice",
        LOAN,
        LOAN_BASE,
        [{"claim_id": "L1"}, {"claim_id": "L2", "requested_amount": "300000"}],
        ("eligible", 150000),
        ("eligible", 200000),
    ),
    batch(
        "loan: repeated claim_id",
        LOAN,
        LOAN_BASE,
        [{"claim_id": "L1"}, {"claim_id": "L1", "borrower_id": "ID:19910101:004"}],
        ("eligible", 150000),
        ("invalid", 0, "claim_id"),
    ),
]


@pytest.mark.parametrize("program,base,rows,expected,as_of", BATCHES)
def test_file(check_batch, program, base, rows, expected, as_of):
    check_batch(program, base, rows, expected, as_of)


def test_citations(check):
    row = check(SME, SME_BASE, {}, "eligible", 500000, (), None)
    assert "四(九)" in unicodedata.normalize("NFKC", row["citation"])
    assert str(row["decided_on"]) == "2025-06-30"  # no event date: the as-of date
    row = check(LOAN, LOAN_BASE, {}, "eligible", 150000, (), None)
    assert "四(十一)" in unicodedata.normalize("NFKC", row["citation"])
    assert str(row["decided_on"]) == "2025-06-30"
