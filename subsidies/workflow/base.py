"""What every workflow step shares: its refusal, its clock, and its line in the audit log."""

from __future__ import annotations

from ledgers import Transaction, fetch_tuples, utc_now
from subsidies.workflow.tables import audit_log

__all__ = ["WorkflowError", "audit", "fetch_tuples", "now"]

now = utc_now  # the workflow's clock: UTC, naive, as the ledger stamps its entries


class WorkflowError(Exception):
    """A workflow step refused, with the reason an officer can act on."""


def audit(tx: Transaction, by: str, action: str, subject: str, detail: str = "") -> None:
    """Who did what, in the same transaction as the deed (append-only)."""
    tx.insert(audit_log, at=now(), by=by, action=action, subject=subject, detail=detail)
