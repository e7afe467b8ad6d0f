"""The accounting scheme: one builder per business event, returning a balanced draft.

Financial track (财务会计) and budget track (预算会计) are posted in parallel where
政府会计制度 requires it (平行记账: only events that move cash carry a budget pair).

============================  ==========================================  ===========================================
event                         财务会计                                      预算会计
============================  ==========================================  ===========================================
appropriation 拨款             借 1011 零余额账户用款额度 / 贷 4001 财政拨款收入   借 8001 资金结存 / 贷 6001 财政拨款预算收入
payout accrued 计提应付补贴     借 5001.<program> 业务活动费用 / 贷 2303 应付政府补贴款  —
disbursement 支付              借 2303 应付政府补贴款 / 贷 1011 零余额账户用款额度  借 7101 行政支出 / 贷 8001 资金结存
returned payment 退回          借 1011 / 贷 2303 (claim payable again)     借 8001 资金结存 / 贷 7101 行政支出
recovery raised 追回(应收)      借 1218 其他应收款 / 贷 5001.<program>        —
recovery received 追回(收款)    借 1011 / 贷 1218 其他应收款                  借 8001 资金结存 / 贷 7101 行政支出
reversal 冲销                  the mirror of the original entry, naming it (``reverses_entry_id``)
============================  ==========================================  ===========================================

A fund's available balance is the debit balance of 1011 less the credit balance of
2303 in that fund: money received and not yet committed to an approved claim.

Every draft of a program's event names its program (``EntryDraft.program``, stored as
``entries.program``): the accrual and the recovery raised from the program's 5001
sub-account, the payment, return and repayment from the caller's ``program``, a reversal
from the entry it reverses. An appropriation is the fund's own and names none. The keys
come from :mod:`ledgers.keys`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import lru_cache, partial

from ledgers.chart import (
    BUDGET_EXPENDITURE,
    BUDGET_REVENUE,
    CASH,
    EXPENSE,
    FUNDS_HELD,
    PAYABLE,
    RECEIVABLE,
    REVENUE,
)
from ledgers.errors import InvalidEntryError
from ledgers.model import DraftBatch, Entry, EntryDraft, Kind, Posting

dr, cr = Posting.dr, Posting.cr


def program_account(program_id: str) -> str:
    """The 5001 业务活动费用 sub-account of one subsidy program."""
    return f"{EXPENSE}.{_named(program_id)}"


def _named(program_id: str) -> str:
    """A program id as an entry names it: not empty, no surrounding spaces."""
    if not isinstance(program_id, str) or not program_id or program_id != program_id.strip():
        raise InvalidEntryError(f"bad program id {program_id!r}")
    return program_id


def _positive(fen: int) -> int:
    if not isinstance(fen, int) or isinstance(fen, bool) or fen <= 0:
        raise InvalidEntryError(f"amount must be a positive number of fen, not {fen!r}")
    return fen


def _draft(
    kind: Kind, key: str, postings: list[Posting] | tuple[Posting, ...], fen: int, **fields
) -> EntryDraft:
    _positive(fen)
    return EntryDraft(kind=kind, key=key, postings=tuple(postings), **fields)


def appropriation(
    fund: str, fen: int, *, key: str, doc: str, on: date | None = None, by: str = "", memo: str = ""
) -> EntryDraft:
    """拨款: the fund receives a quota, ``doc`` is the appropriation document (文号)."""
    postings = [dr(CASH, fund, fen), cr(REVENUE, fund, fen)]
    postings += [dr(FUNDS_HELD, fund, fen), cr(BUDGET_REVENUE, fund, fen)]
    return _draft(
        Kind.APPROPRIATION,
        key,
        postings,
        fen,
        entry_date=on,
        ref=doc,
        by=by,
        memo=memo or f"拨款 {doc}",
    )


def payout_accrued(
    fund: str,
    program_id: str,
    fen: int,
    *,
    key: str,
    ref: str,
    on: date | None = None,
    by: str = "",
    memo: str = "",
) -> EntryDraft:
    """计提应付补贴: an approved claim becomes payable; this commits the fund's money."""
    (draft,) = payout_accruals(
        fund, program_id, [fen], keys=[key], refs=[ref], memos=[memo], on=on, by=by
    ).drafts
    return draft


def payout_accruals(
    fund: str,
    program_id: str,
    amounts: Sequence[int],
    *,
    keys: Sequence[str],
    refs: Iterable[str],
    memos: Iterable[str],
    on: date | None = None,
    by: str = "",
) -> DraftBatch:
    """计提应付补贴 for many claims of one program and fund (an approved batch), one draft a claim.

    See :func:`_by_amount`.
    """
    postings_of = partial(_accrual_postings, fund, program_id)
    return _by_amount(
        Kind.PAYOUT_ACCRUED, program_id, postings_of, amounts, keys, refs, memos, on, by
    )


