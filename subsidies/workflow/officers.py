"""Officers: accounts, roles, passwords, sign-in and sessions; and the maker–checker rule.

- **Accounts** are never deleted: an administrator disables one, and its history stays.
  ``subsidies init`` makes the first administrator; every other account is made by an
  administrator and must change its password at its first sign-in.
- **Roles** are granted and revoked as events (``role_events``); an office always keeps
  an enabled administrator.
- **Passwords** are kept only as argon2id hashes (argon2-cffi), at least the office's
  minimum length; never stored, printed or logged in clear.
- **Sign-in** gives a session token; the ledger keeps only its SHA-256. Every attempt is
  recorded (``sign_in_attempts``) and audited; after ``lockout_failures`` wrong passwords
  within ``lockout_minutes`` the account is locked until the earliest of them is that old
  (or an administrator sets a new password). Sessions expire after ``session_hours``.
- **Maker–checker**: :func:`second_officer`, whoever asked for a step does not approve it;
  the database holds the same rule (migrations 0011, 0012).

Every function takes ``now`` (UTC, naive) so that tests control the clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, func, select, update

from ledgers import Ledger, Transaction
from subsidies.domain.i18n import _
from subsidies.workflow.base import Officer, WorkflowError, audit
from subsidies.workflow.base import now as utc_now
from subsidies.workflow.permissions import ROLES, require, role_names
from subsidies.workflow.tables import (
    office_settings,
    officers,
    role_events,
    sessions,
    sign_in_attempts,
)

__all__ = [
    "Account",
    "NotSignedIn",
    "Officer",
    "SignInRefused",
    "SignedIn",
    "add_officer",
    "disable",
    "first_administrator",
    "grant",
    "has_officers",
    "list_officers",
    "not_the_approver",
    "officer_for_token",
    "revoke",
    "second_officer",
    "set_password",
    "set_setting",
    "settings",
    "sign_in",
    "sign_out",
]

HASHER = PasswordHasher()  # argon2id, the library's current parameters (RFC 9106 low-memory)
USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")
VIA = ("cli", "console")
UNKNOWN = "?"  # an unknown username is never stored: it may be a password typed in the wrong box


@dataclass(frozen=True)
class Setting:
    default: str
    kind: type  # int or bool
    what: str


SETTINGS: dict[str, Setting] = {
    "lockout_failures": Setting("5", int, "连续输错密码多少次后锁定账户"),
    "lockout_minutes": Setting("15", int, "统计输错次数的时段、锁定时长（分钟）"),
    "session_hours": Setting("8", int, "登录会话有效小时数"),
    "min_password_length": Setting("12", int, "密码最短长度"),
    "cashier_may_be_checker": Setting(
        "false", bool, "一人办公室：允许审核批次的人支付该批次（true/false）"
    ),
}


class NotSignedIn(WorkflowError):
    """No session for this token: never issued, signed out, expired, or the account disabled."""


class SignInRefused(WorkflowError):
    """A sign-in refused: wrong username or password, a locked or disabled account."""


@dataclass(frozen=True)
class SignedIn:
    token: str  # give it back with every request; the ledger keeps only its SHA-256
    officer: Officer
    expires_at: dt.datetime


@dataclass(frozen=True)
class Account:
    """An account as an administrator lists it."""

    officer: Officer
    disabled: bool
    created_by: str
    created_at: dt.datetime


# -- settings ----------------------------------------------------------------------------


def _setting(conn: Connection, name: str) -> str:
    value = conn.scalar(
        select(office_settings.c.value)
        .where(office_settings.c.name == name)
        .order_by(office_settings.c.id.desc())
        .limit(1)
    )
    return SETTINGS[name].default if value is None else value


def _int(conn: Connection, name: str) -> int:
    return int(_setting(conn, name))


def settings(ledger: Ledger) -> dict[str, str]:
    """Every setting's value in force (the latest recorded, else the default)."""
    with ledger.reading() as conn:
        return {name: _setting(conn, name) for name in SETTINGS}


def _parse_setting(name: str, value: str) -> str:
    if name not in SETTINGS:
        raise WorkflowError(
            _("no setting {name}; the settings are {settings}").format(
                name=name, settings=", ".join(SETTINGS)
            )
        )
    value = value.strip().lower()
    if SETTINGS[name].kind is bool:
        if value not in ("true", "false"):
            raise WorkflowError(
                _("{name} is true or false, not {value}").format(name=name, value=value)
            )
        return value
    if not value.isdigit() or int(value) < 1:
        raise WorkflowError(
            _("{name} is a positive whole number, not {value}").format(name=name, value=value)
        )
    return str(int(value))


