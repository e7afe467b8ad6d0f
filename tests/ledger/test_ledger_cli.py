"""The ledger commands through click's CliRunner, each with ``--db``."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner
from ledger_helpers import FUND, FUND_NAME, PROGRAM, drop_immutability_trigger, run_sql

from ledgers import Ledger, schemes
from subsidies.cli import auth
from subsidies.cli.language import use_for_click
from subsidies.cli.ledger import register


@pytest.fixture
def cli(db_url: str, as_officer):
    """Run a ``subsidies`` command line against the test database, signed in as ``by``
    (default chief) once ``init`` made the schema."""

    @click.group()
    def main() -> None:
        pass

    register(main)
    main.add_command(auth.init)
    runner = CliRunner()

    def run(*args: str, ok: bool = True, by=None, signed: bool = True):
        env = as_officer(db_url, by) if signed and args[0] != "init" else {}
        result = runner.invoke(main, [*args, "--db", db_url], env=env)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        assert (result.exit_code == 0) == ok, result.output
        return result

    return run


@pytest.fixture
def books(cli, db_url: str):
    cli("init")
    cli("fund", "add", FUND, FUND_NAME, "--year", "2024", "--region", "青海")
    cli(
        "fund",
        "appropriate",
        FUND,
        "¥10,000.00",
        "--doc",
        "青财社指〔2024〕12号",
        "--on",
        "2024-06-03",
        by="admin",
    )
    with Ledger.connect(db_url) as led:
        led.post(
            schemes.payout_accrued(
                FUND, PROGRAM, 300_000, key="c1", ref="claim-1", memo="枸杞经纪人 张三"
            )
        )
        led.post(
            schemes.disbursement(
                FUND, 300_000, program=PROGRAM, key="p1", ref="claim-1", memo="支付 张三"
            )
        )
    return cli


def test_subsidies_main_has_the_ledger_commands() -> None:
    from subsidies.cli import main

    assert {"init", "fund", "ledger"} <= set(main.commands)


def test_init_is_idempotent(cli) -> None:
    assert "账本结构已是最新" in cli("init").output
    assert "账本结构已是最新" in cli("init").output


def test_commands_before_init_say_so(cli) -> None:
    result = cli("fund", "list", ok=False, signed=False)
    assert result.exit_code == 1 and "没有账簿结构：请先运行 `subsidies init`" in result.output
    assert "Traceback" not in result.output


def test_fund_commands(books) -> None:
    listing = books("fund", "list").output
    assert FUND in listing and FUND_NAME in listing and "7,000.00" in listing
    replay = books(
        "fund", "appropriate", FUND, "10000", "--doc", "青财社指〔2024〕12号", "--on", "2024-06-03"
    )
    assert "分录 #1 " in replay.output  # same document, same amount: the original entry
    conflict = books(
        "fund", "appropriate", FUND, "10000.01", "--doc", "青财社指〔2024〕12号", ok=False
    )
    assert "已用于内容不同的凭证 1" in conflict.output
    assert (
        "two decimals" in books("fund", "appropriate", FUND, "1.234", "--doc", "x", ok=False).output
    )
    assert (
        "没有资金 NOPE" in books("fund", "appropriate", "NOPE", "1", "--doc", "x", ok=False).output
    )


def test_reports(books) -> None:
    balances = books("ledger", "balances").output
    assert (
        "1011 零余额账户用款额度" in balances and "7,000.00" in balances and "可用余额" in balances
    )
    tb = books("ledger", "trial-balance").output
    assert "试算平衡 balanced" in tb and "合计 财务会计" in tb and "16,000.00" in tb
    assert "0.00" in books("ledger", "trial-balance", "--as-of", "2024-01-01").output
    journal = books("ledger", "journal").output
    assert "#1 拨款" in journal and "2303 应付政府补贴款" in journal and "3 笔分录" in journal
    assert "0 笔分录" in books("ledger", "journal", "--to", "2024-01-01").output
    statement = books("ledger", "statement", "5001", "--fund", FUND).output
    assert "枸杞经纪人 张三" in statement and "期末余额" in statement and "3,000.00" in statement
    assert "会计科目表中没有科目 9999" in books("ledger", "statement", "9999", ok=False).output


def test_close_period_and_reverse(books) -> None:
    assert "已结账至 2024-06" in books("ledger", "close-period", "2024-06", by="admin").output
    assert (
        "2024-05 已经结账（已结账至 2024-06）" in books("ledger", "close-period", "2024-05").output
    )
    late = books(
        "ledger", "reverse", "1", "--reason", "wrong", "--on", "2024-06-30", ok=False, by="admin"
    )
    assert "2024-06 期间已结账" in late.output
    overdraft = books("ledger", "reverse", "1", "--reason", "withdrawn", ok=False, by="admin")
    assert "超支，已拒绝" in overdraft.output
    assert (
        "冲销 #3" in books("ledger", "reverse", "3", "--reason", "wrong payee", by="admin").output
    )
    assert (
        "已冲销过"
        in books(
            "ledger", "reverse", "3", "--reason", "x", "--key", "k2", ok=False, by="admin"
        ).output
    )
    assert "YYYY-MM" in books("ledger", "close-period", "2024-13", ok=False).output


def test_verify_names_the_tampered_entry(books, db_url: str) -> None:
    assert "校验通过：3 笔分录" in books("ledger", "verify").output
    with Ledger.connect(db_url) as led:
        drop_immutability_trigger(led.engine, "postings")
        run_sql(led.engine, "UPDATE postings SET debit = debit + 1 WHERE entry_id = 2 AND line = 1")
    result = books("ledger", "verify", ok=False)
    assert (
        "账本已被篡改：第一笔有误的分录 #2" in result.output
        and "entry 2: content does not match" in result.output
    )


def test_unreachable_database_is_one_line() -> None:
    @click.group()
    def main() -> None:
        pass

    register(main)
    use_for_click()  # click's own words in the officer's language, as `subsidies` does
    result = CliRunner().invoke(
        main, ["ledger", "balances", "--db", "postgresql://nobody@127.0.0.1:1/none"]
    )
    assert result.exit_code == 1 and "数据库错误：" in result.output.splitlines()[0]
    assert len(result.output.strip().splitlines()) == 1
