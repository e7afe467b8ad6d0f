"""EXAMPLE 示例 职业技能培训生活费补贴 — a made-up program, NOT a real policy.

The (made-up) document 示例人社发〔2024〕1号 第五条 pays a trainee who is 脱贫劳动力 or
就业困难人员 and earned the course certificate a living allowance per day of training:
50 yuan a day, 60 yuan a day from 2025-01-01, at most 1,500 yuan per person, once
(一次性). 第四条 asks for at least 5 days of training, 第三条 for a trainee aged 16 or more.

Everything that is a number or a list lives in ``data/example.training_allowance.yaml``
with its date, article and quote; this module holds only the claim template and the rule.
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
    one_time_keys = (OneTimeKey("the trainee", ("trainee_id",)),)

    def row_errors(self, claims: pd.DataFrame, problems: Problems, as_of: dt.date) -> None:
        """Data no rule can use: no days at all, or more days than the course lasted."""
        days = claims["training_days"]
        problems.add((days == 0).fillna(False), "training_days 实际培训天数: must be more than 0")
        lasted = (claims["end_date"] - claims["start_date"]).dt.days + 1
        too_many = (days > lasted).fillna(False)
        problems.add(
            too_many,
            "training_days 实际培训天数 "
            + days.astype("string").fillna("")
            + " is more than the "
            + lasted.astype("Int64").astype("string").fillna("")
            + " days from start_date to end_date",
        )

    def assess(self, claims: pd.DataFrame, params: BoundParameters) -> Assessment:
        checks = Checks(claims.index)
        checks.check(
            "trainee " + labelled(TRAINEE_GROUP, claims["trainee_group"]) + " is of a listed group",
            params.member("groups", claims["trainee_group"]),
        )
        checks.check("certificate earned (取得合格证书)", claims["certified"].to_numpy(dtype=bool))
        days = claims["training_days"].to_numpy(dtype=np.int64)
        minimum = params.values("min_days")
        checks.check(
            "trained " + text(days) + " days ≥ " + text(minimum) + " days", days >= minimum
        )
        age = age_on(birth_dates(claims["trainee_id"]), claims["start_date"])
        minimum_age = params.values("minimum_age")
        checks.check(
            "trainee aged "
            + text(age)
            + " on start_date "
            + dates(claims["start_date"])
            + " ≥ "
            + text(minimum_age)
            + " (第三条)",
            age >= minimum_age,
        )
        rate = params.values("daily_rate")
        cap = params.values("cap_per_person")
        amount = np.minimum(days * rate, cap)
        checks.note(
            "amount "
            + text(days)
            + " days × "
            + params.shown("daily_rate")
            + " = "
            + yuan(days * rate)
            + ", at most "
            + params.shown("cap_per_person")
            + " (最高不超过): "
            + yuan(amount)
        )
        return Assessment(checks, amount, params.citation("daily_rate"))
