"""Budget execution (预算执行), read from the ledger with SQL ``GROUP BY``.

One aggregate over the postings of 4001, 5001.<program> and 7101 gives, per fund, program
and month, each business event's amount; a reversal (冲销) counts, negatively, under the
event it reverses:

==================  =============================================  =====================
figure              postings                                       event
==================  =============================================  =====================
appropriated 拨款    4001 credit − debit                            appropriation
accrued 计提         5001.<program> debit − credit                  payout_accrued
disbursed 支付       7101 debit − credit                            disbursement
returned 退回        7101 credit − debit                            returned_payment
recovery raised      5001.<program> credit − debit                  recovery_raised
recovered 追回       7101 credit − debit                            recovery_received
==================  =============================================  =====================

net spent (实际支出) = disbursed − returned − recovered = 7101's debit balance;
available (可用) = appropriated − accrued + recovered = 1011's balance less 2303's;
execution rate (执行率) = net spent ÷ appropriated.

Each posting counts under its entry's program (``entries.program``, set when the entry
was posted; migration 0016 filled it in for older entries), a reversal under the program
of the entry it reverses; an entry of no program (an appropriation, the fund's own) under
none. Any posting no rule explains is listed and fails the check.

:func:`fund_totals` gives each fund's figures over every period from the ledger's running
totals per event (``event_totals``, :mod:`ledgers.event_totals`) by the same rules, without
a pass over the postings: what the console's 首页 shows.

Every period is summed, and the whole is checked against the ledger's own trial balance
(试算平衡表, from its running balances) to the fen: 4001, 5001, 7101 and 1011 − 2303 per
fund; a report of some months shows those, after the opening available.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    MetaData,
    Table,
    Text,
    func,
    literal,
    select,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased

from calculators.registry import UnknownProgram, calculator
from ledgers import Ledger, event_totals
from ledgers.chart import BUDGET_EXPENDITURE, CASH, EXPENSE, PAYABLE, REVENUE
from ledgers.reports import trial_balance
from ledgers.schema import accounts, entries, postings
from ledgers.schema import funds as funds_table

UNATTRIBUTED = ""  # no program: appropriations (a fund's), and entries posted without one
SEP = "\x1f"  # between the parts of a group key (SQLite): the unit separator

# (event, account) -> (figure, sign applied to debit − credit)
RULES: dict[tuple[str, str], tuple[str, int]] = {
    ("appropriation", REVENUE): ("appropriated", -1),
    ("payout_accrued", EXPENSE): ("accrued", 1),
    ("disbursement", BUDGET_EXPENDITURE): ("disbursed", 1),
    ("returned_payment", BUDGET_EXPENDITURE): ("returned", -1),
    ("recovery_raised", EXPENSE): ("recovery_raised", -1),
    ("recovery_received", BUDGET_EXPENDITURE): ("recovered", -1),
}


@dataclass
class Figures:
    """One cell's amounts in fen."""

    appropriated: int = 0
    accrued: int = 0
    disbursed: int = 0
    returned: int = 0
    recovery_raised: int = 0
    recovered: int = 0

    @property
    def net_spent(self) -> int:
        return self.disbursed - self.returned - self.recovered

    @property
    def available_change(self) -> int:
        return self.appropriated - self.accrued + self.recovered

    def add(self, other: Figures) -> Figures:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self


def total(cells) -> Figures:
    out = Figures()
    for cell in cells:
        out.add(cell)
    return out


@dataclass(frozen=True)
class Unexplained:
    """Postings no rule explains (an event on an account it should not touch)."""

    fund: str
    period: str
    kind: str
    account: str
    debit: int
    credit: int


@dataclass(frozen=True)
class Check:
    fund: str
    what: str
    report: int
    ledger: int

    @property
    def ok(self) -> bool:
        return self.report == self.ledger


@dataclass
class Execution:
    first: str | None  # first period shown (YYYY-MM), None: from the start
    last: str | None  # last period shown, None: to the latest entry
    funds: dict[str, str]  # code -> name
    cells: dict[tuple[str, str, str], Figures]  # (fund, program, period) -> figures, all periods
    program_names: dict[str, str]
    unexplained: list[Unexplained] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    def shown(self, period: str) -> bool:
        return (self.first is None or period >= self.first) and (
            self.last is None or period <= self.last
        )

    def _sum(self, fund: str | None, by: int | None) -> dict:
        """The periods shown, summed by key part ``by`` (1 program, 2 period; None: all)."""
        out: dict = defaultdict(Figures)
        for key, figures in self.cells.items():
            if (fund is None or key[0] == fund) and self.shown(key[2]):
                out[key[by] if by is not None else None].add(figures)
        return dict(sorted(out.items(), key=lambda kv: kv[0] or ""))

    def fund_figures(self, fund: str) -> Figures:
        return self._sum(fund, None).get(None, Figures())

    def by_program(self, fund: str | None = None) -> dict[str, Figures]:
        return self._sum(fund, 1)

    def by_month(self, fund: str | None = None) -> dict[str, Figures]:
        return self._sum(fund, 2)

    def opening_available(self, fund: str | None = None) -> int:
        """Available before the first period shown."""
        return sum(
            f.available_change
            for (fu, _, period), f in self.cells.items()
            if (fund is None or fu == fund) and self.first is not None and period < self.first
        )

    def available(self, fund: str | None = None) -> int:
        """Available at the end of the last period shown."""
        return self.opening_available(fund) + total(self.by_month(fund).values()).available_change

    @property
    def reconciled(self) -> bool:
        return not self.unexplained and all(c.ok for c in self.checks)

    def program_name(self, program: str) -> str:
        return self.program_names.get(program, program) if program else "未归属项目"


