"""One-time keys (一次性) are screened against earlier batches of the same program, not only
within a file (docs/policies/README.md "一次性"):

Dalian — unit, brand and level (the same brand at another level is paid again); Guangxi —
unit and award (each award is its own program); hiring bonus — the person hired, whichever
employer claims; transport — the person; startup grant — the founder, and the business;
专精特新 — unit and recognition; goji — the same worker in periods sharing a day.

A duplicate names the earlier claim and its batch; only an approved claim takes a key (a
claim awaiting approval is named, a rejected batch's claims take none); a claim_id
already approved in an earlier batch is refused. Two batches that both got
a person past submission are re-screened at approval: the second is refused.
"""

from __future__ import annotations

import datetime as dt

import pytest
from workflow_helpers import (
    AS_OF,
    BASE_FEN,
    CHECKER,
    DALIAN,
    GOJI,
    GOJI_AS_OF,
    GX_BASE,
    GX_STUDIO,
    HIRING,
    SME,
    STARTUP,
    TRANSPORT,
    approved_batch,
    check_books,
    claim,
    credit_code,
    db_state,
    entry_count,
    new_person,
    submit_rows,
)

from ledgers import Kind
from subsidies.workflow import batches as wf

LATER = AS_OF + dt.timedelta(days=1)


def screened(led, tmp, program, first: list[dict], second: list[dict], as_of=AS_OF):
    """Approve ``first`` as a batch, submit ``second``; the second's decisions by claim."""
    earlier = approved_batch(led, first, program, tmp, as_of=as_of)
    batch, result = submit_rows(led, second, program, tmp=tmp, as_of=as_of)
    return earlier, batch, result.set_index("claim_id")


def assert_duplicate(result, claim_id: str, earlier_claim: str, earlier_batch: str) -> None:
    row = result.loc[claim_id]
    assert row["status"] == "duplicate" and int(row["amount_fen"]) == 0, row["reasons"]
    assert f"的申请 {earlier_claim} " in row["reasons"], row["reasons"]
    assert f"批次 {earlier_batch} " in row["reasons"], row["reasons"]


def assert_paid(result, claim_id: str, fen: int) -> None:
    row = result.loc[claim_id]
    assert (row["status"], int(row["amount_fen"])) == ("eligible", fen), row["reasons"]


def test_dalian_unit_brand_and_level(funded, tmp_path) -> None:
    first = [claim(DALIAN, "D1")]
    second = [
        claim(DALIAN, "D2"),  # same unit, brand, level
        claim(DALIAN, "D3", level="省级"),  # the same brand recognised at provincial level
        claim(DALIAN, "D4", credit_code=credit_code(42), unit_name="大连渔工有限公司"),
        claim(DALIAN, "D5", brand_name="大连厨师"),  # the unit's other brand
    ]
    earlier, _, result = screened(funded, tmp_path, DALIAN, first, second)
    assert_duplicate(result, "D2", "D1", earlier.code)
    assert "单位、品牌和级别" in result.loc["D2", "reasons"]
    assert_paid(result, "D3", 100_000_00)
    assert_paid(result, "D4", 50_000_00)
    assert_paid(result, "D5", 50_000_00)


def test_guangxi_unit_and_award(funded, tmp_path) -> None:
    earlier, _, result = screened(
        funded,
        tmp_path,
        GX_BASE,
        [claim(GX_BASE, "X1")],
        [claim(GX_BASE, "X2"), claim(GX_BASE, "X3", credit_code=credit_code(52))],
    )
    assert_duplicate(result, "X2", "X1", earlier.code)
    assert_paid(result, "X3", BASE_FEN[GX_BASE])
    # the same unit's other award (专家工作室) is its own one-time key
    _, studio = submit_rows(funded, [claim(GX_STUDIO, "X4")], GX_STUDIO, tmp=tmp_path)
    assert_paid(studio.set_index("claim_id"), "X4", BASE_FEN[GX_STUDIO])


def test_hiring_bonus_the_person_whichever_employer(funded, tmp_path) -> None:
    person = new_person()
    earlier, _, result = screened(
        funded,
        tmp_path,
        HIRING,
        [claim(HIRING, "H1", employee_id=person)],
        [
            claim(
                HIRING,
                "H2",
                employee_id=person,
                employer_name="德令哈帮扶车间",
                employer_credit_code=credit_code(2),
                employer_type="就业帮扶车间",
                hired_on="2024-09-01",
            ),
            claim(HIRING, "H3", employee_id=new_person()),  # same employer, another person
        ],
    )
    assert_duplicate(result, "H2", "H1", earlier.code)
    assert "所吸纳人员" in result.loc["H2", "reasons"]
    assert_paid(result, "H3", 1_000_00)


