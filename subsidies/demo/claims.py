"""Claim files as officers really fill them, for ``subsidies demo``.

:func:`generate` makes one program's claims as cell text under the template's Chinese
headers (taken from the calculator's :class:`~calculators.template.Template`, never
retyped), with a 序号 column first and, for money programs, a 银行账号 column last. The mix
is what an officer meets:

- about 75% eligible;
- about 12% ineligible, each for one named condition of the rule, every condition of the
  program in turn (goji: wrong 户籍, not 农牧民, 西宁, one day short of 2 months, exactly
  6 months, a worker under 16; hiring: another employer type, group 其他, no new post …);
- about 5% invalid: a wrong 身份证号 check character, a 身份证号 Excel turned into
  6.30102E+17, a 统一社会信用代码 with an O for a 0, 2024-02-30, a blank required cell,
  an end date before the start, a 申请编号 entered twice …;
- about 5% duplicates within the file: a later row with the one-time key of an earlier
  eligible row (the same person hired by another employer, an overlapping goji period …);
- with ``earlier`` (a frame this function returned before for the same program), about
  5% rows repeating a one-time key of one of its eligible rows, so cross-batch screening
  has something to find. Programs without one-time keys (loans, recognition standards)
  resubmit an earlier claim under its old 申请编号 instead.

Each row's intended outcome is kept in ``frame.attrs``: ``intent`` ("eligible",
"ineligible: …", "invalid: …", "duplicate: …") and ``duplicate_of`` (the 申请编号 the row
repeats, or ""). :func:`cases` lists the ineligible and invalid cases per program.

:func:`write_sheet` writes the frame as XLSX or CSV the way officers keep the file: a
title row, a 填报单位/填报日期 row, the header, the claims and a 合计 row.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from calculators.coerce import NO, YES, parse_amounts
from calculators.evaluate import evaluate
from calculators.registry import calculator
from calculators.template import Column, Template, normalise_value
from subsidies.domain.identity import (
    CREDIT_ALPHABET,
    credit_code_check_character,
    resident_id_check_character,
)
from subsidies.domain.money import AmountError, parse_yuan
from subsidies.domain.periods import add_months

SERIAL = "序号"
BANK_ACCOUNT = "银行账号"
ID_KINDS = ("resident_id", "credit_code", "party_id")
DAY = np.timedelta64(1, "D")
NAT = np.datetime64("NaT", "D")

# ---------------------------------------------------------------- places and names

QINGHAI = (
    ("630102", "西宁"), ("630103", "西宁"), ("630104", "西宁"), ("630105", "西宁"),
    ("630121", "大通"), ("630123", "湟源"), ("632122", "民和"), ("632123", "乐都"),
    ("632126", "互助"), ("632127", "化隆"), ("632128", "循化"), ("632221", "门源"),
    ("632321", "同仁"), ("632521", "共和"), ("632801", "格尔木"), ("632802", "德令哈"),
)  # fmt: skip
QINGHAI_FARMING = ("632122", "632123", "632126", "632127", "632128", "632521", "632321", "630121")
GANSU = ("620102", "622921", "622923", "620502")
DALIAN = (
    ("210202", "大连"), ("210203", "大连"), ("210204", "大连"), ("210211", "大连"),
    ("210212", "旅顺"), ("210213", "金州"), ("210281", "瓦房店"), ("210283", "庄河"),
    ("210224", "长海"), ("210282", "普兰店"),
)  # fmt: skip
GUANGXI = (
    ("450102", "南宁"), ("450103", "南宁"), ("450105", "南宁"), ("450107", "南宁"),
    ("450202", "柳州"), ("450204", "柳州"), ("450302", "桂林"), ("450304", "桂林"),
    ("450502", "北海"), ("450802", "贵港"), ("450902", "玉林"), ("451002", "百色"),
)  # fmt: skip
YINGKOU = (
    ("210802", "营口"), ("210803", "营口"), ("210804", "鲅鱼圈"), ("210811", "营口"),
    ("210881", "盖州"), ("210882", "大石桥"),
)  # fmt: skip
SHANDONG = (
    ("370102", "济南"), ("370202", "青岛"), ("370602", "烟台"), ("371302", "临沂"),
    ("370702", "潍坊"), ("371402", "德州"), ("371702", "菏泽"),
)  # fmt: skip

SURNAMES = tuple("王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高韩祁冶喇鲁汪谢宋唐许邓冯曹彭")
GIVEN = tuple(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚海燕辉玲兰文华红英梅鹏斌宇浩凯婷雪晨欣佳宁福成德生有忠秀桂"
)
TIBETAN = ("才让", "卓玛", "扎西", "多杰", "拉毛", "索南", "旦增", "完玛", "更登", "措吉", "仁青")
ZIHAO = ("鑫源", "恒信", "瑞祥", "聚丰", "金穗", "兴隆", "华安", "众诚", "福顺", "德盛", "宏达",
         "惠民", "安康", "同心", "锦程", "昌盛", "丰泽", "益民", "和顺", "新时代")  # fmt: skip
FLAVOUR = {
    "qinghai": ("昆仑", "柴达木", "三江源", "河湟", "雪域", "高原红"),
    "dalian": ("海韵", "星海", "滨城", "渤海", "辽南"),
    "guangxi": ("八桂", "壮乡", "漓江", "邕江", "红水河"),
    "yingkou": ("辽河", "鲅鱼圈", "望儿山"),
    "shandong": ("齐鲁", "泰山", "沂蒙", "黄河"),
}
HAIXI = ("海西州", "格尔木市", "德令哈", "德令哈市", "都兰县", "乌兰县", "青海省海西州",
         "海西蒙古族藏族自治州", "大柴旦", "天峻县")  # fmt: skip
NOT_HAIXI = ("西宁", "西宁市", "海东市乐都区", "海北州")
QINGHAI_SPELLINGS = (("青海", 0.45), ("青海省", 0.45), ("63", 0.10))
GANSU_SPELLINGS = ("甘肃", "甘肃省", "62")
ELSEWHERE = ("江苏省", "浙江", "广东省", "44", "新疆", "新疆维吾尔自治区", "福建省", "上海市",
             "北京", "西藏自治区", "内蒙古", "32")  # fmt: skip
BANK_PREFIXES = ("6228", "6217", "6222", "6212", "6230", "6214", "6216", "6013")


# ---------------------------------------------------------------- the batch being made


class _Draft:
    """Typed columns of one batch while it is made: dates as ``datetime64[D]``, yes/no as
    bool, enumerations as their English values, amounts as fen, percentages as hundredths,
    provinces and everything else already as the text an officer types."""

    def __init__(self, g: np.random.Generator, n: int, year: int, effective: dt.date):
        self.g, self.n, self.year = g, n, year
        self.effective = np.datetime64(effective, "D")
        self.last = np.datetime64(f"{year}-12-31", "D")
        self.cols: dict[str, np.ndarray] = {}
        self.taken: set[str] = set()  # identity numbers in use (this batch and the earlier one)
        self.place = ""  # region family for unit names
        self.template: Template | None = None
        self.pool: dict[str, tuple] = {}  # what a program draws repeat rows from (employers)

    # -- random pieces
    def day(self, month: int, day: int) -> np.datetime64:
        return np.datetime64(dt.date(self.year, month, day), "D")

    def dates(self, lo, hi, k: int) -> np.ndarray:
        """``k`` days in [lo, hi], never before the program's document took effect."""
        lo = max(np.datetime64(lo, "D"), self.effective)
        hi = max(np.datetime64(hi, "D"), lo)
        span = int((hi - lo) / DAY) + 1
        return lo + self.g.integers(0, span, k).astype("timedelta64[D]")

    def date(self, lo, hi) -> np.datetime64:
        return self.dates(lo, hi, 1)[0]

    def pick(self, options, k: int, p=None) -> np.ndarray:
        options = list(options)
        return np.array(options, dtype=object)[self.g.choice(len(options), k, p=p)]

    def one(self, options, p=None):
        options = list(options)
        if p is None:
            return options[int(self.g.integers(0, len(options)))]
        return options[int(self.g.choice(len(options), p=p))]

    def int(self, lo: int, hi: int) -> int:
        """A whole number in [lo, hi]."""
        return int(self.g.integers(lo, hi + 1))

    def put(self, name: str, i: int, value) -> None:
        self.cols[name][i] = value

    def row(self, i: int) -> dict:
        return {name: values[i] for name, values in self.cols.items()}

    # -- people and units
    def people(self, k, regions, on, min_age=18, max_age=60, tibetan=0.0):
        """Names and valid, unused 身份证号, aged [min_age, max_age) on the dates ``on``."""
        on = np.broadcast_to(np.asarray(on, dtype="datetime64[D]"), (k,))
        return self.names(k, tibetan), self.resident_ids(
            self.pick(regions, k), self.births(on, min_age, max_age)
        )

    def births(self, on: np.ndarray, min_age: int, max_age: int) -> np.ndarray:
        latest = add_months(on, -12 * min_age)  # born on or before: aged min_age or more
        earliest = add_months(on, -12 * max_age) + DAY  # born after: younger than max_age
        span = ((latest - earliest) / DAY).astype(np.int64) + 1
        return earliest + (self.g.random(len(on)) * span).astype(np.int64).astype("timedelta64[D]")

    def resident_ids(self, regions, births) -> np.ndarray:
        ymd = np.char.replace(np.datetime_as_string(births, unit="D"), "-", "")
        seqs = self.g.integers(1, 1000, len(ymd))
        out = np.empty(len(ymd), dtype=object)
        for i, (region, born) in enumerate(zip(regions, ymd, strict=True)):
            seq = int(seqs[i])
            while True:
                first = f"{region}{born}{seq:03d}"
                full = first + resident_id_check_character(first)
                if full not in self.taken:
                    break
                seq = self.int(1, 999)
            self.taken.add(full)
            out[i] = full
        return out

    def credit_codes(self, prefixes) -> np.ndarray:
        """Valid, unused 统一社会信用代码 under 8-character prefixes (authority, category, region)."""
        k = len(prefixes)
        g = self.g
        # the 9-character organisation code: MA… since 2015, or an old 组织机构代码 carried over
        alphabet = np.frombuffer(CREDIT_ALPHABET.encode(), dtype="S1")
        new = np.hstack([np.full((k, 2), [b"M", b"A"]), alphabet[g.integers(0, 31, (k, 7))]])
        old = np.hstack([alphabet[g.integers(0, 10, (k, 8))], alphabet[g.integers(0, 31, (k, 1))]])
        bodies = np.where((g.random(k) < 0.6)[:, None], new, old).view("S9").ravel()
        out = np.empty(k, dtype=object)
        for i, (prefix, body) in enumerate(zip(prefixes, bodies, strict=True)):
            first = f"{prefix}{body.decode()}"
            while True:
                full = first + credit_code_check_character(first)
                if full not in self.taken and not _reads_as_resident_id(full):
                    break
                first = first[:-1] + CREDIT_ALPHABET[int(g.integers(0, 31))]
            self.taken.add(full)
            out[i] = full
        return out

    def names(self, k: int, tibetan: float = 0.0) -> np.ndarray:
        g = self.g
        surname = self.pick(SURNAMES, k)
        first = self.pick(GIVEN, k)
        second = np.where(g.random(k) < 0.6, self.pick(GIVEN, k), "")
        han = surname + first + second
        tib = self.pick(TIBETAN, k) + self.pick(TIBETAN, k)
        return np.where(g.random(k) < tibetan, tib, han).astype(object)

    def unit_names(self, k: int, places, trades, suffixes) -> np.ndarray:
        zihao = ZIHAO + FLAVOUR.get(self.place, ())
        return (
            self.pick(places, k)
            + self.pick(zihao, k)
            + self.pick(trades, k)
            + self.pick(suffixes, k)
        ).astype(object)


