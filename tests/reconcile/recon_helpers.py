"""Builders for the reconciliation tests: paid batches, statements in every layout, and the
checks every test ends with.

Expected figures come from the payments the test made and from SQL over the postings,
never from :mod:`subsidies.workflow.reconcile` itself.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from sqlalchemy import inspect, text
from workflow_helpers import (
    ACCOUNT,
    CHECKER,
    FUND,
    GOJI,
    MAKER,
    PAYER,
    RECONCILER,
    check_books,
    claim,
    resident_id,
    return_by_hand,
    write_claims,
)

from ledgers import Ledger
from subsidies.workflow import batches as wf
from subsidies.workflow import payments as pay
from subsidies.workflow import reconcile as recon
from subsidies.workflow.payments import Payment
from subsidies.workflow.statements import load_layout

PAID = dt.date(2024, 10, 14)  # the disbursement date of every paid batch
BANK_DAY = PAID + dt.timedelta(days=2)  # the value date of the bank's lines
OFFICER = RECONCILER  # "sun" of the test office
BROKER = "马经纪"  # the goji payee (the broker), BASE_ROWS[GOJI]["broker_name"]

# -- paid batches ----------------------------------------------------------------------

_workers = itertools.count(1)
_claims = itertools.count(1)


def new_worker() -> str:
    """A valid 身份证号 no other call returns (born 1975–2002, sequence 7xx)."""
    n = next(_workers)
    born = dt.date(1975, 1, 1) + dt.timedelta(days=n % 10_000)
    return resident_id(f"{born:%Y%m%d}", 700 + n // 10_000)


@dataclass
class Paid:
    """A ledger with a disbursed batch: its payments in claim order (all pending)."""

    led: Ledger
    tmp: Path
    batch: wf.Batch
    payments: list[Payment]
    statements: itertools.count = field(default_factory=lambda: itertools.count(1))

    def __getitem__(self, i: int) -> Payment:
        return self.payments[i]

    def path(self, suffix: str = ".csv") -> Path:
        return self.tmp / f"statement-{next(self.statements)}{suffix}"

    def write(self, lines: list[Line], suffix: str = ".csv", **kw) -> Path:
        return write_statement(self.path(suffix), lines, **kw)

    def run(self, lines_or_path: list[Line] | Path, layout: str = "default", **kw):
        """Reconcile a statement (written as CSV in the default layout if given lines)."""
        path = lines_or_path if isinstance(lines_or_path, Path) else self.write(lines_or_path)
        return recon.reconcile(self.led, path, load_layout(layout), by=OFFICER, **kw)

    def state(self, i: int) -> str:
        return pay.find_payment(self.led, self.payments[i].reference).state


def pay_batch(
    led: Ledger,
    tmp: Path,
    groups: list[str],
    *,
    accounts: list[str] | None = None,
    on: dt.date = PAID,
) -> Paid:
    """Submit, approve and disburse one goji claim per worker group (脱贫劳动力: 100 元,
    其他: 50 元), each with a fresh account unless ``accounts`` says otherwise."""
    rows = []
    for i, group in enumerate(groups):
        row = claim(GOJI, f"RC-{next(_claims):05d}", worker_id=new_worker(), worker_group=group)
        if accounts is not None:
            row[ACCOUNT] = accounts[i]
        rows.append(row)
    path = write_claims(tmp / f"claims-{rows[0]['claim_id']}.csv", rows)
    batch, _ = wf.submit(led, GOJI, path, fund_code=FUND, by=MAKER, as_of=on, notice_days=0)
    batch, _ = wf.approve(led, batch.code, by=CHECKER, on=on)
    pending = pay.disburse(led, batch.code, by=PAYER, on=on)
    order = {r["claim_id"]: n for n, r in enumerate(rows)}
    payments = sorted(pending, key=lambda p: order[p.claim_id])
    assert [p.claim_id for p in payments] == [r["claim_id"] for r in rows]
    return Paid(led, tmp, batch, payments)


# -- statements ------------------------------------------------------------------------

_serials = itertools.count(1)


@dataclass(frozen=True)
class Line:
    value_date: dt.date
    serial: str
    reference: str
    payee_name: str
    account: str
    fen: int
    status: str = "success"  # success | returned
    return_reason: str = ""


def line(p: Payment | None = None, **changes) -> Line:
    """The bank's line for payment ``p`` as sent (success, on BANK_DAY), with ``changes``."""
    base = Line(
        value_date=BANK_DAY,
        serial=f"BK{next(_serials):09d}",
        reference=p.reference if p else "",
        payee_name=p.payee_name if p else "",
        account=p.account if p else "",
        fen=p.amount_fen if p else 0,
    )
    return replace(base, **changes)


