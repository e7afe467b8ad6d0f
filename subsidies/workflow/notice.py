"""The public notice (公示) of a batch: who is to be paid, how much, under which rule.

Person data is masked (names to the family initial, 身份证号 to ``630102********1234``);
a unit's name and 统一社会信用代码 are public and shown whole. Only eligible claims
appear; the total is the batch's eligible total, to the fen.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd

from calculators.registry import calculator
from subsidies.identity import mask_id, mask_name
from subsidies.money import format_yuan_grouped
from subsidies.workdays import notice_ends
from subsidies.workflow.batches import Batch

PERSON_KINDS = ("resident_id",)


def _is_person(calc, id_column: str, value: str) -> bool:
    kind = calc.template.column(id_column).kind
    return kind in PERSON_KINDS or (kind == "party_id" and value[:17].isdigit())


def _shown(calc, columns: tuple[str, str], row: dict) -> tuple[str, str]:
    name, number = (row.get(c, "") or "" for c in columns)
    if _is_person(calc, columns[1], number):
        return mask_name(name), mask_id(number)
    return name, number


def notice_table(batch: Batch, decisions: pd.DataFrame) -> pd.DataFrame:
    """One row per eligible claim: 序号, claim, payee (masked), subject (masked), amount, rule."""
    calc = calculator(batch.program_id)
    eligible = decisions[decisions["status"] == "eligible"]
    rows = []
    for number, d in enumerate(eligible.itertuples(), start=1):
        row = json.loads(d.input_json)
        payee_name, payee_id = _shown(calc, calc.payee, row)
        line = {"序号": number, "申请编号": d.claim_id, "收款人": payee_name, "证件号码": payee_id}
        if calc.subject:
            subject_name, subject_id = _shown(calc, calc.subject, row)
            line |= {"对象": subject_name, "对象证件号码": subject_id}
        line |= {
            "金额(元)": format_yuan_grouped(int(d.amount_fen)),
            "依据": d.citation,
            "amount_fen": int(d.amount_fen),
        }
        rows.append(line)
    return pd.DataFrame(rows)


def write_notice(
    batch: Batch, decisions: pd.DataFrame, path: Path, *, published_on: dt.date
) -> int:
    """Write the notice as .xlsx or .pdf; returns the total in fen."""
    calc = calculator(batch.program_id)
    table = notice_table(batch, decisions)
    total = int(table["amount_fen"].sum()) if len(table) else 0
    ends = notice_ends(published_on, batch.notice_days) if batch.notice_days else published_on
    title = f"{calc.program.name_zh} 拟发放名单公示"
    lines = [
        f"批次 {batch.code}  资金 {batch.fund_code}  依据 {calc.program.citation}",
        f"公示期 {published_on} 起 {batch.notice_days} 个工作日，至 {ends} 止",
        f"合计 {len(table)} 人(户)  金额 {format_yuan_grouped(total)} 元",
    ]
    shown = table.drop(columns=["amount_fen"]) if len(table) else table
    if path.suffix.lower() == ".pdf":
        _pdf(path, title, lines, shown)
    elif path.suffix.lower() == ".xlsx":
        _xlsx(path, title, lines, table)
    else:
        raise ValueError(f"{path}: the notice is written as .xlsx or .pdf")
    return total


def _xlsx(path: Path, title: str, lines: list[str], table: pd.DataFrame) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "公示"
    sheet.append([title])
    for line in lines:
        sheet.append([line])
    columns = [c for c in table.columns if c not in ("amount_fen", "金额(元)")] + ["金额(元)"]
    sheet.append(columns)
    for record in table.to_dict("records"):
        values = [record[c] for c in columns[:-1]] + [record["amount_fen"] / 100]
        sheet.append(values)
        sheet.cell(row=sheet.max_row, column=len(columns)).number_format = "#,##0.00"
    book.save(path)


def _pdf(path: Path, title: str, lines: list[str], table: pd.DataFrame) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    heading = ParagraphStyle("h", fontName=font, fontSize=16, leading=22, alignment=1)
    body = ParagraphStyle("b", fontName=font, fontSize=10, leading=14)
    data = [list(table.columns)] + table.astype(str).values.tolist()
    grid = Table(data, repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 9),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("ALIGN", (-2, 1), (-2, -1), "RIGHT"),
            ]
        )
    )

    def number_pages(canvas, doc) -> None:
        canvas.setFont(font, 8)
        canvas.drawRightString(doc.pagesize[0] - 36, 20, f"第 {doc.page} 页")

    doc = SimpleDocTemplate(str(path), pagesize=landscape(A4), title=title)
    story = [Paragraph(title, heading), Spacer(1, 6)]
    story += [Paragraph(line, body) for line in lines]
    story += [Spacer(1, 8), grid]
    doc.build(story, onFirstPage=number_pages, onLaterPages=number_pages)
