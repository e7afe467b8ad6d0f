"""The ledger's invariants, in one readable place.

Each is enforced where it cannot be bypassed, and checked here first so that a refusal
comes back as a clear :class:`~ledgers.errors.LedgerError` before the database sees it:

1. **Balanced** — every entry's debits equal its credits within each track (财务会计 /
   预算会计) and each fund: :func:`check_balanced`. The database checks it again when the
   entry row is inserted (the entry row closes the entry; see the migration).
2. **Immutable** — UPDATE and DELETE on entries, postings and closed periods are refused
   by database triggers; corrections are reversals (:func:`check_reversal`).
3. **Idempotent** — an entry key names one entry forever: :func:`same_content` decides
   whether a repeated key is a replay (return the original) or a conflict.
4. **No overdraft** — :class:`FundBook` keeps a batch's balances and refuses any entry
   that takes a fund's available balance (1011 debit less 2303 credit) below zero, or an
   account of a fund across to its wrong side (pay more than is payable, return more than
   was spent). The caller holds the write lock (PostgreSQL row locks in a fixed order,
   SQLite ``BEGIN IMMEDIATE``) while it reads and applies balances.
5. **Closed periods** — :func:`check_period_open`; a database trigger refuses the same.
6. **Tamper evidence** — :func:`ledgers.chain.entry_hash`, shared by writer and verifier.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from ledgers.chart import CASH, PAYABLE, Account, track_of
from ledgers.errors import (
    BalanceBoundError,
    InvalidEntryError,
    OverdraftError,
    PeriodClosedError,
    ReversalError,
    UnbalancedEntryError,
)
from ledgers.model import Entry, EntryDraft, Kind, Posting, sorted_postings
from subsidies.domain.i18n import _
from subsidies.domain.money import yuan

_WATCHED = frozenset((CASH, PAYABLE))


def check_balanced(draft: EntryDraft) -> None:
    """Invariant 1: at least two postings; debits = credits per (track, fund)."""
    if len(draft.postings) < 2:
        raise InvalidEntryError(f"entry {draft.key}: needs at least two postings")
    if (draft.kind is Kind.REVERSAL) != (draft.reverses_entry_id is not None):
        raise InvalidEntryError(
            f"entry {draft.key}: a reversal, and only a reversal, names an entry"
        )
    postings = draft.postings
    if len(postings) == 2:  # the common shape: one debit and one credit, nothing to group
        a, b = postings
        if (
            a.fund_code == b.fund_code
            and (a.account[:1] in "12345") == (b.account[:1] in "12345")
            and a.debit + b.debit == a.credit + b.credit
        ):
            return
    net: dict[tuple[bool, str], int] = {}
    for p in postings:  # the key's first item is track_of(p.account) == "financial"
        pair = (p.account[:1] in "12345", p.fund_code)
        net[pair] = net.get(pair, 0) + p.debit - p.credit
    if not any(net.values()):
        return
    tracks = {(track_of(p.account), p.fund_code) for p in draft.postings}
    for (track, fund), diff in sorted(
        ((track, fund), net[(track == "financial", fund)]) for track, fund in tracks
    ):
        if diff:
            heavy = _("debit heavy") if diff > 0 else _("credit heavy")
            raise UnbalancedEntryError(
                _(
                    "entry {key} does not balance: {track} track of fund {fund} is off by "
                    "{amount} ({heavy})"
                ).format(key=draft.key, track=track, fund=fund, amount=yuan(abs(diff)), heavy=heavy)
            )


def same_content(entry: Entry, draft: EntryDraft) -> bool:
    """Invariant 3: is ``draft`` a replay of ``entry``? (``by`` and a default date are ignored.)"""
    return (
        entry.kind == draft.kind
        and entry.memo == draft.memo
        and entry.ref == draft.ref
        and entry.reverses_entry_id == draft.reverses_entry_id
        and entry.program == draft.program
        and (draft.entry_date is None or draft.entry_date == entry.entry_date)
        and sorted_postings(entry.postings) == sorted_postings(draft.postings)
    )


def check_reversal(original: Entry | None, draft: EntryDraft, already_reversed: bool) -> None:
    """Invariant 2's corollary: a reversal mirrors an existing entry, once only."""
    if original is None:
        raise ReversalError(_("entry {entry} does not exist").format(entry=draft.reverses_entry_id))
    if already_reversed:
        raise ReversalError(_("entry {entry} is already reversed").format(entry=original.id))
    if sorted_postings(p.mirrored() for p in original.postings) != sorted_postings(draft.postings):
        raise ReversalError(f"entry {draft.key} is not the mirror of entry {original.id}")


