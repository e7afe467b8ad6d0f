"""Claims for qinghai.transport: fares of people from the program's home province working in
another one, with the groups, least months employed and fare cap in force."""

from __future__ import annotations

import numpy as np

from subsidies.demo.synthetic import places
from subsidies.demo.synthetic.draft import DAY, Draft, days, plus_months
from subsidies.demo.synthetic.programs.base import Condition, ProgramClaims
from subsidies.domain.places import province_name


class TransportClaims(ProgramClaims):
    code = "QH-JT"
    repeat_label = "the same person claimed the fare again"

    def fill(self, d: Draft) -> None:
        n, g = d.n, d.g
        home, least = d.value("home_province"), d.value("min_months")
        start = d.dates(d.day(1, 5), min(d.day(8, 31), plus_months(d.last, -least)), n)
        regions = places.codes(places.REGIONS[home])
        names, ids = d.people(n, regions, start, 18, 55, tibetan=0.15)
        d.cols["person_name"], d.cols["person_id"] = names, ids
        d.cols["hukou_province"] = d.pick(places.spellings(home), n, p=(0.45, 0.45, 0.10))
        d.cols["person_group"] = d.pick(d.value("groups"), n)
        d.cols["work_province"] = d.pick(places.outside(home, places.WORK_PROVINCES), n)
        d.cols["employed_from"] = start
        until = plus_months(start, g.integers(least, least + 7, n)) - DAY
        d.cols["employed_until"] = np.minimum(until + days(g.integers(0, 21, n)), d.last)
        d.cols["fare"] = self._fares(d, n)

    @staticmethod
    def _fares(d: Draft, k: int) -> np.ndarray:
        """Fen: train or bus fares, some over the cap in force."""
        g, cap = d.g, d.value("cap_per_person") // 100
        yuan = np.where(
            g.random(k) < 0.85,
            g.integers(cap * 28 // 100, cap * 145 // 100 + 1, k),
            g.integers(cap + 1, cap * 18 // 10 + 1, k),
        )
        return (yuan * 100 + np.where(g.random(k) < 0.15, 50, 0)).astype(object)

    def conditions(self, d: Draft) -> tuple[Condition, ...]:
        home, least = d.value("home_province"), d.value("min_months")
        unlisted = d.choices("person_group", exclude=d.value("groups"))

        def hukou(d, rows):
            other = places.other_province(home)
            start = d.cols["employed_from"][rows]
            names, ids = d.people(len(rows), places.codes(places.REGIONS[other]), start, 18, 55)
            d.put("person_name", rows, names)
            d.put("person_id", rows, ids)
            d.put("hukou_province", rows, d.pick(places.spellings(other), len(rows)))

        def too_short(d, rows):
            start = d.cols["employed_from"][rows]
            until = plus_months(start, least - 1) - DAY + days(d.ints(0, 20, len(rows)))
            d.put("employed_until", rows, until)

        def home_work(d, rows):
            d.put("work_province", rows, d.pick(places.spellings(home)[:2], len(rows)))

        return (
            *(
                (f"person group {d.label('person_group', group)}", lambda d, rows, group=group: d.put("person_group", rows, group))
                for group in unlisted
            ),
            (f"户籍 not {province_name(home)}", hukou),
            (f"worked in {province_name(home)} (not 跨省)", home_work),
            (f"employed {least - 1} months, not {least}", too_short),
        )  # fmt: skip

    def repeat(self, d: Draft, i: int, src: dict) -> None:
        for name in ("person_name", "person_id", "hukou_province", "person_group"):
            d.put(name, i, src[name])
