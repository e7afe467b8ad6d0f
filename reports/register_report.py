"""The payout register (发放明细表) and the public notice (公示) as printable reports."""

from __future__ import annotations

from reports.document import Column, Paragraph, Report, Table
from reports.register import STATES, Notice, Register
from subsidies.domain.money import format_yuan_grouped


def _people(reg: Register) -> tuple[Column, ...]:
    columns = [Column("收款人", width=0.9), Column("证件号码", width=2.0)]
    if reg.has_subject:
        columns += [Column("补贴对象", width=0.8), Column("对象证件号码", width=2.0)]
    return tuple(columns)


def _cells(reg: Register, line) -> list:
    cells = [line.payee_name, line.payee_id]
    if reg.has_subject:
        cells += [line.subject_name, line.subject_id]
    return cells


def register_report(reg: Register, unit: str = "") -> Report:
    """Every line with its batch, masked names and numbers; a subtotal per batch, a total."""
    rows, subtotals = [], set()
    n = 0
    for batch in reg.batches:
        for line in (x for x in reg.lines if x.batch == batch.code):
            n += 1
            rows.append(
                [
                    str(n),
                    batch.code,
                    line.claim_id,
                    *_cells(reg, line),
                    line.fen,
                    line.recovered_fen or None,
                ]
            )
        if len(reg.batches) > 1:
            subtotals.add(len(rows))
            count = sum(1 for x in reg.lines if x.batch == batch.code)
            rows.append(
                [
                    "小计",
                    batch.code,
                    f"{count:,} 笔",
                    *[None] * len(_people(reg)),
                    reg.batch_total(batch.code),
                    sum(x.recovered_fen for x in reg.lines if x.batch == batch.code) or None,
                ]
            )
    columns = (
        Column("序号", width=0.5),
        Column("批次", width=1.8),
        Column("申请编号", width=1.3),
        *_people(reg),
        Column("金额", "fen", 1.3),
        Column("其中已追回", "fen", 1.1),
    )
    total = [
        [
            "合计",
            None,
            f"{len(reg.lines):,} 笔",
            *[None] * len(_people(reg)),
            reg.total,
            reg.recovered or None,
        ]
    ]
    batches = "；".join(f"{b.code}（{STATES[b.state]}）" for b in reg.batches)
    dates = sorted(b.as_of for b in reg.batches)
    period = f"{dates[0]:%Y年%m月%d日}" + (
        "" if dates[0] == dates[-1] else f"—{dates[-1]:%Y年%m月%d日}"
    )
    return Report(
        title=f"{reg.program_name} 发放明细表",
        subtitle=f"依据 {reg.citation}　批次 {batches}",
        fund=reg.funds(with_codes=True),
        period=period,
        unit=unit,
        blocks=[
            Table("发放明细", columns, rows, tuple(total), frozenset(subtotals), sheet="发放明细"),
            Paragraph(
                "个人姓名只显示姓氏，身份证号只显示前6位和后4位。"
                "“其中已追回”为发放后追回（应收）的金额，追回明细可按申请编号查询。"
            ),
        ],
        signatures=("单位负责人", "经办人", "复核人"),
        landscape=reg.has_subject,  # nine columns: the numbers of payee and subject unbroken
    )


def notice_report(notice: Notice, unit: str = "") -> Report:
    """公示: the batch's payees and amounts, the notice period and where to object."""
    reg = notice.register
    start, end = notice.published_on, notice.ends_on
    body = (
        f"根据{reg.citation}的规定，经审核，以下{len(reg.lines):,}名（家）申请对象符合{reg.program_name}"
        f"发放条件，拟发放补贴资金共计{format_yuan_grouped(reg.total)}元。现予以公示，"
        f"公示期为{start:%Y年%m月%d日}至{end:%Y年%m月%d日}（{notice.working_days}个工作日）。"
        f"公示期间如有异议，请以书面形式向{unit or '本单位'}反映，并提供联系方式和相关证明材料。"
    )
    rows = [
        [str(n), line.claim_id, *_cells(reg, line), line.fen]
        for n, line in enumerate(reg.lines, start=1)
    ]
    columns = (
        Column("序号", width=0.6),
        Column("申请编号", width=1.3),
        *_people(reg),
        Column("拟发放金额", "fen", 1.3),
    )
    total = [["合计", f"{len(reg.lines):,} 笔", *[None] * len(_people(reg)), reg.total]]
    return Report(
        title=f"关于{reg.program_name}拟发放名单的公示",
        subtitle=f"批次 {reg.batches[0].code}",
        fund=reg.funds(with_codes=False),
        period=f"公示期 {start:%Y-%m-%d} 至 {end:%Y-%m-%d}",
        unit=unit,
        prepared_on=start,
        blocks=[
            Paragraph(body, body=True),
            Table("拟发放名单", columns, rows, tuple(total), sheet="公示名单"),
        ],
        signatures=(),
        closing=(unit or "（盖章）", f"{start:%Y年%m月%d日}"),
    )
