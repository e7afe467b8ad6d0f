"""Reading the books: balances, trial balance (试算平衡表), journal, statement (明细账).

Current balances come from the ``balances`` table in O(1) per (account, fund); balances
as of a date are summed from the postings of entries dated on or before it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, and_, func, or_, select

from ledgers.chart import CASH, PAYABLE, Account
from ledgers.errors import UnknownAccountError, UnknownFundError
from ledgers.model import Entry, Kind
from ledgers.records import as_date, fetch_entries
from ledgers.schema import accounts, balances, entries, funds, postings
from subsidies.domain.i18n import _


@dataclass(frozen=True, slots=True)
class BalanceRow:
    account: str
    name_zh: str
    fund: str
    debit_total: int
    credit_total: int
    normal_side: str

    @property
    def net(self) -> int:
        """Debit minus credit."""
        return self.debit_total - self.credit_total

    @property
    def balance(self) -> int:
        """The balance on the account's normal side."""
        return self.net if self.normal_side == "debit" else -self.net


@dataclass(frozen=True, slots=True)
class TrialBalanceRow:
    code: str
    name_zh: str
    track: str
    level: int  # 0 for a chart account, 1 for a sub-account (明细科目)
    debit_total: int
    credit_total: int

    @property
    def debit_balance(self) -> int:
        return max(self.debit_total - self.credit_total, 0)

    @property
    def credit_balance(self) -> int:
        return max(self.credit_total - self.debit_total, 0)


@dataclass(frozen=True, slots=True)
class TrialBalance:
    """试算平衡表: per account, totals and closing balances; each track must balance."""

    as_of: date | None
    rows: tuple[TrialBalanceRow, ...]

    def totals(self, track: str) -> tuple[int, int, int, int]:
        """(debit total, credit total, debit balances, credit balances) of one track."""
        top = [r for r in self.rows if r.level == 0 and r.track == track]
        return (
            sum(r.debit_total for r in top),
            sum(r.credit_total for r in top),
            sum(r.debit_balance for r in top),
            sum(r.credit_balance for r in top),
        )

    @property
    def balanced(self) -> bool:
        for track in ("financial", "budget"):
            dr, cr, dr_bal, cr_bal = self.totals(track)
            if dr != cr or dr_bal != cr_bal:
                return False
        return True


@dataclass(frozen=True, slots=True)
class StatementLine:
    entry_id: int
    entry_date: date
    kind: Kind
    memo: str
    ref: str
    fund: str
    debit: int
    credit: int
    net: int  # running debit-minus-credit balance after this line


@dataclass(frozen=True, slots=True)
class Statement:
    """明细账 of one account (and its sub-accounts), optionally of one fund."""

    account: Account
    fund: str | None
    opening_net: int
    lines: tuple[StatementLine, ...]

    @property
    def closing_net(self) -> int:
        return self.lines[-1].net if self.lines else self.opening_net


def load_account(conn: Connection, code: str) -> Account:
    row = conn.execute(select(accounts).where(accounts.c.code == code)).first()
    if row is None:
        raise UnknownAccountError(_("no account {code} in the chart of accounts").format(code=code))
    return Account(row.code, row.name_zh, row.category, row.normal_side, row.bounded, row.parent)


def require_fund(conn: Connection, code: str) -> None:
    if conn.scalar(select(funds.c.code).where(funds.c.code == code)) is None:
        raise UnknownFundError(_("no fund {fund}").format(fund=code))


def _account_or_children(column, code: str):
    children = select(accounts.c.code).where(accounts.c.parent == code)
    return or_(column == code, column.in_(children))


def net_balance(
    conn: Connection, code: str, fund: str | None = None, as_of: date | None = None
) -> int:
    """Debit minus credit of an account (with its sub-accounts), in fen."""
    if as_of is None:
        query = select(func.coalesce(func.sum(balances.c.balance), 0)).where(
            _account_or_children(balances.c.account, code)
        )
        if fund is not None:
            query = query.where(balances.c.fund == fund)
        return int(conn.scalar(query))
    query = (
        select(func.coalesce(func.sum(postings.c.debit - postings.c.credit), 0))
        .select_from(postings.join(entries, entries.c.id == postings.c.entry_id))
        .where(_account_or_children(postings.c.account, code), entries.c.entry_date <= as_of)
    )
    if fund is not None:
        query = query.where(postings.c.fund == fund)
    return int(conn.scalar(query))


