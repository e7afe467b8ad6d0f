"""Every refusal changes nothing (issue #18): every command of ``subsidies --help`` that can
be refused, run in a situation that refuses it, exits non-zero with a one-line ``错误：…`` (``Error: …`` in English)
saying why, and leaves every row of every table of the database byte-identical, on SQLite
and PostgreSQL.

One ledger per backend is built once (funds, batches in every state, payments pending,
settled, returned and reissued, a recovery, a brand, a bank statement with an exception, a
closed month); the cases then run against it one after another. Since a refusal changes
nothing, each case finds the ledger as the setup left it, and a case that changes it fails
there, naming the tables it changed.

``test_every_refusable_command_is_covered`` walks the command tree, so a new command is
either given a refusing case here or named as one that cannot be refused.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import MetaData, create_engine, select, text
from workflow_helpers import (
    CHECKER,
    DALIAN,
    GOJI,
    HIRING,
    MAKER,
    PAYER,
    claim,
    credit_code,
    new_person,
    reissue_approved,
    return_by_hand,
    write_claims,
)

from ledgers import Ledger
from subsidies import brands as lifecycle
from subsidies.cli import main
from subsidies.domain.workdays import CALENDAR_ENV, PUBLISHED_THROUGH
from subsidies.workflow import batches as wf
from subsidies.workflow import brands_store, payfiles
from subsidies.workflow import payments as pay
from subsidies.workflow import reconcile as recon
from subsidies.workflow.statements import load_layout

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2024, 10, 8)  # a Tuesday; the goji season 2024-07-01..2024-08-31 is over
NEXT = dt.date(2024, 10, 9)
FUND, SMALL, DL = "QH2024", "QH2024S", "DL2024"


def snapshot(url: str) -> bytes:
    """Every row of every table of the database (as reflected from it), ordered, as bytes."""
    engine = create_engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        lines = []
        with engine.connect() as conn:
            for name in sorted(meta.tables):
                table = meta.tables[name]
                order = list(table.primary_key.columns) or list(table.columns)
                rows = conn.execute(select(table).order_by(*order)).all()
                lines += [f"{name}: {tuple(row)!r}" for row in rows]
                lines.append(f"{name}: {len(rows)} rows")
        return "\n".join(lines).encode()
    finally:
        engine.dispose()


def changed_tables(before: bytes, after: bytes) -> list[str]:
    counts = [
        {line.split(":")[0]: line for line in shot.decode().splitlines()}
        for shot in (before, after)
    ]
    return sorted(
        name for name in counts[0] | counts[1] if counts[0].get(name) != counts[1].get(name)
    )


@dataclass
class World:
    """A ledger in every state a refusal needs, and the names of its parts."""

    url: str
    folder: Path
    paid: str  # approved and disbursed goji batch
    settled: str  # its payments: settled, returned (then reissued), reissue, pending
    returned: str
    reissued: str
    pending_payment: str
    recovered_claim: str  # a settled claim with a recovery raised
    submitted: str  # a hiring batch, no notice, awaiting approval
    rejected: str
    noticed: str  # a Dalian batch, notice published on NEXT
    unnoticed: str  # a Dalian batch, notice not yet published
    overdrawn: str  # a goji batch on a fund that cannot cover it
    clashing: str  # holds a person approved in another batch since
    year_end: str  # a Dalian batch as of late in the last year the calendar knows
    no_account: str  # an approved batch whose claims have no bank account
    exception_line: int  # a bank statement line that matched nothing
    claims: Path  # a valid goji claims file


def build(url: str, folder: Path) -> World:
    """The ledger the refusals run against (by the workflow's own functions)."""
    led = Ledger.connect(url)
    try:
        led.upgrade()
        for code, fen in ((FUND, 1_000_000_00), (SMALL, 100_00), (DL, 1_000_000_00)):
            led.add_fund(code, f"2024 就业补助资金 {code}", year=2024)
            led.appropriate(code, fen, doc=f"财社〔2024〕{code}", on=dt.date(2024, 6, 3), by="fin")
        led.close_period("2024-05", by="fin")

        def submit(program: str, rows: list[dict], name: str, **kw) -> str:
            path = write_claims(folder / f"{name}.csv", rows)
            kw = {"fund_code": FUND, "as_of": AS_OF} | kw
            return wf.submit(led, program, path, by=MAKER, **kw)[0].code

        goji = [claim(GOJI, f"PG-{i}", worker_id=new_person()) for i in range(1, 5)]
        paid = submit(GOJI, goji, "paid")
        wf.approve(led, paid, by=CHECKER, on=AS_OF)
        options = payfiles.Options("default", False, "", "")
        payfiles.send(led, paid, folder / "paid.csv", options, by=PAYER, on=NEXT)
        found = sorted(pay.batch_payments(led, paid), key=lambda p: p.claim_id)
        settled, returned, pending, unmatched = found
        pay.settle(led, settled.reference, by=PAYER, on=dt.date(2024, 10, 10))
        return_by_hand(led, returned.reference, on=NEXT)
        reissued = reissue_approved(led, returned.reference, "6217000000000001", on=NEXT)
        pay.raise_recovery(led, GOJI, settled.claim_id, reason="虚报", by=CHECKER, on=NEXT)
        statement = folder / "statement.csv"
        line = {"value_date": "2024-10-11", "bank_serial": "BK-1", "payment_reference":
                unmatched.reference, "account": unmatched.account, "amount": "1.00",
                "status": "success"}  # fmt: skip
        pd.DataFrame([line]).to_csv(statement, index=False, encoding="utf-8-sig")
        recon.reconcile(led, statement, load_layout("default"), by="sun", as_of=NEXT)
        with led.engine.connect() as conn:
            exception_line = conn.execute(
                text("SELECT id FROM statement_lines WHERE serial = 'BK-1'")
            ).scalar_one()

        submitted = submit(HIRING, [claim(HIRING, "HB-1", employee_id=new_person())], "submitted")
        rejected = submit(HIRING, [claim(HIRING, "HB-2", employee_id=new_person())], "rejected")
        wf.reject(led, rejected, by=CHECKER, reason="材料不全", on=NEXT)
        noticed = submit(DALIAN, [claim(DALIAN, "DL-1")], "noticed", fund_code=DL)
        wf.publish_notice(led, noticed, on=NEXT, by=MAKER)
        unnoticed = submit(
            DALIAN, [claim(DALIAN, "DL-2", brand_name="大连月嫂")], "unnoticed", fund_code=DL
        )
        overdrawn = submit(
            GOJI, [claim(GOJI, f"OD-{i}", worker_id=new_person()) for i in (1, 2)], "od",
            fund_code=SMALL,
        )  # fmt: skip
        person = new_person()
        clashing = submit(HIRING, [claim(HIRING, "CL-1", employee_id=person)], "clashing")
        winner = submit(HIRING, [claim(HIRING, "CL-2", employee_id=person)], "winner")
        wf.approve(led, winner, by=CHECKER, on=AS_OF)
        year_end = submit(
            DALIAN,
            [claim(DALIAN, "DL-3", brand_name="大连厨师")],
            "year-end",
            fund_code=DL,
            as_of=dt.date(PUBLISHED_THROUGH, 12, 21),
        )
        bare = claim(HIRING, "NA-1", employee_id=new_person())
        del bare["银行账号"]
        no_account = submit(HIRING, [bare], "no-account")
        wf.approve(led, no_account, by=CHECKER, on=AS_OF)
        brands_store.add(
            led,
            lifecycle.Brand(
                "大连海员劳务有限公司", credit_code(41), "大连海员", "city", dt.date(2023, 6, 1)
            ),
            by="市人社局",
        )
    finally:
        led.close()
    claims = write_claims(folder / "valid.csv", [claim(GOJI, "NEW-1", worker_id=new_person())])
    pd.DataFrame({"申请编号": ["NA-1"], "账号": ["6217000000000009"]}).to_csv(
        folder / "accounts.csv", index=False, encoding="utf-8-sig"
    )
    return World(
        url, folder, paid, settled.reference, returned.reference, reissued.reference,
        pending.reference, settled.claim_id, submitted, rejected, noticed, unnoticed,
        overdrawn, clashing, year_end, no_account, exception_line, claims,
    )  # fmt: skip


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def world(request, tmp_path_factory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp(f"refusals-{request.param}")
    if request.param == "sqlite":
        yield build(f"sqlite:///{folder / 'ledger.db'}", folder)
        return
    admin = request.getfixturevalue("pg_admin")
    schema = f"test_{uuid.uuid4().hex[:16]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = admin.url.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield build(url.render_as_string(hide_password=False), folder)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


# -- the cases: (command words, arguments from the world, a fragment of the refusal) ------


def case(words: str, args, fragment: str, name: str = ""):
    return pytest.param(words.split(), args, fragment, id=name or words)


CASES = [
    # batches
    case("batch submit", lambda w: [GOJI, w.claims, "--fund", "NOFUND", "--by", MAKER],
         "no fund 'NOFUND'", "batch submit: no such fund"),
    case("batch submit", lambda w: [DALIAN, w.folder / "noticed.csv", "--fund", DL, "--by",
                                    MAKER, "--notice-days", "1", "--as-of", "2024-10-08"],
         "公示期不得少于 5 个工作日", "batch submit: a notice shorter than the document's"),
    case("batch submit", lambda w: ["nowhere.program", w.claims, "--fund", FUND, "--by", MAKER],
         "unknown program", "batch submit: unknown program"),
    case("batch submit", lambda w: [GOJI, w.folder / "missing.csv", "--fund", FUND, "--by", MAKER],
         "找不到文件", "batch submit: no file"),
    case("batch submit", lambda w: ["qinghai.guarantee_loan", w.claims, "--fund", FUND, "--by",
                                    MAKER], "not a payout", "batch submit: not a payout"),
    case("batch submit", lambda w: [GOJI, w.claims, "--fund", FUND, "--by", " "], "--by",
         "batch submit: no officer"),
    case("batch submit", lambda w: [GOJI, w.folder / "statement.csv", "--fund", FUND, "--by",
                                    MAKER], "缺少必填列", "batch submit: not a claims file"),
    case("batch submit", lambda w: [GOJI, w.claims, "--fund", FUND, "--by", MAKER, "-o",
                                    w.folder / "no folder" / "decisions.csv"], "no folder",
         "batch submit: decisions file in no folder"),
    case("batch notice", lambda w: [w.noticed, "-o", w.folder / "n.pdf", "--on", "2024-10-08"],
         "cannot be dated earlier", "batch notice: earlier than the one published"),
    case("batch notice", lambda w: [w.unnoticed, "-o", w.folder / "n.pdf", "--on", "2024-10-07"],
         "dated before the batch's as-of date", "batch notice: before the as-of date"),
    case("batch notice", lambda w: [w.year_end, "-o", w.folder / "n.pdf", "--on",
                                    f"{PUBLISHED_THROUGH}-12-28"],
         "节假日安排", "batch notice: into a year the calendar does not know"),
    case("batch notice", lambda w: [w.submitted, "-o", w.folder / "n.pdf"], "no notice to publish",
         "batch notice: a batch without a notice period"),
    case("batch notice", lambda w: [w.paid, "-o", w.folder / "n.pdf"], "already approved",
         "batch notice: approved batch"),
    case("batch notice", lambda w: [w.unnoticed, "-o", w.folder / "n.txt"], ".xlsx or .pdf",
         "batch notice: not a .pdf or .xlsx"),
    case("batch notice", lambda w: [w.unnoticed, "-o", w.folder / "no folder" / "n.pdf", "--on",
                                    "2024-10-09"], "no folder", "batch notice: in no folder"),
    case("batch notice", lambda w: ["B20990101-00001", "-o", w.folder / "n.pdf"], "no batch",
         "batch notice: no such batch"),
    case("batch approve", lambda w: [w.submitted, "--by", MAKER, "--on", "2024-10-09"],
         "maker–checker", "batch approve: by its maker"),
    case("batch approve", lambda w: [w.noticed, "--by", CHECKER, "--on", "2024-10-10"],
         "approve from", "batch approve: before the notice ends"),
    case("batch approve", lambda w: [w.unnoticed, "--by", CHECKER, "--on", "2024-10-30"],
         "no public notice", "batch approve: no notice"),
    case("batch approve", lambda w: [w.submitted, "--by", CHECKER, "--on", "2024-10-07"],
         "before the batch's as-of date", "batch approve: before the as-of date"),
    case("batch approve", lambda w: [w.paid, "--by", CHECKER, "--on", "2024-10-09"],
         "already approved", "batch approve: approved"),
    case("batch approve", lambda w: [w.rejected, "--by", CHECKER, "--on", "2024-10-09"],
         "rejected", "batch approve: rejected"),
    case("batch approve", lambda w: [w.overdrawn, "--by", CHECKER, "--on", "2024-10-09"],
         "short; nothing was posted", "batch approve: overdraft"),
    case("batch approve", lambda w: [w.clashing, "--by", CHECKER, "--on", "2024-10-09"],
         "approved in another batch", "batch approve: a key approved since"),
    case("batch reject", lambda w: [w.paid, "--by", CHECKER, "--reason", "x"], "already approved",
         "batch reject: approved"),
    case("batch reject", lambda w: [w.submitted, "--by", CHECKER, "--reason", " "], "--reason",
         "batch reject: no reason"),
    case("batch reject", lambda w: [w.submitted, "--by", CHECKER, "--reason", "x", "--on",
                                    "2024-10-07"], "before the batch's as-of date",
         "batch reject: before the as-of date"),
    case("batch reject", lambda w: [w.noticed, "--by", CHECKER, "--reason", "x", "--on",
                                    "2024-10-08"], "before its notice",
         "batch reject: before the notice"),
    case("batch show", lambda w: ["B20990101-00001"], "no batch"),
    # disbursement and payments
    case("disburse", lambda w: [w.submitted, "--by", PAYER, "-o", w.folder / "p.csv"],
         "only an approved", "disburse: not approved"),
    case("disburse", lambda w: [w.rejected, "--by", PAYER, "-o", w.folder / "p.csv"],
         "rejected", "disburse: rejected"),
    case("disburse", lambda w: [w.paid, "--by", PAYER, "-o", w.folder / "p.csv"],
         "already disbursed", "disburse: again"),
    case("disburse", lambda w: [w.no_account, "--by", PAYER, "-o", w.folder / "p.csv"],
         "no payee", "disburse: no accounts"),
    case("disburse", lambda w: [w.no_account, "--by", PAYER, "-o", w.folder / "p.txt"],
         "written as .csv or .xlsx", "disburse: not a .csv or .xlsx"),
    case("disburse", lambda w: [w.no_account, "--by", PAYER, "--accounts", w.folder /
                                "accounts.csv", "-o", w.folder / "no folder" / "p.csv"],
         "no folder", "disburse: bank file in no folder"),
    case("payment list", lambda w: ["B20990101-00001"], "no batch"),
    case("payment return", lambda w: [w.settled, "--reason", "x", "--by", PAYER], "settled",
         "payment return: settled"),
    case("payment return", lambda w: [w.returned, "--reason", "x", "--by", PAYER], "returned",
         "payment return: returned"),
    case("payment return", lambda w: ["SL000", "--reason", "x", "--by", PAYER], "no payment",
         "payment return: no such payment"),
    case("payment reissue", lambda w: [w.pending_payment, "--account", "6217", "--by", PAYER],
         "pending", "payment reissue: not returned"),
    case("payment reissue", lambda w: [w.returned, "--account", "6217", "--by", PAYER],
         "already", "payment reissue: reissued already"),
    case("payment reissue", lambda w: [w.returned, "--account", "6217", "--by", PAYER, "-o",
                                       w.folder / "r.txt"], "the payment file",
         "payment reissue: not a .csv or .xlsx"),
    case("payment approve", lambda w: [w.pending_payment, "--by", CHECKER],
         "no open request", "payment approve: nothing requested"),
    case("payment reject", lambda w: [w.pending_payment, "--reason", "x", "--by", CHECKER],
         "no open request", "payment reject: nothing requested"),
    case("payment file", lambda w: [w.submitted, "--reprint", "--by", PAYER, "-o",
                                    w.folder / "copy.csv"], "no payment file",
         "payment file: nothing to reprint"),
    case("payment settle", lambda w: [w.returned, "--by", PAYER], "already returned",
         "payment settle: returned"),
    case("payment settle", lambda w: ["SL000", "--by", PAYER], "no payment",
         "payment settle: no such payment"),
    case("recover", lambda w: ["HB-1", "--reason", "x", "--by", CHECKER], "no payment",
         "recover: nothing paid"),
    case("recover", lambda w: [w.recovered_claim, "--reason", "x", "--by", CHECKER], "already",
         "recover: raised already"),
    case("recover", lambda w: [w.recovered_claim, "--reason", " ", "--by", CHECKER], "--reason",
         "recover: no reason"),
    case("repay", lambda w: [w.recovered_claim, "abc", "--by", PAYER], "abc", "repay: not an amount"),
    case("repay", lambda w: [w.recovered_claim, "1000", "--by", PAYER], "owed",
         "repay: more than owed"),
    case("repay", lambda w: ["PG-3", "10", "--by", PAYER], "nothing is owed",
         "repay: nothing owed"),
    case("explain", lambda w: ["NOTHING"], "no payment reference or claim_id"),
    # reconciliation
    case("reconcile statement", lambda w: [w.folder / "missing.csv", "--by", "sun"],
         "找不到文件", "reconcile statement: no file"),
    case("reconcile statement", lambda w: [w.folder / "statement.csv", "--layout", "swift",
                                           "--by", "sun"], "no layout 'swift'",
         "reconcile statement: unknown layout"),
    case("reconcile statement", lambda w: [w.claims, "--by", "sun"], "missing columns",
         "reconcile statement: not a statement"),
    case("reconcile resolve", lambda w: ["999999", w.pending_payment, "--reason", "x", "--by",
                                         "sun"], "no statement line 999999",
         "reconcile resolve: no such line"),
    case("reconcile resolve", lambda w: [str(w.exception_line), w.settled, "--reason", "x",
                                         "--by", "sun"], "already settled",
         "reconcile resolve: a settled payment"),
    case("reconcile report", lambda w: ["-o", w.folder / "r.doc"], "'.doc'",
         "reconcile report: unknown format"),
    # brands
    case("brand add", lambda w: ["大连海员劳务有限公司", "91210200BAD", "大连海员", "--recognised-on",
                                 "2023-06-01", "--by", "x"], "91210200BAD",
         "brand add: a bad credit code"),
    case("brand add", lambda w: ["大连海员劳务有限公司", credit_code(41), "大连海员", "--recognised-on",
                                 "2022-01-01", "--by", "x"], "registered differently",
         "brand add: registered differently"),
    case("brand event", lambda w: ["大连海员", "restored", "--on", "2024-10-09", "--by", "x"],
         "only a suspended brand can be restored", "brand event: out of order"),
    case("brand event", lambda w: ["没有的品牌", "annual_report", "--on", "2024-10-09", "--by",
                                   "x"], "0 registered brands match", "brand event: no such brand"),
    case("brand show", lambda w: ["没有的品牌"], "0 registered brands match"),
    case("brand rename", lambda w: [credit_code(42), "新名称", "--reason", "工商变更", "--by",
                                    "x"], "no registered brand", "brand rename: no such unit"),
    case("brand recover", lambda w: ["大连海员", "--confirm", "--by", CHECKER],
         "was not removed for fraud", "brand recover: not removed for fraud"),
    # funds and the ledger
    case("fund add", lambda w: [FUND, "again"], FUND, "fund add: the code exists"),
    case("fund appropriate", lambda w: ["NOFUND", "100", "--doc", "d", "--on", "2024-10-09"],
         "NOFUND", "fund appropriate: no such fund"),
    case("fund appropriate", lambda w: [FUND, "abc", "--doc", "d"], "abc",
         "fund appropriate: not an amount"),
    case("fund appropriate", lambda w: [FUND, "100", "--doc", "d", "--on", "2024-05-15"],
         "2024-05", "fund appropriate: into a closed month"),
    case("ledger close-period", lambda w: ["2024-13"], "2024-13", "ledger close-period: no month"),
    case("ledger reverse", lambda w: ["999999", "--reason", "x", "--by", "x"], "999999",
         "ledger reverse: no such entry"),
    case("ledger reverse", lambda w: ["1", "--reason", "x", "--by", "x", "--on", "2024-05-20"],
         "2024-05", "ledger reverse: into a closed month"),
    case("ledger statement", lambda w: ["9999"], "9999", "ledger statement: no such account"),
    # reports
    case("report notice", lambda w: ["B20990101-00001", "-o", w.folder / "n.pdf"], "no batch"),
    case("report register", lambda w: [w.rejected, "-o", w.folder / "r.pdf"], "rejected"),
    case("report execution", lambda w: ["--period", "2024-13", "-o", w.folder / "e.pdf"],
         "2024-13"),
    case("report plan", lambda w: [w.claims, "-o", w.folder / "p.pdf"], "expected a mapping", "report plan: not a scenario"),
    # commands that read no ledger: refused all the same, and the ledger untouched
    case("calc", lambda w: ["nowhere.program", w.claims, "-o", w.folder / "r.csv"],
         "unknown program"),
    case("show", lambda w: ["nowhere.program"], "unknown program"),
    case("template", lambda w: [GOJI, "-o", w.folder / "t.txt"], ".csv or .xlsx"),
    case("demo", lambda w: ["-o", w.folder], "not a demo folder"),
]  # fmt: skip
NO_DB = {"calc", "show", "template", "demo", "programs"}  # take no --db
CANNOT_BE_REFUSED = {
    "programs": "lists the programs (a bad --as-of is click's usage error, before any work)",
    "init": "creates or upgrades the schema: running it again is not a refusal",
    "serve": "starts the console; its routes' refusals are held by tests/console/test_routes.py",
    "fund list": "reads",
    "batch list": "reads (refused only without a schema, as every command is)",
    "audit": "reads",
    "ledger balances": "reads",
    "ledger trial-balance": "reads; exits 1 only for an unbalanced ledger",
    "ledger journal": "reads",
    "ledger verify": "reads; exits 1 only for a tampered ledger",
    "brand list": "reads",
    "payment files": "reads",
    "payment requests": "reads",
    "reconcile layouts": "lists the built-in layouts",
}


@pytest.mark.parametrize(("words", "args", "fragment"), CASES)
def test_a_refusal_changes_nothing(world: World, words, args, fragment, monkeypatch) -> None:
    monkeypatch.delenv(CALENDAR_ENV, raising=False)
    argv = [*words, *map(str, args(world))]
    if words[0] not in NO_DB:
        argv += ["--db", world.url]
    before = snapshot(world.url)
    files = sorted(world.folder.rglob("*"))
    result = CliRunner().invoke(main, argv)
    assert result.exit_code != 0, (argv, result.output)
    assert isinstance(result.exception, SystemExit), (argv, repr(result.exception))
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and lines[-1].startswith("错误："), (argv, result.stderr)
    assert fragment in lines[-1], (fragment, lines[-1])
    after = snapshot(world.url)
    assert after == before, f"{' '.join(words)} changed {changed_tables(before, after)}"
    assert sorted(world.folder.rglob("*")) == files, "a refused command wrote a file"


def _commands(group: click.Group, words: tuple[str, ...] = ()) -> Iterator[str]:
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, (*words, name))
        else:
            yield " ".join((*words, name))


def test_every_refusable_command_is_covered() -> None:
    covered = {" ".join(c.values[0]) for c in CASES}
    every = set(_commands(main))
    assert every - covered == set(CANNOT_BE_REFUSED), every - covered - set(CANNOT_BE_REFUSED)


def test_the_snapshot_sees_every_change(ledger) -> None:
    """The helper itself: a step that records something changes the snapshot, naming the table."""
    url = ledger.engine.url.render_as_string(hide_password=False)
    before = snapshot(url)
    assert snapshot(url) == before
    ledger.add_fund("QH2025", "2025 青海")
    after = snapshot(url)
    assert after != before and "funds" in changed_tables(before, after)
