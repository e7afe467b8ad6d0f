"""Every refusal changes nothing (issue #18): every command of ``subsidies --help`` that can
be refused, run in a situation that refuses it, exits non-zero with a one-line ``错误：…`` (``Error: …`` in English)
saying why, and leaves every row of every table of the database byte-identical, on SQLite
and PostgreSQL.

One ledger per backend is built once (funds, batches in every state, payments pending,
settled, returned and reissued, a recovery, a brand, a bank statement with an exception, a
closed month); the cases then run against it one after another. Since a refusal changes
nothing, each case finds the ledger as the setup left it, and a case that changes it fails
there, naming the tables it changed.

Each case runs signed in as an officer whose role allows the step (issue #15), so what
refuses it is the situation. Two refusals are meant to leave a trace and are tested where
they are: a step refused for want of a role writes one ``refused`` line to the audit log
and nothing else (``test_roles.py``), and a wrong password is a recorded sign-in attempt
(``test_officers.py``).

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
    ADMIN,
    CHECKER,
    DALIAN,
    GOJI,
    HIRING,
    MAKER,
    PAYER,
    RECONCILER,
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
from subsidies.workflow import brands_store, officers, payfiles
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


def build(url: str, folder: Path, as_officer) -> World:
    """The ledger the refusals run against (by the workflow's own functions), with the test
    office signed in (wang.maker also holds 审核, so that approving their own batch is
    refused by maker–checker, not for want of the role)."""
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
        recon.reconcile(led, statement, load_layout("default"), by=RECONCILER, as_of=NEXT)
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
            by=MAKER,
        )
        as_officer(url)
        officers.grant(led, MAKER.username, ["checker"], by=officers.find(led, "admin"))
    finally:
        led.close()
    (folder / "wrong.pw").write_text("not-the-password-1\n", encoding="utf-8")
    (folder / "new.pw").write_text("another-long-password-2\n", encoding="utf-8")
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
def world(request, tmp_path_factory, as_officer) -> Iterator[World]:
    folder = tmp_path_factory.mktemp(f"refusals-{request.param}")
    if request.param == "sqlite":
        yield build(f"sqlite:///{folder / 'ledger.db'}", folder, as_officer)
        return
    admin = request.getfixturevalue("pg_admin")
    schema = f"test_{uuid.uuid4().hex[:16]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = admin.url.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield build(url.render_as_string(hide_password=False), folder, as_officer)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


# -- the cases: (command words, arguments from the world, a fragment of the refusal) ------


NOBODY = "(a token no sign-in gave)"


def case(words: str, args, fragment: str, name: str = "", by=None):
    """A refused command line, run signed in as ``by`` (default chief, every role)."""
    return pytest.param(words.split(), args, fragment, by, id=name or words)


CASES = [
    # batches
    case("batch submit", lambda w: [GOJI, w.claims, "--fund", "NOFUND"],
         "没有资金 NOFUND", "batch submit: no such fund", by=MAKER),
    case("batch submit", lambda w: [DALIAN, w.folder / "noticed.csv", "--fund", DL, "--notice-days", "1", "--as-of", "2024-10-08"],
         "公示期不得少于 5 个工作日", "batch submit: a notice shorter than the document's", by=MAKER),
    case("batch submit", lambda w: ["nowhere.program", w.claims, "--fund", FUND],
         "没有项目", "batch submit: unknown program", by=MAKER),
    case("batch submit", lambda w: [GOJI, w.folder / "missing.csv", "--fund", FUND],
         "找不到文件", "batch submit: no file", by=MAKER),
    case("batch submit", lambda w: ["qinghai.guarantee_loan", w.claims, "--fund", FUND], "不是补贴发放", "batch submit: not a payout", by=MAKER),
    case("batch submit", lambda w: [GOJI, w.claims, "--fund", FUND, "--by", "li.checker"],
         "--by 已取消", "batch submit: --by is refused, with how to sign in", by=MAKER),
    case("batch submit", lambda w: [GOJI, w.folder / "statement.csv", "--fund", FUND], "缺少必填列", "batch submit: not a claims file", by=MAKER),
    case("batch submit", lambda w: [GOJI, w.claims, "--fund", FUND, "-o",
                                    w.folder / "no folder" / "decisions.csv"], "no folder",
         "batch submit: decisions file in no folder", by=MAKER),
    case("batch notice", lambda w: [w.noticed, "-o", w.folder / "n.pdf", "--on", "2024-10-08"],
         "再次发布的日期不能更早", "batch notice: earlier than the one published"),
    case("batch notice", lambda w: [w.unnoticed, "-o", w.folder / "n.pdf", "--on", "2024-10-07"],
         "早于批次的判定基准日", "batch notice: before the as-of date"),
    case("batch notice", lambda w: [w.year_end, "-o", w.folder / "n.pdf", "--on",
                                    f"{PUBLISHED_THROUGH}-12-28"],
         "节假日安排", "batch notice: into a year the calendar does not know"),
    case("batch notice", lambda w: [w.submitted, "-o", w.folder / "n.pdf"], "没有需要发布的公示",
         "batch notice: a batch without a notice period"),
    case("batch notice", lambda w: [w.paid, "-o", w.folder / "n.pdf"], "已审核通过",
         "batch notice: approved batch"),
    case("batch notice", lambda w: [w.unnoticed, "-o", w.folder / "n.txt"], "公示只能写成 .xlsx 或 .pdf",
         "batch notice: not a .pdf or .xlsx"),
    case("batch notice", lambda w: [w.unnoticed, "-o", w.folder / "no folder" / "n.pdf", "--on",
                                    "2024-10-09"], "no folder", "batch notice: in no folder"),
    case("batch notice", lambda w: ["B20990101-00001", "-o", w.folder / "n.pdf"], "没有批次 B20990101-00001",
         "batch notice: no such batch"),
    case("batch approve", lambda w: [w.submitted, "--on", "2024-10-09"],
         "经办与审核分离", "batch approve: by its maker", by=MAKER),
    case("batch approve", lambda w: [w.noticed, "--on", "2024-10-10"],
         "起方可审核通过", "batch approve: before the notice ends", by=CHECKER),
    case("batch approve", lambda w: [w.unnoticed, "--on", "2024-10-30"],
         "尚未发布公示", "batch approve: no notice", by=CHECKER),
    case("batch approve", lambda w: [w.submitted, "--on", "2024-10-07"],
         "早于批次的判定基准日", "batch approve: before the as-of date", by=CHECKER),
    case("batch approve", lambda w: [w.paid, "--on", "2024-10-09"],
         "审核通过；未重复记账", "batch approve: approved", by=CHECKER),
    case("batch approve", lambda w: [w.rejected, "--on", "2024-10-09"],
         "已退回；请将更正后的申报作为新批次提交", "batch approve: rejected", by=CHECKER),
    case("batch approve", lambda w: [w.overdrawn, "--on", "2024-10-09"],
         "；未记账", "batch approve: overdraft", by=CHECKER),
    case("batch approve", lambda w: [w.clashing, "--on", "2024-10-09"],
         "已在其他批次审核通过", "batch approve: a key approved since", by=CHECKER),
    case("batch reject", lambda w: [w.paid, "--reason", "x"], "已审核通过",
         "batch reject: approved", by=CHECKER),
    case("batch reject", lambda w: [w.submitted, "--reason", " "], "退回须填写理由",
         "batch reject: no reason", by=CHECKER),
    case("batch reject", lambda w: [w.submitted, "--reason", "x", "--on",
                                    "2024-10-07"], "早于批次的判定基准日",
         "batch reject: before the as-of date", by=CHECKER),
    case("batch reject", lambda w: [w.noticed, "--reason", "x", "--on",
                                    "2024-10-08"], "早于公示发布日期",
         "batch reject: before the notice", by=CHECKER),
    case("batch show", lambda w: ["B20990101-00001"], "没有批次 B20990101-00001"),
    # disbursement and payments
    case("disburse", lambda w: [w.submitted, "-o", w.folder / "p.csv"],
         "只有审核通过的批次才能支付", "disburse: not approved", by=PAYER),
    case("disburse", lambda w: [w.rejected, "-o", w.folder / "p.csv"],
         "已退回：只有审核通过的批次才能支付", "disburse: rejected", by=PAYER),
    case("disburse", lambda w: [w.paid, "-o", w.folder / "p.csv"],
         "已支付：其付款见", "disburse: again", by=PAYER),
    case("disburse", lambda w: [w.no_account, "-o", w.folder / "p.csv"],
         "没有收款账号", "disburse: no accounts", by=PAYER),
    case("disburse", lambda w: [w.no_account, "-o", w.folder / "p.txt"],
         "付款文件须为 .csv 或 .xlsx", "disburse: not a .csv or .xlsx", by=PAYER),
    case("disburse", lambda w: [w.no_account, "--accounts", w.folder /
                                "accounts.csv", "-o", w.folder / "no folder" / "p.csv"],
         "no folder", "disburse: bank file in no folder", by=PAYER),
    case("payment list", lambda w: ["B20990101-00001"], "没有批次 B20990101-00001"),
    case("payment return", lambda w: [w.settled, "--reason", "x"], "已到账；只有已发送银行的付款才能退票",
         "payment return: settled", by=PAYER),
    case("payment return", lambda w: [w.returned, "--reason", "x"], "已退票；只有已发送银行的付款才能退票",
         "payment return: returned", by=PAYER),
    case("payment return", lambda w: ["SL000", "--reason", "x"], "没有支付编号 'SL000'",
         "payment return: no such payment", by=PAYER),
    case("payment reissue", lambda w: [w.pending_payment, "--account", "6217"],
         "已发送银行；只有已退票的付款才能重新支付", "payment reissue: not returned", by=PAYER),
    case("payment reissue", lambda w: [w.returned, "--account", "6217"],
         "已重新支付为", "payment reissue: reissued already", by=PAYER),
    case("payment reissue", lambda w: [w.returned, "--account", "6217", "-o",
                                       w.folder / "r.txt"], "付款文件须为 .csv 或 .xlsx",
         "payment reissue: not a .csv or .xlsx", by=PAYER),
    case("payment approve", lambda w: [w.pending_payment],
         "没有待复核的申请", "payment approve: nothing requested", by=CHECKER),
    case("payment reject", lambda w: [w.pending_payment, "--reason", "x"],
         "没有待复核的申请", "payment reject: nothing requested", by=CHECKER),
    case("payment file", lambda w: [w.submitted, "--reprint", "-o",
                                    w.folder / "copy.csv"], "没有可重印的付款文件",
         "payment file: nothing to reprint", by=PAYER),
    case("payment settle", lambda w: [w.returned], "已退票",
         "payment settle: returned", by=PAYER),
    case("payment settle", lambda w: ["SL000"], "没有支付编号 'SL000'",
         "payment settle: no such payment", by=PAYER),
    case("recover", lambda w: ["HB-1", "--reason", "x"], "申请 HB-1 没有支付记录",
         "recover: nothing paid", by=CHECKER),
    case("recover", lambda w: [w.recovered_claim, "--reason", "x"], "已追回",
         "recover: raised already", by=CHECKER),
    case("recover", lambda w: [w.recovered_claim, "--reason", " "], "追回须填写理由",
         "recover: no reason", by=CHECKER),
    case("repay", lambda w: [w.recovered_claim, "abc"], "abc", "repay: not an amount", by=PAYER),
    case("repay", lambda w: [w.recovered_claim, "1000"], "须在 0.01 元 与欠款",
         "repay: more than owed", by=PAYER),
    case("repay", lambda w: ["PG-3", "10"], "没有欠款",
         "repay: nothing owed", by=PAYER),
    case("explain", lambda w: ["NOTHING"], "没有支付编号或申请编号 'NOTHING'"),
    # reconciliation
    case("reconcile statement", lambda w: [w.folder / "missing.csv"],
         "找不到文件", "reconcile statement: no file", by="sun"),
    case("reconcile statement", lambda w: [w.folder / "statement.csv", "--layout", "swift"], "没有对账单格式 'swift'",
         "reconcile statement: unknown layout", by="sun"),
    case("reconcile statement", lambda w: [w.claims], "缺少列",
         "reconcile statement: not a statement", by="sun"),
    case("reconcile resolve", lambda w: ["999999", w.pending_payment, "--reason", "x"], "没有对账单明细 999999",
         "reconcile resolve: no such line", by="sun"),
    case("reconcile resolve", lambda w: [str(w.exception_line), w.settled, "--reason", "x"], "已到账",
         "reconcile resolve: a settled payment", by="sun"),
    case("reconcile report", lambda w: ["-o", w.folder / "r.doc"], "'.doc'",
         "reconcile report: unknown format"),
    # brands
    case("brand add", lambda w: ["大连海员劳务有限公司", "91210200BAD", "大连海员", "--recognised-on",
                                 "2023-06-01"], "91210200BAD",
         "brand add: a bad credit code", by=MAKER),
    case("brand add", lambda w: ["大连海员劳务有限公司", credit_code(41), "大连海员", "--recognised-on",
                                 "2022-01-01"], "已按不同信息登记",
         "brand add: registered differently", by=MAKER),
    case("brand event", lambda w: ["大连海员", "restored", "--on", "2024-10-09"],
         "只有被暂停的品牌才能恢复", "brand event: out of order", by=MAKER),
    case("brand event", lambda w: ["没有的品牌", "annual_report", "--on", "2024-10-09"], "有 0 个品牌与 没有的品牌 相符", "brand event: no such brand", by=MAKER),
    case("brand show", lambda w: ["没有的品牌"], "有 0 个品牌与 没有的品牌 相符"),
    case("brand rename", lambda w: [credit_code(42), "新名称", "--reason", "工商变更"], "没有统一社会信用代码为", "brand rename: no such unit", by=MAKER),
    case("brand recover", lambda w: ["大连海员", "--confirm"],
         "不是因弄虚作假被移出目录", "brand recover: not removed for fraud", by=CHECKER),
    # funds and the ledger
    case("fund add", lambda w: [FUND, "again"], FUND, "fund add: the code exists"),
    case("fund appropriate", lambda w: ["NOFUND", "100", "--doc", "d", "--on", "2024-10-09"],
         "NOFUND", "fund appropriate: no such fund"),
    case("fund appropriate", lambda w: [FUND, "abc", "--doc", "d"], "abc",
         "fund appropriate: not an amount"),
    case("fund appropriate", lambda w: [FUND, "100", "--doc", "d", "--on", "2024-05-15"],
         "2024-05", "fund appropriate: into a closed month"),
    case("ledger close-period", lambda w: ["2024-13"], "2024-13", "ledger close-period: no month"),
    case("ledger anchor", lambda w: ["-o", w.folder / "no-such-folder" / "anchor.json"],
         "无法写入锚点", "ledger anchor: no such folder", by=ADMIN),
    case("ledger reverse", lambda w: ["999999", "--reason", "x"], "999999",
         "ledger reverse: no such entry", by=ADMIN),
    case("ledger reverse", lambda w: ["1", "--reason", "x", "--on", "2024-05-20"],
         "2024-05", "ledger reverse: into a closed month", by=ADMIN),
    case("ledger statement", lambda w: ["9999"], "9999", "ledger statement: no such account"),
    # reports
    case("report notice", lambda w: ["B20990101-00001", "-o", w.folder / "n.pdf"], "没有批次 B20990101-00001"),
    case("report register", lambda w: [w.rejected, "-o", w.folder / "r.pdf"], "已退回：不从中支付"),
    case("report execution", lambda w: ["--period", "2024-13", "-o", w.folder / "e.pdf"],
         "2024-13"),
    case("report plan", lambda w: [w.claims, "-o", w.folder / "p.pdf"], "expected a mapping", "report plan: not a scenario"),
    # officers (a wrong password is not among them: every sign-in attempt is recorded)
    case("login", lambda w: ["chief", "--password-file", w.folder / "missing.pw"],
         "missing.pw", "login: no password file"),
    case("whoami", lambda w: [], "未登录", "whoami: not signed in", by=NOBODY),
    case("batch list", lambda w: [], "未登录", "a read signed out", by=NOBODY),
    case("passwd", lambda w: ["--password-file", w.folder / "wrong.pw", "--new-password-file",
                              w.folder / "new.pw"], "原密码不正确"),
    case("user add", lambda w: ["chief", "--name", "另一个", "--role", "clerk",
                                "--password-file", w.folder / "new.pw"], "已存在", by=ADMIN),
    case("user roles", lambda w: ["li.checker", "--grant", "boss"], "没有角色 boss", by=ADMIN),
    case("user disable", lambda w: ["nobody"], "没有用户", by=ADMIN),
    case("user passwd", lambda w: ["nobody", "--password-file", w.folder / "new.pw"],
         "没有用户", by=ADMIN),
    case("setting", lambda w: ["session_hours", "0"], "正整数", by=ADMIN),
    # commands that read no ledger: refused all the same, and the ledger untouched
    case("calc", lambda w: ["nowhere.program", w.claims, "-o", w.folder / "r.csv"],
         "没有项目"),
    case("show", lambda w: ["nowhere.program"], "没有项目"),
    case("template", lambda w: [GOJI, "-o", w.folder / "t.txt"], ".csv or .xlsx"),
    case("demo", lambda w: ["-o", w.folder], "not a demo folder"),
]  # fmt: skip
NO_DB = {"calc", "show", "template", "demo", "programs"}  # take no --db
CANNOT_BE_REFUSED = {
    "programs": "lists the programs (a bad --as-of is click's usage error, before any work)",
    "init": "creates or upgrades the schema: running it again is not a refusal",
    "fund list": "reads",
    "audit": "reads",
    "ledger balances": "reads",
    "ledger trial-balance": "reads; exits 1 only for an unbalanced ledger",
    "ledger journal": "reads",
    "ledger verify": "reads; exits 1 only for a tampered ledger",
    "brand list": "reads",
    "payment files": "reads",
    "payment requests": "reads",
    "reconcile layouts": "lists the built-in layouts",
    "logout": "ends the session if there is one (none is not a refusal)",
    "user list": "reads",
    "permissions": "prints the permission table",
    "serve": "starts the browser console (its routes' refusals are tests/console's)",
}


@pytest.mark.parametrize(("words", "args", "fragment", "by"), CASES)
def test_a_refusal_changes_nothing(
    world: World, words, args, fragment, by, monkeypatch, as_officer
) -> None:
    monkeypatch.delenv(CALENDAR_ENV, raising=False)
    argv = [*words, *map(str, args(world))]
    env = {}
    if words[0] not in NO_DB:
        argv += ["--db", world.url]
        env = {"SUBSIDIES_TOKEN": NOBODY} if by == NOBODY else as_officer(world.url, by)
    before = snapshot(world.url)
    files = sorted(world.folder.rglob("*"))
    result = CliRunner().invoke(main, argv, env=env)
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