def _bank_accounts(g: np.random.Generator, k: int) -> np.ndarray:
    """Debit-card numbers of 16 to 19 digits under common bank prefixes."""
    lengths = g.integers(16, 20, k)
    digits = (g.integers(0, 10, (k, 15)) + ord("0")).astype(np.uint8).view("S15").ravel()
    prefixes = np.array(BANK_PREFIXES, dtype=object)[g.integers(0, len(BANK_PREFIXES), k)]
    return np.array(
        [(p + d.decode())[:n] for p, d, n in zip(prefixes, digits, lengths, strict=True)],
        dtype=object,
    )


def _plus_months(day: np.datetime64, months: int) -> np.datetime64:
    return add_months(np.array([day], dtype="datetime64[D]"), months)[0]


def _days(k: int) -> np.timedelta64:
    return np.timedelta64(int(k), "D")


def _reads_as_resident_id(code: str) -> bool:
    """Whether a 统一社会信用代码 also passes the 身份证号 check character (17 digits first):
    such a code may be taken for a 身份证号 if its digits also read as a place and a birth
    date, so the demo never makes one."""
    return code[:17].isdigit() and resident_id_check_character(code[:17]) == code[17]


def _regions(table) -> tuple[str, ...]:
    return tuple(code for code, _ in table)


def _places(table) -> tuple[str, ...]:
    return tuple(dict.fromkeys(place for _, place in table))


def _prefixes(d: _Draft, k: int, head, table) -> np.ndarray:
    """``91`` + a region code (city level, as most enterprises register: 630100, 210200 …)."""
    regions = d.pick(_regions(table), k)
    city = np.where(d.g.random(k) < 0.5, [r[:4] + "00" for r in regions], regions)
    return (np.asarray(head, dtype=object) + city).astype(object)


# ---------------------------------------------------------------- programs


Case = tuple[str, Callable[[_Draft, int], None]]
TextCase = tuple[str, Callable[[_Draft, dict, int], None]]


class _Program:
    """How one program's claims are made: fresh eligible rows, the ways a row fails a
    condition, and how a row repeats another's one-time key."""

    code = ""
    keyed = True  # has one-time keys or an overlap key
    repeat_label = ""

    def fill(self, d: _Draft) -> None:
        raise NotImplementedError

    def conditions(self) -> tuple[Case, ...]:
        return ()

    def repeat(self, d: _Draft, i: int, src: dict) -> None:
        """Make row ``i`` (fresh and eligible) repeat the one-time key of ``src``."""

    def invalid_extra(self) -> tuple[TextCase, ...]:
        return ()


# -- brand recognition awards (Dalian, Guangxi)


class _Dalian(_Program):
    code = "DL-PP"
    repeat_label = "the same unit, brand and level claimed again"
    TRADES = (
        "月嫂",
        "海参养殖工",
        "船舶焊工",
        "渔家厨师",
        "樱桃种植能手",
        "家政服务员",
        "海鲜烹饪师",
    )

    def fill(self, d):
        n = d.n
        d.place = "dalian"
        d.cols["unit_name"] = d.unit_names(
            n, _places(DALIAN), ("家政服务", "海产养殖", "船舶修造", "餐饮管理", "人力资源服务"),
            ("有限公司", "有限责任公司", "职业培训学校"),
        )  # fmt: skip
        d.cols["credit_code"] = d.credit_codes(_prefixes(d, n, "91", DALIAN))
        d.cols["brand_name"] = (d.pick(_places(DALIAN), n) + d.pick(self.TRADES, n)).astype(object)
        d.cols["level"] = d.pick(("city", "provincial"), n, p=(0.8, 0.2))
        d.cols["recognized_on"] = d.dates(d.day(1, 5), d.day(12, 20), n)
        d.cols["applied_on"] = self._applied(d, d.cols["recognized_on"])

    @staticmethod
    def _applied(d, recognized: np.ndarray) -> np.ndarray:
        """Applied in the 100 days up to the last 30 September before the recognition
        (三(四)3(1): by 30 September each year)."""
        recognized = np.asarray(recognized, dtype="datetime64[D]")
        years = recognized.astype("datetime64[Y]")
        later = recognized > _september_30(years)  # recognised after that year's deadline
        deadline = _september_30(np.where(later, years, years - np.timedelta64(1, "Y")))
        return deadline - d.g.integers(0, 100, len(recognized)).astype("timedelta64[D]")

    def conditions(self):
        def late(d, i):  # applied in October for a recognition that December
            d.put("level", i, "city")
            d.put("recognized_on", i, d.date(d.day(12, 1), d.day(12, 20)))
            d.put("applied_on", i, d.date(d.day(10, 1), d.day(10, 31)))

        return (
            ("district level (区级)", lambda d, i: d.put("level", i, "district")),
            ("applied after 30 September (三(四)3(1))", late),
        )

    def repeat(self, d, i, src):
        for name in ("unit_name", "credit_code", "brand_name", "level"):
            d.put(name, i, src[name])


