"""Claims for dalian.brand_assessment: units assessed against the recognition standard, with
the minimums per level and the rates in force."""

from __future__ import annotations

import numpy as np

from subsidies.demo.synthetic import places
from subsidies.demo.synthetic.draft import Draft
from subsidies.demo.synthetic.invalid import InvalidKind
from subsidies.demo.synthetic.programs.base import Condition, ProgramClaims, no

CONDITIONS = (
    "registered_in_dalian",
    "independent_legal_person",
    "brand_identity",
    "lawful_conduct",
)


class DalianStandardClaims(ProgramClaims):
    code = "DL-RD"

    def fill(self, d: Draft) -> None:
        n, g = d.n, d.g
        d.province = "21"
        d.cols["unit_name"] = d.unit_names(
            n, places.place_names(places.DALIAN), ("家政服务", "海产养殖", "船舶修造", "人力资源服务"), ("有限公司",)
        )  # fmt: skip
        d.cols["credit_code"] = d.credit_codes(d.credit_prefixes(n, "91", places.DALIAN))
        d.cols["level"] = d.pick(d.choices("level"), n, p=(0.45, 0.55))
        for name in CONDITIONS:
            d.cols[name] = np.ones(n, dtype=bool)
        d.cols["trained_per_year"] = (_least(d, "trained") + g.integers(0, 1500, n)).astype(object)
        d.cols["placed_per_year"] = (_least(d, "placed") + g.integers(0, 1200, n)).astype(object)
        over = d.value("pass_rate_over")
        d.cols["training_pass_rate"] = (over + 1 + g.integers(0, 10000 - over, n)).astype(object)
        share = d.value("min_trained_share")
        d.cols["placed_trained_share"] = (share + g.integers(0, 10001 - share, n)).astype(object)
        for name in ("contract_rate", "filing_rate"):
            d.cols[name] = np.full(n, 10000, dtype=object)

    def conditions(self, d: Draft) -> tuple[Condition, ...]:
        over, share = d.value("pass_rate_over"), d.value("min_trained_share")
        contract, filing = d.value("min_contract_rate"), d.value("min_filing_rate")

        def below(column, what):
            return lambda d, rows: d.put(
                f"{column}_per_year", rows, _least(d, what)[rows] - d.ints(1, 60, len(rows))
            )

        def put(column, value):
            return lambda d, rows: d.put(column, rows, value)

        return (
            ("no independent legal person", no("independent_legal_person")),
            ("not registered in Dalian", no("registered_in_dalian")),
            ("no brand name or trademark", no("brand_identity")),
            ("wage arrears or unlawful conduct", no("lawful_conduct")),
            ("trained below the level's minimum", below("trained", "trained")),
            (f"pass rate exactly {_percent(over)} (not 超过{_percent(over)})", put("training_pass_rate", over)),
            ("placed below the level's minimum", below("placed", "placed")),
            (f"trained share {_percent(share - 100)}", put("placed_trained_share", share - 100)),
            (f"labour contract rate below {_percent(contract)}", put("contract_rate", contract - 300)),
            (f"filing rate below {_percent(filing)}", put("filing_rate", filing - 150)),
        )  # fmt: skip

    def invalid_extra(self, d: Draft) -> tuple[InvalidKind, ...]:
        def over(d, t, rows):
            t["training_pass_rate"][rows] = "105%"

        def about(d, t, rows):
            t["trained_per_year"][rows] = [f"{k}00余" for k in d.ints(10, 25, len(rows))]

        return (("pass rate over 100%", over), ("年培训人数 written 1200余", about))


def _least(d: Draft, what: str) -> np.ndarray:
    """Each row's minimum trained or placed a year for its level (city_min_trained …)."""
    level = d.cols["level"]
    return np.where(
        level == "city", d.value(f"city_min_{what}"), d.value(f"district_min_{what}")
    ).astype(np.int64)


def _percent(hundredths: int) -> str:
    return f"{hundredths / 100:g}%"