def _joined(conn: Connection) -> bool:
    """Sum by one text made of the key's parts (SQLite), not by the parts themselves.

    SQLite groups by sorting every row, and sorts one text column faster than five; adding
    each row to its key's row in a keyed table is faster still (:func:`_summed_by_key`).
    At 1,000,000 payouts the sums took 5.8 s of CPU by the columns, 4.6–5.0 s by one
    text, 4.0–4.2 s into the table. PostgreSQL hashes, and groups by the columns. The
    parts are split again on :data:`SEP`, so a fund or account code holding it (none does:
    codes are typed by officers) falls back to the columns; a program id is one too, the
    suffix of its 5001 account.
    """
    if conn.dialect.name != "sqlite":
        return False
    codes = conn.execute(select(funds_table.c.code).union_all(select(accounts.c.code)))
    return not any(SEP in code for (code,) in codes)


_KEY_SUMS = Table(
    "execution_key_sums",
    MetaData(),
    Column("key", Text, primary_key=True),
    Column("debit", BigInteger, nullable=False),
    Column("credit", BigInteger, nullable=False),
    prefixes=["TEMPORARY"],
    sqlite_with_rowid=False,
)


def _sums(
    conn: Connection,
    fund: str | None,
    *,
    reversals: bool,
    joined: bool = False,
) -> list[tuple]:
    """(fund, period, kind, account, program, debit, credit) summed in SQL.

    The kind and program that classify a posting are its entry's, or for ``reversals``
    the entry each reverses (reached from the reversals through the unique index on
    reverses_entry_id, so the ledger is not scanned for them); the period is always the
    posting's own entry's. Without ``reversals`` the reversals come back under their own
    kind, for the caller to leave out. The program is ``UNATTRIBUTED`` for none.
    ``joined``: group by the parts as one text (:func:`_joined`).
    """
    entry = aliased(entries, name="entry")
    event = aliased(entries, name="event") if reversals else entry
    program = func.coalesce(event.c.program, literal(UNATTRIBUTED))
    parts = (postings.c.fund, entry.c.period, event.c.kind, postings.c.account, program)
    keys: tuple = (func.printf(SEP.join(["%s"] * len(parts)), *parts),) if joined else parts
    source = postings.join(entry, entry.c.id == postings.c.entry_id)
    if joined:  # each posting added to its key's row (below), not grouped
        query = select(*keys, postings.c.debit, postings.c.credit)
    else:
        query = select(*keys, func.sum(postings.c.debit), func.sum(postings.c.credit))
    if reversals:
        source = source.join(event, event.c.id == entry.c.reverses_entry_id)
        # the reversals through the index on reverses_entry_id (ids are positive), then
        # their postings through the primary key: no scan of the ledger
        ids = select(entries.c.id).where(entries.c.reverses_entry_id > 0)
        query = query.where(postings.c.entry_id.in_(ids))
    account = func.substr(postings.c.account, 1, len(EXPENSE))
    query = query.select_from(source).where(account.in_([REVENUE, EXPENSE, BUDGET_EXPENDITURE]))
    if fund is not None:
        query = query.where(postings.c.fund == fund)
    if not joined:
        rows = conn.execute(query.group_by(*keys)).all()
        return [(*key, int(debit), int(credit)) for *key, debit, credit in rows]
    rows = _summed_by_key(conn, query)
    return [(*key.split(SEP, 4), int(debit), int(credit)) for key, debit, credit in rows]


def _summed_by_key(conn: Connection, query) -> list[tuple]:
    """(key, debit, credit) rows of ``query`` summed by key, on SQLite.

    SQLite's GROUP BY sorts every row (2,000,000 at 1,000,000 payouts); adding each row
    to its key's row of a keyed temporary table (a few hundred, the returned payments'
    refs aside) is about 15% less CPU. The table lives and dies in this connection.
    """
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{_KEY_SUMS.name}")
    _KEY_SUMS.create(conn)
    try:
        add = sqlite_insert(_KEY_SUMS).from_select(["key", "debit", "credit"], query)
        excluded = add.excluded
        conn.execute(
            add.on_conflict_do_update(
                index_elements=["key"],
                set_={
                    "debit": _KEY_SUMS.c.debit + excluded.debit,
                    "credit": _KEY_SUMS.c.credit + excluded.credit,
                },
            )
        )
        return [tuple(row) for row in conn.execute(select(_KEY_SUMS))]
    finally:
        _KEY_SUMS.drop(conn)


