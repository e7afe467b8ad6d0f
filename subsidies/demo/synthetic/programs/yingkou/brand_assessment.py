"""Claims for yingkou.brand_assessment: units assessed against the recognition standard, with
the years, training, trade and placement figures in force."""

from __future__ import annotations

import numpy as np

from subsidies.demo.synthetic import places
from subsidies.demo.synthetic.draft import Draft
from subsidies.demo.synthetic.invalid import InvalidKind
from subsidies.demo.synthetic.programs.base import Condition, ProgramClaims, no

YES_NO = ("independent_legal_person", "premises_and_rules", "no_violations_or_disputes",
          "brand_identity", "output_agreements", "records_complete")  # fmt: skip


class YingkouStandardClaims(ProgramClaims):
    code = "YK-RD"

    def fill(self, d: Draft) -> None:
        n, g = d.n, d.g
        d.province = "21"
        d.cols["unit_name"] = d.unit_names(
            n, places.place_names(places.YINGKOU), ("家政服务", "海产品加工", "镁质材料", "人力资源服务"), ("有限公司",)
        )  # fmt: skip
        d.cols["credit_code"] = d.credit_codes(d.credit_prefixes(n, "91", places.YINGKOU))
        for name in YES_NO:
            d.cols[name] = np.ones(n, dtype=bool)
        d.cols["intangible_heritage"] = g.random(n) < 0.15
        least_years = d.value("min_years_operating")
        d.cols["years_operating"] = g.integers(least_years, least_years + 14, n).astype(object)
        per_year = g.integers(
            d.value("min_trained_per_year"), d.value("min_trained_per_year") + 500, n
        )
        over_two, over_trade = d.value("trained_two_years_over"), d.value("working_in_trade_over")
        two_years = np.maximum(per_year * 2 + g.integers(-50, 100, n), over_two + 1)
        d.cols["trained_per_year"] = per_year.astype(object)
        d.cols["trained_last_two_years"] = two_years.astype(object)
        in_trade = over_trade + 1 + (g.random(n) * (two_years - over_trade)).astype(np.int64)
        d.cols["working_in_trade_after_training"] = in_trade.astype(object)
        d.cols["placed_per_year"] = (_placed(d, per_year) + g.integers(0, 300, n)).astype(object)

    def conditions(self, d: Draft) -> tuple[Condition, ...]:
        least_years, least_trained = d.value("min_years_operating"), d.value("min_trained_per_year")
        over_two, over_trade = d.value("trained_two_years_over"), d.value("working_in_trade_over")
        share = d.value("min_placed_share")

        def two_years(d, rows):
            d.put("trained_last_two_years", rows, over_two)
            d.put(
                "working_in_trade_after_training",
                rows,
                d.ints(over_trade + 1, max(over_two, over_trade + 1), len(rows)),
            )

        def below_share(d, rows):
            trained = d.cols["trained_per_year"][rows].astype(np.int64)
            d.put("placed_per_year", rows, _placed(d, trained) - d.ints(1, 20, len(rows)))

        def put(column, value):
            return lambda d, rows: d.put(column, rows, value)

        return (
            ("no independent legal person", no("independent_legal_person")),
            ("no fixed premises or rules", no("premises_and_rules")),
            ("violations or open disputes", no("no_violations_or_disputes")),
            (f"operating {least_years - 1} year(s)", put("years_operating", least_years - 1)),
            ("no brand name or trademark", no("brand_identity")),
            (f"trained exactly {over_two} over two years (not 超过{over_two})", two_years),
            (f"exactly {over_trade} working in the trade (not 超过{over_trade})", put("working_in_trade_after_training", over_trade)),
            (f"trained {least_trained - 1} a year", put("trained_per_year", least_trained - 1)),
            ("training and job records incomplete", no("records_complete")),
            ("no long-term output agreements", no("output_agreements")),
            (f"placed below {share / 100:g}% of trained", below_share),
        )  # fmt: skip

    def invalid_extra(self, d: Draft) -> tuple[InvalidKind, ...]:
        def about(d, t, rows):
            t["trained_per_year"][rows] = [f"{k}00余" for k in d.ints(2, 5, len(rows))]

        return (("年培训人数 written 300余", about),)


def _placed(d: Draft, trained: np.ndarray) -> np.ndarray:
    """The least placed a year for ``trained``: the share in force, rounded up."""
    return -(-trained * d.value("min_placed_share") // 10000)
