"""EXAMPLE 示例 职业技能培训生活费补贴 — a made-up program, NOT a real policy.

The (made-up) document 示例人社发〔2024〕1号 第五条 pays a trainee who is 脱贫劳动力 or
就业困难人员 and earned the course certificate a living allowance per day of training:
50 yuan a day, 60 yuan a day from 2025-01-01, at most 1,500 yuan per person, once
(一次性). 第四条 asks for at least 5 days of training, 第三条 for a trainee aged 16 or more.

Everything that is a number or a list lives in ``data/example.training_allowance.yaml``
with its date, article and quote; this module holds only the claim template and the rule.
Its reasons are written in Chinese, worded as the built-in programs' are ("人员类别 其他，
须为政策所列人员：否"), since the officers read Chinese; the words the subsidies add
around them (``：否``, duplicates, dates in force) follow the officer's language.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from calculators.base import Assessment, Calculator, Checks, OneTimeKey
from calculators.coerce import Problems, birth_dates
from calculators.common import dates, group, labelled, text, yuan
from calculators.parameters import BoundParameters
from calculators.template import Column, Template
from subsidies.domain.periods import age_on

TRAINEE_GROUP = Column(
    "trainee_group",
    "人员类别",
    "choice",
    choices=(
        group("poverty_alleviated", "脱贫劳动力"),
        group("difficulty", "就业困难人员"),
        group("other", "其他"),
    ),
)


class TrainingAllowance(Calculator):
    """EXAMPLE ONLY: not a real policy."""

    program_id = "example.training_allowance"
    # The plugin's own parameter file, shipped as package data next to this module.
    parameter_file = Path(__file__).resolve().parent / "data" / "example.training_allowance.yaml"
    template = Template(
        (
            Column("trainee_name", "学员姓名", aliases=("姓名",)),
            Column("trainee_id", "身份证号", "resident_id", aliases=("学员身份证号",)),
            TRAINEE_GROUP,
            Column("course_name", "培训项目", aliases=("培训工种", "培训专业")),
            Column("start_date", "开班日期", "date", aliases=("培训开始日期",)),
            Column("end_date", "结业日期", "date", aliases=("培训结束日期",)),
            Column("training_days", "实际培训天数", "count", aliases=("培训天数",)),
            Column("certified", "取得合格证书", "yes_no", aliases=("是否取得证书",)),
        ),
        ordered_dates=(("start_date", "end_date"),),
    )
    payee = ("trainee_name", "trainee_id")
    one_time_keys = (OneTimeKey("学员", ("trainee_id",)),)

    def row_errors(self, claims: pd.DataFrame, problems: Problems, as_of: dt.date) -> None:
        """Data no rule can use: no days at all, or more days than the course lasted."""
        days = claims["training_days"]
        problems.add((days == 0).fillna(False), "实际培训天数：须大于 0")
        lasted = (claims["end_date"] - claims["start_date"]).dt.days + 1
        too_many = ((days > lasted) & (lasted > 0)).fillna(False)  # else: ends before it starts
        problems.add(
            too_many,
            "实际培训天数 "
            + days.astype("string").fillna("")
            + " 天，多于开班日期至结业日期的 "
            + lasted.astype("Int64").astype("string").fillna("")
            + " 天",
        )

    def assess(self, claims: pd.DataFrame, params: BoundParameters) -> Assessment:
        checks = Checks(claims.index)
        checks.check(
            "人员类别 " + labelled(TRAINEE_GROUP, claims["trainee_group"]) + "，须为政策所列人员",
            params.member("groups", claims["trainee_group"]),
        )
        checks.check("取得合格证书", claims["certified"].to_numpy(dtype=bool))
        days = claims["training_days"].to_numpy(dtype=np.int64)
        minimum = params.values("min_days")
        checks.check(
            "实际培训 " + text(days) + " 天，须满 " + text(minimum) + " 天", days >= minimum
        )
        age = age_on(birth_dates(claims["trainee_id"]), claims["start_date"])
        minimum_age = params.values("minimum_age")
        checks.check(
            "学员于开班日期 "
            + dates(claims["start_date"])
            + " 年满 "
            + text(age)
            + " 周岁，须满 "
            + text(minimum_age)
            + " 周岁（第三条）",
            age >= minimum_age,
        )
        rate = params.values("daily_rate")
        cap = params.values("cap_per_person")
        amount = np.minimum(days * rate, cap)
        checks.note(
            "生活费补贴 "
            + text(days)
            + " 天 × "
            + params.shown("daily_rate")
            + " = "
            + yuan(days * rate)
            + "，最高不超过 "
            + params.shown("cap_per_person")
            + "，补贴 "
            + yuan(amount)
        )
        return Assessment(checks, amount, params.citation("daily_rate"))
