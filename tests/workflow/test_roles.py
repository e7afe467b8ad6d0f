"""The permission table (issue #15), run: every command that changes the ledger, as every
role. Allowed where ``PERMISSIONS`` says so; otherwise refused with one line naming the
role it needs in Chinese, and nothing changed but the audit log's one ``refused`` line.
The officer guide's copy of the table is the table.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_refusals_change_nothing import (  # the ledger in every state, built once
    FUND,
    _commands,
    changed_tables,
    snapshot,
    world,  # noqa: F401 (a fixture)
)
from workflow_helpers import GOJI, credit_code

from ledgers import Ledger
from subsidies.cli import main
from subsidies.domain.workdays import CALENDAR_ENV
from subsidies.workflow.permissions import PERMISSIONS, ROLES, TABLE

ROOT = Path(__file__).resolve().parents[2]


def test_the_officer_guide_prints_the_permission_table() -> None:
    guide = (ROOT / "docs" / "officer-guide.md").read_text(encoding="utf-8")
    rows = {
        m.group(1): {code for code, cell in zip(ROLES, m.group(2).split("|"), strict=True)
                     if cell.strip() == "✓"}
        for m in re.finditer(r"^\| `([a-z.]+)` \| [^|]+ \| `[^`]+` \|(.*)\|$", guide, re.M)
    }  # fmt: skip
    assert rows == {step: set(roles) for step, roles in PERMISSIONS.items()}
    for step, what, commands, _ in TABLE:
        assert f"| `{step}` | {what} | `{commands}` |" in guide, step


def test_every_step_has_a_role_and_the_auditor_changes_nothing() -> None:
    assert all(PERMISSIONS.values())
    assert {s for s, roles in PERMISSIONS.items() if "auditor" in roles} == {
        "ledger.read", "audit.read", "person.read",
    }  # fmt: skip
    assert not any("admin" in PERMISSIONS[s] for s in PERMISSIONS if s.startswith("payment."))


# -- every command that changes the ledger, as every role ----------------------------------

# command words: (its step, its arguments from the world and an output folder)
COMMANDS = {
    "batch submit": ("batch.submit", lambda w, o: [GOJI, w.claims, "--fund", FUND, "--as-of",
                                                    "2024-10-08"]),
    "batch notice": ("batch.notice", lambda w, o: [w.unnoticed, "-o", o / "n.pdf", "--on",
                                                    "2024-10-09"]),
    "batch approve": ("batch.approve", lambda w, o: [w.submitted, "--on", "2024-10-09"]),
    "batch reject": ("batch.reject", lambda w, o: [w.submitted, "--reason", "x", "--on",
                                                   "2024-10-09"]),
    "disburse": ("payment.disburse", lambda w, o: [w.no_account, "--accounts",
                                                   w.folder / "accounts.csv", "-o", o / "p.csv"]),
    "payment file": ("payment.file", lambda w, o: [w.paid, "--reprint", "-o", o / "c.csv"]),
    "payment settle": ("payment.settle", lambda w, o: [w.pending_payment]),
    "payment return": ("payment.return", lambda w, o: [w.pending_payment, "--reason", "x"]),
    "payment reissue": ("payment.reissue", lambda w, o: [w.returned, "--account", "6217"]),
    "payment approve": ("payment.approve", lambda w, o: [w.pending_payment]),
    "payment reject": ("payment.reject", lambda w, o: [w.pending_payment, "--reason", "x"]),
    "recover": ("recovery.raise", lambda w, o: [w.recovered_claim, "--reason", "x"]),
    "brand recover": ("recovery.raise", lambda w, o: ["大连海员", "--confirm"]),
    "repay": ("recovery.repay", lambda w, o: [w.recovered_claim, "1"]),
    "reconcile statement": ("reconcile.statement", lambda w, o: [w.folder / "statement.csv"]),
    "reconcile resolve": ("reconcile.resolve", lambda w, o: [str(w.exception_line),
                                                             w.pending_payment, "--reason", "x"]),
    "brand add": ("brand.register", lambda w, o: ["大连海员劳务有限公司", credit_code(41), "大连海员",
                                                  "--recognised-on", "2023-06-01"]),
    "brand event": ("brand.register", lambda w, o: ["大连海员", "annual_report", "--on",
                                                    "2024-10-09", "--for-year", "2023"]),
    "brand rename": ("brand.register", lambda w, o: [credit_code(41), "大连海员国际", "--reason",
                                                     "工商变更"]),
    "fund add": ("fund.manage", lambda w, o: ["NEW2024", "新资金"]),
    "fund appropriate": ("fund.manage", lambda w, o: [FUND, "100", "--doc", "追加", "--on",
                                                      "2024-10-09"]),
    "ledger close-period": ("ledger.close", lambda w, o: ["2024-06"]),
    "ledger reverse": ("ledger.close", lambda w, o: ["1", "--reason", "x", "--on", "2024-10-09"]),
    "user add": ("officer.manage", lambda w, o: ["newbie", "--name", "新人", "--role", "clerk",
                                                 "--password-file", w.folder / "new.pw"]),
    "user roles": ("officer.manage", lambda w, o: ["sun", "--grant", "auditor"]),
    "user disable": ("officer.manage", lambda w, o: ["sun"]),
    "user passwd": ("officer.manage", lambda w, o: ["sun", "--password-file", w.folder / "new.pw"]),
    "setting": ("officer.manage", lambda w, o: ["lockout_failures", "4"]),
}  # fmt: skip
READ_ONLY = {  # commands that change nothing in the ledger (reads, sessions, files only)
    "programs", "show", "template", "calc", "demo", "serve", "init", "login", "logout",
    "whoami", "passwd", "permissions", "user list", "fund list", "batch list", "batch show",
    "payment list", "payment files", "payment requests", "explain", "audit", "ledger balances",
    "ledger trial-balance", "ledger journal", "ledger statement", "ledger verify", "brand list",
    "ledger anchor",
    "brand show", "reconcile report", "reconcile layouts", "report plan", "report execution",
    "report register", "report notice",
}  # fmt: skip
BY_ROLE = {  # the test office's officer holding only that role (tests/conftest.py OFFICE)
    "clerk": "wang.maker", "checker": "li.checker", "cashier": "zhao.cashier",
    "reconciler": "sun", "auditor": "qian.auditor", "admin": "admin",
}  # fmt: skip


def may_take(role: str, step: str) -> bool:
    return role in PERMISSIONS[step]


def _first_refused(step: str) -> str:
    return next(role for role in ROLES if not may_take(role, step))


# Every command as every role on SQLite; on PostgreSQL one refusal a command (the check is
# the same code; what PostgreSQL adds is the audit line written beside a refused step).
ALL_ROLES = [
    pytest.param(words, role, id=f"{words} as {role}") for words in COMMANDS for role in ROLES
]
ONE_REFUSAL = [
    pytest.param(words, _first_refused(step), id=f"{words} as {_first_refused(step)}")
    for words, (step, _) in COMMANDS.items()
]


def test_the_matrix_covers_every_command_that_changes_the_ledger() -> None:
    every = set(_commands(main))
    assert every - READ_ONLY == set(COMMANDS), every - READ_ONLY ^ set(COMMANDS)
    changing = {step for step in PERMISSIONS if step.split(".")[1] != "read"}
    assert {step for step, _ in COMMANDS.values()} == changing


@pytest.fixture(scope="module")
def office_world(world, as_officer):  # noqa: F811 (the imported fixture)
    """The refusals test's world with each role held by one officer only."""
    from subsidies.workflow import officers

    with Ledger.connect(world.url) as led:
        officers.revoke(led, "wang.maker", ["checker"], by=officers.find(led, "admin"))
    return world