def set_setting(
    ledger: Ledger, name: str, value: str, *, by: Officer, now: dt.datetime | None = None
) -> str:
    """Record a new value of an office setting (audited); returns the value before."""
    require(by, "officer.manage", ledger=ledger, subject=f"setting {name}")
    value = _parse_setting(name, value)
    at = now or utc_now()
    with ledger.transaction() as tx:
        before = _setting(tx.conn, name)
        tx.insert(office_settings, name=name, value=value, by=by.username, at=at)
        audit(tx, by, "setting", name, f"{before} -> {value}", at=at)
    return before


# -- passwords ---------------------------------------------------------------------------


def _check_password(conn: Connection, username: str, password: str) -> None:
    minimum = _int(conn, "min_password_length")
    if len(password) < minimum:
        raise WorkflowError(
            _("a password has at least {minimum} characters").format(minimum=minimum)
        )
    if len(password) > 1024:
        raise WorkflowError(_("a password has at most 1024 characters"))
    if password.lower() == username.lower() or (
        len(username) >= 3 and username.lower() in password.lower()
    ):
        raise WorkflowError(_("a password may not contain the username"))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY: list[str] = []


def _spend_a_verification(password: str) -> None:
    """An unknown username costs what a wrong password costs, so timing does not tell."""
    if not _DUMMY:
        _DUMMY.append(HASHER.hash(secrets.token_urlsafe(16)))
    _verify(_DUMMY[0], password)


# -- accounts ----------------------------------------------------------------------------


def _roles(conn: Connection, officer_id: int) -> frozenset[str]:
    rows = conn.execute(
        select(role_events.c.role, role_events.c.kind)
        .where(role_events.c.officer_id == officer_id)
        .order_by(role_events.c.id)
    ).all()
    held: set[str] = set()
    for role, kind in rows:
        (held.add if kind == "granted" else held.discard)(role)
    return frozenset(held)


def _row(conn: Connection, username: str):
    return conn.execute(select(officers).where(officers.c.username == username)).first()


def _officer(conn: Connection, row, via: str = "") -> Officer:
    return Officer(
        row.id, row.username, row.name, _roles(conn, row.id), row.must_change_password, via
    )


def _account(conn: Connection, username: str):
    row = _row(conn, username)
    if row is None:
        raise WorkflowError(
            _("no user {username}").format(username=username), command="subsidies user list"
        )
    return row


def has_officers(ledger: Ledger) -> bool:
    """Whether anyone has an account: a ledger with officers is read and written signed in."""
    with ledger.reading() as conn:
        return bool(conn.scalar(select(func.count()).select_from(officers)))


def find(ledger: Ledger, username: str) -> Officer:
    """The officer ``username`` as the ledger has them now (roles in force)."""
    with ledger.reading() as conn:
        return _officer(conn, _account(conn, username))


def list_officers(ledger: Ledger) -> list[Account]:
    with ledger.reading() as conn:
        rows = conn.execute(select(officers).order_by(officers.c.id)).all()
        return [Account(_officer(conn, r), r.disabled, r.created_by, r.created_at) for r in rows]


def _roles_known(roles) -> list[str]:
    unknown = sorted(set(roles) - set(ROLES))
    if unknown:
        known = "、".join(f"{code} {name}" for code, name in ROLES.items())
        raise WorkflowError(
            _("no role {unknown}; the roles are {known}").format(
                unknown=", ".join(unknown), known=known
            )
        )
    return [r for r in ROLES if r in roles]


def _insert_officer(
    tx: Transaction,
    username: str,
    name: str,
    password: str,
    roles: list[str],
    *,
    by: str,
    must_change: bool,
    at: dt.datetime,
) -> int:
    if not USERNAME.match(username):
        raise WorkflowError(
            _(
                "username {username} cannot be used: a lower-case letter first, 2 to 32 "
                "lower-case letters, digits or . _ -"
            ).format(username=repr(username))
        )
    if not name.strip():
        raise WorkflowError(_("the officer's name is required"))
    if _row(tx.conn, username) is not None:
        raise WorkflowError(
            _(
                "user {username} exists already (users are never deleted, a username is never "
                "reused)"
            ).format(username=username)
        )
    _check_password(tx.conn, username, password)
    officer_id = tx.insert(
        officers,
        username=username,
        name=name.strip(),
        password_hash=HASHER.hash(password),
        must_change_password=must_change,
        password_set_at=at,
        disabled=False,
        created_by=by,
        created_at=at,
    )
    for role in roles:
        tx.insert(role_events, officer_id=officer_id, role=role, kind="granted", by=by, at=at)
    return officer_id


