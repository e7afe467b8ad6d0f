"""Value types: what callers hand the ledger (drafts) and what it hands back (entries)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from ledgers.errors import InvalidEntryError


class Kind(StrEnum):
    """Business events; the accounting of each is in :mod:`ledgers.schemes`."""

    APPROPRIATION = "appropriation"  # 拨款
    PAYOUT_ACCRUED = "payout_accrued"  # 计提应付补贴
    DISBURSEMENT = "disbursement"  # 支付
    RETURNED_PAYMENT = "returned_payment"  # 退回
    RECOVERY_RAISED = "recovery_raised"  # 追回：确认应收
    RECOVERY_RECEIVED = "recovery_received"  # 追回：收回款项
    REVERSAL = "reversal"  # 冲销

    @property
    def name_zh(self) -> str:
        return KIND_NAMES[self]


KIND_NAMES: dict[Kind, str] = {
    Kind.APPROPRIATION: "拨款",
    Kind.PAYOUT_ACCRUED: "计提应付补贴",
    Kind.DISBURSEMENT: "支付",
    Kind.RETURNED_PAYMENT: "退回",
    Kind.RECOVERY_RAISED: "追回(应收)",
    Kind.RECOVERY_RECEIVED: "追回(收款)",
    Kind.REVERSAL: "冲销",
}


def _is_fen(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True, slots=True)
class Posting:
    """One line of an entry: integer fen on exactly one side."""

    account: str
    fund_code: str
    debit: int = 0
    credit: int = 0

    def __post_init__(self) -> None:
        debit, credit = self.debit, self.credit
        if (  # the common case in one test: plain ints, positive on exactly one side
            type(debit) is int
            and type(credit) is int
            and ((debit > 0 and credit == 0) or (debit == 0 and credit > 0))
        ):
            return
        if not (_is_fen(self.debit) and _is_fen(self.credit)):
            raise InvalidEntryError(f"amounts must be integer fen: {self!r}")
        if self.debit < 0 or self.credit < 0 or (self.debit > 0) == (self.credit > 0):
            raise InvalidEntryError(
                f"a posting has a positive amount on exactly one side: {self.account} "
                f"debit {self.debit} credit {self.credit}"
            )

    @classmethod
    def dr(cls, account: str, fund_code: str, fen: int) -> Posting:
        return cls(account, fund_code, debit=fen)

    @classmethod
    def cr(cls, account: str, fund_code: str, fen: int) -> Posting:
        return cls(account, fund_code, credit=fen)

    def mirrored(self) -> Posting:
        return Posting(self.account, self.fund_code, debit=self.credit, credit=self.debit)

    def sort_key(self) -> tuple[str, str, int, int]:
        return (self.account, self.fund_code, self.debit, self.credit)


@dataclass(frozen=True, slots=True)
class EntryDraft:
    """An entry to post. ``entry_date=None`` means today, and is not compared on replay.

    ``program``: the subsidy program the entry belongs to (``entries.program``), None for a
    fund's own entries (an appropriation); :mod:`ledgers.schemes` sets it.
    """

    kind: Kind
    key: str
    postings: tuple[Posting, ...]
    entry_date: date | None = None
    memo: str = ""
    ref: str = ""
    by: str = ""
    reverses_entry_id: int | None = None
    program: str | None = None

    def __post_init__(self) -> None:
        if type(self.kind) is not Kind:
            object.__setattr__(self, "kind", Kind(self.kind))
        if type(self.postings) is not tuple:
            object.__setattr__(self, "postings", tuple(self.postings))
        if not self.key or not isinstance(self.key, str):
            raise InvalidEntryError("every entry needs a non-empty key")


@dataclass(frozen=True)
class DraftBatch:
    """Drafts to post together, with what posting must know before it builds the first.

    ``post_batch`` locks the funds, reads balances and looks up replayed keys before it
    writes anything; it needs every draft's key (in posting order), the distinct postings
    tuples the drafts share (their funds and accounts) and the entries reversed. A caller
    with many drafts declares those and passes ``drafts`` as an iterator that builds each
    :class:`EntryDraft` as it is posted, so the building overlaps the database's inserts.
    ``post_batch`` refuses a draft that differs from what was declared.
    """

    keys: Sequence[str]
    postings: Collection[tuple[Posting, ...]]
    drafts: Iterable[EntryDraft]
    reverses: Collection[int] = ()

    @classmethod
    def of(cls, drafts: Sequence[EntryDraft]) -> DraftBatch:
        """Drafts already built: everything is declared by reading them."""
        shared = {id(d.postings): d.postings for d in drafts}
        reversed_ids = [d.reverses_entry_id for d in drafts if d.reverses_entry_id is not None]
        return cls([d.key for d in drafts], list(shared.values()), drafts, reversed_ids)

    def __len__(self) -> int:
        return len(self.keys)


@dataclass(frozen=True, slots=True)
class Entry:
    """A posted journal entry (记账凭证): never edited, never deleted."""

    id: int
    key: str
    kind: Kind
    entry_date: date
    period: str
    memo: str
    ref: str
    by: str
    created_at: datetime
    reverses_entry_id: int | None
    hash: str
    prev_hash: str
    postings: tuple[Posting, ...] = field(default=())
    program: str | None = None  # the subsidy program it belongs to; None: a fund's own


@dataclass(frozen=True, slots=True)
class Fund:
    """A source of money, e.g. "2024 中央就业补助资金 青海"."""

    code: str
    name: str
    year: int | None = None
    level: str | None = None
    region: str | None = None


def period_of(day: date) -> str:
    """The accounting period (month) of a date: ``2024-06``."""
    return f"{day.year:04d}-{day.month:02d}"


def sorted_postings(postings: Iterable[Posting]) -> tuple[Posting, ...]:
    return tuple(sorted(postings, key=Posting.sort_key))
