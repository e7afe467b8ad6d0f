"""Tamper evidence over the rows that say who is paid what (issue #18).

A paid ledger (``paid_world``: a row in every sealed table that matters) is built once
per backend. Then each edit an insider with
database access could make is applied in SQL, the append-only triggers dropped first as
someone with DDL rights would, inside a transaction that is rolled back afterwards; the
ledger's verification, run in that transaction, must name the table and the row.

The second half is the insider who has read ``ledgers/chain.py`` and ``ledgers/seals.py``:
the edit is followed by recomputing every public hash and moving the heads, balances and
totals per event,
or the last entries are deleted and the head moved back. ``verify`` alone then finds
nothing; the anchor taken before (kept outside the database) names what changed.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import Connection, Table, create_engine, delete, select, text, update
from sqlalchemy.engine import make_url

from ledgers import Ledger, Transaction, event_totals
from ledgers import anchor as anchors
from ledgers.chain import GENESIS, entry_content, entry_hash
from ledgers.records import fetch_entries
from ledgers.schema import chain_head, entries, seals
from ledgers.schema import event_totals as ledger_event_totals
from ledgers.seals import canonical_rows, link
from ledgers.verify import VerifyResult, verify_ledger
from subsidies.workflow.tables import SEALED, audit_log, decisions, payments

sys.path.insert(0, str(Path(__file__).resolve().parent))
from paid_world import paid_world  # noqa: E402
from workflow_helpers import fund_ledger  # noqa: E402

PG_URL = os.environ.get(
    "SUBSIDIES_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@dataclass(frozen=True)
class World:
    ledger: Ledger
    rows: dict[str, int]  # what each edit aims at: name -> a row id
    anchor: anchors.Anchor  # taken when the world was built


def _build(led: Ledger, tmp: Path) -> World:
    rows = paid_world(led, tmp)
    result = led.verify(SEALED)
    assert result.ok, result.problems
    return World(led, rows, led.anchor())


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def world(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[World]:
    """One paid ledger per backend for the whole module (every edit is rolled back)."""
    tmp = tmp_path_factory.mktemp(f"tamper-{request.param}")
    schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'ledger.db'}"
    else:
        admin = request.getfixturevalue("pg_admin")
        schema = f"test_{uuid.uuid4().hex[:16]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
        url = url.render_as_string(hide_password=False)
    led = Ledger.connect(url)
    try:
        led.upgrade()
        yield _build(led, tmp)
    finally:
        led.close()
        if schema:
            with request.getfixturevalue("pg_admin").connect() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


@pytest.fixture
def insider(world: World) -> Iterator[Connection]:
    """A connection in a transaction that is rolled back after the test: the edits vanish."""
    with world.ledger.engine.connect() as conn:
        transaction = conn.begin()
        try:
            yield conn
        finally:
            transaction.rollback()


def drop_triggers(conn: Connection, table: str) -> None:
    """Every trigger on ``table``: what someone with DDL rights does before an edit."""
    if conn.dialect.name == "postgresql":
        names = conn.scalars(
            text(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = CAST(:t AS regclass)"
                " AND NOT tgisinternal"
            ),
            {"t": table},
        ).all()
        for name in names:
            conn.execute(text(f"DROP TRIGGER {name} ON {table}"))
        return
    names = conn.scalars(
        text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
        {"t": table},
    ).all()
    for name in names:
        conn.execute(text(f"DROP TRIGGER {name}"))


def tampered(conn: Connection, table: str, *statements: str, **rows: int) -> None:
    drop_triggers(conn, table)
    for statement in statements:
        conn.execute(text(statement.format(**rows)))


def checked(conn: Connection, anchor: anchors.Anchor | None = None) -> VerifyResult:
    """What ``ledger verify`` (with ``--anchor``) reports, seen from inside the transaction."""
    return verify_ledger(conn, SEALED, (anchor, None) if anchor else None)


# -- 13 edits of the rows that say who is paid what: each named by verify ----------------

EDITS = [
    ("a payment's payee account", "payments",
     "UPDATE payments SET account = '6222020299999999999' WHERE id = {payment}",
     "payments id {payment}: does not match its seal"),
    ("a payment's amount", "payments",
     "UPDATE payments SET amount_fen = amount_fen * 100 WHERE id = {payment}",
     "payments id {payment}: does not match its seal"),
    ("a payment's payee", "payments",
     "UPDATE payments SET payee_name = '冒领人', payee_id = '632801199001010017'"
     " WHERE id = {payment}",
     "payments id {payment}: does not match its seal"),
    ("a payment's returned event", "payment_events",
     "UPDATE payment_events SET kind = 'returned', detail = '退回' WHERE id = {settled}",
     "payment_events id {settled}: does not match its seal"),
    ("a returned event deleted", "payment_events",
     "DELETE FROM payment_events WHERE id = {returned}",
     "payment_events: row(s) sealed as"),
    ("a decision's amount", "decisions",
     "UPDATE decisions SET amount_fen = 5000000 WHERE id = {decision}",
     "decisions id {decision}: does not match its seal"),
    ("a decision's status", "decisions",
     "UPDATE decisions SET status = 'ineligible' WHERE id = {decision}",
     "decisions id {decision}: does not match its seal"),
    ("a claim's input row", "decisions",
     "UPDATE decisions SET input_json = replace(input_json, '马经纪', '冒领人')"
     " WHERE id = {decision}",
     "decisions id {decision}: does not match its seal"),
    ("a batch's submitter", "batches",
     "UPDATE batches SET submitted_by = 'li.checker' WHERE id = {batch}",
     "batches id {batch}: does not match its seal"),
    ("a batch's approver", "batch_events",
     "UPDATE batch_events SET \"by\" = 'wang.maker' WHERE id = {approval}",
     "batch_events id {approval}: does not match its seal"),
    ("an audit-log row edited", "audit_log",
     "UPDATE audit_log SET detail = 'nothing happened' WHERE id = {audit}",
     "audit_log id {audit}: does not match its seal"),
    ("an audit-log row deleted", "audit_log",
     "DELETE FROM audit_log WHERE id = {audit}",
     "audit_log: row(s) sealed as {audit} missing before id"),
    ("a bank statement line", "statement_lines",
     "UPDATE statement_lines SET amount_fen = amount_fen * 2 WHERE id = {line}",
     "statement_lines id {line}: does not match its seal"),
    ("a recovery amount", "recoveries",
     "UPDATE recoveries SET amount_fen = 1 WHERE id = {recovery}",
     "recoveries id {recovery}: does not match its seal"),
    ("a second officer's approval", "payment_request_decisions",
     "UPDATE payment_request_decisions SET \"by\" = 'zhao.cashier' WHERE id = {request_decision}",
     "payment_request_decisions id {request_decision}: does not match its seal"),
    ("a bank file's total", "payment_files",
     "UPDATE payment_files SET total_fen = total_fen + 100 WHERE id = {file}",
     "payment_files id {file}: does not match its seal"),
    ("the last audit-log row deleted", "audit_log",
     "DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)",
     "audit_log: the last 1 row(s)"),
    ("a payment inserted without a seal", "payments",
     "INSERT INTO payments (id, reference, batch_id, program_id, claim_id, attempt, fund_code,"
     " payee_name, payee_id, account, amount_fen, entry_id, created_by, created_at)"
     " SELECT 9999, 'P-FORGED', batch_id, program_id, 'FORGED', 1, fund_code, payee_name,"
     " payee_id, '6222020299999999999', amount_fen, entry_id, created_by, created_at"
     " FROM payments WHERE id = {payment}",
     "payments id 9999: no seal: inserted outside the ledger"),
]  # fmt: skip


@pytest.mark.parametrize(("table", "sql", "named"), [pytest.param(*e[1:], id=e[0]) for e in EDITS])
def test_an_edit_of_who_is_paid_what_is_named(world, insider, table, sql, named) -> None:
    assert checked(insider).ok
    tampered(insider, table, sql, **world.rows)
    result = checked(insider)
    expected = named.format(**world.rows)
    assert not result.ok
    assert any(p.startswith(expected) for p in result.problems), result.problems
    assert all(p.startswith(table) for p in result.problems), result.problems


def test_a_seal_number_edited_is_named_as_such(world, insider) -> None:
    tampered(insider, "payments", "UPDATE payments SET seal_no = seal_no + 1 WHERE id = {payment}",
             **world.rows)  # fmt: skip
    problems = checked(insider).problems
    assert f"payments id {world.rows['payment']}: its seal number was edited" in problems[0]


# -- 5 edits by an insider who recomputes the public hashes: the anchor names them --------


def _rechain_journal(conn: Connection) -> None:
    """Recompute every entry's hash from its stored content, the chain head and every
    running balance from the postings, as verify computes them."""
    prev = GENESIS
    for entry in fetch_entries(conn, entries.c.id > 0):
        content = entry_content(
            id=entry.id, key=entry.key, kind=entry.kind, entry_date=entry.entry_date,
            period=entry.period, memo=entry.memo, ref=entry.ref, by=entry.by,
            created_at=entry.created_at, reverses_entry_id=entry.reverses_entry_id,
            postings=entry.postings, program=entry.program,
        )  # fmt: skip
        digest = entry_hash(prev, content)
        conn.execute(
            update(entries).where(entries.c.id == entry.id).values(hash=digest, prev_hash=prev)
        )
        prev = digest
    last = conn.scalar(select(entries.c.id).order_by(entries.c.id.desc()).limit(1))
    conn.execute(update(chain_head).values(last_entry_id=last, head_hash=prev))
    total = "(SELECT COALESCE(SUM(p.{0}), 0) FROM postings p WHERE p.account = balances.account AND p.fund = balances.fund)"
    debit, credit = total.format("debit"), total.format("credit")
    conn.execute(
        text(
            f"UPDATE balances SET debit_total = {debit}, credit_total = {credit},"
            f" balance = {debit} - {credit}"
        )
    )
    conn.execute(delete(ledger_event_totals))  # and the totals per event, summed again
    summed = event_totals.recomputed(conn)
    event_totals.add(conn, {key: list(totals) for key, totals in summed.items()})


def _reseal(conn: Connection, table: Table) -> None:
    """Recompute every seal of ``table`` and move its head, as the writer would have."""
    drop_triggers(conn, "seals")
    rows = conn.execute(select(table).order_by(table.c.id)).all()
    names = [c.name for c in table.columns]
    columns = dict(zip(names, zip(*rows, strict=True), strict=True))
    columns["seal_no"] = range(1, len(rows) + 1)
    sealed = link(GENESIS, canonical_rows(table, columns, len(rows)))
    for row, number, seal in zip(rows, columns["seal_no"], sealed, strict=True):
        conn.execute(update(table).where(table.c.id == row.id).values(seal_no=number, seal=seal))
    conn.execute(
        update(seals)
        .where(seals.c.table_name == table.name)
        .values(row_count=len(rows), head_hash=sealed[-1] if sealed else GENESIS)
    )


def _posting_amount(conn: Connection) -> None:
    """Take 1,000 元 more out of a disbursement, on both of its sides and both tracks."""
    drop_triggers(conn, "postings")
    drop_triggers(conn, "entries")
    target = conn.scalar(text("SELECT MIN(id) FROM entries WHERE kind = 'disbursement'"))
    conn.execute(
        text(f"UPDATE postings SET debit = debit + 100000 WHERE entry_id = {target} AND debit > 0")
    )
    conn.execute(
        text(
            f"UPDATE postings SET credit = credit + 100000 WHERE entry_id = {target} AND credit > 0"
        )
    )
    _rechain_journal(conn)


def _journal_memo(conn: Connection) -> None:
    drop_triggers(conn, "entries")
    conn.execute(text("UPDATE entries SET memo = 'nothing to see', ref = '' WHERE id = 2"))
    _rechain_journal(conn)


def _journal_cut(conn: Connection) -> None:
    """Delete the last two entries and their postings; move the head and balances back."""
    drop_triggers(conn, "postings")
    drop_triggers(conn, "entries")
    last = conn.scalar(text("SELECT MAX(id) FROM entries"))
    conn.execute(text(f"DELETE FROM postings WHERE entry_id >= {last - 1}"))
    conn.execute(text(f"DELETE FROM entries WHERE id >= {last - 1}"))
    _rechain_journal(conn)


def _payment_account(conn: Connection) -> None:
    drop_triggers(conn, "payments")
    conn.execute(text("UPDATE payments SET account = '6222020299999999999' WHERE id = 1"))
    _reseal(conn, payments)


def _audit_cut(conn: Connection) -> None:
    drop_triggers(conn, "audit_log")
    conn.execute(text("DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)"))
    _reseal(conn, audit_log)


def _decision_amount(conn: Connection) -> None:
    drop_triggers(conn, "decisions")
    conn.execute(text("UPDATE decisions SET amount_fen = 5000000 WHERE id = 1"))
    _reseal(conn, decisions)


INSIDERS = [
    ("a posting's amount, the journal rehashed, head and balances moved", _posting_amount,
     "journal: entry {journal} is not the one anchored"),
    ("a memo, the journal rehashed", _journal_memo, "journal: entry {journal} is not the one anchored"),
    ("the last entries deleted, head and balances moved back", _journal_cut,
     "journal: the anchor of {taken_at} records {journal} entries, the ledger ends at entry"),
    ("a payee account, the payments resealed", _payment_account,
     "payments: row {payments} (id"),
    ("the last audit-log row deleted, its head moved back", _audit_cut,
     "audit_log: the anchor of {taken_at} records {audit_log} rows"),
    ("a decision's amount, the decisions resealed", _decision_amount,
     "decisions: row {decisions} (id"),
]  # fmt: skip


@pytest.mark.parametrize(("edit", "named"), [pytest.param(*i[1:], id=i[0]) for i in INSIDERS])
def test_an_insider_who_recomputes_the_hashes_is_named_by_the_anchor(
    world, insider, edit, named
) -> None:
    edit(insider)
    assert checked(insider).ok  # the public hashes alone: nothing to see
    result = checked(insider, world.anchor)
    counts = {name: head.count for name, head in world.anchor.chains.items()}
    expected = named.format(taken_at=world.anchor.taken_at, **counts)
    assert len(result.problems) == 1 and result.problems[0].startswith(expected), result.problems


def test_the_anchor_holds_for_the_ledger_it_was_taken_of_and_after_it_grows(world, insider) -> None:
    assert checked(insider, world.anchor).ok
    tx = Transaction(insider)  # rows written after the anchor, as the product writes them
    tx.insert(audit_log, at=dt.datetime(2024, 10, 20), by="li", action="x", subject="", detail="")
    tx.finish()
    assert checked(insider, world.anchor).ok
    rows = {table.table: table.rows for table in checked(insider).tables}
    assert rows["audit_log"] == world.anchor.chains["audit_log"].count + 1


# -- the anchor file, signed or not, through the command line ------------------------------


def test_ledger_anchor_then_verify_on_the_command_line(world, tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner

    from subsidies.cli import main

    url = world.ledger.engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv(anchors.KEY_VARIABLE, "the office's secret")
    run = CliRunner().invoke
    written = run(main, ["ledger", "anchor", "-o", str(tmp_path / "anchor.json"), "--db", url])
    assert written.exit_code == 0, written.output
    assert "payments" in written.output and "journal" in written.output
    verified = run(
        main, ["ledger", "verify", "--anchor", str(tmp_path / "anchor.json"), "--db", url]
    )
    assert verified.exit_code == 0 and "相符" in verified.output, verified.output
    # someone rewrote the ledger and edited the anchor to match: the signature does not hold
    forged = (tmp_path / "anchor.json").read_text().replace('"count": 1', '"count": 2', 1)
    (tmp_path / "anchor.json").write_text(forged)
    refused = run(
        main, ["ledger", "verify", "--anchor", str(tmp_path / "anchor.json"), "--db", url]
    )
    assert refused.exit_code == 1 and "signature (HMAC) does not match" in refused.output
    monkeypatch.delenv(anchors.KEY_VARIABLE)
    unsigned = run(
        main, ["ledger", "verify", "--anchor", str(tmp_path / "anchor.json"), "--db", url]
    )
    assert unsigned.exit_code == 1 and "set SUBSIDIES_ANCHOR_KEY" in unsigned.output


def test_the_close_prints_the_anchor_and_refuses_a_tampered_ledger(tmp_path, as_officer) -> None:
    from click.testing import CliRunner

    from subsidies.cli import main

    url = f"sqlite:///{tmp_path / 'books.db'}"
    with Ledger.connect(url) as led:
        led.upgrade()
        fund_ledger(led)
    run = partial(CliRunner().invoke, env=as_officer(url))  # the administrator
    closed = run(main, ["ledger", "close-period", "2024-06", "--db", url,
                        "--anchor", str(tmp_path / "close.json")])  # fmt: skip
    assert closed.exit_code == 0, closed.output
    assert "已结账至 2024-06" in closed.output and "锚点，" in closed.output
    anchor, signature = anchors.read(tmp_path / "close.json")
    assert (anchor.closed_through, anchor.chains["journal"].count, signature) == (
        "2024-06",
        1,
        None,
    )
    assert anchor.chains["journal"].hash in closed.output
    engine = create_engine(url)
    with engine.begin() as conn:
        drop_triggers(conn, "entries")
        conn.execute(text("UPDATE entries SET memo = 'x'"))
    engine.dispose()
    refused = run(main, ["ledger", "close-period", "2024-07", "--db", url])
    assert refused.exit_code == 1 and "账本校验未通过" in refused.output
    with Ledger.connect(url) as led:
        assert led.closed_through() == "2024-06"
