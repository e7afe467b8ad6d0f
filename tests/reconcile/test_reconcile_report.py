"""One statement with every exception type (``every_exception``), the exceptions as they
stand (``open_exceptions``), the 银行存款余额调节表 computed independently, and the report
as PDF, CSV and XLSX. SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from recon_helpers import (
    OFFICER,
    PAID,
    every_exception,
    found,
    line,
    line_id,
    reconciled,
    returned,
)
from sqlalchemy import text

from reports.output import write
from subsidies.domain.money import format_yuan, format_yuan_grouped
from subsidies.workflow import reconcile as recon
from subsidies.workflow.reconcile_report import build
from subsidies.workflow.statements import load_layout

FIGURES = {
    # Statement field: the words of its line in the report
    "ledger_paid": "单位账面已支付",
    "in_transit": "单位已付、银行未付",
    "bank_only": "银行已付、单位未付",
    "adjusted_ledger": "调节后单位账面",
    "bank_paid": "银行对账单已支付",
    "matched_difference": "人工匹配金额差",
    "adjusted_bank": "调节后银行对账单",
}


def _references(led, frame) -> list[str]:
    with led.engine.connect() as conn:
        every = dict(conn.execute(text("SELECT id, reference FROM payments")).all())
    return sorted(every[int(i)] for i in frame["payment_id"])


@pytest.fixture
def ran(funded, tmp_path):
    sc = every_exception(funded, tmp_path)
    outcome = recon.reconcile(funded, sc.path, load_layout("default"), by=OFFICER, as_of=sc.as_of)
    return sc, outcome


def test_every_exception_type_in_one_statement(funded, ran) -> None:
    sc, outcome = ran
    assert found(funded, outcome.exceptions) == sc.expected
    assert {t for t, _, _ in sc.expected} == set(recon.EXCEPTION_TYPES)
    assert _references(funded, outcome.settle) == sorted(sc.settled)
    assert _references(funded, outcome.returned) == sorted(sc.returned)

    # as they stand: the same, each with its line (serial, row) and payment (reference, claim)
    ex = recon.open_exceptions(funded, as_of=sc.as_of)
    assert found(funded, ex) == sc.expected
    rows = {ln.serial: n for n, ln in enumerate(sc.lines, start=2)}
    for r in ex.itertuples():
        if r.type == "stale":
            assert pd.isna(r.serial)  # no line
        else:
            assert r.row_no == rows[r.serial]
        if not pd.isna(r.payment_reference):
            assert r.payment_reference in r.detail
            assert r.claim_id.startswith("RC-")

    # the 调节表 from the payments the test made
    a, b = sc.a.payments, sc.b.payments
    sent = sum(p.amount_fen for p in a + b) - a[5].amount_fen - a[6].amount_fen
    pending = sum(p.amount_fen for p in [a[1], a[3], a[4], *b])
    bank = sum(ln.fen for ln in sc.lines if ln.status == "success")
    st = reconciled(funded)
    assert (st.ledger_paid, st.in_transit, st.bank_paid) == (sent, pending, bank)
    assert st.bank_only == bank - a[0].amount_fen - a[2].amount_fen


def csv_table(path, title: str) -> dict[str, list[str]]:
    """The rows of one table of a CSV report, by their first cell."""
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    start = rows.index([title]) + 2  # the title, then the header
    end = rows.index([], start) if [] in rows[start:] else len(rows)
    return {r[0]: r[1:] for r in rows[start:end]}


def _pdf_text(path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))


def test_pdf_and_csv_reports(funded, ran, tmp_path) -> None:
    sc, outcome = ran
    ex = recon.open_exceptions(funded, as_of=sc.as_of)
    st = reconciled(funded)
    report = build(outcome, ex, st, source=str(sc.path))
    counts = {t: sum(1 for e in sc.expected if e[0] == t) for t in recon.EXCEPTION_TYPES}

    text = _pdf_text(write(report, tmp_path / "r.pdf"))
    assert "银行存款余额调节表" in text and "调节后相等" in text
    for kind, label in recon.EXCEPTION_TYPES.items():
        assert f"{label} {counts[kind]}" in text, (label, counts[kind])
    for field, words in FIGURES.items():
        assert re.search(
            re.escape(words) + r".{0,40}?" + re.escape(format_yuan_grouped(getattr(st, field))),
            text,
        ), (field, words)
    for _, serial, reference in sc.expected:
        assert (serial or reference) in text

    path = write(report, tmp_path / "r.csv")
    summary = csv_table(path, "差异汇总")
    for kind, label in recon.EXCEPTION_TYPES.items():
        assert summary[label][0] == str(counts[kind])
    assert summary["合计"][0] == str(len(sc.expected))
    table = csv_table(path, "银行存款余额调节表")
    for field, words in FIGURES.items():
        (label,) = [k for k in table if words in k]
        assert table[label] == [format_yuan(getattr(st, field))], field
    assert table["调节后相等"] == ["0.00"]
    run = csv_table(path, "本次对账")
    assert run["结清"][0] == "2" and run["退回"][0] == "1"
    assert run["新导入流水"][0] == str(len(sc.lines))
    detail = csv_table(path, "差异明细")
    total = detail.pop("合计")  # the list ends with a 合计 row (issue #17)
    assert total[0] == f"{len(sc.expected)} 笔"
    assert len(detail) == len(sc.expected) - 1  # two amount_differs rows share a first cell
    assert sorted(detail) == sorted({recon.EXCEPTION_TYPES[t] for t, _, _ in sc.expected})


def test_the_report_names_a_difference_accepted_by_hand(paid, tmp_path) -> None:
    bank = line(paid[1], fen=40_00)
    paid.run([bank, line(paid[0])])
    recon.resolve(
        paid.led, line_id(paid.led, bank.serial), paid[1].reference, reason="手续费", by=OFFICER
    )
    st = reconciled(paid.led, accepted=-10_00)
    report = build(None, recon.open_exceptions(paid.led), st, source="all statements")
    table = csv_table(write(report, tmp_path / "r.csv"), "银行存款余额调节表")
    (accepted,) = [k for k in table if "人工匹配金额差" in k]
    # the bank took 10.00 less than the book: added to the bank's side, never "减：… -10.00"
    assert accepted.startswith("加：") and table[accepted] == ["10.00"]
    assert table["调节后相等"] == ["0.00"]
    text = _pdf_text(write(report, tmp_path / "r.pdf"))
    assert "加：人工匹配金额差 10.00" in text
    assert "-10.00" not in text and "调节后相等" in text


def test_xlsx_report_figures_are_numbers(paid, tmp_path) -> None:
    outcome = paid.run([line(paid[0]), line(paid[1], fen=1_00)], as_of=PAID)
    st = reconciled(paid.led)
    path = write(
        build(outcome, recon.open_exceptions(paid.led), st, source="s"), tmp_path / "r.xlsx"
    )
    book = load_workbook(path)
    sheet = book["余额调节表"]
    values = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r and r[0]}
    for field, words in FIGURES.items():
        (label,) = [k for k in values if isinstance(k, str) and words in k]
        assert isinstance(values[label], int | float | Decimal), (label, values[label])
        assert Decimal(str(values[label])) == Decimal(getattr(st, field)) / 100
    summary = {r[0]: r[1:] for r in book["差异汇总"].iter_rows(values_only=True) if r and r[0]}
    assert summary[recon.EXCEPTION_TYPES["amount_differs"]][0] == 1


def test_the_report_lists_the_matched_amount(paid, tmp_path) -> None:
    outcome = paid.run([line(paid[0]), line(paid[1]), line(paid[2]), returned(paid[3])])
    report = build(outcome, recon.open_exceptions(paid.led), reconciled(paid.led), source="s")
    run = csv_table(write(report, tmp_path / "r.csv"), "本次对账")
    matched = sum(p.amount_fen for p in paid.payments[:3])
    assert run["结清"] == ["3", format_yuan(matched)]
    assert run["退回"] == ["1", format_yuan(paid[3].amount_fen)]


def test_open_exceptions_when_none_names_a_payment(paid) -> None:
    outcome = paid.run([line(paid[0]), line(None, account="6217999", fen=1_00)])
    assert list(outcome.exceptions["type"]) == ["no_payment"]
    ex = recon.open_exceptions(paid.led)
    assert list(ex["type"]) == ["no_payment"] and list(ex["amount_fen"]) == [1_00]
    reconciled(paid.led)


def test_open_exceptions_when_only_stale(paid) -> None:
    as_of = PAID.replace(month=12)
    paid.run([line(p) for p in paid.payments[:5]], as_of=as_of)
    ex = recon.open_exceptions(paid.led, as_of=as_of)
    assert list(ex["type"]) == ["stale"] and list(ex["payment_reference"]) == [paid[5].reference]
    reconciled(paid.led)
