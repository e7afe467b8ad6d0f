"""Claims for qinghai.hiring_bonus: people of the listed groups hired by brand enterprises and
workshops, with the employer types, groups, graduate window and working age in force."""

from __future__ import annotations

import numpy as np

from subsidies.demo.synthetic import places
from subsidies.demo.synthetic.draft import NAT, Draft, days, plus_months
from subsidies.demo.synthetic.invalid import InvalidKind
from subsidies.demo.synthetic.programs.base import Condition, ProgramClaims, no

HOME = "63"
UNITS = {  # employer type -> (trades, suffixes, credit code head)
    "brand_enterprise": (("拉面餐饮管理", "家政服务", "建筑劳务", "人力资源服务", "物业服务"), ("有限公司",), "91"),
    "assistance_workshop": (("民族服饰", "藏毯编织", "刺绣", "牛羊肉加工"), ("就业帮扶车间",), "91"),
    "other": (("商贸", "汽车销售", "建材"), ("有限公司",), "91"),
}  # fmt: skip


class HiringClaims(ProgramClaims):
    code = "QH-XN"
    repeat_label = "the same person hired again by another employer"

    def fill(self, d: Draft) -> None:
        n, g = d.n, d.g
        d.province = HOME
        k = max(4, n // 12)  # a few employers, each claiming for several people
        types = d.pick(d.value("employer_types"), k)
        names, codes = self._employers(d, types)
        d.pool["employers"] = (names, codes, types)
        which = g.integers(0, k, n)
        d.cols["employer_name"] = names[which]
        d.cols["employer_credit_code"] = codes[which]
        d.cols["employer_type"] = types[which]
        hired = d.dates(d.day(1, 3), d.day(12, 20), n)
        d.cols["hired_on"] = hired
        group = d.pick(d.value("groups"), n)
        d.cols["employee_group"] = group
        graduate = group == "graduate"
        # graduates are young, the others of any working age
        age = max(d.value("minimum_working_age"), 18)
        births = np.where(graduate, d.births(hired, 21, 27), d.births(hired, age, 50))
        d.cols["employee_name"] = d.names(n, tibetan=0.15)
        regions = d.pick(places.codes(places.REGIONS[HOME]), n)
        d.cols["employee_id"] = d.resident_ids(regions, births)
        left = np.full(n, NAT)
        left[graduate] = self._graduated(d, hired[graduate])
        d.cols["graduated_on"] = left
        for name in ("new_post", "contract_signed", "social_insurance_paid"):
            d.cols[name] = np.ones(n, dtype=bool)

    @staticmethod
    def _employers(d: Draft, types: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        where = places.place_names(places.REGIONS[HOME])
        names = np.empty(len(types), dtype=object)
        heads = np.empty(len(types), dtype=object)
        for kind, (trades, suffixes, head) in UNITS.items():
            rows = np.flatnonzero(types == kind)
            names[rows] = d.unit_names(len(rows), where, trades, suffixes)
            heads[rows] = head
        codes = d.credit_codes(d.credit_prefixes(len(types), heads, places.REGIONS[HOME]))
        return names, codes

    @staticmethod
    def _graduated(d: Draft, hired: np.ndarray) -> np.ndarray:
        """Left school in late June or July, up to a year before being hired (so well within
        the window after leaving school)."""
        year = hired.astype("datetime64[Y]")
        this = year.astype("datetime64[D]") + np.timedelta64(6 * 31 - 6, "D")  # about 20 June
        left = np.where(this + days(25) < hired, this, plus_months(this, -12))
        return left + days(d.ints(0, 20, len(hired)))

    def _people(self, d, rows, min_age, max_age, group=None):
        hired = d.cols["hired_on"][rows]
        names, ids = d.people(
            len(rows), places.codes(places.REGIONS[HOME]), hired, min_age, max_age
        )
        d.put("employee_name", rows, names)
        d.put("employee_id", rows, ids)
        if group:
            d.put("employee_group", rows, group)
            d.put("graduated_on", rows, NAT)

    def _graduates(self, d, rows, months_lo, months_hi):
        """Graduates who left school ``months_lo``..``months_hi`` months before being hired
        (negative: hired before leaving)."""
        hired = d.cols["hired_on"][rows]
        self._people(d, rows, 22, 28, "graduate")
        if months_hi < 0:
            left = hired + days(d.ints(10, 60, len(rows)))
        else:
            months = d.ints(months_lo, months_hi, len(rows))
            left = plus_months(hired, -months) - days(d.ints(0, 10, len(rows)))
        d.put("graduated_on", rows, left)

    def conditions(self, d: Draft) -> tuple[Condition, ...]:
        age, window = d.value("minimum_working_age"), d.value("graduate_window_months")
        other_types = d.choices("employer_type", exclude=d.value("employer_types"))
        other_groups = d.choices("employee_group", exclude=d.value("groups"))

        def employer(kind):
            def make(d, rows):
                names, codes = self._employers(d, np.full(len(rows), kind, dtype=object))
                d.put("employer_name", rows, names)
                d.put("employer_credit_code", rows, codes)
                d.put("employer_type", rows, kind)

            return make

        def group(value):
            def make(d, rows):
                d.put("employee_group", rows, value)
                d.put("graduated_on", rows, NAT)

            return make

        def under_age(d, rows):
            graduate = d.cols["employee_group"][rows] == "graduate"
            self._people(d, rows[graduate], age - 2, age, "poverty_alleviated")
            self._people(d, rows[~graduate], age - 2, age)

        return (
            *((f"employer type {d.label('employer_type', v)}", employer(v)) for v in other_types),
            *((f"person group {d.label('employee_group', v)}", group(v)) for v in other_groups),
            ("not a new post", no("new_post")),
            ("no labour contract", no("contract_signed")),
            ("no social insurance", no("social_insurance_paid")),
            (
                f"graduate hired after the {window}-month window",
                lambda d, rows: self._graduates(d, rows, window + 1, window + 16),
            ),
            (
                "graduate hired before leaving school",
                lambda d, rows: self._graduates(d, rows, 0, -1),
            ),
            (f"person under {age} on hired_on", under_age),
        )

    def repeat(self, d: Draft, i: int, src: dict) -> None:
        names, codes, types = d.pool["employers"]
        others = np.flatnonzero(codes != src.get("employer_credit_code"))
        e = int(d.one(others)) if len(others) else 0
        d.put("employer_name", i, names[e])
        d.put("employer_credit_code", i, codes[e])
        d.put("employer_type", i, types[e])
        for name in ("employee_name", "employee_id", "employee_group", "graduated_on"):
            d.put(name, i, src[name])
        hired = min(src["hired_on"] + days(d.int(7, 60)), d.last)
        window = d.value("graduate_window_months")
        if src["employee_group"] == "graduate" and hired >= plus_months(
            src["graduated_on"], window
        ):
            hired = src["hired_on"]
        d.put("hired_on", i, hired)

    def invalid_extra(self, d: Draft) -> tuple[InvalidKind, ...]:
        def graduate_without_date(d, t, rows):
            t["employee_group"][rows] = d.label("employee_group", "graduate")
            t["graduated_on"][rows] = ""

        return (("graduate without 离校日期", graduate_without_date),)