def check_period_open(period: str, closed_through: str | None) -> None:
    """Invariant 5: closing a month closes it and every month before it."""
    if closed_through is not None and period <= closed_through:
        raise PeriodClosedError(
            _(
                "period {period} is closed (the books are closed through {through}); "
                "post the correction in an open period"
            ).format(period=period, through=closed_through)
        )


def net_changes(postings: Iterable[Posting]) -> dict[tuple[str, str], int]:
    """An entry's change to each (account, fund) it posts to: debit minus credit, fen."""
    changes: dict[tuple[str, str], int] = {}
    for p in postings:
        pair = (p.account, p.fund_code)
        changes[pair] = changes.get(pair, 0) + p.debit - p.credit
    return changes


class FundBook:
    """Invariant 4: balances (debit minus credit, fen) per (account, fund), checked as applied.

    Seeded with the stored balances of the funds a batch touches, read under the write
    lock; every entry of the batch is applied in order and refused if it overdraws.
    """

    def __init__(self, net: Mapping[tuple[str, str], int], accounts: Mapping[str, Account]):
        self.net: dict[tuple[str, str], int] = defaultdict(int, net)
        self.accounts = accounts
        self._signs: dict[str, int] = {}

    def available(self, fund: str) -> int:
        return self.net[(CASH, fund)] + self.net[(PAYABLE, fund)]

    def apply(self, changes: Mapping[tuple[str, str], int]) -> None:
        """Add one entry's :func:`net_changes`; refuse it if a fund or a bounded account is
        overdrawn.

        The common case (nothing overdrawn) is checked in one pass; a refusal is
        re-derived by :meth:`_apply_checked` from the balances before the entry, so it
        names the same fund or account, in the same order, whatever the path.
        """
        net = self.net
        for pair, change in changes.items():
            net[pair] += change
        signs = self._signs
        for pair, change in changes.items():
            code, fund = pair
            if code in _WATCHED and net[(CASH, fund)] + net[(PAYABLE, fund)] < 0:
                break
            sign = signs.get(code)
            if sign is None:
                sign = signs[code] = self._bound_sign(code)
            if sign and sign * change < 0 and sign * net[pair] < 0:
                break
        else:
            return
        for pair, change in changes.items():
            net[pair] -= change
        self._apply_checked(changes)

    def _bound_sign(self, code: str) -> int:
        """+1 / -1 for a bounded account's normal side (debit / credit), 0 if unbounded."""
        account = self.accounts[code]
        if not account.bounded:
            return 0
        return 1 if account.normal_side == "debit" else -1

    def _apply_checked(self, changes: Mapping[tuple[str, str], int]) -> None:
        watched = sorted({fund for code, fund in changes if code in _WATCHED})
        before = [self.available(fund) for fund in watched]
        for pair, change in changes.items():
            self.net[pair] += change
        for fund, was in zip(watched, before, strict=True):
            if self.available(fund) < 0:
                raise OverdraftError(fund, was, was - self.available(fund))
        for (code, fund), change in sorted(changes.items()):
            account = self.accounts[code]
            sign = 1 if account.normal_side == "debit" else -1
            if account.bounded and sign * change < 0 and sign * self.net[(code, fund)] < 0:
                raise BalanceBoundError(
                    account.label, fund, sign * (self.net[(code, fund)] - change), -sign * change
                )
