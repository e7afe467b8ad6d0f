"""青海 跨省就业一次性交通补助: Qinghai's 脱贫人口 and 监测帮扶对象 employed in another province
3 months or more get the actual fare, at most 1,000, once.

青海省劳务品牌建设的实施意见（征求意见稿） 三(六).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from calculators.base import Assessment, Calculator, Checks, OneTimeKey
from calculators.coerce import Problems
from calculators.common import check_province, check_span, group, labelled, yuan
from calculators.parameters import BoundParameters
from calculators.pricing import PerHead
from calculators.template import Column, Template
from subsidies.domain.i18n import N_, _, fill
from subsidies.domain.places import province_name

PERSON_GROUP = Column(
    "person_group",
    "人员类别",
    "choice",
    choices=(
        group("poverty_alleviated", "脱贫人口"),
        group("monitored", "监测帮扶对象"),
        group("other", "其他"),
    ),
)


class Transport(Calculator):
    program_id = "qinghai.transport"
    pricing = PerHead("cap_per_person", at_cap=True)  # "不高于": the plan is a ceiling
    template = Template(
        (
            Column("person_name", "姓名"),
            Column("person_id", "身份证号", "resident_id", aliases=("公民身份号码", "身份证号码")),
            Column("hukou_province", "户籍所在省", "province", aliases=("户籍", "户籍省份")),
            PERSON_GROUP,
            Column("work_province", "就业省份", "province", aliases=("就业地", "务工省份")),
            Column("employed_from", "就业开始日期", "date"),
            Column("employed_until", "就业截至日期", "date", aliases=("就业截止日期",)),
            Column("fare", "交通费", "amount", aliases=("交通费用", "实际交通费")),
        ),
        ordered_dates=(("employed_from", "employed_until"),),
    )
    payee = ("person_name", "person_id")
    one_time_keys = (OneTimeKey(N_("the person"), ("person_id",)),)

    def row_errors(self, claims: pd.DataFrame, problems: Problems, as_of: dt.date) -> None:
        problems.add((claims["fare"] == 0).fillna(False), _("fare 交通费: must be more than 0"))

    def assess(self, claims: pd.DataFrame, params: BoundParameters) -> Assessment:
        checks = Checks(claims.index)
        checks.check(
            fill(
                _("person {group} is 脱贫人口 or 监测帮扶对象"),
                group=labelled(PERSON_GROUP, claims["person_group"]),
            ),
            params.member("groups", claims["person_group"]),
        )
        check_province(
            checks, _("household (户籍)"), claims["hukou_province"], params.texts("home_province")
        )
        home, work = claims["hukou_province"], claims["work_province"]
        checks.check(
            fill(
                _("work province {work} differs from household province {home} (跨省)"),
                work=work.map(province_name).to_numpy(dtype=object),
                home=home.map(province_name).to_numpy(dtype=object),
            ),
            (home != work).to_numpy(),
        )
        check_span(
            checks,
            _("employed"),
            claims["employed_from"],
            claims["employed_until"],
            at_least=params.values("min_months"),
        )
        fare = claims["fare"].to_numpy(dtype=np.int64)
        cap = params.values("cap_per_person")
        amount = np.minimum(fare, cap)
        checks.note(
            fill(
                _("fare {fare}, at most {cap} (不高于): pays {amount}"),
                fare=yuan(fare),
                cap=yuan(cap),
                amount=yuan(amount),
            )
        )
        return Assessment(checks, amount, params.citation("cap_per_person"))
