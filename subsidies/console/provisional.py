"""PROVISIONAL, until issue #15 (officers sign in) is on main: officers, roles and the
permission table held in memory, so the console's pages, CSRF and role checks can be
built and tested. When ``subsidies.workflow.officers`` and ``subsidies.workflow.permissions``
land, :mod:`subsidies.console.access` calls them instead and this module is deleted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

ROLES = {
    "clerk": "经办",
    "checker": "审核",
    "cashier": "出纳",
    "reconciler": "对账",
    "auditor": "审计",
    "admin": "管理员",
}
PERMISSIONS: dict[str, frozenset[str]] = {
    step: frozenset(roles)
    for step, roles in {
        "calc": ("clerk",),
        "batch.submit": ("clerk",),
        "batch.notice": ("clerk",),
        "batch.approve": ("checker",),
        "batch.reject": ("checker",),
        "disburse": ("cashier",),
        "payment.file": ("cashier",),
        "payment.return": ("cashier",),
        "payment.reissue": ("cashier",),
        "payment.approve": ("checker",),
        "payment.reject": ("checker",),
        "reconcile.import": ("reconciler",),
        "reconcile.resolve": ("reconciler",),
        "ledger.verify": ("auditor", "admin"),
        "audit.read": ("auditor", "admin"),
        "person.unmasked": ("cashier", "auditor"),
        "fund.add": ("admin",),
        "fund.appropriate": ("admin",),
        "user.manage": ("admin",),
    }.items()
}


class NotSignedIn(Exception):
    """No officer holds this token (never issued, signed out or expired)."""


class NotPermitted(Exception):
    """The officer holds none of the roles the step needs."""


@dataclass(frozen=True)
class Officer:
    id: int
    username: str
    name: str
    roles: frozenset[str]
    must_change_password: bool = False


@dataclass(frozen=True)
class SignedIn:
    token: str
    officer: Officer
    expires_at: dt.datetime


def may(officer: Officer, step: str) -> bool:
    return bool(officer.roles & PERMISSIONS[step])


def require(officer: Officer, step: str) -> None:
    if not may(officer, step):
        needed = "、".join(ROLES[r] for r in sorted(PERMISSIONS[step]))
        raise NotPermitted(f"{officer.name} 无权执行此操作：需要角色 {needed}")


@dataclass
class Office:
    """Officers and their sessions, in memory (PROVISIONAL)."""

    officers: dict[str, tuple[Officer, bytes, bytes]] = field(default_factory=dict)
    sessions: dict[str, tuple[Officer, dt.datetime]] = field(default_factory=dict)

    def add(self, username: str, name: str, roles: set[str], password: str) -> Officer:
        salt = secrets.token_bytes(16)
        officer = Officer(len(self.officers) + 1, username, name, frozenset(roles))
        self.officers[username] = (officer, salt, _hash(password, salt))
        return officer

    def sign_in(self, username: str, password: str) -> SignedIn:
        officer, salt, digest = self.officers.get(username, (None, b"", b""))
        if officer is None or not hmac.compare_digest(digest, _hash(password, salt)):
            raise NotSignedIn("用户名或密码不正确")
        token = secrets.token_urlsafe(32)
        expires = dt.datetime.now() + dt.timedelta(hours=8)
        self.sessions[token] = (officer, expires)
        return SignedIn(token, officer, expires)

    def officer_for_token(self, token: str) -> Officer:
        officer, expires = self.sessions.get(token, (None, dt.datetime.min))
        if officer is None or expires < dt.datetime.now():
            raise NotSignedIn("未登录或登录已过期")
        return officer

    def sign_out(self, token: str) -> None:
        self.sessions.pop(token, None)


def _hash(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
