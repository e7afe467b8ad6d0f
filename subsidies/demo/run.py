"""``subsidies demo``: the whole job on a fresh embedded ledger, in under a minute.

Funds and appropriations → brands in the registry (one suspended) → claim files for
every program, as officers keep them, with the usual mix (eligible, ineligible, bad
ids, duplicates within a file and across batches) → batches submitted by one officer,
publicly noticed, approved by another after the notice period → payments to the bank →
a bank statement with returns, a missing line and an unknown line → reconciliation →
returned payments reissued to corrected accounts (a second officer approving) and settled
by a second statement → reports (plan, execution, payout registers, reconciliation) as
PDF and XLSX. Every date is fixed, so two runs produce the same ledger: the 2024 funds pay
claims of 2023 (a batch decides only what has happened by its as-of date), every step is in
2024.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from calculators.evaluate import evaluate
from calculators.registry import calculator
from ledgers import Ledger
from subsidies import brands as lifecycle
from subsidies.claimfile import read_claims
from subsidies.demo.synthetic import generate, write_sheet
from subsidies.domain.money import format_yuan, parse_yuan
from subsidies.domain.workdays import notice_ends
from subsidies.tablefile import write_table
from subsidies.workflow import (
    batches,
    brands_store,
    payfiles,
    payment_requests,
    payments,
    reconcile,
)
from subsidies.workflow.base import WorkflowError
from subsidies.workflow.reconcile_report import build as reconciliation_report
from subsidies.workflow.registers import publish
from subsidies.workflow.report_files import execution_file, plan_file, register_file
from subsidies.workflow.statements import load_layout

MARKER = ".subsidies-demo"
MAKER, CHECKER, CASHIER, RECONCILER = "张会计", "李科长", "王出纳", "赵对账"
PAYMENT_FILE = payfiles.Options(  # the bank's 代发 sheet, the layout its result sheet answers
    "bank-cn", payer_account="2100 1234 5678 0000 001", payer_name="市就业服务中心"
)

FUNDS = (
    (
        "QH-2024",
        "2024 中央就业补助资金 青海",
        2024,
        "central",
        "青海",
        "5,000,000",
        "青财社〔2024〕12号",
    ),
    ("DL-2024", "2024 就业补助资金 大连", 2024, "city", "大连", "2,000,000", "大财社〔2024〕31号"),
    (
        "GX-2024",
        "2024 就业补助资金 广西（自治区本级）",
        2024,
        "region",
        "广西",
        "60,000,000",
        "桂财社〔2024〕8号",
    ),
)

CLAIMS_YEAR = 2023  # the claims the 2024 funds pay
NOTICE_DAYS = 5  # every batch is noticed, where its document requires it (Dalian) or not
# program, fund, claims in the first batch, in a second batch (cross-batch duplicates), notice published
BATCHES = (
    ("qinghai.goji_broker", "QH-2024", 900, 300, dt.date(2024, 10, 14)),
    ("qinghai.hiring_bonus", "QH-2024", 300, 100, dt.date(2024, 9, 2)),
    ("qinghai.transport", "QH-2024", 250, 0, dt.date(2024, 9, 9)),
    ("qinghai.startup_grant", "QH-2024", 120, 0, dt.date(2024, 9, 16)),
    ("qinghai.specialised_sme", "QH-2024", 12, 0, dt.date(2024, 9, 16)),
    ("dalian.brand_recognition", "DL-2024", 40, 0, dt.date(2024, 10, 21)),
    ("guangxi.training_base", "GX-2024", 12, 0, dt.date(2024, 6, 3)),
    ("guangxi.expert_studio", "GX-2024", 15, 0, dt.date(2024, 6, 3)),
    ("guangxi.lead_enterprise", "GX-2024", 25, 0, dt.date(2024, 6, 3)),
)
DECIDE_ONLY = (
    ("qinghai.guarantee_loan", 60),
    ("dalian.brand_assessment", 30),
    ("yingkou.brand_assessment", 30),
    ("shandong.brand_assessment", 30),
)


@dataclass
class Summary:
    folder: Path
    db: Path
    files: list[Path] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def _fresh(folder: Path) -> None:
    """Start from nothing, but never delete a folder the demo did not make."""
    if folder.exists() and any(folder.iterdir()):
        if not (folder / MARKER).exists():
            raise ValueError(f"{folder} exists and is not a demo folder; choose another with -o")
        shutil.rmtree(folder)
    for sub in ("claims", "results", "notices", "payments", "bank", "reports"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("made by `subsidies demo`; safe to delete\n", encoding="utf-8")


def run(folder: Path, progress: Callable[[str], None] = print) -> Summary:
    _fresh(folder)
    db = folder / "subsidies.db"
    summary = Summary(folder, db)
    ledger = Ledger.connect(f"sqlite:///{db}")
    try:
        ledger.upgrade()
        progress("ledger: funds and appropriations")
        for code, name, year, level, region, amount, doc in FUNDS:
            ledger.add_fund(code, name, year=year, level=level, region=region)
            ledger.appropriate(
                code, parse_yuan(amount), doc=doc, on=dt.date(2024, 3, 1), by="财政局"
            )
        _brands(ledger, progress)
        made = _batches(ledger, folder, summary, progress)
        _decide_only(folder, summary, progress)
        _pay_and_reconcile(ledger, folder, made, summary, progress)
        _recover(ledger, made, summary, progress)
        _reports(ledger, folder, made, summary, progress)
        _summarise(ledger, made, summary)
    finally:
        ledger.close()
    return summary


def _brands(ledger: Ledger, progress) -> None:
    """Two registered brands; 匠心建工 was suspended (营人社〔2023〕43号 第十九条), so its claims are refused."""
    progress("brand registry: 2 brands, one suspended")
    from subsidies.domain.identity import credit_code_check_character as check

    for unit, body, brand in (
        ("大连海之韵家政服务有限公司", "91210200MA0QX1Y2B", "海之韵家政"),
        ("大连匠心建工有限公司", "91210200MA0QX1Y3C", "匠心建工"),
    ):
        brands_store.add(
            ledger,
            lifecycle.Brand(unit, body + check(body), brand, "city", dt.date(2023, 5, 10)),
            by="市人社局",
        )
    suspended = brands_store.find(ledger, "匠心建工")
    for event in (
        lifecycle.BrandEvent.rectification_ordered(
            dt.date(2023, 11, 1), lifecycle.RectificationCause.LATE_INFORMATION
        ),
        lifecycle.BrandEvent.interview_ordered(
            dt.date(2023, 12, 4), lifecycle.InterviewCause.NOT_RECTIFIED
        ),
        lifecycle.BrandEvent.suspended(dt.date(2024, 3, 11)),
    ):
        suspended = brands_store.record(ledger, suspended, event, by="市人社局")


@dataclass(frozen=True)
class Made:
    code: str
    program_id: str
    fund: str
    approved_on: dt.date
    eligible_fen: int


def _with_brand_claims(program_id: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Dalian's file names the two registered brands in its first rows."""
    if program_id != "dalian.brand_recognition":
        return frame
    from subsidies.domain.identity import credit_code_check_character as check

    frame = frame.copy()
    for row, (unit, body, brand) in enumerate(
        (
            ("大连海之韵家政服务有限公司", "91210200MA0QX1Y2B", "海之韵家政"),
            ("大连匠心建工有限公司", "91210200MA0QX1Y3C", "匠心建工"),
        )
    ):
        frame.iloc[row, frame.columns.get_loc("单位名称")] = unit
        frame.iloc[row, frame.columns.get_loc("统一社会信用代码")] = body + check(body)
        frame.iloc[row, frame.columns.get_loc("品牌名称")] = brand
        frame.iloc[row, frame.columns.get_loc("认定级别")] = "市级"
    return frame


