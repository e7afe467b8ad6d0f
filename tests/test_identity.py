"""subsidies.domain.identity: 身份证号 (GB 11643-1999) and 统一社会信用代码 (GB 32100-2015).

Known-good numbers are made here by a reference implementation written from the
standards' own definitions (weights table, check formula), not by the module
under test, and the published examples of each standard are checked against it.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from subsidies.domain.i18n import _ as translated
from subsidies.domain.identity import (
    EXCEL_NUMBER_HINT,
    check_credit_codes,
    check_resident_ids,
    credit_code_check_character,
    mask_id,
    mask_name,
    resident_id_check_character,
)

# --- reference implementations, from the standards ---------------------------------------

# GB 11643-1999 §8.2 / ISO 7064 MOD 11-2: W_i = 2^(i-1) mod 11, i counted from the right
# (the check character is i = 1). For the 17 body digits, left to right:
GB11643_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def ref_resident_check(body: str) -> str:
    """a1 such that (sum a_i * W_i) ≡ 1 (mod 11); 10 is written X."""
    assert len(body) == 17 and body.isascii() and body.isdigit()
    total = sum(int(c) * w for c, w in zip(body, GB11643_WEIGHTS, strict=True))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


# GB 32100-2015 §4 / 附录 A: 31 characters 0-9 A-Z without I O S V Z, values 0..30;
# W_i = 3^(i-1) mod 31; C18 = 31 - (sum C_i * W_i mod 31), where 31 becomes 0.
GB32100_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
GB32100_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def ref_credit_check(body: str) -> str:
    assert len(body) == 17
    total = sum(GB32100_ALPHABET.index(c) * w for c, w in zip(body, GB32100_WEIGHTS, strict=True))
    return GB32100_ALPHABET[(31 - total % 31) % 31]


def resident(body: str) -> str:
    return body + ref_resident_check(body)


def credit(body: str) -> str:
    return body + ref_credit_check(body)


# Published examples: GB 11643-1999 gives 11010519491231002X (北京市朝阳区) and
# 440524188001010014 (广东省汕头市潮阳县); GB 32100-2015 gives 91350100M000100Y43.
PUBLISHED_IDS = ["11010519491231002X", "440524188001010014"]
PUBLISHED_CODES = ["91350100M000100Y43"]

GOOD_IDS = [
    PUBLISHED_IDS[0],  # the other was born in 1880: not a plausible claimant (issue #18)
    resident("44052419800101001"),
    resident("63010219900101123"),
    resident("63280119850615002"),  # 德令哈
    resident("63280220000229004"),  # 格尔木, born on a 29 February
    resident("63010219671231099"),
    resident("63212320080701001"),
]
# one more body for each check character 0-9 and X, so every check value is exercised
_BY_CHECK = {
    resident(f"630102199001011{n:02d}")[17]: resident(f"630102199001011{n:02d}") for n in range(99)
}
GOOD_IDS += sorted(_BY_CHECK.values())

GOOD_CODES = [
    *PUBLISHED_CODES,
    credit("91630100MA7XXXXXX"),
    credit("12630000000000000"),
    credit("92632801MA75Y0HJ0"),
    credit("Y0000000000000000"),
]
GOOD_CODES += [credit(f"9163000071040{c}{c}{c}{c}") for c in "0AHNRY"]


# GB/T 2260: the province-level codes (the first two digits of an address code)
GB2260_PROVINCES = {
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
    50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
}  # fmt: skip
TODAY = dt.date(2025, 6, 30)  # the date the claims are read on


def ref_plausible(number: str, today: dt.date = TODAY) -> bool:
    """A 身份证号 as the check must accept it: 17 digits and the right check character, a
    province-level address code, a real birth date from 1900-01-01 to ``today``."""
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number) or resident(number[:17]) != number:
        return False
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return int(number[:2]) in GB2260_PROVINCES and dt.date(1900, 1, 1) <= born <= today


def series(values, index=None) -> pd.Series:
    return pd.Series(values, index=index, dtype=object)


def test_reference_agrees_with_published_examples():
    assert all(resident(i[:17]) == i for i in PUBLISHED_IDS)
    assert all(credit(c[:17]) == c for c in PUBLISHED_CODES)
    assert {i[17] for i in GOOD_IDS} == set("0123456789X")


# --- 身份证号 ----------------------------------------------------------------------------


@pytest.mark.parametrize("good", GOOD_IDS)
def test_good_resident_ids_pass(good):
    normalised, reasons, births = check_resident_ids(series([good]), today=TODAY)
    assert reasons.tolist() == [""]
    assert normalised.tolist() == [good]
    assert births.iloc[0] == pd.Timestamp(dt.datetime.strptime(good[6:14], "%Y%m%d"))


def test_resident_ids_upper_case_x_and_strip():
    normalised, reasons, _ = check_resident_ids(
        series(["11010519491231002x", " 11010519491231002X ", "11010519491231002X"]), today=TODAY
    )
    assert reasons.tolist() == ["", "", ""]
    assert normalised.tolist() == ["11010519491231002X"] * 3


def test_module_check_character_matches_reference():
    for good in GOOD_IDS:
        assert resident_id_check_character(good[:17]) == good[17]
    for good in GOOD_CODES:
        assert credit_code_check_character(good[:17]) == good[17]


@pytest.mark.parametrize(
    ("value", "reason_part"),
    [
        ("630102199001011234", "校验码应为 5，不是 4"),
        ("11010519491231002", "应为 18 位"),  # 17
        ("11010519491231002X1", "应为 18 位"),  # 19
        ("1101051949123100AX", "应为 18 位"),  # a letter in the body
        ("X10105194912310021", "应为 18 位"),
        ("110105 19491231002X", "应为 18 位"),
        ("11010519491231002Y", "应为 18 位"),
        ("6.30102E+17", "设为文本格式"),
        ("6.30102199001011E+17", "设为文本格式"),
        ("6.30102e+17", "设为文本格式"),
        ("", "缺少"),
        ("   ", "缺少"),
        (None, "缺少"),
        (resident("63010219900230123"), "不是有效日期"),  # 30 February
        (resident("63010219000229123"), "不是有效日期"),  # 1900 was not a leap year
        (resident("63010219901301123"), "不是有效日期"),  # month 13
        (resident("63010219900100123"), "不是有效日期"),  # day 0
    ],
)
def test_bad_resident_ids(value, reason_part):
    normalised, reasons, births = check_resident_ids(
        series([value, "11010519491231002X"]), today=TODAY
    )
    assert reason_part in reasons.iloc[0]
    assert pd.isna(births.iloc[0])
    assert reasons.iloc[1] == ""  # the good neighbour is unaffected


def test_excel_hint_says_format_as_text():
    _, reasons, _ = check_resident_ids(series(["6.30102E+17"]), today=TODAY)
    assert "设为文本格式" in reasons.iloc[0]


def test_resident_ids_keep_the_series_index():
    index = [10, 20, 30, 40]
    values = ["11010519491231002X", "bad", resident("63010219900230123"), "630102199001011234"]
    normalised, reasons, births = check_resident_ids(series(values, index=index), today=TODAY)
    for result in (normalised, reasons, births):
        assert result.index.tolist() == index
    assert reasons.loc[10] == ""
    assert all(reasons.loc[[20, 30, 40]] != "")
    assert births.loc[10] == pd.Timestamp("1949-12-31")


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) for c in text)


@pytest.mark.parametrize(
    "value",
    [
        _fullwidth("440524188001010014"),  # 全角 digits, as a Chinese input method types them
        "".join(chr(0x0660 + int(c)) for c in "440524188001010014"),  # Arabic-Indic digits
    ],
    ids=["fullwidth", "arabic-indic"],
)
def test_non_ascii_digits_never_crash_the_batch(value):
    """One odd row must get a reason (or be read as the ASCII number), never sink the batch."""
    normalised, reasons, _ = check_resident_ids(series([value, "11010519491231002X"]), today=TODAY)
    assert reasons.iloc[1] == ""
    if reasons.iloc[0] == "":
        assert normalised.iloc[0] == "440524188001010014"


def _id_corruptions(good: str, position: int) -> list[str]:
    alphabet = "0123456789X" if position == 17 else "0123456789"
    return [good[:position] + c + good[position + 1 :] for c in alphabet if c != good[position]]


@pytest.mark.parametrize("position", range(18))
@pytest.mark.parametrize("good", GOOD_IDS[:5])
def test_every_single_character_corruption_of_a_resident_id_fails(good, position):
    corrupted = _id_corruptions(good, position)
    _, reasons, births = check_resident_ids(series(corrupted), today=TODAY)
    assert (reasons != "").all(), [v for v, r in zip(corrupted, reasons, strict=True) if r == ""]
    assert births.isna().all()


DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)


@given(
    area=st.builds(
        lambda province, rest: f"{province}{rest}",
        st.sampled_from(sorted(GB2260_PROVINCES)),
        st.text("0123456789", min_size=4, max_size=4),
    ),
    born=DATES,
    sequence=st.text("0123456789", min_size=3, max_size=3),
)
def test_resident_check_character_property(area, born, sequence):
    body = area + born.strftime("%Y%m%d") + sequence
    check = resident_id_check_character(body)
    assert check == ref_resident_check(body)
    others = [c for c in "0123456789X" if c != check]
    _, reasons, births = check_resident_ids(
        series([body + check] + [body + c for c in others]), today=TODAY
    )
    assert reasons.iloc[0] == ""
    assert births.iloc[0] == pd.Timestamp(born)
    assert (reasons.iloc[1:] != "").all()


# --- plausible 身份证号 (issue #18) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reason_part"),
    [
        (resident("63010200120720123"), "出生日期 0012-07-20 不在 1900-01-01 至 2025-06-30 之间"),
        (resident("63010230000101123"), "出生日期 3000-01-01 不在"),
        (resident("63010218991231123"), "出生日期 1899-12-31 不在"),
        (resident("63010220250701123"), "出生日期 2025-07-01 不在"),  # the day after today
        (resident("99010219900101123"), "前两位 99 不是省级行政区划代码（GB/T 2260）"),
        (resident("00010219900101123"), "前两位 00 不是省级行政区划代码"),
        (resident("10010219900101123"), "前两位 10 不是省级行政区划代码"),
        ("440524188001010014", "出生日期 1880-01-01 不在"),  # GB 11643-1999's own example
    ],
)
def test_implausible_resident_ids_are_refused(value, reason_part):
    _, reasons, births = check_resident_ids(series([value, PUBLISHED_IDS[0]]), today=TODAY)
    assert reason_part in reasons.iloc[0]
    assert pd.isna(births.iloc[0])
    assert reasons.iloc[1] == ""


@pytest.mark.parametrize("born", ["19000101", "20250630"])
def test_the_first_and_last_plausible_birth_dates_pass(born):
    _, reasons, births = check_resident_ids(series([resident(f"630102{born}123")]), today=TODAY)
    assert reasons.tolist() == [""]
    assert births.iloc[0] == pd.Timestamp(born)


def test_today_is_the_date_given():
    """Born on 2025-07-01: not yet on 2025-06-30, plausible from that day on."""
    value = series([resident("63010220250701123")])
    assert check_resident_ids(value, today=TODAY)[1].iloc[0] != ""
    assert check_resident_ids(value, today=dt.date(2025, 7, 1))[1].iloc[0] == ""


def test_a_wrong_check_character_is_named_before_plausibility():
    good = resident("99010200120720123")
    wrong = good[:17] + ("1" if good[17] != "1" else "2")
    _, reasons, _ = check_resident_ids(series([wrong]), today=TODAY)
    assert "校验码应为" in reasons.iloc[0]


# identity numbers of every kind the checks must tell apart: provinces real or not, birth
# dates real or not, in or out of 1900..today, check characters right or wrong
_ID_PARTS = st.tuples(
    st.one_of(st.sampled_from(sorted(GB2260_PROVINCES)), st.integers(0, 99)),
    st.text("0123456789", min_size=4, max_size=4),
    st.one_of(
        st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
        st.text("0123456789", min_size=8, max_size=8),
    ),
    st.text("0123456789", min_size=3, max_size=3),
    st.booleans(),
)


def _id_from(parts) -> str:
    province, county, born, sequence, right = parts
    birth = born if isinstance(born, str) else f"{born.year:04d}{born.month:02d}{born.day:02d}"
    good = resident(f"{province:02d}{county}{birth}{sequence}")
    return good if right else good[:17] + ("1" if good[17] != "1" else "2")


@settings(max_examples=300)
@given(
    st.lists(_ID_PARTS, min_size=1, max_size=40), st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1))
)
def test_vectorised_check_is_the_plain_reference(parts, today):
    """The column check (byte codes, date tables) agrees with the per-id reference."""
    ids = [_id_from(p) for p in parts]
    _, reasons, births = check_resident_ids(series(ids), today=today)
    assert [r == "" for r in reasons] == [ref_plausible(i, today) for i in ids]
    for number, reason, born in zip(ids, reasons, births, strict=True):
        if reason == "":
            assert born == pd.Timestamp(
                dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
            )
        else:
            assert pd.isna(born)


# --- 统一社会信用代码 ----------------------------------------------------------------------


@pytest.mark.parametrize("good", GOOD_CODES)
def test_good_credit_codes_pass(good):
    normalised, reasons = check_credit_codes(series([good, good.lower()]), today=TODAY)
    assert reasons.tolist() == ["", ""]
    assert normalised.tolist() == [good, good]


@pytest.mark.parametrize(
    ("value", "reason_part"),
    [
        ("91350100M000100Y44", "校验码应为 3，不是 4"),
        ("91350100M000100Y4", "应为 18 位"),
        ("91350100M000100Y433", "应为 18 位"),
        ("9135010OM000100Y43", "除 I、O、S、V、Z 以外"),  # letter O for zero
        ("9135010IM000100Y43", "除 I、O、S、V、Z 以外"),
        ("91350100M000100S43", "除 I、O、S、V、Z 以外"),
        ("91350100M000100V43", "除 I、O、S、V、Z 以外"),
        ("91350100M000100Z43", "除 I、O、S、V、Z 以外"),
        ("91350100-000100Y43", "应为 18 位"),
        ("9.13501E+17", "设为文本格式"),
        ("", "缺少"),
        (None, "缺少"),
    ],
)
def test_bad_credit_codes(value, reason_part):
    _, reasons = check_credit_codes(series([value, "91350100M000100Y43"]), today=TODAY)
    assert reason_part in reasons.iloc[0]
    assert reasons.iloc[1] == ""


@pytest.mark.parametrize("position", range(18))
@pytest.mark.parametrize("good", GOOD_CODES[:4])
def test_every_single_character_corruption_of_a_credit_code_fails(good, position):
    replacements = [c for c in GB32100_ALPHABET + "IOSVZ" if c != good[position]]
    corrupted = [good[:position] + c + good[position + 1 :] for c in replacements]
    _, reasons = check_credit_codes(series(corrupted), today=TODAY)
    assert (reasons != "").all(), [v for v, r in zip(corrupted, reasons, strict=True) if r == ""]


CREDIT_BODIES = st.builds(
    lambda authority, category, division, rest: authority + category + division + rest,
    st.sampled_from("123456789ANY"),
    st.sampled_from(GB32100_ALPHABET),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(GB32100_ALPHABET, min_size=9, max_size=9),
)


@given(CREDIT_BODIES)
def test_credit_check_character_property(body):
    check = credit_code_check_character(body)
    assert check == ref_credit_check(body)
    others = [c for c in GB32100_ALPHABET if c != check]
    _, reasons = check_credit_codes(
        series([body + check] + [body + c for c in others]), today=TODAY
    )
    # A code that reads as a number in Excel's scientific notation (digit, E, digits, which
    # no real category allows) is refused with the Excel hint, whatever its check character.
    excel_like = re.fullmatch(r"[0-9][eE][0-9]+", body + check) is not None
    assert reasons.iloc[0] == (translated(EXCEL_NUMBER_HINT) if excel_like else "")
    assert (reasons.iloc[1:] != "").all()


@pytest.mark.parametrize("region_and_birth", ["11010519491231", "63280120000229"])
def test_a_resident_id_in_the_credit_code_column_is_named(region_and_birth):
    """About one 身份证号 in 31 also passes the mod-31 check character; it is still refused."""
    both = [
        resident(body)
        for body in (f"{region_and_birth}{n:03d}" for n in range(1000))
        if ref_resident_check(body) == ref_credit_check(body)
    ]
    assert both  # ~32 of the 1,000
    _, reasons = check_credit_codes(series(both), today=TODAY)
    assert reasons.str.contains("身份证号").all(), reasons.tolist()


@pytest.mark.parametrize(
    "value",
    [
        credit("B1630100MA7XXXXXX"),
        credit("916301A0MA7XXXXXX"),
    ],
)
def test_credit_code_structure(value):
    _, reasons = check_credit_codes(series([value]), today=TODAY)
    assert reasons.iloc[0] != ""


# --- masking -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("630102199001011234", "630102********1234"),
        ("11010519491231002X", "110105********002X"),
        ("91350100M000100Y43", "913501********0Y43"),
        (" 630102199001011234 ", "630102********1234"),
        ("12345678901", "123456*8901"),
        ("1234567890", "**********"),
        ("12345", "*****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id(value, masked):
    assert mask_id(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("张三", "张*"),
        ("欧阳小明", "欧***"),
        ("李", "李"),
        (" 王五 ", "王*"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_name(value, masked):
    assert mask_name(value) == masked


# --- enterprise codes that also read as 身份证号 (issue #18) ---------------------------------


def test_dalian_enterprise_code_is_not_a_resident_id():
    """positions 7-14 of 912102001207209936 read 0012-07-20, and "91" is no province."""
    code = "912102001207209936"
    assert credit(code[:17]) == code and resident(code[:17]) == code
    _, reasons = check_credit_codes(series([code]), today=TODAY)
    assert reasons.tolist() == [""]


# digit-only codes (the only ones that can pass as a 身份证号): the registration authority
# and category are often a province code (11, 12, 13, 51-53, 61, 62), and positions 7-14
# often a real date
DIGIT_CODES = st.builds(
    lambda head, division, born, rest: head + division + born + rest,
    st.sampled_from(
        ["11", "12", "13", "19", "21", "31", "51", "52", "53", "59", "61", "62", "91", "92", "93"]
    ),
    st.text("0123456789", min_size=4, max_size=4),
    st.one_of(
        st.dates(dt.date(1, 1, 1), dt.date(2999, 12, 31)).map(
            lambda d: f"{d.year:04d}{d.month:02d}{d.day:02d}"
        ),
        st.text("0123456789", min_size=8, max_size=8),
    ),
    st.text("0123456789", min_size=3, max_size=3),
)


@settings(max_examples=500)
@given(st.lists(DIGIT_CODES, min_size=1, max_size=50))
def test_valid_enterprise_codes_are_refused_as_resident_ids_only_when_plausible(bodies):
    """A valid 统一社会信用代码 is refused as a 身份证号 exactly when it is a plausible one."""
    codes = [credit(b) for b in bodies]
    _, reasons = check_credit_codes(series(codes), today=TODAY)
    for code, reason in zip(codes, reasons, strict=True):
        plausible = re.fullmatch("[0-9]{17}[0-9X]", code) and ref_plausible(code)
        assert ("身份证号" in reason) == bool(plausible), (code, reason)
        assert reason in ("", "这是身份证号，不是统一社会信用代码")