def test_transport_the_person(funded, tmp_path) -> None:
    person = new_person()
    earlier, _, result = screened(
        funded,
        tmp_path,
        TRANSPORT,
        [claim(TRANSPORT, "T1", person_id=person)],
        [
            claim(
                TRANSPORT,
                "T2",
                person_id=person,
                work_province="浙江",
                employed_from="2024-07-01",
                employed_until="2024-12-31",
                fare="300",
            ),
            claim(TRANSPORT, "T3", person_id=new_person()),
        ],
    )
    assert_duplicate(result, "T2", "T1", earlier.code)
    assert_paid(result, "T3", 800_00)


def test_startup_the_founder(funded, tmp_path) -> None:
    founder = new_person()
    earlier, _, result = screened(
        funded,
        tmp_path,
        STARTUP,
        [claim(STARTUP, "S1", founder_id=founder)],
        [
            claim(
                STARTUP,
                "S2",
                founder_id=founder,
                business_name="格尔木枸杞合作社",
                credit_code=credit_code(12),
                business_form="个体工商户",
            ),
            claim(STARTUP, "S3", founder_id=new_person(), credit_code=credit_code(13)),
        ],
    )
    assert_duplicate(result, "S2", "S1", earlier.code)
    assert "创业者" in result.loc["S2", "reasons"]
    assert_paid(result, "S3", 10_000_00)


def test_startup_the_business(funded, tmp_path) -> None:
    business = credit_code(14)
    earlier, _, result = screened(
        funded,
        tmp_path,
        STARTUP,
        [claim(STARTUP, "S1", founder_id=new_person(), credit_code=business)],
        [claim(STARTUP, "S2", founder_id=new_person(), founder_name="李娜", credit_code=business)],
    )
    assert_duplicate(result, "S2", "S1", earlier.code)
    assert "经营主体" in result.loc["S2", "reasons"]


def test_specialised_sme_unit_and_recognition(funded, tmp_path) -> None:
    earlier, _, result = screened(
        funded,
        tmp_path,
        SME,
        [claim(SME, "Z1")],
        [
            claim(SME, "Z2", requested_amount="300000"),  # same unit, same recognition
            claim(SME, "Z3", recognition='国家级专精特新"小巨人"', requested_amount="800000"),
        ],
    )
    assert_duplicate(result, "Z2", "Z1", earlier.code)
    assert_paid(result, "Z3", 800_000_00)


def test_goji_overlapping_periods(funded, tmp_path) -> None:
    worker = new_person()
    earlier, _, result = screened(
        funded,
        tmp_path,
        GOJI,
        [claim(GOJI, "G1", worker_id=worker)],  # 2024-07-01..2024-08-31
        [
            # shares one day (2024-08-31) with G1
            claim(GOJI, "G2", worker_id=worker, start_date="2024-08-31", end_date="2024-10-31"),
            # the day after G1 ends: not a duplicate
            claim(GOJI, "G3", worker_id=worker, start_date="2024-09-01", end_date="2024-10-31"),
            # inside G1's period, through another broker
            claim(
                GOJI,
                "G4",
                worker_id=worker,
                broker_id=new_person(),
                start_date="2024-06-01",
                end_date="2024-08-01",
            ),
        ],
        as_of=GOJI_AS_OF,
    )
    assert_duplicate(result, "G2", "G1", earlier.code)
    assert "重叠" in result.loc["G2", "reasons"]
    assert_paid(result, "G3", 100_00)
    assert_duplicate(result, "G4", "G1", earlier.code)


def test_rejected_batch_takes_no_key(funded, tmp_path) -> None:
    person = new_person()
    first, _ = submit_rows(funded, [claim(HIRING, "H1", employee_id=person)], HIRING, tmp=tmp_path)
    wf.reject(funded, first.code, by=CHECKER, reason="材料不全", on=LATER)
    second, result = submit_rows(
        funded, [claim(HIRING, "H1", employee_id=person)], HIRING, tmp=tmp_path
    )
    assert_paid(result.set_index("claim_id"), "H1", 1_000_00)
    assert wf.approve(funded, second.code, by=CHECKER, on=LATER)[1] == 1


