"""Budget execution read from the ledger: figures worked by hand, the trial balance to the fen,
the printed PDF equal to both. Runs on SQLite and on PostgreSQL (the ``db_url`` fixture)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from alembic.script import ScriptDirectory
from report_helpers import pdf_pages

from ledgers import EntryDraft, Kind, Ledger, Posting, keys, migrate, schemes
from ledgers.db import writing
from reports import output
from reports.execution import Figures, execution
from reports.execution_report import execution_report
from subsidies.domain.money import format_yuan_grouped

A, B = "QH2024", "QH2024S"
GOJI, HIRING = "qinghai.goji_broker", "qinghai.hiring_bonus"
YUAN = 100


def day(month: int, d: int, year: int = 2024) -> dt.date:
    return dt.date(year, month, d)


def accrue(program: str, claim: str, yuan: int, on: dt.date, fund: str = A):
    return schemes.payout_accrued(
        fund, program, yuan * YUAN, key=keys.accrual(program, claim), ref=f"B1/{claim}", on=on
    )


def pay(
    program: str, claim: str, yuan: int, on: dt.date, ref: str, attempt: int = 1, fund: str = A
):
    return schemes.disbursement(
        fund,
        yuan * YUAN,
        program=program,
        key=keys.disbursement(program, claim, attempt),
        ref=ref,
        on=on,
    )


def post_books(db_url: str, *, before_0016: bool = False) -> Ledger:
    """Two funds through a year: accruals, payments, a return and reissue, a recovery, reversals.

    ``before_0016``: posted as the ledger did before migration 0016 (no program on any
    entry: a payment named its program in its key only), then migrated through it.
    """
    led = Ledger.connect(db_url)
    led.upgrade()
    post_many = led.post_many
    if before_0016:
        led.post_many = lambda drafts: post_many([replace(d, program=None) for d in drafts])
    led.add_fund(A, "2024年中央就业补助资金（青海）", 2024, "中央", "青海")
    led.add_fund(B, "2024年省级就业补助资金（青海）", 2024, "省级", "青海")
    led.appropriate(A, 5_000_000 * YUAN, doc="青财社指〔2024〕12号", on=day(1, 15))
    led.appropriate(B, 1_000_000 * YUAN, doc="青财社指〔2024〕20号", on=day(3, 3))
    led.appropriate(A, 2_000_000 * YUAN, doc="青财社指〔2024〕40号", on=day(6, 3))
    led.post_many(
        [accrue(GOJI, f"G{i}", 100, day(2, 10)) for i in (1, 2, 3)]
        + [pay(GOJI, f"G{i}", 100, day(2, 20), ref=f"SL{i:03d}") for i in (1, 2, 3)]
        + [
            accrue(HIRING, "H1", 1_000, day(3, 10)),
            accrue(HIRING, "H2", 1_000, day(3, 10)),
            accrue(HIRING, "H3", 1_000, day(3, 10), fund=B),
        ]
        + [
            pay(HIRING, "H1", 1_000, day(4, 10), "SL101"),
            pay(HIRING, "H2", 1_000, day(4, 10), "SL102"),
            pay(HIRING, "H3", 1_000, day(4, 10), "SL103", fund=B),
        ]
        + [
            schemes.returned_payment(
                A,
                1_000 * YUAN,
                program=HIRING,
                key=keys.returned_payment("SL102"),
                ref="SL102",
                on=day(4, 20),
            ),
            pay(HIRING, "H2", 1_000, day(5, 8), "SL104", attempt=2),
            schemes.recovery_raised(
                A, HIRING, 1_000 * YUAN, key=keys.recovery(HIRING, "H1"), ref="H1", on=day(6, 15)
            ),
            schemes.recovery_received(
                A,
                600 * YUAN,
                program=HIRING,
                key=keys.repayment(HIRING, "H1", 1),
                ref="H1",
                on=day(7, 1),
            ),
        ]
    )
    wrong = led.post(accrue(GOJI, "G4", 100, day(3, 5)))
    led.reverse(wrong.id, "录入错误", on=day(3, 6))
    led.post(accrue(HIRING, "H9", 1_000, day(1, 10, 2025)))  # next year: outside --period 2024
    if before_0016:
        del led.post_many
        parent = ScriptDirectory.from_config(migrate.alembic_config()).get_revision("0016")
        with writing(led.engine) as conn:
            migrate.downgrade(conn, parent.down_revision)
        led.upgrade()
    return led


@pytest.fixture
def books(db_url: str):
    led = post_books(db_url)
    yield led
    led.close()


# by hand, fund A in 2024 (in yuan)
A_2024 = Figures(
    appropriated=7_000_000,
    accrued=300 + 100 - 100 + 2_000,
    disbursed=300 + 2_000 + 1_000,
    returned=1_000,
    recovery_raised=1_000,
    recovered=600,
)


def fen(f: Figures) -> Figures:
    return Figures(
        *(
            v * YUAN
            for v in (
                f.appropriated,
                f.accrued,
                f.disbursed,
                f.returned,
                f.recovery_raised,
                f.recovered,
            )
        )
    )


def test_figures_by_fund_program_and_month(books: Ledger) -> None:
    ex = execution(books, first="2024-01", last="2024-12")
    assert ex.fund_figures(A) == fen(A_2024)
    assert ex.fund_figures(A).net_spent == (3_300 - 1_000 - 600) * YUAN
    assert ex.available(A) == (7_000_000 - 2_300 + 600) * YUAN
    assert ex.fund_figures(B) == fen(Figures(1_000_000, 1_000, 1_000))
    programs = ex.by_program(A)
    assert programs[GOJI] == fen(Figures(accrued=300, disbursed=300))
    assert programs[HIRING] == fen(
        Figures(
            accrued=2_000, disbursed=3_000, returned=1_000, recovery_raised=1_000, recovered=600
        )
    )
    months = ex.by_month(A)
    assert months["2024-03"].accrued == 2_000 * YUAN  # G4 and its reversal net to nothing
    assert months["2024-04"] == fen(Figures(disbursed=2_000, returned=1_000))
    assert "2025-01" not in months
    assert ex.reconciled, ex.checks


def test_a_ledger_posted_before_0016_gives_the_same_figures(
    books: Ledger, new_db_url: Callable[[], str]
) -> None:
    """Migration 0016 gives the entries posted before it their programs (a payment's from
    its key, a return's from its payment, a reversal's from the entry it reverses): every
    figure is the one the report gives for the same events posted with their programs."""
    with post_books(new_db_url(), before_0016=True) as old:
        assert old.verify().ok
        for first, last in ((None, None), ("2024-04", "2024-06")):
            posted = execution(books, first=first, last=last)
            migrated = execution(old, first=first, last=last)
            assert migrated.cells == posted.cells
            assert migrated.checks == posted.checks and migrated.reconciled
        assert execution(old, first="2024-01", last="2024-12").by_program(A)[HIRING] == fen(
            Figures(
                accrued=2_000, disbursed=3_000, returned=1_000, recovery_raised=1_000, recovered=600
            )
        )


def test_whole_ledger_matches_the_trial_balance_to_the_fen(books: Ledger) -> None:
    ex = execution(books)
    assert ex.fund_figures(A).accrued == 3_300 * YUAN  # with 2025's accrual
    for fund in (A, B):
        rows = {r.code: r for r in books.trial_balance(fund_code=fund).rows}
        f = ex.fund_figures(fund)
        assert f.appropriated == rows["4001"].credit_total - rows["4001"].debit_total
        assert f.net_spent == rows["7101"].debit_total - rows["7101"].credit_total
        assert f.accrued - f.recovery_raised == rows["5001"].debit_total - rows["5001"].credit_total
        assert ex.available(fund) == books.available(fund)
    assert ex.reconciled and len(ex.checks) == 8


def test_a_period_shows_its_months_after_the_opening_available(books: Ledger) -> None:
    ex = execution(books, first="2024-04", last="2024-06")
    assert list(ex.by_month(A)) == ["2024-04", "2024-05", "2024-06"]
    assert ex.fund_figures(A) == fen(
        Figures(appropriated=2_000_000, disbursed=3_000, returned=1_000, recovery_raised=1_000)
    )
    assert ex.opening_available(A) == (5_000_000 - 2_300) * YUAN
    assert ex.available(A) == books.available(A) + 1_000 * YUAN - 600 * YUAN  # before Jul and 2025
    assert ex.reconciled


def test_an_event_on_an_account_it_should_not_touch_fails_the_check(books: Ledger) -> None:
    odd = EntryDraft(
        Kind.DISBURSEMENT,
        "odd",
        (Posting.dr("5001.qinghai.transport", A, 500), Posting.cr("2303", A, 500)),
        entry_date=day(8, 1),
    )
    books.post(odd)
    ex = execution(books)
    assert not ex.reconciled
    assert [(u.kind, u.account, u.debit) for u in ex.unexplained] == [("disbursement", "5001", 500)]


def test_the_printed_report_shows_the_ledgers_figures(books: Ledger, tmp_path: Path) -> None:
    ex = execution(books, first="2024-01", last="2024-12")
    pages = pdf_pages(
        output.write(execution_report(ex, unit="青海省人力资源和社会保障厅"), tmp_path / "ex.pdf")
    )
    text = " ".join(pages)
    a = ex.fund_figures(A)
    row = [
        a.appropriated,
        a.accrued,
        a.disbursed,
        a.returned,
        a.recovered,
        a.net_spent,
        ex.available(A),
    ]
    assert " ".join(format_yuan_grouped(v) for v in row) + " 0.02%" in text  # 1,700 / 7,000,000
    assert format_yuan_grouped(books.balance("4001", A)) == "7,000,000.00"
    assert "全部一致" in text and "不一致" not in text
    assert "2024年01月—2024年12月" in pages[0] and "青海 吸纳就业一次性奖励" in text
    book = openpyxl.load_workbook(output.write(execution_report(ex), tmp_path / "ex.xlsx"))
    cells = [c for row in book["按资金"].iter_rows() for c in row if c.data_type == "n"]
    assert 7_000_000 in [c.value for c in cells]


def test_grouping_by_one_joined_text_gives_the_same_figures(
    books: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite groups by the key's parts joined in one text; by the columns, the same cells."""
    from reports import execution as module

    joined = execution(books)
    monkeypatch.setattr(module, "_joined", lambda conn: False)
    columns = execution(books)
    assert joined.cells == columns.cells and joined.checks == columns.checks
    assert joined.unexplained == columns.unexplained and joined.reconciled
