"""subsidies.domain.places: provinces by name or code, and 海西州 with its county-level places."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from calculators.programs.qinghai.goji_broker import destination_on
from calculators.registry import calculator
from subsidies.domain.places import (
    Prefecture,
    province_code,
    province_codes,
    province_name,
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("青海", "63"),
        ("青海省", "63"),
        (" 青海省 ", "63"),
        ("63", "63"),
        (" 63 ", "63"),
        ("北京", "11"),
        ("北京市", "11"),
        ("上海市", "31"),
        ("重庆市", "50"),
        ("天津", "12"),
        ("辽宁省", "21"),
        ("甘肃", "62"),
        ("广东省", "44"),
        ("黑龙江省", "23"),
        ("内蒙古", "15"),
        ("内蒙古自治区", "15"),
        ("广西", "45"),
        ("广西壮族自治区", "45"),
        ("广西自治区", "45"),
        ("西藏自治区", "54"),
        ("宁夏回族自治区", "64"),
        ("新疆维吾尔自治区", "65"),
        ("新疆", "65"),
        ("香港特别行政区", "81"),
        ("澳门", "82"),
        ("11", "11"),
        ("45", "45"),
        ("65", "65"),
    ],
)
def test_province_code(text, code):
    assert province_code(text) == code


@pytest.mark.parametrize(
    "text",
    ["", None, "6", "99", "00", "630", "青", "内蒙", "海南州", "海西", "西宁", "火星", "Qinghai"],
)
def test_unknown_province_is_none(text):
    assert province_code(text) is None


def test_province_codes_series_and_names():
    codes = province_codes(pd.Series(["青海", "63", "广西壮族自治区", "nowhere", None]))
    assert codes.iloc[:3].tolist() == ["63", "63", "45"]
    assert codes.iloc[3:].isna().all()
    assert province_name("63") == "青海"
    assert province_name(None) == "?"


HAIXI = [
    "海西",
    "海西州",
    "海西蒙古族藏族自治州",
    "青海省海西州",
    "青海海西",
    "青海省海西蒙古族藏族自治州",
    "格尔木",
    "格尔木市",
    "德令哈",
    "德令哈市",
    "茫崖",
    "茫崖市",
    "大柴旦",
    "大柴旦行委",
    "乌兰",
    "乌兰县",
    "都兰县",
    "天峻县",
    "青海省格尔木市",
    "海西州德令哈市",
    "青海省海西州格尔木市",
    "海西蒙古族藏族自治州格尔木市",
    " 海西州 格尔木市 ",
]
NOT_HAIXI = [
    "西宁",
    "西宁市",
    "海东",
    "海东市",
    "海南州",
    "海北州",
    "玉树",
    "青海省",
    "青海省西宁市",
    "海西州西宁市",
    "乌兰察布市",  # 内蒙古, shares the first two characters with 乌兰县
    "福建海西",  # 海峡西岸, not 海西州
    "海西经济区",
    "",
    None,
]


def haixi() -> Prefecture:
    """海西州 as the goji rule's parameters name it (qinghai/goji_broker.yaml)."""
    return destination_on(calculator("qinghai.goji_broker").program, dt.date(2024, 7, 1))


@pytest.mark.parametrize("text", HAIXI)
def test_is_haixi(text):
    assert haixi().contains(text) is True


@pytest.mark.parametrize("text", NOT_HAIXI)
def test_is_not_haixi(text):
    assert haixi().contains(text) is False


def test_haixi_mask_over_series():
    values = pd.Series([*HAIXI, *NOT_HAIXI])
    assert haixi().mask(values).tolist() == [True] * len(HAIXI) + [False] * len(NOT_HAIXI)
