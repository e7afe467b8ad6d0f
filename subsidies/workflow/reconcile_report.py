"""The reconciliation report: matches, every exception with its reason, and the
银行存款余额调节表 — as a :class:`reports.document.Report` (PDF, XLSX or CSV)."""

from __future__ import annotations

import pandas as pd

from reports.document import Column, Paragraph, Report, Table
from subsidies.domain.money import yuan
from subsidies.workflow.reconcile import EXCEPTION_TYPES, Outcome, Statement


def _less(item: str, fen: int) -> list:
    """A line taken off: "减" with the amount, or "加" with its size when it is negative
    (never "减：… -10.00")."""
    return [f"减：{item}", fen] if fen >= 0 else [f"加：{item}", -fen]


def build(
    outcome: Outcome | None, exceptions: pd.DataFrame, st: Statement, *, source: str
) -> Report:
    blocks = []
    if outcome is not None:
        blocks.append(
            Table(
                "本次对账",
                (
                    Column("项目", width=3),
                    Column("笔数", "count"),
                    Column("金额", "fen"),
                ),
                [
                    ["新导入流水", outcome.imported, None],
                    ["已导入过", outcome.already, None],
                    ["结清", len(outcome.settle), int(outcome.settle["amount_fen"].sum())],
                    [
                        "退回",
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
            "差异汇总",
            (
                Column("类型", width=3),
                Column("笔数", "count"),
                Column("金额", "fen"),
            ),
            by_type,
            total=(["合计", len(exceptions), sum(r[2] for r in by_type)],),
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
            "差异明细",
            (
                Column("类型", width=2),
                Column("银行流水", width=2),
                Column("日期"),
                Column("银行金额", "fen"),
                Column("支付", width=2),
                Column("支付金额", "fen"),
                Column("原因", width=4),
            ),
            detail,
            total=(
                [
                    "合计",
                    f"{len(detail):,} 笔",
                    None,
                    sum(r[3] or 0 for r in detail),
                    None,
                    sum(r[5] or 0 for r in detail),
                    None,
                ],
            ),
            sheet="差异明细",
            note="处理：核实后将银行流水与支付人工匹配，注明原因（记入审计日志）。",
        )
    )
    balanced = "调节后相等" if st.difference == 0 else "差额"
    blocks.append(
        Table(
            "银行存款余额调节表",
            (Column("项目", width=4), Column("金额", "fen")),
            [
                ["单位账面已支付（支付 − 退回，1011）", st.ledger_paid],
                ["减：单位已付、银行未付（待银行确认的支付）", st.in_transit],
                ["加：银行已付、单位未付", st.bank_only],
                ["调节后单位账面", st.adjusted_ledger],
                ["银行对账单已支付（成功的流水）", st.bank_paid],
                _less("人工匹配金额差", st.matched_difference),
                ["调节后银行对账单", st.adjusted_bank],
                [balanced, st.difference],
            ],
            sheet="余额调节表",
        )
    )
    if st.ledger_paid != st.payments_paid:
        blocks.append(
            Paragraph(
                f"注意：账面支付 {yuan(st.ledger_paid)}与支付记录 {yuan(st.payments_paid)}不一致，"
                "请核对账簿。"
            )
        )
    return Report(
        title="银行对账报告",
        fund="全部资金",
        period=source,
        unit="",
        blocks=blocks,
        landscape=True,
    )