def _run(url: str, words: str, role: str, w, out: Path, as_officer):
    step, args = COMMANDS[words]
    argv = [*words.split(), *map(str, args(w, out)), "--db", url]
    return step, CliRunner().invoke(main, argv, env=as_officer(url, BY_ROLE[role]))


@pytest.mark.parametrize("world", ["sqlite"], indirect=True, scope="module")
@pytest.mark.parametrize(("words", "role"), ALL_ROLES)
def test_a_command_is_taken_by_the_roles_the_table_names(
    office_world, words, role, tmp_path, as_officer, monkeypatch
) -> None:
    """Refused (every table unchanged but the one audit line), or not refused for want of a
    role (on a copy of the ledger, where it may succeed)."""
    _taken_by_the_roles_the_table_names(
        office_world, words, role, tmp_path, as_officer, monkeypatch
    )


@pytest.mark.postgres
@pytest.mark.parametrize("world", ["postgresql"], indirect=True, scope="module")
@pytest.mark.parametrize(("words", "role"), ONE_REFUSAL)
def test_postgresql_refuses_a_command_for_want_of_a_role(
    office_world, words, role, tmp_path, as_officer, monkeypatch
) -> None:
    _taken_by_the_roles_the_table_names(
        office_world, words, role, tmp_path, as_officer, monkeypatch
    )


def _taken_by_the_roles_the_table_names(
    office_world, words, role, tmp_path, as_officer, monkeypatch
) -> None:
    monkeypatch.delenv(CALENDAR_ENV, raising=False)
    step = COMMANDS[words][0]
    allowed = role in PERMISSIONS[step]
    url = office_world.url
    if allowed:
        copy = tmp_path / "copy.db"
        shutil.copy(url.removeprefix("sqlite:///"), copy)
        url = f"sqlite:///{copy}"
    before = b"" if allowed else snapshot(url)
    _, result = _run(url, words, role, office_world, tmp_path, as_officer)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    if allowed:
        assert "无权" not in result.output, result.output
        assert result.exit_code == 0 or lines[-1].startswith("错误："), result.output
        return
    assert result.exit_code == 1 and len(lines) == 1, result.output
    needed = "、".join(ROLES[r] for r in ROLES if r in PERMISSIONS[step])
    assert "无权" in lines[0] and f"需要「{needed}」角色" in lines[0], lines[0]
    after = snapshot(url)
    assert changed_tables(before, after) == ["audit_log"]
    new = set(after.decode().splitlines()) - set(before.decode().splitlines())
    added = [x for x in new if x.startswith("audit_log: (")]  # a row (beside its count and seal)
    assert len(added) == 1, sorted(new)
    line = added[0]
    assert f"'{BY_ROLE[role]}', 'refused', '{step}'" in line, line
    assert not list(tmp_path.iterdir()), "a refused command wrote a file"
