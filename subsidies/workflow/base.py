"""What every workflow step shares: who takes it, its refusal, its clock, and its line in the
audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ledgers import Transaction, fetch_tuples, utc_now
from subsidies.workflow.tables import audit_log

__all__ = ["Officer", "WorkflowError", "audit", "fetch_tuples", "now"]

now = utc_now  # the workflow's clock: UTC, naive, as the ledger stamps its entries


class WorkflowError(Exception):
    """A workflow step refused, with the reason an officer can act on."""


@dataclass(frozen=True)
class Officer:
    """A signed-in officer (经办人员): who takes a step, with the roles they hold.

    ``username`` is what every record's ``by`` carries (unique, never reused: officers are
    never deleted); ``via`` is where they signed in (``cli``, ``console``; empty for a
    program calling the workflow itself). Made by :func:`subsidies.workflow.officers.
    officer_for_token` or :func:`~subsidies.workflow.officers.sign_in`.
    """

    id: int
    username: str
    name: str
    roles: frozenset[str]
    must_change_password: bool = False
    via: str = ""

    def __str__(self) -> str:
        return self.username


def audit(
    tx: Transaction,
    by: Officer | str,
    action: str,
    subject: str,
    detail: str = "",
    *,
    via: str = "",
    at: dt.datetime | None = None,
) -> None:
    """Who did what, from where, in the same transaction as the deed (append-only)."""
    if isinstance(by, Officer):
        by, via = by.username, via or by.via
    tx.insert(
        audit_log,
        at=at or now(),
        by=by[:64],
        action=action,
        subject=subject,
        detail=detail,
        via=via,
    )
