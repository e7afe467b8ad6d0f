"""The reconciliation report: matches, every exception with its reason, and the
银行存款余额调节表 — as a :class:`reports.document.Report` (PDF, XLSX or CSV)."""

from __future__ import annotations

import pandas as pd

from reports.document import Column, Paragraph, Report, Table
from subsidies.domain.money import format_yuan_grouped
from subsidies.workflow.reconcile import EXCEPTION_TYPES, Outcome, Statement


def _less(item: str, fen: int) -> list:
    """A line taken off: "减" with the amount, or "加" with its size when it is negative
    (never "减: … -10.00")."""
    return [f"减: {item}", fen] if fen >= 0 else [f"加: {item}", -fen]


def build(
    outcome: Outcome | None, exceptions: pd.DataFrame, st: Statement, *, source: str
) -> Report:
    blocks = []
    if outcome is not None:
        blocks.append(
            Table(
                "本次对账 This run",
                (
                    Column("项目 item", width=3),
                    Column("笔数 count", "count"),
                    Column("金额 amount", "fen"),
                ),
                [
                    ["新导入流水 lines imported", outcome.imported, None],
                    ["已导入过 already imported", outcome.already, None],
                    ["结清 settled", len(outcome.settle), int(outcome.settle["amount_fen"].sum())],
                    [
                        "退回 returned",
                        len(outcome.returned),
                        int(outcome.returned["amount_fen"].sum()),
                    ],
                ],
                sheet="本次对账",
            )
        )
    by_type = []
    for kind, label in EXCEPTION_TYPES.items():
        rows = exceptions[exceptions["type"] == kind]
        amount = (
            rows["amount_fen"].fillna(rows.get("payment_fen")).fillna(0).astype("int64").sum()
            if len(rows)
            else 0
        )
        by_type.append([label, len(rows), int(amount)])
    blocks.append(
        Table(
            "差异汇总 Exceptions by type",
            (
                Column("类型 type", width=3),
                Column("笔数 count", "count"),
                Column("金额 amount", "fen"),
            ),
            by_type,
            total=(["合计 total", len(exceptions), sum(r[2] for r in by_type)],),
            sheet="差异汇总",
        )
    )
    detail = [
        [
            EXCEPTION_TYPES[r.type],
            None if pd.isna(r.line_id) else f"#{int(r.line_id)} 第{int(r.row_no)}行 {r.serial}",
            "" if pd.isna(r.value_date) else f"{r.value_date:%Y-%m-%d}",
            None if pd.isna(r.amount_fen) else int(r.amount_fen),
            "" if pd.isna(r.payment_reference) else f"{r.payment_reference} ({r.claim_id})",
            None if pd.isna(r.payment_fen) else int(r.payment_fen),
            r.detail,
        ]
        for r in exceptions.itertuples()
    ]
    blocks.append(
        Table(
            "差异明细 Exceptions",
            (
                Column("类型 type", width=2),
                Column("银行流水 bank line", width=2),
                Column("日期 date"),
                Column("银行金额 bank", "fen"),
                Column("支付 payment", width=2),
                Column("支付金额 paid", "fen"),
                Column("原因 reason", width=4),
            ),
            detail,
            total=(
                [
                    "合计 total",
                    f"{len(detail):,} 笔",
                    None,
                    sum(r[3] or 0 for r in detail),
                    None,
                    sum(r[5] or 0 for r in detail),
                    None,
                ],
            ),
            sheet="差异明细",
            note="处理: subsidies reconcile resolve LINE PAYMENT --reason … (记入审计日志)",
        )
    )
    balanced = "调节后相等 balanced" if st.difference == 0 else "差额 difference"
    blocks.append(
        Table(
            "银行存款余额调节表 Bank reconciliation (payments)",
            (Column("项目 item", width=4), Column("金额 amount", "fen")),
            [
                ["单位账面已支付 paid per the ledger (支付 − 退回, 1011)", st.ledger_paid],
                ["减: 单位已付、银行未付 in transit (pending payments)", st.in_transit],
                ["加: 银行已付、单位未付 bank lines with no payment", st.bank_only],
                ["调节后单位账面 adjusted ledger", st.adjusted_ledger],
                ["银行对账单已支付 paid per the bank (success lines)", st.bank_paid],
                _less("人工匹配金额差 differences accepted by hand", st.matched_difference),
                ["调节后银行对账单 adjusted bank", st.adjusted_bank],
                [balanced, st.difference],
            ],
            sheet="余额调节表",
        )
    )
    if st.ledger_paid != st.payments_paid:
        blocks.append(
            Paragraph(
                f"注意: 账面支付 {format_yuan_grouped(st.ledger_paid)} 元 与支付记录 "
                f"{format_yuan_grouped(st.payments_paid)} 元 不一致 — "
                "the ledger and the payment records differ; run `subsidies ledger verify`."
            )
        )
    return Report(
        title="银行对账报告",
        subtitle="Bank reconciliation",
        fund="全部资金 all funds",
        period=source,
        unit="",
        blocks=blocks,
        landscape=True,
    )
