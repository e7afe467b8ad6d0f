"""Claims for qinghai.startup_grant: brand entrepreneurs' businesses, with the business forms,
home province and months of operation in force."""

from __future__ import annotations

import numpy as np

from subsidies.demo.synthetic import places
from subsidies.demo.synthetic.draft import Draft, days, plus_months
from subsidies.demo.synthetic.programs.base import Condition, ProgramClaims, no

HEADS = {"small_micro_enterprise": "91", "individual_business": "92"}  # else 93: a co-operative


class StartupClaims(ProgramClaims):
    code = "QH-CY"
    repeat_label = "the same founder or business claimed the grant again"

    def fill(self, d: Draft) -> None:
        n, g = d.n, d.g
        home, least = d.value("home_province"), d.value("min_months_operating")
        d.province = home
        assessed = d.dates(d.day(1, 5), d.day(12, 20), n)
        licensed = plus_months(assessed, -g.integers(least, least + 19, n))
        licensed = np.maximum(licensed - days(g.integers(0, 26, n)), d.effective)
        assessed = np.maximum(assessed, plus_months(licensed, least))
        regions = places.codes(places.REGIONS[home])
        names, ids = d.people(n, regions, licensed, 22, 55, tibetan=0.15)
        d.cols["founder_name"], d.cols["founder_id"] = names, ids
        d.cols["brand_entrepreneur"] = np.ones(n, dtype=bool)
        for name in ("business_form", "business_name", "credit_code"):
            d.cols[name] = np.empty(n, dtype=object)
        self._business(d, np.arange(n), d.pick(d.value("business_forms"), n))
        d.cols["registered_province"] = d.pick(places.spellings(home), n, p=(0.45, 0.45, 0.10))
        d.cols["licensed_on"] = licensed
        d.cols["assessed_on"] = assessed
        d.cols["operating_normally"] = np.ones(n, dtype=bool)

    @staticmethod
    def _business(d: Draft, rows: np.ndarray, form: np.ndarray) -> None:
        k, where = len(rows), places.place_names(places.REGIONS[d.province])
        company = d.unit_names(
            k, where, ("餐饮管理", "家政服务", "商贸", "文化传媒"), ("有限公司",)
        )
        shop = d.unit_names(k, where, ("拉面馆", "民族服饰店", "汽车修理部", "土特产店"), ("",))
        coop = d.unit_names(k, where, ("枸杞种植", "牦牛养殖"), ("农民专业合作社",))
        names = np.select(
            [form == "small_micro_enterprise", form == "individual_business"], [company, shop], coop
        ).astype(object)
        heads = np.array([HEADS.get(f, "93") for f in form], dtype=object)
        d.put("business_form", rows, form)
        d.put("business_name", rows, names)
        d.put(
            "credit_code",
            rows,
            d.credit_codes(d.credit_prefixes(k, heads, places.REGIONS[d.province])),
        )

    def conditions(self, d: Draft) -> tuple[Condition, ...]:
        home, least = d.value("home_province"), d.value("min_months_operating")
        unlisted = d.choices("business_form", exclude=d.value("business_forms"))

        def too_new(d, rows):
            assessed = d.cols["assessed_on"][rows]
            licensed = plus_months(assessed, -(least - 1)) - days(d.ints(0, 20, len(rows)))
            d.put("licensed_on", rows, licensed)

        def outside(d, rows):
            other = places.other_province(home)
            d.put("registered_province", rows, d.pick(places.spellings(other), len(rows)))

        def form(value):
            return lambda d, rows: self._business(d, rows, np.full(len(rows), value, dtype=object))

        return (
            (f"operating {least - 1} months, not {least}", too_new),
            ("not a brand entrepreneur", no("brand_entrepreneur")),
            *((f"business form {d.label('business_form', v)}", form(v)) for v in unlisted),
            ("registered outside the province", outside),
            ("not operating normally", no("operating_normally")),
        )

    def repeat(self, d: Draft, i: int, src: dict) -> None:
        if d.g.random() < 0.6:  # the same founder with a new business
            for name in ("founder_name", "founder_id"):
                d.put(name, i, src[name])
        else:  # the same business under another founder
            for name in ("business_name", "credit_code", "business_form", "licensed_on"):
                d.put(name, i, src[name])
            later = plus_months(src["licensed_on"], d.value("min_months_operating"))
            d.put("assessed_on", i, max(d.cols["assessed_on"][i], later))
