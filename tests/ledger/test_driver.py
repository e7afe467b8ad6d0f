"""ledgers.driver: Core statements on the DB-API cursor give what SQLAlchemy gives."""

from __future__ import annotations

import pytest
from ledger_helpers import FUND, PROGRAM
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from ledgers import Ledger, driver, lists, schemes
from ledgers.db import reading, writing
from ledgers.lists import one_of
from ledgers.schema import accounts, entries


@pytest.mark.parametrize(
    "codes",
    [[], ["1011"], ["2303", "1011", "no-such-code"], ["5001", "4001", "1011", "1011"]],
)
def test_one_of_a_list_matches_in(ledger: Ledger, codes: list[str]) -> None:
    listed = select(accounts.c.code, accounts.c.bounded).order_by(accounts.c.code)
    with reading(ledger.engine) as conn:
        ours = listed.where(one_of(accounts.c.code, "codes"))
        got = driver.execute(conn, ours, {"codes": lists.listed(conn, codes)})
        through_sqlalchemy = conn.execute(ours, {"codes": lists.listed(conn, codes)}).all()
        expected = conn.execute(listed.where(accounts.c.code.in_(codes))).all()
    assert [(code, bool(bounded)) for code, bounded in got] == [tuple(r) for r in expected]
    assert [tuple(r) for r in through_sqlalchemy] == [tuple(r) for r in expected]
    assert {code for code, _ in got} == {c for c in codes if c != "no-such-code"}


def test_bound_values_and_literals_both_reach_the_driver(funded: Ledger) -> None:
    posted = funded.post(
        schemes.payout_accrued(FUND, PROGRAM, 500, key="k-1", ref="中文 ref", on=None)
    )
    query = select(entries.c.id, entries.c.ref).where(
        entries.c.key == bindparam("key"), entries.c.kind == "payout_accrued"
    )
    with reading(funded.engine) as conn:
        assert driver.execute(conn, query, {"key": "k-1"}) == [(posted.id, "中文 ref")]
        assert driver.execute(conn, query, {"key": "k-2"}) == []


@pytest.mark.parametrize("codes", [("1011",), ("2303", "1011", "no-such-code")])
def test_a_one_off_statement_takes_a_literal_in_list(ledger: Ledger, codes) -> None:
    """A statement built for one call (``reused=False``) may hold ``IN (…)`` a list of
    values, as any SQLAlchemy statement may."""
    query = select(accounts.c.code).where(accounts.c.code.in_(codes)).order_by(accounts.c.code)
    with reading(ledger.engine) as conn:
        got = driver.execute(conn, query, reused=False)
        assert got == [tuple(r) for r in conn.execute(query)]
    assert {code for (code,) in got} == set(codes) - {"no-such-code"}


def test_a_refusal_is_sqlalchemys_error(funded: Ledger) -> None:
    """The database's refusal comes back as it would through SQLAlchemy, and the
    transaction it happened in is rolled back."""
    before = funded.journal()
    edit = update(entries).values(memo="edited")
    with pytest.raises(DBAPIError, match="append-only"), writing(funded.engine) as conn:
        driver.execute(conn, edit)
    with pytest.raises(IntegrityError), writing(funded.engine) as conn:
        driver.run_sql(
            conn,
            "INSERT INTO accounts (code, name_zh, track, category, normal_side, bounded) "
            + ("VALUES (?, ?, ?, ?, ?, ?)" if conn.dialect.name == "sqlite" else
               "VALUES (%s, %s, %s, %s, %s, %s)"),
            ("1011", "again", "financial", "asset", "debit", True),
        )  # fmt: skip
    assert funded.journal() == before