def test_pending_batch_takes_no_key(funded, tmp_path) -> None:
    """A submitted (not yet approved) batch's claim does not block a later batch: only an
    approved claim takes a key (docs/policies/README.md). The later claim is eligible and
    names the pending one; approval screens again (test_rescreened_at_approval)."""
    person = new_person()
    first, _ = submit_rows(funded, [claim(HIRING, "H1", employee_id=person)], HIRING, tmp=tmp_path)
    _, result = submit_rows(funded, [claim(HIRING, "H2", employee_id=person)], HIRING, tmp=tmp_path)
    assert_paid(result.set_index("claim_id"), "H2", 1_000_00)
    assert f"批次 {first.code} 第 2 行（待审批）的申请 H1" in result["reasons"].iat[0]


@pytest.mark.parametrize("program", [HIRING, GOJI])
def test_claim_id_already_in_an_earlier_batch(funded, tmp_path, program) -> None:
    key = "employee_id" if program == HIRING else "worker_id"
    as_of = GOJI_AS_OF if program == GOJI else AS_OF
    earlier = approved_batch(
        funded, [claim(program, "C1", **{key: new_person()})], program, tmp_path, as_of=as_of
    )
    batch, result = submit_rows(
        funded, [claim(program, "C1", **{key: new_person()})], program, tmp=tmp_path, as_of=as_of
    )
    row = result.set_index("claim_id").loc["C1"]
    assert row["status"] == "duplicate", row["reasons"]
    assert "申请编号 C1" in row["reasons"] and earlier.code in row["reasons"]
    before = entry_count(funded, Kind.PAYOUT_ACCRUED)
    assert wf.approve(funded, batch.code, by=CHECKER, on=LATER)[1] == 0
    assert entry_count(funded, Kind.PAYOUT_ACCRUED) == before


def test_rescreened_at_approval(funded, tmp_path, monkeypatch) -> None:
    """Batch B was submitted while A's claims were not yet visible (two officers submitting at
    once on PostgreSQL: each reads the earlier claims before the other commits), so both hold
    the same person as eligible. Approving A, then B: B is refused, naming the claim."""
    person = new_person()
    a, _ = submit_rows(funded, [claim(HIRING, "HA", employee_id=person)], HIRING, tmp=tmp_path)
    with monkeypatch.context() as patch:
        real = wf.prior_claims
        patch.setattr(wf, "prior_claims", lambda *a, **kw: real(*a, **kw).iloc[0:0])
        b, result = submit_rows(
            funded,
            [
                claim(HIRING, "HB", employee_id=person),
                claim(HIRING, "HC", employee_id=new_person()),
            ],
            HIRING,
            tmp=tmp_path,
        )
    assert set(result["status"]) == {"eligible"}
    assert wf.approve(funded, a.code, by=CHECKER, on=LATER)[1] == 1
    before = db_state(funded)
    with pytest.raises(wf.WorkflowError) as refused:
        wf.approve(funded, b.code, by=CHECKER, on=LATER)
    assert "HB" in str(refused.value) and "HA" in str(refused.value), refused.value
    assert db_state(funded) == before
    assert wf.get(funded, b.code).state == "submitted"
    check_books(funded)


def _id_ending_x() -> str:
    while True:
        number = new_person()
        if number.endswith("X"):
            return number


def test_keys_compared_as_typed_values(funded, tmp_path) -> None:
    """A later file that writes the same key differently is still a duplicate: a lower-case
    x, full-width digits, a lower-case credit code, surrounding spaces, YYYY/MM/DD dates."""
    person = _id_ending_x()
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in person[:-1]) + "x"
    earlier, _, result = screened(
        funded,
        tmp_path,
        HIRING,
        [claim(HIRING, "H1", employee_id=person)],
        [
            claim(HIRING, "H2", employee_id=person[:-1] + "x"),
            claim(HIRING, "H3", employee_id=f" {full_width} "),
        ],
    )
    assert_duplicate(result, "H2", "H1", earlier.code)
    assert_duplicate(result, "H3", "H1", earlier.code)

    unit = credit_code(61)
    earlier, _, result = screened(
        funded,
        tmp_path,
        GX_BASE,
        [claim(GX_BASE, "X1", credit_code=unit)],
        [claim(GX_BASE, "X2", credit_code=unit.lower())],
    )
    assert_duplicate(result, "X2", "X1", earlier.code)

    worker = new_person()
    earlier, _, result = screened(
        funded,
        tmp_path,
        GOJI,
        [claim(GOJI, "G1", worker_id=worker)],
        [claim(GOJI, "G2", worker_id=worker, start_date="2024/08/31", end_date="2024/10/31")],
        as_of=GOJI_AS_OF,
    )
    assert_duplicate(result, "G2", "G1", earlier.code)
