"""The workflow's steps follow the documents and each other (issue #18, "Workflow").

- The 公示 cannot be skipped: each program's document sets its shortest notice (Dalian
  大人社发〔2022〕187号 三(四)3(2) "公示5个工作日"; Yingkou 第十三条 "不少于5个工作日"); a batch
  takes it by default and may set more, never less. A program whose document sets none
  says so (0, with a note).
- Dalian's application deadline (三(四)3(1) "每年9月30日前"): a claim applied for after the
  deadline of its year is ineligible, saying so with the date and the article.
- Dates in order: a claim dated after the batch's as-of date is ``invalid``; a notice
  before the as-of date, an approval before the as-of date or the notice, a rejection
  before either, are refused.
- Publishing a notice is all or nothing: a day whose holiday calendar is not known (from
  about 2026-12-25) refuses before anything is recorded or written, saying how to add the
  year's State Council notice.
- Only an approved claim takes a one-time key: a claim awaiting approval in another batch
  is named in the reasons, not made a duplicate.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from workflow_helpers import (
    AS_OF,
    CHECKER,
    DALIAN,
    FUND,
    GOJI,
    GOJI_AS_OF,
    HIRING,
    MAKER,
    claim,
    db_state,
    entry_count,
    new_person,
    statuses,
    submit_rows,
    write_claims,
)

from calculators.registry import calculators
from ledgers import Kind
from subsidies.cli import main
from subsidies.domain.workdays import CALENDAR_ENV, PUBLISHED_THROUGH, CalendarNotPublishedError
from subsidies.workflow import batches as wf
from subsidies.workflow.registers import publish

MONDAY = dt.date(2025, 6, 30)  # AS_OF: + 5 working days (Tue 1 .. Fri 4, Mon 7) = 2025-07-07
NOTICE_ENDS = dt.date(2025, 7, 7)


def refused(led, call, *fragments: str, error_type: type = wf.WorkflowError) -> str:
    """``call`` raises ``error_type`` naming every fragment, and changes no table."""
    before = db_state(led)
    with pytest.raises(error_type) as error:
        call()
    assert db_state(led) == before, "a refused step changed the database"
    message = str(error.value)
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    return message


def dalian(tmp_path: Path, claim_id: str = "DL-1", **overrides: str) -> Path:
    return write_claims(tmp_path / f"{claim_id}.csv", [claim(DALIAN, claim_id, **overrides)])


# -- the minimum notice --------------------------------------------------------------


@pytest.mark.parametrize("days", [0, 1, 4])
def test_dalian_notice_cannot_be_shorter_than_five_working_days(funded, tmp_path, days) -> None:
    path = dalian(tmp_path)
    submit = lambda: wf.submit(  # noqa: E731
        funded, DALIAN, path, fund_code=FUND, by=MAKER, as_of=AS_OF, notice_days=days
    )
    message = refused(funded, submit, "公示期不得少于 5 个工作日", "三(四)3(2)", "公示5个工作日")
    assert f"{days} 个工作日少于此数，批次未提交" in message and "--" not in message


def test_a_batch_takes_the_programs_minimum_or_more(funded, tmp_path) -> None:
    batch, _ = submit_rows(funded, [claim(DALIAN, "DL-1")], DALIAN, tmp=tmp_path)
    assert batch.notice_days == 5
    longer, _ = submit_rows(
        funded, [claim(DALIAN, "DL-2", brand_name="大连月嫂")], DALIAN, tmp=tmp_path, notice_days=7
    )
    assert longer.notice_days == 7
    qinghai, _ = submit_rows(funded, [claim(HIRING, "HB-1")], HIRING, tmp=tmp_path)
    assert qinghai.notice_days == 0  # 青海（征求意见稿） sets no notice


def test_dalian_is_never_approved_the_same_day(funded, tmp_path) -> None:
    batch, _ = submit_rows(funded, [claim(DALIAN, "DL-1")], DALIAN, tmp=tmp_path)
    refused(funded, lambda: wf.approve(funded, batch.code, by=CHECKER, on=AS_OF), "尚未发布公示")
    wf.publish_notice(funded, batch.code, on=MONDAY, by=MAKER)
    for day in (MONDAY, NOTICE_ENDS):
        refused(
            funded,
            lambda day=day: wf.approve(funded, batch.code, by=CHECKER, on=day),
            f"5 个工作日至 {NOTICE_ENDS} 期满",
        )
    assert wf.approve(funded, batch.code, by=CHECKER, on=NOTICE_ENDS + dt.timedelta(days=1))[1]


def test_every_program_says_its_minimum_notice() -> None:
    """Dalian and Yingkou quote their 5 working days; the other documents set none, and say so."""
    found = {}
    for calc in calculators():
        program = calc.program
        (value,) = program.parameter(wf.NOTICE_PARAMETER).values
        found[program.id] = value
        assert value.start == program.document.effective_from, program.id
        assert bool(value.quote) != bool(value.note), program.id  # a quote, or why none
    assert {i for i, v in found.items() if v.value} == {
        "dalian.brand_recognition",
        "dalian.brand_assessment",
        "yingkou.brand_assessment",
    }
    assert found["dalian.brand_recognition"].citation.endswith("三(四)3(2)")
    assert found["yingkou.brand_assessment"].citation.endswith("第十三条")
    assert "不少于5个工作日" in found["yingkou.brand_assessment"].quote
    assert "未规定公示" in found["qinghai.goji_broker"].note
    shown = CliRunner().invoke(main, ["show", DALIAN]).output
    assert "notice_working_days" in shown and "5 个工作日" in shown and "三(四)3(2)" in shown
    shown = CliRunner().invoke(main, ["show", GOJI]).output
    assert "0 个工作日" in shown and "未规定公示" in shown


# -- Dalian's application deadline ---------------------------------------------------


def test_an_application_after_30_september_is_ineligible(funded, tmp_path) -> None:
    rows = [
        claim(DALIAN, "IN-TIME", applied_on="2022-09-30"),
        claim(DALIAN, "LATE", brand_name="大连月嫂", applied_on="2022-10-08"),
        claim(DALIAN, "PROVINCIAL", brand_name="大连厨师", level="省级", applied_on=""),
    ]
    _, result = submit_rows(funded, rows, DALIAN, tmp=tmp_path)
    assert statuses(result) == {
        "IN-TIME": "eligible",
        "LATE": "ineligible",
        "PROVINCIAL": "eligible",
    }
    late = result.set_index("claim_id").loc["LATE", "reasons"]
    assert "申请日期 2022-10-08，须不晚于当年截止日 2022-09-30" in late
    assert "三(四)3(1)）：否" in late


def test_the_application_date_is_read_under_its_chinese_headers(funded, tmp_path) -> None:
    for n, header in enumerate(("申请日期", "申报日期")):
        row = claim(DALIAN, f"H-{n}", brand_name=f"品牌{n}")
        row[header] = row.pop("applied_on").replace("2022-09-01", "2022-10-09")
        _, result = submit_rows(funded, [row], DALIAN, tmp=tmp_path)
        assert statuses(result) == {f"H-{n}": "ineligible"}, result["reasons"].tolist()


# -- dates in order --------------------------------------------------------------------


def test_a_claim_dated_after_the_batch_is_invalid(funded, tmp_path) -> None:
    """A goji season of 2027 in a batch as of 2024, a recognition after the batch's date: the
    claim states what has not happened yet, so it is invalid and nothing is ever paid on it."""
    rows = [
        claim(
            GOJI, "G-2027", worker_id=new_person(), start_date="2027-07-01", end_date="2027-08-31"
        ),
        claim(GOJI, "G-2024", worker_id=new_person()),
    ]
    batch, result = submit_rows(funded, rows, GOJI, tmp=tmp_path, as_of=GOJI_AS_OF)
    assert statuses(result) == {"G-2027": "invalid", "G-2024": "eligible"}
    reasons = result.set_index("claim_id").loc["G-2027", "reasons"]
    assert "开始日期“2027-07-01”：晚于审核基准日 2024-12-02" in reasons
    wf.approve(funded, batch.code, by=CHECKER, on=GOJI_AS_OF)
    assert entry_count(funded, Kind.PAYOUT_ACCRUED, "accrual:%:G-2027") == 0

    _, result = submit_rows(
        funded, [claim(DALIAN, "D-LATER", recognized_on="2025-07-01")], DALIAN, tmp=tmp_path
    )
    assert statuses(result) == {"D-LATER": "invalid"}
    assert "认定日期“2025-07-01”：晚于审核基准日 2025-06-30" in (result["reasons"].iat[0])


def test_steps_dated_out_of_order_are_refused(funded, tmp_path) -> None:
    before_as_of = AS_OF - dt.timedelta(days=1)
    noticed, _ = submit_rows(funded, [claim(DALIAN, "DL-1")], DALIAN, tmp=tmp_path)
    refused(
        funded,
        lambda: wf.publish_notice(funded, noticed.code, on=before_as_of, by=MAKER),
        f"公示日期 {before_as_of} 早于批次的判定基准日 {AS_OF}",
    )
    wf.publish_notice(funded, noticed.code, on=MONDAY + dt.timedelta(days=2), by=MAKER)
    refused(  # an approval before the notice was published
        funded,
        lambda: wf.approve(funded, noticed.code, by=CHECKER, on=MONDAY + dt.timedelta(days=1)),
        "起方可审核通过",
    )
    refused(
        funded,
        lambda: wf.reject(funded, noticed.code, by=CHECKER, reason="异议", on=MONDAY),
        f"退回日期 {MONDAY} 早于公示发布日期",
    )
    plain, _ = submit_rows(funded, [claim(HIRING, "HB-1")], HIRING, tmp=tmp_path)
    for step, call in (
        ("审核通过", lambda: wf.approve(funded, plain.code, by=CHECKER, on=before_as_of)),
        (
            "退回",
            lambda: wf.reject(funded, plain.code, by=CHECKER, reason="x", on=before_as_of),
        ),
    ):
        refused(funded, call, f"{step}日期 {before_as_of} 早于批次的判定基准日")
    assert wf.approve(funded, plain.code, by=CHECKER, on=AS_OF)[1] == 1


# -- publishing the notice: all or nothing ----------------------------------------------


@pytest.fixture
def year_end_batch(funded, tmp_path, monkeypatch) -> wf.Batch:
    """A Dalian batch as of 21 December of the last year the holidays package knows."""
    monkeypatch.delenv(CALENDAR_ENV, raising=False)
    batch, _ = submit_rows(
        funded,
        [claim(DALIAN, "YE-1")],
        DALIAN,
        tmp=tmp_path,
        as_of=dt.date(PUBLISHED_THROUGH, 12, 21),
    )
    return batch


def test_a_notice_into_an_unknown_year_records_nothing(funded, year_end_batch, tmp_path) -> None:
    """Before the fix the batch showed `noticed` and the audit log the publication, with no file."""
    year = PUBLISHED_THROUGH + 1
    folder = tmp_path / "notices"
    folder.mkdir()
    pdf = folder / "notice.pdf"
    on = dt.date(PUBLISHED_THROUGH, 12, 28)
    message = refused(
        funded,
        lambda: publish(funded, year_end_batch.code, pdf, on=on, by=MAKER),
        f"国务院办公厅关于{year}年部分节假日安排的通知",
        "www.gov.cn",
        f"subsidies/domain/calendar/{year}.yaml",
        CALENDAR_ENV,
        error_type=CalendarNotPublishedError,
    )
    assert "upgrade the holidays package" in message
    assert wf.get(funded, year_end_batch.code).state == "submitted"
    assert list(folder.iterdir()) == []  # no notice, and nothing half-written


def test_the_notice_publishes_once_the_years_calendar_is_added(
    funded, year_end_batch, tmp_path, monkeypatch
) -> None:
    year = PUBLISHED_THROUGH + 1
    calendar = tmp_path / f"{year}.yaml"
    calendar.write_text(
        f"year: {year}\nnotice: 国务院办公厅关于{year}年部分节假日安排的通知 (test)\n"
        f"holidays: [{year}-01-01]\nworkdays: []\n",
        encoding="utf-8",
    )
    monkeypatch.setenv(CALENDAR_ENV, str(calendar))
    pdf = tmp_path / "notice.pdf"
    batch, total = publish(
        funded, year_end_batch.code, pdf, on=dt.date(PUBLISHED_THROUGH, 12, 28), by=MAKER
    )
    assert batch.state == "noticed" and total == 50_000_00
    assert pdf.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_notice_that_cannot_be_written_records_nothing(funded, tmp_path) -> None:
    batch, _ = submit_rows(funded, [claim(DALIAN, "NW-1")], DALIAN, tmp=tmp_path)
    missing = tmp_path / "no such folder" / "notice.pdf"
    before = db_state(funded)
    with pytest.raises(OSError):
        publish(funded, batch.code, missing, on=MONDAY, by=MAKER)
    assert db_state(funded) == before
    assert wf.get(funded, batch.code).state == "submitted"


def test_cli_notice_refusal_is_one_line_in_the_officers_words(
    funded, db_url, year_end_batch, tmp_path, as_officer
) -> None:
    pdf = tmp_path / "notice.pdf"
    env = as_officer(db_url, MAKER)
    before = db_state(funded)
    result = CliRunner().invoke(
        main,
        ["batch", "notice", year_end_batch.code, "-o", str(pdf),
         "--on", f"{PUBLISHED_THROUGH}-12-28", "--db", db_url],
        env=env,
    )  # fmt: skip
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("错误："), result.stderr
    assert "节假日安排" in lines[0] and "www.gov.cn" in lines[0]
    assert db_state(funded) == before and not pdf.exists()


# -- a claim awaiting approval takes no key -------------------------------------------


def test_a_pending_claim_is_named_not_a_duplicate(funded, tmp_path) -> None:
    person = new_person()
    first, _ = submit_rows(funded, [claim(HIRING, "P1", employee_id=person)], HIRING, tmp=tmp_path)
    second, result = submit_rows(
        funded, [claim(HIRING, "P2", employee_id=person)], HIRING, tmp=tmp_path
    )
    assert statuses(result) == {"P2": "eligible"}
    reasons = result["reasons"].iat[0]
    assert "另有尚未审批的同一申领" in reasons and "的申请 P1 " in reasons
    assert f"批次 {first.code} 第 2 行（待审批）" in reasons
    assert "重复" not in reasons.split("；")[0]
    # the pending batch is rejected: the later claim is paid, never blocked
    wf.reject(funded, first.code, by=CHECKER, reason="材料不全", on=AS_OF)
    assert wf.approve(funded, second.code, by=CHECKER, on=AS_OF)[1] == 1


def test_only_the_pending_batch_approved_first_is_paid(funded, tmp_path) -> None:
    person = new_person()
    first, _ = submit_rows(funded, [claim(HIRING, "Q1", employee_id=person)], HIRING, tmp=tmp_path)
    second, _ = submit_rows(funded, [claim(HIRING, "Q2", employee_id=person)], HIRING, tmp=tmp_path)
    assert wf.approve(funded, second.code, by=CHECKER, on=AS_OF)[1] == 1
    message = refused(funded, lambda: wf.approve(funded, first.code, by=CHECKER, on=AS_OF), "Q1")
    assert "已在其他批次审核通过" in message and "Q2" in message
    # and a batch after both sees the approved claim as the duplicate
    _, result = submit_rows(funded, [claim(HIRING, "Q3", employee_id=person)], HIRING, tmp=tmp_path)
    assert statuses(result) == {"Q3": "duplicate"}
    assert "的申请 Q2 " in result["reasons"].iat[0]
    assert re.search(r"已由批次 B\d{8}-\d{5} 第 2 行的申请", result["reasons"].iat[0])
