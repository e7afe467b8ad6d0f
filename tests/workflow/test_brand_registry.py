"""The brand registry in the payout workflow (营人社〔2023〕43号 第十五条–第二十一条).

A claim whose unit's brand is suspended (第十九条) is refused at submission, and a batch
whose brand was suspended after submission is refused at approval; once use of the mark
is restored the unit is paid again. A brand removed for fraud (第二十条(四)) is refused, and
its removal lists what was paid for that brand and not returned — never for the unit's other
brands — which `brand recover … --confirm` recovers (追回): the product's reading in
docs/policies/README.md "Brand lifecycle". A credit code keeps one unit name; a new name is
a recorded rename.

The lifecycle used: recognised 2022-01-10; rectification ordered 2024-01-05 (第十七条(一));
not rectified within the month, interview 2024-02-20 (第十八条(一)); not rectified within
three months, suspended for a year on 2024-06-01 (第十九条), to 2025-06-01.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner
from workflow_helpers import (
    CHECKER,
    DALIAN,
    FUND,
    HIRING,
    MAKER,
    PAYER,
    approved_batch,
    check_books,
    claim,
    credit_code,
    db_state,
    new_person,
    noticed,
    submit_rows,
)

from ledgers.chart import RECEIVABLE
from subsidies import brands as lifecycle
from subsidies.cli import main
from subsidies.workflow import batches as wf
from subsidies.workflow import brands_store
from subsidies.workflow import payment_requests as req
from subsidies.workflow import payments as pay
from subsidies.workflow.explain import explain

UNIT = credit_code(41)  # the Dalian base claim's unit
SUSPENDED_ON = dt.date(2024, 6, 1)
DURING = dt.date(2025, 1, 15)
STEPS = [
    lifecycle.BrandEvent.rectification_ordered(
        dt.date(2024, 1, 5), lifecycle.RectificationCause.LATE_INFORMATION
    ),
    lifecycle.BrandEvent.interview_ordered(
        dt.date(2024, 2, 20), lifecycle.InterviewCause.NOT_RECTIFIED
    ),
    lifecycle.BrandEvent.suspended(SUSPENDED_ON),
]


def register(led, unit: str = UNIT, name: str = "大连海员", steps=()) -> brands_store.Registered:
    brand = lifecycle.Brand(
        "大连海员劳务有限公司", unit, name, lifecycle.Level.CITY, dt.date(2022, 1, 10)
    )
    reg = brands_store.add(led, brand, by=MAKER)
    for step in steps:
        reg = brands_store.record(led, reg, step, by=MAKER)
    return reg


def test_suspended_brand_refused_at_submission(funded, tmp_path) -> None:
    register(funded, steps=STEPS)
    other = credit_code(43)
    rows = [
        claim(DALIAN, "D1"),
        claim(DALIAN, "D2", credit_code=other, unit_name="大连渔工有限公司", brand_name="大连渔工"),
    ]
    batch, result = submit_rows(funded, rows, DALIAN, tmp=tmp_path, as_of=DURING)
    approve_on = noticed(funded, batch)  # 5 working days of 公示 (三(四)3(2)), still suspended
    d1 = result.set_index("claim_id").loc["D1"]
    assert (d1["status"], int(d1["amount_fen"])) == ("ineligible", 0)
    assert (
        "营人社〔2023〕43号 第十九条" in d1["reasons"] and "品牌标识使用权暂停至" in d1["reasons"]
    )
    assert "2025-06-01" in d1["reasons"]
    assert result.set_index("claim_id").loc["D2", "status"] == "eligible"
    _, posted = wf.approve(funded, batch.code, by=CHECKER, on=approve_on)
    assert posted == 1  # the other unit only
    # a refused claim takes no key: once use of the mark is restored the unit claims again
    reg = brands_store.find(funded, UNIT)
    brands_store.record(funded, reg, lifecycle.BrandEvent.restored(dt.date(2025, 3, 1)), by=MAKER)
    later = dt.date(2025, 3, 2)
    _, again = submit_rows(funded, [claim(DALIAN, "D3")], DALIAN, tmp=tmp_path, as_of=later)
    assert again.iloc[0]["status"] == "eligible", again.iloc[0]["reasons"]


def test_suspension_after_submission_refuses_the_approval(funded, tmp_path) -> None:
    reg = register(funded, steps=STEPS[:2])
    batch, result = submit_rows(
        funded, [claim(DALIAN, "D1")], DALIAN, tmp=tmp_path, as_of=dt.date(2024, 5, 20)
    )
    assert result.iloc[0]["status"] == "eligible"
    assert noticed(funded, batch) < dt.date(2024, 6, 3)
    brands_store.record(funded, reg, STEPS[2], by=MAKER)
    funded.add_account(f"5001.{DALIAN}", "大连 劳务品牌一次性补贴")  # see test_refusals
    before = db_state(funded)
    with pytest.raises(wf.WorkflowError) as refused:
        wf.approve(funded, batch.code, by=CHECKER, on=dt.date(2024, 6, 3))
    assert "D1" in str(refused.value) and "第十九条" in str(refused.value)
    assert db_state(funded) == before
    # restored before the year is out: the same batch is approved
    reg = brands_store.find(funded, "大连海员")
    brands_store.record(funded, reg, lifecycle.BrandEvent.restored(dt.date(2024, 9, 1)), by=MAKER)
    assert wf.approve(funded, batch.code, by=CHECKER, on=dt.date(2024, 9, 2))[1] == 1


def test_unit_brand_suspended_refuses_its_hiring_bonus(funded, tmp_path) -> None:
    """The hiring bonus is paid to a brand enterprise: its brand's status decides too."""
    unit = credit_code(1)  # the hiring base claim's employer
    register(funded, unit=unit, name="青海高原", steps=STEPS)
    _, result = submit_rows(
        funded, [claim(HIRING, "H1", employee_id=new_person())], HIRING, tmp=tmp_path, as_of=DURING
    )
    assert result.iloc[0]["status"] == "ineligible"
    assert "第十九条" in result.iloc[0]["reasons"]


