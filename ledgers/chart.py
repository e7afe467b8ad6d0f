"""Chart of accounts (会计科目表) from 政府会计制度 (财会〔2017〕25号), as officers know it.

Two tracks run in parallel (平行记账): the financial track (财务会计, codes 1–5) and the
budget track (预算会计, codes 6–8). Only the accounts this ledger uses are listed; a
sub-account (明细科目) is written ``PARENT.SUFFIX`` — e.g. ``5001.qinghai.goji_broker``
for 业务活动费用 of one program — and is created on first use with its parent's track,
side and bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Track = Literal["financial", "budget"]
Side = Literal["debit", "credit"]

TRACK_NAMES: dict[str, str] = {"financial": "财务会计", "budget": "预算会计"}

CASH = "1011"  # 零余额账户用款额度
RECEIVABLE = "1218"  # 其他应收款
PAYABLE = "2303"  # 应付政府补贴款
REVENUE = "4001"  # 财政拨款收入
EXPENSE = "5001"  # 业务活动费用
BUDGET_REVENUE = "6001"  # 财政拨款预算收入
BUDGET_EXPENDITURE = "7101"  # 行政支出
FUNDS_HELD = "8001"  # 资金结存


@dataclass(frozen=True, slots=True)
class Account:
    """One account. ``bounded``: its balance per fund may never cross to the other side."""

    code: str
    name_zh: str
    category: str
    normal_side: Side
    bounded: bool = True
    parent: str | None = None

    @property
    def track(self) -> Track:
        return track_of(self.code)

    @property
    def label(self) -> str:
        return f"{self.code} {self.name_zh}"


def track_of(code: str) -> Track:
    """Codes 1–5 are financial accounting, 6–8 budget accounting."""
    return "financial" if code[:1] in "12345" else "budget"


CHART: tuple[Account, ...] = (
    Account("1001", "库存现金", "资产", "debit"),
    Account("1002", "银行存款", "资产", "debit"),
    Account("1011", "零余额账户用款额度", "资产", "debit"),
    Account("1201", "财政应返还额度", "资产", "debit"),
    Account("1218", "其他应收款", "资产", "debit"),
    Account("2303", "应付政府补贴款", "负债", "credit"),
    Account("2307", "其他应付款", "负债", "credit"),
    Account("3001", "累计盈余", "净资产", "credit", bounded=False),
    Account("4001", "财政拨款收入", "收入", "credit"),
    Account("5001", "业务活动费用", "费用", "debit"),
    Account("6001", "财政拨款预算收入", "预算收入", "credit"),
    Account("7101", "行政支出", "预算支出", "debit"),
    Account("8001", "资金结存", "预算结余", "debit"),
    Account("8101", "财政拨款结转", "预算结余", "credit", bounded=False),
    Account("8102", "财政拨款结余", "预算结余", "credit", bounded=False),
)

BY_CODE: dict[str, Account] = {a.code: a for a in CHART}


def sub_account(code: str, name_zh: str | None = None) -> Account:
    """The sub-account ``PARENT.SUFFIX`` of a chart account, named after its parent."""
    parent_code, _, suffix = code.partition(".")
    parent = BY_CODE.get(parent_code)
    if parent is None or not suffix or suffix != suffix.strip():
        raise KeyError(code)
    return Account(
        code=code,
        name_zh=name_zh or f"{parent.name_zh}—{suffix}",
        category=parent.category,
        normal_side=parent.normal_side,
        bounded=parent.bounded,
        parent=parent.code,
    )
