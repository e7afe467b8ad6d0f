"""Claim-file builders, funded ledgers and book checks shared by the payout workflow tests.

Claims are written as the officer's CSV (UTF-8 with BOM, English headers, plus a 银行账号
column for the payee's account). Identity numbers are valid by construction
(:func:`resident_id`, :func:`credit_code`); :func:`goji_claims` makes any number of
eligible goji claims with distinct workers, vectorised with numpy.

Expected figures in these tests come from the policy documents and the README's readings
(50 元 per goji worker plus 50 元 for a 脱贫劳动力; 1,000 元 hiring bonus; 800 元 fare;
10,000 元 startup grant; Dalian 市级 50,000; Guangxi 1,000,000 / 100,000; 专精特新 at most
500,000), never from the code under test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import inspect, text

from ledgers import Kind, Ledger
from ledgers.chart import CASH, PAYABLE
from subsidies.domain.identity import (
    credit_code_check_character,
    resident_id_check_character,
)
from subsidies.domain.workdays import notice_ends
from subsidies.workflow import batches as wf
from subsidies.workflow import payment_requests as req
from subsidies.workflow.base import Officer
from subsidies.workflow.payments import Payment
from subsidies.workflow.tables import SEALED

FUND = "QH2024"
FUND_NAME = "2024 中央就业补助资金 青海"
APPROPRIATION_DOC = "青财社指〔2024〕12号"
APPROPRIATED_FEN = 50_000_000_00  # 50,000,000.00 元: every test batch fits
FUNDED_ON = dt.date(2024, 6, 3)
AS_OF = dt.date(2025, 6, 30)  # the decision date of the rule tests (tests/calculators)
GOJI_AS_OF = dt.date(2024, 12, 2)
# the office of tests/conftest.py (OFFICE): the workflow takes them as signed-in Officers
MAKER = Officer(2, "wang.maker", "王经办", frozenset({"clerk"}))
CHECKER = Officer(3, "li.checker", "李审核", frozenset({"checker"}))
PAYER = Officer(4, "zhao.cashier", "赵出纳", frozenset({"cashier"}))
RECONCILER = Officer(5, "sun", "孙对账", frozenset({"reconciler"}))
AUDITOR = Officer(6, "qian.auditor", "钱审计", frozenset({"auditor"}))
ADMIN = Officer(1, "admin", "吴管理", frozenset({"admin"}))
ACCOUNT = "银行账号"
REGION = "632801"  # 德令哈市

GOJI = "qinghai.goji_broker"
HIRING = "qinghai.hiring_bonus"
TRANSPORT = "qinghai.transport"
STARTUP = "qinghai.startup_grant"
SME = "qinghai.specialised_sme"
DALIAN = "dalian.brand_recognition"
GX_BASE = "guangxi.training_base"
GX_STUDIO = "guangxi.expert_studio"

# -- identity numbers ---------------------------------------------------------------


def resident_id(birth: str = "19900101", sequence: int = 1, region: str = REGION) -> str:
    first17 = f"{region}{birth}{sequence:03d}"
    return first17 + resident_id_check_character(first17)


_people = iter(range(1, 10**6))


def new_person() -> str:
    """A 身份证号 no other call returns (born 1970–1999, an adult for every program)."""
    n = next(_people)
    day = dt.date(1970, 1, 1) + dt.timedelta(days=n % 10_000)
    return resident_id(f"{day:%Y%m%d}", 500 + n // 10_000)


def wrong_check(number: str) -> str:
    """``number`` with another check character (invalid)."""
    return number[:-1] + ("1" if number[-1].upper() != "1" else "2")


def credit_code(n: int) -> str:
    first17 = f"91630100{n:09d}"
    return first17 + credit_code_check_character(first17)


def bank_account(n: int) -> str:
    return f"6217{n:015d}"


# -- one valid, eligible claim per program (the rule tests' bases) ---------------------

BASE_ROWS: dict[str, dict[str, str]] = {
    GOJI: {
        "broker_name": "马经纪",
        "broker_id": resident_id("19800505", 11),
        "worker_name": "李四",
        "worker_id": resident_id("19900101"),
        "worker_hukou": "青海",
        "farmer_herder": "是",
        "destination": "海西",
        "start_date": "2024-07-01",
        "end_date": "2024-08-31",
        "worker_group": "脱贫劳动力",
    },
    HIRING: {
        "employer_name": "青海高原劳务有限公司",
        "employer_credit_code": credit_code(1),
        "employer_type": "劳务品牌企业",
        "employee_name": "王五",
        "employee_id": resident_id("19900101"),
        "employee_group": "就业困难人员",
        "hired_on": "2024-03-01",
        "new_post": "是",
        "contract_signed": "是",
        "social_insurance_paid": "是",
        "graduated_on": "",
    },
    TRANSPORT: {
        "person_name": "才让",
        "person_id": resident_id("19880808"),
        "hukou_province": "青海",
        "person_group": "脱贫人口",
        "work_province": "江苏",
        "employed_from": "2024-03-01",
        "employed_until": "2024-05-31",
        "fare": "800",
    },
    STARTUP: {
        "founder_name": "韩梅",
        "founder_id": resident_id("19870707"),
        "brand_entrepreneur": "是",
        "business_name": "西宁青绣工坊",
        "credit_code": credit_code(11),
        "business_form": "小微企业",
        "registered_province": "青海",
        "licensed_on": "2023-03-15",
        "assessed_on": "2024-03-14",
        "operating_normally": "是",
    },
    SME: {
        "unit_name": "青海昆仑技工科技有限公司",
        "credit_code": credit_code(21),
        "brand_lead_enterprise": "是",
        "recognition": "省级专精特新",
        "requested_amount": "500000",
    },
    DALIAN: {
        "unit_name": "大连海员劳务有限公司",
        "credit_code": credit_code(41),
        "brand_name": "大连海员",
        "level": "市级",
        "recognized_on": "2023-06-01",
        "applied_on": "2022-09-01",  # by 30 September (三(四)3(1))
    },
    GX_BASE: {
        "unit_name": "柳州螺蛳粉职业培训学校",
        "credit_code": credit_code(51),
        "level": "自治区级",
        "recognized_on": "2022-06-30",
    },
    GX_STUDIO: {
        "unit_name": "柳州螺蛳粉职业培训学校",
        "credit_code": credit_code(51),
        "level": "自治区级",
        "recognized_on": "2022-06-30",
    },
}
# what BASE_ROWS[program] is paid, in fen (from the documents, see the module docstring)
BASE_FEN = {
    GOJI: 100_00,
    HIRING: 1_000_00,
    TRANSPORT: 800_00,
    STARTUP: 10_000_00,
    SME: 500_000_00,
    DALIAN: 50_000_00,
    GX_BASE: 1_000_000_00,
    GX_STUDIO: 100_000_00,
}

_accounts = iter(range(1, 10**9))


def claim(program: str, claim_id: str, **overrides: str) -> dict[str, str]:
    """The program's base claim under ``claim_id`` with overrides and a fresh 银行账号."""
    return {"claim_id": claim_id, **BASE_ROWS[program], ACCOUNT: bank_account(next(_accounts))} | {
        k: v for k, v in overrides.items()
    }


