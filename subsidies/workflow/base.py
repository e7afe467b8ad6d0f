"""What every workflow step shares: who takes it, its refusal, its clock, and its line in the
audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ledgers import Transaction, fetch_tuples, utc_now
from subsidies.domain.i18n import _, pgettext
from subsidies.workflow.tables import audit_log

__all__ = ["Officer", "WorkflowError", "audit", "fetch_tuples", "now", "state_name"]

now = utc_now  # the workflow's clock: UTC, naive, as the ledger stamps its entries


class WorkflowError(Exception):
    """A workflow step refused, with the reason an officer can act on (in their language).

    ``command`` is a CLI command that helps (``subsidies batch list``): the CLI shows it
    after the reason (:meth:`for_cli`); the console, where there is none to type, does not.
    """

    def __init__(self, message: str, *, command: str = "") -> None:
        super().__init__(message)
        self.command = command

    def for_cli(self) -> str:
        """The reason, with its command for the CLI."""
        if not self.command:
            return str(self)
        return _("{message} (command: {command})").format(message=self, command=self.command)


def state_name(state: str) -> str:
    """A batch's or payment's state (a stable code: ``approved``) in the officer's language."""
    names = {
        "submitted": pgettext("state", "submitted"),
        "noticed": pgettext("state", "noticed"),
        "approved": pgettext("state", "approved"),
        "rejected": pgettext("state", "rejected"),
        "pending": pgettext("state", "pending"),
        "settled": pgettext("state", "settled"),
        "returned": pgettext("state", "returned"),
    }
    return names.get(state, state)


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