def returned(p: Payment, reason: str = "户名与账号不符", **changes) -> Line:
    return line(p, status="returned", return_reason=reason, **changes)


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


# headers and status words per layout, and how each writes its dates
LAYOUTS = {
    "default": (
        [
            "value_date",
            "bank_serial",
            "payment_reference",
            "payee_name",
            "account",
            "amount",
            "status",
            "return_reason",
        ],
        {"success": "success", "returned": "returned"},
        "%Y-%m-%d",
    ),
    "bank-cn": (
        ["交易日期", "流水号", "摘要", "收款人", "账号", "金额", "状态", "备注"],
        {"success": "成功", "returned": "失败"},
        "%Y/%m/%d",
    ),
    "treasury": (
        [
            "支付日期",
            "支付凭证号",
            "摘要",
            "收款人全称",
            "收款人账号",
            "支付金额",
            "清算状态",
            "退回原因",
        ],
        {"success": "已清算", "returned": "已退回"},
        "%Y%m%d",
    ),
}


def statement_rows(lines: list[Line], layout: str = "default") -> list[list[str]]:
    headers, words, date_format = LAYOUTS[layout]
    rows = [list(headers)]
    for ln in lines:
        rows.append(
            [
                ln.value_date.strftime(date_format),
                ln.serial,
                ln.reference,
                ln.payee_name,
                ln.account,
                yuan(ln.fen),
                words.get(ln.status, ln.status),
                ln.return_reason,
            ]
        )
    return rows


def write_statement(
    path: Path,
    lines: list[Line] | list[list[str]],
    *,
    layout: str = "default",
    encoding: str = "utf-8-sig",
) -> Path:
    """``lines`` (or raw rows, header first) as CSV in ``encoding`` or as XLSX (dates as
    dates, amounts as numbers)."""
    rows = statement_rows(lines, layout) if lines and isinstance(lines[0], Line) else lines
    if path.suffix == ".xlsx":
        book = Workbook()
        sheet = book.active
        sheet.append(["银行对账单", None, None, "导出 2024-10-31"])  # a title row above the header
        sheet.append(rows[0])
        for ln in lines:
            cells = statement_rows([ln], layout)[1]
            cells[0] = dt.datetime.combine(ln.value_date, dt.time())
            cells[5] = ln.fen / 100
            sheet.append(cells)
        book.save(path)
        return path
    pd.DataFrame(rows[1:], columns=rows[0], dtype=object).to_csv(
        path, index=False, encoding=encoding
    )
    return path


# -- checks ----------------------------------------------------------------------------


def kinds(outcome_or_frame) -> list[str]:
    frame = getattr(outcome_or_frame, "exceptions", outcome_or_frame)
    return sorted(frame["type"])


def only_exception(outcome, kind: str):
    """The one exception of the run, of type ``kind``."""
    ex = outcome.exceptions
    assert list(ex["type"]) == [kind], ex.to_dict("records")
    return ex.iloc[0]


def line_id(led: Ledger, serial: str) -> int:
    with led.engine.connect() as conn:
        return conn.execute(
            text("SELECT id FROM statement_lines WHERE serial = :s"), {"s": serial}
        ).scalar_one()


def payment_id(led: Ledger, reference: str) -> int:
    with led.engine.connect() as conn:
        return conn.execute(
            text("SELECT id FROM payments WHERE reference = :r"), {"r": reference}
        ).scalar_one()


def row_counts(led: Ledger) -> dict[str, int]:
    with led.engine.connect() as conn:
        return {
            t: conn.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one()
            for t in sorted(inspect(conn).get_table_names())
        }