def _batches(ledger: Ledger, folder: Path, summary: Summary, progress) -> list[Made]:
    made: list[Made] = []
    for n, (program_id, fund, first, second, published) in enumerate(BATCHES):
        name = calculator(program_id).program.name_zh
        earlier = None
        for part, size in enumerate((first, second)):
            if not size:
                continue
            frame = generate(
                program_id,
                size,
                seed=1000 + 10 * n + part,
                year=CLAIMS_YEAR,
                id_prefix=f"{program_id.split('.')[0][:2].upper()}{n:02d}{part}-",
                earlier=earlier,
            )
            frame = _with_brand_claims(program_id, frame) if part == 0 else frame
            earlier = frame
            suffix = ".xlsx" if part == 0 else ".csv"
            path = write_sheet(
                frame,
                folder / "claims" / f"{program_id}-{part + 1}{suffix}",
                program_id=program_id,
                title=f"{CLAIMS_YEAR}年{name}申报表",
                unit="各县（区）人社局",
            )
            summary.files.append(path)
            on = published - dt.timedelta(days=7)
            batch, result = batches.submit(
                ledger,
                program_id,
                path,
                fund_code=fund,
                by=MAKER,
                as_of=on,
                notice_days=NOTICE_DAYS,
            )
            counts = result["status"].value_counts().to_dict()
            progress(
                f"batch {batch.code} {program_id}: {len(result)} claims "
                + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            )
            notice = folder / "notices" / f"{batch.code}-公示.pdf"
            published_on = published + dt.timedelta(days=7 * part)
            publish(ledger, batch.code, notice, on=published_on, by=MAKER)
            summary.files.append(notice)
            approve_on = notice_ends(published_on, batch.notice_days) + dt.timedelta(days=1)
            try:
                batches.approve(ledger, batch.code, by=CHECKER, on=approve_on)
            except WorkflowError as refused:  # the fund cannot cover the batch: nothing was posted
                progress(f"  refused: {refused}")
                needed = eligible_total(result) - ledger.available(fund)
                doc = f"{fund} 追加拨款〔2024〕{n + 1}号"
                ledger.appropriate(fund, needed, doc=doc, on=approve_on, by="财政局")
                progress(f"  supplementary appropriation {doc}; approved again")
                batches.approve(ledger, batch.code, by=CHECKER, on=approve_on)
            made.append(Made(batch.code, program_id, fund, approve_on, eligible_total(result)))
    return made


