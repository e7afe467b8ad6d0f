"""A Hypothesis state machine drives the ledger against a model of its balances.

Random sequences of appropriations, payouts, disbursements, returns, recoveries,
reversals, batches, period closes, replays and operations that must fail. After every
step: conservation (debits = credits overall and per entry, track and fund), stored
balances equal the sums of the postings and the model, no fund below zero, the hash
chain verifies; and every refused operation left every balance byte-identical.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import text

from ledgers import (
    BalanceBoundError,
    EntryDraft,
    IdempotencyConflictError,
    Kind,
    Ledger,
    LedgerError,
    OverdraftError,
    PeriodClosedError,
    Posting,
    ReversalError,
    UnbalancedEntryError,
    schemes,
)
from ledgers.chart import BY_CODE, CASH, PAYABLE

FUNDS = ("QH2024", "GX2024")
PROGRAMS = ("qinghai.goji_broker", "guangxi.training_base")
MONTHS = st.integers(1, 6)
AMOUNTS = st.integers(1, 60_000)
KINDS = (
    "appropriation",
    "accrual",
    "disbursement",
    "return",
    "recovery_raised",
    "recovery_received",
)


def build(
    kind: str, fund: str, fen: int, key: str, month: int, program: str = PROGRAMS[0]
) -> EntryDraft:
    on = date(2024, month, 15)
    return {
        "appropriation": lambda: schemes.appropriation(fund, fen, key=key, doc=key, on=on),
        "accrual": lambda: schemes.payout_accrued(fund, program, fen, key=key, ref=key, on=on),
        "disbursement": lambda: schemes.disbursement(
            fund, fen, program=program, key=key, ref=key, on=on
        ),
        "return": lambda: schemes.returned_payment(
            fund, fen, program=program, key=key, ref=key, on=on
        ),
        "recovery_raised": lambda: schemes.recovery_raised(
            fund, program, fen, key=key, ref=key, on=on
        ),
        "recovery_received": lambda: schemes.recovery_received(
            fund, fen, program=program, key=key, ref=key, on=on
        ),
    }[kind]()


class Model:
    """What the books must hold: net (debit − credit) per (account, fund), entries, closes."""

    def __init__(self) -> None:
        self.net: dict[tuple[str, str], int] = defaultdict(int)
        self.entries: list[EntryDraft] = []
        self.reversed: set[int] = set()
        self.closed_month = 0

    def refusal(self, drafts: list[EntryDraft]) -> type[LedgerError] | None:
        """Apply ``drafts`` in order if all are accepted; else the error the first refused one gets."""
        net = defaultdict(int, self.net)
        reversed_ = set(self.reversed)
        for draft in drafts:
            if draft.entry_date.month <= self.closed_month:
                return PeriodClosedError
            if draft.reverses_entry_id is not None:
                if draft.reverses_entry_id in reversed_:
                    return ReversalError
                reversed_.add(draft.reverses_entry_id)
            for p in draft.postings:
                net[(p.account, p.fund_code)] += p.debit - p.credit
            if any(net[(CASH, f)] + net[(PAYABLE, f)] < 0 for f in FUNDS):
                return OverdraftError
            for p in draft.postings:
                side = 1 if BY_CODE[p.account.split(".")[0]].normal_side == "debit" else -1
                if side * net[(p.account, p.fund_code)] < 0:
                    return BalanceBoundError
        self.net = net
        self.reversed = reversed_
        self.entries.extend(drafts)
        return None


def db_state(led: Ledger) -> tuple:
    """Every stored balance and the chain head, exactly as stored."""
    with led.engine.connect() as conn:
        balances = conn.execute(text("SELECT * FROM balances ORDER BY account, fund")).all()
        head = conn.execute(text("SELECT * FROM chain_head")).all()
        count = conn.execute(text("SELECT COUNT(*) FROM entries")).scalar()
    return tuple(balances), tuple(head), count


class LedgerMachine(RuleBasedStateMachine):
    make_url = None  # set by the test: a factory of fresh databases

    def __init__(self) -> None:
        super().__init__()
        self.led = Ledger.connect(type(self).make_url())
        self.led.upgrade()
        self.model = Model()
        self.serial = 0

    def teardown(self) -> None:
        self.led.close()

    def key(self) -> str:
        self.serial += 1
        return f"k{self.serial}"

    def attempt(self, drafts: list[EntryDraft]) -> None:
        """Post through the API and hold the outcome to the model's prediction."""
        expected = self.model.refusal(drafts)
        before = db_state(self.led)
        try:
            posted = self.led.post_many(drafts) if len(drafts) > 1 else [self.led.post(drafts[0])]
        except LedgerError as refusal:
            event(f"refused: {type(refusal).__name__}")
            assert expected is not None and isinstance(refusal, expected), (
                f"refused {refusal!r}, model: {expected}"
            )
            assert db_state(self.led) == before, "a refused operation changed the books"
            return
        assert expected is None, f"accepted, but the model expected {expected.__name__}"
        event("accepted")
        assert [e.id for e in posted] == list(
            range(len(self.model.entries) - len(drafts) + 1, len(self.model.entries) + 1)
        )

    def refused(self, call, error: type[LedgerError]) -> None:
        before = db_state(self.led)
        with pytest.raises(error):
            call()
        assert db_state(self.led) == before, "a refused operation changed the books"

    @initialize(fund=st.sampled_from(FUNDS), fen=st.integers(10_000, 80_000))
    def open_funds(self, fund: str, fen: int) -> None:
        for code in FUNDS:
            self.led.add_fund(code, f"2024 就业补助资金 {code}", year=2024)
        self.attempt([build("appropriation", fund, fen, self.key(), 1)])

    @rule(
        kind=st.sampled_from(KINDS),
        fund=st.sampled_from(FUNDS),
        fen=AMOUNTS,
        month=MONTHS,
        program=st.sampled_from(PROGRAMS),
    )
    def post_one(self, kind: str, fund: str, fen: int, month: int, program: str) -> None:
        self.attempt([build(kind, fund, fen, self.key(), month, program)])

    @rule(
        items=st.lists(
            st.tuples(st.sampled_from(KINDS), st.sampled_from(FUNDS), AMOUNTS),
            min_size=2,
            max_size=8,
        ),
        month=MONTHS,
    )
    def post_batch(self, items: list, month: int) -> None:
        self.attempt([build(kind, fund, fen, self.key(), month) for kind, fund, fen in items])

    @precondition(lambda self: self.model.entries)
    @rule(data=st.data(), month=MONTHS)
    def reverse(self, data, month: int) -> None:
        entry_id = data.draw(st.integers(1, len(self.model.entries)), label="entry")
        original = self.led.entry(entry_id)
        self.attempt(
            [schemes.reversal(original, key=self.key(), reason="test", on=date(2024, month, 20))]
        )

    @rule(month=st.integers(1, 3))
    def close(self, month: int) -> None:
        closed = self.led.close_period(f"2024-{month:02d}")
        assert closed == (month > self.model.closed_month)
        self.model.closed_month = max(month, self.model.closed_month)

    @precondition(lambda self: self.model.entries)
    @rule(data=st.data())
    def replay(self, data) -> None:
        draft = data.draw(st.sampled_from(self.model.entries), label="replayed")
        before = db_state(self.led)
        entry = self.led.post(draft)
        assert entry.key == draft.key and db_state(self.led) == before

    @precondition(lambda self: self.model.entries)
    @rule(data=st.data(), extra=st.integers(1, 100))
    def reuse_key(self, data, extra: int) -> None:
        draft = data.draw(st.sampled_from(self.model.entries), label="reused")
        changed = EntryDraft(draft.kind, draft.key, tuple(
            Posting(p.account, p.fund_code, p.debit and p.debit + extra, p.credit and p.credit + extra)
            for p in draft.postings
        ), draft.entry_date, draft.memo, draft.ref, reverses_entry_id=draft.reverses_entry_id)  # fmt: skip
        self.refused(lambda: self.led.post(changed), IdempotencyConflictError)

    @rule(fund=st.sampled_from(FUNDS), fen=AMOUNTS)
    def unbalanced(self, fund: str, fen: int) -> None:
        draft = EntryDraft(
            Kind.APPROPRIATION,
            self.key(),
            (Posting.dr(CASH, fund, fen + 1), Posting.cr("4001", fund, fen)),
        )
        self.refused(lambda: self.led.post(draft), UnbalancedEntryError)

    @invariant()
    def books_hold(self) -> None:
        with self.led.engine.connect() as conn:
            dr, cr = conn.execute(
                text("SELECT COALESCE(SUM(debit), 0), COALESCE(SUM(credit), 0) FROM postings")
            ).one()
            assert dr == cr
            off = conn.execute(text(
                "SELECT p.entry_id FROM postings p JOIN accounts a ON a.code = p.account "
                "GROUP BY p.entry_id, a.track, p.fund HAVING SUM(p.debit) <> SUM(p.credit)"
            )).all()  # fmt: skip
            assert off == []
            summed = conn.execute(text(
                "SELECT account, fund, SUM(debit), SUM(credit) FROM postings GROUP BY account, fund ORDER BY account, fund"
            )).all()  # fmt: skip
        rows = self.led.balances()
        stored = sorted((r.account, r.fund, r.debit_total, r.credit_total) for r in rows)
        assert stored == sorted(tuple(row) for row in summed)
        nets = {(r.account, r.fund): r.net for r in rows}
        for pair in nets.keys() | self.model.net.keys():
            assert nets.get(pair, 0) == self.model.net.get(pair, 0), pair
        for fund in FUNDS:
            assert (
                self.led.available(fund)
                == self.model.net[(CASH, fund)] + self.model.net[(PAYABLE, fund)]
                >= 0
            )
        result = self.led.verify()
        assert result.ok, result.problems
        assert result.entries == len(self.model.entries)


def test_ledger_state_machine(new_db_url) -> None:
    LedgerMachine.make_url = staticmethod(new_db_url)
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=15,
            stateful_step_count=30,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
