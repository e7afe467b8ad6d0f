"""Eight processes spend from one fund at once: no overdraft, no lost update, clean refusals."""

from __future__ import annotations

import multiprocessing

from ledger_helpers import FUND, spend_worker

from ledgers import Ledger

WORKERS = 8
ATTEMPTS = 25
# the fund holds 10,000.00 yuan; 8 × 25 attempts of 10–100 yuan ask for about 11,000


def test_eight_processes_cannot_overspend(funded: Ledger, db_url: str) -> None:
    led = funded
    start = led.available(FUND)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WORKERS)
    results = context.Queue()
    processes = [
        context.Process(target=spend_worker, args=(db_url, w, ATTEMPTS, barrier, results))
        for w in range(WORKERS)
    ]
    for p in processes:
        p.start()
    outcomes = [results.get(timeout=300) for _ in range(WORKERS * ATTEMPTS)]
    for p in processes:
        p.join(timeout=60)
        assert p.exitcode == 0

    errors = [o for o in outcomes if o[0] == "error"]
    assert errors == []
    accepted = [o for o in outcomes if o[0] == "ok"]
    refused = [o for o in outcomes if o[0] == "refused"]
    assert accepted and refused, "the fund must run out during the test"
    spent = sum(fen for _, _, fen in accepted)
    # no overdraft, and nothing lost: the fund holds exactly what was not spent
    assert led.available(FUND) == start - spent >= 0
    assert led.balance("1011", FUND) == start - spent and led.balance("2303", FUND) == 0
    assert led.balance("5001", FUND) == spent == led.balance("7101", FUND)
    # every accepted spend is two entries, ids dense and unique across processes
    ids = sorted(i for _, posted, _ in accepted for i in posted)
    assert ids == list(range(2, 2 + 2 * len(accepted)))
    # a refusal is clean: it names what was left and what was asked, and asked too much
    for _, available, requested, fen in refused:
        assert requested == fen and 0 <= available < requested
    result = led.verify()
    assert result.ok and result.entries == 1 + len(ids)
    assert led.trial_balance().balanced
