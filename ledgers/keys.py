"""Every idempotency key (幂等键) the ledger's entries are posted under, built in one place.

A key names one entry forever (invariant 3, ``ledgers/README.md``): posting it again with
the same content returns the entry already posted, so a step retried after a crash, or
run twice, posts nothing twice. Each step builds its key from what identifies the event,
never from when or by whom it is taken:

===================================  ===========  ===============================================
key                                  entry        unique because
===================================  ===========  ===============================================
``appropriation:FUND:DOC``           拨款          one appropriation per fund and document (文号)
``accrual:PROGRAM:CLAIM``            计提应付补贴   a claim id is unique within its program, and an
                                                  approved claim is never approved again
``disbursement:PROGRAM:CLAIM:N``     支付          attempt 1 when the claim's batch is disbursed,
                                                  N + 1 when attempt N (the latest, returned) is
                                                  reissued
``return:REFERENCE``                 退回          a payment's bank reference is unique, and a
                                                  payment comes back once
``recovery:PROGRAM:CLAIM``           追回(应收)     one recovery raised per claim
``repayment:PROGRAM:CLAIM:N``        追回(收款)     N counts the claim's recovery records before
                                                  it (1 for the first repayment after the raise)
``reversal:ENTRY``                   冲销          an entry is reversed once
                                                  (``uq_entries_reverses_once``)
===================================  ===========  ===============================================

A key's form never changes once entries are posted under it: a retry must build the same
key to be recognised as one. A program id holds no ``:``, so the parts stay apart.

The program an entry belongs to is data, ``entries.program`` (``EntryDraft.program``, set
by :mod:`ledgers.schemes`), and reports group by that column. A key is read back in one
place, :func:`program_named`, for ``ledger verify`` (``ledgers.programs``) and once by
migration 0016, which filled the column in for the entries posted before it.
"""

from __future__ import annotations

from collections.abc import Iterable


def _program(program: str) -> str:
    if not program or ":" in program:
        raise ValueError(f"a program id is not empty and holds no ':': {program!r}")
    return program


def appropriation(fund: str, doc: str) -> str:
    """拨款 of ``fund`` under the appropriation document ``doc`` (文号)."""
    return f"appropriation:{fund}:{doc}"


def accrual(program: str, claim: str) -> str:
    """计提应付补贴 of an approved claim."""
    return f"accrual:{_program(program)}:{claim}"


def accruals(program: str, claims: Iterable[str]) -> list[str]:
    """:func:`accrual` of each claim of one program (an approved batch)."""
    prefix = accrual(program, "")
    return [prefix + claim for claim in claims]


def disbursement(program: str, claim: str, attempt: int) -> str:
    """支付 of a claim's ``attempt``-th payment (1 first, then one more per reissue)."""
    return f"disbursement:{_program(program)}:{claim}:{attempt}"


def first_disbursements(program: str, claims: Iterable[str]) -> list[str]:
    """:func:`disbursement` attempt 1 of each claim of one program (a disbursed batch)."""
    return [disbursement(program, claim, 1) for claim in claims]


def returned_payment(reference: str) -> str:
    """退回 of the payment with bank reference ``reference``."""
    return f"return:{reference}"


def recovery(program: str, claim: str) -> str:
    """追回(应收) raised on a claim."""
    return f"recovery:{_program(program)}:{claim}"


def repayment(program: str, claim: str, n: int) -> str:
    """追回(收款): a repayment against a claim's recovery, ``n`` its recovery records before it."""
    return f"repayment:{_program(program)}:{claim}:{n}"


def reversal(entry_id: int) -> str:
    """冲销 of entry ``entry_id``."""
    return f"reversal:{entry_id}"


# kind -> the form of its key that names a program
_NAMING = {
    "payout_accrued": "accrual",
    "disbursement": "disbursement",
    "recovery_raised": "recovery",
    "recovery_received": "repayment",
}


def program_named(kind: str, key: str) -> str | None:
    """The PROGRAM an entry's key names, if the key has its kind's form
    (``accrual:PROGRAM:CLAIM`` for a ``payout_accrued`` entry, and so on); else None.

    For ``ledger verify`` and migration 0016 only: everything else reads ``entries.program``.
    """
    form = _NAMING.get(kind)
    if form is None:
        return None
    head, _, rest = key.partition(":")
    program, _, claim = rest.partition(":")
    return program if head == form and program and claim else None