def first_administrator(
    ledger: Ledger, username: str, name: str, password: str, *, now: dt.datetime | None = None
) -> Officer:
    """The office's first account, an administrator (``subsidies init``); refused once the
    ledger has any account."""
    at = now or utc_now()
    with ledger.transaction() as tx:
        tx.serialise("subsidies:officers")
        if tx.conn.scalar(select(func.count()).select_from(officers)):
            raise WorkflowError(
                _("the ledger has users already: an administrator adds users"),
                command="subsidies user add",
            )
        _insert_officer(
            tx, username, name, password, ["admin"], by=username, must_change=False, at=at
        )
        audit(tx, username, "officer.add", username, "首位管理员 (init)", at=at)
        return _officer(tx.conn, _row(tx.conn, username))


def add_officer(
    ledger: Ledger,
    username: str,
    name: str,
    password: str,
    roles,
    *,
    by: Officer,
    now: dt.datetime | None = None,
) -> Officer:
    """An administrator makes an account; its password must be changed at first sign-in."""
    require(by, "officer.manage", ledger=ledger, subject=f"user add {username}")
    roles = _roles_known(roles)
    at = now or utc_now()
    with ledger.transaction() as tx:
        tx.serialise("subsidies:officers")
        _insert_officer(
            tx, username, name, password, roles, by=by.username, must_change=True, at=at
        )
        audit(tx, by, "officer.add", username, f"{name.strip()}；角色：{role_names(roles)}", at=at)
        return _officer(tx.conn, _row(tx.conn, username))


def _admins_left(conn: Connection, without: str, losing_admin: bool) -> None:
    """Refuse a change that would leave the office no enabled administrator."""
    if not losing_admin:
        return
    rows = conn.execute(
        select(officers.c.id, officers.c.username).where(
            officers.c.disabled.is_(False), officers.c.username != without
        )
    ).all()
    if not any("admin" in _roles(conn, officer_id) for officer_id, _ in rows):
        raise WorkflowError(
            _(
                "{username} is the only administrator: grant the administrator role to another "
                "user first"
            ).format(username=without)
        )


def _change_roles(
    ledger: Ledger, username: str, roles, kind: str, *, by: Officer, now: dt.datetime | None
) -> Officer:
    verb = {"granted": "grant", "revoked": "revoke"}[kind]
    require(by, "officer.manage", ledger=ledger, subject=f"user roles {username}")
    roles = _roles_known(roles)
    at = now or utc_now()
    with ledger.transaction() as tx:
        tx.serialise("subsidies:officers")
        row = _account(tx.conn, username)
        held = _roles(tx.conn, row.id)
        changing = [r for r in roles if (r in held) != (kind == "granted")]
        _admins_left(tx.conn, username, kind == "revoked" and "admin" in changing)
        for role in changing:
            tx.insert(role_events, officer_id=row.id, role=role, kind=kind, by=by.username, at=at)
        if changing:
            audit(tx, by, f"officer.{verb}", username, role_names(changing), at=at)
        return _officer(tx.conn, row)


def grant(
    ledger: Ledger, username: str, roles, *, by: Officer, now: dt.datetime | None = None
) -> Officer:
    """Grant ``roles`` (codes of :data:`ROLES`); roles held already are left as they are."""
    return _change_roles(ledger, username, roles, "granted", by=by, now=now)


def revoke(
    ledger: Ledger, username: str, roles, *, by: Officer, now: dt.datetime | None = None
) -> Officer:
    """Revoke ``roles``; the last enabled administrator keeps theirs."""
    return _change_roles(ledger, username, roles, "revoked", by=by, now=now)


def disable(ledger: Ledger, username: str, *, by: Officer, now: dt.datetime | None = None) -> None:
    """Disable an account and end its sessions; its history stays (nothing is deleted)."""
    require(by, "officer.manage", ledger=ledger, subject=f"user disable {username}")
    at = now or utc_now()
    with ledger.transaction() as tx:
        tx.serialise("subsidies:officers")
        row = _account(tx.conn, username)
        if row.disabled:
            raise WorkflowError(_("user {username} is disabled").format(username=username))
        _admins_left(tx.conn, username, "admin" in _roles(tx.conn, row.id))
        tx.conn.execute(update(officers).where(officers.c.id == row.id).values(disabled=True))
        _revoke_sessions(tx, row.id, at)
        audit(tx, by, "officer.disable", username, "", at=at)


