"""An office and its ledger for the console's tests.

``build`` makes, through the workflow functions and as the office's officers: fund QH2024;
batch ``paid`` of three transport claims (one claimant named ``<script>alert(1)</script>``)
approved and disbursed, a bank statement that settles one payment, returns one and has a
line matching nothing (an exception), and a return by hand of the third payment awaiting a
second officer; batch ``waiting`` submitted with a 公示 of 5 working days, not yet published;
a city brand (``BRAND``) registered by the clerk.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import MetaData, create_engine, select
from starlette.testclient import TestClient
from workflow_helpers import TRANSPORT, claim, credit_code, new_person, write_claims

from ledgers import Ledger
from subsidies import brands as lifecycle
from subsidies.console.app import create_app
from subsidies.console.settings import Settings
from subsidies.domain.money import format_yuan
from subsidies.workflow import batches as wf
from subsidies.workflow import brands_store, officers, payfiles
from subsidies.workflow import payment_requests as req
from subsidies.workflow import payments as pay
from subsidies.workflow import reconcile as recon
from subsidies.workflow.statements import load_layout

FUND = "QH2024"
AS_OF = dt.date(2024, 6, 28)  # a Friday; the transport claims end 2024-05-31
SCRIPT = "<script>alert(1)</script>"
BRAND = lifecycle.Brand("青海某劳务公司", credit_code(7), "青海拉面", "city", dt.date(2023, 5, 1))
OFFICERS = {  # role -> (username, name); every password is password(username)
    "admin": ("guan", "管理员老关"),
    "clerk": ("zhang", "张会计"),
    "checker": ("li", "李科长"),
    "cashier": ("wang", "王出纳"),
    "reconciler": ("zhao", "赵对账"),
    "auditor": ("shen", "沈审计"),
}


def password(username: str) -> str:
    """A password of the office's length that does not contain the username."""
    return f"Console-2024-{username[::-1]}!"


def office(led: Ledger) -> None:
    """One officer per role in the ledger, each past the first sign-in's password change."""
    admin_name, admin = OFFICERS["admin"][1], OFFICERS["admin"][0]
    first = officers.first_administrator(led, admin, admin_name, password(admin))
    for role, (username, name) in OFFICERS.items():
        if role != "admin":
            officers.add_officer(
                led, username, name, "initial-" + password(username), [role], by=first
            )
            officers.set_password(
                led, username, password(username), by=officers.find(led, username),
                old="initial-" + password(username),
            )  # fmt: skip


def by(role: str) -> str:
    return OFFICERS[role][0]


@dataclass
class World:
    url: str
    folder: Path
    paid: str
    waiting: str
    pending: str  # a payment of ``paid`` with a return by hand awaiting approval
    returned: str
    file_id: int
    exception_line: int
    claims: Path  # a valid transport claims file
    brand_id: int


def _statement(path: Path, lines: list[tuple]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["交易日期", "流水号", "摘要", "收款人", "账号", "金额", "状态", "备注"])
        writer.writerows(lines)
    return path


def build(url: str, folder: Path) -> World:
    led = Ledger.connect(url)
    try:
        led.upgrade()
        office(led)
        signed = {role: officers.find(led, by(role)) for role in OFFICERS}
        led.add_fund(FUND, "2024 中央就业补助资金 青海", year=2024, level="中央", region="青海")
        led.appropriate(FUND, 1_000_000_00, doc="青财社〔2024〕12号", on=AS_OF, by=by("admin"))
        rows = [
            claim(TRANSPORT, "T-1", person_id=new_person(), person_name=SCRIPT),
            claim(TRANSPORT, "T-2", person_id=new_person()),
            claim(TRANSPORT, "T-3", person_id=new_person()),
        ]
        claims = write_claims(folder / "paid.csv", rows)
        paid = wf.submit(led, TRANSPORT, claims, fund_code=FUND, by=signed["clerk"], as_of=AS_OF)[
            0
        ].code
        wf.approve(led, paid, by=signed["checker"], on=AS_OF)
        payfiles.send(led, paid, folder / "bank.csv", payfiles.Options(), by=signed["cashier"])
        one, two, three = pay.batch_payments(led, paid)
        day = AS_OF + dt.timedelta(days=3)
        statement = _statement(
            folder / "statement.csv",
            [
                (day.isoformat(), "S1", one.reference, one.payee_name, one.account,
                 format_yuan(one.amount_fen), "成功", ""),
                (day.isoformat(), "S2", two.reference, two.payee_name, two.account,
                 format_yuan(two.amount_fen), "失败", "账户已销户"),
                (day.isoformat(), "S3", "", "未知收款人", "6217000000001234", "880.00", "成功", ""),
            ],
        )  # fmt: skip
        recon.reconcile(led, statement, load_layout("bank-cn"), by=signed["reconciler"])
        req.request_return(led, three.reference, reason="银行电话告知退票", by=signed["cashier"])
        exceptions = recon.open_exceptions(led)
        line = int(exceptions["line_id"].dropna().iloc[0])
        more = [claim(TRANSPORT, f"W-{i}", person_id=new_person()) for i in range(2)]
        waiting = wf.submit(
            led, TRANSPORT, write_claims(folder / "waiting.csv", more), fund_code=FUND,
            by=signed["clerk"], as_of=AS_OF, notice_days=5,
        )[0].code  # fmt: skip
        file_id = payfiles.files(led, paid)[0].id
        brand_id = brands_store.add(led, BRAND, by=signed["clerk"]).id
    finally:
        led.close()
    fresh = [claim(TRANSPORT, f"N-{i}", person_id=new_person()) for i in range(3)]
    return World(
        url, folder, paid, waiting, three.reference, two.reference, file_id, line,
        write_claims(folder / "fresh.csv", fresh), brand_id,
    )  # fmt: skip


def app_for(world: World, **settings):
    return create_app(Settings(db=world.url, files=world.folder / "files", **settings))


CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    return CSRF.search(html).group(1)


def signed_in(app, role: str) -> TestClient:
    client = TestClient(app, follow_redirects=False)
    username = by(role)
    token = csrf_of(client.get("/signin").text)
    response = client.post(
        "/signin", data={"csrf": token, "username": username, "password": password(username)}
    )
    assert response.status_code == 303, response.text
    return client


REFUSED = re.compile(r"^audit_log: \(\d+, [^\n]*'refused'[^\n]*\n?", re.M)
# the audit log's seal head (ledgers/seals.py) moves with each refused line it seals
AUDIT_SEAL = re.compile(r"^seals: \('audit_log', [^\n]*\n?", re.M)


def refusals(shot: bytes) -> int:
    """The audit log's ``refused`` lines: the one trace a refusal for lack of a role leaves."""
    return len(REFUSED.findall(shot.decode()))


def without_refusals(shot: bytes) -> bytes:
    return AUDIT_SEAL.sub("", REFUSED.sub("", shot.decode())).encode()


def snapshot(url: str) -> bytes:
    """Every row of every table, ordered, as bytes (as tests/workflow/test_refusals_change_nothing)."""
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
        return "\n".join(lines).encode()
    finally:
        engine.dispose()
