"""The schema comes from Alembic migrations, on both backends."""

from __future__ import annotations

from dataclasses import replace

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from ledger_helpers import FUND, JUNE, drop_immutability_trigger
from sqlalchemy import inspect, select, update

from ledgers import Entry, EntryDraft, Ledger, SchemaError, keys, migrate, schemes
from ledgers.chart import CHART
from ledgers.db import writing
from ledgers.schema import entries, metadata


def test_upgrade_creates_schema_chart_and_chain_head(db_url: str) -> None:
    with Ledger.connect(db_url) as led:
        with pytest.raises(SchemaError, match="subsidies init"):
            led.require_schema()
        led.upgrade()
        led.upgrade()  # a second run is a no-op
        led.require_schema()
        assert {a.code for a in led.accounts()} == {a.code for a in CHART}
        assert led.verify().ok and led.verify().entries == 0


def _ours(obj, name, type_, reflected, compare_to) -> bool:
    """Compare only the ledger's tables (later migrations of other packages add theirs)."""
    table = obj if type_ == "table" else getattr(obj, "table", None)
    return table is None or table.name in metadata.tables


def test_schema_module_matches_the_migrations(ledger: Ledger) -> None:
    with ledger.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _ours})
        assert compare_metadata(context, metadata) == []


def test_downgrade_to_base_and_back(ledger: Ledger) -> None:
    with writing(ledger.engine) as conn:
        migrate.downgrade(conn, "base")
    assert set(inspect(ledger.engine).get_table_names()) <= {"alembic_version"}
    ledger.upgrade()
    assert ledger.verify().ok


# --- 0016: entries.program, filled in for a ledger posted before it -------------------------

GOJI, HIRING = "qinghai.goji_broker", "qinghai.hiring_bonus"


def _before_0016(led: Ledger, drafts: list[EntryDraft]) -> list[Entry]:
    """Post ``drafts`` as the ledger did before 0016: no program, in the entry or its hash."""
    return led.post_many([replace(d, program=None) for d in drafts])


def _migrate_through_0016(led: Ledger) -> None:
    """Take the schema back to before 0016 (its column goes) and up again: the backfill."""
    parent = ScriptDirectory.from_config(migrate.alembic_config()).get_revision("0016")
    with writing(led.engine) as conn:
        migrate.downgrade(conn, parent.down_revision)
    assert "program" not in {c["name"] for c in inspect(led.engine).get_columns("entries")}
    led.upgrade()


def _old_ledger(led: Ledger) -> dict[str, Entry]:
    """Entries of every kind for two programs, posted before 0016, by key."""
    led.add_fund(FUND, "2024 中央就业补助资金 青海", 2024)
    posted = [
        led.appropriate(FUND, 1_000_000, doc="青财社指〔2024〕12号", on=JUNE),
        led.appropriate(FUND, 1_000, doc="青财社指〔2024〕13号", on=JUNE),
    ]
    posted += _before_0016(
        led,
        [
            schemes.payout_accrued(FUND, GOJI, 300, key=keys.accrual(GOJI, "G1"), ref="B1/G1"),
            schemes.payout_accrued(FUND, HIRING, 5_000, key=keys.accrual(HIRING, "H1"), ref="B2"),
            schemes.payout_accrued(FUND, HIRING, 5_000, key=keys.accrual(HIRING, "H2"), ref="B2"),
            schemes.payout_accrued(FUND, GOJI, 100, key="accrual:G-odd", ref="B1"),  # old style
            schemes.disbursement(
                FUND, 300, program=GOJI, key=keys.disbursement(GOJI, "G1", 1), ref="SL1"
            ),
            schemes.disbursement(
                FUND, 5_000, program=HIRING, key=keys.disbursement(HIRING, "H1", 1), ref="SL2"
            ),
            schemes.disbursement(FUND, 100, program=GOJI, key="pay:G-odd", ref="SL3"),
            schemes.returned_payment(
                FUND, 5_000, program=HIRING, key=keys.returned_payment("SL2"), ref="SL2"
            ),
            schemes.returned_payment(FUND, 100, program=GOJI, key="return:SL3", ref="SL3"),
            schemes.disbursement(
                FUND, 5_000, program=HIRING, key=keys.disbursement(HIRING, "H1", 2), ref="SL4"
            ),
            schemes.recovery_raised(FUND, GOJI, 300, key=keys.recovery(GOJI, "G1"), ref="G1"),
            schemes.recovery_received(
                FUND, 200, program=GOJI, key=keys.repayment(GOJI, "G1", 1), ref="G1"
            ),
        ],
    )
    by_key = {e.key: e for e in posted}
    wrong = by_key[keys.accrual(HIRING, "H2")]
    undone = led.reverse(wrong.id, "重复计提", on=JUNE)
    redone = led.reverse(undone.id, "冲销有误", on=JUNE)  # a reversal of a reversal
    unappropriated = led.reverse(posted[1].id, "文号有误", on=JUNE)
    return by_key | {e.key: e for e in (undone, redone, unappropriated)}


def _programs(led: Ledger) -> dict[str, str | None]:
    with led.engine.connect() as conn:
        return dict(conn.execute(select(entries.c.key, entries.c.program)).all())


