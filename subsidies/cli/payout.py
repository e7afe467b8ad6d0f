"""``subsidies disburse | payment … | recover … | explain | audit``.

``payment return`` (by hand) and ``payment reissue`` to another account are requests that
``payment approve`` by a second officer puts into effect (maker–checker).
"""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from calculators.registry import calculator
from subsidies.cli.batch import BY, ON, workflow
from subsidies.cli.ledger import _table, db_option
from subsidies.domain.money import AmountError, format_yuan_grouped, parse_yuan
from subsidies.domain.text import counted
from subsidies.workflow import batches as wf
from subsidies.workflow import payment_requests as req
from subsidies.workflow import payments as pay
from subsidies.workflow.explain import audit_lines, explain


def _payment_file(ctx, param, path: Path | None) -> Path | None:
    """The bank's instruction file is .csv or .xlsx; checked before anything is paid."""
    if path is not None and path.suffix.lower() not in (".csv", ".xlsx"):
        raise click.ClickException(f"{path}: the payment file is written as .csv or .xlsx")
    return path


def _accounts_file(path: Path | None) -> dict[str, str]:
    """A CSV/XLSX of 申请编号 (claim_id) and 账号 (account) supplied at disbursement."""
    if path is None:
        return {}
    frame = (
        pd.read_excel(path, dtype=str)
        if path.suffix.lower() == ".xlsx"
        else pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    )
    columns = {c: c.strip().lower() for c in frame.columns}
    claim = next((c for c, n in columns.items() if n in ("claim_id", "申请编号")), None)
    account = next((c for c in frame.columns if pay.is_account_header(c)), None)
    if claim is None or account is None:
        raise click.ClickException(f"{path}: needs columns 申请编号 (claim_id) and 账号 (account)")
    return dict(zip(frame[claim].str.strip(), frame[account].str.strip(), strict=True))


@click.command()
@click.argument("code", metavar="BATCH")
@BY
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    callback=_payment_file,
    help="The bank's payment instruction file (.csv or .xlsx).",
)
@click.option(
    "--accounts",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Payee accounts by claim (申请编号, 账号) where the claims file had none.",
)
@click.option(
    "--again",
    is_flag=True,
    help="Also write the payments already pending from an earlier run (a lost bank file).",
)
@ON
@db_option
def disburse(code, by, output, accounts, again, on, db) -> None:
    """Pay an approved batch: post each payment as pending and write the bank file.

    The file holds the payments made by this run; a re-run pays only claims not yet paid,
    so a payment is never sent to the bank twice unless --again asks for it.
    """
    with workflow(db) as ledger:
        batch = wf.get(ledger, code)
        before = {p.reference for p in pay.batch_payments(ledger, code) if p.state == "pending"}
        pending = pay.disburse(ledger, code, by=by, on=on, accounts=_accounts_file(accounts))
    new = [p for p in pending if p.reference not in before]
    sent = pending if again else new
    if not sent:
        raise click.ClickException(
            f"batch {code} was already disbursed: {len(before)} payments are pending at the bank "
            "and nothing new is payable; --again rewrites their file (only if the bank never "
            "received it)"
        )
    total = pay.write_payment_file(code, calculator(batch.program_id).program.name_zh, sent, output)
    earlier = f" ({len(sent) - len(new)} from an earlier run)" if len(sent) > len(new) else ""
    click.echo(
        f"batch {code}: {counted(len(sent), 'pending payment')}{earlier}, "
        f"{format_yuan_grouped(total)} 元 -> {output}"
    )


@click.group()
def payment() -> None:
    """Payments sent to the bank: list, settle, return, reissue, and a second officer's
    approve or reject of a return by hand or a reissue to another account."""


@payment.command(name="list")
@click.argument("code", metavar="BATCH")
@db_option
def payment_list(code, db) -> None:
    with workflow(db) as ledger:
        found = pay.batch_payments(ledger, code)
    rows = [["reference", "claim", "attempt", "payee", "account", "元", "state"]]
    rows += [
        [
            p.reference,
            p.claim_id,
            str(p.attempt),
            p.payee_name,
            p.account,
            format_yuan_grouped(p.amount_fen),
            p.state,
        ]
        for p in found
    ]
    _table(rows, right={2, 5})


@payment.command(name="return")
@click.argument("reference")
@click.option("--reason", required=True, help="The bank's return reason.")
@BY
@ON
@db_option
def payment_return(reference, reason, by, on, db) -> None:
    """Record by hand that the bank returned a payment; a second officer approves it.

    A return read from a bank statement needs no approval (subsidies reconcile).
    """
    with workflow(db) as ledger:
        request = req.request_return(ledger, reference, reason=reason, by=by, on=on)
    _requested(request)


@payment.command(name="reissue")
@click.argument("reference")
@click.option("--account", required=True, help="The account to pay (corrected, or the same).")
@click.option("--reason", default="", help="Why the account changed (e.g. the payee's new card).")
@BY
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    callback=_payment_file,
    help="Write the new payment's instruction file for the bank (.csv or .xlsx).",
)
@ON
@db_option
def payment_reissue(reference, account, reason, by, output, on, db) -> None:
    """Pay a returned payment's claim again: to the same account at once, to another
    account when a second officer approves (subsidies payment approve)."""
    with workflow(db) as ledger:
        done = req.reissue(ledger, reference, account=account, reason=reason, by=by, on=on)
        if isinstance(done, req.PaymentRequest):
            _requested(done, output)
            return
        _reissued(ledger, reference, done, output)