def eligible_total(result: pd.DataFrame) -> int:
    return int(result.loc[result["status"] == "eligible", "amount_fen"].sum())


def _decide_only(folder: Path, summary: Summary, progress) -> None:
    """Loans and recognition standards are decided, not paid: `subsidies calc` results."""
    for n, (program_id, size) in enumerate(DECIDE_ONLY):
        calc = calculator(program_id)
        frame = generate(program_id, size, seed=2000 + n, year=2024, id_prefix=f"D{n}-")
        path = write_sheet(
            frame,
            folder / "claims" / f"{program_id}.xlsx",
            program_id=program_id,
            title=f"2024年{calc.program.name_zh}申报表",
            unit="市人社局",
        )
        claims = read_claims(path, calc.template)
        result = evaluate(
            calc,
            claims.raw,
            as_of=dt.date(2024, 12, 31),
            numeric=claims.numeric,
            rows=claims.source_rows,
        )
        out = folder / "results" / f"{program_id}.xlsx"
        columns = ["claim_id", "status", "amount", "reasons", "citation"]
        typed = {"amount": ("fen", result["amount_fen"])}
        write_table(result[columns], out, sheet="审核结果", typed=typed)
        summary.files += [path, out]
        progress(
            f"calc {program_id}: {len(result)} decided ({(result['status'] == 'eligible').sum()} eligible)"
        )


def _statement(
    pending: list[payments.Payment],
    path: Path,
    *,
    on: dt.date,
    seed: int,
    drop: int = 0,
    unknown: bool = False,
    returns: float = 0.0,
) -> None:
    """A bank's result sheet (layout bank-cn): mostly 成功, some 失败 (returned)."""
    rng = np.random.default_rng(seed)
    rows = [["交易日期", "流水号", "摘要", "收款人", "账号", "金额", "状态", "备注"]]
    for i, p in enumerate(pending[drop:], start=1):
        failed = rng.random() < returns
        rows.append(
            [
                on.isoformat(),
                f"{on:%Y%m%d}{seed:02d}{i:06d}",
                p.reference,
                p.payee_name,
                p.account,
                format_yuan(p.amount_fen),
                "失败" if failed else "成功",
                "账户已销户" if failed else "",
            ]
        )
    if unknown:
        rows.append(
            [
                on.isoformat(),
                f"{on:%Y%m%d}{seed:02d}999999",
                "",
                "未知收款人",
                "6217000000001234",
                "880.00",
                "成功",
                "",
            ]
        )
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(rows)


def _pay_and_reconcile(
    ledger: Ledger, folder: Path, made: list[Made], summary: Summary, progress
) -> None:
    layout = load_layout("bank-cn")
    pending: list[payments.Payment] = []
    for m in made:
        path = folder / "payments" / f"{m.code}-代发.xlsx"
        payfiles.send(
            ledger, m.code, path, PAYMENT_FILE, by=CASHIER, on=m.approved_on + dt.timedelta(days=1)
        )
        summary.files.append(path)
        pending += [p for p in payments.batch_payments(ledger, m.code) if p.state == "pending"]
    progress(f"disbursed: {len(pending)} payments sent to the bank")
    first = folder / "bank" / "对账单-2024-11.csv"
    _statement(pending, first, on=dt.date(2024, 11, 29), seed=1, drop=1, unknown=True, returns=0.03)
    outcome = reconcile.reconcile(ledger, first, layout, by=RECONCILER, as_of=dt.date(2024, 12, 31))
    progress(
        f"reconciled {first.name}: {len(outcome.settle)} settled, {len(outcome.returned)} returned, "
        f"{len(outcome.exceptions)} exceptions"
    )
    returned = [
        p for m in made for p in payments.batch_payments(ledger, m.code) if p.state == "returned"
    ]
    reissued = [_reissue(ledger, p) for p in returned]
    second = folder / "bank" / "对账单-2024-12.csv"
    _statement(reissued, second, on=dt.date(2024, 12, 9), seed=2)
    outcome = reconcile.reconcile(
        ledger, second, layout, by=RECONCILER, as_of=dt.date(2024, 12, 31)
    )
    progress(
        f"reissued {len(reissued)} returned payments; {second.name}: {len(outcome.settle)} settled"
    )
    summary.files += [first, second]


