"""不相容岗位相互分离 held by the database (issue #15): rows written with plain SQL, past
every check in code, on SQLite and PostgreSQL. A batch is never approved by its submitter;
a payment is never made by the batch's approver unless the office's setting
``cashier_may_be_checker`` says so (the latest setting row in force)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from workflow_helpers import fund_ledger

NOW = dt.datetime(2024, 12, 2, 9, 0)


def run(ledger, sql: str, **params) -> None:
    with ledger.engine.begin() as conn:
        conn.execute(text(sql), params)


@pytest.fixture
def batch(ledger) -> int:
    """A batch submitted by zhang, written by hand; its id."""
    fund_ledger(ledger)
    run(
        ledger,
        "INSERT INTO batches (code, program_id, fund_code, source_file, source_sha256, as_of, "
        "notice_days, submitted_by, submitted_at) VALUES ('B-1', 'qinghai.goji_broker', "
        "'QH2024', 'x.csv', 'ab', '2024-12-02', 0, 'zhang', :now)",
        now=NOW,
    )
    with ledger.engine.connect() as conn:
        return conn.execute(text("SELECT id FROM batches WHERE code = 'B-1'")).scalar_one()


def approve(ledger, batch: int, by: str) -> None:
    run(
        ledger,
        'INSERT INTO batch_events (batch_id, kind, on_date, "by", at, detail) '
        "VALUES (:b, 'approved', '2024-12-03', :by, :now, '')",
        b=batch,
        by=by,
        now=NOW,
    )


def pay(ledger, batch: int, by: str, attempt: int = 1) -> None:
    run(
        ledger,
        "INSERT INTO payments (reference, batch_id, program_id, claim_id, attempt, fund_code, "
        "payee_name, payee_id, account, amount_fen, entry_id, created_by, created_at) "
        "VALUES (:ref, :b, 'qinghai.goji_broker', 'C-1', :attempt, 'QH2024', '李四', '', "
        "'6217', 100, 1, :by, :now)",
        ref=f"SL-{by}-{attempt}",
        b=batch,
        attempt=attempt,
        by=by,
        now=NOW,
    )


def setting(ledger, value: str) -> None:
    run(
        ledger,
        'INSERT INTO office_settings (name, value, "by", at) '
        "VALUES ('cashier_may_be_checker', :v, 'admin', :now)",
        v=value,
        now=NOW,
    )


def test_the_submitter_cannot_approve_by_plain_sql(ledger, batch) -> None:
    with pytest.raises(DBAPIError, match="submitted a batch cannot approve it"):
        approve(ledger, batch, "zhang")
    approve(ledger, batch, "li")  # a second officer may
    with ledger.engine.connect() as conn:
        assert conn.execute(text('SELECT "by" FROM batch_events')).scalars().all() == ["li"]


def test_a_rejection_by_the_submitter_is_not_an_approval(ledger, batch) -> None:
    run(
        ledger,
        'INSERT INTO batch_events (batch_id, kind, on_date, "by", at, detail) '
        "VALUES (:b, 'rejected', '2024-12-03', 'zhang', :now, 'withdrawn')",
        b=batch,
        now=NOW,
    )


def test_the_approver_cannot_pay_by_plain_sql_unless_the_office_allows_it(ledger, batch) -> None:
    approve(ledger, batch, "li")
    for attempt in (1, 2):  # the disbursement and a reissue alike
        with pytest.raises(DBAPIError, match="approved the batch cannot pay it"):
            pay(ledger, batch, "li", attempt)
    pay(ledger, batch, "wang")  # the cashier may
    setting(ledger, "true")  # a one-person office
    pay(ledger, batch, "li", 2)
    setting(ledger, "false")  # the latest setting is in force
    with pytest.raises(DBAPIError, match="approved the batch cannot pay it"):
        pay(ledger, batch, "li", 3)
    with ledger.engine.connect() as conn:
        made = conn.execute(text("SELECT created_by, attempt FROM payments ORDER BY id")).all()
    assert made == [("wang", 1), ("li", 2)]


def test_the_history_of_officers_cannot_be_rewritten(ledger, batch) -> None:
    from subsidies.workflow import officers

    admin = officers.first_administrator(ledger, "wu", "吴", "测试口令-correct-horse-42")
    signed = officers.sign_in(ledger, "wu", "测试口令-correct-horse-42", via="cli", source="h")
    for sql, refusal in (
        ("UPDATE officers SET username = 'zhou' WHERE id = :id", "keeps its id and username"),
        ("DELETE FROM officers WHERE id = :id", "never deleted"),
        ("DELETE FROM sessions WHERE officer_id = :id", "only ever revoked"),
        ("UPDATE sessions SET expires_at = '2099-01-01' WHERE officer_id = :id",
         "only ever revoked"),
        ("DELETE FROM sign_in_attempts", "append-only"),
        ("UPDATE role_events SET role = 'cashier'", "append-only"),
        ("DELETE FROM audit_log", "append-only"),
    ):  # fmt: skip
        with pytest.raises(DBAPIError, match=refusal):
            run(ledger, sql, id=admin.id)
    officers.sign_out(ledger, signed.token)
    with pytest.raises(DBAPIError, match="only ever revoked"):
        run(ledger, "UPDATE sessions SET revoked_at = NULL WHERE officer_id = :id", id=admin.id)


# -- the same rules through the workflow and the CLI ----------------------------------------


@pytest.fixture
def approved(office, funded, tmp_path):
    """A goji batch submitted by chief (every role) and approved by li.checker; the office."""
    from workflow_helpers import GOJI, GOJI_AS_OF, claim, new_person, submit_rows

    from subsidies.workflow import batches as wf

    chief = office.by_username["chief"]
    rows = [claim(GOJI, f"SD-{i}", worker_id=new_person()) for i in (1, 2)]
    batch, _ = submit_rows(funded, rows, GOJI, tmp=tmp_path, by=chief, as_of=GOJI_AS_OF)
    with pytest.raises(wf.WorkflowError, match="经办与审核分离"):
        wf.approve(funded, batch.code, by=chief, on=GOJI_AS_OF)  # whatever roles chief holds
    both = office.add("qian.both", "钱兼任", ["checker", "cashier"])
    wf.approve(funded, batch.code, by=both, on=GOJI_AS_OF)
    return office, batch.code, both


def test_the_approver_cannot_disburse_through_the_workflow(approved, tmp_path) -> None:
    from workflow_helpers import db_state

    from subsidies.workflow import officers, payfiles
    from subsidies.workflow import payments as pay

    office, code, both = approved
    led = office.ledger
    before = db_state(led)
    with pytest.raises(pay.WorkflowError, match="审核通过了批次 .*不能再支付它"):
        pay.disburse(led, code, by=both)
    assert db_state(led) == before
    officers.set_setting(led, "cashier_may_be_checker", "true", by=office.admin)
    sent = payfiles.send(led, code, tmp_path / "p.csv", payfiles.Options(), by=both)
    assert sent.new == 2  # a one-person office may, once the administrator says so


def test_maker_checker_and_checker_cashier_through_the_cli(approved, tmp_path, as_officer) -> None:
    from click.testing import CliRunner

    from subsidies.cli import main

    office, code, both = approved
    url = office.ledger.engine.url.render_as_string(hide_password=False)

    def cli(by: str, *args):
        return CliRunner().invoke(main, [*map(str, args), "--db", url], env=as_officer(url, by))

    refused = cli("qian.both", "disburse", code, "-o", tmp_path / "p.csv")
    assert refused.exit_code == 1 and "不能再支付它" in refused.stderr, refused.output
    assert cli("zhao.cashier", "disburse", code, "-o", tmp_path / "p.csv").exit_code == 0