@payment.command(name="approve")
@click.argument("reference")
@BY
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    callback=_payment_file,
    help="For a reissue: write the new payment's instruction file for the bank.",
)
@ON
@db_option
def payment_approve(reference, by, output, on, db) -> None:
    """Approve the open request on a payment (never the officer who requested it)."""
    with workflow(db) as ledger:
        request, p = req.approve_request(ledger, reference, by=by, on=on)
        if request.kind == "reissue":
            _reissued(ledger, reference, p, output, f" (approved by {by})")
            return
    click.echo(
        f"payment {reference} returned ({request.reason}), approved by {by}; "
        f"claim {p.claim_id} can be reissued"
    )


@payment.command(name="reject")
@click.argument("reference")
@click.option("--reason", required=True)
@BY
@ON
@db_option
def payment_reject(reference, reason, by, on, db) -> None:
    """Reject the open request on a payment (the requester may withdraw their own)."""
    with workflow(db) as ledger:
        request = req.reject_request(ledger, reference, by=by, reason=reason, on=on)
    click.echo(f"{request.what} rejected by {by}: {reason}")


@payment.command(name="requests")
@db_option
def payment_requests(db) -> None:
    """Requests awaiting a second officer's approval."""
    with workflow(db) as ledger:
        found = req.open_requests(ledger)
    rows = [["reference", "claim", "元", "request", "account", "by", "on", "reason"]]
    rows += [
        [
            r.reference,
            r.claim_id,
            format_yuan_grouped(r.amount_fen),
            r.kind,
            f"{r.from_account} -> {r.account}" if r.account else r.from_account,
            r.requested_by,
            str(r.on),
            r.reason,
        ]
        for r in found
    ]
    _table(rows, right={2})


def _requested(request: req.PaymentRequest, output: Path | None = None) -> None:
    later = f" -o {output}" if output else ""
    click.echo(
        f"{request.what} requested by {request.requested_by}: a second officer approves it "
        f"with `subsidies payment approve {request.reference} --by …{later}`"
    )


def _reissued(ledger, reference: str, p: pay.Payment, output: Path | None, note: str = "") -> None:
    """Say what was reissued, and write its bank file if asked."""
    written = ""
    if output:
        batch_code = wf.get_by_id(ledger, p.batch_id).code
        pay.write_payment_file(batch_code, calculator(p.program_id).program.name_zh, [p], output)
        written = f" -> {output}"
    click.echo(
        f"payment {reference} reissued as {p.reference} (attempt {p.attempt}) to {p.account}, "
        f"{format_yuan_grouped(p.amount_fen)} 元{written}{note}"
    )


@payment.command(name="settle")
@click.argument("reference")
@BY
@ON
@click.option("--detail", default="", help="e.g. the bank serial number.")
@db_option
def payment_settle(reference, by, on, detail, db) -> None:
    """Record that the bank paid (reconciliation does this from statements)."""
    with workflow(db) as ledger:
        pay.settle(ledger, reference, by=by, on=on, detail=detail)
    click.echo(f"payment {reference} settled")


@click.command()
@click.argument("claim_id", metavar="CLAIM")
@click.option(
    "--program", "program_id", default=None, help="The program (when the claim_id is in several)."
)
@click.option("--reason", required=True)
@BY
@ON
@db_option
def recover(claim_id, program_id, reason, by, on, db) -> None:
    """Raise a recovery (追回) of everything paid on CLAIM; `subsidies repay` records repayments."""
    with workflow(db) as ledger:
        program_id = program_id or _program_of(ledger, claim_id)
        fen = pay.raise_recovery(ledger, program_id, claim_id, reason=reason, by=by, on=on)
    click.echo(
        f"recovery raised on {program_id} {claim_id}: {format_yuan_grouped(fen)} 元 receivable (1218)"
    )


@click.command(name="repay")
@click.argument("claim_id", metavar="CLAIM")
@click.argument("amount")
@click.option("--program", "program_id", default=None)
@BY
@ON
@db_option
def recover_repay(claim_id, amount, program_id, by, on, db) -> None:
    """Record a repayment against a claim's recovery."""
    try:
        fen = parse_yuan(amount)
    except AmountError as error:
        raise click.ClickException(str(error)) from None
    with workflow(db) as ledger:
        program_id = program_id or _program_of(ledger, claim_id)
        owed = pay.repay(ledger, program_id, claim_id, fen, by=by, on=on)
    click.echo(
        f"repayment {format_yuan_grouped(fen)} 元 on {claim_id}; still owed {format_yuan_grouped(owed)} 元"
    )


def _program_of(ledger, claim_id: str) -> str:
    programs = {p.program_id for p in _paid(ledger, claim_id)}
    if not programs:
        raise wf.WorkflowError(
            f"claim {claim_id} has no payment (never disbursed, or no such claim): "
            "nothing was paid, so there is nothing to recover"
        )
    if len(programs) > 1:
        raise wf.WorkflowError(
            f"claim {claim_id} is paid under {len(programs)} programs; name one with --program"
        )
    return programs.pop()


def _paid(ledger, claim_id: str):
    from sqlalchemy import select

    from subsidies.workflow.tables import payments

    with ledger.reading() as conn:
        return conn.execute(
            select(payments.c.program_id).where(payments.c.claim_id == claim_id)
        ).all()


@click.command(name="explain")
@click.argument("what", metavar="PAYMENT|CLAIM")
@db_option
def explain_command(what, db) -> None:
    """The whole chain behind a payment reference or a claim_id."""
    with workflow(db) as ledger:
        for line in explain(ledger, what):
            click.echo(line)


@click.command(name="audit")
@click.option("--limit", type=int, default=None, help="Only the latest N actions.")
@db_option
def audit_command(limit, db) -> None:
    """Who did what and when (append-only)."""
    with workflow(db) as ledger:
        for line in audit_lines(ledger, limit):
            click.echo(line)


def register(main: click.Group) -> None:
    for command in (disburse, payment, recover, recover_repay, explain_command, audit_command):
        main.add_command(command)
