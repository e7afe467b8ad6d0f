"""Provinces and the places a rule names, read as officers write them.

A province is accepted with or without its suffix (省, 市, 自治区 and the full
autonomous-region names) or as its 2-digit administrative code (GB/T 2260), so
青海, 青海省 and 63 are the same. 海西 (海西蒙古族藏族自治州) is matched with or
without 青海省 before it and with the county-level places inside it
(docs/policies/README.md, "Place names").
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

PROVINCES: dict[str, str] = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古",
    "21": "辽宁", "22": "吉林", "23": "黑龙江", "31": "上海", "32": "江苏",
    "33": "浙江", "34": "安徽", "35": "福建", "36": "江西", "37": "山东",
    "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西",
    "46": "海南", "50": "重庆", "51": "四川", "52": "贵州", "53": "云南",
    "54": "西藏", "61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏",
    "65": "新疆", "71": "台湾", "81": "香港", "82": "澳门",
}  # fmt: skip
_FULL_NAMES = {
    "内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏", "新疆维吾尔自治区": "新疆",
    "香港特别行政区": "香港", "澳门特别行政区": "澳门",
}  # fmt: skip
_SHORT_TO_CODE = {name: code for code, name in PROVINCES.items()}
_SUFFIX = re.compile(r"(省|市|自治区|特别行政区)$")

QINGHAI = "63"

HAIXI_PREFIXES = ("海西蒙古族藏族自治州", "海西州", "海西")
HAIXI_PLACES = ("德令哈", "格尔木", "茫崖", "大柴旦", "乌兰", "都兰", "天峻")
_PLACE_SUFFIX = re.compile(r"(市|县|州|行委|行政委员会)$")


def province_code(text: str) -> str | None:
    """The 2-digit code of a province written as a name or code, else ``None``."""
    value = re.sub(r"\s", "", str(text or ""))
    if value in PROVINCES:
        return value
    value = _FULL_NAMES.get(value, value)
    value = _SUFFIX.sub("", value)
    return _SHORT_TO_CODE.get(value)


def province_codes(values: pd.Series) -> pd.Series:
    """:func:`province_code` over a Series (distinct values looked up once)."""
    return values.map({v: province_code(v) for v in values.dropna().unique()})


def province_name(code: str | None) -> str:
    return PROVINCES.get(code or "", "?")


def is_haixi(text: str) -> bool:
    """Whether a destination lies in 海西州 (青海省 before it and 市/县/州 after a place are optional)."""
    value = re.sub(r"\s", "", str(text or ""))
    value = re.sub(r"^青海(省)?", "", value)
    for prefix in HAIXI_PREFIXES:
        if value.startswith(prefix):
            value = value[len(prefix) :]
            break
    else:
        if not value:
            return False
        return _PLACE_SUFFIX.sub("", value) in HAIXI_PLACES
    return value == "" or _PLACE_SUFFIX.sub("", value) in HAIXI_PLACES


def _usual_haixi() -> list[str]:
    """The usual ways of writing a place in 海西州 (each one :func:`is_haixi` reads as in it):
    the prefecture or a place in it with its suffix or none, 青海 or 青海省 before or not."""
    suffixes = ("", "市", "县", "州", "行委", "行政委员会")
    places = [place + suffix for place in HAIXI_PLACES for suffix in suffixes]
    inside = [*HAIXI_PREFIXES, *places, *(p + place for p in HAIXI_PREFIXES for place in places)]
    return [province + place for province in ("", "青海", "青海省") for place in inside]


_USUAL_HAIXI = _usual_haixi()


def haixi_mask(values: pd.Series) -> pd.Series:
    """:func:`is_haixi` over a Series: the usual spellings found all at once, any other value
    looked up once (a missing value is not in 海西)."""
    found = values.isin(_USUAL_HAIXI).to_numpy(copy=True)
    other = np.flatnonzero(~found)
    if len(other):
        codes, uniques = pd.factorize(values.iloc[other], use_na_sentinel=False)
        found[other] = in_haixi(uniques)[codes]
    return pd.Series(found, index=values.index, name=values.name)


def in_haixi(places) -> np.ndarray:
    """:func:`is_haixi` of each of a few places (a missing one is not)."""
    return np.array([not pd.isna(v) and is_haixi(v) for v in places], dtype=bool)