def _reissue(ledger: Ledger, p: payments.Payment) -> payments.Payment:
    """The payee's corrected account: the cashier asks, a second officer approves."""
    on = dt.date(2024, 12, 5)
    payment_requests.request_reissue(
        ledger,
        p.reference,
        account=p.account[:-4] + "8888",
        by=CASHIER,
        reason="收款人更正账号",
        on=on,
    )
    return payment_requests.approve_request(ledger, p.reference, by=CHECKER, on=on)[1]


def _recover(ledger: Ledger, made: list[Made], summary: Summary, progress) -> None:
    """追回: a goji claim found to be false after payment; half is repaid before year end."""
    from subsidies.domain.money import format_yuan_grouped as yuan

    goji = next(m for m in made if m.program_id == "qinghai.goji_broker")
    settled = next(p for p in payments.batch_payments(ledger, goji.code) if p.state == "settled")
    raised = payments.raise_recovery(
        ledger,
        goji.program_id,
        settled.claim_id,
        reason="核查发现务工人员同期在外省务工，虚报采摘",
        by=CHECKER,
        on=dt.date(2024, 12, 10),
    )
    half = raised // 2
    owed = payments.repay(
        ledger, goji.program_id, settled.claim_id, half, by=CASHIER, on=dt.date(2024, 12, 20)
    )
    progress(f"recovery on {settled.claim_id}: {yuan(raised)} 元 raised, {yuan(half)} 元 repaid")
    summary.lines.append(
        f"recovery (追回) {goji.program_id} {settled.claim_id}: raised {yuan(raised)} 元, "
        f"repaid {yuan(half)} 元, outstanding {yuan(owed)} 元"
    )


SCENARIOS = Path(__file__).resolve().parents[2] / "examples" / "scenarios"


def _reports(ledger: Ledger, folder: Path, made: list[Made], summary: Summary, progress) -> None:
    from reports.output import write

    reports = folder / "reports"
    unit = "示范市人力资源和社会保障局"
    exceptions = reconcile.open_exceptions(ledger, as_of=dt.date(2024, 12, 31))
    report = reconciliation_report(
        None, exceptions, reconcile.statement(ledger), source="2024-11, 2024-12"
    )
    for suffix in (".pdf", ".xlsx"):
        summary.files.append(write(report, reports / f"银行对账报告{suffix}"))
        path = reports / f"预算执行-2024{suffix}"
        execution_file(ledger, path, unit=unit)
        summary.files.append(path)
    for program_id in dict.fromkeys(m.program_id for m in made):
        for suffix in (".pdf", ".xlsx"):
            path = reports / f"发放明细表-{program_id}{suffix}"
            register_file(ledger, path, [], program_id)
            summary.files.append(path)
    if SCENARIOS.is_dir():
        for scenario in sorted(SCENARIOS.glob("*.yaml")):
            for suffix in (".pdf", ".xlsx"):
                path = reports / f"预算计划-{scenario.stem}{suffix}"
                plan_file(scenario, path)
                summary.files.append(path)
        qinghai = SCENARIOS / "qinghai-transfers.yaml"
        if qinghai.exists():
            path = reports / "预算计划-what-if-枸杞补贴比例50%.pdf"
            plan_file(qinghai, path, varies=("top_up_share=50%",))
            summary.files.append(path)
    else:
        progress(
            f"no scenarios at {SCENARIOS} (an installed copy without examples/): plans skipped"
        )
    progress("reports written: reconciliation, execution, payout registers, plans")


def _summarise(ledger: Ledger, made: list[Made], summary: Summary) -> None:
    from subsidies.domain.money import format_yuan_grouped as yuan

    result = ledger.verify()
    st = reconcile.statement(ledger)
    funds = [
        f"{code} {name}: approved {yuan(sum(m.eligible_fen for m in made if m.fund == code))} 元; "
        f"available {yuan(ledger.available(code))} 元"
        for code, name, *_ in FUNDS
    ]
    summary.lines[:0] = funds  # before the recovery noted earlier
    summary.lines.append(
        f"paid per the ledger {yuan(st.ledger_paid)} 元; in transit {yuan(st.in_transit)} 元; "
        f"bank lines unexplained {yuan(st.bank_only)} 元; 调节表 difference {yuan(st.difference)} 元"
    )
    summary.lines.append(
        f"ledger verify: {'OK' if result.first_bad_entry is None else 'FAILED'} "
        f"({result.entries} entries)"
    )
