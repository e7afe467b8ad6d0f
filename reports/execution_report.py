"""Budget execution (预算执行情况表) as a printable report."""

from __future__ import annotations

from reports.document import Bars, Column, Paragraph, Report, Table, numbered, rate
from reports.execution import Execution, Figures, total

TOTAL = "合计"
FIGURE_COLUMNS = (
    Column("拨款", "fen", 1.2),
    Column("计提", "fen", 1.2),
    Column("支付", "fen", 1.2),
    Column("退回", "fen", 1.0),
    Column("追回", "fen", 1.0),
    Column("实际支出", "fen", 1.2),
)


def _figures(f: Figures) -> list:
    return [f.appropriated, f.accrued, f.disbursed, f.returned, f.recovered, f.net_spent]


def months_between(first: str, last: str) -> list[str]:
    """Every period from ``first`` to ``last`` (YYYY-MM), both included."""
    year, month = map(int, first.split("-"))
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _months(ex: Execution, fund: str | None) -> list[str]:
    found = list(ex.by_month(fund))
    if not found:
        return []
    return months_between(ex.first or found[0], ex.last or found[-1])


def _period(ex: Execution) -> str:
    months = _months(ex, None)
    if not months:
        return "（无记账）"
    first, last = months[0], months[-1]
    return f"{first[:4]}年{first[5:]}月" + ("" if first == last else f"—{last[:4]}年{last[5:]}月")


def _by_fund(ex: Execution) -> Table:
    rows = []
    for code, name in ex.funds.items():
        f = ex.fund_figures(code)
        rows.append(
            [code, name, *_figures(f), ex.available(code), rate(f.net_spent, f.appropriated)]
        )
    all_funds = total(ex.fund_figures(code) for code in ex.funds)
    columns = (
        Column("资金", width=1.1),
        Column("资金名称", width=2.2),
        *FIGURE_COLUMNS,
        Column("期末可用", "fen", 1.2),
        Column("执行率", "rate", 0.8),
    )
    totals = [
        TOTAL,
        None,
        *_figures(all_funds),
        sum(ex.available(c) for c in ex.funds),
        rate(all_funds.net_spent, all_funds.appropriated),
    ]
    return Table("按资金汇总", columns, rows, (totals,), sheet="按资金")


def _by_program(ex: Execution) -> Table:
    rows = []
    for code in ex.funds:
        spent = ex.fund_figures(code).net_spent
        for program, f in ex.by_program(code).items():
            if program or f != Figures(appropriated=f.appropriated):
                rows.append(
                    [
                        code,
                        ex.program_name(program),
                        f.accrued,
                        f.disbursed,
                        f.returned,
                        f.recovery_raised,
                        f.recovered,
                        f.net_spent,
                        rate(f.net_spent, spent),
                    ]
                )
    t = total(ex.fund_figures(code) for code in ex.funds)
    columns = (
        Column("资金", width=1.1),
        Column("项目", width=2.6),
        Column("计提", "fen", 1.2),
        Column("支付", "fen", 1.2),
        Column("退回", "fen", 1.0),
        Column("追回（应收）", "fen", 1.1),
        Column("追回（收款）", "fen", 1.1),
        Column("实际支出", "fen", 1.2),
        Column("占资金支出", "rate", 0.9),
    )
    totals = [
        TOTAL,
        None,
        t.accrued,
        t.disbursed,
        t.returned,
        t.recovery_raised,
        t.recovered,
        t.net_spent,
        None,
    ]
    note = "拨款不分项目，见表一。未归属项目：账簿未载明项目的支付（记账键不含项目）。"
    return Table("按项目", columns, rows, (totals,), note=note, sheet="按项目")


def _by_month(ex: Execution) -> Table:
    rows = []
    for code in ex.funds:
        months = ex.by_month(code)
        available = ex.opening_available(code)
        appropriated = spent = 0
        for period in _months(ex, code):
            f = months.get(period, Figures())
            appropriated += f.appropriated
            spent += f.net_spent
            available += f.available_change
            rows.append(
                [
                    code,
                    period,
                    *_figures(f),
                    appropriated,
                    spent,
                    available,
                    rate(spent, appropriated),
                ]
            )
    columns = (
        Column("资金", width=1.1),
        Column("月份", width=0.8),
        *FIGURE_COLUMNS,
        Column("累计拨款", "fen", 1.2),
        Column("累计支出", "fen", 1.2),
        Column("月末可用", "fen", 1.2),
        Column("累计执行率", "rate", 0.8),
    )
    return Table("按月", columns, rows, sheet="按月")


def _checks(ex: Execution) -> Table:
    rows = [[c.fund, c.what, c.report, c.ledger, "一致" if c.ok else "不一致"] for c in ex.checks]
    rows += [
        [u.fund, f"未能归类：{u.period} {u.kind} {u.account}", u.debit - u.credit, None, "不一致"]
        for u in ex.unexplained
    ]
    columns = (
        Column("资金", width=1.0),
        Column("核对项", width=3.5),
        Column("报表数", "fen", 1.4),
        Column("试算平衡表", "fen", 1.4),
        Column("结果", width=0.7),
    )
    verdict = "全部一致。" if ex.reconciled else "存在不一致，请先查明原因再报送。"
    note = f"全部期间的累计数与账簿试算平衡表（运行余额）逐资金核对，精确到分：{verdict}"
    return Table("与试算平衡表核对", columns, rows, note=note, sheet="核对")


def _charts(ex: Execution) -> list[Bars]:
    months = _months(ex, None)
    by_month = ex.by_month()
    budget, actual, appropriated, spent = [], [], 0, 0
    for period in months:
        f = by_month.get(period, Figures())
        appropriated += f.appropriated
        spent += f.net_spent
        budget.append(appropriated)
        actual.append(spent)
    programs = {p: f.net_spent for p, f in ex.by_program().items() if p or f.net_spent}
    charts = [
        Bars(
            "预算与实际支出（按月累计）",
            tuple(months),
            (("累计拨款", tuple(budget)), ("累计实际支出", tuple(actual))),
        )
    ]
    if programs:
        charts.append(
            Bars(
                "实际支出（按项目）",
                tuple(ex.program_name(p) for p in programs),
                (("实际支出", tuple(programs.values())),),
                horizontal=True,
            )
        )
    return charts


def execution_report(ex: Execution, unit: str = "") -> Report:
    funds = list(ex.funds)
    fund = "、".join(funds) if len(funds) <= 2 else f"全部资金（{len(funds)}项）"
    basis = Paragraph(
        "口径：拨款 = 4001 财政拨款收入；计提 = 5001 业务活动费用（应付补贴）；支付、退回、追回（收款）"
        "= 7101 行政支出的借、贷方；实际支出 = 支付 - 退回 - 追回；可用 = 拨款 - 计提 + 追回"
        "（= 1011 零余额账户用款额度 - 2303 应付政府补贴款）；执行率 = 实际支出 ÷ 拨款（同一期间）。"
        "冲销计入被冲销业务，以负数反映。"
    )
    return Report(
        title="就业补助资金预算执行情况表",
        fund=fund,
        period=_period(ex),
        unit=unit,
        blocks=numbered(
            [basis, _by_fund(ex), *_charts(ex), _by_program(ex), _by_month(ex), _checks(ex)]
        ),
        landscape=True,
    )
