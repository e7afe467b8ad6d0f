"""The finance officer's daily job: payout batches from claims file to money committed.

claim file → :mod:`calculators` (decisions) → :mod:`subsidies.workflow` (batches,
screening, notice, approval) → :mod:`ledgers` (entries). Batches, decisions and
their events are append-only: a batch's state is read from its events.
"""
