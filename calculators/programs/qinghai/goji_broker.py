"""青海 劳务经纪人枸杞采摘补贴: a broker is paid per Qinghai farmer or herder organised to pick
goji in 海西 for 2 months or more and less than 6 months, with a top-up for the listed groups.

青海省劳务品牌建设的实施意见（征求意见稿） 三(六).
"""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np
import pandas as pd

from calculators.base import Assessment, Calculator, Checks, OverlapKey
from calculators.common import check_age, check_province, check_span, group, labelled, text
from calculators.distinct import Texts, per_distinct
from calculators.parameters import BoundParameters, Program
from calculators.pricing import WithTopUp
from calculators.template import Column, Template
from subsidies.domain.i18n import N_, _, fill
from subsidies.domain.places import Prefecture, province_name


class GojiBroker(Calculator):
    program_id = "qinghai.goji_broker"
    template = Template(
        (
            Column("broker_name", "经纪人姓名", aliases=("劳务经纪人", "经纪人")),
            Column("broker_id", "经纪人身份证号", "resident_id"),
            Column("worker_name", "务工人员姓名", aliases=("姓名",)),
            Column("worker_id", "务工人员身份证号", "resident_id", aliases=("身份证号",)),
            Column("worker_hukou", "户籍所在省", "province", aliases=("户籍", "户籍省份")),
            Column("farmer_herder", "农牧民", "yes_no", aliases=("是否农牧民",)),
            Column("destination", "务工地", aliases=("采摘地", "务工地点")),
            Column("start_date", "开始日期", "date", aliases=("采摘开始日期",)),
            Column("end_date", "结束日期", "date", aliases=("采摘结束日期",)),
            Column(
                "worker_group",
                "人员类别",
                "choice",
                choices=(
                    group("poverty_alleviated", "脱贫劳动力"),
                    group("monitored", "监测对象"),
                    group("difficulty", "就业困难人员"),
                    group("other", "其他"),
                ),
            ),
        ),
        ordered_dates=(("start_date", "end_date"),),
    )
    payee = ("broker_name", "broker_id")
    subject = ("worker_name", "worker_id")
    overlap = OverlapKey(N_("worker"), "worker_id", "start_date", "end_date")
    pricing = WithTopUp(base="base_per_worker", top_up="top_up_per_worker")

    def assess(self, claims: pd.DataFrame, params: BoundParameters) -> Assessment:
        checks = Checks(claims.index)
        check_province(
            checks,
            _("worker's household (户籍)"),
            claims["worker_hukou"],
            params.texts("home_province"),
        )
        checks.check(_("farmer or herder (农牧民)"), claims["farmer_herder"].to_numpy(dtype=bool))
        checks.check(
            functools.partial(per_distinct, _destination_label, claims["destination"]),
            _in_destination(claims["destination"], params),
        )
        check_span(
            checks,
            _("picked"),
            claims["start_date"],
            claims["end_date"],
            at_least=params.values("min_months"),
            less_than=params.values("max_months_exclusive"),
        )
        start = self.template.column("start_date")
        check_age(checks, _("worker"), claims["worker_id"], claims["start_date"], start, params)
        base = params.values("base_per_worker")
        top_up = params.values("top_up_per_worker")
        entitled = params.member("top_up_groups", claims["worker_group"])
        column = self.template.column("worker_group")

        with_top_up = _("base {base} + top-up {top_up} for {group}")
        without = _("base {base}; no top-up for {group}")

        def note(entitled, groups, base_shown, top_up_shown) -> np.ndarray:
            shown = dict(base=base_shown, top_up=top_up_shown, group=labelled(column, groups))
            return np.where(entitled, fill(with_top_up, **shown), fill(without, **shown))

        def pay_note() -> Texts:  # written when the reasons are asked for
            return per_distinct(
                note,
                entitled,
                claims["worker_group"],
                params.texts("base_per_worker", shown=True),
                params.texts("top_up_per_worker", shown=True),
            )

        checks.note(pay_note)
        return Assessment(
            checks, base + np.where(entitled, top_up, 0), params.citation("base_per_worker")
        )


DESTINATION = ("destination_province", "destination_prefecture", "destination_places")


def destination(province: str, prefecture: tuple[str, ...], places: tuple[str, ...]) -> Prefecture:
    """海西州 as the parameters in force name it (:data:`DESTINATION`)."""
    return Prefecture(province_name(province), prefecture, places)


def destination_on(program: Program, on: dt.date) -> Prefecture:
    return destination(*(program.parameter(name).at(on).value for name in DESTINATION))


def _in_destination(destinations: pd.Series, params: BoundParameters) -> np.ndarray:
    """Whether each destination lies in the prefecture the parameters in force name."""
    found = np.zeros(len(destinations), dtype=bool)
    for values, rows in params.grouped(*DESTINATION):
        # one version for every row (the usual case): the column is not copied
        found[rows] = destination(*values).mask(destinations if rows.all() else destinations[rows])
    return found


def _destination_label(destinations: pd.Series) -> np.ndarray:
    return fill(_("destination (务工地) {place} is in 海西州"), place=text(destinations))
