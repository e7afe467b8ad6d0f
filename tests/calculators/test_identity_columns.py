"""Identity columns read through the calculators (issue #18): an implausible 身份证号 is
invalid for every program that reads one, with the reason in the check's own words; a
统一社会信用代码 that merely passes the 身份证号 check character is a code."""

from __future__ import annotations

import pytest

from calculators.registry import calculator, program_ids
from subsidies.domain.i18n import speaking

DALIAN_CODE = "912102001207209936"  # a Dalian enterprise: positions 7-14 read 0012-07-20
BORN_0012 = "RAWID:63010200120720123"
PROVINCE_99 = "RAWID:99010219900101123"
BORN_3000 = "RAWID:63010230000101123"


def test_dalian_code_is_paid_as_a_code(check):
    base = {
        "claim_id": "D1",
        "unit_name": "大连海员劳务有限公司",
        "credit_code": DALIAN_CODE,
        "brand_name": "大连海员",
        "level": "市级",
        "applied_on": "2023-05-10",
        "recognized_on": "2023-06-01",
    }
    check("dalian.brand_recognition", base, {}, "eligible", 50000, ())


def test_dalian_code_as_an_enterprise_borrower(check):
    row = {
        "claim_id": "L1",
        "borrower_name": "大连某小微企业",
        "borrower_id": DALIAN_CODE,
        "borrower_kind": "小微企业",
        "requested_amount": "100000",
    }
    result = check("qinghai.guarantee_loan", row, {}, "eligible", 100000, ())
    assert "身份证号" not in result["reasons"]


def _resident_columns():
    for program_id in program_ids():
        for column in calculator(program_id).template.columns:
            if column.kind == "resident_id" and column.required:
                yield pytest.param(program_id, column.name, id=f"{program_id}.{column.name}")


@pytest.mark.parametrize(("program_id", "column"), list(_resident_columns()))
@pytest.mark.parametrize(
    ("value", "why"),
    [
        (BORN_0012, "出生日期 0012-07-20 不在 1900-01-01 至"),
        (BORN_3000, "出生日期 3000-01-01 不在"),
        (PROVINCE_99, "前两位 99 不是省级行政区划代码"),
    ],
    ids=["born-0012", "born-3000", "province-99"],
)
def test_implausible_resident_ids_are_invalid_in_every_program(
    run_rows, program_id, column, value, why
):
    """In Chinese, the officers' language: the column by its header, the reason as written."""
    template = calculator(program_id).template
    row = {c.name: "" for c in template.columns}
    with speaking("zh_CN"):
        result = run_rows(program_id, [{**row, "claim_id": "R1", column: value}]).iloc[0]
    assert result["status"] == "invalid"
    named = f"{template.column(column).label}“"
    assert named in result["reasons"] and why in result["reasons"], result["reasons"]
