"""青海 一次性创业补贴: 10,000 once for a labour-brand entrepreneur whose small or micro
enterprise or individual business in Qinghai is registered, licensed and operating
normally for 1 year or more.

青海省劳务品牌建设的实施意见（征求意见稿） 四(八). One grant per founder and per business.
"""

from __future__ import annotations

import pandas as pd

from calculators.base import Assessment, Calculator, Checks, OneTimeKey
from calculators.common import check_province, check_span, labelled
from calculators.parameters import BoundParameters
from calculators.template import Choice, Column, Template
from subsidies.domain.i18n import N_, _, fill

BUSINESS_FORM = Column(
    "business_form",
    "主体类型",
    "choice",
    choices=(
        Choice("small_micro_enterprise", "小微企业", ("小型企业", "微型企业")),
        Choice("individual_business", "个体工商户", ("个体经营",)),
        Choice("other", "其他"),
    ),
)


class StartupGrant(Calculator):
    program_id = "qinghai.startup_grant"
    template = Template(
        (
            Column("founder_name", "创业者姓名", aliases=("姓名",)),
            Column("founder_id", "身份证号", "resident_id", aliases=("创业者身份证号",)),
            Column("brand_entrepreneur", "劳务品牌创业人员", "yes_no"),
            Column("business_name", "经营主体名称", aliases=("企业名称", "字号名称")),
            Column("credit_code", "统一社会信用代码", "credit_code", aliases=("信用代码",)),
            BUSINESS_FORM,
            Column("registered_province", "注册地省份", "province", aliases=("注册地",)),
            Column("licensed_on", "营业执照日期", "date", aliases=("成立日期", "营业执照登记日期")),
            Column("assessed_on", "核查日期", "date"),
            Column("operating_normally", "正常经营", "yes_no", aliases=("是否正常经营",)),
        ),
        ordered_dates=(("licensed_on", "assessed_on"),),
    )
    payee = ("founder_name", "founder_id")
    subject = ("business_name", "credit_code")
    one_time_keys = (
        OneTimeKey(N_("the founder"), ("founder_id",)),
        OneTimeKey(N_("the business"), ("credit_code",)),
    )

    def assess(self, claims: pd.DataFrame, params: BoundParameters) -> Assessment:
        checks = Checks(claims.index)
        checks.check(
            _("labour-brand entrepreneur (劳务品牌创业人员)"),
            claims["brand_entrepreneur"].to_numpy(dtype=bool),
        )
        checks.check(
            fill(
                _("business {form} is a 小微企业 or 个体经营"),
                form=labelled(BUSINESS_FORM, claims["business_form"]),
            ),
            params.member("business_forms", claims["business_form"]),
        )
        check_province(
            checks, _("registered in"), claims["registered_province"], params.texts("home_province")
        )
        checks.check(
            _("operating normally (正常经营)"), claims["operating_normally"].to_numpy(dtype=bool)
        )
        check_span(
            checks,
            _("licensed and operating"),
            claims["licensed_on"],
            claims["assessed_on"],
            at_least=params.values("min_months_operating"),
        )
        return Assessment(checks, params.values("amount"), params.citation("amount"))
