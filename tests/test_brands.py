"""subsidies.brands: the Yingkou brand lifecycle, 营人社〔2023〕43号 第十五条–第二十一条."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from subsidies.brands import (
    Action,
    Brand,
    BrandEvent,
    BrandEventError,
    DeadlineKind,
    EventKind,
    InterviewCause,
    Level,
    RectificationCause,
    RemovalCause,
    Status,
    add_calendar_months,
    append_event,
    check_events,
    next_step,
    payable,
    recovery_required,
    status_on,
)
from subsidies.domain.identity import credit_code_check_character

D = date.fromisoformat
E = BrandEvent
RC = RectificationCause
IC = InterviewCause
RM = RemovalCause


def credit_code(first17: str = "91210800MA0ABCDEF") -> str:
    return first17 + credit_code_check_character(first17)


RECOGNISED = "2023-09-01"
BRAND = Brand(
    "营口示例劳务服务有限公司", credit_code(), "营口海蛎子工匠", Level.CITY, D(RECOGNISED)
)

# Building blocks, in date order.
MISSED_2024 = [E.rectification_ordered(D("2024-11-05"), RC.LATE_INFORMATION)]
RECTIFIED = [*MISSED_2024, E.annual_report(D("2024-11-25"), 2024), E.rectified(D("2024-11-28"))]
INTERVIEWED = [*MISSED_2024, E.interview_ordered(D("2024-12-06"), IC.NOT_RECTIFIED)]
SUSPENDED = [*INTERVIEWED, E.suspended(D("2025-03-10"))]
RESTORED = [*SUSPENDED, E.restored(D("2025-09-01"))]


def suspension_cycle(interview_on: str, suspended_on: str, restored_on: str | None):
    events = [E.interview_ordered(D(interview_on), IC.FUNDS_MISUSED), E.suspended(D(suspended_on))]
    if restored_on:
        events.append(E.restored(D(restored_on)))
    return events


THREE_SUSPENSIONS = [
    *suspension_cycle("2024-01-10", "2024-04-11", "2024-10-01"),
    *suspension_cycle("2024-11-01", "2025-02-03", "2025-06-01"),
    *suspension_cycle("2025-07-01", "2025-10-02", None),
]
FRAUD = [E.removed(D("2024-03-10"), RM.FRAUD)]


@dataclass(frozen=True)
class Row:
    name: str
    events: list[BrandEvent]
    on: str
    expect: dict[str, Any] = field(default_factory=dict)
    brand: Brand = BRAND


def _check(row: Row) -> None:
    s = status_on(row.brand, row.events, D(row.on))
    for key, want in row.expect.items():
        if key == "next":
            action, due = want
            assert s.next_step is not None
            assert s.next_step.action is action, s.next_step
            assert s.next_step.due == (D(due) if due else None), s.next_step
        elif key == "deadline" and want is None:
            assert s.deadline is None, s.deadline
        elif key == "deadline":
            kind, due, overdue = want
            assert s.deadline is not None
            assert (s.deadline.kind, s.deadline.due, s.deadline.overdue) == (kind, D(due), overdue)
        elif key == "payable":
            ok, words = want
            got, reason = payable(s)
            assert got is ok, reason
            for w in words:
                assert w in reason, reason
        elif key == "reasons":
            text = "\n".join(s.reasons)
            for w in want:
                assert w in text, text
        elif key == "next_text":
            for w in want:
                assert w in s.next_step.text, s.next_step.text
        else:
            got = getattr(s, key)
            if isinstance(want, str) and isinstance(got, date | None):
                want = D(want)
            assert got == want, (key, got)


SCENARIOS = [
    Row(
        "clean brand: first report due the October after the recognition year",
        [],
        "2024-03-01",
        {
            "status": Status.ACTIVE,
            "next": (Action.FILE_ANNUAL_REPORT, "2024-10-31"),
            "deadline": (DeadlineKind.ANNUAL_REPORT, "2024-10-31", False),
            "annual_report_due": "2024-10-31",
            "review_due": "2025-09-01",
            "suspensions": 0,
            "removal_required": False,
            "reapply_from": None,
            "payable": (True, ["已认定", "第十九条", "第二十条"]),
        },
    ),
    Row(
        "clean brand, report filed on time: the two-yearly review comes first",
        [E.annual_report(D("2024-10-20"))],
        "2024-11-15",
        {
            "status": Status.ACTIVE,
            "annual_report_due": "2025-10-31",
            "next": (Action.REVIEW, "2025-09-01"),
            "reasons": ["已按时报送 2024 年度报告"],
        },
    ),
    Row(
        "missed annual report: rectification under 第十七条(一) is due",
        [],
        "2024-11-01",
        {
            "status": Status.ACTIVE,
            "next": (Action.ORDER_RECTIFICATION, None),
            "next_text": ["第十七条(一)", "未按本办法规定按时提供相关信息的"],
            "deadline": (DeadlineKind.ANNUAL_REPORT, "2024-10-31", True),
            "payable": (True, ["已认定"]),
        },
    ),
    Row(
        "rectification ordered: one month, same day of the next month",
        MISSED_2024,
        "2024-11-20",
        {
            "status": Status.RECTIFYING,
            "deadline": (DeadlineKind.RECTIFICATION, "2024-12-05", False),
            "next": (Action.RECTIFY, "2024-12-05"),
            "annual_report_due": "2025-10-31",  # 2024's is handled by the order
            "payable": (True, ["整改期至 2024-12-05"]),
        },
    ),
    Row(
        "rectified in time (report filed late, then rectified)",
        RECTIFIED,
        "2024-12-10",
        {
            "status": Status.ACTIVE,
            "annual_report_due": "2025-10-31",
            "reasons": ["逾期报送", "已在责令的一个月内整改，截止 2024-12-05"],
            "payable": (True, ["已认定"]),
        },
    ),
    Row(
        "rectified late: active again, the missed month recorded",
        [*MISSED_2024, E.rectified(D("2024-12-09"))],
        "2024-12-10",
        {"status": Status.ACTIVE, "reasons": ["届满后 4 天才整改", "第十八条(一)"]},
    ),
    Row(
        "not rectified on the last day of the month: still in time",
        MISSED_2024,
        "2024-12-05",
        {"status": Status.RECTIFYING, "next": (Action.RECTIFY, "2024-12-05")},
    ),
    Row(
        "not rectified within the month: the interview under 第十八条(一) is due",
        MISSED_2024,
        "2024-12-06",
        {
            "status": Status.RECTIFYING,
            "deadline": (DeadlineKind.RECTIFICATION, "2024-12-05", True),
            "next": (Action.ORDER_INTERVIEW, None),
            "next_text": ["第十八条(一)", "三个月内整改"],
        },
    ),
    Row(
        "interviewed: three months to rectify",
        INTERVIEWED,
        "2025-01-10",
        {
            "status": Status.INTERVIEWED,
            "deadline": (DeadlineKind.INTERVIEW_RECTIFICATION, "2025-03-06", False),
            "next": (Action.RECTIFY, "2025-03-06"),
            "reasons": ["约谈", "取代 2024-11-05 责令的整改"],
            "payable": (True, ["已认定"]),
        },
    ),
    Row(
        "interview not rectified within three months: suspension may be decided",
        INTERVIEWED,
        "2025-03-07",
        {
            "status": Status.INTERVIEWED,
            "next": (Action.DECIDE_SUSPENSION, None),
            "next_text": ["第十九条"],
            "deadline": (DeadlineKind.INTERVIEW_RECTIFICATION, "2025-03-06", True),
        },
    ),
    Row(
        "suspended: one year, not paid",
        SUSPENDED,
        "2025-04-01",
        {
            "status": Status.SUSPENDED,
            "suspended_until": "2026-03-10",
            "suspensions": 1,
            "deadline": (DeadlineKind.SUSPENSION_END, "2026-03-10", False),
            "next": (Action.DECIDE_RESTORE_OR_EXTEND, "2026-03-10"),
            "payable": (
                False,
                ["暂停至 2026-03-10", "第十九条", "本系统依就业补助资金的一般规定所作的理解"],
            ),
            "reasons": ["第二十一条", "第 1 次暂停"],
        },
    ),
    Row(
        "suspended, then restored: paid again, the suspension counted",
        RESTORED,
        "2025-09-02",
        {
            "status": Status.ACTIVE,
            "suspensions": 1,
            "suspended_until": None,
            "removal_required": False,
            "payable": (True, ["已认定"]),
            "reasons": ["恢复标识使用权"],
        },
    ),
    Row(
        "suspension extended before the year ends: a further year, still one suspension",
        [*SUSPENDED, E.suspension_extended(D("2026-03-01"))],
        "2026-06-01",
        {
            "status": Status.SUSPENDED,
            "suspended_until": "2027-03-10",
            "suspensions": 1,
            "next": (Action.DECIDE_RESTORE_OR_EXTEND, "2027-03-10"),
            "payable": (False, ["2027-03-10"]),
        },
    ),
    Row(
        "suspension year ended with no decision: it stands, the decision is overdue",
        SUSPENDED,
        "2026-03-11",
        {
            "status": Status.SUSPENDED,
            "deadline": (DeadlineKind.SUSPENSION_END, "2026-03-10", True),
            "next": (Action.DECIDE_RESTORE_OR_EXTEND, "2026-03-10"),
            "next_text": ["尚未登记决定"],
            "payable": (False, ["第十九条"]),
        },
    ),
    Row(
        "third suspension: removal under 第二十条(五) required",
        THREE_SUSPENSIONS,
        "2025-10-02",
        {
            "status": Status.SUSPENDED,
            "suspensions": 3,
            "removal_required": True,
            "removal_grounds": (RM.SUSPENDED_THREE_TIMES,),
            "next": (Action.REMOVE, None),
            "next_text": ["第二十条(五)", "三次(含三次)以上"],
            "payable": (False, ["不享受品牌资金"]),
        },
    ),
    Row(
        "two suspensions: no removal required",
        THREE_SUSPENSIONS[:6],
        "2025-06-02",
        {"status": Status.ACTIVE, "suspensions": 2, "removal_required": False},
    ),
    Row(
        "removed after three suspensions: not paid, no recovery",
        [*THREE_SUSPENSIONS, E.removed(D("2025-11-01"), RM.SUSPENDED_THREE_TIMES)],
        "2025-11-02",
        {
            "status": Status.REMOVED,
            "removal_required": False,
            "removed_on": "2025-11-01",
            "removal_cause": RM.SUSPENDED_THREE_TIMES,
            "recovery_required": False,
            "reapply_from": "2030-11-02",
            "annual_report_due": None,
            "review_due": None,
            "deadline": None,
            "next": (Action.REAPPLY, "2030-11-02"),
            "payable": (False, ["第二十条(五)", "本系统依就业补助资金的一般规定所作的理解"]),
        },
    ),
    Row(
        "removed for fraud: recovery, reapplication barred for five years",
        FRAUD,
        "2024-03-11",
        {
            "status": Status.REMOVED,
            "recovery_required": True,
            "reapply_from": "2029-03-11",
            "next": (Action.REAPPLY, "2029-03-11"),
            "next_text": ["自 2029-03-11 起可"],
            "payable": (
                False,
                [
                    "第二十条(四)",
                    "以欺骗",
                    "追回为该品牌支付的全部款项",
                    "本系统依就业补助资金的一般规定所作的理解",
                ],
            ),
        },
    ),
    Row(
        "removed for fraud: the last barred day",
        FRAUD,
        "2029-03-10",
        {"next_text": ["自 2029-03-11 起可"]},
    ),
    Row(
        "removed for fraud: reapplied once the five years are over",
        [*FRAUD, E.reapplied(D("2029-03-11"))],
        "2029-04-01",
        {
            "status": Status.REMOVED,
            "recovery_required": True,
            "next_text": ["现在即可重新申请"],
            "reasons": ["重新申请认定"],
        },
    ),
    Row(
        "review: none yet, due two years after recognition",
        [],
        "2025-01-01",
        {"review_due": "2025-09-01"},
    ),
    Row(
        "review: done early counts for its cycle",
        [E.review(D("2025-08-20"), passed=True)],
        "2025-09-02",
        {"review_due": "2027-09-01"},
    ),
    Row(
        "review: done late counts for its cycle",
        [E.review(D("2025-10-15"), passed=True)],
        "2025-10-16",
        {"review_due": "2027-09-01"},
    ),
    Row(
        "review: a skipped cycle is not due twice",
        [E.review(D("2027-09-01"), passed=True)],
        "2027-09-02",
        {"review_due": "2029-09-01"},
    ),
    Row(
        "review: overdue when not recorded",
        [E.annual_report(D("2024-10-01")), E.annual_report(D("2025-10-01"))],
        "2025-10-02",
        {
            "next": (Action.REVIEW, "2025-09-01"),
            "deadline": (DeadlineKind.REVIEW, "2025-09-01", True),
            "reasons": ["应于 2025-09-01 进行的复审尚未登记"],
        },
    ),
    Row(
        "review: recognised on 29 February, due on 28 February",
        [],
        "2024-03-01",
        {"review_due": "2026-02-28"},
        Brand("某单位", credit_code(), "某品牌", Level.CITY, D("2024-02-29")),
    ),
    Row(
        "review failed: removal under 第二十条(六) required, still paid until decided",
        [E.review(D("2025-09-01"), passed=False)],
        "2025-09-02",
        {
            "status": Status.ACTIVE,
            "removal_required": True,
            "removal_grounds": (RM.NO_LONGER_QUALIFIES,),
            "next": (Action.REMOVE, None),
            "payable": (True, ["应移出目录（第二十条(六)）"]),
        },
    ),
    Row(
        "review failed then passed: no removal required",
        [E.review(D("2025-09-01"), passed=False), E.review(D("2025-12-01"), passed=True)],
        "2025-12-02",
        {"removal_required": False},
    ),
    Row(
        "interview for 经营异常名录 straight from active (第十八条(三))",
        [E.interview_ordered(D("2024-05-31"), IC.ABNORMAL_OPERATIONS)],
        "2024-06-01",
        {
            "status": Status.INTERVIEWED,
            "deadline": (DeadlineKind.INTERVIEW_RECTIFICATION, "2024-08-31", False),
        },
    ),
    Row(
        "rectification ordered on 31 January: due on the month's last day",
        [E.rectification_ordered(D("2024-01-31"), RC.MARK_MISUSE)],
        "2024-02-01",
        {"deadline": (DeadlineKind.RECTIFICATION, "2024-02-29", False)},
    ),
    Row(
        "rectified, then judged ineffective (整改措施不力): interview (一) allowed",
        [*RECTIFIED, E.interview_ordered(D("2024-12-20"), IC.NOT_RECTIFIED)],
        "2024-12-21",
        {"status": Status.INTERVIEWED},
    ),
    Row(
        "events after the day asked about are not applied",
        SUSPENDED,
        "2025-03-09",
        {"status": Status.INTERVIEWED, "suspensions": 0},
    ),
]


@pytest.mark.parametrize("row", SCENARIOS, ids=[r.name for r in SCENARIOS])
def test_lifecycle(row: Row) -> None:
    _check(row)


ERRORS = [
    ("restored when not suspended", [E.restored(D("2024-01-10"))], "只有被暂停的品牌"),
    (
        "event after removal",
        [*FRAUD, E.annual_report(D("2024-10-01"))],
        "已于 2024-03-10 移出目录",
    ),
    (
        "reapplied within five years",
        [*FRAUD, E.reapplied(D("2029-03-10"))],
        "2029-03-11 前不得申请",
    ),
    ("reapplied while still recognised", [E.reapplied(D("2024-01-10"))], "未被移出目录"),
    ("event before recognition", [E.annual_report(D("2023-08-01"))], "早于认定日期"),
    (
        "events out of order",
        [E.annual_report(D("2024-10-20")), E.review(D("2024-10-01"), passed=True)],
        "顺序错误",
    ),
    ("suspended without an interview", [E.suspended(D("2024-03-01"))], "目前没有进行中的约谈整改"),
    (
        "suspended before the three months end",
        [*INTERVIEWED, E.suspended(D("2025-03-06"))],
        "整改期至 2025-03-06",
    ),
    (
        "interview (一) without a rectification order",
        [E.interview_ordered(D("2024-03-01"), IC.NOT_RECTIFIED)],
        "须以此前的责令整改",
    ),
    (
        "interview (一) before the month ends",
        [*MISSED_2024, E.interview_ordered(D("2024-12-05"), IC.NOT_RECTIFIED)],
        "一个月整改期至 2024-12-05",
    ),
    (
        "interview while suspended",
        [*SUSPENDED, E.interview_ordered(D("2025-04-01"), IC.FUNDS_MISUSED)],
        "品牌标识使用权已暂停",
    ),
    (
        "second rectification while one is open",
        [*MISSED_2024, E.rectification_ordered(D("2024-11-06"), RC.MARK_MISUSE)],
        "整改正在进行，至 2024-12-05",
    ),
    (
        "removal for three suspensions after two",
        [*THREE_SUSPENSIONS[:6], E.removed(D("2025-06-10"), RM.SUSPENDED_THREE_TIMES)],
        "实际 2 次",
    ),
    (
        "extension after the suspension year",
        [*SUSPENDED, E.suspension_extended(D("2026-03-11"))],
        "一年期届满前",
    ),
    ("extension when not suspended", [E.suspension_extended(D("2024-03-01"))], "未被暂停"),
    ("rectified with nothing open", [E.rectified(D("2024-03-01"))], "没有进行中的整改"),
    (
        "two reports for one year",
        [E.annual_report(D("2024-10-01")), E.annual_report(D("2024-10-20"))],
        "已于 2024-10-01 报送",
    ),
    (
        "a later impossible event is refused even when asking about an earlier day",
        [E.annual_report(D("2024-10-01")), E.restored(D("2024-12-01"))],
        "只有被暂停的品牌",
    ),
]


@pytest.mark.parametrize(("name", "events", "match"), ERRORS, ids=[e[0] for e in ERRORS])
def test_impossible_sequences_are_refused(name, events, match):
    with pytest.raises(BrandEventError, match=match):
        status_on(BRAND, events, D("2024-01-01"))


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (lambda: BrandEvent(EventKind.REVIEW, D("2024-01-01")), "“passed”仅用于复审"),
        (lambda: BrandEvent(EventKind.REMOVED, D("2024-01-01")), "RemovalCause"),
        (
            lambda: BrandEvent(EventKind.REMOVED, D("2024-01-01"), cause=RC.MARK_MISUSE),
            "RemovalCause",
        ),
        (lambda: BrandEvent(EventKind.RESTORED, D("2024-01-01"), cause=RM.FRAUD), "不应附带事由"),
        (lambda: E.annual_report(D("2024-01-01"), for_year=2025), "不能属于以后年度"),
        (lambda: BrandEvent(EventKind.RESTORED, D("2024-01-01"), for_year=2024), "for_year"),
    ],
)
def test_malformed_events_are_refused(build, match):
    with pytest.raises(BrandEventError, match=match):
        build()


def test_append_event_checks_before_appending():
    events = append_event(BRAND, (), MISSED_2024[0])
    assert len(events) == 1
    with pytest.raises(BrandEventError):
        append_event(BRAND, events, E.restored(D("2024-12-01")))
    check_events(BRAND, RESTORED)


def test_recovery_required_only_for_fraud():
    assert recovery_required(FRAUD)
    assert not recovery_required([E.removed(D("2024-03-10"), RM.CEASED)])
    assert not recovery_required(RESTORED)


def test_next_step_helper():
    assert next_step(BRAND, MISSED_2024, D("2024-12-06")).action is Action.ORDER_INTERVIEW


def test_rules_are_for_city_brands_and_recognised_days():
    provincial = Brand("某单位", credit_code(), "某品牌", Level.PROVINCIAL, D(RECOGNISED))
    with pytest.raises(ValueError, match="市级"):
        status_on(provincial, [], D("2024-01-01"))
    with pytest.raises(ValueError, match="尚未认定"):
        status_on(BRAND, [], D("2023-08-31"))


WRONG_CHECK = credit_code()[:17] + ("0" if credit_code()[-1] != "0" else "1")


@pytest.mark.parametrize(
    ("code", "match"),
    [("91210800MA0ABCDEFI", "GB 32100"), ("", "GB 32100"), (WRONG_CHECK, "校验码错误")],
)
def test_brand_needs_a_valid_credit_code(code, match):
    with pytest.raises(ValueError, match=match):
        Brand("某单位", code, "某品牌", Level.CITY, D(RECOGNISED))


def test_brand_normalises_code_and_level():
    brand = Brand("某单位", credit_code().lower(), "某品牌", "city", D(RECOGNISED))
    assert brand.credit_code == credit_code()
    assert brand.level is Level.CITY


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2024-11-05", 1, "2024-12-05"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2024-12-06", 3, "2025-03-06"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-03-10", 60, "2029-03-10"),
    ],
)
def test_add_calendar_months(day, months, expected):
    assert add_calendar_months(D(day), months) == D(expected)
