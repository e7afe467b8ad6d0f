"""青海 吸纳就业一次性奖励: 1,000 for each person of a listed group that a brand enterprise or
就业帮扶车间 hires into a new post, with a labour contract and social insurance paid.

青海省劳务品牌建设的实施意见（征求意见稿） 三(六). 离校2年未就业高校毕业生: hired before
leaving school + 24 months, not before leaving (docs/policies/README.md).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from calculators.base import Assessment, Calculator, Checks, OneTimeKey
from calculators.coerce import Problems
from calculators.common import check_age, dates, group, labelled
from calculators.parameters import BoundParameters
from calculators.template import Choice, Column, Template
from subsidies.domain.i18n import N_, _, fill
from subsidies.domain.periods import add_months

EMPLOYER_TYPE = Column(
    "employer_type",
    "单位类型",
    "choice",
    choices=(
        Choice("brand_enterprise", "劳务品牌企业", ("劳务品牌用工企业",)),
        # its legal form (合作社, 个体工商户 …) is not enough: the unit must be a 就业帮扶车间
        Choice("assistance_workshop", "就业帮扶车间", ("帮扶车间",)),
        Choice("other", "其他"),
    ),
)
EMPLOYEE_GROUP = Column(
    "employee_group",
    "人员类别",
    "choice",
    choices=(
        group("difficulty", "就业困难人员"),
        group("graduate", "离校2年未就业高校毕业生"),
        group("veteran", "退役军人"),
        group("poverty_alleviated", "脱贫劳动力"),
        group("monitored", "监测帮扶对象"),
        group("other", "其他"),
    ),
)


class HiringBonus(Calculator):
    program_id = "qinghai.hiring_bonus"
    template = Template(
        (
            Column("employer_name", "用人单位", aliases=("单位名称", "用人单位名称")),
            Column(
                "employer_credit_code", "统一社会信用代码", "credit_code", aliases=("信用代码",)
            ),
            EMPLOYER_TYPE,
            Column("employee_name", "姓名", aliases=("员工姓名", "人员姓名")),
            Column(
                "employee_id", "身份证号", "resident_id", aliases=("公民身份号码", "身份证号码")
            ),
            EMPLOYEE_GROUP,
            Column("hired_on", "入职日期", "date", aliases=("录用日期",)),
            Column("new_post", "新增岗位", "yes_no", aliases=("是否新增岗位",)),
            Column("contract_signed", "签订劳动合同", "yes_no", aliases=("是否签订劳动合同",)),
            Column(
                "social_insurance_paid", "缴纳社会保险", "yes_no", aliases=("是否缴纳社会保险",)
            ),
            Column(
                "graduated_on",
                "离校日期",
                "date",
                required=False,
                note="graduates only",
                only_when=("employee_group", ("graduate",)),
            ),
        )
    )
    payee = ("employer_name", "employer_credit_code")
    subject = ("employee_name", "employee_id")
    brand_unit = "employer_credit_code"
    one_time_keys = (OneTimeKey(N_("the person hired"), ("employee_id",)),)

    def row_errors(self, claims: pd.DataFrame, problems: Problems, as_of: dt.date) -> None:
        if "graduated_on" not in claims:
            claims["graduated_on"] = pd.Series(pd.NaT, index=claims.index, dtype="datetime64[s]")
        missing = (claims["employee_group"] == "graduate") & claims["graduated_on"].isna()
        problems.add(
            missing, _("graduated_on 离校日期: missing (required when employee_group is graduate)")
        )

    def assess(self, claims: pd.DataFrame, params: BoundParameters) -> Assessment:
        checks = Checks(claims.index)
        checks.check(
            fill(
                _("employer {kind} is a 劳务品牌企业 or 就业帮扶车间"),
                kind=labelled(EMPLOYER_TYPE, claims["employer_type"]),
            ),
            params.member("employer_types", claims["employer_type"]),
        )
        checks.check(
            fill(
                _("person {group} is of a listed group"),
                group=labelled(EMPLOYEE_GROUP, claims["employee_group"]),
            ),
            params.member("groups", claims["employee_group"]),
        )
        checks.check(_("new post (新增岗位)"), claims["new_post"].to_numpy(dtype=bool))
        checks.check(
            _("labour contract signed (签订劳动合同)"),
            claims["contract_signed"].to_numpy(dtype=bool),
        )
        checks.check(
            _("social insurance paid (缴纳社会保险)"),
            claims["social_insurance_paid"].to_numpy(dtype=bool),
        )
        graduate = (claims["employee_group"] == "graduate").to_numpy()
        hired, left = claims["hired_on"], claims["graduated_on"]
        hired_days = hired.to_numpy(dtype="datetime64[D]")
        left_days = left.to_numpy(dtype="datetime64[D]")
        window = params.values("graduate_window_months")
        checks.check(
            fill(
                _("hired {hired} on or after leaving school {left}"),
                hired=dates(hired),
                left=dates(left.fillna(hired)),
            ),
            ~(hired_days < left_days),
            applies=graduate,
        )
        limit = np.where(
            graduate, add_months(np.where(graduate, left_days, hired_days), window), hired_days
        )
        checks.check(
            fill(
                _("hired {hired} before leaving school + 2 years {limit} (离校2年未就业)"),
                hired=dates(hired),
                limit=pd.Series(limit).dt.strftime("%Y-%m-%d").to_numpy(dtype=object),
            ),
            hired_days < limit,
            applies=graduate,
        )
        on = self.template.column("hired_on")
        check_age(checks, _("person"), claims["employee_id"], hired, on, params)
        return Assessment(
            checks, params.values("amount_per_person"), params.citation("amount_per_person")
        )
