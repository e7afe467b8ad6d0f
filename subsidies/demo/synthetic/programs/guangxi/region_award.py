"""Claims for the Guangxi awards (guangxi.training_base, expert_studio, lead_enterprise):
units recognised at a level, the paid levels in force."""

from __future__ import annotations

import numpy as np

from subsidies.demo.synthetic import places
from subsidies.demo.synthetic.draft import Draft
from subsidies.demo.synthetic.programs.base import Condition, ProgramClaims

GUANGXI = places.REGIONS["45"]


class AwardClaims(ProgramClaims):
    repeat_label = "the same unit claimed the award again"

    def __init__(self, code: str, trades, suffixes):
        self.code, self.trades, self.suffixes = code, trades, suffixes

    def fill(self, d: Draft) -> None:
        n = d.n
        d.province = "45"
        d.cols["unit_name"] = d.unit_names(
            n, places.place_names(GUANGXI), self.trades, self.suffixes
        )
        heads = np.where(np.char.endswith(d.cols["unit_name"].astype(str), "学校"), "52", "91")
        d.cols["credit_code"] = d.credit_codes(d.credit_prefixes(n, heads, GUANGXI))
        d.cols["level"] = d.pick(d.value("paid_levels"), n)
        d.cols["recognized_on"] = d.dates(d.day(1, 5), d.day(12, 20), n)

    def conditions(self, d: Draft) -> tuple[Condition, ...]:
        return tuple(
            (f"{d.label('level', v)} level", lambda d, rows, v=v: d.put("level", rows, v))
            for v in d.choices("level", exclude=d.value("paid_levels"))
        )

    def repeat(self, d: Draft, i: int, src: dict) -> None:
        for name in ("unit_name", "credit_code"):
            d.put(name, i, src[name])


TRAINING_BASE = AwardClaims(
    "GX-JD", ("家政服务", "建筑工程", "米粉制作", "电子商务"), ("职业技能培训学校", "职业培训学校")
)
EXPERT_STUDIO = AwardClaims(
    "GX-GZS", ("家政服务", "米粉食品", "建筑劳务", "人力资源"), ("有限公司",)
)
LEAD_ENTERPRISE = AwardClaims(
    "GX-LT", ("家政服务", "螺蛳粉食品", "建工集团", "人力资源服务"), ("有限公司", "股份有限公司")
)