def set_password(
    ledger: Ledger,
    username: str,
    new: str,
    *,
    by: Officer,
    old: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """An officer changes their own password (giving the ``old`` one), or an administrator
    sets one (no ``old``), which that officer must change at their next sign-in. Either way the
    account's failed attempts stop counting (an administrator's reset unlocks it)."""
    own = old is not None
    if not own:
        require(by, "officer.manage", ledger=ledger, subject=f"user passwd {username}")
    elif by.username != username:
        raise WorkflowError(
            _("only your own password is changed so: an administrator resets another's"),
            command="subsidies user passwd",
        )
    at = now or utc_now()
    with ledger.transaction() as tx:
        row = _account(tx.conn, username)
        if own and not _verify(row.password_hash, old):
            raise WorkflowError(_("the old password is wrong; the password was not changed"))
        if own and old == new:
            raise WorkflowError(_("the new password is the old one"))
        _check_password(tx.conn, username, new)
        tx.conn.execute(
            update(officers)
            .where(officers.c.id == row.id)
            .values(
                password_hash=HASHER.hash(new), must_change_password=not own, password_set_at=at
            )
        )
        audit(tx, by, "officer.passwd", username, "本人修改" if own else "管理员重设", at=at)


# -- sign-in and sessions ----------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _locked_until(conn: Connection, row, at: dt.datetime) -> dt.datetime | None:
    """When the account unlocks, if ``lockout_failures`` wrong passwords fall within the last
    ``lockout_minutes`` since its last sign-in or password change; else None."""
    period = dt.timedelta(minutes=_int(conn, "lockout_minutes"))
    last_ok = conn.scalar(
        select(func.max(sign_in_attempts.c.at)).where(
            sign_in_attempts.c.officer_id == row.id, sign_in_attempts.c.outcome == "ok"
        )
    )
    since = max(d for d in (at - period, last_ok, row.password_set_at) if d is not None)
    failures = conn.scalars(
        select(sign_in_attempts.c.at)
        .where(
            sign_in_attempts.c.officer_id == row.id,
            sign_in_attempts.c.outcome == "password",
            sign_in_attempts.c.at > since,
        )
        .order_by(sign_in_attempts.c.at.desc())
    ).all()
    limit = _int(conn, "lockout_failures")
    return failures[limit - 1] + period if len(failures) >= limit else None


def _attempt(ledger: Ledger, username: str, password: str, via: str, source: str, at: dt.datetime):
    """Check one attempt and record it (with its audit line); returns (outcome, row, why)."""
    with ledger.transaction() as tx:
        row = _row(tx.conn, username)
        why = "用户名或密码不正确"
        if row is None:
            _spend_a_verification(password)
            outcome = "unknown"
        elif (until := _locked_until(tx.conn, row, at)) is not None:
            outcome = "locked"
            why = (
                f"用户 {username} 连续输错密码，已锁定至 {until:%Y-%m-%d %H:%M} (UTC)；"
                "到时再试，或请管理员重设密码"
            )
        elif not _verify(row.password_hash, password):
            outcome = "password"
        elif row.disabled:
            outcome, why = "disabled", f"用户 {username} 已停用：请与管理员联系"
        else:
            outcome, why = "ok", ""
        name = username if row is not None else UNKNOWN
        tx.insert(
            sign_in_attempts,
            username=name,
            officer_id=row.id if row is not None else None,
            outcome=outcome,
            via=via,
            source=source,
            at=at,
        )
        action = "signin" if outcome == "ok" else "signin.failed"
        audit(tx, name, action, name, f"{outcome} from {source}", via=via, at=at)
        if outcome == "ok" and HASHER.check_needs_rehash(row.password_hash):
            tx.conn.execute(
                update(officers)
                .where(officers.c.id == row.id)
                .values(password_hash=HASHER.hash(password))
            )
        return outcome, row, why


def sign_in(
    ledger: Ledger,
    username: str,
    password: str,
    *,
    via: str,
    source: str,
    now: dt.datetime | None = None,
) -> SignedIn:
    """Sign ``username`` in from ``via`` (``cli`` or ``console``) at ``source`` (where: a host,
    an address); every attempt is recorded. Refused (:class:`SignInRefused`) for a wrong
    username or password (one message for both), a locked or a disabled account."""
    if via not in VIA:
        raise ValueError(f"via is one of {VIA}, not {via!r}")
    at = now or utc_now()
    outcome, row, why = _attempt(ledger, username.strip(), password, via, source[:200], at)
    if outcome != "ok":
        raise SignInRefused(why)
    token = secrets.token_urlsafe(32)
    with ledger.transaction() as tx:
        expires = at + dt.timedelta(hours=_int(tx.conn, "session_hours"))
        tx.insert(
            sessions,
            officer_id=row.id,
            token_sha256=_digest(token),
            via=via,
            source=source[:200],
            created_at=at,
            expires_at=expires,
            revoked_at=None,
        )
        officer = _officer(tx.conn, _row(tx.conn, row.username), via)
    return SignedIn(token, officer, expires)


def officer_for_token(ledger: Ledger, token: str, *, now: dt.datetime | None = None) -> Officer:
    """The officer a session token signs in, with their roles as they are now; reads only.

    :class:`NotSignedIn` when the token is unknown, signed out or expired, or the account
    is disabled."""
    at = now or utc_now()
    with ledger.reading() as conn:
        found = conn.execute(
            select(sessions, officers.c.username, officers.c.disabled)
            .join(officers, officers.c.id == sessions.c.officer_id)
            .where(sessions.c.token_sha256 == _digest(token.strip()))
        ).first()
        if found is None or found.revoked_at is not None:
            raise NotSignedIn(_("not signed in: sign in first"), command="subsidies login")
        if found.expires_at <= at:
            raise NotSignedIn(
                _("the sign-in expired at {at} (UTC): sign in again").format(
                    at=f"{found.expires_at:%Y-%m-%d %H:%M}"
                ),
                command="subsidies login",
            )
        if found.disabled:
            raise NotSignedIn(
                _("user {username} is disabled: ask an administrator").format(
                    username=found.username
                )
            )
        return _officer(conn, _row(conn, found.username), found.via)


def _revoke_sessions(tx: Transaction, officer_id: int, at: dt.datetime) -> None:
    tx.conn.execute(
        update(sessions)
        .where(sessions.c.officer_id == officer_id, sessions.c.revoked_at.is_(None))
        .values(revoked_at=at)
    )


def sign_out(ledger: Ledger, token: str, *, now: dt.datetime | None = None) -> Officer | None:
    """End the token's session (audited); returns whose it was, or None if none was open."""
    at = now or utc_now()
    with ledger.transaction() as tx:
        found = tx.conn.execute(
            select(sessions.c.id, sessions.c.via, officers.c.username)
            .join(officers, officers.c.id == sessions.c.officer_id)
            .where(
                sessions.c.token_sha256 == _digest(token.strip()), sessions.c.revoked_at.is_(None)
            )
        ).first()
        if found is None:
            return None
        tx.conn.execute(update(sessions).where(sessions.c.id == found.id).values(revoked_at=at))
        audit(tx, found.username, "signout", found.username, "", via=found.via, at=at)
        return _officer(tx.conn, _row(tx.conn, found.username), found.via)


# -- maker–checker, checker–cashier --------------------------------------------------------


def second_officer(maker: str | Officer, checker: str | Officer, deed: str) -> None:
    """Refuse ``checker``'s approval of what ``maker`` did (``deed``, e.g. "submitted batch
    B…") when they are the same officer."""
    maker, checker = str(maker).strip(), str(checker).strip()
    if checker == maker:
        raise WorkflowError(
            _(
                "{checker} {deed} and cannot approve it: approval needs a second officer "
                "(maker–checker)"
            ).format(checker=checker, deed=deed)
        )


def not_the_approver(
    conn: Connection, approver: str | None, payer: str | Officer, code: str
) -> None:
    """Refuse a payment of batch ``code`` by the officer who approved it (审核与出纳不相容),
    unless the office's setting ``cashier_may_be_checker`` allows it; the database holds
    the same rule (trigger ``payments_not_by_approver``)."""
    payer = str(payer)
    if approver != payer or _setting(conn, "cashier_may_be_checker") == "true":
        return
    raise WorkflowError(
        _(
            "{payer} approved batch {code} and cannot pay it (the checker and the cashier are "
            "separate duties): another cashier pays it; in a one-person office an administrator "
            "may turn on the setting cashier_may_be_checker"
        ).format(payer=payer, code=code)
    )
