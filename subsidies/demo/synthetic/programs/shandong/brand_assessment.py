"""Claims for shandong.brand_assessment: units training and placing at least the numbers a
year in force."""

from __future__ import annotations

from subsidies.demo.synthetic import places
from subsidies.demo.synthetic.draft import Draft
from subsidies.demo.synthetic.invalid import InvalidKind
from subsidies.demo.synthetic.programs.base import Condition, ProgramClaims

SHANDONG = places.REGIONS["37"]
FIGURES = (("trained_per_year", "min_trained_per_year", "trained"),
           ("placed_per_year", "min_placed_per_year", "placed"))  # fmt: skip


class ShandongStandardClaims(ProgramClaims):
    code = "SD-RD"

    def fill(self, d: Draft) -> None:
        n, g = d.n, d.g
        d.province = "37"
        d.cols["unit_name"] = d.unit_names(
            n, places.place_names(SHANDONG), ("家政服务", "建筑劳务", "农业科技", "人力资源服务"), ("有限公司", "职业培训学校")
        )  # fmt: skip
        d.cols["credit_code"] = d.credit_codes(d.credit_prefixes(n, "91", SHANDONG))
        for column, parameter, _ in FIGURES:
            least = d.value(parameter)
            d.cols[column] = g.integers(least, least * 6, n).astype(object)

    def conditions(self, d: Draft) -> tuple[Condition, ...]:
        def below(column, least):
            return lambda d, rows: d.put(column, rows, d.ints(least * 3 // 5, least - 1, len(rows)))

        return tuple(
            (f"{what} below {d.value(parameter)} a year", below(column, d.value(parameter)))
            for column, parameter, what in FIGURES
        )

    def invalid_extra(self, d: Draft) -> tuple[InvalidKind, ...]:
        def about(d, t, rows):
            t["placed_per_year"][rows] = [f"约{k}00" for k in d.ints(6, 20, len(rows))]

        return (("年自用或输出人数 written 约800", about),)
