"""``ledger verify``'s check of each entry's program (``entries.program``) against what the
entry itself says.

An entry posted with a program has it sealed in its hash (:mod:`ledgers.chain`). The
hash does not cover the programs migration 0016 filled in for the entries posted before
it, nor the absence of one; for those (*unsealed*) the program must be what that
migration's rule gives:

======================================  ==============================================
entry                                   its program
======================================  ==============================================
计提 payout_accrued, 追回(应收)           the program of its 5001.<program> posting
recovery_raised
支付 disbursement, 追回(收款)             the program its key names
recovery_received                       (:func:`ledgers.keys.program_named`)
退回 returned_payment                    the latest earlier payment's with its reference
冲销 reversal                            the reversed entry's
拨款 appropriation, any other            none
======================================  ==============================================

A sealed program is held to what the entry says where it says one: its 5001 posting, its
key. The returned payments' and reversals' programs are read once, when the first
unsealed one is met (an old ledger, or a reversal of an appropriation).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, text

from ledgers.chart import EXPENSE
from ledgers.keys import program_named

_PREFIX = f"{EXPENSE}."
_FROM_ACCOUNT = frozenset({"payout_accrued", "recovery_raised"})
_FROM_KEY = frozenset({"disbursement", "recovery_received"})
_THROUGH = {"returned_payment": "the payment it returns", "reversal": "the entry it reverses"}

_THROUGH_SQL = """\
SELECT r.id, d.id, d.program FROM entries r
JOIN entries d ON d.ref = r.ref AND d.kind = 'disbursement' AND d.id < r.id
WHERE r.kind = 'returned_payment'
UNION ALL
SELECT r.id, o.id, o.program FROM entries r JOIN entries o ON o.id = r.reverses_entry_id
WHERE r.reverses_entry_id > 0"""


def account_program(accounts: Iterable[str]) -> str | None:
    """The program of the first 5001.<program> account among ``accounts``."""
    for account in accounts:
        if account.startswith(_PREFIX):
            return account[len(_PREFIX) :]
    return None


class ProgramCheck:
    """One verify's check of programs, over one connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.through: dict[int, str | None] | None = None  # read when first needed

    def __call__(
        self,
        entry_id: int,
        kind: str,
        key: str,
        accounts: Iterable[str],
        program: str | None,
        *,
        sealed: bool,
    ) -> str | None:
        """What is wrong with the program of an entry, or None."""
        named = program_named(kind, key)
        if named is not None and named != program:
            return _differs(program, "its key names", named)
        if kind in _FROM_ACCOUNT:
            expected, source = account_program(accounts), "its 5001 posting names"
        elif sealed:
            return None
        elif kind in _FROM_KEY:
            expected, source = named, "its key names"
        elif kind in _THROUGH:
            expected, source = self._through(entry_id), f"{_THROUGH[kind]} has"
        else:
            expected, source = None, f"kind {kind} has"
        if expected == program or (sealed and expected is None):
            return None
        return _differs(program, source, expected)

    def _through(self, entry_id: int) -> str | None:
        """The program of the payment a returned payment returns (the latest before it with
        its reference), or of the entry a reversal reverses."""
        if self.through is None:
            latest: dict[int, tuple[int, str | None]] = {}
            for entry, source, program in self.conn.execute(text(_THROUGH_SQL)):
                if entry not in latest or source > latest[entry][0]:
                    latest[entry] = (source, program)
            self.through = {entry: program for entry, (_, program) in latest.items()}
        return self.through.get(entry_id)


def _differs(program: str | None, source: str, expected: str | None) -> str:
    return f"program {program or '(none)'}, but {source} {expected or '(none)'}"
