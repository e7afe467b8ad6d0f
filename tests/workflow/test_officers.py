"""Officers sign in (issue #15): accounts, roles, passwords, lockout and session expiry with a
controlled clock, and every sign-in, failure, role change and refusal in the audit log; on
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import text
from workflow_helpers import db_state

from subsidies.workflow import officers
from subsidies.workflow.officers import NotSignedIn, SignInRefused
from subsidies.workflow.permissions import NotPermitted, may, require

# a morning after the office was made (its passwords are set "now")
T0 = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).replace(
    tzinfo=None, hour=9, minute=0, second=0, microsecond=0
)
PASSWORD = "测试口令-correct-horse-42"  # tests/conftest.py TEST_PASSWORD


def minutes(n: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=n)


def audit_rows(ledger) -> list[tuple]:
    with ledger.engine.connect() as conn:
        return conn.execute(
            text('SELECT "by", action, subject, detail, via FROM audit_log ORDER BY id')
        ).all()


def attempts(ledger) -> list[tuple]:
    with ledger.engine.connect() as conn:
        return conn.execute(
            text("SELECT username, outcome, via, source FROM sign_in_attempts ORDER BY id")
        ).all()


def test_the_first_administrator_is_made_once(ledger) -> None:
    assert not officers.has_officers(ledger)
    admin = officers.first_administrator(ledger, "wu", "吴敏", PASSWORD)
    assert admin.roles == {"admin"} and not admin.must_change_password
    assert officers.has_officers(ledger)
    with pytest.raises(officers.WorkflowError, match="已有用户"):
        officers.first_administrator(ledger, "zhou", "周", PASSWORD)


def test_an_account_made_by_an_administrator_changes_its_password_first(office) -> None:
    made = officers.add_officer(
        office.ledger, "qian", "钱经办", "first-password-1", ["clerk"], by=office.admin
    )
    assert made.must_change_password and made.roles == {"clerk"}
    signed = officers.sign_in(
        office.ledger, "qian", "first-password-1", via="cli", source="host", now=T0
    )
    assert signed.officer.must_change_password and signed.officer.via == "cli"
    assert not may(signed.officer, "batch.submit")
    with pytest.raises(NotPermitted, match="须先修改密码"):
        require(signed.officer, "batch.submit")
    with pytest.raises(officers.WorkflowError, match="原密码不正确"):
        officers.set_password(office.ledger, "qian", "a-new-password-2", by=made, old="wrong")
    officers.set_password(
        office.ledger, "qian", "a-new-password-2", by=made, old="first-password-1"
    )
    after = officers.officer_for_token(office.ledger, signed.token, now=T0)
    assert not after.must_change_password and may(after, "batch.submit")


@pytest.mark.parametrize(
    ("password", "why"),
    [("short", "至少 12"), ("qian-is-my-password", "不能包含用户名"), ("x" * 1025, "1024")],
)
def test_a_weak_password_is_refused(office, password, why) -> None:
    with pytest.raises(officers.WorkflowError, match=why):
        officers.add_officer(office.ledger, "qian", "钱", password, ["clerk"], by=office.admin)
    assert "qian" not in {a.officer.username for a in officers.list_officers(office.ledger)}


def test_wrong_password_and_unknown_user_get_one_answer_and_are_recorded(office) -> None:
    led = office.ledger
    for username, password in (("wang.maker", "wrong-password-1"), ("nobody", PASSWORD)):
        with pytest.raises(SignInRefused, match="^用户名或密码不正确$"):
            officers.sign_in(led, username, password, via="console", source="10.0.0.7", now=T0)
    officers.sign_in(led, "wang.maker", PASSWORD, via="cli", source="zhang@pc", now=T0)
    assert attempts(led)[-3:] == [
        ("wang.maker", "password", "console", "10.0.0.7"),
        ("?", "unknown", "console", "10.0.0.7"),
        ("wang.maker", "ok", "cli", "zhang@pc"),
    ]
    assert audit_rows(led)[-3:] == [
        ("wang.maker", "signin.failed", "wang.maker", "password from 10.0.0.7", "console"),
        ("?", "signin.failed", "?", "unknown from 10.0.0.7", "console"),
        ("wang.maker", "signin", "wang.maker", "ok from zhang@pc", "cli"),
    ]


def test_lockout_after_repeated_failures_with_a_controlled_clock(office) -> None:
    led = office.ledger  # defaults: 5 failures within 15 minutes
    for n in range(5):
        with pytest.raises(SignInRefused, match="不正确"):
            officers.sign_in(
                led, "li.checker", "wrong-password-1", via="cli", source="h", now=minutes(n)
            )
    with pytest.raises(SignInRefused, match=f"已锁定至 {minutes(15):%Y-%m-%d %H:%M}"):
        officers.sign_in(led, "li.checker", PASSWORD, via="cli", source="h", now=minutes(6))
    with pytest.raises(SignInRefused, match="已锁定"):  # attempts while locked do not extend it
        officers.sign_in(led, "li.checker", PASSWORD, via="cli", source="h", now=minutes(14.9))
    assert officers.sign_in(led, "li.checker", PASSWORD, via="cli", source="h", now=minutes(15.1))
    assert [a[1] for a in attempts(led) if a[0] == "li.checker"][-8:] == [
        *["password"] * 5, "locked", "locked", "ok",
    ]  # fmt: skip


def test_a_success_or_an_administrators_reset_starts_the_count_again(office) -> None:
    led = office.ledger

    def fail(at: dt.datetime) -> None:
        with pytest.raises(SignInRefused):
            officers.sign_in(led, "zhao.cashier", "wrong-password-1", via="cli", source="h", now=at)

    for n in range(4):
        fail(minutes(n))
    officers.sign_in(led, "zhao.cashier", PASSWORD, via="cli", source="h", now=minutes(5))
    for n in range(6, 10):
        fail(minutes(n))
    officers.sign_in(led, "zhao.cashier", PASSWORD, via="cli", source="h", now=minutes(10))
    for n in range(11, 16):
        fail(minutes(n))
    with pytest.raises(SignInRefused, match="已锁定"):
        officers.sign_in(led, "zhao.cashier", PASSWORD, via="cli", source="h", now=minutes(17))
    officers.set_password(led, "zhao.cashier", "reset-by-admin-9", by=office.admin, now=minutes(18))
    signed = officers.sign_in(
        led, "zhao.cashier", "reset-by-admin-9", via="cli", source="h", now=minutes(19)
    )
    assert signed.officer.must_change_password


def test_the_lockout_follows_the_office_settings(office) -> None:
    led = office.ledger
    officers.set_setting(led, "lockout_failures", "2", by=office.admin)
    officers.set_setting(led, "lockout_minutes", "60", by=office.admin)
    for n in range(2):
        with pytest.raises(SignInRefused, match="不正确"):
            officers.sign_in(led, "sun", "wrong-password-1", via="cli", source="h", now=minutes(n))
    with pytest.raises(SignInRefused, match=f"已锁定至 {minutes(60):%Y-%m-%d %H:%M}"):
        officers.sign_in(led, "sun", PASSWORD, via="cli", source="h", now=minutes(59))
    assert officers.sign_in(led, "sun", PASSWORD, via="cli", source="h", now=minutes(61))


def test_a_session_expires_and_ends_at_sign_out(office) -> None:
    led = office.ledger
    signed = officers.sign_in(led, "sun", PASSWORD, via="console", source="h", now=T0)
    assert signed.expires_at == T0 + dt.timedelta(hours=8)
    seen = officers.officer_for_token(led, signed.token, now=minutes(8 * 60 - 1))
    assert (seen.username, seen.roles, seen.via) == ("sun", {"reconciler"}, "console")
    with pytest.raises(NotSignedIn, match="过期"):
        officers.officer_for_token(led, signed.token, now=minutes(8 * 60))
    other = officers.sign_in(led, "sun", PASSWORD, via="cli", source="h", now=T0)
    assert officers.sign_out(led, other.token, now=minutes(1)).username == "sun"
    with pytest.raises(NotSignedIn, match="未登录"):
        officers.officer_for_token(led, other.token, now=minutes(2))
    assert officers.sign_out(led, other.token) is None
    with pytest.raises(NotSignedIn, match="未登录"):
        officers.officer_for_token(led, "made-up-token", now=T0)


def test_the_session_lifetime_is_a_setting(office) -> None:
    officers.set_setting(office.ledger, "session_hours", "1", by=office.admin, now=T0)
    signed = officers.sign_in(office.ledger, "sun", PASSWORD, via="cli", source="h", now=T0)
    assert signed.expires_at == minutes(60)


def test_disabling_ends_sessions_and_keeps_the_account(office) -> None:
    led = office.ledger
    signed = officers.sign_in(led, "wang.maker", PASSWORD, via="cli", source="h", now=T0)
    officers.disable(led, "wang.maker", by=office.admin, now=minutes(1))
    with pytest.raises(NotSignedIn):
        officers.officer_for_token(led, signed.token, now=minutes(2))
    with pytest.raises(SignInRefused, match="已停用"):
        officers.sign_in(led, "wang.maker", PASSWORD, via="cli", source="h", now=minutes(3))
    listed = {a.officer.username: a.disabled for a in officers.list_officers(led)}
    assert listed["wang.maker"] is True
    with pytest.raises(officers.WorkflowError, match="已存在"):
        officers.add_officer(led, "wang.maker", "另一个张", PASSWORD, ["clerk"], by=office.admin)
    with led.engine.connect() as conn, pytest.raises(Exception, match="never deleted"):
        conn.execute(text("DELETE FROM officers WHERE username = 'wang.maker'"))


def test_roles_are_granted_and_revoked_as_events_and_an_office_keeps_an_administrator(
    office,
) -> None:
    led = office.ledger
    assert officers.grant(led, "wang.maker", ["checker", "clerk"], by=office.admin).roles == {
        "clerk", "checker",
    }  # fmt: skip
    assert officers.revoke(led, "wang.maker", ["clerk"], by=office.admin).roles == {"checker"}
    with pytest.raises(officers.WorkflowError, match="没有角色 boss"):
        officers.grant(led, "wang.maker", ["boss"], by=office.admin)
    officers.revoke(led, "chief", ["admin"], by=office.admin)  # admin is now the only one
    with pytest.raises(officers.WorkflowError, match="唯一的管理员"):
        officers.revoke(led, "admin", ["admin"], by=office.admin)
    with pytest.raises(officers.WorkflowError, match="唯一的管理员"):
        officers.disable(led, "admin", by=office.admin)
    actions = [(a[1], a[2], a[3]) for a in audit_rows(led)]
    assert ("officer.grant", "wang.maker", "审核") in actions
    assert ("officer.revoke", "wang.maker", "经办") in actions
    with led.engine.connect() as conn, pytest.raises(Exception, match="append-only"):
        conn.execute(text("DELETE FROM role_events"))


def test_only_an_administrator_manages_officers_and_a_refusal_is_audited(office) -> None:
    led = office.ledger
    before = db_state(led)
    with pytest.raises(NotPermitted, match="需要「管理员」角色，li.checker 的角色是「审核」"):
        officers.grant(led, "li.checker", ["cashier"], by=office.checker)
    after = db_state(led)
    assert {t for t in after if after[t] != before[t]} == {"audit_log", "seals"}
    moved = set(after["seals"]) - set(before["seals"])  # the audit log's chain head only
    assert [head[0] for head in moved] == ["audit_log"]
    (line,) = set(after["audit_log"]) - set(before["audit_log"])
    assert line[2:5] == ("li.checker", "refused", "officer.manage")
    with pytest.raises(TypeError, match="signed-in Officer"):
        officers.grant(led, "li.checker", ["cashier"], by="admin")


def test_settings_are_a_history_in_the_audit_log(office) -> None:
    led = office.ledger
    assert officers.settings(led)["cashier_may_be_checker"] == "false"
    officers.set_setting(led, "cashier_may_be_checker", "TRUE", by=office.admin)
    assert officers.settings(led)["cashier_may_be_checker"] == "true"
    assert ("setting", "cashier_may_be_checker", "false -> true") in [
        a[1:4] for a in audit_rows(led)
    ]
    for name, value, why in (("nothing", "1", "没有设置项"), ("session_hours", "0", "正整数"),
                             ("cashier_may_be_checker", "maybe", "true 或 false")):  # fmt: skip
        with pytest.raises(officers.WorkflowError, match=why):
            officers.set_setting(led, name, value, by=office.admin)


def test_no_password_or_token_is_kept_or_logged_in_clear(office, caplog) -> None:
    led = office.ledger
    caplog.set_level(logging.DEBUG)
    secret = "完全保密的口令-Zebra-7731"
    officers.add_officer(led, "qian", "钱", secret, ["clerk"], by=office.admin)
    signed = officers.sign_in(led, "qian", secret, via="cli", source="h")
    with pytest.raises(SignInRefused):
        officers.sign_in(led, "qian", secret + "x", via="cli", source="h")
    with pytest.raises(SignInRefused):
        officers.sign_in(led, secret, secret, via="cli", source="h")  # typed in the wrong box
    officers.set_password(led, "qian", secret + "-new", by=signed.officer, old=secret)
    dump = repr(db_state(led))
    for clear in (secret, signed.token):
        assert clear not in dump and clear not in caplog.text
    with led.engine.connect() as conn:
        stored = conn.execute(text("SELECT password_hash FROM officers WHERE username = 'qian'"))
        assert stored.scalar_one().startswith("$argon2id$")
