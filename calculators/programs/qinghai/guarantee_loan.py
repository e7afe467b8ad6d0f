"""青海 创业担保贷款额度: the approved loan is min(requested, ceiling); the ceiling is 200,000
for one founder, 200,000 raised by 10% per eligible partner up to 2,200,000 for a
partnership, and 4,000,000 for a small or micro enterprise.

青海省劳务品牌建设的实施意见（征求意见稿） 四(十一); the partnership reading is
docs/policies/README.md's. A loan is not a payout from the fund.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from calculators.base import Assessment, Calculator, Checks
from calculators.coerce import Problems
from calculators.common import labelled, text, yuan
from calculators.parameters import BoundParameters
from calculators.template import Choice, Column, Template
from subsidies.domain.i18n import _, fill
from subsidies.domain.identity import check_credit_codes, check_resident_ids

BORROWER_KIND = Column(
    "borrower_kind",
    "借款类型",
    "choice",
    choices=(
        Choice("individual", "个人", ("个人自主创业", "个人创业")),
        Choice("partnership", "合伙创业", ("合伙", "合伙经营")),
        Choice("small_micro_enterprise", "小微企业", ("小型企业", "微型企业")),
    ),
)


class GuaranteeLoan(Calculator):
    program_id = "qinghai.guarantee_loan"
    template = Template(
        (
            Column("borrower_name", "借款人", aliases=("借款人姓名", "借款人名称")),
            Column("borrower_id", "身份证号或统一社会信用代码", "party_id", aliases=("证件号码",)),
            BORROWER_KIND,
            Column(
                "eligible_partners",
                "符合条件合伙人数",
                "count",
                required=False,
                only_when=("borrower_kind", ("partnership",)),
            ),
            Column("requested_amount", "申请金额", "amount", aliases=("申请贷款金额",)),
        )
    )

    payee = ("borrower_name", "borrower_id")

    def row_errors(self, claims: pd.DataFrame, problems: Problems, as_of: dt.date) -> None:
        """The borrower's number is a 身份证号 for a person or partnership, a 统一社会信用代码
        for an enterprise; a partnership needs its count of eligible partners."""
        kind = claims["borrower_kind"]
        ids = claims["borrower_id"]
        person = kind.isin(["individual", "partnership"]) & (ids != "")
        enterprise = (kind == "small_micro_enterprise") & (ids != "")
        if person.any():
            reasons = check_resident_ids(ids[person], today=as_of)[1]
            bad = reasons != ""
            problems.add(
                person & bad.reindex(kind.index, fill_value=False),
                fill(
                    _("borrower_id 身份证号或统一社会信用代码 '{id}': {why} (a person's 身份证号)"),
                    id=ids,
                    why=reasons.reindex(kind.index, fill_value=""),
                ),
            )
        if enterprise.any():
            reasons = check_credit_codes(ids[enterprise], today=as_of)[1]
            bad = reasons != ""
            problems.add(
                enterprise & bad.reindex(kind.index, fill_value=False),
                fill(
                    _(
                        "borrower_id 身份证号或统一社会信用代码 '{id}': {why} "
                        "(an enterprise's 统一社会信用代码)"
                    ),
                    id=ids,
                    why=reasons.reindex(kind.index, fill_value=""),
                ),
            )
        if "eligible_partners" not in claims:
            claims["eligible_partners"] = pd.Series(pd.NA, index=claims.index, dtype="Int64")
        partners = claims["eligible_partners"]
        problems.add(
            (kind == "partnership") & (partners.isna() | (partners == 0)).fillna(True),
            _("eligible_partners 符合条件合伙人数: a partnership needs at least 1"),
        )
        problems.add(
            (claims["requested_amount"] == 0).fillna(False),
            _("requested_amount 申请金额: must be more than 0"),
        )

    def assess(self, claims: pd.DataFrame, params: BoundParameters) -> Assessment:
        checks = Checks(claims.index)
        kind = claims["borrower_kind"].to_numpy(dtype=object)
        base = params.values("individual_ceiling")
        per_partner = base * (10000 + params.values("partner_uplift")) // 10000
        partners = claims["eligible_partners"].fillna(0).to_numpy(dtype=np.int64)
        cap = params.values("partnership_cap")
        ceiling = np.select(
            [kind == "individual", kind == "partnership"],
            [base, np.minimum(partners * per_partner, cap)],
            params.values("small_micro_ceiling"),
        )
        requested = claims["requested_amount"].to_numpy(dtype=np.int64)
        amount = np.minimum(requested, ceiling)
        how = np.where(
            kind == "partnership",
            fill(
                _(
                    "{partners} eligible partners × {each} (200,000 + 10%), at most {cap} = {ceiling}"
                ),
                partners=text(partners),
                each=yuan(per_partner),
                cap=yuan(cap),
                ceiling=yuan(ceiling),
            ),
            yuan(ceiling),
        )
        checks.note(
            fill(
                _("{kind}: ceiling {how}; requested {requested}; approved {amount}"),
                kind=labelled(BORROWER_KIND, claims["borrower_kind"]),
                how=how,
                requested=yuan(requested),
                amount=yuan(amount),
            )
        )
        citation = params.citation("individual_ceiling")
        return Assessment(checks, amount, citation)