def available(conn: Connection, fund: str) -> int:
    """1011 debit balance less 2303 credit balance of the fund."""
    query = select(func.coalesce(func.sum(balances.c.balance), 0)).where(
        balances.c.fund == fund, balances.c.account.in_([CASH, PAYABLE])
    )
    return int(conn.scalar(query))


def balance_rows(conn: Connection, fund: str | None = None) -> list[BalanceRow]:
    query = (
        select(balances, accounts.c.name_zh, accounts.c.normal_side)
        .join(accounts, accounts.c.code == balances.c.account)
        .order_by(balances.c.fund, balances.c.account)
    )
    if fund is not None:
        query = query.where(balances.c.fund == fund)
    return [
        BalanceRow(r.account, r.name_zh, r.fund, r.debit_total, r.credit_total, r.normal_side)
        for r in conn.execute(query)
    ]


def trial_balance(
    conn: Connection, as_of: date | None = None, fund: str | None = None
) -> TrialBalance:
    if as_of is None:
        query = select(
            balances.c.account, func.sum(balances.c.debit_total), func.sum(balances.c.credit_total)
        ).group_by(balances.c.account)
        if fund is not None:
            query = query.where(balances.c.fund == fund)
    else:
        query = (
            select(postings.c.account, func.sum(postings.c.debit), func.sum(postings.c.credit))
            .select_from(postings.join(entries, entries.c.id == postings.c.entry_id))
            .where(entries.c.entry_date <= as_of)
            .group_by(postings.c.account)
        )
        if fund is not None:
            query = query.where(postings.c.fund == fund)
    totals = {code: (int(dr), int(cr)) for code, dr, cr in conn.execute(query)}
    chart = {row.code: row for row in conn.execute(select(accounts))}
    top: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    subs: dict[str, list[str]] = defaultdict(list)
    for code, (dr, cr) in totals.items():
        parent = chart[code].parent or code
        top[parent][0] += dr
        top[parent][1] += cr
        if parent != code:
            subs[parent].append(code)
    rows: list[TrialBalanceRow] = []
    for code in sorted(top):
        rows.append(TrialBalanceRow(code, chart[code].name_zh, chart[code].track, 0, *top[code]))
        for sub in sorted(subs[code]):
            rows.append(TrialBalanceRow(sub, chart[sub].name_zh, chart[sub].track, 1, *totals[sub]))
    return TrialBalance(as_of, tuple(rows))


def journal(
    conn: Connection,
    date_from: date | None = None,
    date_to: date | None = None,
    fund: str | None = None,
) -> list[Entry]:
    """Entries in posting order, optionally between two dates (inclusive) or of one fund."""
    conditions = []
    if date_from is not None:
        conditions.append(entries.c.entry_date >= date_from)
    if date_to is not None:
        conditions.append(entries.c.entry_date <= date_to)
    if fund is not None:
        conditions.append(
            entries.c.id.in_(select(postings.c.entry_id).where(postings.c.fund == fund))
        )
    return fetch_entries(conn, and_(True, *conditions))


def statement(
    conn: Connection,
    code: str,
    fund: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Statement:
    account = load_account(conn, code)
    if fund is not None:
        require_fund(conn, fund)
    opening = 0
    if date_from is not None:
        opening = net_balance(conn, code, fund, as_of=date.fromordinal(date_from.toordinal() - 1))
    query = (
        select(
            postings.c.entry_id,
            postings.c.fund,
            postings.c.debit,
            postings.c.credit,
            entries.c.entry_date,
            entries.c.kind,
            entries.c.memo,
            entries.c.ref,
        )
        .select_from(postings.join(entries, entries.c.id == postings.c.entry_id))
        .where(_account_or_children(postings.c.account, code))
        .order_by(entries.c.entry_date, postings.c.entry_id, postings.c.line)
    )
    if fund is not None:
        query = query.where(postings.c.fund == fund)
    if date_from is not None:
        query = query.where(entries.c.entry_date >= date_from)
    if date_to is not None:
        query = query.where(entries.c.entry_date <= date_to)
    net = opening
    lines = []
    for r in conn.execute(query):
        net += r.debit - r.credit
        lines.append(
            StatementLine(
                r.entry_id,
                as_date(r.entry_date),
                Kind(r.kind),
                r.memo,
                r.ref,
                r.fund,
                r.debit,
                r.credit,
                net,
            )
        )
    return Statement(account, fund, opening, tuple(lines))