def write_claims(path: Path, rows: list[dict] | pd.DataFrame) -> Path:
    """The claims as the officer's CSV (UTF-8 with BOM), every cell text."""
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows, dtype=object)
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


# -- many goji claims, vectorised ----------------------------------------------------

_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)


def _ascii_rows(codes: np.ndarray) -> np.ndarray:
    """An (n, width) uint8 array of ASCII as an object array of str, in one decode."""
    n, width = codes.shape
    lines = np.empty((n, width + 1), dtype=np.uint8)
    lines[:, :width] = codes
    lines[:, width] = ord("\n")
    return np.array(lines.tobytes().decode("ascii").split("\n")[:n], dtype=object)


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (np.asarray(values, dtype=np.int64)[:, None] // powers) % 10


def resident_ids(numbers: np.ndarray, region: int = 632801) -> np.ndarray:
    """Distinct valid 身份证号, one per distinct number in ``numbers`` (< 10,957,000).

    Number k is born on 1970-01-01 + (k mod 10,957) days and has sequence k div 10,957, so
    distinct numbers give distinct ids, all adults in 2024 and born before 2000.
    """
    numbers = np.asarray(numbers, dtype=np.int64)
    born = np.datetime64("1970-01-01") + (numbers % 10_957).astype("timedelta64[D]")
    years = born.astype("datetime64[Y]").astype(np.int64) + 1970
    months = born.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (born - born.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    first17 = np.concatenate(
        [
            _digits(np.full(len(numbers), region), 6),
            _digits(years * 10_000 + months * 100 + days, 8),
            _digits(numbers // 10_957, 3),
        ],
        axis=1,
    )
    codes = np.empty((len(numbers), 18), dtype=np.uint8)
    codes[:, :17] = first17 + ord("0")
    codes[:, 17] = _ID_CHECK[(first17 @ _ID_WEIGHTS) % 11]
    return _ascii_rows(codes)


def goji_claims(
    n: int,
    *,
    seed: int = 2024,
    prefix: str = "GJ",
    first_worker: int = 0,
    start: str = "2024-07-01",
    end: str = "2024-08-31",
) -> tuple[pd.DataFrame, int]:
    """``n`` eligible goji claims with distinct workers, and their total in fen.

    Workers are numbers ``first_worker ..`` (see :func:`resident_ids`); a broker per 50
    claims; a third of the workers are 脱贫劳动力 (50 + 50 元), the rest 其他 (50 元). The
    period (2 months, in 海西) makes every claim eligible.
    """
    rng = np.random.default_rng(seed)
    workers = np.arange(first_worker, first_worker + n)
    brokers = max(1, n // 50)
    broker_ids = resident_ids(np.arange(brokers) + 5_000_000, region=632802)
    broker_of = np.sort(rng.integers(0, brokers, n))
    poor = rng.random(n) < 1 / 3
    width = max(7, len(str(n)))
    serial = (_digits(np.arange(1, n + 1), width) + ord("0")).astype(np.uint8)
    prefix_codes = np.frombuffer(f"{prefix}-".encode(), dtype=np.uint8)
    claim_ids = _ascii_rows(np.concatenate([np.tile(prefix_codes, (n, 1)), serial], axis=1))
    accounts = _ascii_rows(
        (_digits(np.arange(n) + 6217_0000_0000_0000, 16) + ord("0")).astype(np.uint8)
    )
    frame = pd.DataFrame(
        {
            "claim_id": claim_ids,
            "broker_name": np.array(["马经纪", "韩经纪", "冶经纪"], dtype=object)[broker_of % 3],
            "broker_id": broker_ids[broker_of],
            "worker_name": np.array(["李四", "卓玛", "才让", "马丽"], dtype=object)[workers % 4],
            "worker_id": resident_ids(workers),
            "worker_hukou": "青海",
            "farmer_herder": "是",
            "destination": "格尔木市",
            "start_date": start,
            "end_date": end,
            "worker_group": np.where(poor, "脱贫劳动力", "其他").astype(object),
            ACCOUNT: accounts,
        }
    )
    return frame, int(n * 50_00 + poor.sum() * 50_00)


# -- ledgers ---------------------------------------------------------------------------


def fund_ledger(led: Ledger, fen: int = APPROPRIATED_FEN, fund: str = FUND) -> Ledger:
    led.add_fund(fund, FUND_NAME, year=2024, level="中央", region="青海")
    led.appropriate(fund, fen, doc=APPROPRIATION_DOC, on=FUNDED_ON, by="finance.bureau")
    return led


def submit_rows(
    led: Ledger,
    path_or_rows: Path | list[dict],
    program: str,
    *,
    tmp: Path | None = None,
    by: Officer = MAKER,
    as_of: dt.date = AS_OF,
    notice_days: int | None = None,
    fund: str = FUND,
) -> tuple[wf.Batch, pd.DataFrame]:
    """Submit as ``by``; the notice is the program's minimum unless ``notice_days`` says more."""
    path = path_or_rows
    if not isinstance(path, Path):
        assert tmp is not None
        path = write_claims(tmp / f"{program}-{len(list(tmp.iterdir()))}.csv", path_or_rows)
    return wf.submit(
        led, program, path, fund_code=fund, by=by, as_of=as_of, notice_days=notice_days
    )


def approved_batch(
    led: Ledger, rows: list[dict], program: str, tmp: Path, **submit: object
) -> wf.Batch:
    """Submit by MAKER and approve by CHECKER the day after the as-of date, or, where the
    program requires a notice (Dalian), publish it on the as-of date and approve the day after
    it ends."""
    batch, _ = submit_rows(led, rows, program, tmp=tmp, **submit)
    approve_on = max(AS_OF + dt.timedelta(days=1), noticed(led, batch))
    batch, _ = wf.approve(led, batch.code, by=CHECKER, on=approve_on)
    return batch


def return_by_hand(
    led: Ledger, reference: str, *, reason: str = "账户冻结", on: dt.date | None = None
) -> Payment:
    """A return recorded by hand by the cashier (PAYER), approved by CHECKER (maker–checker)."""
    req.request_return(led, reference, reason=reason, by=PAYER, on=on)
    return req.approve_request(led, reference, by=CHECKER, on=on)[1]


def reissue_approved(
    led: Ledger, reference: str, account: str, *, on: dt.date | None = None
) -> Payment:
    """A reissue to another account, requested by PAYER and approved by CHECKER."""
    req.request_reissue(led, reference, account=account, by=PAYER, on=on)
    return req.approve_request(led, reference, by=CHECKER, on=on)[1]


def noticed(led: Ledger, batch: wf.Batch) -> dt.date:
    """Publish the batch's notice on its as-of date, if it has one; the first day it may be
    approved (the day after the notice ends, or its as-of date)."""
    if not batch.notice_days:
        return batch.as_of
    wf.publish_notice(led, batch.code, on=batch.as_of, by=MAKER)
    return notice_ends(batch.as_of, batch.notice_days) + dt.timedelta(days=1)


def statuses(result: pd.DataFrame) -> dict[str, str]:
    return dict(zip(result["claim_id"], result["status"], strict=True))


# -- the books -------------------------------------------------------------------------


def db_state(led: Ledger) -> dict[str, list[tuple]]:
    """Every row of every table (ledger, workflow, registers, audit log), as stored."""
    state = {}
    with led.engine.connect() as conn:
        for table in sorted(inspect(conn).get_table_names()):
            rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
            state[table] = sorted((tuple(r) for r in rows), key=repr)
    return state


def entry_count(led: Ledger, kind: Kind, like: str = "%") -> int:
    with led.engine.connect() as conn:
        return conn.execute(
            text("SELECT COUNT(*) FROM entries WHERE kind = :k AND key LIKE :like"),
            {"k": kind.value, "like": like},
        ).scalar_one()


def posting_sum(led: Ledger, account: str, fund: str, kind: Kind | None = None) -> tuple[int, int]:
    """(debit, credit) summed from the postings of ``account`` (and its sub-accounts)."""
    sql = (
        "SELECT COALESCE(SUM(p.debit), 0), COALESCE(SUM(p.credit), 0) FROM postings p "
        "JOIN entries e ON e.id = p.entry_id WHERE (p.account = :a OR p.account LIKE :sub) "
        "AND p.fund = :f"
    )
    params = {"a": account, "sub": f"{account}.%", "f": fund}
    if kind is not None:
        sql += " AND e.kind = :k"
        params["k"] = kind.value
    with led.engine.connect() as conn:
        dr, cr = conn.execute(text(sql), params).one()
    return int(dr), int(cr)


def check_books(led: Ledger) -> None:
    """The ledger's invariants: the chain and balances verify, each track balances, every
    stored figure (balance, trial balance, available) equals the sum of its postings."""
    result = led.verify(SEALED)  # the journal, and every sealed table's chain
    assert result.ok, result.problems
    trial = led.trial_balance()
    assert trial.balanced, trial
    for track in ("financial", "budget"):
        dr, cr, dr_bal, cr_bal = trial.totals(track)
        assert dr == cr and dr_bal == cr_bal, (track, dr, cr, dr_bal, cr_bal)
    with led.engine.connect() as conn:
        summed = {
            (r[0], r[1]): (int(r[2]), int(r[3]))
            for r in conn.execute(
                text(
                    "SELECT account, fund, SUM(debit), SUM(credit) FROM postings GROUP BY account, fund"
                )
            )
        }
        per_account = {
            r[0]: (int(r[1]), int(r[2]))
            for r in conn.execute(
                text("SELECT account, SUM(debit), SUM(credit) FROM postings GROUP BY account")
            )
        }
    stored = {(r.account, r.fund): (r.debit_total, r.credit_total) for r in led.balances()}
    assert {k: v for k, v in stored.items() if v != (0, 0)} == summed
    for row in trial.rows:
        if row.level == 1:
            assert (row.debit_total, row.credit_total) == per_account[row.code]
        else:
            subs = [
                v
                for code, v in per_account.items()
                if code == row.code or code.startswith(f"{row.code}.")
            ]
            assert (row.debit_total, row.credit_total) == tuple(map(sum, zip(*subs, strict=True)))
    for fund in {f for _, f in summed}:
        cash_dr, cash_cr = summed.get((CASH, fund), (0, 0))
        pay_dr, pay_cr = summed.get((PAYABLE, fund), (0, 0))
        assert led.available(fund) == (cash_dr - cash_cr) - (pay_cr - pay_dr)
        assert led.balance(PAYABLE, fund) == pay_cr - pay_dr
        assert led.balance(CASH, fund) == cash_dr - cash_cr


def refusal_only(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[tuple]:
    """Assert that between two :func:`db_state` snapshots only the audit log changed, by one
    ``refused`` line (a step refused for lack of a role leaves that trace, nothing else);
    returns the line."""
    changed = {t for t in after if after[t] != before.get(t)}
    # the audit log's seal head (ledgers/seals.py) moves with the line it seals
    assert changed - {"seals"} == {"audit_log"}, changed
    moved = {row for row in after.get("seals", []) if row not in before.get("seals", [])}
    assert {row[0] for row in moved} <= {"audit_log"}, moved
    new = [row for row in after["audit_log"] if row not in before["audit_log"]]
    assert len(new) == 1 and "refused" in new[0], new
    return new[0]
