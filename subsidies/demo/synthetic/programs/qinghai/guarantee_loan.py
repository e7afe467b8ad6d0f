"""Claims for qinghai.guarantee_loan: individuals, partnerships and small firms asking for a
guaranteed loan, some above the ceilings in force (approved at the ceiling)."""

from __future__ import annotations

import numpy as np

from subsidies.demo.synthetic import mix, places
from subsidies.demo.synthetic.draft import Draft
from subsidies.demo.synthetic.invalid import InvalidKind, with_o, wrong_check
from subsidies.demo.synthetic.programs.base import ProgramClaims
from subsidies.domain.identity import credit_code_check_character

QINGHAI = places.REGIONS["63"]


class LoanClaims(ProgramClaims):
    code = "QH-DK"

    def fill(self, d: Draft) -> None:
        n = d.n
        d.province = "63"
        kind = d.pick(d.choices("borrower_kind"), n, p=(0.5, 0.25, 0.25))
        names, ids = d.people(n, places.codes(QINGHAI), d.last, 22, 55, tibetan=0.15)
        company = d.unit_names(
            n,
            places.place_names(QINGHAI),
            ("餐饮管理", "商贸", "农牧科技", "建筑劳务"),
            ("有限公司",),
        )
        codes = d.credit_codes(d.credit_prefixes(n, "91", QINGHAI))
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
    def _requested(d: Draft, kind: str, partners: int) -> int:
        """Fen, in 万元: a quarter of the ceiling in force up to half as much again."""
        if kind == "individual":
            ceiling = d.value("individual_ceiling")
        elif kind == "partnership":
            per_partner = (
                d.value("individual_ceiling") * (10000 + d.value("partner_uplift")) // 10000
            )
            ceiling = min(partners * per_partner, d.value("partnership_cap"))
        else:
            ceiling = d.value("small_micro_ceiling")
        wan = max(ceiling // 1_000_000, 4)
        return d.int(wan // 4, wan * 3 // 2) * 1_000_000

    def invalid_extra(self, d: Draft) -> tuple[InvalidKind, ...]:
        def kind(t, rows, value):
            t["borrower_kind"][rows] = d.label("borrower_kind", value)
            t["eligible_partners"][rows] = ""

        def bad_check(d, t, rows):
            kind(t, rows, "individual")
            t["borrower_name"][rows] = d.names(len(rows))
            ids = d.people(len(rows), places.codes(QINGHAI), d.last, 22, 55)[1]
            t["borrower_id"][rows] = [wrong_check(d, v) for v in ids]

        def o_code(d, t, rows):
            kind(t, rows, "small_micro_enterprise")
            codes = d.credit_codes(d.credit_prefixes(len(rows), "91", QINGHAI))
            t["borrower_id"][rows] = [with_o(d, c) for c in codes]

        def no_partners(d, t, rows):
            kind(t, rows, "partnership")

        def id_for_enterprise(d, t, rows):
            kind(t, rows, "small_micro_enterprise")
            for i in rows:
                while True:  # one in 31 身份证号 also passes as a 统一社会信用代码: not those
                    number = d.people(1, places.codes(QINGHAI), d.last, 22, 55)[1][0]
                    if credit_code_check_character(number[:17]) != number[17]:
                        break
                t["borrower_id"][i] = number

        return (
            (mix.BAD_CHECK, bad_check),
            (mix.LETTER_O, o_code),
            ("partnership without 符合条件合伙人数", no_partners),
            ("enterprise given a 身份证号", id_for_enterprise),
        )
