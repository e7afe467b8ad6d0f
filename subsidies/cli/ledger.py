"""Ledger commands: ``subsidies fund …``, ``subsidies ledger …`` (``init`` is in
:mod:`subsidies.cli.auth`).

Every command takes ``--db URL`` (or ``$SUBSIDIES_DB``; default ``./subsidies.db``; a bare
path is a SQLite file). Amounts are shown in yuan with two decimals, accounts with their
政府会计制度 code and name. A refusal is one line on stderr and a non-zero exit.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from ledgers import Kind, Ledger, anchor
from ledgers.chart import TRACK_NAMES
from subsidies.cli.options import (
    BY,
    DATE,
    clip,
    day_of,
    db_option,
    officer,
    open_ledger,
    print_table,
    workflow,
)
from subsidies.domain.i18n import _
from subsidies.domain.money import AmountError, format_yuan_grouped, parse_yuan, yuan
from subsidies.domain.text import count_text
from subsidies.workflow import books
from subsidies.workflow.base import WorkflowError
from subsidies.workflow.tables import SEALED


def _direction(net: int) -> str:
    return "借" if net > 0 else "贷" if net < 0 else "平"


# funds


@click.group()
def fund() -> None:
    """Funds (资金): sources of money that payouts draw on."""


@fund.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--year", type=int)
@click.option("--level", help="中央 / 省级 / 市级 / 县级")
@click.option("--region")
@db_option
def fund_add(
    code: str, name: str, year: int | None, level: str | None, region: str | None, db: str | None
) -> None:
    """Open fund CODE named NAME (管理员)."""
    with workflow(db) as led:
        books.add_fund(led, code, name, by=officer(), year=year, level=level, region=region)
    click.echo(_("fund {code} {name}").format(code=code, name=name))


@fund.command("list")
@db_option
def fund_list(db: str | None) -> None:
    """Funds and what each can still commit (available)."""
    with open_ledger(db) as led:
        rows = [(f, led.available(f.code)) for f in led.funds()]
    if not rows:
        click.echo(_("no funds yet: add one with `subsidies fund add CODE NAME`"))
        return
    table = [["基金 fund", "可用余额 available", "名称 name", ""]]
    for f, available in rows:
        extra = " ".join(str(x) for x in (f.year, f.level, f.region) if x)
        table.append([f.code, format_yuan_grouped(available), f.name, extra])
    print_table(table, right={1})


@fund.command("appropriate")
@click.argument("fund_code", metavar="FUND")
@click.argument("amount")
@click.option("--doc", required=True, help="Appropriation document (文号).")
@click.option("--on", "on", type=DATE, help="Entry date YYYY-MM-DD [default today].")
@BY
@click.option("--key", help="Idempotency key [default appropriation:FUND:DOC].")
@db_option
def fund_appropriate(
    fund_code: str,
    amount: str,
    doc: str,
    on: datetime | None,
    key: str | None,
    db: str | None,
) -> None:
    """拨款: credit AMOUNT yuan to FUND (管理员)."""
    try:
        fen = parse_yuan(amount)
    except AmountError as exc:
        raise click.ClickException(str(exc)) from None
    with workflow(db) as led:
        entry = books.appropriate(
            led, fund_code, fen, doc=doc, key=key, on=day_of(on), by=officer()
        )
        available = led.available(fund_code)
    click.echo(
        _("entry #{entry} 拨款 {fund} {amount} ({doc}); available {available}").format(
            entry=entry.id, fund=fund_code, amount=yuan(fen), doc=doc, available=yuan(available)
        )
    )


# ledger


@click.group()
def ledger() -> None:
    """The fund ledger: balances, reports, verification, anchor, period close, reversal."""


@ledger.command()
@click.option("--fund", "fund_code", help="Only this fund.")
@db_option
def balances(fund_code: str | None, db: str | None) -> None:
    """Running balances per fund and account."""
    with open_ledger(db) as led:
        rows = led.balances(fund_code)
        available = {code: led.available(code) for code in sorted({r.fund for r in rows})}
    if not rows:
        click.echo(_("no postings yet"))
        return
    table = [["基金 fund", "科目 account", "方向", "余额 balance"]]
    for code, fund_available in available.items():
        table += [
            [code, f"{r.account} {r.name_zh}", _direction(r.net), format_yuan_grouped(abs(r.net))]
            for r in rows
            if r.fund == code
        ]
        table.append(
            [code, "可用余额 available (1011 − 2303)", "", format_yuan_grouped(fund_available)]
        )
    print_table(table, right={3})


@ledger.command("trial-balance")
@click.option("--as-of", type=DATE, help="Balances as of this date YYYY-MM-DD.")
@click.option("--fund", "fund_code", help="Only this fund.")
@db_option
def trial_balance(as_of: datetime | None, fund_code: str | None, db: str | None) -> None:
    """试算平衡表: totals and balances per account; each track must balance."""
    with open_ledger(db) as led:
        tb = led.trial_balance(as_of=day_of(as_of), fund_code=fund_code)
    click.echo(
        f"试算平衡表 trial balance{f' as of {tb.as_of}' if tb.as_of else ''}{f'  fund {fund_code}' if fund_code else ''}"
    )
    table = [["科目 account", "借方发生额", "贷方发生额", "借方余额", "贷方余额"]]
    for track in ("financial", "budget"):
        for r in (r for r in tb.rows if r.track == track):
            label = ("  " if r.level else "") + f"{r.code} {r.name_zh}"
            table.append(
                [
                    label,
                    *map(
                        format_yuan_grouped,
                        (r.debit_total, r.credit_total, r.debit_balance, r.credit_balance),
                    ),
                ]
            )
        table.append([f"合计 {TRACK_NAMES[track]}", *map(format_yuan_grouped, tb.totals(track))])
    print_table(table, right={1, 2, 3, 4})
    click.echo("试算平衡 balanced" if tb.balanced else "不平衡 NOT BALANCED")
    if not tb.balanced:
        raise SystemExit(1)


@ledger.command()
@click.option("--from", "date_from", type=DATE, help="First date YYYY-MM-DD.")
@click.option("--to", "date_to", type=DATE, help="Last date YYYY-MM-DD.")
@click.option("--fund", "fund_code", help="Only entries of this fund.")
@db_option
def journal(
    date_from: datetime | None, date_to: datetime | None, fund_code: str | None, db: str | None
) -> None:
    """序时账: entries in posting order with their postings."""
    with open_ledger(db) as led:
        entries = led.journal(day_of(date_from), day_of(date_to), fund_code)
        names = {a.code: a.name_zh for a in led.accounts()}
    table = [["凭证 entry", "日期 date", "科目 account", "基金 fund", "借方", "贷方", "摘要 memo"]]
    for e in entries:
        reverses = f"(#{e.reverses_entry_id})" if e.reverses_entry_id else ""
        head = f"#{e.id} {e.kind.name_zh}{reverses}"
        memo = f"{e.memo} [{e.ref}] key={e.key} by={e.by}"
        for n, p in enumerate(e.postings):
            account = f"{p.account} {names.get(p.account, '')}"
            debit, credit = (
                (format_yuan_grouped(p.debit), "")
                if p.debit
                else ("", format_yuan_grouped(p.credit))
            )
            cells = [head, str(e.entry_date)] if n == 0 else ["", ""]
            table.append([*cells, account, p.fund_code, debit, credit, memo if n == 0 else ""])
    print_table(table, right={4, 5})
    click.echo(count_text(len(entries), "{n} entry", "{n} entries"))


@ledger.command()
@click.argument("account")
@click.option("--fund", "fund_code", help="Only this fund.")
@click.option("--from", "date_from", type=DATE, help="First date YYYY-MM-DD.")
@click.option("--to", "date_to", type=DATE, help="Last date YYYY-MM-DD.")
@db_option
def statement(
    account: str,
    fund_code: str | None,
    date_from: datetime | None,
    date_to: datetime | None,
    db: str | None,
) -> None:
    """明细账 of ACCOUNT (with its sub-accounts): each posting and the running balance."""
    with open_ledger(db) as led:
        st = led.statement(account, fund_code, day_of(date_from), day_of(date_to))
    click.echo(f"明细账 {st.account.label}{f'  fund {fund_code}' if fund_code else ''}")
    table = [["日期 date", "凭证", "摘要 memo", "基金 fund", "借方", "贷方", "方向", "余额"]]
    table.append(
        [
            "",
            "",
            "期初余额 opening",
            "",
            "",
            "",
            _direction(st.opening_net),
            format_yuan_grouped(abs(st.opening_net)),
        ]
    )
    for line in st.lines:
        table.append([
            str(line.entry_date), f"#{line.entry_id}", clip(line.memo or line.kind.name_zh, 30), line.fund,
            format_yuan_grouped(line.debit) if line.debit else "", format_yuan_grouped(line.credit) if line.credit else "",
            _direction(line.net), format_yuan_grouped(abs(line.net)),
        ])  # fmt: skip
    table.append(
        [
            "",
            "",
            "期末余额 closing",
            "",
            "",
            "",
            _direction(st.closing_net),
            format_yuan_grouped(abs(st.closing_net)),
        ]
    )
    print_table(table, right={4, 5, 7})


@ledger.command()
@click.option(
    "--anchor",
    "anchor_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="An anchor file (`ledger anchor -o`): history up to it must be unchanged.",
)
@db_option
def verify(anchor_file: Path | None, db: str | None) -> None:
    """Recompute the hash chain, every balance and every sealed table's chain; with
    --anchor, check them against an anchor kept outside the database."""
    with open_ledger(db) as led:
        result = led.verify(SEALED, anchor=anchor_file, key=anchor.key_from_environment())
    rows = sum(check.rows for check in result.tables)
    if result.ok:
        click.echo(
            _("OK: {entries}, hash chain and balances verified; {tables}, {rows} verified").format(
                entries=count_text(result.entries, "{n} entry", "{n} entries"),
                tables=count_text(len(result.tables), "{n} sealed table", "{n} sealed tables"),
                rows=count_text(rows, "{n} row", "{n} rows"),
            )
            + (_("; anchor {file} holds").format(file=anchor_file) if anchor_file else "")
        )
        return
    first = (
        _("first bad entry #{entry}").format(entry=result.first_bad_entry)
        if result.first_bad_entry
        else count_text(len(result.problems), "{n} problem", "{n} problems")
    )
    click.echo(_("TAMPERED: {first}").format(first=first), err=True)
    for problem in result.problems:
        click.echo(f"  {problem}", err=True)
    raise SystemExit(1)


def _show_anchor(taken: anchor.Anchor) -> None:
    """The anchor as the office copies it: each chain's count and head in full."""
    click.echo(
        _(
            "anchor, {at}: keep it outside the database; "
            "`subsidies ledger verify --anchor FILE` checks the ledger against it"
        ).format(at=taken.taken_at)
    )
    table = [[_("chain"), _("count"), _("head (SHA-256)")]]
    for name, head in sorted(taken.chains.items(), key=lambda c: c[0] != anchor.JOURNAL):
        table.append([name, f"{head.count:,}", head.hash])
    print_table(table, right={1})


