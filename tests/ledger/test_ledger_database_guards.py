"""The database itself refuses what the API would: edits, deletes, unbalanced or late entries."""

from __future__ import annotations

from datetime import datetime

import pytest
from ledger_helpers import FUND, JUNE, PROGRAM, run_sql
from sqlalchemy.exc import DBAPIError

from ledgers import Ledger, posting, schemes
from ledgers.db import writing

ENTRY_ROW = (
    "INSERT INTO entries (id, key, kind, entry_date, period, memo, ref, posted_by, created_at, hash, prev_hash) "
    "VALUES ({id}, 'raw-{id}', 'appropriation', '{day}', '{period}', '', '', 'sql', '2024-06-03 00:00:00', 'h', 'p')"
)
POSTING_ROW = "INSERT INTO postings (entry_id, line, account, fund, debit, credit) VALUES ({}, {}, '{}', '{}', {}, {})"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE postings SET debit = debit + 1 WHERE entry_id = 1 AND line = 1",
        "UPDATE entries SET memo = 'changed' WHERE id = 1",
        "DELETE FROM postings WHERE entry_id = 1",
        "DELETE FROM entries WHERE id = 1",
        "DELETE FROM closed_periods",
    ],
)
def test_history_cannot_be_edited_or_deleted(funded: Ledger, statement: str) -> None:
    funded.close_period("2024-05")
    with pytest.raises(DBAPIError, match="append-only"):
        run_sql(funded.engine, statement)
    assert funded.verify().ok


def test_truncate_is_refused_on_postgresql(funded: Ledger) -> None:
    if funded.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    with pytest.raises(DBAPIError, match="append-only"):
        run_sql(funded.engine, "TRUNCATE postings")


def _raw_entry(id: int, lines: list[tuple[str, int, int]], day: str = "2024-06-04") -> list[str]:
    rows = [
        POSTING_ROW.format(id, n, account, FUND, dr, cr)
        for n, (account, dr, cr) in enumerate(lines, 1)
    ]
    return [*rows, ENTRY_ROW.format(id=id, day=day, period=day[:7])]


def test_unbalanced_entry_is_refused_by_the_database(funded: Ledger) -> None:
    with pytest.raises(DBAPIError, match="does not balance"):
        run_sql(funded.engine, *_raw_entry(2, [("1011", 500, 0), ("4001", 0, 499)]))
    with pytest.raises(DBAPIError, match="does not balance"):  # balanced overall, not per track
        run_sql(funded.engine, *_raw_entry(2, [("1011", 500, 0), ("6001", 0, 500)]))
    with pytest.raises(DBAPIError, match="does not balance"):  # a lone entry row
        run_sql(funded.engine, ENTRY_ROW.format(id=2, day="2024-06-04", period="2024-06"))
    run_sql(
        funded.engine, *_raw_entry(2, [("1011", 500, 0), ("4001", 0, 500)])
    )  # the guard is not the API


OTHER_FUND = "QH2025"


