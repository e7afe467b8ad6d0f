"""The Yingkou city-level brand lifecycle (营人社〔2023〕43号 第十五条–第二十一条), as pure functions.

A :class:`Brand` is recognised on a date; what happens to it afterwards is an
append-only list of dated :class:`BrandEvent` records, in date order. :func:`status_on`
replays them up to a day and says where the brand stands, what is open, what is due
next and why, citing the article for each step. Nothing here invents an event: a
missed deadline makes the next measure *due* (:attr:`BrandStatus.next_step`); only the
bureau's recorded decision changes the status.

The articles, as applied:

- 第十六条: a review (复审) every two years after recognition, organised by the city
  bureau; the unit reports the brand's use and development by the end of October
  each year (每年10月底前).
- 第十七条: for (一)–(四) the county bureau orders rectification within one month.
- 第十八条: for (一) not rectifying within that month (or rectifying ineffectively),
  (二) misused subsidy funds or (三) the 经营异常名录, the county bureau interviews the
  unit's head (约谈) and orders rectification within three months.
- 第十九条: not rectified within those three months, the city bureau may suspend use
  of the brand mark for one year; before the year ends it restores use or suspends it
  for a further year.
- 第二十条: for (一)–(六) the brand is removed from the catalogue and the mark
  withdrawn; (五) is three suspensions or more; no reapplication for five years from
  the decision.
- 第二十一条: suspensions and removals are published on the city bureau's website.

Periods (docs/policies/README.md and 民法典 第二百零一条/第二百零二条): the day of the
decision does not count, and a period of N months ends on the same day-of-month N
months later, or on that month's last day where the day does not exist
(:func:`subsidies.domain.periods.add_months`). That day is the last day of the period: an
order of 15 March to rectify within one month is met by 15 April, a suspension
decided on 10 March 2024 runs to 10 March 2025, and a brand removed on 10 March 2024
may reapply from 11 March 2029.

Readings this module had to choose (the document does not settle them):

- The first annual report is due by 31 October of the year *after* recognition (the
  recognition dossier covers the year of recognition).
- A further year of suspension (继续暂停) continues the same suspension: it is not a new
  suspension for 第二十条(五).
- A failed review means the brand "已经不符合市级劳务品牌认定条件": removal under
  第二十条(六) is required until a later review passes.
- A suspension whose year ends with no recorded decision stands until the city bureau
  restores use or extends it (the decision is shown as overdue).

Money: the document has no money provisions. That a suspended or removed brand is not
paid, and that one removed for fraud (第二十条(四)) owes back everything paid, is this
product's reading (docs/policies/README.md "Brand lifecycle") under the general rules
for 就业补助资金: see :func:`payable` and :func:`recovery_required`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum, StrEnum

import numpy as np

from subsidies.domain.i18n import N_, _, separator
from subsidies.domain.identity import CREDIT_ALPHABET, credit_code_check_character
from subsidies.domain.periods import add_months

__all__ = [
    "DOC",
    "Action",
    "Brand",
    "BrandEvent",
    "BrandEventError",
    "BrandStatus",
    "Deadline",
    "DeadlineKind",
    "EventKind",
    "InterviewCause",
    "Level",
    "NextStep",
    "RectificationCause",
    "RemovalCause",
    "Status",
    "add_calendar_months",
    "append_event",
    "check_events",
    "next_step",
    "payable",
    "recovery_required",
    "status_on",
]

DOC = "营人社〔2023〕43号"
MONEY_READING = N_(
    'this product\'s reading (docs/policies/README.md "Brand lifecycle"), under the general '
    "rules for 就业补助资金: the document itself has no money provisions"
)
REPORT_MONTH, REPORT_DAY = 10, 31  # 第十六条 "每年10月底前"
REVIEW_YEARS = 2  # 第十六条 "每两年进行复审"
RECTIFICATION_MONTHS = 1  # 第十七条 "责令一个月内予以整改"
INTERVIEW_MONTHS = 3  # 第十八条 "责令三个月内予以整改"
SUSPENSION_MONTHS = 12  # 第十九条 "暂停…标识使用权一年" / "继续暂停标识使用权一年"
SUSPENSIONS_FOR_REMOVAL = 3  # 第二十条(五) "三次(含三次)以上"
REAPPLY_BAR_MONTHS = 60  # 第二十条 "自决定作出之日起五年内不得再次申请"

_CREDIT_CODE = re.compile(f"[{CREDIT_ALPHABET}]{{18}}")


class BrandEventError(ValueError):
    """An event that cannot happen to the brand at that point of its lifecycle."""


def add_calendar_months(day: date, months: int) -> date:
    """``day`` + ``months`` calendar months, or that month's last day (民法典 第二百零二条).

    A single-date wrapper of :func:`subsidies.domain.periods.add_months`.
    """
    return add_months(np.array([day], dtype="datetime64[D]"), months)[0].item()


class Level(StrEnum):
    """认定级别. 营人社〔2023〕43号 governs 市级 (city-level) brands only."""

    PROVINCIAL = "provincial"
    CITY = "city"
    DISTRICT = "district"


class Status(StrEnum):
    ACTIVE = "active"
    RECTIFYING = "rectifying"  # 第十七条: one-month rectification open
    INTERVIEWED = "interviewed"  # 第十八条: 约谈 and three-month rectification open
    SUSPENDED = "suspended"  # 第十九条: use of the brand mark suspended
    REMOVED = "removed"  # 第二十条: removed from the catalogue


class EventKind(StrEnum):
    ANNUAL_REPORT = "annual_report"
    REVIEW = "review"
    RECTIFICATION_ORDERED = "rectification_ordered"
    RECTIFIED = "rectified"
    INTERVIEW_ORDERED = "interview_ordered"
    SUSPENDED = "suspended"
    SUSPENSION_EXTENDED = "suspension_extended"
    RESTORED = "restored"
    REMOVED = "removed"
    REAPPLIED = "reapplied"


class _Cause(Enum):
    """A listed ground: ``value`` is (article, the document's words)."""

    @property
    def article(self) -> str:
        return self.value[0]

    @property
    def words(self) -> str:
        return self.value[1]

    def cite(self) -> str:
        return f'{DOC} {self.article} "{self.words}"'


def _dated(on: date, text: str) -> str:
    """A reason under its date: ``2024-11-05：…``."""
    return _("{on}: {text}").format(on=on, text=text)


class RectificationCause(_Cause):
    """第十七条 (一)–(四): grounds for a one-month rectification order."""

    LATE_INFORMATION = ("第十七条(一)", "未按本办法规定按时提供相关信息的")
    MARK_MISUSE = ("第十七条(二)", "市级劳务品牌标识使用不符合有关规定的")
    RECORDS_INCOMPLETE = (
        "第十七条(三)",
        "职业培训人员培训信息、劳务从业人员就业信息不完整,管理不规范的",
    )
    NO_AFTERCARE = ("第十七条(四)", "未按要求对劳务从业人员输出后进行服务和管理的")


class InterviewCause(_Cause):
    """第十八条 (一)–(三): grounds for an interview and a three-month rectification order."""

    NOT_RECTIFIED = ("第十八条(一)", "被县级人社部门责令整改,一个月内未整改或整改措施不力的")
    FUNDS_MISUSED = ("第十八条(二)", "各类财政补助资金未按有关规定使用的")
    ABNORMAL_OPERATIONS = ("第十八条(三)", "被相关部门列入经营异常名录的")


class RemovalCause(_Cause):
    """第二十条 (一)–(六): grounds for removal from the catalogue."""

    CEASED = (
        "第二十条(一)",
        "破产清算、解散、注销、被吊销营业执照或两年以上不开展经营活动的",
    )
    SERIOUS_VIOLATION = (
        "第二十条(二)",
        "发生严重损害消费者权益、出现重大质量问题或安全事故、严重侵犯他人知识产权、"
        "严重扰乱市场秩序或其他严重违法行为的",
    )
    DISHONEST_LIST = ("第二十条(三)", "被相关部门列入严重违法失信企业名单的")
    FRAUD = ("第二十条(四)", "以欺骗或其他不正当手段通过市级劳务品牌认定的")
    SUSPENDED_THREE_TIMES = (
        "第二十条(五)",
        "依据本办法被暂停市级劳务品牌标识使用权三次(含三次)以上的",
    )
    NO_LONGER_QUALIFIES = ("第二十条(六)", "已经不符合市级劳务品牌认定条件的")


_CAUSE_TYPES: dict[EventKind, type[_Cause]] = {
    EventKind.RECTIFICATION_ORDERED: RectificationCause,
    EventKind.INTERVIEW_ORDERED: InterviewCause,
    EventKind.REMOVED: RemovalCause,
}


@dataclass(frozen=True)
class Brand:
    """A recognised brand: the unit (建设单位), its 统一社会信用代码, the brand, level, date."""

    unit_name: str
    credit_code: str
    brand_name: str
    level: Level
    recognised_on: date

    def __post_init__(self) -> None:
        code = self.credit_code.strip().upper()
        if not _CREDIT_CODE.fullmatch(code):
            raise ValueError(
                _(
                    "统一社会信用代码 {code}: must be 18 characters from 0-9 and A-Z "
                    "without I, O, S, V, Z (GB 32100-2015)"
                ).format(code=repr(self.credit_code))
            )
        if credit_code_check_character(code[:17]) != code[17]:
            raise ValueError(
                _("统一社会信用代码 {code}: wrong check character (GB 32100-2015)").format(
                    code=code
                )
            )
        if not self.unit_name.strip() or not self.brand_name.strip():
            raise ValueError(_("unit name and brand name are required"))
        object.__setattr__(self, "credit_code", code)
        object.__setattr__(self, "level", Level(self.level))


@dataclass(frozen=True)
class BrandEvent:
    """One dated, recorded fact or decision. Build with the class methods.

    ``cause`` goes with rectification_ordered, interview_ordered and removed; ``passed``
    with review; ``for_year`` with annual_report (default: the year it is filed in).
    """

    kind: EventKind
    on: date
    cause: RectificationCause | InterviewCause | RemovalCause | None = None
    passed: bool | None = None
    for_year: int | None = None
    note: str = ""

    def __post_init__(self) -> None:
        kind = EventKind(self.kind)
        object.__setattr__(self, "kind", kind)
        expected = _CAUSE_TYPES.get(kind)
        if expected is None and self.cause is not None:
            raise BrandEventError(_("{kind}: takes no cause").format(kind=kind))
        if expected is not None and not isinstance(self.cause, expected):
            raise BrandEventError(
                _("{kind}: needs a {type}, got {cause}").format(
                    kind=kind, type=expected.__name__, cause=repr(self.cause)
                )
            )
        if (kind is EventKind.REVIEW) != (self.passed is not None):
            raise BrandEventError(
                _("{kind}: 'passed' goes with a review, and a review needs it").format(kind=kind)
            )
        if kind is EventKind.ANNUAL_REPORT:
            year = self.on.year if self.for_year is None else self.for_year
            if year > self.on.year:
                raise BrandEventError(
                    _("annual report filed on {on} cannot be for a later year ({year})").format(
                        on=self.on, year=year
                    )
                )
            object.__setattr__(self, "for_year", year)
        elif self.for_year is not None:
            raise BrandEventError(
                _("{kind}: 'for_year' goes with an annual report only").format(kind=kind)
            )

    @classmethod
    def annual_report(cls, on: date, for_year: int | None = None, note: str = "") -> BrandEvent:
        return cls(EventKind.ANNUAL_REPORT, on, for_year=for_year, note=note)

    @classmethod
    def review(cls, on: date, passed: bool, note: str = "") -> BrandEvent:
        return cls(EventKind.REVIEW, on, passed=passed, note=note)

    @classmethod
    def rectification_ordered(
        cls, on: date, cause: RectificationCause, note: str = ""
    ) -> BrandEvent:
        return cls(EventKind.RECTIFICATION_ORDERED, on, cause=cause, note=note)

    @classmethod
    def rectified(cls, on: date, note: str = "") -> BrandEvent:
        return cls(EventKind.RECTIFIED, on, note=note)

    @classmethod
    def interview_ordered(cls, on: date, cause: InterviewCause, note: str = "") -> BrandEvent:
        return cls(EventKind.INTERVIEW_ORDERED, on, cause=cause, note=note)

    @classmethod
    def suspended(cls, on: date, note: str = "") -> BrandEvent:
        return cls(EventKind.SUSPENDED, on, note=note)

    @classmethod
    def suspension_extended(cls, on: date, note: str = "") -> BrandEvent:
        return cls(EventKind.SUSPENSION_EXTENDED, on, note=note)

    @classmethod
    def restored(cls, on: date, note: str = "") -> BrandEvent:
        return cls(EventKind.RESTORED, on, note=note)

    @classmethod
    def removed(cls, on: date, cause: RemovalCause, note: str = "") -> BrandEvent:
        return cls(EventKind.REMOVED, on, cause=cause, note=note)

    @classmethod
    def reapplied(cls, on: date, note: str = "") -> BrandEvent:
        return cls(EventKind.REAPPLIED, on, note=note)


class DeadlineKind(StrEnum):
    RECTIFICATION = "rectification"  # 第十七条, one month
    INTERVIEW_RECTIFICATION = "interview_rectification"  # 第十八条, three months
    SUSPENSION_END = "suspension_end"  # 第十九条, one year (or a further year)
    ANNUAL_REPORT = "annual_report"  # 第十六条, 31 October
    REVIEW = "review"  # 第十六条, every two years


@dataclass(frozen=True)
class Deadline:
    """An open deadline: ``due`` is its last day; ``overdue`` once the day has passed."""

    kind: DeadlineKind
    due: date
    article: str
    overdue: bool


class Action(StrEnum):
    FILE_ANNUAL_REPORT = "file_annual_report"  # the unit, 第十六条
    REVIEW = "review"  # the city bureau organises it, 第十六条
    RECTIFY = "rectify"  # the unit, within the period ordered, 第十七条/第十八条
    ORDER_RECTIFICATION = "order_rectification"  # the county bureau, 第十七条
    ORDER_INTERVIEW = "order_interview"  # the county bureau, 第十八条
    DECIDE_SUSPENSION = "decide_suspension"  # the city bureau, 第十九条
    DECIDE_RESTORE_OR_EXTEND = "decide_restore_or_extend"  # the city bureau, 第十九条
    REMOVE = "remove"  # the city bureau, 第二十条
    REAPPLY = "reapply"  # the unit may reapply from ``due``, 第二十条


@dataclass(frozen=True)
class NextStep:
    """What is due next, by whom it is done being implied by ``action``.

    ``due`` is the last day for it, or for :attr:`Action.REAPPLY` the first day it may
    happen; ``None`` when the step is already open (a missed deadline escalates).
    """

    action: Action
    due: date | None
    article: str
    text: str


@dataclass(frozen=True)
class BrandStatus:
    """Where a brand stands on ``on``, from its events up to and including that day."""

    brand: Brand
    on: date
    status: Status
    deadlines: tuple[Deadline, ...]  # the status's own deadline first, then by date
    annual_report_due: date | None
    review_due: date | None
    suspensions: int
    suspended_until: date | None
    removal_required: bool
    removal_grounds: tuple[RemovalCause, ...]
    removed_on: date | None
    removal_cause: RemovalCause | None
    reapply_from: date | None
    recovery_required: bool
    next_step: NextStep | None
    reasons: tuple[str, ...]

    @property
    def deadline(self) -> Deadline | None:
        """The open deadline that matters most: the status's own, or the earliest routine one."""
        return self.deadlines[0] if self.deadlines else None


def _report_due(year: int) -> date:
    return date(year, REPORT_MONTH, REPORT_DAY)


@dataclass
class _Replay:
    """Mutable state while events are replayed in order (internal)."""

    brand: Brand
    phase: Status = Status.ACTIVE
    last_on: date | None = None
    rect_on: date | None = None  # latest rectification order
    rect_due: date | None = None
    rect_escalable: bool = False  # a rectification order not yet followed by an interview
    interview_on: date | None = None
    interview_due: date | None = None
    interview_escalable: bool = False  # an interview not yet followed by a suspension
    suspensions: int = 0
    suspension_on: date | None = None
    suspension_end: date | None = None
    removed_on: date | None = None
    removal_cause: RemovalCause | None = None
    reports: dict[int, date] = field(default_factory=dict)
    late_information_orders: list[date] = field(default_factory=list)
    reviews: list[tuple[date, bool]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def reapply_from(self) -> date | None:
        if self.removed_on is None:
            return None
        return add_calendar_months(self.removed_on, REAPPLY_BAR_MONTHS) + timedelta(days=1)

    def refuse(self, event: BrandEvent, why: str) -> BrandEventError:
        return BrandEventError(
            _("{kind} on {on}: {why}").format(kind=event.kind, on=event.on, why=why)
        )

    def apply(self, event: BrandEvent) -> None:
        d = event.on
        if d < self.brand.recognised_on:
            raise self.refuse(
                event,
                _("dated before recognition on {on}").format(on=self.brand.recognised_on),
            )
        if self.last_on is not None and d < self.last_on:
            raise self.refuse(
                event,
                _(
                    "out of order: the previous event is dated {on}; "
                    "events are appended in date order"
                ).format(on=self.last_on),
            )
        if self.phase is Status.REMOVED and event.kind is not EventKind.REAPPLIED:
            raise self.refuse(
                event,
                _(
                    "the brand was removed on {on} ({doc} 第二十条); "
                    "only a reapplication, from {reapply}, can follow"
                ).format(on=self.removed_on, doc=DOC, reapply=self.reapply_from),
            )
        getattr(self, "_" + event.kind.value)(event)
        self.last_on = d

    # -- one handler per event kind ---------------------------------------------------

    def _annual_report(self, event: BrandEvent) -> None:
        year = event.for_year
        assert year is not None
        if year < self.brand.recognised_on.year:
            raise self.refuse(
                event, _("for {year}, before the brand was recognised").format(year=year)
            )
        if year in self.reports:
            raise self.refuse(
                event,
                _("the report for {year} was filed on {on}").format(
                    year=year, on=self.reports[year]
                ),
            )
        self.reports[year] = event.on
        due = _report_due(year)
        if event.on <= due:
            text = _(
                "annual report for {year} filed, on time ({doc} 第十六条 每年10月底前, due {due})"
            )
            self.reasons.append(_dated(event.on, text.format(year=year, doc=DOC, due=due)))
        else:
            text = _(
                "annual report for {year} filed late (due {due}, {doc} 第十六条): {cause} applied"
            )
            cause = RectificationCause.LATE_INFORMATION.cite()
            self.reasons.append(
                _dated(event.on, text.format(year=year, due=due, doc=DOC, cause=cause))
            )

    def _review(self, event: BrandEvent) -> None:
        self.reviews.append((event.on, bool(event.passed)))
        if event.passed:
            text = _("review (复审) passed ({doc} 第十六条 每两年进行复审)").format(doc=DOC)
            self.reasons.append(_dated(event.on, text))
        else:
            text = _(
                "review (复审) failed ({doc} 第十六条): read as {cause}, so removal is required"
            ).format(doc=DOC, cause=RemovalCause.NO_LONGER_QUALIFIES.cite())
            self.reasons.append(_dated(event.on, text))

    def _rectification_ordered(self, event: BrandEvent) -> None:
        if self.phase is not Status.ACTIVE:
            raise self.refuse(event, self._open_measure())
        assert isinstance(event.cause, RectificationCause)
        self.phase = Status.RECTIFYING
        self.rect_on = event.on
        self.rect_due = add_calendar_months(event.on, RECTIFICATION_MONTHS)
        self.rect_escalable = True
        if event.cause is RectificationCause.LATE_INFORMATION:
            self.late_information_orders.append(event.on)
        text = _(
            "the county bureau ordered rectification within one month, by {due} ({cause})"
        ).format(due=self.rect_due, cause=event.cause.cite())
        self.reasons.append(_dated(event.on, text))

    def _rectified(self, event: BrandEvent) -> None:
        if self.phase is Status.RECTIFYING:
            due, article, period = self.rect_due, "第十七条", _("one month")
            follow = f"{InterviewCause.NOT_RECTIFIED.article} (一个月内未整改)"
        elif self.phase is Status.INTERVIEWED:
            due, article, period = self.interview_due, "第十八条", _("three months")
            follow = "第十九条 (三个月内未整改)"
        else:
            raise self.refuse(
                event, _("no rectification is open (status {status})").format(status=self.phase)
            )
        assert due is not None
        self.phase = Status.ACTIVE
        if event.on <= due:
            text = _("rectified within the {period} ordered, by {due} ({doc} {article})").format(
                period=period, due=due, doc=DOC, article=article
            )
        else:
            text = _(
                "rectified {days} days after the {period} ordered ended on {due} "
                "({doc} {article}); {follow} had applied"
            ).format(
                days=(event.on - due).days,
                period=period,
                due=due,
                doc=DOC,
                article=article,
                follow=follow,
            )
        self.reasons.append(_dated(event.on, text))

    def _interview_ordered(self, event: BrandEvent) -> None:
        cause = event.cause
        assert isinstance(cause, InterviewCause)
        if self.phase not in (Status.ACTIVE, Status.RECTIFYING):
            raise self.refuse(event, self._open_measure())
        if cause is InterviewCause.NOT_RECTIFIED:
            if not self.rect_escalable:
                raise self.refuse(
                    event,
                    _(
                        "{article} needs an earlier rectification order (第十七条) "
                        "not yet followed by an interview"
                    ).format(article=cause.article),
                )
            if self.phase is Status.RECTIFYING and event.on <= self.rect_due:
                raise self.refuse(
                    event,
                    _("the one-month rectification ordered on {on} runs to {due} ({cause})").format(
                        on=self.rect_on, due=self.rect_due, cause=cause.cite()
                    ),
                )
        superseded = self.phase is Status.RECTIFYING
        self.phase = Status.INTERVIEWED
        self.rect_escalable = False
        self.interview_on = event.on
        self.interview_due = add_calendar_months(event.on, INTERVIEW_MONTHS)
        self.interview_escalable = True
        text = _(
            "the county bureau interviewed the unit's head (约谈) and ordered rectification "
            "within three months, by {due} ({cause})"
        ).format(due=self.interview_due, cause=cause.cite())
        if superseded:
            text += separator() + _("it takes over the rectification ordered on {on}").format(
                on=self.rect_on
            )
        self.reasons.append(_dated(event.on, text))

    def _suspended(self, event: BrandEvent) -> None:
        if not self.interview_escalable or self.phase not in (Status.ACTIVE, Status.INTERVIEWED):
            raise self.refuse(
                event,
                _(
                    "{doc} 第十九条 suspends a brand whose unit was interviewed (第十八条) and did "
                    "not rectify within three months; no such interview is open"
                ).format(doc=DOC)
                + (
                    _(" (status {status})").format(status=self.phase)
                    if self.phase is not Status.ACTIVE
                    else ""
                ),
            )
        if self.phase is Status.INTERVIEWED and event.on <= self.interview_due:
            raise self.refuse(
                event,
                _(
                    "the three-month rectification ordered on {on} runs to {due} "
                    "({doc} 第十九条 三个月内未整改)"
                ).format(on=self.interview_on, due=self.interview_due, doc=DOC),
            )
        self.phase = Status.SUSPENDED
        self.interview_escalable = False
        self.suspensions += 1
        self.suspension_on = event.on
        self.suspension_end = add_calendar_months(event.on, SUSPENSION_MONTHS)
        text = _(
            "use of the brand mark suspended for one year, to {until} "
            "({doc} 第十九条; published under 第二十一条); suspension number {number}"
        ).format(until=self.suspension_end, doc=DOC, number=self.suspensions)
        self.reasons.append(_dated(event.on, text))
        if self.suspensions >= SUSPENSIONS_FOR_REMOVAL:
            text = _("suspended {times} times: {cause}, so removal is required").format(
                times=self.suspensions, cause=RemovalCause.SUSPENDED_THREE_TIMES.cite()
            )
            self.reasons.append(_dated(event.on, text))

    def _suspension_extended(self, event: BrandEvent) -> None:
        if self.phase is not Status.SUSPENDED:
            raise self.refuse(
                event, _("the brand is not suspended (status {status})").format(status=self.phase)
            )
        assert self.suspension_end is not None
        if event.on > self.suspension_end:
            raise self.refuse(
                event,
                _(
                    "the suspension year ended on {on}; {doc} 第十九条 extends it "
                    "only by a decision before then (一年期届满前)"
                ).format(on=self.suspension_end, doc=DOC),
            )
        old_end = self.suspension_end
        self.suspension_end = add_calendar_months(old_end, SUSPENSION_MONTHS)
        text = _(
            "suspension continued for a further year, from {old} to {new} "
            "({doc} 第十九条 继续暂停标识使用权一年); read as the same suspension, "
            "not a new one for 第二十条(五)"
        ).format(old=old_end, new=self.suspension_end, doc=DOC)
        self.reasons.append(_dated(event.on, text))

    def _restored(self, event: BrandEvent) -> None:
        if self.phase is not Status.SUSPENDED:
            raise self.refuse(
                event,
                _("only a suspended brand can be restored (status {status})").format(
                    status=self.phase
                ),
            )
        self.phase = Status.ACTIVE
        text = _(
            "use of the brand mark restored ({doc} 第十九条 恢复标识使用权; "
            "the suspension ran from {start}, to {end} at most)"
        ).format(doc=DOC, start=self.suspension_on, end=self.suspension_end)
        self.reasons.append(_dated(event.on, text))

    def _removed(self, event: BrandEvent) -> None:
        cause = event.cause
        assert isinstance(cause, RemovalCause)
        if cause is RemovalCause.SUSPENDED_THREE_TIMES and self.suspensions < 3:
            raise self.refuse(
                event,
                _("{article} needs three suspensions or more; there were {count}").format(
                    article=cause.article, count=self.suspensions
                ),
            )
        self.phase = Status.REMOVED
        self.removed_on = event.on
        self.removal_cause = cause
        text = _(
            "removed from the catalogue and the brand mark withdrawn "
            "({cause}; published under 第二十一条); no reapplication for five years "
            "from the decision, so from {reapply} (第二十条 自决定作出之日起五年内不得再次申请)"
        ).format(cause=cause.cite(), reapply=self.reapply_from)
        self.reasons.append(_dated(event.on, text))

    def _reapplied(self, event: BrandEvent) -> None:
        if self.phase is not Status.REMOVED:
            raise self.refuse(event, _("the brand was not removed; it is still recognised"))
        assert self.reapply_from is not None
        if event.on < self.reapply_from:
            raise self.refuse(
                event,
                _(
                    "within five years of the removal on {on}: not before {reapply} "
                    "({doc} 第二十条 自决定作出之日起五年内不得再次申请)"
                ).format(on=self.removed_on, reapply=self.reapply_from, doc=DOC),
            )
        text = _(
            "reapplied for recognition, the five-year bar having ended "
            "({doc} 第二十条); a new recognition is a new brand record"
        ).format(doc=DOC)
        self.reasons.append(_dated(event.on, text))

    def _open_measure(self) -> str:
        if self.phase is Status.RECTIFYING:
            return _("a rectification ordered on {on} is open, to {due}").format(
                on=self.rect_on, due=self.rect_due
            )
        if self.phase is Status.INTERVIEWED:
            return _("an interview's rectification ordered on {on} is open, to {due}").format(
                on=self.interview_on, due=self.interview_due
            )
        return _("use of the brand mark is suspended, to {until}").format(until=self.suspension_end)


def _replay(brand: Brand, events: Iterable[BrandEvent], until: date) -> _Replay:
    state = _Replay(brand)
    for event in events:
        if not isinstance(event, BrandEvent):
            raise BrandEventError(_("not a BrandEvent: {event}").format(event=repr(event)))
        if event.on > until:
            break
        state.apply(event)
    return state


def check_events(brand: Brand, events: Sequence[BrandEvent]) -> None:
    """Raise :class:`BrandEventError` for the first event that cannot happen where it is."""
    _replay(brand, events, date.max)


def append_event(
    brand: Brand, events: Sequence[BrandEvent], event: BrandEvent
) -> tuple[BrandEvent, ...]:
    """``events`` with ``event`` appended, or :class:`BrandEventError` if it cannot happen."""
    extended = (*events, event)
    check_events(brand, extended)
    return extended


def _review_due(brand: Brand, reviews: list[tuple[date, bool]]) -> date:
    """The next two-yearly review date counted from recognition (第十六条).

    The k-th review is due ``2k`` years after recognition; a review done early or late
    counts for its cycle, and a cycle skipped by the bureau is not due twice.
    """
    cycle = len(reviews) + 1
    due = add_calendar_months(brand.recognised_on, 12 * REVIEW_YEARS * cycle)
    if reviews:
        while due <= reviews[-1][0]:
            cycle += 1
            due = add_calendar_months(brand.recognised_on, 12 * REVIEW_YEARS * cycle)
    return due


@dataclass(frozen=True)
class _Routine:
    """The routine duties of 第十六条 on a day: the annual report due (the earliest year not
    filed), the years whose report is missed and not yet handled, and the review due."""

    report_due: date | None = None
    missed: tuple[int, ...] = ()
    review_due: date | None = None


def status_on(brand: Brand, events: Sequence[BrandEvent], on: date) -> BrandStatus:
    """The brand's status on ``on`` from the events dated on or before it.

    Every event is checked first (a later impossible event raises too). Raises
    :class:`BrandEventError` for an impossible sequence, :class:`ValueError` for a day
    before recognition or a brand that is not city-level.
    """
    _check_city_brand_on(brand, on)
    check_events(brand, events)
    s = _replay(brand, events, on)
    reasons = [_recognised(brand), *s.reasons]
    removed = s.phase is Status.REMOVED
    routine = _Routine() if removed else _routine_duties(s, on, reasons)
    grounds = [] if removed else _removal_grounds(s)
    own = _own_deadline(s, on)
    step = _next_step(s, on, grounds, routine)
    if step is not None and own is not None and own.overdue:
        reasons.append(_dated(on, step.text))
    return BrandStatus(
        brand=brand,
        on=on,
        status=s.phase,
        deadlines=((own,) if own else ()) + _routine_deadlines(routine, on),
        annual_report_due=routine.report_due,
        review_due=routine.review_due,
        suspensions=s.suspensions,
        suspended_until=s.suspension_end if s.phase is Status.SUSPENDED else None,
        removal_required=bool(grounds),
        removal_grounds=tuple(grounds),
        removed_on=s.removed_on,
        removal_cause=s.removal_cause,
        reapply_from=s.reapply_from,
        recovery_required=s.removal_cause is RemovalCause.FRAUD,
        next_step=step,
        reasons=tuple(reasons),
    )


def _check_city_brand_on(brand: Brand, on: date) -> None:
    """营人社〔2023〕43号 governs city-level brands, from their recognition on."""
    if brand.level is not Level.CITY:
        raise ValueError(
            _("{doc} 第十五条–第二十条 govern 市级 (city-level) brands; {brand} is {level}").format(
                doc=DOC, brand=brand.brand_name, level=brand.level
            )
        )
    if on < brand.recognised_on:
        raise ValueError(
            _("{brand} was not yet recognised on {on}").format(brand=brand.brand_name, on=on)
        )


def _recognised(brand: Brand) -> str:
    text = _(
        "{brand} ({unit}, {code}) recognised as a 市级劳务品牌 ({doc} 第十四条); "
        "in the catalogue under dynamic supervision (第十五条)"
    ).format(brand=brand.brand_name, unit=brand.unit_name, code=brand.credit_code, doc=DOC)
    return _dated(brand.recognised_on, text)


def _routine_duties(s: _Replay, on: date, reasons: list[str]) -> _Routine:
    """The annual reports and the review (第十六条) of a brand in the catalogue; each one
    missed by ``on`` is added to ``reasons``."""
    report_due, missed = _annual_reports(s, on, reasons)
    review_due = _review_due(s.brand, s.reviews)
    if review_due < on:
        text = _(
            "the review due on {due} has not been recorded ({doc} 第十六条: "
            "the city bureau organises it)"
        ).format(due=review_due, doc=DOC)
        reasons.append(_dated(on, text))
    return _Routine(report_due, tuple(missed), review_due)


def _annual_reports(s: _Replay, on: date, reasons: list[str]) -> tuple[date, list[int]]:
    """The first annual report due (第十六条 每年10月底前) from the year after recognition,
    and the years missed by ``on``: a year is done by its report, or by a 第十七条(一)
    rectification ordered after its deadline."""
    missed: list[int] = []
    year = s.brand.recognised_on.year + 1
    while True:
        due = _report_due(year)
        handled = year in s.reports or any(o > due for o in s.late_information_orders)
        if not handled and due >= on:
            return _report_due(missed[0]) if missed else due, missed
        if not handled:
            missed.append(year)
            text = _("annual report for {year} not filed by {due} ({doc} 第十六条): {cause}")
            cause = RectificationCause.LATE_INFORMATION.cite()
            reasons.append(_dated(on, text.format(year=year, due=due, doc=DOC, cause=cause)))
        year += 1


def _removal_grounds(s: _Replay) -> list[RemovalCause]:
    """Grounds for removal (第二十条) that have arisen but await the decision."""
    grounds: list[RemovalCause] = []
    if s.suspensions >= SUSPENSIONS_FOR_REMOVAL:
        grounds.append(RemovalCause.SUSPENDED_THREE_TIMES)
    if s.reviews and not s.reviews[-1][1]:
        grounds.append(RemovalCause.NO_LONGER_QUALIFIES)
    return grounds


def _own_deadline(s: _Replay, on: date) -> Deadline | None:
    """The deadline of the measure open (第十七条, 第十八条, 第十九条), if any."""
    own = {
        Status.RECTIFYING: (DeadlineKind.RECTIFICATION, s.rect_due, "第十七条"),
        Status.INTERVIEWED: (DeadlineKind.INTERVIEW_RECTIFICATION, s.interview_due, "第十八条"),
        Status.SUSPENDED: (DeadlineKind.SUSPENSION_END, s.suspension_end, "第十九条"),
    }.get(s.phase)
    if own is None:
        return None
    kind, due, article = own
    assert due is not None
    return Deadline(kind, due, article, on > due)


def _routine_deadlines(routine: _Routine, on: date) -> tuple[Deadline, ...]:
    """The annual report's and the review's deadlines (第十六条), by date."""
    deadlines = [
        Deadline(kind, due, "第十六条", on > due)
        for kind, due in (
            (DeadlineKind.ANNUAL_REPORT, routine.report_due),
            (DeadlineKind.REVIEW, routine.review_due),
        )
        if due is not None
    ]
    return tuple(sorted(deadlines, key=lambda d: d.due))


def _next_step(
    s: _Replay, on: date, grounds: list[RemovalCause], routine: _Routine
) -> NextStep | None:
    """The one measure due next, most pressing first; never an invented event."""
    if s.phase is Status.REMOVED:
        return _reapply_step(s, on)
    if grounds:
        return _removal_step(grounds)
    if s.phase is Status.RECTIFYING:
        return _rectifying_step(s, on)
    if s.phase is Status.INTERVIEWED:
        return _interviewed_step(s, on)
    if s.phase is Status.SUSPENDED:
        return _suspended_step(s, on)
    return _routine_step(s, on, routine)


def _reapply_step(s: _Replay, on: date) -> NextStep:
    """第二十条: a removed brand's unit may reapply five years after the decision."""
    assert s.reapply_from is not None
    when = _("now") if on >= s.reapply_from else _("from {on}").format(on=s.reapply_from)
    return NextStep(
        Action.REAPPLY,
        s.reapply_from,
        "第二十条",
        _(
            "removed on {on}: the unit may reapply {when} "
            "({doc} 第二十条 自决定作出之日起五年内不得再次申请)"
        ).format(on=s.removed_on, when=when, doc=DOC),
    )


def _removal_step(grounds: list[RemovalCause]) -> NextStep:
    """第二十条: grounds for removal have arisen; the city bureau decides."""
    return NextStep(
        Action.REMOVE,
        None,
        "第二十条",
        _(
            "removal from the catalogue is required: {grounds} "
            "(the county bureau reports it, the city bureau decides)"
        ).format(grounds=separator().join(g.cite() for g in grounds)),
    )


def _rectifying_step(s: _Replay, on: date) -> NextStep:
    """第十七条: rectify within the month, or 第十八条(一) an interview once it has passed."""
    assert s.rect_due is not None
    if on > s.rect_due:
        return NextStep(
            Action.ORDER_INTERVIEW,
            None,
            InterviewCause.NOT_RECTIFIED.article,
            _(
                "not rectified within the month ending {due}: {cause}; the county bureau "
                "interviews the unit's head and orders rectification within three months"
            ).format(due=s.rect_due, cause=InterviewCause.NOT_RECTIFIED.cite()),
        )
    return NextStep(
        Action.RECTIFY,
        s.rect_due,
        "第十七条",
        _("rectify by {due} ({doc} 第十七条 责令一个月内予以整改)").format(due=s.rect_due, doc=DOC),
    )


def _interviewed_step(s: _Replay, on: date) -> NextStep:
    """第十八条: rectify within the three months, or 第十九条 a suspension once they have passed."""
    assert s.interview_due is not None
    if on > s.interview_due:
        return NextStep(
            Action.DECIDE_SUSPENSION,
            None,
            "第十九条",
            _(
                "not rectified within the three months ending {due}: the county bureau "
                "reports to the city bureau, which may suspend use of the brand mark "
                "for one year ({doc} 第十九条)"
            ).format(due=s.interview_due, doc=DOC),
        )
    return NextStep(
        Action.RECTIFY,
        s.interview_due,
        "第十八条",
        _("rectify by {due} ({doc} 第十八条 责令三个月内予以整改)").format(
            due=s.interview_due, doc=DOC
        ),
    )


def _suspended_step(s: _Replay, on: date) -> NextStep:
    """第十九条: before the suspension year ends, restore use of the mark or extend it."""
    assert s.suspension_end is not None
    if on > s.suspension_end:
        text = _(
            "the suspension year ended on {end} with no decision recorded: the city bureau "
            "restores use of the mark or suspends it for a further year ({doc} 第十九条); "
            "the suspension stands until it decides"
        )
    else:
        text = _(
            "before {end} the city bureau restores use of the mark or suspends it for a "
            "further year, according to the rectification ({doc} 第十九条)"
        )
    text = text.format(end=s.suspension_end, doc=DOC)
    return NextStep(Action.DECIDE_RESTORE_OR_EXTEND, s.suspension_end, "第十九条", text)


def _routine_step(s: _Replay, on: date, routine: _Routine) -> NextStep:
    """第十七条(一) for a missed annual report, else the review or the report due first."""
    if routine.missed:
        years = _(", ").join(str(y) for y in routine.missed)
        return NextStep(
            Action.ORDER_RECTIFICATION,
            None,
            RectificationCause.LATE_INFORMATION.article,
            _(
                "annual report for {years} not filed by 31 October: {cause}; the county "
                "bureau orders rectification within one month ({doc} 第十七条)"
            ).format(years=years, cause=RectificationCause.LATE_INFORMATION.cite(), doc=DOC),
        )
    report_due, review_due = routine.report_due, routine.review_due
    assert report_due is not None and review_due is not None
    if review_due < on or review_due < report_due:
        return NextStep(
            Action.REVIEW,
            review_due,
            "第十六条",
            _(
                "review (复审) due {due}, two-yearly from recognition on {on} "
                "({doc} 第十六条; the city bureau organises it)"
            ).format(due=review_due, on=s.brand.recognised_on, doc=DOC),
        )
    return NextStep(
        Action.FILE_ANNUAL_REPORT,
        report_due,
        "第十六条",
        _("annual report for {year} due by {due} ({doc} 第十六条 每年10月底前)").format(
            year=report_due.year, due=report_due, doc=DOC
        ),
    )


def next_step(brand: Brand, events: Sequence[BrandEvent], on: date) -> NextStep | None:
    """What is due next on ``on`` (:attr:`BrandStatus.next_step`)."""
    return status_on(brand, events, on).next_step


def payable(status: BrandStatus) -> tuple[bool, str]:
    """Whether brand money may be paid on ``status.on``, and why (the why alone: whoever
    shows it says 可以发放 or 不予发放).

    A suspended (第十九条) or removed (第二十条) brand is not paid. The consequence is
    this product's reading (docs/policies/README.md "Brand lifecycle"): the document has
    no money provisions.
    """
    reading = _(MONEY_READING)
    if status.status is Status.REMOVED:
        assert status.removal_cause is not None
        text = _(
            "removed from the catalogue on {on} ({citation}); a brand no longer recognised earns no "
            "brand money — {reading}"
        ).format(on=status.removed_on, citation=status.removal_cause.cite(), reading=reading)
        if status.recovery_required:
            text += separator() + _(
                "recognition obtained by fraud ({article}): everything paid for this brand is "
                "recovered, by the same reading"
            ).format(article=RemovalCause.FRAUD.article)
        return False, text
    if status.status is Status.SUSPENDED:
        return False, _(
            "use of the brand mark suspended to {until} ({doc} 第十九条); a suspended brand earns no "
            "brand money — {reading}"
        ).format(until=status.suspended_until, doc=DOC, reading=reading)
    text = _(
        "recognised ({doc} 第十四条), not suspended (第十九条) or removed (第二十条) on {on}"
    ).format(doc=DOC, on=status.on)
    if status.status in (Status.RECTIFYING, Status.INTERVIEWED):
        assert status.deadline is not None
        text += separator() + _(
            "a rectification is open to {due} ({article}), which does not stop payment"
        ).format(due=status.deadline.due, article=status.deadline.article)
    if status.removal_required:
        text += separator() + _(
            "note: removal is required ({articles}) and awaits the city bureau's decision"
        ).format(articles=", ".join(g.article for g in status.removal_grounds))
    return True, text


def recovery_required(events: Iterable[BrandEvent]) -> bool:
    """Whether the brand was removed for fraud (营人社〔2023〕43号 第二十条(四)
    "以欺骗或其他不正当手段通过市级劳务品牌认定的"), so everything paid for it is recovered —
    this product's reading under the general rules for 就业补助资金 (README "Brand lifecycle")."""
    return any(e.kind is EventKind.REMOVED and e.cause is RemovalCause.FRAUD for e in events)