def _september_30(years: np.ndarray) -> np.ndarray:
    """30 September of each year (``datetime64[Y]``)."""
    return (years.astype("datetime64[M]") + np.timedelta64(9, "M")).astype("datetime64[D]") - DAY


class _Guangxi(_Program):
    repeat_label = "the same unit claimed the award again"

    def __init__(self, code: str, trades, suffixes):
        self.code, self.trades, self.suffixes = code, trades, suffixes

    def fill(self, d):
        n = d.n
        d.place = "guangxi"
        d.cols["unit_name"] = d.unit_names(n, _places(GUANGXI), self.trades, self.suffixes)
        heads = np.where(np.char.endswith(d.cols["unit_name"].astype(str), "学校"), "52", "91")
        d.cols["credit_code"] = d.credit_codes(_prefixes(d, n, heads, GUANGXI))
        d.cols["level"] = np.full(n, "region", dtype=object)
        d.cols["recognized_on"] = d.dates(d.day(1, 5), d.day(12, 20), n)

    def conditions(self):
        return (
            ("city level (市级)", lambda d, i: d.put("level", i, "city")),
            ("county level (县级)", lambda d, i: d.put("level", i, "county")),
        )

    def repeat(self, d, i, src):
        for name in ("unit_name", "credit_code"):
            d.put(name, i, src[name])


# -- Qinghai