def test_0016_fills_in_each_old_entrys_program_from_what_it_says(ledger: Ledger) -> None:
    old = _old_ledger(ledger)
    _migrate_through_0016(ledger)
    reversal = keys.reversal
    assert _programs(ledger) == {
        keys.appropriation(FUND, "青财社指〔2024〕12号"): None,
        keys.appropriation(FUND, "青财社指〔2024〕13号"): None,
        keys.accrual(GOJI, "G1"): GOJI,  # its 5001 posting
        keys.accrual(HIRING, "H1"): HIRING,
        keys.accrual(HIRING, "H2"): HIRING,
        "accrual:G-odd": GOJI,  # its 5001 posting, whatever its key
        keys.disbursement(GOJI, "G1", 1): GOJI,  # the program its key names
        keys.disbursement(HIRING, "H1", 1): HIRING,
        "pay:G-odd": None,  # a key naming none: no program, as the report had it
        keys.returned_payment("SL2"): HIRING,  # the payment it returns
        "return:SL3": None,  # ... which names none
        keys.disbursement(HIRING, "H1", 2): HIRING,
        keys.recovery(GOJI, "G1"): GOJI,
        keys.repayment(GOJI, "G1", 1): GOJI,
        reversal(old[keys.accrual(HIRING, "H2")].id): HIRING,  # the entry it reverses
        reversal(old[reversal(old[keys.accrual(HIRING, "H2")].id)].id): HIRING,
        reversal(old[keys.appropriation(FUND, "青财社指〔2024〕13号")].id): None,
    }
    result = ledger.verify()
    assert result.ok, result.problems
    # the hashes are the ones posted before 0016: nothing was rehashed
    assert {e.id: e.hash for e in ledger.journal()} == {e.id: e.hash for e in old.values()}


def test_after_0016_an_old_key_replays_and_new_entries_are_sealed(ledger: Ledger) -> None:
    old = _old_ledger(ledger)
    _migrate_through_0016(ledger)
    again = schemes.disbursement(
        FUND, 300, program=GOJI, key=keys.disbursement(GOJI, "G1", 1), ref="SL1"
    )
    assert ledger.post(again).id == old[again.key].id  # a retry of an old step posts nothing
    new = ledger.post(
        schemes.disbursement(
            FUND, 5_000, program=HIRING, key=keys.disbursement(HIRING, "H2", 1), ref="SL9"
        )
    )
    assert new.program == HIRING and ledger.entry(new.id).program == HIRING
    assert ledger.verify().ok


@pytest.mark.parametrize(
    ("key", "program", "said"),
    [
        (keys.disbursement(GOJI, "G1", 1), HIRING, "its key names qinghai.goji_broker"),
        (keys.disbursement(GOJI, "G1", 1), None, "its key names qinghai.goji_broker"),
        (keys.accrual(GOJI, "G1"), None, "its key names qinghai.goji_broker"),
        ("accrual:G-odd", HIRING, "its 5001 posting names qinghai.goji_broker"),
        (keys.returned_payment("SL2"), GOJI, "the payment it returns has qinghai.hiring_bonus"),
        ("pay:G-odd", GOJI, "its key names (none)"),
        ("appropriation:QH2024:青财社指〔2024〕12号", GOJI, "kind appropriation has (none)"),
    ],
)
def test_an_old_entrys_program_edited_after_0016_is_named(
    ledger: Ledger, key: str, program: str | None, said: str
) -> None:
    """The hashes before 0016 hold no program: verify holds it to what the entry says."""
    old = _old_ledger(ledger)
    _migrate_through_0016(ledger)
    drop_immutability_trigger(ledger.engine, "entries")
    with ledger.engine.begin() as conn:
        conn.execute(update(entries).where(entries.c.key == key).values(program=program))
    result = ledger.verify()
    assert result.first_bad_entry == old[key].id
    assert result.problems[0] == f"entry {old[key].id}: program {program or '(none)'}, but {said}"
    # the return of an edited payment is named too: it no longer has its payment's program
    assert len(result.problems) == 1 + (key == "pay:G-odd")


def test_no_entry_after_the_first_sealed_one_passes_for_an_old_one(ledger: Ledger) -> None:
    """An entry posted with no program after 0016, given one in SQL: its hash holds none,
    as an old entry's would, but old entries all come before the first sealed one."""
    _old_ledger(ledger)
    _migrate_through_0016(ledger)
    ledger.post(schemes.payout_accrued(FUND, GOJI, 1, key=keys.accrual(GOJI, "G7"), ref="B7"))
    (late,) = _before_0016(
        ledger,
        [schemes.disbursement(FUND, 1, program=GOJI, key="pay:G7", ref="SL7")],
    )
    assert ledger.verify().ok
    drop_immutability_trigger(ledger.engine, "entries")
    with ledger.engine.begin() as conn:
        conn.execute(update(entries).where(entries.c.id == late.id).values(program=GOJI))
    result = ledger.verify()
    assert result.first_bad_entry == late.id
    assert "content does not match its hash" in result.problems[0]
