"""Recognition assessments (no money: eligible = the standard is met, amount 0).

- dalian.brand_assessment — 大人社发〔2022〕187号 三(四)2: independent legal person registered in
  Dalian, own brand name or mark, lawful conduct; city level "每年培训人数不低于1000人,培训合格率超过80%",
  "就业不低于1000人,其中:经过特色职业培训的人员比例不低于50%", "劳动合同签订率和劳动用工备案率达到100%";
  district level the same with 500.
- yingkou.brand_assessment — 营人社〔2023〕43号 第八条: 独立法人资格, 固定场所及制度, 无违法违纪及未了结纠纷,
  "运行2年(含)以上"; 独立品牌名称或商标; "近两年总培训人员超过200人,培训后从事该行业人员超过100人",
  "每年培训人数不低于100人", 台账完整; "每年自用或输出特色劳务从业人员不低于培训人数的80%"; 非物质文化遗产类
  企业 "可适当放宽标准" (the numbers still apply; the reasons say the panel may relax them).
- shandong.brand_assessment — 鲁就办〔2021〕22号 二(二): "每年培训人数不低于500人", "每年自用或输出特色劳务
  从业人员不低于500人".
Readings (docs/policies/README.md): 以上/不低于 include the number, 超过 excludes it; in force
by the as-of date from each document's date.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

NO = ": no"
RELAX = ("relax", "放宽")


def case(name, overrides, status, *fragments, as_of=None):
    return pytest.param(overrides, status, fragments, as_of, id=name)


# -- Dalian 三(四)2 -----------------------------------------------------------------

DALIAN = "dalian.brand_assessment"
DALIAN_BASE = {
    "claim_id": "A1",
    "unit_name": "大连海员劳务有限公司",
    "credit_code": "CC:61",
    "level": "city",
    "registered_in_dalian": "是",
    "independent_legal_person": "是",
    "brand_identity": "是",
    "lawful_conduct": "是",
    "trained_per_year": "1000",
    "training_pass_rate": "85",
    "placed_per_year": "1000",
    "placed_trained_share": "50",
    "contract_rate": "100",
    "filing_rate": "100",
}
DISTRICT = {"level": "district", "trained_per_year": "500", "placed_per_year": "500"}

DALIAN_CASES = [
    case("city standard met at every boundary", {}, "eligible"),
    case("city trained 999", {"trained_per_year": "999"}, "ineligible", "999", NO),
    case("city trained 1,200", {"trained_per_year": "1,200"}, "eligible"),
    case("city placed 999", {"placed_per_year": "999"}, "ineligible", "999", NO),
    case("city placed 5000", {"placed_per_year": "5000"}, "eligible"),
    case(
        "pass rate exactly 80 is not 超过80%", {"training_pass_rate": "80"}, "ineligible", "80", NO
    ),
    case("pass rate 80% with sign", {"training_pass_rate": "80%"}, "ineligible", NO),
    case("pass rate 80.01", {"training_pass_rate": "80.01"}, "eligible"),
    case("pass rate 80.5%", {"training_pass_rate": "80.5%"}, "eligible"),
    case("pass rate 100", {"training_pass_rate": "100"}, "eligible"),
    case("pass rate 79", {"training_pass_rate": "79"}, "ineligible", NO),
    case("trained share 49.99", {"placed_trained_share": "49.99"}, "ineligible", NO),
    case("trained share 50%", {"placed_trained_share": "50%"}, "eligible"),
    case("trained share 49", {"placed_trained_share": "49"}, "ineligible", "49", NO),
    case("contract rate 99.99", {"contract_rate": "99.99"}, "ineligible", NO),
    case("contract rate 100%", {"contract_rate": "100%"}, "eligible"),
    case("filing rate 99", {"filing_rate": "99"}, "ineligible", "99", NO),
    case("not registered in Dalian", {"registered_in_dalian": "否"}, "ineligible", NO),
    case("not an independent legal person", {"independent_legal_person": "no"}, "ineligible", NO),
    case("no brand name or mark", {"brand_identity": "0"}, "ineligible", NO),
    case("unlawful conduct", {"lawful_conduct": "false"}, "ineligible", NO),
    case(
        "flags as yes/1/true",
        {"registered_in_dalian": "yes", "brand_identity": "1", "lawful_conduct": "true"},
        "eligible",
    ),
    case("level 市级", {"level": "市级"}, "eligible"),
    case("district standard met at 500", DISTRICT, "eligible"),
    case("district level 区级", {**DISTRICT, "level": "区级"}, "eligible"),
    case("district trained 499", {**DISTRICT, "trained_per_year": "499"}, "ineligible", "499", NO),
    case("district placed 499", {**DISTRICT, "placed_per_year": "499"}, "ineligible", "499", NO),
    case("district pass rate 80", {**DISTRICT, "training_pass_rate": "80"}, "ineligible", NO),
    case(
        "district trained share 49.9",
        {**DISTRICT, "placed_trained_share": "49.9"},
        "ineligible",
        NO,
    ),
    case("district filing rate 99.5", {**DISTRICT, "filing_rate": "99.5"}, "ineligible", NO),
    case(
        "500 meets district but not city",
        {"trained_per_year": "500", "placed_per_year": "500"},
        "ineligible",
        NO,
    ),
    case(
        "as of the day before the document",
        {},
        "ineligible",
        "2022-10-12",
        NO,
        as_of=dt.date(2022, 10, 12),
    ),
    case("as of the document's date", {}, "eligible", as_of=dt.date(2022, 10, 13)),
    case("level unknown", {"level": "省级"}, "invalid", "level"),
    case("pass rate over 100", {"training_pass_rate": "101"}, "invalid", "training_pass_rate"),
    case("pass rate not a number", {"training_pass_rate": "良好"}, "invalid", "training_pass_rate"),
    case("trained not a number", {"trained_per_year": "一千"}, "invalid", "trained_per_year"),
    case("contract rate blank", {"contract_rate": ""}, "invalid", "contract_rate"),
    case("flag not yes/no", {"lawful_conduct": "基本"}, "invalid", "lawful_conduct"),
    case("credit code check character", {"credit_code": "BADCC:61"}, "invalid", "credit_code"),
]


@pytest.mark.parametrize("overrides,status,fragments,as_of", DALIAN_CASES)
def test_dalian(check, overrides, status, fragments, as_of):
    check(DALIAN, DALIAN_BASE, overrides, status, 0, fragments, as_of)


# -- Yingkou 第八条 ---------------------------------------------------------------------

YINGKOU = "yingkou.brand_assessment"
YINGKOU_BASE = {
    "claim_id": "Y1",
    "unit_name": "营口鲅鱼圈厨师培训学校",
    "credit_code": "CC:71",
    "independent_legal_person": "是",
    "premises_and_rules": "是",
    "no_violations_or_disputes": "是",
    "brand_identity": "是",
    "output_agreements": "是",
    "records_complete": "是",
    "intangible_heritage": "否",
    "years_operating": "2",
    "trained_last_two_years": "201",
    "working_in_trade_after_training": "101",
    "trained_per_year": "125",
    "placed_per_year": "100",
}

YINGKOU_CASES = [
    case("standard met at every boundary", {}, "eligible"),
    case("operating 1 year", {"years_operating": "1"}, "ineligible", NO),
    case("operating 5 years", {"years_operating": "5"}, "eligible"),
    case(
        "trained 200 over two years is not 超过200",
        {"trained_last_two_years": "200"},
        "ineligible",
        "200",
        NO,
    ),
    case(
        "working in trade 100 is not 超过100",
        {"working_in_trade_after_training": "100"},
        "ineligible",
        NO,
    ),
    case(
        "trained 99 a year",
        {"trained_per_year": "99", "placed_per_year": "99"},
        "ineligible",
        "99",
        NO,
    ),
    case(
        "trained 100 a year, placed 80",
        {"trained_per_year": "100", "placed_per_year": "80"},
        "eligible",
    ),
    case("placed exactly 80% (100 of 125)", {}, "eligible"),
    case("placed 99 of 125 under 80%", {"placed_per_year": "99"}, "ineligible", "99", NO),
    case(
        "placed 81 of 101 over 80%",
        {"trained_per_year": "101", "placed_per_year": "81"},
        "eligible",
    ),
    case(
        "placed 80 of 101 under 80%",
        {"trained_per_year": "101", "placed_per_year": "80"},
        "ineligible",
        NO,
    ),
    case("placed more than trained", {"placed_per_year": "300"}, "eligible"),
    case("not an independent legal person", {"independent_legal_person": "否"}, "ineligible", NO),
    case("no premises or rules", {"premises_and_rules": "no"}, "ineligible", NO),
    case("violations or disputes", {"no_violations_or_disputes": "0"}, "ineligible", NO),
    case("no brand identity", {"brand_identity": "false"}, "ineligible", NO),
    case("no output agreements", {"output_agreements": "否"}, "ineligible", NO),
    case("records incomplete", {"records_complete": "否"}, "ineligible", NO),
    case(
        "intangible heritage, numbers met: note that the panel may relax",
        {"intangible_heritage": "是"},
        "eligible",
        RELAX,
    ),
    case(
        "intangible heritage, numbers short: still applied, note says the panel may relax",
        {"intangible_heritage": "是", "trained_last_two_years": "150"},
        "ineligible",
        RELAX,
        NO,
    ),
    case(
        "as of the day before the document",
        {},
        "ineligible",
        "2023-06-27",
        NO,
        as_of=dt.date(2023, 6, 27),
    ),
    case("as of the document's date", {}, "eligible", as_of=dt.date(2023, 6, 28)),
    case("years not a number", {"years_operating": "两年"}, "invalid", "years_operating"),
    case("placed blank", {"placed_per_year": ""}, "invalid", "placed_per_year"),
    case("flag not yes/no", {"records_complete": "部分"}, "invalid", "records_complete"),
    case("credit code check character", {"credit_code": "BADCC:71"}, "invalid", "credit_code"),
]


@pytest.mark.parametrize("overrides,status,fragments,as_of", YINGKOU_CASES)
def test_yingkou(check, overrides, status, fragments, as_of):
    check(YINGKOU, YINGKOU_BASE, overrides, status, 0, fragments, as_of)


# -- Shandong 二(二) --------------------------------------------------------------------

SHANDONG = "shandong.brand_assessment"
SHANDONG_BASE = {
    "claim_id": "SD1",
    "unit_name": "临沂家政服务有限公司",
    "credit_code": "CC:81",
    "trained_per_year": "500",
    "placed_per_year": "500",
}

SHANDONG_CASES = [
    case("500 trained and 500 placed", {}, "eligible"),
    case("trained 499", {"trained_per_year": "499"}, "ineligible", "499", NO),
    case("placed 499", {"placed_per_year": "499"}, "ineligible", "499", NO),
    case("both large", {"trained_per_year": "20000", "placed_per_year": "12,000"}, "eligible"),
    case(
        "as of the day before the document",
        {},
        "ineligible",
        "2021-11-14",
        NO,
        as_of=dt.date(2021, 11, 14),
    ),
    case("as of the document's date", {}, "eligible", as_of=dt.date(2021, 11, 15)),
    case("trained not a number", {"trained_per_year": "五百"}, "invalid", "trained_per_year"),
    case("placed blank", {"placed_per_year": ""}, "invalid", "placed_per_year"),
    case("credit code check character", {"credit_code": "BADCC:81"}, "invalid", "credit_code"),
    case("unit name blank", {"unit_name": ""}, "invalid", "unit_name"),
]


@pytest.mark.parametrize("overrides,status,fragments,as_of", SHANDONG_CASES)
def test_shandong(check, overrides, status, fragments, as_of):
    check(SHANDONG, SHANDONG_BASE, overrides, status, 0, fragments, as_of)


@pytest.mark.parametrize(
    "program,base",
    [(DALIAN, DALIAN_BASE), (YINGKOU, YINGKOU_BASE), (SHANDONG, SHANDONG_BASE)],
)
def test_repeated_claim_id(check_batch, program, base):
    check_batch(
        program,
        base,
        [{}, {"credit_code": "CC:99"}],
        [("eligible", 0), ("invalid", 0, "claim_id")],
    )


@pytest.mark.parametrize(
    "program,base,article",
    [
        (DALIAN, DALIAN_BASE, "三(四)"),
        (YINGKOU, YINGKOU_BASE, "第八条"),
        (SHANDONG, SHANDONG_BASE, "二(二)"),
    ],
)
def test_citation(check, program, base, article):
    row = check(program, base, {}, "eligible", 0, (), None)
    assert article in unicodedata.normalize("NFKC", row["citation"])
