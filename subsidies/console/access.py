"""Who is signed in and what they may do: the console's one seam to the officers' records.

Sign-in, sessions, roles and the permission table are issue #15's
(``subsidies.workflow.officers``, ``subsidies.workflow.permissions``); until they are on
main the console uses :mod:`subsidies.console.provisional`. Every route asks here, on the
server, whether the signed-in officer may take its step.
"""

from __future__ import annotations

from subsidies.console import provisional
from subsidies.console.provisional import (
    PERMISSIONS,
    ROLES,
    NotPermitted,
    NotSignedIn,
    Officer,
    SignedIn,
    may,
    require,
)

__all__ = [
    "PERMISSIONS",
    "ROLES",
    "NotPermitted",
    "NotSignedIn",
    "Officer",
    "SignedIn",
    "by",
    "may",
    "require",
    "role_names",
]

Office = provisional.Office


def by(officer: Officer) -> str:
    """What a workflow step records as the officer taking it."""
    return officer.username


def role_names(officer: Officer) -> str:
    return "、".join(ROLES[r] for r in sorted(officer.roles))


def masked_for(officer: Officer) -> bool:
    """Person data (full 身份证号, bank accounts) is masked unless the role needs it."""
    return not may(officer, "person.unmasked")
