"""``subsidies disburse | payment … | recover … | explain | audit``.

``payment return`` (by hand) and ``payment reissue`` to another account are a cashier's
(出纳) requests that ``payment approve`` by a checker (审核) puts into effect
(maker–checker); the cashier then writes a reissue's bank file (``payment file --reissue``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
import pandas as pd

from subsidies.cli.options import (
    BY,
    ON,
    db_option,
    in_a_folder,
    officer,
    print_table,
    reader,
    workflow,
)
from subsidies.cli.progress import progress_bars
from subsidies.domain.i18n import _
from subsidies.domain.money import AmountError, format_yuan_grouped, parse_yuan, yuan
from subsidies.domain.text import count_text
from subsidies.workflow import bankfiles, privacy
from subsidies.workflow import batches as wf
from subsidies.workflow import payfiles as files
from subsidies.workflow import payment_requests as req
from subsidies.workflow import payments as pay
from subsidies.workflow.base import WorkflowError
from subsidies.workflow.explain import audit_lines, explain


def _payment_file(ctx, param, path: Path | None) -> Path | None:
    """The bank's instruction file is .csv or .xlsx; checked before anything is paid."""
    if path is not None:
        try:
            files.check_suffix(path)
        except WorkflowError as error:
            raise click.ClickException(error.for_cli()) from None
    return in_a_folder(ctx, param, path)


def _layout_options(command):
    """--layout, --merge, --payer-account, --payer-name: how the bank file is laid out."""
    for option in reversed(
        (
            click.option(
                "--layout",
                default="default",
                show_default=True,
                help="The bank's payment file layout: a built-in name "
                f"({', '.join(bankfiles.payment_layouts())}) or a YAML file.",
            ),
            click.option(
                "--merge/--no-merge",
                default=False,
                show_default=True,
                help="One transfer per payee: a payee's payments of the file on one line "
                "(the ledger keeps each payment).",
            ),
            click.option("--payer-account", default="", help="付款账号, for the batch header."),
            click.option("--payer-name", default="", help="付款户名, for the batch header."),
        )
    ):
        command = option(command)
    return command


def _options(layout: str, merge: bool, payer_account: str, payer_name: str) -> files.Options:
    return files.Options(layout, merge, payer_account.strip(), payer_name.strip())


def _sent_line(code: str, sent: files.Sent, output: Path) -> str:
    f = sent.file
    earlier = f.payments - sent.new
    note = _(" ({n} from an earlier run that wrote no file)").format(n=earlier) if earlier else ""
    merged = (
        _(" in {transfers}").format(transfers=count_text(f.lines, "{n} transfer", "{n} transfers"))
        if f.merged
        else ""
    )
    return _("batch {code}: {payments}{note}{merged}, {total} -> {file}").format(
        code=code,
        payments=count_text(f.payments, "{n} pending payment", "{n} pending payments"),
        note=note,
        merged=merged,
        total=yuan(f.total_fen),
        file=output,
    )


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
        raise click.ClickException(
            _("{file}: needs columns 申请编号 (claim_id) and 账号 (account)").format(file=path)
        )
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
@_layout_options
@ON
@db_option
def disburse(code, output, accounts, layout, merge, payer_account, payer_name, on, db) -> None:
    """Pay an approved batch: post each payment as pending and write the bank file.

    The file holds every payment of the batch not yet in a file: those this run posts, and
    those of an earlier run that was stopped before its file was complete. A payment goes
    in one file only; `subsidies payment file BATCH --reprint` writes a copy marked 副本.
    出纳, never the batch's approver.
    """
    options = _options(layout, merge, payer_account, payer_name)
    with workflow(db) as ledger, progress_bars() as progress:
        sent = files.send(
            ledger, code, output, options, by=officer(), on=on,
            accounts=_accounts_file(accounts), progress=progress,
        )  # fmt: skip
    click.echo(_sent_line(code, sent, output))


@click.group()
def payment() -> None:
    """Payments sent to the bank: list, settle, return, reissue, and a second officer's
    approve or reject of a return by hand or a reissue to another account."""


@payment.command(name="list")
@click.argument("code", metavar="BATCH")
@db_option
def payment_list(code, db) -> None:
    with workflow(db) as ledger:
        found = [privacy.payment(p, reader()) for p in pay.batch_payments(ledger, code)]
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
    print_table(rows, right={2, 5})


