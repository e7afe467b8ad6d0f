"""Payout registers and notices of real batches: masked people, totals equal to the decisions."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from report_helpers import EXAMPLES, goji_claims, pdf_pages

from ledgers import Ledger
from reports import output
from reports.register_report import notice_report, register_report
from subsidies.domain.money import format_yuan_grouped
from subsidies.workflow import batches as wf
from subsidies.workflow.base import Officer
from subsidies.workflow.registers import notice, register

MAKER = Officer(2, "wang", "王经办", frozenset({"clerk"}))
CHECKER = Officer(3, "li", "李审核", frozenset({"checker"}))
PAYER = Officer(4, "zhao", "赵出纳", frozenset({"cashier"}))

FUND = "QH2024"
GOJI = "qinghai.goji_broker"
SUBMITTED = dt.date(2024, 12, 2)
FULL_ID = re.compile(r"\d{17}[\dX]")


@pytest.fixture
def ledger(tmp_path: Path):
    led = Ledger.connect(f"sqlite:///{tmp_path / 'ledger.db'}")
    led.upgrade()
    led.add_fund(FUND, "2024年中央就业补助资金（青海）", 2024)
    led.appropriate(FUND, 1_000_000_00, doc="青财社指〔2024〕12号", on=dt.date(2024, 6, 3))
    yield led
    led.close()


def submit(led: Ledger, path: Path, notice_days: int = 0, as_of: dt.date = SUBMITTED) -> wf.Batch:
    batch, _ = wf.submit(
        led, GOJI, path, fund_code=FUND, by=MAKER, as_of=as_of, notice_days=notice_days
    )
    return batch


def test_register_of_the_example_sheet(ledger: Ledger, tmp_path: Path) -> None:
    batch = submit(ledger, EXAMPLES / "qinghai.goji_broker.csv")
    wf.approve(ledger, batch.code, by=CHECKER, on=SUBMITTED + dt.timedelta(days=1))
    reg = register(ledger, [batch.code])
    decisions = wf.batch_decisions(ledger, batch.code)
    paid = decisions[(decisions["status"] == "eligible") & (decisions["amount_fen"] > 0)]
    assert [line.claim_id for line in reg.lines] == list(paid["claim_id"])
    assert reg.total == int(paid["amount_fen"].sum()) == 150_00  # README: 2 eligible, 150.00 元
    assert all("*" in line.payee_name and "*" in line.payee_id for line in reg.lines)
    pages = pdf_pages(
        output.write(register_report(reg, unit="海西州人社局"), tmp_path / "register.pdf")
    )
    text = " ".join(pages)
    assert f"合计 2 笔 {format_yuan_grouped(reg.total)}" in text
    assert "青海 劳务经纪人枸杞采摘补贴 发放明细表" in text and "已审批" in text
    assert not FULL_ID.search(text)  # no full 身份证号 in print
    assert reg.lines[0].subject_id in text and reg.lines[0].subject_id.startswith("632122")


def test_register_of_a_program_subtotals_each_batch(ledger: Ledger, tmp_path: Path) -> None:
    first = submit(ledger, goji_claims(tmp_path / "a.csv", 30))
    second = submit(
        ledger, goji_claims(tmp_path / "b.csv", 20, start=dt.date(2024, 9, 20), prefix="GK")
    )
    for batch in (first, second):
        wf.approve(ledger, batch.code, by=CHECKER, on=SUBMITTED + dt.timedelta(days=1))
    submit(ledger, goji_claims(tmp_path / "c.csv", 5, prefix="GL"))  # not approved: not paid
    reg = register(ledger, [], program=GOJI)
    assert [b.code for b in reg.batches] == [first.code, second.code]
    per_batch = {code: reg.batch_total(code) for code in (first.code, second.code)}
    assert per_batch == {
        first.code: (30 * 50 + 10 * 50) * 100,
        second.code: (20 * 50 + 7 * 50) * 100,
    }
    text = " ".join(pdf_pages(output.write(register_report(reg), tmp_path / "r.pdf")))
    assert f"小计 {first.code} 30 笔 {format_yuan_grouped(per_batch[first.code])}" in text
    assert f"合计 50 笔 {format_yuan_grouped(reg.total)}" in text


def test_a_rejected_batch_has_no_register(ledger: Ledger, tmp_path: Path) -> None:
    batch = submit(ledger, goji_claims(tmp_path / "a.csv", 3))
    wf.reject(ledger, batch.code, by=CHECKER, reason="材料不全")
    with pytest.raises(wf.WorkflowError, match="已退回：不从中支付"):
        register(ledger, [batch.code])


def test_notice_names_its_period_in_working_days(ledger: Ledger, tmp_path: Path) -> None:
    # decided the day the notice is published (a notice cannot precede its batch's as-of date)
    published = dt.date(2024, 9, 27)
    batch = submit(ledger, goji_claims(tmp_path / "a.csv", 4), notice_days=5, as_of=published)
    wf.publish_notice(ledger, batch.code, on=published, by=MAKER)
    found = notice(ledger, batch.code)
    # 5 working days after Friday 27 September 2024 skip the National Day holiday (1–7 October)
    # and count the make-up working days 29 September and 12 October
    assert (found.published_on, found.ends_on) == (dt.date(2024, 9, 27), dt.date(2024, 10, 10))
    text = " ".join(
        pdf_pages(output.write(notice_report(found, unit="海西州人社局"), tmp_path / "n.pdf"))
    )
    assert "公示期为2024年09月27日至2024年10月10日（5个工作日）" in text.replace(" ", "")
    assert f"拟发放补贴资金共计{format_yuan_grouped(found.register.total)}元" in text.replace(
        " ", ""
    )
    assert not FULL_ID.search(text)


def test_register_shows_what_was_recovered_since(ledger: Ledger, tmp_path: Path) -> None:
    """A claim paid and then recovered (追回) stays in the register with the amount recovered."""
    from openpyxl import load_workbook

    from subsidies.workflow import payments as pay

    batch = submit(ledger, goji_claims(tmp_path / "a.csv", 3))
    wf.approve(ledger, batch.code, by=CHECKER, on=SUBMITTED + dt.timedelta(days=1))
    claim_ids = [line.claim_id for line in register(ledger, [batch.code]).lines]
    pay.disburse(
        ledger, batch.code, by=PAYER, on=SUBMITTED + dt.timedelta(days=2),
        accounts={c: "6228480010000000011" for c in claim_ids},
    )  # fmt: skip
    raised = pay.raise_recovery(
        ledger, GOJI, claim_ids[1], reason="虚报", by=CHECKER, on=SUBMITTED + dt.timedelta(days=9)
    )
    reg = register(ledger, [batch.code])
    assert [line.recovered_fen for line in reg.lines] == [0, raised, 0]
    assert reg.recovered == raised and reg.total == sum(line.fen for line in reg.lines)
    text = " ".join(pdf_pages(output.write(register_report(reg), tmp_path / "r.pdf")))
    assert (
        "其中已追回" in text
        and f"{format_yuan_grouped(reg.total)} {format_yuan_grouped(raised)}" in text
    )
    sheet = load_workbook(output.write(register_report(reg), tmp_path / "r.xlsx")).worksheets[0]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert raised / 100 in cells  # a number, not text


def test_the_notice_names_the_fund_the_register_its_code_too(
    ledger: Ledger, tmp_path: Path
) -> None:
    batch = submit(ledger, goji_claims(tmp_path / "a.csv", 4), notice_days=5)
    found = notice(ledger, batch.code, on=dt.date(2024, 12, 2))
    first = pdf_pages(output.write(notice_report(found), tmp_path / "n.pdf"))[0]
    assert "资金 2024年中央就业补助资金（青海）" in first and FUND not in first
    first = pdf_pages(output.write(register_report(found.register), tmp_path / "r.pdf"))[0]
    assert "资金 2024年中央就业补助资金（青海）（QH2024）" in first


def test_a_notice_of_no_names_is_refused(ledger: Ledger, tmp_path: Path) -> None:
    """No claim eligible: the notice is neither printed nor recorded as published."""
    claims = goji_claims(tmp_path / "a.csv", 3)
    claims.write_text(claims.read_text("utf-8-sig").replace(",青海,", ",甘肃,"), "utf-8-sig")
    batch = submit(ledger, claims, notice_days=5)
    assert set(wf.batch_decisions(ledger, batch.code)["status"]) == {"ineligible"}
    reason = "没有符合条件且有金额的申报：不发布没有名单的公示"
    with pytest.raises(wf.WorkflowError, match=reason):
        notice(ledger, batch.code, on=dt.date(2024, 12, 2))
    with pytest.raises(wf.WorkflowError, match=reason):
        wf.publish_notice(ledger, batch.code, on=dt.date(2024, 12, 2), by=MAKER)
    assert wf.get(ledger, batch.code).events == ()