def test_fraud_removal_raises_recoveries(funded, db_url, tmp_path, as_officer) -> None:
    """The removal lists what is to be recovered; `brand recover … --confirm` raises it.

    Changed deliberately (issue #18): the removal used to raise the recoveries itself, by
    the unit's credit code alone; now a person confirms the list first.
    """
    led = funded
    unit = credit_code(1)
    runner = CliRunner()

    def cli(*args: str, by=None) -> str:
        result = runner.invoke(main, [*args, "--db", db_url], env=as_officer(db_url, by))
        assert result.exit_code == 0, (args, result.output, result.exception)
        return result.output

    out = cli(
        "brand", "add", "青海高原劳务有限公司", unit, "青海高原", "--level", "city",
        "--recognised-on", "2022-01-10", by=MAKER,
    )  # fmt: skip
    assert "青海高原" in out
    rows = [claim(HIRING, f"F{i}", employee_id=new_person()) for i in range(1, 4)]
    rows.append(
        claim(
            HIRING,
            "OTHER",
            employee_id=new_person(),
            employer_name="德令哈帮扶车间",
            employer_credit_code=credit_code(2),
            employer_type="就业帮扶车间",
        )
    )
    batch = approved_batch(led, rows, HIRING, tmp_path)
    by_claim = {p.claim_id: p for p in pay.disburse(led, batch.code, by=PAYER)}
    pay.settle(led, by_claim["F1"].reference, by=PAYER)  # settled
    req.request_return(led, by_claim["F3"].reference, reason="账户冻结", by=PAYER)  # came back
    req.approve_request(led, by_claim["F3"].reference, by=CHECKER)
    assert led.balance(RECEIVABLE, FUND) == 0

    out = cli(
        "brand", "event", "青海高原", "removed", "--on", "2025-08-01", "--cause", "fraud", by=MAKER,
    )  # fmt: skip
    assert "状态 removed" in out
    listed = re.findall(rf"^  {HIRING}\s+(\S+)\s+([\d,.]+) 元\s+(\S+)$", out, flags=re.M)
    assert [(c, yuan, ref) for c, yuan, ref in listed] == [
        ("F1", "1,000.00", by_claim["F1"].reference),
        ("F2", "1,000.00", by_claim["F2"].reference),
    ], out
    assert "subsidies brand recover" in out and "--confirm" in out
    assert led.balance(RECEIVABLE, FUND) == 0  # listed, not raised
    before = db_state(led)
    assert cli("brand", "recover", "青海高原", by=CHECKER) == out[out.index("青海高原 应追回") :]
    assert db_state(led) == before

    out = cli("brand", "recover", "青海高原", "--confirm", "--on", "2025-08-02", by=CHECKER)
    raised = re.findall(r"已发起追回：(\S+) (\S+) ([\d,.]+) 元", out)
    assert sorted(claim_id for _, claim_id, _ in raised) == ["F1", "F2"], out
    assert {program for program, _, _ in raised} == {HIRING}
    assert led.balance(RECEIVABLE, FUND) == 2 * 1_000_00
    for claim_id in ("F1", "F2"):
        recovery = [line for line in explain(led, claim_id) if line.startswith("  追回 raised ")]
        assert len(recovery) == 1 and "第二十条(四)" in recovery[0], recovery
    assert "OTHER" not in out and "F3" not in out

    # the removed brand is refused from then on, citing the article
    _, result = submit_rows(
        led,
        [claim(HIRING, "F9", employee_id=new_person())],
        HIRING,
        tmp=tmp_path,
        as_of=dt.date(2025, 8, 2),
        by=MAKER,
    )
    assert result.iloc[0]["status"] == "ineligible"
    assert "第二十条(四)" in result.iloc[0]["reasons"]
    shown = cli("brand", "show", "青海高原", "--on", "2025-08-02")
    assert "removed" in shown and "不予发放：已于 2025-08-01 移出目录" in shown
    assert "青海高原" in cli("brand", "list", "--on", "2025-08-02")
    check_books(led)


