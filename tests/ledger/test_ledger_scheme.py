"""The accounting scheme, chart and hash function, without a database."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledgers import EntryDraft, InvalidEntryError, Kind, Posting, UnbalancedEntryError, schemes
from ledgers.chain import GENESIS, entry_content, entry_hash
from ledgers.chart import BY_CODE, CHART, sub_account, track_of
from ledgers.invariants import check_balanced
from ledgers.model import Entry

F = "QH2024"
DRAFTS = [
    schemes.appropriation(F, 500, key="a", doc="doc"),
    schemes.payout_accrued(F, "qinghai.goji_broker", 500, key="p", ref="claim"),
    schemes.disbursement(F, 500, program="qinghai.goji_broker", key="d", ref="pay"),
    schemes.returned_payment(F, 500, program="qinghai.goji_broker", key="r", ref="pay"),
    schemes.recovery_raised(F, "qinghai.goji_broker", 500, key="rr", ref="claim"),
    schemes.recovery_received(F, 500, program="qinghai.goji_broker", key="rc", ref="claim"),
]


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda d: d.kind)
def test_every_scheme_balances_per_track_and_fund(draft: EntryDraft) -> None:
    check_balanced(draft)
    net = defaultdict(int)
    for p in draft.postings:
        net[(track_of(p.account), p.fund_code)] += p.debit - p.credit
    assert set(net.values()) == {0}


def test_budget_track_posted_only_when_cash_moves() -> None:
    tracks = {d.kind: {track_of(p.account) for p in d.postings} for d in DRAFTS}
    assert tracks[Kind.PAYOUT_ACCRUED] == {"financial"}
    assert tracks[Kind.RECOVERY_RAISED] == {"financial"}
    assert tracks[Kind.DISBURSEMENT] == {"financial", "budget"}


def test_chart_tracks_and_names() -> None:
    assert BY_CODE["1011"].name_zh == "零余额账户用款额度"
    assert BY_CODE["2303"].label == "2303 应付政府补贴款"
    assert {a.track for a in CHART if a.code[0] in "12345"} == {"financial"}
    assert {a.track for a in CHART if a.code[0] in "678"} == {"budget"}
    assert BY_CODE["8001"].normal_side == "debit" and BY_CODE["6001"].normal_side == "credit"
    sub = sub_account("5001.qinghai.goji_broker")
    assert (sub.parent, sub.name_zh, sub.normal_side) == (
        "5001",
        "业务活动费用—qinghai.goji_broker",
        "debit",
    )
    with pytest.raises(KeyError):
        sub_account("9999.x")


def test_reversal_mirrors_and_names_the_original() -> None:
    draft = DRAFTS[2]
    original = Entry(
        7,
        "d",
        draft.kind,
        date(2024, 6, 1),
        "2024-06",
        "",
        "pay",
        "",
        datetime(2024, 6, 1),
        None,
        "h",
        "p",
        draft.postings,
    )
    rev = schemes.reversal(original, key="rev", reason="wrong account")
    assert rev.reverses_entry_id == 7 and rev.kind is Kind.REVERSAL
    assert [p.mirrored() for p in rev.postings] == list(draft.postings)
    with pytest.raises(InvalidEntryError):
        schemes.reversal(original, key="rev", reason=" ")


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_amounts_are_positive_integer_fen(bad) -> None:
    with pytest.raises(InvalidEntryError):
        schemes.appropriation(F, bad, key="a", doc="d")


@pytest.mark.parametrize("debit,credit", [(0, 0), (5, 5), (-5, 0), (5.0, 0)])
def test_posting_has_exactly_one_positive_side(debit, credit) -> None:
    with pytest.raises(InvalidEntryError):
        Posting("1011", F, debit, credit)


def test_unbalanced_drafts_are_refused() -> None:
    one_sided = EntryDraft(
        Kind.APPROPRIATION, "k", (Posting.dr("1011", F, 5), Posting.cr("4001", F, 4))
    )
    cross_track = EntryDraft(
        Kind.APPROPRIATION, "k", (Posting.dr("1011", F, 5), Posting.cr("6001", F, 5))
    )
    cross_fund = EntryDraft(
        Kind.APPROPRIATION, "k", (Posting.dr("1011", F, 5), Posting.cr("4001", "GX", 5))
    )
    for draft in (one_sided, cross_track, cross_fund):
        with pytest.raises(UnbalancedEntryError):
            check_balanced(draft)
    with pytest.raises(InvalidEntryError):
        check_balanced(EntryDraft(Kind.APPROPRIATION, "k", (Posting.dr("1011", F, 5),)))


def _content(**change):
    fields = dict(
        id=1, key="k", kind="appropriation", entry_date=date(2024, 6, 1), period="2024-06", memo="m", ref="r",
        by="li", created_at=datetime(2024, 6, 1, 8, 0), reverses_entry_id=None,
        postings=[Posting.cr("4001", F, 5), Posting.dr("1011", F, 5)],
    )  # fmt: skip
    return entry_content(**{**fields, **change})


def test_entry_hash_covers_content_and_previous_hash() -> None:
    base = entry_hash(GENESIS, _content())
    assert base == entry_hash(GENESIS, _content()) and len(base) == 64
    same_postings_reordered = _content(
        postings=[Posting.dr("1011", F, 5), Posting.cr("4001", F, 5)]
    )
    assert entry_hash(GENESIS, same_postings_reordered) == base
    assert entry_hash("1" * 64, _content()) != base
    for change in (
        {"memo": "M"},
        {"id": 2},
        {"by": "wang"},
        {"postings": [Posting.dr("1011", F, 6)]},
    ):
        assert entry_hash(GENESIS, _content(**change)) != base


def _json_as_before(prev_hash: str, **fields) -> str:
    """The hash as the first ledgers wrote it: a dict through json with sorted keys."""
    content = {
        **{k: v for k, v in fields.items() if k not in ("postings", "entry_date", "created_at")},
        "kind": str(fields["kind"]),
        "entry_date": fields["entry_date"].isoformat(),
        "created_at": fields["created_at"].isoformat(timespec="microseconds"),
        "postings": sorted([p.account, p.fund_code, p.debit, p.credit] for p in fields["postings"]),
    }
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + text.encode()).hexdigest()


_TEXT = st.text(st.characters(codec="utf-8"), max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    id=st.integers(1, 2**62),
    key=_TEXT,
    kind=st.sampled_from(list(Kind)),
    entry_date=st.dates(),
    memo=_TEXT,
    ref=_TEXT,
    by=_TEXT,
    created_at=st.datetimes(timezones=st.none() | st.timezones()),
    reverses_entry_id=st.none() | st.integers(1, 2**62),
    postings=st.lists(
        st.builds(
            lambda account, fund, fen, debit: Posting(
                account, fund, *((fen, 0) if debit else (0, fen))
            ),
            st.sampled_from(["1011", "2303", "5001.青海.枸杞", '5001."q"\\x', "8001"]),
            st.sampled_from([F, "GX\u2028", "基金\t1"]),
            st.integers(1, 10**15),
            st.booleans(),
        ),
        max_size=5,
    ),
)
def test_content_is_the_canonical_json_every_stored_hash_was_made_of(**fields) -> None:
    """Hashes already stored must keep verifying: the fast content is byte for byte the old one."""
    period = f"{fields['entry_date']:%Y-%m}"
    ours = entry_hash(GENESIS, entry_content(**fields, period=period))
    assert ours == _json_as_before(GENESIS, **fields, period=period)


def test_equal_aware_times_in_other_offsets_hash_as_written() -> None:
    utc = datetime(2024, 6, 1, 0, 0, tzinfo=UTC)
    east = utc.astimezone(timezone(timedelta(hours=8)))
    assert utc == east
    for stamp in (utc, east, utc):
        fields = dict(
            id=1, key="k", kind=Kind.APPROPRIATION, entry_date=date(2024, 6, 1), period="2024-06",
            memo="", ref="", by="", created_at=stamp, reverses_entry_id=None, postings=[],
        )  # fmt: skip
        assert entry_hash(GENESIS, entry_content(**fields)) == _json_as_before(GENESIS, **fields)


def test_database_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    from ledgers.db import resolve_url

    def shown(url: str | None) -> str:
        return resolve_url(url).render_as_string(hide_password=False)

    monkeypatch.delenv("SUBSIDIES_DB", raising=False)
    assert shown(None) == "sqlite:///subsidies.db"
    assert shown("books/x.db") == "sqlite:///books/x.db"
    assert (
        shown("postgresql://postgres@127.0.0.1/test")
        == "postgresql+psycopg://postgres@127.0.0.1/test"
    )
    monkeypatch.setenv("SUBSIDIES_DB", "sqlite:////tmp/env.db")
    assert shown(None) == "sqlite:////tmp/env.db"
    assert shown("other.db") == "sqlite:///other.db"


@pytest.mark.parametrize(
    ("given", "database"),
    [
        (r"sqlite:///C:\ledgers\账本.db", r"C:\ledgers\账本.db"),
        (r"sqlite:///C:/ledgers/账本.db", r"C:/ledgers/账本.db"),
        (r"sqlite://C:\ledgers\账本.db", r"C:\ledgers\账本.db"),  # a slash short
        (r"C:\ledgers\账本.db", r"C:\ledgers\账本.db"),  # a bare path
        (r"D:\财务 科\2024#1\li@office.db", r"D:\财务 科\2024#1\li@office.db"),
        (r"C:\ledgers\第一季度?.db", r"C:\ledgers\第一季度?.db"),  # never a query
        (r"\server\share\账本.db", r"\server\share\账本.db"),
        (r"sqlite:///\server\share\账本.db", r"\server\share\账本.db"),
    ],
)
def test_windows_paths_name_the_sqlite_file(given: str, database: str) -> None:
    """What a Windows officer types as --db or SUBSIDIES_DB reaches SQLite as that file."""
    from ledgers.db import resolve_url

    url = resolve_url(given)
    assert (url.get_backend_name(), url.database, url.host) == ("sqlite", database, None)


def test_a_windows_style_name_is_the_file_sqlite_opens(tmp_path, monkeypatch) -> None:
    r"""On this (POSIX) machine ``C:\ledgers\账本.db`` is one file name in the folder: the
    ledger made through the URL is that file, whole name and all."""
    from ledgers import Ledger

    monkeypatch.chdir(tmp_path)
    with Ledger.connect(r"sqlite:///C:\ledgers\账本.db") as ledger:
        ledger.upgrade()
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".db"] == [r"C:\ledgers\账本.db"]


@pytest.mark.parametrize(
    ("many", "one"),
    [
        (
            lambda amounts, **kw: schemes.payout_accruals(F, "qinghai.goji_broker", amounts, **kw),
            lambda fen, **kw: schemes.payout_accrued(F, "qinghai.goji_broker", fen, **kw),
        ),
        (
            lambda amounts, **kw: schemes.disbursements(
                F, amounts, program="qinghai.goji_broker", **kw
            ),
            lambda fen, **kw: schemes.disbursement(F, fen, program="qinghai.goji_broker", **kw),
        ),
    ],
    ids=["accruals", "disbursements"],
)
def test_a_batch_of_drafts_is_the_one_draft_function_per_amount(many, one) -> None:
    """Each draft of a batch equals the one-draft function's; drafts of one amount share
    one postings tuple (declared once); a bad amount is named before anything is built."""
    amounts = [500, 700, 500, 120_000]
    keys = [f"k{i}" for i in range(4)]
    batch = many(
        amounts, keys=keys, refs=(f"r{i}" for i in range(4)),
        memos=(f"备注 {i}" for i in range(4)), on=date(2024, 6, 3), by="li",
    )  # fmt: skip
    drafts = list(batch.drafts)
    assert drafts == [
        one(fen, key=f"k{i}", ref=f"r{i}", memo=f"备注 {i}", on=date(2024, 6, 3), by="li")
        for i, fen in enumerate(amounts)
    ]
    assert drafts[0].postings is drafts[2].postings and len(batch.postings) == 3
    assert list(batch.keys) == keys
    for bad in (0, -5, 1.5, True):
        with pytest.raises(InvalidEntryError, match="positive number of fen"):
            many([500, bad], keys=["a", "b"], refs=["a", "b"], memos=["", ""])