def table_rows(led: Ledger, *, without: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    with led.engine.connect() as conn:
        return {
            t: sorted((tuple(r) for r in conn.execute(text(f'SELECT * FROM "{t}"'))), key=repr)
            for t in sorted(inspect(conn).get_table_names())
            if t not in without
        }


def sql_ledger_paid(led: Ledger) -> int:
    """支付 credited to 1011 less 退回 debited to 1011, summed from the postings."""
    with led.engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT COALESCE(SUM(CASE WHEN e.kind = 'disbursement' THEN p.credit"
                    " WHEN e.kind = 'returned_payment' THEN -p.debit ELSE 0 END), 0)"
                    " FROM postings p JOIN entries e ON e.id = p.entry_id"
                    " WHERE p.account = '1011'"
                )
            ).scalar_one()
        )


def sql_in_transit(led: Ledger) -> int:
    """Payments with neither a settled nor a returned event."""
    with led.engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT COALESCE(SUM(amount_fen), 0) FROM payments WHERE id NOT IN"
                    " (SELECT payment_id FROM payment_events"
                    "  WHERE kind IN ('settled', 'returned'))"
                )
            ).scalar_one()
        )


def reconciled(led: Ledger, *, accepted: int = 0) -> recon.Statement:
    """The 银行存款余额调节表 balances (naming ``accepted`` fen accepted by hand), its figures
    agree with SQL over the postings and payments, and the ledger's invariants hold."""
    st = recon.statement(led)
    assert st.difference == 0, st
    assert st.adjusted_ledger == st.adjusted_bank, st
    assert st.matched_difference == accepted, st
    assert st.ledger_paid == sql_ledger_paid(led), st
    assert st.ledger_paid == st.payments_paid, st
    assert st.in_transit == sql_in_transit(led), st
    check_books(led)
    return st


# -- one statement with every exception type -------------------------------------------


@dataclass
class Scenario:
    """Two paid batches and a statement with every exception type (see :func:`every_exception`)."""

    a: Paid
    b: Paid
    lines: list[Line]
    path: Path
    as_of: dt.date
    expected: list[tuple[str, str | None, str | None]]  # (type, line serial, payment reference)
    settled: list[str]  # references
    returned: list[str]


def every_exception(led: Ledger, tmp: Path) -> Scenario:
    """Batch A (paid 2024-10-14), seven payments 100/50 元:

    A0 settles by reference; A1's line pays 40 元 less (amount_differs); A2 has two success
    lines (the second: paid_twice); A3's line names another payee (name_differs); A4 has no
    line (stale on 11-18, 35 days on); A5 was returned by hand and the bank shows it paid
    (state_conflict); A6 comes back (returned, 退回 posted).

    Batch B (paid 2024-11-03), 100, 100, 50, 50 元, B0 and B1 to one account: a line without
    reference for 100 元 to that account fits both (ambiguous); a line for the whole batch
    says 299 元 against 300 pending (amount_differs). And a line nobody sent (no_payment).
    """
    a = pay_batch(led, tmp, ["脱贫劳动力", "其他"] * 3 + ["脱贫劳动力"])
    shared = f"6217{next(_serials):015d}"
    b_day = PAID + dt.timedelta(days=20)
    b = pay_batch(
        led,
        tmp,
        ["脱贫劳动力", "脱贫劳动力", "其他", "其他"],
        accounts=[shared, shared, f"6217{next(_serials):015d}", f"6217{next(_serials):015d}"],
        on=b_day,
    )
    return_by_hand(led, a[5].reference, on=PAID)
    b_line_day = b_day + dt.timedelta(days=2)
    lines = {
        "A0": line(a[0]),
        "A1": line(a[1], fen=a[1].amount_fen - 40_00 if a[1].amount_fen > 40_00 else 10_00),
        "A2": line(a[2]),
        "A2 again": line(a[2], value_date=BANK_DAY + dt.timedelta(days=1)),
        "A3": line(a[3], payee_name="张三"),
        "A5": line(a[5]),
        "A6": returned(a[6], reason="户名与账号不符"),
        "shared": line(b[0], reference="", value_date=b_line_day),
        "batch": line(None, reference=b.batch.code, fen=299_00, value_date=b_line_day),
        "unknown": line(None, reference="SL24101499999999", account="6217999", fen=77_00),
    }
    path = write_statement(tmp / "every-exception.csv", list(lines.values()))
    serial = {k: v.serial for k, v in lines.items()}
    expected = [
        ("amount_differs", serial["A1"], a[1].reference),
        ("amount_differs", serial["batch"], None),
        ("paid_twice", serial["A2 again"], a[2].reference),
        ("name_differs", serial["A3"], a[3].reference),
        ("stale", None, a[4].reference),
        ("state_conflict", serial["A5"], a[5].reference),
        ("ambiguous", serial["shared"], None),
        ("no_payment", serial["unknown"], None),
    ]
    return Scenario(
        a,
        b,
        list(lines.values()),
        path,
        PAID + dt.timedelta(days=35),
        sorted(expected, key=repr),
        settled=[a[0].reference, a[2].reference],
        returned=[a[6].reference],
    )


