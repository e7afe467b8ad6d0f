"""Claims for qinghai.specialised_sme: 专精特新 brand lead enterprises asking for an award,
some above the cap in force for their recognition."""

from __future__ import annotations

import numpy as np

from subsidies.demo.synthetic import places
from subsidies.demo.synthetic.draft import Draft
from subsidies.demo.synthetic.invalid import InvalidKind
from subsidies.demo.synthetic.programs.base import Condition, ProgramClaims, no

CAPS = {"provincial": "cap_provincial", "national_little_giant": "cap_national_little_giant"}


class SmeClaims(ProgramClaims):
    code = "QH-ZJ"
    repeat_label = "the same unit and recognition claimed again"

    def fill(self, d: Draft) -> None:
        n = d.n
        d.province = "63"
        d.cols["unit_name"] = d.unit_names(
            n, ("青海", "西宁", "格尔木", "海东"), ("拉面产业", "家政服务", "建筑劳务", "牦牛乳业", "枸杞科技"),
            ("股份有限公司", "有限公司", "集团有限公司"),
        )  # fmt: skip
        d.cols["credit_code"] = d.credit_codes(d.credit_prefixes(n, "91", places.REGIONS["63"]))
        d.cols["brand_lead_enterprise"] = np.ones(n, dtype=bool)
        recognition = d.pick(tuple(CAPS), n, p=(0.75, 0.25))
        d.cols["recognition"] = recognition
        d.cols["requested_amount"] = np.array(
            [self._requested(d, r) for r in recognition], dtype=object
        )

    @staticmethod
    def _requested(d: Draft, recognition: str) -> int:
        """Fen, in 万元: 40% to 120% of the cap in force (不高于), so some above it."""
        wan = d.value(CAPS[recognition]) // 1_000_000
        return d.int(wan * 4 // 10, wan * 12 // 10) * 1_000_000

    def conditions(self, d: Draft) -> tuple[Condition, ...]:
        return (("not a brand lead enterprise", no("brand_lead_enterprise")),)

    def repeat(self, d: Draft, i: int, src: dict) -> None:
        for name in ("unit_name", "credit_code", "recognition"):
            d.put(name, i, src[name])
        d.put("requested_amount", i, self._requested(d, src["recognition"]))

    def invalid_extra(self, d: Draft) -> tuple[InvalidKind, ...]:
        def wan(d, t, rows):  # "50万元": not an amount in yuan
            t["requested_amount"][rows] = [f"{w}万元" for w in d.ints(20, 60, len(rows))]

        return (("申请金额 written as 万元", wan),)
