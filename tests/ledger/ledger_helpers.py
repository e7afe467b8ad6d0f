"""Constants and small helpers shared by the ledger tests."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, text

FUND = "QH2024"
FUND_NAME = "2024 中央就业补助资金 青海"
PROGRAM = "qinghai.goji_broker"
JUNE = date(2024, 6, 3)


def run_sql(engine: Engine, *statements: str) -> None:
    """Run raw SQL in one transaction, as someone bypassing the API would."""
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def drop_immutability_trigger(engine: Engine, table: str) -> None:
    """What an attacker with DDL rights would do before editing history."""
    if engine.dialect.name == "postgresql":
        run_sql(engine, f"DROP TRIGGER {table}_immutable ON {table}")
    else:
        run_sql(engine, f"DROP TRIGGER {table}_no_update", f"DROP TRIGGER {table}_no_delete")


def spend_worker(url: str, worker: int, attempts: int, barrier, results) -> None:
    """One officer's process: accrue and pay claims from FUND until told no.

    Reports ("ok", ids, fen), ("refused", available, requested, fen) or ("error", text).
    """
    import random

    from ledgers import Ledger, OverdraftError, schemes

    rng = random.Random(worker)
    led = Ledger.connect(url)
    barrier.wait()
    try:
        for n in range(attempts):
            fen = rng.randint(1_000, 10_000)
            key = f"w{worker}-{n}"
            drafts = [
                schemes.payout_accrued(
                    FUND,
                    PROGRAM,
                    fen,
                    key=f"{key}-accrual",
                    ref=key,
                    on=JUNE,
                    by=f"officer{worker}",
                ),
                schemes.disbursement(
                    FUND,
                    fen,
                    program=PROGRAM,
                    key=f"{key}-payment",
                    ref=key,
                    on=JUNE,
                    by=f"officer{worker}",
                ),
            ]
            try:
                posted = led.post_many(drafts)
            except OverdraftError as refusal:
                results.put(("refused", refusal.available, refusal.requested, fen))
            else:
                results.put(("ok", [e.id for e in posted], fen))
    except Exception as exc:  # anything but a clean refusal fails the test
        results.put(("error", f"worker {worker}: {exc!r}"))
    finally:
        led.close()