def _verified(led: Ledger) -> None:
    """Refuse (changing nothing) unless the ledger verifies: an anchor of a tampered ledger
    would vouch for the tampering."""
    try:
        books.require_verified(led)
    except WorkflowError as error:
        raise click.ClickException(error.for_cli()) from None


def _write_anchor(led: Ledger, out: Path) -> anchor.Anchor:
    try:
        return led.write_anchor(out, anchor.key_from_environment())
    except OSError as error:
        raise click.ClickException(
            _("cannot write the anchor {file}: {why}").format(file=out, why=error.strerror)
        ) from None


@ledger.command("anchor")
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The anchor file (JSON) to keep outside the database.",
)
@db_option
def anchor_command(out: Path, db: str | None) -> None:
    """Export the chains' heads with their counts (the journal's and each sealed table's);
    signed with $SUBSIDIES_ANCHOR_KEY when it is set."""
    with open_ledger(db) as led:
        _verified(led)
        taken = _write_anchor(led, out)
    _show_anchor(taken)
    click.echo(f"-> {out}")


@ledger.command("close-period")
@click.argument("period", metavar="YYYY-MM")
@BY
@click.option(
    "--anchor",
    "anchor_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the anchor printed on the close to this file.",
)
@db_option
def close_period(period: str, anchor_file: Path | None, db: str | None) -> None:
    """结账: close PERIOD and every month before it; corrections go into an open period
    (管理员). The ledger must verify; the close prints its anchor (chain heads and counts)
    for the office to keep."""
    with workflow(db) as led:
        _verified(led)
        closed = books.close_period(led, period, by=officer())
        through = led.closed_through()
        taken = _write_anchor(led, anchor_file) if anchor_file else led.anchor()
    click.echo(
        _("closed through {through}").format(through=through)
        if closed
        else _("{period} was already closed (closed through {through})").format(
            period=period, through=through
        )
    )
    _show_anchor(taken)
    if anchor_file:
        click.echo(f"-> {anchor_file}")


@ledger.command()
@click.argument("entry_id", metavar="ENTRY", type=int)
@click.option("--reason", required=True, help="Why the entry is reversed (goes into the memo).")
@BY
@click.option("--on", "on", type=DATE, help="Date of the reversal YYYY-MM-DD [default today].")
@click.option("--key", help="Idempotency key [default reversal:ENTRY].")
@db_option
def reverse(
    entry_id: int, reason: str, on: datetime | None, key: str | None, db: str | None
) -> None:
    """冲销 ENTRY by a new entry that mirrors it (管理员)."""
    with workflow(db) as led:
        entry = books.reverse(led, entry_id, reason, key=key, by=officer(), on=day_of(on))
    click.echo(
        _("entry #{entry} {kind} of #{reversed} on {on}: {reason}").format(
            entry=entry.id,
            kind=Kind.REVERSAL.name_zh,
            reversed=entry_id,
            on=entry.entry_date,
            reason=reason,
        )
    )


def register(main: click.Group) -> None:
    """Add ``fund`` and ``ledger`` to the ``subsidies`` command."""
    for command in (fund, ledger):
        main.add_command(command)
