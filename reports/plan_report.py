"""The budget plan (资金测算表) and the what-if comparison as printable reports."""

from __future__ import annotations

from calculators.pricing import share_shown
from reports.document import Bars, Column, Paragraph, Report, Table, numbered
from reports.plan import FundRow, Plan, PlanLine
from reports.scenario import LEVEL_NAMES
from reports.whatif import Pair

TOTAL = "合计"


def _funds(plan: Plan) -> str:
    funds = plan.scenario.funds
    if not funds:
        return "（不涉及资金）"
    return "、".join(funds) if len(funds) <= 3 else f"{'、'.join(funds[:3])} 等{len(funds)}项"


def _years(plan: Plan) -> str:
    years = plan.scenario.years
    return f"{years[0]}年度" if len(years) == 1 else f"{years[0]}—{years[-1]}年度"


def _mix(p: PlanLine) -> str:
    if p.line.level:
        return LEVEL_NAMES[p.line.level]
    if p.line.top_up_share is not None:
        return f"增补比例 {share_shown(p.line.top_up_share)}"
    return ""


def _basis(plan: Plan) -> Paragraph:
    month, day = plan.scenario.price_on
    return Paragraph(
        f"测算口径：各行金额 = 数量 × 该项目参数文件中于所在年度{month}月{day}日有效的标准"
        "（注明文件及条款），不另行录入金额；文件修订标准后重新生成即随之变化。"
        "贷款、认定标准及文件未定金额的目标只计数量，不计入合计。"
    )


def _price_citations(p: PlanLine) -> str:
    return "；".join(dict.fromkeys(u.citation for u in p.price.uses)) if p.price else ""


def _detail(plan: Plan) -> Table:
    rows = [
        [
            str(n),
            str(p.line.year),
            p.line.region,
            p.name,
            p.line.fund,
            p.line.count,
            _mix(p),
            p.price.formula,
            p.fen,
            p.line.source.citation,
            _price_citations(p),
            "；".join(x for x in (p.price.remark, p.line.note) if x),
        ]
        for n, p in enumerate(plan.priced, start=1)
    ]
    columns = (
        Column("序号", width=0.45),
        Column("年度", width=0.55),
        Column("地区", width=0.6),
        Column("项目", width=2.0),
        Column("资金", width=1.35),
        Column("数量", "count", 0.75),
        Column("构成", width=0.8),
        Column("测算公式（元）", width=1.9),
        Column("金额", "fen", 1.3),
        Column("目标依据", width=1.6),
        Column("标准依据", width=1.6),
        Column("备注", width=2.0),
    )
    total = [TOTAL, *[None] * 7, plan.total, None, None, None]
    return Table("测算明细", columns, rows, (total,), sheet="测算明细")


def _summary(plan: Plan) -> Table:
    rows: list[list] = []
    subtotals: set[int] = set()
    by_year = plan.by_year()
    names = {p.line.program: p.name for p in plan.priced}
    for year in by_year:
        for y, program, fund, count, fen in plan.by_year_program_fund():
            if y == year:
                rows.append([str(year), names[program], fund, count, fen])
        subtotals.add(len(rows))
        rows.append([f"{year}年小计", None, None, None, by_year[year]])
    columns = (
        Column("年度", width=1.0),
        Column("项目", width=3.0),
        Column("资金", width=1.5),
        Column("数量", "count", 1.0),
        Column("金额", "fen", 1.6),
    )
    total = ([TOTAL, None, None, None, plan.total],)
    return Table("按年度、项目、资金汇总", columns, rows, total, frozenset(subtotals), sheet="汇总")


def _standing(difference: int | None) -> str:
    if difference is None:
        return "未安排拨款"
    return "结余" if difference > 0 else "缺口" if difference < 0 else "持平"


def _against(rows: list[FundRow]) -> Table:
    body = [
        [r.fund, r.planned, r.appropriated, r.source, r.difference, _standing(r.difference)]
        for r in rows
    ]
    known = [r for r in rows if r.appropriated is not None]
    total = [
        TOTAL,
        sum(r.planned for r in rows),
        sum(r.appropriated for r in known),
        None,
        sum(r.difference for r in known),
        None,
    ]
    columns = (
        Column("资金", width=1.5),
        Column("测算金额", "fen", 1.5),
        Column("拨款金额", "fen", 1.5),
        Column("拨款来源", width=1.0),
        Column("结余（+）/缺口（-）", "fen", 1.6),
        Column("结论", width=0.8),
    )
    note = "拨款金额：资金在账簿中的，取账簿 4001 财政拨款收入；否则取测算文件所列拨款。"
    if len(known) < len(rows):
        note += "合计中的拨款与结余/缺口只含已安排拨款的资金。"
    return Table("测算与拨款对比", columns, body, (total,), note=note, sheet="拨款对比")


def _counted(plan: Plan) -> Table:
    rows = [
        [
            str(p.line.year),
            p.line.region,
            p.name,
            p.line.count,
            p.line.unit or "个",
            p.line.source.citation,
            p.reason,
            p.line.note,
        ]
        for p in plan.counted
    ]
    columns = (
        Column("年度", width=0.6),
        Column("地区", width=0.7),
        Column("项目/事项", width=2.2),
        Column("数量", "count", 1.0),
        Column("单位", width=0.5),
        Column("目标依据", width=1.6),
        Column("不计金额的原因", width=2.2),
        Column("备注", width=2.0),
    )
    return Table("只计数量、不计金额的目标", columns, rows, sheet="只计数量")


