"""The demo's office: an administrator, two clerks, a checker, a cashier, a reconciler and an
auditor, each with an account on the demo ledger, so that every step of the demo is taken
by the officer whose role allows it (docs/officer-guide.md).

The administrator makes the accounts as an office would (``subsidies init``, then ``user
add``); each officer sets their own password at their first sign-in and signs in. The
passwords are random and written only to ``accounts.txt`` in the demo folder, readable by
its owner alone (mode 0600), so that ``subsidies login`` works on the demo ledger
afterwards; they are never printed.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from ledgers import Ledger
from subsidies.workflow import officers
from subsidies.workflow.base import Officer
from subsidies.workflow.permissions import role_names

# username, name, roles: the first is the administrator
PEOPLE = (
    ("wu", "吴管理员", ("admin",)),
    ("zhang", "张会计", ("clerk",)),
    ("zhou", "周会计", ("clerk",)),
    ("li", "李科长", ("checker",)),
    ("wang", "王出纳", ("cashier",)),
    ("zhao", "赵对账", ("reconciler",)),
    ("sun", "孙审计", ("auditor",)),
)
SOURCE = "subsidies demo"


@dataclass(frozen=True)
class Office:
    admin: Officer
    clerks: tuple[Officer, Officer]
    checker: Officer
    cashier: Officer
    reconciler: Officer
    auditor: Officer
    accounts: Path  # where the passwords are


def _password() -> str:
    return secrets.token_urlsafe(12)


def _write_accounts(path: Path, rows: list[tuple[str, str, str, str]]) -> None:
    """username, name, roles, password: one line each, owner-only from the first byte."""
    lines = ["# subsidies demo: accounts on the demo ledger (subsidies login USERNAME)"]
    lines += ["\t".join(row) for row in rows]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


def make_office(ledger: Ledger, folder: Path) -> Office:
    """Make the office's accounts on ``ledger``; every officer signed in (via the CLI)."""
    (admin_name, admin_full, _), *others = PEOPLE
    passwords = {admin_name: _password()}
    officers.first_administrator(ledger, admin_name, admin_full, passwords[admin_name])
    admin = officers.sign_in(
        ledger, admin_name, passwords[admin_name], via="cli", source=SOURCE
    ).officer
    for username, name, roles in others:
        first, passwords[username] = _password(), _password()
        officers.add_officer(ledger, username, name, first, roles, by=admin)
        made = officers.sign_in(ledger, username, first, via="cli", source=SOURCE).officer
        officers.set_password(ledger, username, passwords[username], by=made, old=first)
    signed = {
        username: officers.sign_in(
            ledger, username, passwords[username], via="cli", source=SOURCE
        ).officer
        for username, _, _ in others
    }
    accounts = folder / "accounts.txt"
    _write_accounts(
        accounts,
        [(u, n, role_names(set(r)), passwords[u]) for u, n, r in PEOPLE],
    )
    return Office(
        admin,
        (signed["zhang"], signed["zhou"]),
        signed["li"],
        signed["wang"],
        signed["zhao"],
        signed["sun"],
        accounts,
    )


def described(office: Office) -> list[str]:
    """The accounts made, as the demo prints them (never the passwords)."""
    people = (office.admin, *office.clerks, office.checker, office.cashier)
    people += (office.reconciler, office.auditor)
    return [f"{o.username:<6} {o.name} ({role_names(o.roles)})" for o in people]
