"""Person data behind roles (issue #15): the full 身份证号 and bank account are shown to the
cashier (出纳, who writes the bank's files) and the auditor (审计); every other role sees them
masked, in ``explain``, ``payment list``, ``payment requests``, ``batch show --claims`` and
``audit``. On SQLite and PostgreSQL."""

from __future__ import annotations

import logging

import pytest
from click.testing import CliRunner
from workflow_helpers import (
    CHECKER,
    GOJI,
    GOJI_AS_OF,
    MAKER,
    PAYER,
    approved_batch,
    claim,
    new_person,
)

from subsidies.cli import main
from subsidies.domain.identity import mask_account, mask_id
from subsidies.workflow import payment_requests as req
from subsidies.workflow import payments as pay

FULL = {"zhao.cashier", "qian.auditor", "chief"}


@pytest.fixture
def paid(office, funded, tmp_path):
    """One goji claim, approved and paid, its payment with a reissue requested."""
    worker = new_person()
    row = claim(GOJI, "PD-1", worker_id=worker, worker_name="卓玛", worker_hukou="青海")
    batch = approved_batch(funded, [row], GOJI, tmp_path, as_of=GOJI_AS_OF)
    (p,) = pay.disburse(funded, batch.code, by=PAYER)
    req.request_return(funded, p.reference, reason="账户冻结", by=PAYER)
    return batch.code, p, worker


@pytest.mark.parametrize(
    "who", ["wang.maker", "li.checker", "zhao.cashier", "sun", "qian.auditor", "admin"]
)
def test_full_numbers_only_for_the_cashier_and_the_auditor(office, paid, who, as_officer):
    code, p, worker = paid
    url = office.ledger.engine.url.render_as_string(hide_password=False)
    env = as_officer(url, who)

    def shown(*args) -> str:
        result = CliRunner().invoke(main, [*args, "--db", url], env=env)
        return result.output if result.exit_code == 0 else ""

    outputs = {
        "explain": shown("explain", "PD-1"),
        "payment list": shown("payment", "list", code),
        "payment requests": shown("payment", "requests"),
        "audit": shown("audit"),
    }
    full = who in FULL
    for what, out in outputs.items():
        if not out:
            assert what == "audit" and who not in ("qian.auditor", "admin"), (what, who)
            continue
        if what != "audit":
            assert (p.account in out) is full, (what, who, out)
            assert (mask_account(p.account) in out) is not full, (what, who)
    assert (p.payee_id in outputs["explain"]) is full  # the broker's 身份证号
    assert (worker in outputs["explain"]) is full
    assert (mask_id(worker) in outputs["explain"]) is not full
    assert ("卓玛" in outputs["explain"]) is full and ("卓*" in outputs["explain"]) is not full


def test_a_known_password_never_appears_in_output_logs_or_the_database(
    office, funded, tmp_path, caplog
) -> None:
    from workflow_helpers import db_state

    caplog.set_level(logging.DEBUG)
    secret = "绝不外泄-Quartz-9917"
    (tmp_path / "pw").write_text(secret + "\n", encoding="utf-8")
    (tmp_path / "new").write_text(secret + "-2\n", encoding="utf-8")
    url = office.ledger.engine.url.render_as_string(hide_password=False)
    runner = CliRunner()
    admin = runner.invoke(
        main, ["login", "admin", "--db", url],
        input="测试口令-correct-horse-42\n",
    )  # fmt: skip
    assert admin.exit_code == 0, admin.output
    outputs = [admin.output]
    for args in (
        ["user", "add", "bai", "--name", "白", "--role", "clerk", "--password-file", tmp_path / "pw"],
        ["login", "bai", "--password-file", tmp_path / "pw", "--new-password-file", tmp_path / "new"],
        ["login", "bai", "--password-file", tmp_path / "pw"],  # the old one: refused, recorded
        ["audit"],
    ):  # fmt: skip
        outputs.append(runner.invoke(main, [*map(str, args), "--db", url]).output)
    assert "已登录：bai" in outputs[2] and "不正确" in outputs[3]
    dump = repr(db_state(funded))
    for text in (*outputs, dump, caplog.text):
        assert secret not in text
    assert CHECKER and MAKER  # the office's officers were made (tests/conftest.py)
