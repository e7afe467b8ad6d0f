"""Claims for dalian.brand_recognition: units' brands recognised at a paid level, applied for
by the deadline in force (三(四)3(1): by 30 September)."""

from __future__ import annotations

import numpy as np

from calculators.programs.dalian.brand_recognition import APPLIED
from subsidies.demo.synthetic import places
from subsidies.demo.synthetic.draft import Draft, days
from subsidies.demo.synthetic.programs.base import Condition, ProgramClaims

TRADES = ("月嫂", "海参养殖工", "船舶焊工", "渔家厨师", "樱桃种植能手", "家政服务员", "海鲜烹饪师")


class RecognitionClaims(ProgramClaims):
    code = "DL-PP"
    repeat_label = "the same unit, brand and level claimed again"

    def fill(self, d: Draft) -> None:
        n = d.n
        d.province = "21"
        where = places.place_names(places.DALIAN)
        d.cols["unit_name"] = d.unit_names(
            n, where, ("家政服务", "海产养殖", "船舶修造", "餐饮管理", "人力资源服务"),
            ("有限公司", "有限责任公司", "职业培训学校"),
        )  # fmt: skip
        d.cols["credit_code"] = d.credit_codes(d.credit_prefixes(n, "91", places.DALIAN))
        d.cols["brand_name"] = (d.pick(where, n) + d.pick(TRADES, n)).astype(object)
        paid = _paid_levels(d)
        d.cols["level"] = d.pick(paid, n, p=_shares(paid))
        d.cols["recognized_on"] = d.dates(d.day(1, 5), d.day(12, 20), n)
        d.cols["applied_on"] = self._applied(d, d.cols["recognized_on"])

    @staticmethod
    def _applied(d: Draft, recognized: np.ndarray) -> np.ndarray:
        """Applied in the 100 days up to the last deadline before the recognition."""
        recognized = np.asarray(recognized, dtype="datetime64[D]")
        years = recognized.astype("datetime64[Y]")
        later = recognized > _deadline(d, years)  # recognised after that year's deadline
        deadline = _deadline(d, np.where(later, years, years - np.timedelta64(1, "Y")))
        return deadline - days(d.ints(0, 99, len(recognized)))

    def conditions(self, d: Draft) -> tuple[Condition, ...]:
        deadline = d.value("application_deadline")
        month = int(deadline[:2])
        applied = tuple(level for level in _paid_levels(d) if level in APPLIED)

        def late(d, rows):  # applied the month after the deadline, recognised that December
            d.put("level", rows, d.pick(applied, len(rows)))
            d.put("recognized_on", rows, d.dates(d.day(12, 1), d.day(12, 20), len(rows)))
            first = d.day(month + 1, 1) if month < 12 else d.day(12, 1)
            d.put("applied_on", rows, d.dates(first, first + days(30), len(rows)))

        unpaid = d.choices("level", exclude=_paid_levels(d))
        return (
            *(
                (f"{d.label('level', v)} level", lambda d, rows, v=v: d.put("level", rows, v))
                for v in unpaid
            ),
            *(((f"applied after the deadline {deadline} (三(四)3(1))", late),) if applied and month < 12 else ()),
        )  # fmt: skip

    def repeat(self, d: Draft, i: int, src: dict) -> None:
        for name in ("unit_name", "credit_code", "brand_name", "level"):
            d.put(name, i, src[name])


def _paid_levels(d: Draft) -> tuple[str, ...]:
    """The levels with an amount in force (amount_provincial, amount_city)."""
    amounts = d.program.parameters
    return tuple(
        v for v in d.choices("level") if f"amount_{v}" in amounts and d.value(f"amount_{v}")
    )


def _shares(levels: tuple[str, ...]) -> list[float]:
    weights = [0.2 if level == "provincial" else 0.8 for level in levels]
    return [w / sum(weights) for w in weights]


def _deadline(d: Draft, years: np.ndarray) -> np.ndarray:
    """The deadline in force (MM-DD) in each year (``datetime64[Y]``)."""
    month, day = (int(part) for part in d.value("application_deadline").split("-"))
    first = (years.astype("datetime64[M]") + np.timedelta64(month - 1, "M")).astype("datetime64[D]")
    return first + np.timedelta64(day - 1, "D")