class _Hiring(_Program):
    code = "QH-XN"
    repeat_label = "the same person hired again by another employer"
    GROUPS = ("difficulty", "graduate", "veteran", "poverty_alleviated", "monitored")

    def fill(self, d):
        n, g = d.n, d.g
        d.place = "qinghai"
        # a few employers, each claiming for several people
        k = max(4, n // 12)
        kind = d.pick(("brand", "workshop", "coop", "individual"), k, p=(0.5, 0.25, 0.15, 0.1))
        places = _places(QINGHAI)
        names = np.where(
            kind == "brand",
            d.unit_names(k, places, ("拉面餐饮管理", "家政服务", "建筑劳务", "人力资源服务", "物业服务"), ("有限公司",)),
            np.where(
                kind == "workshop",
                d.unit_names(k, places, ("民族服饰", "藏毯编织", "刺绣", "牛羊肉加工"), ("就业帮扶车间",)),
                np.where(
                    kind == "coop",
                    d.unit_names(k, places, ("枸杞种植", "牦牛养殖", "青稞种植"), ("农民专业合作社",)),
                    d.unit_names(k, places, ("拉面", "民族服饰", "汽车修理"), ("店",)),
                ),
            ),
        ).astype(object)  # fmt: skip
        heads = np.select([kind == "coop", kind == "individual"], ["93", "92"], "91").astype(object)
        codes = d.credit_codes(_prefixes(d, k, heads, QINGHAI))
        types = np.where(kind == "brand", "brand_enterprise", "assistance_workshop").astype(object)
        # a co-operative or an individual business running a workshop is typed 就业帮扶车间
        d.pool["employers"] = (names, codes, types)
        which = g.integers(0, k, n)
        d.cols["employer_name"] = names[which]
        d.cols["employer_credit_code"] = codes[which]
        d.cols["employer_type"] = types[which]
        hired = d.dates(d.day(1, 3), d.day(12, 20), n)
        d.cols["hired_on"] = hired
        group = d.pick(self.GROUPS, n, p=(0.2, 0.15, 0.1, 0.4, 0.15))
        d.cols["employee_group"] = group
        graduate = group == "graduate"
        # graduates are young, the others of any working age
        births = np.where(graduate, d.births(hired, 21, 27), d.births(hired, 18, 50))
        d.cols["employee_name"] = d.names(n, tibetan=0.15)
        d.cols["employee_id"] = d.resident_ids(d.pick(_regions(QINGHAI), n), births)
        left = np.full(n, NAT)
        left[graduate] = [self._graduated(d, h) for h in hired[graduate]]
        d.cols["graduated_on"] = left
        for name in ("new_post", "contract_signed", "social_insurance_paid"):
            d.cols[name] = np.ones(n, dtype=bool)

    @staticmethod
    def _graduated(d: _Draft, hired: np.datetime64) -> np.datetime64:
        """Left school at the end of June or in July, within the 2 years before ``hired``."""
        year = hired.astype("datetime64[Y]").astype(int) + 1970
        years = [y for y in (year - 1, year) if np.datetime64(f"{y}-07-15") < hired]
        y = int(d.one(years))
        return np.datetime64(f"{y}-06-20") + _days(d.int(0, 20))

    def _person(self, d, i, min_age, max_age, group=None):
        names, ids = d.people(1, _regions(QINGHAI), d.cols["hired_on"][i], min_age, max_age)
        d.put("employee_name", i, names[0])
        d.put("employee_id", i, ids[0])
        if group:
            d.put("employee_group", i, group)
            d.put("graduated_on", i, NAT)

    def _other_employer(self, d, i):
        names = d.unit_names(
            1, ("西宁", "格尔木", "海东"), ("商贸", "汽车销售", "建材"), ("有限公司",)
        )
        d.put("employer_name", i, names[0])
        d.put("employer_credit_code", i, d.credit_codes(_prefixes(d, 1, "91", QINGHAI))[0])
        d.put("employer_type", i, "other")

    def _graduate(self, d, i, months_lo, months_hi):
        """A graduate who left school ``months_lo``..``months_hi`` months before being hired
        (negative: hired before leaving)."""
        hired = d.cols["hired_on"][i]
        self._person(d, i, 22, 28, "graduate")
        if months_hi < 0:
            left = hired + _days(d.int(10, 60))
        else:
            left = _plus_months(hired, -d.int(months_lo, months_hi)) - _days(d.int(0, 10))
        d.put("graduated_on", i, left)

    def conditions(self):
        def under_16(d, i):
            graduate = d.cols["employee_group"][i] == "graduate"
            self._person(d, i, 14, 16, "poverty_alleviated" if graduate else None)

        def other_group(d, i):
            d.put("employee_group", i, "other")
            d.put("graduated_on", i, NAT)

        return (
            ("employer type 其他", self._other_employer),
            ("person group 其他", other_group),
            ("not a new post", lambda d, i: d.put("new_post", i, False)),
            ("no labour contract", lambda d, i: d.put("contract_signed", i, False)),
            ("no social insurance", lambda d, i: d.put("social_insurance_paid", i, False)),
            ("graduate hired after the 2-year window", lambda d, i: self._graduate(d, i, 25, 40)),
            ("graduate hired before leaving school", lambda d, i: self._graduate(d, i, 0, -1)),
            ("person under 16 on hired_on", under_16),
        )

    def repeat(self, d, i, src):
        names, codes, types = d.pool["employers"]
        others = np.flatnonzero(codes != src.get("employer_credit_code"))
        e = int(d.one(others)) if len(others) else 0
        d.put("employer_name", i, names[e])
        d.put("employer_credit_code", i, codes[e])
        d.put("employer_type", i, types[e])
        for name in ("employee_name", "employee_id", "employee_group", "graduated_on"):
            d.put(name, i, src[name])
        hired = min(src["hired_on"] + _days(d.int(7, 60)), d.last)
        if src["employee_group"] == "graduate" and hired >= _plus_months(src["graduated_on"], 24):
            hired = src["hired_on"]
        d.put("hired_on", i, hired)

    def invalid_extra(self):
        def graduate_without_date(d, t, i):
            t["employee_group"][i] = d.template.column("employee_group").label_of("graduate")
            t["graduated_on"][i] = ""

        return (("graduate without 离校日期", graduate_without_date),)


class _Goji(_Program):
    code = "QH-GQ"
    repeat_label = "the same worker in an overlapping picking period"

    def fill(self, d):
        n, g = d.n, d.g
        k = max(3, n // 25)
        start = d.dates(d.day(5, 15), d.day(7, 20), n)
        broker_names, broker_ids = d.people(k, _regions(QINGHAI), start.min(), 28, 60, tibetan=0.1)
        which = g.integers(0, k, n)
        d.cols["broker_name"] = broker_names[which]
        d.cols["broker_id"] = broker_ids[which]
        names, ids = d.people(n, QINGHAI_FARMING, start, 18, 58, tibetan=0.2)
        d.cols["worker_name"], d.cols["worker_id"] = names, ids
        d.cols["worker_hukou"] = _qinghai(d, n)
        d.cols["farmer_herder"] = np.ones(n, dtype=bool)
        d.cols["destination"] = d.pick(HAIXI, n)
        d.cols["start_date"] = start
        months = d.g.choice([2, 3, 4, 5], n, p=(0.3, 0.35, 0.25, 0.1))
        d.cols["end_date"] = self._end(d, start, months)
        d.cols["worker_group"] = d.pick(
            ("poverty_alleviated", "monitored", "difficulty", "other"), n, p=(0.35, 0.1, 0.1, 0.45)
        )

    @staticmethod
    def _end(d: _Draft, start, months) -> np.ndarray:
        """End dates ``months`` (2 to 5) and up to 25 days after ``start`` (so 2 months or
        more and less than 6 months), or just 2 months where that would leave the year."""
        start = np.atleast_1d(np.asarray(start, dtype="datetime64[D]"))
        extra = d.g.integers(0, 26, len(start)).astype("timedelta64[D]")
        end = add_months(start, months) - DAY + extra
        return np.where(end <= d.last, end, add_months(start, 2) - DAY)

    def conditions(self):
        def hukou(d, i):
            start = d.cols["start_date"][i]
            names, ids = d.people(1, GANSU, start, 18, 58)
            d.put("worker_name", i, names[0])
            d.put("worker_id", i, ids[0])
            d.put("worker_hukou", i, d.one(GANSU_SPELLINGS))

        def short(d, i):  # one day short of 2 months (1 month 29 or 30 days)
            d.put("end_date", i, _plus_months(d.cols["start_date"][i], 2) - 2 * DAY)

        def six_months(d, i):
            start = d.date(d.day(5, 15), d.day(7, 1))
            d.put("start_date", i, start)
            d.put("end_date", i, _plus_months(start, 6) - DAY)

        def under_16(d, i):
            names, ids = d.people(1, QINGHAI_FARMING, d.cols["start_date"][i], 14, 16)
            d.put("worker_name", i, names[0])
            d.put("worker_id", i, ids[0])

        return (
            ("户籍 not Qinghai", hukou),
            ("not a farmer or herder (农牧民 否)", lambda d, i: d.put("farmer_herder", i, False)),
            ("destination outside 海西", lambda d, i: d.put("destination", i, d.one(NOT_HAIXI))),
            ("one day short of 2 months", short),
            ("exactly 6 months (not 不足6个月)", six_months),
            ("worker under 16 on start_date", under_16),
        )

    def repeat(self, d, i, src):
        for name in ("worker_name", "worker_id", "worker_hukou"):
            d.put(name, i, src[name])
        start = src["start_date"] + _days(d.int(0, 20))
        d.put("start_date", i, start)
        d.put("end_date", i, self._end(d, start, 2)[0])


class _Transport(_Program):
    code = "QH-JT"
    repeat_label = "the same person claimed the fare again"

    def fill(self, d):
        n = d.n
        start = d.dates(d.day(1, 5), d.day(8, 31), n)
        names, ids = d.people(n, _regions(QINGHAI), start, 18, 55, tibetan=0.15)
        d.cols["person_name"], d.cols["person_id"] = names, ids
        d.cols["hukou_province"] = _qinghai(d, n)
        d.cols["person_group"] = d.pick(("poverty_alleviated", "monitored"), n, p=(0.7, 0.3))
        d.cols["work_province"] = d.pick(ELSEWHERE, n)
        d.cols["employed_from"] = start
        until = add_months(start, d.g.integers(3, 10, n)) - DAY
        d.cols["employed_until"] = np.minimum(
            until + d.g.integers(0, 21, n).astype("timedelta64[D]"), d.last
        )
        d.cols["fare"] = self._fares(d, n)

    @staticmethod
    def _fares(d: _Draft, k: int) -> np.ndarray:
        """Fen: train or bus fares, some over the 1,000 cap."""
        g = d.g
        yuan = np.where(g.random(k) < 0.85, g.integers(280, 1451, k), g.integers(1001, 1801, k))
        return (yuan * 100 + np.where(g.random(k) < 0.15, 50, 0)).astype(object)

    def conditions(self):
        def hukou(d, i):
            names, ids = d.people(1, GANSU, d.cols["employed_from"][i], 18, 55)
            d.put("person_name", i, names[0])
            d.put("person_id", i, ids[0])
            d.put("hukou_province", i, d.one(GANSU_SPELLINGS))

        def two_months(d, i):
            start = d.cols["employed_from"][i]
            d.put("employed_until", i, _plus_months(start, 2) - DAY + _days(d.int(0, 20)))

        return (
            ("person group 其他", lambda d, i: d.put("person_group", i, "other")),
            ("户籍 not Qinghai", hukou),
            ("worked in Qinghai (not 跨省)", lambda d, i: d.put("work_province", i, d.one(("青海", "青海省")))),
            ("employed 2 months, not 3", two_months),
        )  # fmt: skip

    def repeat(self, d, i, src):
        for name in ("person_name", "person_id", "hukou_province", "person_group"):
            d.put(name, i, src[name])


class _Startup(_Program):
    code = "QH-CY"
    repeat_label = "the same founder or business claimed the grant again"

    def fill(self, d):
        n = d.n
        d.place = "qinghai"
        assessed = d.dates(d.day(1, 5), d.day(12, 20), n)
        licensed = add_months(assessed, -d.g.integers(12, 31, n)) - d.g.integers(0, 26, n).astype(
            "timedelta64[D]"
        )
        licensed = np.maximum(licensed, d.effective)
        assessed = np.maximum(assessed, add_months(licensed, 12))
        names, ids = d.people(n, _regions(QINGHAI), licensed, 22, 55, tibetan=0.15)
        d.cols["founder_name"], d.cols["founder_id"] = names, ids
        d.cols["brand_entrepreneur"] = np.ones(n, dtype=bool)
        form = d.pick(("small_micro_enterprise", "individual_business"), n, p=(0.4, 0.6))
        self._business(d, np.arange(n), form)
        d.cols["registered_province"] = _qinghai(d, n)
        d.cols["licensed_on"] = licensed
        d.cols["assessed_on"] = assessed
        d.cols["operating_normally"] = np.ones(n, dtype=bool)

    @staticmethod
    def _business(d: _Draft, rows: np.ndarray, form: np.ndarray) -> None:
        k = len(rows)
        places = _places(QINGHAI)
        company = d.unit_names(
            k, places, ("餐饮管理", "家政服务", "商贸", "文化传媒"), ("有限公司",)
        )
        shop = d.unit_names(k, places, ("拉面馆", "民族服饰店", "汽车修理部", "土特产店"), ("",))
        coop = d.unit_names(k, places, ("枸杞种植", "牦牛养殖"), ("农民专业合作社",))
        names = np.select(
            [form == "small_micro_enterprise", form == "individual_business"], [company, shop], coop
        ).astype(object)
        heads = np.select(
            [form == "small_micro_enterprise", form == "individual_business"], ["91", "92"], "93"
        ).astype(object)
        codes = d.credit_codes(_prefixes(d, k, heads, QINGHAI))
        for name, values in (
            ("business_form", form),
            ("business_name", names),
            ("credit_code", codes),
        ):
            if name not in d.cols:
                d.cols[name] = np.empty(d.n, dtype=object)
            for row, value in zip(rows, values, strict=True):
                d.put(name, int(row), value)

    def conditions(self):
        def eleven_months(d, i):
            assessed = d.cols["assessed_on"][i]
            d.put("licensed_on", i, _plus_months(assessed, -11) - _days(d.int(0, 20)))

        def outside(d, i):
            d.put("registered_province", i, d.one(GANSU_SPELLINGS + ("四川省",)))

        return (
            ("operating 11 months, not 1 year", eleven_months),
            ("not a brand entrepreneur", lambda d, i: d.put("brand_entrepreneur", i, False)),
            ("business form 其他 (a co-operative)", lambda d, i: self._business(d, np.array([i]), np.array(["other"], dtype=object))),
            ("registered outside Qinghai", outside),
            ("not operating normally", lambda d, i: d.put("operating_normally", i, False)),
        )  # fmt: skip

    def repeat(self, d, i, src):
        if d.g.random() < 0.6:  # the same founder with a new business
            for name in ("founder_name", "founder_id"):
                d.put(name, i, src[name])
        else:  # the same business under another founder
            for name in ("business_name", "credit_code", "business_form", "licensed_on"):
                d.put(name, i, src[name])
            later = _plus_months(src["licensed_on"], 12)
            d.put("assessed_on", i, max(d.cols["assessed_on"][i], later))


class _Sme(_Program):
    code = "QH-ZJ"
    repeat_label = "the same unit and recognition claimed again"

    def fill(self, d):
        n = d.n
        d.place = "qinghai"
        d.cols["unit_name"] = d.unit_names(
            n, ("青海", "西宁", "格尔木", "海东"), ("拉面产业", "家政服务", "建筑劳务", "牦牛乳业", "枸杞科技"),
            ("股份有限公司", "有限公司", "集团有限公司"),
        )  # fmt: skip
        d.cols["credit_code"] = d.credit_codes(_prefixes(d, n, "91", QINGHAI))
        d.cols["brand_lead_enterprise"] = np.ones(n, dtype=bool)
        d.cols["recognition"] = d.pick(("provincial", "national_little_giant"), n, p=(0.75, 0.25))
        d.cols["requested_amount"] = np.array(
            [self._requested(d, r) for r in d.cols["recognition"]], dtype=object
        )

    @staticmethod
    def _requested(d: _Draft, recognition: str) -> int:
        """Fen; some above the cap (不高于 50万 / 100万)."""
        if recognition == "provincial":
            return d.int(20, 60) * 1_000_000
        return d.int(50, 120) * 1_000_000

    def conditions(self):
        return (
            ("not a brand lead enterprise", lambda d, i: d.put("brand_lead_enterprise", i, False)),
        )

    def repeat(self, d, i, src):
        for name in ("unit_name", "credit_code", "recognition"):
            d.put(name, i, src[name])
        d.put("requested_amount", i, self._requested(d, src["recognition"]))

    def invalid_extra(self):
        def wan(d, t, i):  # "50万元": not an amount in yuan
            t["requested_amount"][i] = f"{d.int(20, 60)}万元"

        return (("申请金额 written as 万元", wan),)


class _Loan(_Program):
    code = "QH-DK"
    keyed = False

    def fill(self, d):
        n = d.n
        d.place = "qinghai"
        kind = d.pick(
            ("individual", "partnership", "small_micro_enterprise"), n, p=(0.5, 0.25, 0.25)
        )
        names, ids = d.people(n, _regions(QINGHAI), d.last, 22, 55, tibetan=0.15)
        company = d.unit_names(
            n, _places(QINGHAI), ("餐饮管理", "商贸", "农牧科技", "建筑劳务"), ("有限公司",)
        )
        codes = d.credit_codes(_prefixes(d, n, "91", QINGHAI))
        enterprise = kind == "small_micro_enterprise"
        d.cols["borrower_name"] = np.where(enterprise, company, names).astype(object)
        d.cols["borrower_id"] = np.where(enterprise, codes, ids).astype(object)
        d.cols["borrower_kind"] = kind
        partners = d.g.integers(2, 13, n)
        d.cols["eligible_partners"] = np.where(kind == "partnership", partners, 0).astype(object)
        d.cols["requested_amount"] = np.array(
            [self._requested(d, k, p) for k, p in zip(kind, partners, strict=True)], dtype=object
        )

    @staticmethod
    def _requested(d: _Draft, kind: str, partners: int) -> int:
        """Fen; some above the ceiling (approved at the ceiling)."""
        if kind == "individual":
            return d.int(5, 30) * 1_000_000
        if kind == "partnership":
            return partners * d.int(15, 26) * 1_000_000
        return d.int(2, 10) * 50_000_000

    def invalid_extra(self):
        def person(d, t, i):
            t["borrower_kind"][i] = d.template.column("borrower_kind").label_of("individual")
            t["borrower_name"][i] = d.names(1)[0]
            t["eligible_partners"][i] = ""
            return d.people(1, _regions(QINGHAI), d.last, 22, 55)[1][0]

        def bad_check(d, t, i):
            t["borrower_id"][i] = _wrong_check(d, person(d, t, i))

        def o_code(d, t, i):
            t["borrower_kind"][i] = d.template.column("borrower_kind").label_of(
                "small_micro_enterprise"
            )
            t["borrower_id"][i] = _with_o(d, d.credit_codes(_prefixes(d, 1, "91", QINGHAI))[0])
            t["eligible_partners"][i] = ""

        def no_partners(d, t, i):
            t["borrower_kind"][i] = d.template.column("borrower_kind").label_of("partnership")
            t["eligible_partners"][i] = ""

        def id_for_enterprise(d, t, i):
            t["borrower_kind"][i] = d.template.column("borrower_kind").label_of(
                "small_micro_enterprise"
            )
            while True:  # one in 31 身份证号 also passes as a 统一社会信用代码: not those
                number = d.people(1, _regions(QINGHAI), d.last, 22, 55)[1][0]
                if credit_code_check_character(number[:17]) != number[17]:
                    break
            t["borrower_id"][i] = number
            t["eligible_partners"][i] = ""

        return (
            ("bad 身份证号 check character", bad_check),
            ("统一社会信用代码 with an O", o_code),
            ("partnership without 符合条件合伙人数", no_partners),
            ("enterprise given a 身份证号", id_for_enterprise),
        )


# -- recognition standards (no money)


class _DalianStandard(_Program):
    code = "DL-RD"
    keyed = False

    def fill(self, d):
        n, g = d.n, d.g
        d.place = "dalian"
        d.cols["unit_name"] = d.unit_names(
            n, _places(DALIAN), ("家政服务", "海产养殖", "船舶修造", "人力资源服务"), ("有限公司",)
        )
        d.cols["credit_code"] = d.credit_codes(_prefixes(d, n, "91", DALIAN))
        level = d.pick(("city", "district"), n, p=(0.45, 0.55))
        d.cols["level"] = level
        for name in (
            "registered_in_dalian",
            "independent_legal_person",
            "brand_identity",
            "lawful_conduct",
        ):
            d.cols[name] = np.ones(n, dtype=bool)
        minimum = np.where(level == "city", 1000, 500)
        d.cols["trained_per_year"] = (minimum + g.integers(0, 1500, n)).astype(object)
        d.cols["placed_per_year"] = (minimum + g.integers(0, 1200, n)).astype(object)
        rate = g.integers(81, 100, n) * 100 + np.where(g.random(n) < 0.2, 50, 0)
        d.cols["training_pass_rate"] = np.minimum(rate, 10000).astype(object)
        d.cols["placed_trained_share"] = (g.integers(50, 96, n) * 100).astype(object)
        d.cols["contract_rate"] = np.full(n, 10000, dtype=object)
        d.cols["filing_rate"] = np.full(n, 10000, dtype=object)

    @staticmethod
    def _minimum(d, i) -> int:
        return 1000 if d.cols["level"][i] == "city" else 500

    def conditions(self):
        def no(name):
            return lambda d, i: d.put(name, i, False)

        return (
            ("no independent legal person", no("independent_legal_person")),
            ("not registered in Dalian", no("registered_in_dalian")),
            ("no brand name or trademark", no("brand_identity")),
            ("wage arrears or unlawful conduct", no("lawful_conduct")),
            ("trained below the level's minimum", lambda d, i: d.put("trained_per_year", i, self._minimum(d, i) - d.int(1, 60))),
            ("pass rate exactly 80% (not 超过80%)", lambda d, i: d.put("training_pass_rate", i, 8000)),
            ("placed below the level's minimum", lambda d, i: d.put("placed_per_year", i, self._minimum(d, i) - d.int(1, 60))),
            ("trained share 49%", lambda d, i: d.put("placed_trained_share", i, 4900)),
            ("labour contract rate below 100%", lambda d, i: d.put("contract_rate", i, d.int(90, 99) * 100)),
            ("filing rate below 100%", lambda d, i: d.put("filing_rate", i, 9850)),
        )  # fmt: skip

    def invalid_extra(self):
        def over(d, t, i):
            t["training_pass_rate"][i] = "105%"

        def about(d, t, i):
            t["trained_per_year"][i] = f"{d.int(10, 25)}00余"

        return (("pass rate over 100%", over), ("年培训人数 written 1200余", about))


class _YingkouStandard(_Program):
    code = "YK-RD"
    keyed = False
    YES_NO = ("independent_legal_person", "premises_and_rules", "no_violations_or_disputes",
              "brand_identity", "output_agreements", "records_complete")  # fmt: skip

    def fill(self, d):
        n, g = d.n, d.g
        d.place = "yingkou"
        d.cols["unit_name"] = d.unit_names(
            n,
            _places(YINGKOU),
            ("家政服务", "海产品加工", "镁质材料", "人力资源服务"),
            ("有限公司",),
        )
        d.cols["credit_code"] = d.credit_codes(_prefixes(d, n, "91", YINGKOU))
        for name in self.YES_NO:
            d.cols[name] = np.ones(n, dtype=bool)
        d.cols["intangible_heritage"] = g.random(n) < 0.15
        d.cols["years_operating"] = g.integers(2, 16, n).astype(object)
        per_year = g.integers(100, 600, n)
        two_years = np.maximum(per_year * 2 + g.integers(-50, 100, n), 201)
        d.cols["trained_per_year"] = per_year.astype(object)
        d.cols["trained_last_two_years"] = two_years.astype(object)
        d.cols["working_in_trade_after_training"] = (
            101 + (g.random(n) * (two_years - 100)).astype(np.int64)
        ).astype(object)
        d.cols["placed_per_year"] = (-(-per_year * 4 // 5) + g.integers(0, 300, n)).astype(object)

    def conditions(self):
        def no(name):
            return lambda d, i: d.put(name, i, False)

        def two_hundred(d, i):
            d.put("trained_last_two_years", i, 200)
            d.put("working_in_trade_after_training", i, d.int(101, 190))

        def below_share(d, i):
            trained = d.cols["trained_per_year"][i]
            d.put("placed_per_year", i, -(-trained * 4 // 5) - d.int(1, 20))

        return (
            ("no independent legal person", no("independent_legal_person")),
            ("no fixed premises or rules", no("premises_and_rules")),
            ("violations or open disputes", no("no_violations_or_disputes")),
            ("operating 1 year", lambda d, i: d.put("years_operating", i, 1)),
            ("no brand name or trademark", no("brand_identity")),
            ("trained exactly 200 over two years (not 超过200)", two_hundred),
            ("exactly 100 working in the trade (not 超过100)", lambda d, i: d.put("working_in_trade_after_training", i, 100)),
            ("trained 99 a year", lambda d, i: d.put("trained_per_year", i, 99)),
            ("training and job records incomplete", no("records_complete")),
            ("no long-term output agreements", no("output_agreements")),
            ("placed below 80% of trained", below_share),
        )  # fmt: skip

    def invalid_extra(self):
        def about(d, t, i):
            t["trained_per_year"][i] = f"{d.int(2, 5)}00余"

        return (("年培训人数 written 300余", about),)


class _ShandongStandard(_Program):
    code = "SD-RD"
    keyed = False

    def fill(self, d):
        n, g = d.n, d.g
        d.place = "shandong"
        d.cols["unit_name"] = d.unit_names(
            n, _places(SHANDONG), ("家政服务", "建筑劳务", "农业科技", "人力资源服务"), ("有限公司", "职业培训学校")
        )  # fmt: skip
        d.cols["credit_code"] = d.credit_codes(_prefixes(d, n, "91", SHANDONG))
        d.cols["trained_per_year"] = g.integers(500, 3000, n).astype(object)
        d.cols["placed_per_year"] = g.integers(500, 3000, n).astype(object)

    def conditions(self):
        return (
            ("trained below 500 a year", lambda d, i: d.put("trained_per_year", i, d.int(300, 499))),
            ("placed below 500 a year", lambda d, i: d.put("placed_per_year", i, d.int(300, 499))),
        )  # fmt: skip

    def invalid_extra(self):
        def about(d, t, i):
            t["placed_per_year"][i] = f"约{d.int(6, 20)}00"

        return (("年自用或输出人数 written 约800", about),)


PROGRAMS: dict[str, _Program] = {
    "dalian.brand_recognition": _Dalian(),
    "guangxi.training_base": _Guangxi("GX-JD", ("家政服务", "建筑工程", "米粉制作", "电子商务"), ("职业技能培训学校", "职业培训学校")),
    "guangxi.expert_studio": _Guangxi("GX-GZS", ("家政服务", "米粉食品", "建筑劳务", "人力资源"), ("有限公司",)),
    "guangxi.lead_enterprise": _Guangxi("GX-LT", ("家政服务", "螺蛳粉食品", "建工集团", "人力资源服务"), ("有限公司", "股份有限公司")),
    "qinghai.hiring_bonus": _Hiring(),
    "qinghai.goji_broker": _Goji(),
    "qinghai.transport": _Transport(),
    "qinghai.startup_grant": _Startup(),
    "qinghai.specialised_sme": _Sme(),
    "qinghai.guarantee_loan": _Loan(),
    "dalian.brand_assessment": _DalianStandard(),
    "yingkou.brand_assessment": _YingkouStandard(),
    "shandong.brand_assessment": _ShandongStandard(),
}  # fmt: skip


def _qinghai(d: _Draft, k: int) -> np.ndarray:
    return d.pick([s for s, _ in QINGHAI_SPELLINGS], k, p=[p for _, p in QINGHAI_SPELLINGS])


# ---------------------------------------------------------------- invalid data


def _wrong_check(d: _Draft, value: str) -> str:
    right = value[-1].upper()
    return value[:-1] + d.one([c for c in "0123456789X" if c != right])


def _with_o(d: _Draft, code: str) -> str:
    """An officer's O for a 0 (or an O anywhere in the code's body)."""
    zeros = [p for p in range(2, 17) if code[p] == "0"]
    p = int(d.one(zeros)) if zeros else d.int(8, 16)
    return code[:p] + "O" + code[p + 1 :]


def _excel_number(value: str) -> str:
    """What Excel shows for an 18-digit id typed into a General cell: 6.30102E+17."""
    digits = value[:17] + ("0" if value[-1] in "xX" else value[-1])
    return f"{int(digits):.5E}"


def _invalid_cases(program: _Program, template: Template) -> tuple[TextCase, ...]:
    cols = template.columns
    resident = [c.name for c in cols if c.kind == "resident_id"]
    credit = [c.name for c in cols if c.kind == "credit_code"]
    dates = [c.name for c in cols if c.kind == "date" and c.required]
    cases: list[TextCase] = []

    def change(name: str, how: Callable[[_Draft, str], str]) -> Callable[[_Draft, dict, int], None]:
        def apply(d: _Draft, t: dict, i: int) -> None:
            t[name][i] = how(d, t[name][i])

        return apply

    if resident:  # the person the claim is for
        cases.append(("bad 身份证号 check character", change(resident[-1], _wrong_check)))
        cases.append(
            (
                "身份证号 Excel turned into 6.30102E+17",
                change(resident[-1], lambda d, v: _excel_number(v)),
            )
        )
    if credit:
        cases.append(("统一社会信用代码 with an O", change(credit[0], _with_o)))
    if dates:
        cases.append(
            (
                "an unreal date (2月30日, 4月31日 …)",
                change(dates[0], lambda d, v: d.one(_unreal(d.year))),
            )
        )
    for earlier, later in template.ordered_dates:

        def reversed_(d, t, i, earlier=earlier, later=later):
            t[later][i] = _date_text(d.cols[earlier][i] - _days(d.int(3, 40)), d.g.random() < 0.2)

        cases.append(("end date before the start", reversed_))
    cases.extend(program.invalid_extra())

    def blank(d, t, i):
        names = [c.name for c in template.required if c.name != "claim_id"]
        t[d.one(names)][i] = ""

    def repeated_id(d, t, i):
        if i == 0:  # nothing above to repeat
            blank(d, t, i)
        else:
            t["claim_id"][i] = t["claim_id"][d.int(0, i - 1)]

    cases.append(("a required cell left blank", blank))
    cases.append(("申请编号 entered twice", repeated_id))
    return tuple(cases)


def _unreal(year: int) -> tuple[str, ...]:
    return (f"{year}-02-30", f"{year}/2/30", f"{year}-04-31", f"{year}/6/31", f"{year}-09-31")


# ---------------------------------------------------------------- cell text


def _date_text(day, slash: bool) -> str:
    if np.isnat(day):
        return ""
    day = day.astype(object)
    return f"{day.year}/{day.month}/{day.day}" if slash else day.isoformat()


def _dates_text(g: np.random.Generator, values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype="datetime64[D]")
    iso = np.datetime_as_string(values, unit="D").astype(object)
    year = values.astype("datetime64[Y]").astype(np.int64) + 1970
    month = (values.astype("datetime64[M]") - values.astype("datetime64[Y]")).astype(np.int64) + 1
    day = (values - values.astype("datetime64[M]")).astype(np.int64) + 1
    slash = year.astype(str).astype(object) + "/" + month.astype(str) + "/" + day.astype(str)
    out = np.where(g.random(len(values)) < 0.2, slash, iso)
    return np.where(np.isnat(values), "", out).astype(object)


def _amount_text(g: np.random.Generator, fen: np.ndarray) -> np.ndarray:
    styles = g.choice(4, len(fen), p=(0.45, 0.3, 0.15, 0.1))
    out = np.empty(len(fen), dtype=object)
    for i, (value, style) in enumerate(zip(fen, styles, strict=True)):
        yuan, part = divmod(int(value), 100)
        plain = f"{yuan}" if part == 0 else f"{yuan}.{part:02d}"
        out[i] = (plain, f"{yuan:,}.{part:02d}", f"¥{plain}", f"{plain}元")[style]
    return out


def _percent_text(g: np.random.Generator, hundredths: np.ndarray) -> np.ndarray:
    sign = g.random(len(hundredths)) < 0.5
    out = np.empty(len(hundredths), dtype=object)
    for i, value in enumerate(hundredths):
        whole, part = divmod(int(value), 100)
        text = f"{whole}" if part == 0 else f"{whole}.{part:02d}".rstrip("0")
        out[i] = text + ("%" if sign[i] else "")
    return out


def _choice_text(g: np.random.Generator, column: Column, values: np.ndarray) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    other = g.random(len(values)) < 0.12
    for i, value in enumerate(values):
        choice = next((c for c in column.choices if c.value == value), None)
        if choice is None:
            out[i] = "" if value is None else str(value)
        elif other[i] and choice.aliases:
            out[i] = choice.aliases[int(g.integers(0, len(choice.aliases)))]
        else:
            out[i] = choice.label
    return out


def _as_text(d: _Draft, template: Template) -> dict[str, np.ndarray]:
    g = d.g
    text: dict[str, np.ndarray] = {}
    for column in template.columns:
        values = d.cols[column.name]
        if column.kind == "date":
            text[column.name] = _dates_text(g, values)
        elif column.kind == "yes_no":
            text[column.name] = np.where(values.astype(bool), "是", "否").astype(object)
        elif column.kind == "choice":
            text[column.name] = _choice_text(g, column, values)
        elif column.kind == "amount":
            text[column.name] = _amount_text(g, values)
        elif column.kind == "percent":
            text[column.name] = _percent_text(g, values)
        elif column.kind == "count":
            shown = np.array([str(int(v)) for v in values], dtype=object)
            if column.name == "eligible_partners":  # partnerships only
                text[column.name] = np.where(d.cols["borrower_kind"] == "partnership", shown, "")
            else:
                suffix = "年" if column.name == "years_operating" else "人"
                text[column.name] = np.where(g.random(d.n) < 0.1, shown + suffix, shown).astype(
                    object
                )
        elif column.kind == "resident_id":
            lower = np.char.endswith(values.astype(str), "X") & (g.random(d.n) < 0.3)
            text[column.name] = np.where(lower, np.char.lower(values.astype(str)), values).astype(
                object
            )
        else:
            text[column.name] = np.asarray(values, dtype=object).copy()
    return text


def _header(column: Column) -> str:
    return f"{column.label}（元）" if column.kind == "amount" else column.label


# ---------------------------------------------------------------- an earlier batch


def _parse_cell(column: Column, text: str):
    text = str(text or "").strip()
    if column.kind == "date":
        m = re.fullmatch(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", text)
        try:
            return np.datetime64(dt.date(*map(int, m.groups())), "D") if m else NAT
        except ValueError:
            return NAT
    if column.kind == "choice":
        return column.choice_lookup().get(normalise_value(text))
    if column.kind == "yes_no":
        value = normalise_value(text)
        return True if value in YES else False if value in NO else None
    if column.kind == "amount":
        try:
            return parse_yuan(text)
        except (AmountError, TypeError):
            return None
    if column.kind in ID_KINDS:
        return text.upper()
    return text


def _earlier(earlier: pd.DataFrame | None, program_id: str, year: int):
    """The earlier frame's columns by template name, and its eligible rows: those it was
    made to be (``attrs["intent"]``) or, for a frame without them, those the rule passes."""
    if earlier is None or earlier.empty:
        return None, np.array([], dtype=np.int64)
    calc = calculator(program_id)
    template = calc.template
    found = template.match_header([str(c) for c in earlier.columns])
    cells = earlier.to_numpy(dtype=object)  # no pandas operations: they deep-copy attrs
    by_name = {
        name: np.array(["" if pd.isna(v) else str(v) for v in cells[:, pos]], dtype=object)
        for pos, name in found.items()
    }
    intent = earlier.attrs.get("intent")
    if intent is not None and len(intent) == len(earlier):
        status = np.array(intent, dtype=object)
    else:
        raw = pd.DataFrame({name: by_name[name] for name in template.names if name in by_name})
        status = evaluate(calc, raw, as_of=dt.date(year, 12, 31))["status"].to_numpy()
    return by_name, np.flatnonzero(status == "eligible")


def _next_serial(ids, head: str) -> int:
    pattern = re.compile(re.escape(head) + r"(\d+)$")
    numbers = [int(m.group(1)) for m in map(pattern.match, ids) if m]
    return max(numbers, default=0) + 1


# ---------------------------------------------------------------- the API


class Rows(tuple):
    """One value per row, kept in ``DataFrame.attrs``: pandas deep-copies attrs on every
    operation, and this tuple of str is shared instead (it cannot change)."""

    def __deepcopy__(self, memo) -> Rows:
        return self


def cases(program_id: str) -> dict[str, list[str]]:
    """The ineligible and invalid cases :func:`generate` makes for a program, in turn."""
    program = PROGRAMS[program_id]
    template = calculator(program_id).template
    return {
        "ineligible": [label for label, _ in program.conditions()],
        "invalid": [label for label, _ in _invalid_cases(program, template)],
    }


def generate(
    program_id: str,
    n: int,
    *,
    seed: int,
    year: int = 2024,
    id_prefix: str = "",
    earlier: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``n`` claims for ``program_id`` as the cell text an officer types, Chinese headers.

    The same arguments give the same frame. 申请编号 is ``{id_prefix}{year}{serial:05d}``,
    or ``{program code}-{year}-{serial:05d}`` without a prefix; serials continue after the
    highest in ``earlier`` so a second batch never reuses a 申请编号 by accident.
    """
    calc = calculator(program_id)
    program, template = PROGRAMS[program_id], calc.template
    effective = calc.program.in_force_from
    if year < effective.year:
        raise ValueError(f"{program_id}: its document took effect on {effective}, after {year}")
    if n < 0:
        raise ValueError(f"n must not be negative, not {n}")
    if n == 0:
        headers = [SERIAL, *map(_header, template.columns)]
        frame = pd.DataFrame(columns=headers + [BANK_ACCOUNT] * (calc.program.kind == "payout"))
        frame = frame.astype(object)
        frame.attrs.update(program_id=program_id, intent=Rows(), duplicate_of=Rows())
        return frame
    g = np.random.default_rng([seed, zlib.crc32(program_id.encode())])
    d = _Draft(g, n, year, effective)
    d.template = template

    old, sources = _earlier(earlier, program_id, year)
    if old is not None:
        for column in template.columns:
            if column.kind in ID_KINDS and column.name in old:
                d.taken.update(v.upper() for v in old[column.name])

    # what each row is meant to be
    conditions = program.conditions()
    invalid_cases = _invalid_cases(program, template)
    counts = {
        "ineligible": round(0.12 * n) if conditions else 0,
        "invalid": round(0.05 * n),
        "duplicate": round(0.05 * n) if program.keyed and n >= 10 else 0,
        "repeat": min(round(0.05 * n), len(sources)),
    }
    plan = np.array(
        sum(([k] * v for k, v in counts.items()), []) + ["eligible"] * (n - sum(counts.values())),
        dtype=object,
    )
    plan = plan[g.permutation(n)]
    if plan[0] != "eligible" and (plan == "eligible").any():  # a duplicate needs one above
        first = int(np.flatnonzero(plan == "eligible")[0])
        plan[[0, first]] = plan[[first, 0]]
    intent = np.full(n, "eligible", dtype=object)
    duplicate_of = np.full(n, "", dtype=object)

    head = f"{id_prefix}{year}" if id_prefix else f"{program.code}-{year}-"
    start = _next_serial(old["claim_id"], head) if old is not None and "claim_id" in old else 1
    program.fill(d)
    d.cols["claim_id"] = np.array([f"{head}{start + k:05d}" for k in range(n)], dtype=object)

    for k, i in enumerate(np.flatnonzero(plan == "ineligible")):
        label, make = conditions[k % len(conditions)]
        make(d, int(i))
        intent[i] = f"ineligible: {label}"
    for i in np.flatnonzero(plan == "duplicate"):
        eligible_before = np.flatnonzero(plan[:i] == "eligible")
        j = int(d.one(eligible_before))
        program.repeat(d, int(i), d.row(j))
        intent[i] = f"duplicate: {program.repeat_label} (in this file)"
        duplicate_of[i] = d.cols["claim_id"][j]
    repeat_rows = np.flatnonzero(plan == "repeat")
    chosen = g.choice(sources, len(repeat_rows), replace=False) if len(repeat_rows) else []
    if program.keyed:
        for i, j in zip(repeat_rows, chosen, strict=True):
            src = {
                c.name: _parse_cell(c, old[c.name][j]) for c in template.columns if c.name in old
            }
            program.repeat(d, int(i), src)
            intent[i] = f"duplicate: {program.repeat_label} (earlier batch)"
            duplicate_of[i] = old["claim_id"][j]

    text = _as_text(d, template)
    if not program.keyed:  # a claim resubmitted as it was, under its old 申请编号
        for i, j in zip(repeat_rows, chosen, strict=True):
            for name in text:
                if name in old:
                    text[name][i] = old[name][j]
            intent[i] = "duplicate: an earlier claim resubmitted under its 申请编号 (earlier batch)"
            duplicate_of[i] = old["claim_id"][j]
    order = np.flatnonzero(plan == "invalid")
    for k, i in enumerate(order):
        label, make = invalid_cases[k % len(invalid_cases)]
        make(d, text, int(i))
        intent[i] = f"invalid: {label}"

    frame = pd.DataFrame({SERIAL: [str(k + 1) for k in range(n)]}, dtype=object)
    for column in template.columns:
        frame[_header(column)] = text[column.name]
    if calc.program.kind == "payout":
        frame[BANK_ACCOUNT] = _bank_accounts(g, n)
    frame = frame.astype(object)
    frame.attrs.update(program_id=program_id, intent=Rows(intent), duplicate_of=Rows(duplicate_of))
    return frame


def write_sheet(
    frame: pd.DataFrame,
    path: Path,
    *,
    program_id: str,
    title: str,
    unit: str,
    filled_on: dt.date | None = None,
) -> Path:
    """Write ``frame`` as XLSX or CSV (UTF-8 with BOM) by ``path``'s suffix, as officers keep
    it: a title row, 填报单位/填报日期, the header, the claims and a 合计 row."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    template = calculator(program_id).template
    found = template.match_header([str(c) for c in frame.columns])
    kinds = {pos: template.column(name).kind for pos, name in found.items()}
    names = {pos: name for pos, name in found.items()}
    headers = [str(c) for c in frame.columns]
    cells = frame.fillna("").astype(str).to_numpy(dtype=object)
    width = len(headers)
    filled = filled_on or dt.date.today()
    unit_line = f"填报单位：{unit}    填报日期：{filled.year}年{filled.month}月{filled.day}日"

    totals = [""] * width
    totals[0] = "合计"
    claim_pos = next((p for p, n in names.items() if n == "claim_id"), 0)
    if claim_pos + 1 < width:
        totals[claim_pos + 1] = f"共{len(frame)}条"
    for pos, kind in kinds.items():
        if kind == "amount":
            fen = parse_amounts(pd.Series(cells[:, pos], dtype="string"))[0]
            whole, part = divmod(int(fen.sum(skipna=True)), 100)
            totals[pos] = f"{whole:,}.{part:02d}"

    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            out = csv.writer(handle)
            out.writerow([title] + [""] * (width - 1))
            out.writerow([unit_line] + [""] * (width - 1))
            out.writerow(headers)
            out.writerows(cells.tolist())
            out.writerow(totals)
        return path
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise ValueError(f"{path}: write .xlsx or .csv")
    _write_xlsx(path, title, unit_line, headers, cells, totals, kinds, names)
    return path


def _write_xlsx(path, title, unit_line, headers, cells, totals, kinds, names) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    width = len(headers)
    book = Workbook()
    sheet = book.active
    sheet.title = "申报表"
    last = get_column_letter(width)
    sheet.append([title])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([unit_line])
    sheet.merge_cells(f"A2:{last}2")
    sheet.append(headers)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = box
    as_text = {pos for pos, kind in kinds.items() if kind in ID_KINDS} | {
        pos for pos, name in names.items() if name == "claim_id"
    }
    as_text |= {p for p, h in enumerate(headers) if h == BANK_ACCOUNT}
    for r, row in enumerate(cells, start=4):
        for pos, text in enumerate(row):
            cell = sheet.cell(row=r, column=pos + 1)
            value, number_format = _excel_value(text, kinds.get(pos), pos in as_text)
            cell.value = value
            if number_format:
                cell.number_format = number_format
    sheet.append(totals)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for pos, header in enumerate(headers):
        wide = 22 if pos in as_text or kinds.get(pos) == "text" else 12
        sheet.column_dimensions[get_column_letter(pos + 1)].width = max(wide, len(header) * 2 + 2)
    sheet.freeze_panes = "A4"
    book.save(path)


_PLAIN = re.compile(r"[0-9]+(\.[0-9]{1,2})?")
_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]{1,2})?")
_CURRENCY = re.compile(r"[¥￥]([0-9]+(\.[0-9]{1,2})?)")
_SCIENTIFIC = re.compile(r"[0-9]\.[0-9]+E\+[0-9]+")
_DATE = re.compile(r"(\d{4})([-/])(\d{1,2})[-/](\d{1,2})")


def _number(text: str):
    value = float(text)
    return int(value) if value.is_integer() else value


def _excel_value(text: str, kind: str | None, as_text: bool):
    """A cell as Excel holds what an officer typed: dates and plain numbers converted,
    identity numbers in a column formatted as text (an id Excel already turned into a
    number stays the number it became)."""
    if text == "":
        return None, "@" if as_text else None
    if as_text:
        if kind in ID_KINDS and _SCIENTIFIC.fullmatch(text):
            return float(text), "0.00000E+00"
        return text, "@"
    if kind == "date":
        m = _DATE.fullmatch(text)
        if m:
            try:
                day = dt.date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
            except ValueError:
                return text, None  # 2024-02-30 stays the text it was typed as
            return day, "yyyy/m/d" if m.group(2) == "/" else "yyyy-mm-dd"
        return text, None
    if kind == "amount":
        if _PLAIN.fullmatch(text):
            return _number(text), "0.00" if "." in text else "General"
        if _GROUPED.fullmatch(text):
            return _number(text.replace(",", "")), "#,##0.00"
        m = _CURRENCY.fullmatch(text)
        if m:
            return _number(m.group(1)), '"¥"#,##0.00'
        return text, None
    if kind in ("count", "province", None) and re.fullmatch(r"[1-9][0-9]{0,8}", text):
        return int(text), None
    if kind == "percent" and _PLAIN.fullmatch(text):
        return _number(text), None  # "85" typed as a number; "85%" is kept as the text typed
    return text, None
