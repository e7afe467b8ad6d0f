"""post_many: thousands of entries in one transaction, with Core bulk statements."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from ledger_helpers import FUND, JUNE, PROGRAM
from sqlalchemy import event, func, select
from sqlalchemy.exc import DBAPIError

from ledgers import (
    IdempotencyConflictError,
    Ledger,
    OverdraftError,
    PeriodClosedError,
    chunks,
    posting,
    schemes,
)
from ledgers.db import writing
from ledgers.model import DraftBatch
from ledgers.schema import entries

N = 2_000


def accruals(n: int, prefix: str = "claim", fen: int = 100) -> list:
    return [
        schemes.payout_accrued(
            FUND, PROGRAM, fen, key=f"{prefix}-{i}", ref=f"{prefix}-{i}", on=JUNE
        )
        for i in range(n)
    ]


def mixed(n: int) -> list:
    """Accrue, pay, and for every tenth claim a returned payment."""
    drafts = []
    for i in range(n):
        drafts.append(
            schemes.payout_accrued(FUND, PROGRAM, 100 + i, key=f"a-{i}", ref=f"c-{i}", on=JUNE)
        )
        drafts.append(
            schemes.disbursement(
                FUND, 100 + i, program=PROGRAM, key=f"d-{i}", ref=f"c-{i}", on=JUNE
            )
        )
        if i % 10 == 0:
            drafts.append(
                schemes.returned_payment(
                    FUND, 100 + i, program=PROGRAM, key=f"r-{i}", ref=f"c-{i}", on=JUNE
                )
            )
    return drafts


def state(led: Ledger) -> tuple:
    return tuple(
        (r.account, r.fund, r.debit_total, r.credit_total) for r in led.balances()
    ), led.available(FUND)


def test_thousands_in_one_transaction_with_few_statements(funded: Ledger) -> None:
    """Statements as the database saw them (SQLite's trace: the posting path runs on the
    DB-API cursor, which SQLAlchemy's events do not see)."""
    if funded.engine.dialect.name != "sqlite":
        pytest.skip("statements traced on SQLite; PostgreSQL takes each chunk by COPY")
    statements: list[str] = []
    funded.engine.dispose()  # the next connection is traced from its first statement
    event.listen(
        funded.engine,
        "connect",
        lambda dbapi_connection, _record: dbapi_connection.set_trace_callback(statements.append),
    )
    posted = funded.post_many(accruals(N))
    # the trace repeats a statement's text for each trigger program it runs
    top = list(dict.fromkeys(statements))
    inserts = [s for s in top if s.lstrip().upper().startswith("INSERT")]
    assert len(posted) == N and [e.id for e in posted] == list(range(2, N + 2))
    n_chunks = -(-(N - chunks.FIRST_CHUNK) // chunks.CHUNK) + 1
    # postings and entries per chunk, the two new balance rows, the program's sub-account,
    # the two new rows of the totals per event (one upsert, traced a row at a time)
    assert len(inserts) == 2 * n_chunks + 5, inserts
    assert len(top) < 30, top
    assert funded.available(FUND) == 1_000_000 - 100 * N
    assert funded.verify().ok


def test_post_many_equals_posting_one_by_one(funded: Ledger, new_db_url) -> None:
    drafts = mixed(100)
    funded.post_many(drafts)
    with Ledger.connect(new_db_url()) as other:
        other.upgrade()
        other.add_fund(FUND, "same fund")
        other.appropriate(FUND, 1_000_000, doc="青财社指〔2024〕12号", on=JUNE)
        for draft in drafts:
            other.post(draft)
        assert state(other) == state(funded)
        assert [(e.key, e.postings) for e in other.journal()] == [
            (e.key, e.postings) for e in funded.journal()
        ]
    assert funded.trial_balance().balanced and funded.verify().ok


def test_a_refusal_anywhere_posts_nothing(funded: Ledger) -> None:
    before = state(funded), funded.journal()
    too_much = [
        *accruals(500),
        schemes.payout_accrued(FUND, PROGRAM, 999_999, key="big", ref="big", on=JUNE),
    ]
    with pytest.raises(OverdraftError) as caught:
        funded.post_many(too_much)
    assert caught.value.available == 1_000_000 - 500 * 100 and caught.value.requested == 999_999
    funded.close_period("2024-05")
    late = [
        *accruals(10),
        schemes.payout_accrued(FUND, PROGRAM, 1, key="late", ref="x", on=date(2024, 5, 31)),
    ]
    with pytest.raises(PeriodClosedError):
        funded.post_many(late)
    assert (state(funded), funded.journal()) == before


def test_overdraft_is_checked_in_order_within_a_batch(funded: Ledger) -> None:
    spend_first = [
        schemes.payout_accrued(FUND, PROGRAM, 1_500_000, key="claim", ref="claim", on=JUNE),
        schemes.appropriation(FUND, 1_000_000, key="more", doc="second document", on=JUNE),
    ]
    with pytest.raises(OverdraftError):
        funded.post_many(spend_first)
    funded.post_many(reversed(spend_first))
    assert funded.available(FUND) == 500_000


def test_keys_within_and_across_batches(funded: Ledger) -> None:
    first = funded.post_many(accruals(100))
    again = funded.post_many([*accruals(100), *accruals(5, prefix="new")])
    assert again[:100] == first and [e.id for e in again[100:]] == list(range(102, 107))
    duplicate_in_batch = funded.post_many([*accruals(1, "dup"), *accruals(1, "dup")])
    assert duplicate_in_batch[0] == duplicate_in_batch[1]
    with pytest.raises(IdempotencyConflictError):
        funded.post_many([*accruals(1, "x"), *accruals(1, "x", fen=101)])
    with funded.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(entries)) == 107


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> int:
    """A batch is inserted in chunks from a background thread; make chunks of 7 entries."""
    monkeypatch.setattr(chunks, "CHUNK", 7)
    return 7


def test_a_batch_of_many_chunks_equals_one_chunk(
    funded: Ledger, new_db_url, small_chunks, monkeypatch: pytest.MonkeyPatch
) -> None:
    drafts = mixed(60)  # 126 entries: 18 chunks of 7
    funded.post_many(drafts)
    with Ledger.connect(new_db_url()) as other:
        other.upgrade()
        other.add_fund(FUND, "same fund")
        other.appropriate(FUND, 1_000_000, doc="青财社指〔2024〕12号", on=JUNE)
        monkeypatch.setattr(chunks, "CHUNK", 10_000)
        other.post_many(drafts)
        assert state(other) == state(funded)
        assert [(e.id, e.key, e.postings) for e in other.journal()] == [
            (e.id, e.key, e.postings) for e in funded.journal()
        ]
    assert funded.trial_balance().balanced and funded.verify().ok


def test_a_refusal_after_chunks_were_written_posts_nothing(funded: Ledger, small_chunks) -> None:
    before = state(funded), funded.journal()
    too_much = [
        *accruals(50),
        schemes.payout_accrued(FUND, PROGRAM, 999_999, key="big", ref="big", on=JUNE),
    ]
    with pytest.raises(OverdraftError):
        funded.post_many(too_much)
    assert (state(funded), funded.journal()) == before
    assert len(funded.post_many(accruals(50))) == 50 and funded.verify().ok


REFUSE_ENTRY_30 = {
    "sqlite": """CREATE TRIGGER test_refuse_30 BEFORE INSERT ON entries WHEN NEW.id = 30
                 BEGIN SELECT RAISE(ABORT, 'test: entry 30 refused'); END""",
    "postgresql": """CREATE FUNCTION test_refuse_30() RETURNS trigger LANGUAGE plpgsql AS $$
                     BEGIN RAISE EXCEPTION 'test: entry 30 refused'; END $$;
                     CREATE TRIGGER test_refuse_30 BEFORE INSERT ON entries FOR EACH ROW
                     WHEN (NEW.id = 30) EXECUTE FUNCTION test_refuse_30()""",
}


def test_the_database_refusing_a_later_chunk_posts_nothing(
    funded: Ledger, backend: str, small_chunks
) -> None:
    """A chunk the database refuses (here entry 30, in the fifth chunk) fails the whole batch."""
    with funded.engine.begin() as conn:
        conn.exec_driver_sql(REFUSE_ENTRY_30[backend])
    before = state(funded), funded.journal()
    with pytest.raises(DBAPIError, match="entry 30 refused"):
        funded.post_many(accruals(50))
    assert (state(funded), funded.journal()) == before
    assert funded.verify().ok


def post_batch(led: Ledger, drafts) -> list:
    with writing(led.engine) as conn:
        return posting.post_batch(conn, drafts, today=JUNE, now=datetime(2024, 6, 3, 9))


def lazy_accruals(n: int, built: list[int]) -> DraftBatch:
    """N accruals whose memos count how many drafts have been built so far."""

    def memos():
        for i in range(n):
            built[0] += 1
            yield f"memo {i}"

    return schemes.payout_accruals(
        FUND,
        PROGRAM,
        [100 + i % 3 for i in range(n)],
        keys=[f"lazy-{i}" for i in range(n)],
        refs=(f"ref-{i}" for i in range(n)),
        memos=memos(),
        on=JUNE,
    )


def test_drafts_built_while_posted_equal_drafts_built_first(
    funded: Ledger, new_db_url, small_chunks
) -> None:
    built = [0]
    batch = lazy_accruals(50, built)
    assert built == [0] and len(batch) == 50  # nothing built until posted
    posted = post_batch(funded, batch)
    assert built == [50] and [e.key for e in posted] == [f"lazy-{i}" for i in range(50)]
    with Ledger.connect(new_db_url()) as other:
        other.upgrade()
        other.add_fund(FUND, "same fund")
        other.appropriate(FUND, 1_000_000, doc="青财社指〔2024〕12号", on=JUNE)
        post_batch(other, list(lazy_accruals(50, [0]).drafts))
        assert state(other) == state(funded)
        assert [(e.id, e.key, e.memo, e.ref, e.postings) for e in other.journal()] == [
            (e.id, e.key, e.memo, e.ref, e.postings) for e in funded.journal()
        ]
    assert funded.verify().ok


def test_a_draft_other_than_declared_posts_nothing(funded: Ledger, small_chunks) -> None:
    """Keys, shared postings and reversals are declared before posting starts; a draft
    built later that differs (another key, other postings, one too few or too many)
    is refused, and the chunks already written are rolled back."""
    drafts = accruals(20)
    other_postings = schemes.payout_accrued(FUND, PROGRAM, 999, key="x", ref="x").postings
    declared = DraftBatch.of(drafts)
    wrong = [
        [*drafts[:15], accruals(1, "other")[0], *drafts[16:]],
        [*drafts[:15], drafts[15].__class__(drafts[15].kind, drafts[15].key, other_postings)],
        drafts[:19],
        [*drafts, *accruals(1, "extra")],
    ]
    before = state(funded), funded.journal()
    for given in wrong:
        with pytest.raises(ValueError, match="declared"):
            post_batch(funded, DraftBatch(declared.keys, declared.postings, iter(given)))
        assert (state(funded), funded.journal()) == before
    assert len(post_batch(funded, declared)) == 20 and funded.verify().ok


def test_every_column_read_back_is_the_entry_posted(funded: Ledger, small_chunks) -> None:
    """Each chunk goes to the database in its compact form (SQLite: the rows derived in SQL
    from ids, hashes and shared postings; PostgreSQL: rows built for COPY). What is read
    back, every column of entries and postings, is what ``post_many`` returned: memos,
    refs, officers and dates that differ from entry to entry, a reversal inside the batch,
    a replayed key, postings tuples shared and not."""
    first = funded.post(schemes.payout_accrued(FUND, PROGRAM, 500, key="first", ref="c-0"))
    drafts = []
    for i in range(40):
        fen = 100 + i % 3  # three shared postings tuples, and below one of its own each
        drafts.append(
            schemes.payout_accrued(
                FUND, PROGRAM, fen, key=f"a-{i}", ref=f"申领-{i}", on=date(2024, 6, 1 + i % 20),
                memo=f"青海 第{i}笔 𠮷 \"引号\" \\ 换行\n", by=f"出纳{i % 4}",
            )
        )  # fmt: skip
        if i % 9 == 0:
            drafts.append(
                schemes.disbursement(FUND, fen, program=PROGRAM, key=f"d-{i}", ref=f"申领-{i}")
            )
    drafts.insert(13, schemes.reversal(first, key="undo-first", reason="重复 计提", by="复核员"))
    drafts.insert(30, drafts[5])  # a replay of a key posted earlier in the batch
    posted = funded.post_many(drafts)
    assert len(posted) == len(drafts) and posted[30] is posted[5]
    new = posted[:30] + posted[31:]
    assert [e.id for e in new] == list(range(first.id + 1, first.id + 1 + len(new)))
    assert [e.prev_hash for e in new] == [first.hash, *[e.hash for e in new[:-1]]]
    assert funded.journal()[-len(new) :] == new
    assert funded.verify().ok