def found(led: Ledger, exceptions: pd.DataFrame) -> list[tuple[str, str | None, str | None]]:
    """(type, line serial, payment reference) of each exception, read back from the DB."""
    with led.engine.connect() as conn:
        serials = dict(conn.execute(text("SELECT id, serial FROM statement_lines")).all())
        references = dict(conn.execute(text("SELECT id, reference FROM payments")).all())
    return sorted(
        (
            r.type,
            None if pd.isna(r.line_id) else serials[int(r.line_id)],
            None if pd.isna(r.payment_id) else references[int(r.payment_id)],
        )
        for r in exceptions.itertuples()
    )


# -- a layout file, and a statement with bad lines ---------------------------------------

CUSTOM = """\
# 某农商行 回单明细 — a new bank is a data file
name: rcc-qinghai
description: 青海农商银行代发回单
columns:
  value_date: [入账日期]
  serial: [交易编号]
  reference: [用途说明]
  payee_name: [对方户名]
  account: [对方账号]
  amount: [发生额]
  status: [结果]
  return_reason: [说明]
statuses:
  success: [入账]
  returned: [退汇]
"""


def custom_layout(tmp_path: Path) -> Path:
    path = tmp_path / "rcc-qinghai.yaml"
    path.write_text(CUSTOM, encoding="utf-8")
    return path


def custom_rows(lines: list[Line]) -> list[list[str]]:
    rows = [["入账日期", "交易编号", "用途说明", "对方户名", "对方账号", "发生额", "结果", "说明"]]
    for ln in lines:
        word = "入账" if ln.status == "success" else "退汇"
        fen = f"{ln.fen // 100}.{ln.fen % 100:02d}"
        rows.append(
            [f"{ln.value_date:%Y-%m-%d}", ln.serial, ln.reference, ln.payee_name, ln.account]
            + [fen, word, ln.return_reason]
        )
    return rows


BAD_ROWS = [
    # file line: (cells that make it bad, the words the refusal names)
    (3, {"value_date": "2024-02-30"}, "第 3 行 交易日期 '2024-02-30'：不是日期"),
    (4, {"amount": "一百元"}, "第 4 行 金额 '一百元'：不是正数金额"),
    (5, {"status": "处理中"}, "第 5 行 状态 '处理中'：不是 "),
    (6, {"amount": "0.00"}, "第 6 行 金额 '0.00'：不是正数金额"),
    (7, {"amount": "-5.00"}, "第 7 行 金额 '-5.00'：不是正数金额"),
    (8, {"serial": ""}, "第 8 行：缺少银行流水号"),
    (9, {"value_date": ""}, "第 9 行 交易日期 ''：不是日期"),
    (10, {"amount": "1.234"}, "第 10 行 金额 '1.234'：不是正数金额"),
]


def bad_statement(tmp_path: Path, bad_rows=BAD_ROWS) -> Path:
    fields = ["value_date", "serial", "reference", "payee", "account", "amount", "status", "reason"]
    rows = [LAYOUTS["default"][0]]
    bad = {n: cells for n, cells, _ in bad_rows}
    for n in range(2, 3 + len(bad_rows)):  # line 2 is good, lines 3.. are bad
        good = ["2024-10-16", f"S{n}", "SL1", "", "", "1.00", "success", ""]
        cells = dict(zip(fields, good, strict=True))
        cells |= bad.get(n, {})
        rows.append([cells[f] for f in fields])
    return write_statement(tmp_path / "bad.csv", rows)