def disbursements(
    fund: str,
    amounts: Sequence[int],
    *,
    program: str,
    keys: Sequence[str],
    refs: Iterable[str],
    memos: Iterable[str],
    on: date | None = None,
    by: str = "",
) -> DraftBatch:
    """支付 of many payments of one program from one fund (a disbursed batch), one draft a payment.

    See :func:`_by_amount`.
    """
    postings_of = partial(_disbursement_postings, fund)
    return _by_amount(Kind.DISBURSEMENT, program, postings_of, amounts, keys, refs, memos, on, by)


def _by_amount(
    kind: Kind,
    program: str,
    postings_of: Callable[[int], tuple[Posting, ...]],
    amounts: Sequence[int],
    keys: Sequence[str],
    refs: Iterable[str],
    memos: Iterable[str],
    on: date | None,
    by: str,
) -> DraftBatch:
    """Drafts of one kind and program whose postings depend on the amount only.

    Each amount is checked as the one-draft function checks it and the postings built
    once per distinct amount, here; each draft (with its ref and memo, which may be
    iterators) is built as ``post_batch`` posts it.
    """
    program = _named(program)
    if any(type(fen) is not int for fen in amounts):
        for fen in amounts:
            _positive(fen)  # names the first amount that is not integer fen
    lines = {fen: postings_of(_positive(fen)) for fen in set(amounts)}
    drafts = (
        EntryDraft(kind, key, lines[fen], on, memo, ref, by, None, program)
        for fen, key, ref, memo in zip(amounts, keys, refs, memos, strict=True)
    )
    return DraftBatch(keys, list(lines.values()), drafts)


@lru_cache(maxsize=4096)
def _accrual_postings(fund: str, program_id: str, fen: int) -> tuple[Posting, ...]:
    """Postings are immutable, so a batch of claims of one amount shares one pair."""
    return (dr(program_account(program_id), fund, fen), cr(PAYABLE, fund, fen))


@lru_cache(maxsize=4096)
def _disbursement_postings(fund: str, fen: int) -> tuple[Posting, ...]:
    return (
        dr(PAYABLE, fund, fen),
        cr(CASH, fund, fen),
        dr(BUDGET_EXPENDITURE, fund, fen),
        cr(FUNDS_HELD, fund, fen),
    )


def disbursement(
    fund: str,
    fen: int,
    *,
    program: str,
    key: str,
    ref: str,
    on: date | None = None,
    by: str = "",
    memo: str = "",
) -> EntryDraft:
    """支付: the payment instruction of a claim of ``program`` goes to the bank."""
    (draft,) = disbursements(
        fund, [fen], program=program, keys=[key], refs=[ref], memos=[memo], on=on, by=by
    ).drafts
    return draft


def returned_payment(
    fund: str,
    fen: int,
    *,
    program: str,
    key: str,
    ref: str,
    on: date | None = None,
    by: str = "",
    memo: str = "",
) -> EntryDraft:
    """退回: the bank returned a payment of ``program``; the claim is payable again and can
    be reissued."""
    postings = [dr(CASH, fund, fen), cr(PAYABLE, fund, fen)]
    postings += [dr(FUNDS_HELD, fund, fen), cr(BUDGET_EXPENDITURE, fund, fen)]
    return _draft(
        Kind.RETURNED_PAYMENT,
        key,
        postings,
        fen,
        entry_date=on,
        ref=ref,
        by=by,
        memo=memo,
        program=_named(program),
    )


def recovery_raised(
    fund: str,
    program_id: str,
    fen: int,
    *,
    key: str,
    ref: str,
    on: date | None = None,
    by: str = "",
    memo: str = "",
) -> EntryDraft:
    """追回(应收): a subsidy paid in error is to be repaid."""
    postings = [dr(RECEIVABLE, fund, fen), cr(program_account(program_id), fund, fen)]
    return _draft(
        Kind.RECOVERY_RAISED,
        key,
        postings,
        fen,
        entry_date=on,
        ref=ref,
        by=by,
        memo=memo,
        program=program_id,
    )


def recovery_received(
    fund: str,
    fen: int,
    *,
    program: str,
    key: str,
    ref: str,
    on: date | None = None,
    by: str = "",
    memo: str = "",
) -> EntryDraft:
    """追回(收款): the repayment of a claim of ``program`` arrives back in the fund."""
    postings = [dr(CASH, fund, fen), cr(RECEIVABLE, fund, fen)]
    postings += [dr(FUNDS_HELD, fund, fen), cr(BUDGET_EXPENDITURE, fund, fen)]
    return _draft(
        Kind.RECOVERY_RECEIVED,
        key,
        postings,
        fen,
        entry_date=on,
        ref=ref,
        by=by,
        memo=memo,
        program=_named(program),
    )


def reversal(
    original: Entry, *, key: str, reason: str, on: date | None = None, by: str = ""
) -> EntryDraft:
    """冲销: the mirror of ``original``; the original itself is never touched."""
    if not reason.strip():
        raise InvalidEntryError("a reversal needs a reason")
    return EntryDraft(
        kind=Kind.REVERSAL,
        key=key,
        postings=tuple(p.mirrored() for p in original.postings),
        entry_date=on,
        memo=reason,
        ref=original.ref,
        by=by,
        reverses_entry_id=original.id,
        program=original.program,
    )
