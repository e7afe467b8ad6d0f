"""How the console shows dates, amounts and states: in Chinese, as officers write them.

Dates 2024年12月10日, amounts ¥1,000.00 (integer fen inside, never float), claim statuses
符合 / 不符合 / 数据有误 / 重复, and the states of batches, payments and jobs.
"""

from __future__ import annotations

import datetime as dt

from subsidies.domain.money import AmountError, format_yuan_grouped, parse_yuan

STATUS = {"eligible": "符合", "ineligible": "不符合", "invalid": "数据有误", "duplicate": "重复"}
BATCH_STATE = {
    "submitted": "已提交",
    "noticed": "公示中",
    "approved": "已审核通过",
    "rejected": "已退回",
}
PAYMENT_STATE = {"pending": "已发送银行", "settled": "已到账", "returned": "已退回"}
JOB_STATE = {"running": "进行中", "done": "已完成", "failed": "失败"}
EVENT = {
    "notice_published": "发布公示",
    "approved": "审核通过",
    "rejected": "退回",
    "disbursed": "支付",
    "settled": "到账",
    "returned": "退票",
    "reissued": "重新支付",
}
WORDS = {**STATUS, **BATCH_STATE, **PAYMENT_STATE, **JOB_STATE, **EVENT}


def date_zh(value: dt.date | dt.datetime | str | None) -> str:
    """``2024-12-10`` -> ``2024年12月10日``; a datetime keeps its time (``08:05``)."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    shown = f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, dt.datetime):
        shown += f" {value:%H:%M}"
    return shown


def yuan(fen: int | None) -> str:
    """``100000`` fen -> ``¥1,000.00``; a negative amount ``-¥10.00``."""
    if fen is None:
        return ""
    fen = int(fen)
    return ("-" if fen < 0 else "") + "¥" + format_yuan_grouped(abs(fen))


def zh(word: str) -> str:
    """A status, state or event kind in Chinese (the word itself when none is known)."""
    return WORDS.get(word, word)


def mask_account(account: str | None) -> str:
    """A bank account with only its last four digits shown: ``**** 1234``."""
    account = (account or "").strip()
    return f"**** {account[-4:]}" if len(account) > 4 else "*" * len(account)


def yuan_text(text: str) -> str:
    """An amount written as text in yuan (``1000.00``) shown as ``¥1,000.00``."""
    try:
        return yuan(parse_yuan(text))
    except AmountError:
        return text


FILTERS = {
    "date_zh": date_zh,
    "yuan": yuan,
    "yuan_text": yuan_text,
    "zh": zh,
    "mask_account": mask_account,
}