def test_fraud_removal_recovers_from_that_brand_only(funded, db_url, tmp_path, as_officer) -> None:
    """Brand A of a unit is removed for fraud; its brand B, in good standing, keeps its money.

    Issue #18: recoveries were matched by the unit's credit code only, so removing A also
    raised a recovery of the 50,000 paid for B. A claim naming its brand is A's only if it
    names A; a claim naming none (the hiring bonus) is A's only if A is the unit's one
    registered brand, and is otherwise listed for a person to decide, not recovered.
    """
    register(funded)
    register(funded, name="大连渔工")
    rows = [claim(DALIAN, "A1"), claim(DALIAN, "B1", brand_name="大连渔工")]
    dalian = approved_batch(funded, rows, DALIAN, tmp_path)
    hiring = approved_batch(
        funded,
        [claim(HIRING, "H1", employee_id=new_person(), employer_credit_code=UNIT)],
        HIRING,
        tmp_path,
    )
    paid = {
        p.claim_id: p
        for code in (dalian.code, hiring.code)
        for p in pay.disburse(funded, code, by=PAYER)
    }
    assert set(paid) == {"A1", "B1", "H1"}
    runner = CliRunner()

    def cli(*args: str, ok: bool = True, by=None) -> str:
        result = runner.invoke(main, [*args, "--db", db_url], env=as_officer(db_url, by))
        assert (result.exit_code == 0) is ok, (args, result.output, result.exception)
        return result.output

    out = cli("brand", "event", "大连海员", "removed", "--on", "2025-08-01", "--cause", "fraud", by=MAKER)  # fmt: skip
    assert funded.balance(RECEIVABLE, FUND) == 0, "a removal raises nothing before it is confirmed"
    assert re.search(rf"^  {DALIAN}\s+A1\s+50,000\.00 元\s+{paid['A1'].reference}$", out, re.M)
    assert "B1" not in out
    assert re.search(r"H1.*未写品牌.*登记了 2 个品牌", out), out

    out = cli("brand", "recover", "大连海员", "--confirm", "--on", "2025-08-02", by=CHECKER)
    assert re.findall(r"已发起追回：(\S+) (\S+) ([\d,.]+) 元", out) == [(DALIAN, "A1", "50,000.00")]
    assert funded.balance(RECEIVABLE, FUND) == 50_000_00
    with funded.reading() as conn:
        assert pay.recovery_balance(conn, DALIAN, "B1") == (0, 0)
        assert pay.recovery_balance(conn, HIRING, "H1") == (0, 0)
    before = db_state(funded)
    assert "已没有待追回款项" in cli(
        "brand", "recover", "大连海员", "--confirm", ok=False, by=CHECKER
    )
    assert db_state(funded) == before
    # brand B was not removed: nothing is recovered for it
    assert "不是因弄虚作假被移出目录" in cli(
        "brand", "recover", "大连渔工", "--confirm", ok=False, by=CHECKER
    )
    assert db_state(funded) == before
    check_books(funded)