@payment.command(name="file")
@click.argument("code", metavar="BATCH")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    callback=_payment_file,
    help="The file to write (.csv or .xlsx).",
)
@click.option(
    "--reprint",
    is_flag=True,
    help="Write a copy (副本) of a file already written, marked as a copy on its first row.",
)
@click.option(
    "--file", "file_id", type=int, default=None, help="The file to reprint (default: the latest)."
)
@click.option(
    "--reissue",
    "reissued",
    default=None,
    metavar="PAYMENT",
    help="Write the file of this reissued payment (approved on request, not yet in a file).",
)
@BY
@_layout_options
@ON
@db_option
def payment_file(
    code, output, reprint, file_id, reissued, layout, merge, payer_account, payer_name, on, db
) -> None:
    """Write a batch's payment file (出纳): the payments posted but in no file yet (a
    disbursement stopped before its file was complete), with --reissue the file of a
    reissue a checker approved, or with --reprint a marked copy of a file."""
    with workflow(db) as ledger:
        by = officer()
        if reissued:
            p = pay.find_payment(ledger, reissued)
            if wf.get_by_id(ledger, p.batch_id).code != code:
                raise click.ClickException(
                    _("payment {reference} is not of batch {code}").format(
                        reference=reissued, code=code
                    )
                )
            options = _options(layout, merge, payer_account, payer_name)
            f = files.write_reissue(ledger, p, output, options, by=by, on=on or dt.date.today())
            click.echo(
                _("batch {code}: reissue {payment}, {total} -> {file}").format(
                    code=code, payment=reissued, total=yuan(f.total_fen), file=output
                )
            )
            return
        if reprint:
            f = files.reprint(ledger, code, output, by=by, file_id=file_id)
            click.echo(
                _(
                    "batch {code}: copy (副本) of file #{file_id}, {lines}, {total} -> {file}"
                ).format(
                    code=code,
                    file_id=f.copy_of,
                    lines=count_text(f.lines, "{n} line", "{n} lines"),
                    total=yuan(f.total_fen),
                    file=output,
                )
            )
            return
        options = _options(layout, merge, payer_account, payer_name)
        sent = files.send(ledger, code, output, options, by=by, post=False)
    click.echo(_sent_line(code, sent, output))


@payment.command(name="files")
@click.argument("code", metavar="BATCH")
@db_option
def payment_files(code, db) -> None:
    """The payment files written for a batch: originals, reissues and copies."""
    with workflow(db) as ledger:
        found = files.files(ledger, code)
    rows = [
        [
            _("file"),
            _("kind"),
            _("lines"),
            _("payments"),
            "元",
            _("layout"),
            _("by"),
            _("at"),
            _("path"),
        ]
    ]
    rows += [
        [
            f"#{f.id}",
            f.kind if f.copy_of is None else _("copy of #{file_id}").format(file_id=f.copy_of),
            f"{f.lines:,}",
            f"{f.payments:,}",
            format_yuan_grouped(f.total_fen),
            f.layout + (_(" merged") if f.merged else ""),
            f.by,
            f"{f.at:%Y-%m-%d %H:%M}",
            f.path,
        ]
        for f in found
    ]
    print_table(rows, right={2, 3, 4})


@payment.command(name="return")
@click.argument("reference")
@click.option("--reason", required=True, help="The bank's return reason.")
@BY
@ON
@db_option
def payment_return(reference, reason, on, db) -> None:
    """Record by hand that the bank returned a payment (出纳); a checker approves it.

    A return read from a bank statement needs no approval (subsidies reconcile).
    """
    with workflow(db) as ledger:
        request = req.request_return(ledger, reference, reason=reason, by=officer(), on=on)
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
@_layout_options
@ON
@db_option
def payment_reissue(
    reference, account, reason, output, layout, merge, payer_account, payer_name, on, db
) -> None:
    """Pay a returned payment's claim again (出纳): to the same account at once, to another
    account when a checker approves (subsidies payment approve)."""
    options = _options(layout, merge, payer_account, payer_name)
    with workflow(db) as ledger:
        by = officer()
        if output:
            files.check(output, options)
        done = req.reissue(ledger, reference, account=account, reason=reason, by=by, on=on)
        if isinstance(done, req.PaymentRequest):
            _requested(done, output)
            return
        _reissued(ledger, reference, done, output, options, by=by, on=on)


@payment.command(name="approve")
@click.argument("reference")
@BY
@ON
@db_option
def payment_approve(reference, on, db) -> None:
    """Approve the open request on a payment (审核, never the officer who requested it); the
    cashier who asked writes a reissue's bank file (payment file BATCH --reissue PAYMENT)."""
    with workflow(db) as ledger:
        by = officer()
        request, p = req.approve_request(ledger, reference, by=by, on=on)
        if request.kind == "reissue":
            code = wf.get_by_id(ledger, p.batch_id).code
            click.echo(
                _(
                    "payment {reference} reissued as {new} (attempt {attempt}) to {account}, "
                    "{amount} (approved by {by}); its bank file: subsidies payment file {batch} "
                    "--reissue {new} -o FILE"
                ).format(
                    reference=reference,
                    new=p.reference,
                    attempt=p.attempt,
                    account=p.account,
                    amount=yuan(p.amount_fen),
                    by=by,
                    batch=code,
                )
            )
            return
    click.echo(
        _(
            "payment {reference} returned ({reason}), approved by {by}; "
            "claim {claim} can be reissued"
        ).format(reference=reference, reason=request.reason, by=by, claim=p.claim_id)
    )