def _program_names(conn: Connection) -> dict[str, str]:
    names = {}
    prefix = f"{EXPENSE}."
    for code, name in conn.execute(
        select(accounts.c.code, accounts.c.name_zh).where(accounts.c.code.like(f"{prefix}%"))
    ):
        program = code[len(prefix) :]
        try:
            names[program] = calculator(program).program.name_zh
        except UnknownProgram:
            names[program] = name
    return names


@contextmanager
def _snapshot(ledger: Ledger) -> Iterator[Connection]:
    """One snapshot for the sums and the balances they are checked against (PostgreSQL's
    default, READ COMMITTED, would let a posting land between the two)."""
    if ledger.engine.dialect.name != "postgresql":
        with ledger.reading() as conn:
            yield conn
        return
    with ledger.engine.connect() as conn:
        conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def execution(
    ledger: Ledger, *, fund: str | None = None, first: str | None = None, last: str | None = None
) -> Execution:
    """The execution of ``fund`` (or every fund) for the periods ``first``..``last`` (YYYY-MM).

    Every period is summed (one pass over the postings either way), so the whole is checked
    against the running balances; the periods outside ``first``..``last`` give the opening
    available and are not shown.
    """
    with _snapshot(ledger) as conn:
        names = {r.code: r.name for r in conn.execute(select(funds_table))}
        joined = _joined(conn)
        rows = [r for r in _sums(conn, fund, reversals=False, joined=joined) if r[2] != "reversal"]
        rows += _sums(conn, fund, reversals=True, joined=joined)
        program_names = _program_names(conn)
        balances = {code: ledger_nets(conn, code) for code in names if fund in (None, code)}
    cells: dict[tuple[str, str, str], Figures] = defaultdict(Figures)
    unexplained = []
    for fu, period, kind, account, program, debit, credit in rows:
        account = account[: len(EXPENSE)]
        rule = RULES.get((kind, account))
        if rule is None:
            unexplained.append(Unexplained(fu, period, kind, account, debit, credit))
            continue
        figure, sign = rule
        cell = cells[(fu, program, period)]
        setattr(cell, figure, getattr(cell, figure) + sign * (debit - credit))
    shown_funds = {code: name for code, name in names.items() if code in balances}
    result = Execution(first, last, shown_funds, dict(cells), program_names, unexplained)
    result.checks = reconcile(result, balances)
    return result


def fund_totals(conn: Connection) -> dict[str, Figures]:
    """Each fund's figures over every period, from the running totals per event: the
    figures :func:`execution` sums from the postings, in a few rows (one per account, fund
    and event). A fund with no posting has none."""
    out: dict[str, Figures] = defaultdict(Figures)
    for (account, fund, event), (debit, credit) in event_totals.stored(conn).items():
        rule = RULES.get((event, account[: len(EXPENSE)]))
        if rule is not None:
            figure, sign = rule
            cell = out[fund]
            setattr(cell, figure, getattr(cell, figure) + sign * (debit - credit))
    return dict(out)


def ledger_nets(conn: Connection, fund: str) -> dict[str, int]:
    """Debit less credit of each chart account of ``fund``, from the running balances
    (the ledger's trial balance, :func:`ledgers.reports.trial_balance`)."""
    rows = trial_balance(conn, fund=fund).rows
    return {r.code: r.debit_total - r.credit_total for r in rows if r.level == 0}


def reconcile(result: Execution, balances: dict[str, dict[str, int]]) -> list[Check]:
    """Each fund's figures over every period against its trial balance, to the fen."""
    checks = []
    for fund, nets in balances.items():
        f = total(cell for (fu, _, _), cell in result.cells.items() if fu == fund)
        revenue, expense, spent, cash, payable = (
            nets.get(code, 0) for code in (REVENUE, EXPENSE, BUDGET_EXPENDITURE, CASH, PAYABLE)
        )
        checks += [
            Check(fund, "4001 财政拨款收入（贷方）= 拨款", f.appropriated, -revenue),
            Check(
                fund,
                "5001 业务活动费用（借方）= 计提 - 追回应收",
                f.accrued - f.recovery_raised,
                expense,
            ),
            Check(fund, "7101 行政支出（借方）= 支付 - 退回 - 追回", f.net_spent, spent),
            Check(fund, "1011 - 2303 = 可用", f.available_change, cash + payable),
        ]
    return checks