@pytest.mark.parametrize(
    ("lines", "balanced"),
    [
        # (account, fund, debit, credit): each fund balanced on each track
        ([("1011", FUND, 500, 0), ("4001", FUND, 0, 500), ("8001", FUND, 500, 0),
          ("6001", FUND, 0, 500)], True),
        ([("1011", FUND, 500, 0), ("4001", FUND, 0, 500), ("1011", OTHER_FUND, 7, 0),
          ("4001", OTHER_FUND, 0, 7)], True),
        # balanced overall, not per fund
        ([("1011", FUND, 500, 0), ("4001", OTHER_FUND, 0, 500)], False),
        ([("1011", FUND, 500, 0), ("4001", FUND, 0, 300), ("4001", OTHER_FUND, 0, 200)], False),
        # one fund: the financial track balanced, the budget track not
        ([("1011", FUND, 500, 0), ("4001", FUND, 0, 500), ("8001", FUND, 500, 0),
          ("6001", FUND, 0, 499)], False),
        # two funds, one track off in the second
        ([("1011", FUND, 5, 0), ("4001", FUND, 0, 5), ("8001", OTHER_FUND, 5, 0),
          ("6001", OTHER_FUND, 0, 4)], False),
        ([("1011", FUND, 500, 0)], False),  # a lone posting
    ],
)  # fmt: skip
def test_balance_is_checked_per_track_and_fund(
    funded: Ledger, lines: list[tuple[str, str, int, int]], balanced: bool
) -> None:
    """The database's own check (one pass for one fund on SQLite, grouped for several)."""
    funded.add_fund(OTHER_FUND, "2025 中央就业补助资金 青海")
    rows = [POSTING_ROW.format(2, n, *line) for n, line in enumerate(lines, 1)]
    insert = [*rows, ENTRY_ROW.format(id=2, day="2024-06-04", period="2024-06")]
    if balanced:
        run_sql(funded.engine, *insert)
        assert len(funded.journal()) == 2
    else:
        with pytest.raises(DBAPIError, match="does not balance"):
            run_sql(funded.engine, *insert)
        assert len(funded.journal()) == 1


def test_postings_cannot_be_added_to_a_posted_entry(funded: Ledger) -> None:
    extra = [
        POSTING_ROW.format(1, 9, "1011", FUND, 5, 0),
        POSTING_ROW.format(1, 10, "4001", FUND, 0, 5),
    ]
    with pytest.raises(DBAPIError, match="already posted"):
        run_sql(funded.engine, *extra)


def test_entry_into_a_closed_period_is_refused_by_the_database(funded: Ledger) -> None:
    funded.close_period("2024-06")
    with pytest.raises(DBAPIError, match="closed"):
        run_sql(
            funded.engine, *_raw_entry(2, [("1011", 500, 0), ("4001", 0, 500)], day="2024-05-31")
        )


@pytest.mark.parametrize("debit,credit", [(5, 5), (0, 0), (-5, 0)])
def test_a_posting_has_one_positive_side(funded: Ledger, debit: int, credit: int) -> None:
    with pytest.raises(DBAPIError):
        run_sql(funded.engine, *_raw_entry(2, [("1011", debit, credit), ("4001", credit, debit)]))


def test_postgresql_checks_are_never_jit_compiled(funded: Ledger) -> None:
    """Planned from stale statistics, a check's query looks costly enough for JIT, which
    then spends far longer compiling than the check takes (migration 0009). With JIT
    forced on for every query of the session, the checks' plans (seen by auto_explain)
    have no JIT, while the session's other queries do."""
    if funded.engine.dialect.name != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    draft = schemes.payout_accrued(FUND, PROGRAM, 100, key="jit", ref="jit", on=JUNE)
    plans: list[str] = []
    with writing(funded.engine) as conn:
        if not conn.exec_driver_sql("SELECT pg_jit_available()").scalar():
            pytest.skip("this PostgreSQL server has no JIT")
        conn.connection.driver_connection.add_notice_handler(
            lambda notice: plans.append(notice.message_primary or "")
        )
        conn.exec_driver_sql("LOAD 'auto_explain'")
        for setting in (
            "jit = on", "jit_above_cost = 0", "auto_explain.log_min_duration = 0",
            "auto_explain.log_nested_statements = on", "auto_explain.log_analyze = on",
            "auto_explain.log_level = notice",
        ):  # fmt: skip
            conn.exec_driver_sql(f"SET LOCAL {setting}")
        posting.post_batch(conn, [draft], today=JUNE, now=datetime(2024, 6, 3, 9))
    checks = [p for p in plans if "new_entries" in p or "new_postings" in p]
    assert checks and not [p for p in checks if "JIT:" in p], checks
    assert [p for p in plans if "JIT:" in p], "JIT was not on for the session's own queries"
    assert funded.verify().ok
