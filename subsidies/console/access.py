"""Who is signed in and what they may do: the console's one seam to the officers' records
(issue #15: :mod:`subsidies.workflow.officers`, :mod:`subsidies.workflow.permissions`).

Every route names a step of the permission table; the server asks here, on every request,
whether the signed-in officer may take it. A refusal for lack of a role is written to the
audit log by :func:`subsidies.workflow.permissions.require` (its one trace).
"""

from __future__ import annotations

from ledgers import Ledger
from subsidies.workflow import officers
from subsidies.workflow.base import Officer
from subsidies.workflow.officers import NotSignedIn, SignedIn, SignInRefused
from subsidies.workflow.permissions import (
    PERMISSIONS,
    ROLES,
    NotPermitted,
    may,
    require,
    role_names,
)

__all__ = [
    "PERMISSIONS",
    "ROLES",
    "NotPermitted",
    "NotSignedIn",
    "Officer",
    "SignInRefused",
    "SignedIn",
    "by",
    "masked_for",
    "may",
    "officer_for_token",
    "require",
    "role_names",
    "sign_in",
    "sign_out",
]

VIA = "console"


def by(officer: Officer) -> str:
    """What a workflow step records as the officer taking it."""
    return officer.username


def masked_for(officer: Officer) -> bool:
    """Person data (full 身份证号, bank accounts) is masked unless the role needs it."""
    return not may(officer, "person.read")


def sign_in(ledger: Ledger, username: str, password: str, source: str) -> SignedIn:
    return officers.sign_in(ledger, username, password, via=VIA, source=source)


def officer_for_token(ledger: Ledger, token: str) -> Officer:
    return officers.officer_for_token(ledger, token)


def sign_out(ledger: Ledger, token: str) -> None:
    officers.sign_out(ledger, token)