def test_a_second_unit_name_for_a_registered_code_is_refused(funded, db_url, as_officer) -> None:
    """Issue #18: one 统一社会信用代码 is one unit with one name; a new name is a recorded rename."""
    register(funded)
    as_officer(db_url)  # the office, signed in before the tables are compared
    renamed = "大连海员国际劳务有限公司"
    other = lifecycle.Brand(renamed, UNIT, "大连渔工", lifecycle.Level.CITY, dt.date(2023, 5, 1))
    before = db_state(funded)
    with pytest.raises(wf.WorkflowError) as refused:
        brands_store.add(funded, other, by=MAKER)
    message = str(refused.value)
    assert "大连海员劳务有限公司" in message and renamed in message
    assert "请先登记名称变更" in message and "subsidies" not in message
    assert f"subsidies brand rename {UNIT}" in refused.value.for_cli()
    assert db_state(funded) == before

    runner = CliRunner()

    def cli(*args: str, ok: bool = True, by=None) -> str:
        result = runner.invoke(main, [*args, "--db", db_url], env=as_officer(db_url, by))
        assert (result.exit_code == 0) is ok, (args, result.output, result.exception)
        return result.output

    for args, why in (
        ((UNIT, "大连海员劳务有限公司", "--reason", "x"), "登记的名称已是"),
        ((UNIT, renamed, "--reason", " "), "名称变更须填写理由"),
        ((credit_code(99), renamed, "--reason", "x"), "没有统一社会信用代码为"),
    ):
        assert why in cli("brand", "rename", *args, ok=False, by=MAKER)
        assert db_state(funded) == before
    out = cli("brand", "rename", UNIT, renamed, "--reason", "工商变更登记 2024-03-01",
              "--on", "2024-03-05", by=MAKER)  # fmt: skip
    assert "大连海员劳务有限公司" in out and renamed in out
    assert brands_store.find(funded, "大连海员").brand.unit_name == renamed
    assert brands_store.add(funded, other, by=MAKER).brand.unit_name == renamed
    shown = cli("brand", "show", "大连海员")
    assert "更名为" in shown and "工商变更登记" in shown and "大连海员劳务有限公司" in shown
    assert "brand.rename" in cli("audit")
    # the old name is now the second name
    old = lifecycle.Brand(
        "大连海员劳务有限公司", UNIT, "大连三号", lifecycle.Level.CITY, dt.date(2023, 5, 1)
    )
    with pytest.raises(wf.WorkflowError, match="请先登记名称变更"):
        brands_store.add(funded, old, by=MAKER)


def test_unregistered_brand_of_a_unit_with_a_suspended_brand(funded, tmp_path) -> None:
    """A Dalian claim names its brand; the unit's *other* brand is the suspended one."""
    register(funded, steps=STEPS)
    _, result = submit_rows(
        funded, [claim(DALIAN, "D7", brand_name="大连渔工")], DALIAN, tmp=tmp_path, as_of=DURING
    )
    assert result.iloc[0]["status"] == "eligible", result.iloc[0]["reasons"]
