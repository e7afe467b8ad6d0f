"""Officers read Chinese: a refusal of every workflow module, raised under the default
locale (no ``SUBSIDIES_LANG``, no ``LANG``), reads in Chinese: once the codes and ids it
names are taken out (batch codes, references, usernames, step codes, paths), no word of
ASCII letters is left. The CLI adds the command that helps; the console shows the reason
alone. English stays available with ``SUBSIDIES_LANG=en``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from workflow_helpers import (
    AUDITOR,
    CHECKER,
    GOJI,
    GOJI_AS_OF,
    MAKER,
    PAYER,
    RECONCILER,
    approved_batch,
    claim,
    credit_code,
    new_person,
)

from subsidies import brands as lifecycle
from subsidies.workflow import (
    bankfiles,
    books,
    brand_recovery,
    brands_store,
    explain,
    jobs,
    payfiles,
    payment_requests,
    reconcile,
    registers,
    report_files,
)
from subsidies.workflow import batches as wf
from subsidies.workflow import officers as off
from subsidies.workflow import payments as pay
from subsidies.workflow.base import WorkflowError
from subsidies.workflow.permissions import require
from subsidies.workflow.statements import StatementError, layouts, load_layout
from subsidies.workflow.tables import SEALED

ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture(autouse=True)
def default_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """No language asked for anywhere: the officers' default."""
    for variable in ("SUBSIDIES_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)


def english_left(message: str, ids: tuple[str, ...]) -> list[str]:
    """The words of ASCII letters in ``message`` once the ``ids`` it names are removed."""
    for named in sorted(ids, key=len, reverse=True):
        message = message.replace(named, " ")
    return ENGLISH_WORD.findall(message)


def refusal(call: Callable[[], object], error: type[Exception] = WorkflowError) -> Exception:
    with pytest.raises(error) as raised:
        call()
    return raised.value


def _goji_batch(led, tmp: Path) -> wf.Batch:
    return approved_batch(
        led, [claim(GOJI, "ZH-1", worker_id=new_person())], GOJI, tmp, as_of=GOJI_AS_OF
    )


def _tamper(led) -> None:
    """Edit an audit line behind the program's back (its triggers dropped first)."""
    with led.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = conn.scalars(
                text(
                    "SELECT tgname FROM pg_trigger WHERE tgrelid = CAST('audit_log' AS regclass)"
                    " AND NOT tgisinternal"
                )
            ).all()
            for name in names:
                conn.execute(text(f"DROP TRIGGER {name} ON audit_log"))
        else:
            names = conn.scalars(
                text(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"
                )
            ).all()
            for name in names:
                conn.execute(text(f"DROP TRIGGER {name}"))
        conn.execute(
            text("UPDATE audit_log SET detail = '改过' WHERE id = (SELECT MIN(id) FROM audit_log)")
        )


def test_a_refusal_of_every_workflow_module_reads_in_chinese(funded, tmp_path) -> None:
    led = funded
    batch = _goji_batch(led, tmp_path)
    code = batch.code
    (paid,) = pay.disburse(led, code, by=PAYER, on=GOJI_AS_OF + dt.timedelta(days=3))
    ref = paid.reference
    payfiles.send(led, code, tmp_path / "银行.csv", payfiles.Options(), by=PAYER, post=False)
    dalian = lifecycle.Brand(
        "大连某劳务公司", credit_code(7), "海鲜工匠", "city", dt.date(2023, 1, 5)
    )
    reg = brands_store.add(led, dalian, by=MAKER)
    txt = tmp_path / "付款.txt"
    cases: list[tuple[str, Exception, tuple[str, ...]]] = [
        ("bankfiles", refusal(lambda: bankfiles.load_payment_layout("无此格式")),
         tuple(bankfiles.payment_layouts()) + ("YAML",)),
        ("batches", refusal(lambda: wf.get(led, "B-无此批次")), ("B-",)),
        ("batches", refusal(lambda: wf.approve(led, code, by=CHECKER)), (code, CHECKER.username)),
        ("batches", refusal(lambda: wf.reject(led, code, by=CHECKER, reason=" ")), ()),
        ("brand_recovery", refusal(lambda: brand_recovery.removed_for_fraud_on(reg)), ()),
        ("brands_store", refusal(lambda: brands_store.rename(led, dalian.credit_code, "新名",
                                                              reason="", by=MAKER)), ()),
        ("brands_store", refusal(lambda: brands_store.find(led, "无此品牌")), ()),
        ("explain", refusal(lambda: explain.explain(led, "无此编号", viewer=AUDITOR)),
         ("claim_id",)),
        ("jobs", refusal(lambda: jobs.get(led, 999_999)), ()),
        ("officers", refusal(lambda: off.find(led, "nobody")), ("nobody",)),
        ("officers", refusal(lambda: off.set_password(led, "li.checker", "新的口令很长很长很长",
                                                      by=MAKER, old="x")), ()),
        ("payfiles", refusal(lambda: payfiles.check(txt, payfiles.Options())),
         (str(txt), ".csv", ".xlsx")),
        ("payfiles", refusal(lambda: payfiles.send(led, code, tmp_path / "再次.csv",
                                                   payfiles.Options(), by=PAYER, post=False)),
         (code, str(tmp_path / "银行.csv"), PAYER.username)),
        ("payment_requests", refusal(lambda: payment_requests.request_return(
            led, ref, reason="", by=PAYER)), ()),
        ("payments", refusal(lambda: pay.settle(led, "SL无此编号", by=PAYER)), ("'SL",)),
        ("payments", refusal(lambda: pay.reissue(led, ref, account=paid.account, by=PAYER)),
         (ref,)),
        ("permissions", refusal(lambda: require(MAKER, "batch.approve")),
         (MAKER.username, "batch.approve")),
        ("reconcile", refusal(lambda: reconcile.resolve(led, 999_999, ref, reason="银行确认",
                                                         by=RECONCILER)), ()),
        ("registers", refusal(lambda: registers.register(led, [])), ()),
        ("report_files", refusal(lambda: report_files.execution_file(
            led, tmp_path / "执行.pdf", fund="无此资金")), ()),
        ("statements", refusal(lambda: load_layout("无此格式"), StatementError),
         (*layouts(), "YAML")),
    ]  # fmt: skip
    _tamper(led)
    # the ledger's own finding (ledgers/seal_verify.py) is quoted as it comes: the workflow's
    # words around it are what this test reads
    (finding,) = led.verify(SEALED).problems[:1]
    cases.append(("books", refusal(lambda: books.require_verified(led)), (finding,)))
    for module, error, ids in cases:
        message = str(error)
        assert re.search(r"[\u4e00-\u9fff]", message), (module, message)
        assert english_left(message, ids) == [], (module, message)
    assert {module for module, _, _ in cases} >= {
        "bankfiles", "batches", "books", "brand_recovery", "brands_store", "explain", "jobs",
        "officers", "payfiles", "payment_requests", "payments", "permissions", "reconcile",
        "registers", "report_files", "statements",
    }  # fmt: skip


def test_the_cli_adds_the_command_the_console_leaves_out(funded) -> None:
    error = refusal(lambda: wf.get(funded, "B-无此批次"))
    assert str(error) == "没有批次 B-无此批次"
    assert error.for_cli() == "没有批次 B-无此批次（命令：subsidies batch list）"


def test_counts_and_money_in_a_refusal_are_written_the_house_way(funded, tmp_path) -> None:
    batch = _goji_batch(funded, tmp_path)
    (paid,) = pay.disburse(funded, batch.code, by=PAYER, on=GOJI_AS_OF + dt.timedelta(days=3))
    pay.raise_recovery(funded, GOJI, "ZH-1", reason="虚报", by=CHECKER)
    error = refusal(lambda: pay.repay(funded, GOJI, "ZH-1", 1_000_000, by=PAYER))
    assert (
        str(error)
        == f"退回金额 10,000.00 元 须在 0.01 元 与欠款 {paid.amount_fen / 100:,.2f} 元 之间"
    )


def test_english_stays_available(funded, monkeypatch) -> None:
    monkeypatch.setenv("SUBSIDIES_LANG", "en")
    error = refusal(lambda: wf.get(funded, "B-NONE"))
    assert str(error) == "no batch B-NONE"
    assert error.for_cli() == "no batch B-NONE (command: subsidies batch list)"


def test_a_brand_level_and_state_are_named_in_chinese(funded) -> None:
    dalian = lifecycle.Brand(
        "大连某劳务公司", credit_code(8), "渔家厨娘", "provincial", dt.date(2023, 1, 5)
    )
    reg = brands_store.add(funded, dalian, by=MAKER)
    event = lifecycle.BrandEvent.annual_report(dt.date(2023, 10, 20), for_year=2023)
    error = refusal(lambda: brands_store.record(funded, reg, event, by=MAKER))
    assert str(error).startswith("渔家厨娘 是省级品牌：营人社〔2023〕43号 第十五条–第二十条")