def _charts(plan: Plan) -> list[Bars]:
    years = list(plan.by_year())
    programs = list(dict.fromkeys(p.line.program for p in plan.priced))
    names = {p.line.program: p.name for p in plan.priced}
    cells = {(y, prog): fen for y, prog, _, _, fen in plan.by_year_program_fund()}
    by_program = tuple(
        (
            names[prog],
            tuple(
                sum(v for (y, q), v in cells.items() if y == year and q == prog) for year in years
            ),
        )
        for prog in programs
    )
    funds = [r for r in plan.by_fund() if r.planned or r.appropriated]
    charts = [Bars("各年度测算金额（按项目）", tuple(map(str, years)), by_program)]
    if any(r.appropriated is not None for r in funds):
        charts.append(
            Bars(
                "测算与拨款（按资金）",
                tuple(r.fund for r in funds),
                (
                    ("测算", tuple(r.planned for r in funds)),
                    ("拨款", tuple(r.appropriated or 0 for r in funds)),
                ),
            )
        )
    return charts


def plan_report(plan: Plan, unit: str = "", subtitle: str = "") -> Report:
    blocks: list = [_basis(plan)]
    blocks += [Paragraph(n) for n in plan.scenario.notes]
    if plan.priced:
        blocks += [_detail(plan), _summary(plan), *_charts(plan)]
    if plan.by_fund():
        blocks.append(_against(plan.by_fund()))
    if plan.counted:
        blocks.append(_counted(plan))
    return Report(
        title=f"{plan.scenario.title} 资金测算表",
        subtitle=subtitle or f"测算文件 {plan.scenario.path.name}",
        fund=_funds(plan),
        period=_years(plan),
        unit=unit or plan.scenario.issuer,
        blocks=numbered(blocks),
        landscape=True,
    )


def _side(p: PlanLine | None) -> list:
    return [None, None] if p is None else [p.line.count, p.fen]


def _pair_row(n: int, pair: Pair) -> list:
    after = pair.changed.price.formula if pair.changed and pair.changed.price else ""
    return [
        str(n),
        str(pair.line.year),
        pair.line.region,
        pair.name,
        _mix(pair.changed or pair.base),
        pair.line.fund,
        *_side(pair.base),
        *_side(pair.changed),
        pair.difference,
        after,
    ]


def _years_compared(base: Plan, changed: Plan) -> Table:
    before, after = base.by_year(), changed.by_year()
    rows = [
        [str(y), before.get(y, 0), after.get(y, 0), after.get(y, 0) - before.get(y, 0)]
        for y in sorted({*before, *after})
    ]
    columns = (
        Column("年度"),
        Column("原测算", "fen"),
        Column("调整后", "fen"),
        Column("差额", "fen"),
    )
    total = ([TOTAL, base.total, changed.total, changed.total - base.total],)
    return Table("按年度对比", columns, rows, total, sheet="按年度")


def _funds_compared(base: Plan, changed: Plan) -> Table:
    before = {r.fund: r for r in base.by_fund()}
    after = {r.fund: r for r in changed.by_fund()}
    empty = FundRow("", 0, None, "")
    rows = []
    for fund in sorted({*before, *after}):
        b, a = before.get(fund, empty), after.get(fund, empty)
        rows.append(
            [
                fund,
                a.appropriated if a.appropriated is not None else b.appropriated,
                b.planned,
                b.difference,
                a.planned,
                a.difference,
            ]
        )
    columns = (
        Column("资金"),
        Column("拨款金额", "fen"),
        Column("原测算", "fen"),
        Column("原结余/缺口", "fen"),
        Column("调整后测算", "fen"),
        Column("调整后结余/缺口", "fen"),
    )
    return Table("与拨款对比", columns, rows, sheet="拨款对比")


def comparison_report(
    base: Plan, changed: Plan, lines: list[Pair], described: list[str], unit: str = ""
) -> Report:
    """The plan beside the changed plan: each line, each year and each fund, with the difference."""
    columns = (
        Column("序号", width=0.5),
        Column("年度", width=0.6),
        Column("地区", width=0.7),
        Column("项目", width=2.0),
        Column("构成", width=0.9),
        Column("资金", width=1.35),
        Column("原数量", "count", 0.8),
        Column("原金额", "fen", 1.3),
        Column("调整后数量", "count", 0.8),
        Column("调整后金额", "fen", 1.3),
        Column("差额", "fen", 1.2),
        Column("调整后公式（元）", width=2.2),
    )
    rows = [_pair_row(n, pair) for n, pair in enumerate(lines, start=1)]
    total = [TOTAL, *[None] * 6, base.total, None, changed.total, changed.total - base.total, None]
    by_year = _years_compared(base, changed)
    chart = Bars(
        "各年度测算金额：调整前后",
        tuple(r[0] for r in by_year.rows),
        (
            ("原测算", tuple(r[1] for r in by_year.rows)),
            ("调整后", tuple(r[2] for r in by_year.rows)),
        ),
    )
    blocks = [
        Paragraph("调整内容：" + "；".join(described)),
        _basis(changed),
        Table("逐行对比", columns, rows, (total,), sheet="逐行对比"),
        by_year,
        chart,
        _funds_compared(base, changed),
    ]
    return Report(
        title=f"{base.scenario.title} 资金测算对比",
        subtitle="；".join(described),
        fund=_funds(base),
        period=_years(base),
        unit=unit or base.scenario.issuer,
        blocks=numbered(blocks),
        landscape=True,
    )