@payment.command(name="reject")
@click.argument("reference")
@click.option("--reason", required=True)
@BY
@ON
@db_option
def payment_reject(reference, reason, on, db) -> None:
    """Reject the open request on a payment (审核)."""
    with workflow(db) as ledger:
        by = officer()
        request = req.reject_request(ledger, reference, by=by, reason=reason, on=on)
    click.echo(
        _("{what} rejected by {by}: {reason}").format(what=request.what, by=by, reason=reason)
    )


@payment.command(name="requests")
@db_option
def payment_requests(db) -> None:
    """Requests awaiting a second officer's approval."""
    with workflow(db) as ledger:
        found = req.open_requests(ledger)
    viewer = reader()
    rows = [
        [
            _("reference"),
            _("claim"),
            "元",
            _("request"),
            _("account"),
            _("by"),
            _("on"),
            _("reason"),
        ]
    ]
    rows += [
        [
            r.reference,
            r.claim_id,
            format_yuan_grouped(r.amount_fen),
            r.kind,
            privacy.text(
                f"{r.from_account} -> {r.account}" if r.account else r.from_account, viewer
            ),
            r.requested_by,
            str(r.on),
            r.reason,
        ]
        for r in found
    ]
    print_table(rows, right={2})


def _requested(request: req.PaymentRequest, output: Path | None = None) -> None:
    later = f" -o {output}" if output else ""
    click.echo(
        _(
            "{what} requested by {by}: a checker (审核) approves it with "
            "`subsidies payment approve {reference}`{later}"
        ).format(
            what=request.what, by=request.requested_by, reference=request.reference, later=later
        )
    )


def _reissued(
    ledger,
    reference: str,
    p: pay.Payment,
    output: Path | None,
    options: files.Options,
    *,
    by,
    on: dt.date | None,
    note: str = "",
) -> None:
    """Say what was reissued, and write its bank file if asked."""
    written = ""
    if output:
        files.write_reissue(ledger, p, output, options, by=by, on=on or dt.date.today())
        written = f" -> {output}"
    click.echo(
        _(
            "payment {reference} reissued as {new} (attempt {attempt}) to {account}, {amount}"
        ).format(
            reference=reference,
            new=p.reference,
            attempt=p.attempt,
            account=p.account,
            amount=yuan(p.amount_fen),
        )
        + f"{written}{note}"
    )


@payment.command(name="settle")
@click.argument("reference")
@BY
@ON
@click.option("--detail", default="", help="e.g. the bank serial number.")
@db_option
def payment_settle(reference, on, detail, db) -> None:
    """Record that the bank paid (出纳; reconciliation does this from statements)."""
    with workflow(db) as ledger:
        pay.settle(ledger, reference, by=officer(), on=on, detail=detail)
    click.echo(_("payment {reference} settled").format(reference=reference))


@click.command()
@click.argument("claim_id", metavar="CLAIM")
@click.option(
    "--program", "program_id", default=None, help="The program (when the claim_id is in several)."
)
@click.option("--reason", required=True)
@BY
@ON
@db_option
def recover(claim_id, program_id, reason, on, db) -> None:
    """Raise a recovery (追回, 审核) of everything paid on CLAIM; `subsidies repay` records
    repayments."""
    with workflow(db) as ledger:
        by = officer()
        program_id = program_id or pay.program_of(ledger, claim_id)
        fen = pay.raise_recovery(ledger, program_id, claim_id, reason=reason, by=by, on=on)
    click.echo(
        _("recovery raised on {program} {claim}: {amount} receivable (1218)").format(
            program=program_id, claim=claim_id, amount=yuan(fen)
        )
    )


@click.command(name="repay")
@click.argument("claim_id", metavar="CLAIM")
@click.argument("amount")
@click.option("--program", "program_id", default=None)
@BY
@ON
@db_option
def recover_repay(claim_id, amount, program_id, on, db) -> None:
    """Record a repayment against a claim's recovery (出纳)."""
    try:
        fen = parse_yuan(amount)
    except AmountError as error:
        raise click.ClickException(str(error)) from None
    with workflow(db) as ledger:
        by = officer()
        program_id = program_id or pay.program_of(ledger, claim_id)
        owed = pay.repay(ledger, program_id, claim_id, fen, by=by, on=on)
    click.echo(
        _("repayment {amount} on {claim}; still owed {owed}").format(
            amount=yuan(fen), claim=claim_id, owed=yuan(owed)
        )
    )


@click.command(name="explain")
@click.argument("what", metavar="PAYMENT|CLAIM")
@db_option
def explain_command(what, db) -> None:
    """The whole chain behind a payment reference or a claim_id."""
    with workflow(db) as ledger:
        for line in explain(ledger, what, viewer=reader()):
            click.echo(line)


@click.command(name="audit")
@click.option("--limit", type=int, default=None, help="Only the latest N actions.")
@db_option
def audit_command(limit, db) -> None:
    """Who did what, when and from where (append-only; 审计, 管理员)."""
    with workflow(db) as ledger:
        for line in audit_lines(ledger, limit, viewer=reader()):
            click.echo(line)


def register(main: click.Group) -> None:
    for command in (disburse, payment, recover, recover_repay, explain_command, audit_command):
        main.add_command(command)
