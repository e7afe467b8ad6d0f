"""Payment files for the bank, recorded in the ledger: each payment goes in one original file,
written once, whole, by one run; a copy (副本) is written only on request and says so.

Sending a batch is three steps: post the payments (:func:`payments.disburse`, one
transaction); write the file to a temporary file beside the path; then, in a second
transaction, record it (lines, payments, total, SHA-256, path) and rename it into place.
The path therefore holds the whole file or nothing. A run killed after the payments were
posted leaves them *unsent* (no file records them): the next run writes their file and
posts nothing. Runs for one batch take turns (``Ledger.one_at_a_time``), so a second run
started while the first is still writing waits, then finds nothing left to send and is
refused as a re-run is; the unique index on an original file's first payment makes two
originals of the same payments impossible even so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from pathlib import Path

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from calculators.registry import calculator
from ledgers import Ledger
from reports.atomic import partial_file, put_in_place
from subsidies.domain.i18n import _, pgettext
from subsidies.domain.money import format_yuan_grouped, yuan
from subsidies.domain.progress import SILENT, Progress
from subsidies.domain.text import count_text
from subsidies.workflow import bankfiles
from subsidies.workflow.base import Officer, WorkflowError, audit, now
from subsidies.workflow.batches import get, get_by_id, lock_batch
from subsidies.workflow.payments import Payment, _payments, disburse
from subsidies.workflow.permissions import require
from subsidies.workflow.tables import payment_files, payment_transfers, payments

LOCK = "payment-files"
SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class PaymentFile:
    """A payment file as the ledger records it."""

    id: int
    batch_id: int
    kind: str  # original | copy | reissue
    copy_of: int | None
    first_payment_id: int
    last_payment_id: int
    payments: int
    lines: int
    total_fen: int
    layout: str
    merged: bool
    on_date: dt.date
    payer_account: str
    payer_name: str
    sha256: str
    path: str
    by: str
    at: dt.datetime

    def describe(self) -> str:
        kinds = {
            "original": pgettext("payment file", "original"),
            "copy": pgettext("payment file", "copy"),
            "reissue": pgettext("payment file", "reissue"),
        }
        return _("file #{id} ({kind}, {lines}, {total}) written by {by} {at} to {path}").format(
            id=self.id,
            kind=kinds.get(self.kind, self.kind),
            lines=count_text(self.lines, "{n} line", "{n} lines"),
            total=yuan(self.total_fen),
            by=self.by,
            at=f"{self.at:%Y-%m-%d %H:%M}",
            path=self.path,
        )


@dataclass(frozen=True)
class Options:
    """How a file is laid out: the layout (a built-in name or a YAML path), merged or not,
    and the payer's account and name for the batch header (else the layout's)."""

    layout: str = "default"
    merge: bool = False
    payer_account: str = ""
    payer_name: str = ""


@dataclass(frozen=True)
class Sent:
    file: PaymentFile
    new: int  # payments posted by this run (the rest were posted by a run that wrote no file)


def check_suffix(path: Path) -> None:
    """Refuse a payment file that is not a .csv or an .xlsx."""
    if path.suffix.lower() not in SUFFIXES:
        raise WorkflowError(
            _("{path}: the payment file is written as .csv or .xlsx").format(path=path)
        )


def check(path: Path, options: Options) -> bankfiles.PaymentLayout:
    """Refuse, before anything is posted, a file that could not be written."""
    check_suffix(path)
    if not path.parent.is_dir():
        raise WorkflowError(_("{path}: no folder {folder}").format(path=path, folder=path.parent))
    layout = bankfiles.load_payment_layout(options.layout)
    if layout.needs_payer() and not (options.payer_account or layout.payer_account):
        raise WorkflowError(
            _(
                "layout {layout} puts the payer's account in its header: give the payer's "
                "account (and name), or payer_account in the layout file"
            ).format(layout=repr(layout.name)),
            command="--payer-account ACCOUNT --payer-name NAME",
        )
    return layout


def files(ledger: Ledger, code: str) -> list[PaymentFile]:
    """The payment files written for batch ``code``, oldest first."""
    with ledger.reading() as conn:
        return _files(conn, get(ledger, code).id)


def _files(conn: Connection, batch_id: int) -> list[PaymentFile]:
    rows = conn.execute(
        select(*(payment_files.c[f.name] for f in fields(PaymentFile)))
        .where(payment_files.c.batch_id == batch_id)
        .order_by(payment_files.c.id)
    ).all()
    return [PaymentFile(*row) for row in rows]


def _unsent(conn: Connection, batch_id: int) -> list[Payment]:
    """The batch's first payments (attempt 1) still pending that no original file carries."""
    last = max(
        (f.last_payment_id for f in _files(conn, batch_id) if f.kind == "original"), default=0
    )
    found = _payments(
        conn, payments.c.batch_id == batch_id, payments.c.attempt == 1, payments.c.id > last
    )
    return [p for p in found if p.state == "pending"]


def send(
    ledger: Ledger,
    code: str,
    path: Path,
    options: Options,
    *,
    by: Officer,
    on: dt.date | None = None,
    accounts: dict[str, str] | None = None,
    post: bool = True,
    progress: Progress = SILENT,
) -> Sent:
    """Pay an approved batch (``post``) and write the original file of every payment of it
    not yet in one, telling ``progress`` how far it is; refused if there is none. 出纳:
    ``payment.disburse`` (or, writing the file of payments posted already, ``payment.file``)."""
    require(by, "payment.disburse" if post else "payment.file", ledger=ledger, subject=code)
    layout = check(path, options)
    batch = get(ledger, code)
    with ledger.one_at_a_time(LOCK, code):
        with ledger.reading() as conn:
            earlier = len(_unsent(conn, batch.id))
        if post:
            disburse(ledger, code, by=by, on=on, accounts=accounts, progress=progress)
        with ledger.reading() as conn:
            unsent = _unsent(conn, batch.id)
            written = [f for f in _files(conn, batch.id) if f.kind == "original"]
        if not unsent:
            raise _nothing_to_send(code, written)
        header = bankfiles.Batch(
            code,
            calculator(batch.program_id).program.name_zh,
            on or dt.date.today(),
            options.payer_account or layout.payer_account,
            options.payer_name or layout.payer_name,
        )
        progress.stage(_("writing {file}").format(file=path.name))
        found = _record(ledger, code, "original", unsent, path, layout, options, header, by=by)
    return Sent(found, len(unsent) - earlier)


def _nothing_to_send(code: str, written: list[PaymentFile]) -> WorkflowError:
    if not written:
        return WorkflowError(_("batch {code} has no payment to send").format(code=code))
    files = written[-1].describe()
    if len(written) > 1:
        files = _("{file} and {earlier}").format(
            file=files,
            earlier=count_text(len(written) - 1, "{n} earlier file", "{n} earlier files"),
        )
    return WorkflowError(
        _(
            "batch {code} was already disbursed: its payments are in {files}; nothing new is "
            "payable. If the bank never received it, reprint it: a copy marked 副本"
        ).format(code=code, files=files),
        command=f"subsidies payment file {code} --reprint -o FILE",
    )


def reprint(
    ledger: Ledger, code: str, path: Path, *, by: Officer, file_id: int | None = None
) -> PaymentFile:
    """A copy (副本) of one of the batch's files (the latest original unless ``file_id``),
    marked as a copy on its first row, recorded like any file (出纳: ``payment.file``)."""
    require(by, "payment.file", ledger=ledger, subject=code)
    batch = get(ledger, code)
    with ledger.reading() as conn:
        printable = [f for f in _files(conn, batch.id) if f.kind != "copy"]
        originals = [f for f in printable if f.kind == "original"]
        if file_id is None:
            chosen = originals[-1] if originals else None
        else:
            chosen = next((f for f in printable if f.id == file_id), None)
        if chosen is None:
            listed = ", ".join(f"#{f.id}" for f in printable) or _("none")
            if file_id:
                why = _("batch {code} has no payment file #{id} to reprint; its files: {listed}")
            else:
                why = _("batch {code} has no payment file to reprint; its files: {listed}")
            raise WorkflowError(why.format(code=code, id=file_id, listed=listed))
        carried = _payments(
            conn,
            payments.c.batch_id == batch.id,
            payments.c.id >= chosen.first_payment_id,
            payments.c.id <= chosen.last_payment_id,
            *([payments.c.attempt == 1] if chosen.kind == "original" else []),
        )
    options = Options(chosen.layout, chosen.merged, chosen.payer_account, chosen.payer_name)
    layout = check(path, options)
    header = bankfiles.Batch(
        code,
        calculator(batch.program_id).program.name_zh,
        chosen.on_date,
        chosen.payer_account,
        chosen.payer_name,
        copy=(
            f"第 {chosen.id} 号付款文件的副本（原件 {chosen.at:%Y-%m-%d %H:%M} {chosen.by} 写出），"
            f"{now():%Y-%m-%d %H:%M} {by} 重印；请先向银行核实原件未被受理"
        ),
    )
    return _record(
        ledger, code, "copy", carried, path, layout, options, header, by=by, copy_of=chosen.id
    )


def write_reissue(
    ledger: Ledger, payment: Payment, path: Path, options: Options, *, by: Officer, on: dt.date
) -> PaymentFile:
    """The file of a reissued payment: one line, in a file of its own (出纳: ``payment.file``)."""
    require(by, "payment.file", ledger=ledger, subject=payment.reference)
    layout = check(path, options)
    batch = get_by_id(ledger, payment.batch_id)
    if payment.attempt < 2:
        raise WorkflowError(
            _("payment {reference} is not a reissue").format(reference=payment.reference)
        )
    with ledger.reading() as conn:
        written = [
            f
            for f in _files(conn, batch.id)
            if f.kind == "reissue" and f.first_payment_id == payment.id
        ]
    if written:
        raise WorkflowError(
            _(
                "the file of reissue {reference} was written already: {file}; reprint it for a copy"
            ).format(reference=payment.reference, file=written[0].describe()),
            command=f"subsidies payment file {batch.code} --reprint --file {written[0].id} -o FILE",
        )
    header = bankfiles.Batch(
        batch.code,
        calculator(batch.program_id).program.name_zh,
        on,
        options.payer_account or layout.payer_account,
        options.payer_name or layout.payer_name,
    )
    return _record(ledger, batch.code, "reissue", [payment], path, layout, options, header, by=by)


def _layout_source(layout: str) -> str:
    """A built-in layout's name, or a layout file's absolute path (a reprint reads it again)."""
    return str(Path(layout).resolve()) if Path(layout).suffix else layout


def _record(
    ledger: Ledger,
    code: str,
    kind: str,
    carried: list[Payment],
    path: Path,
    layout: bankfiles.PaymentLayout,
    options: Options,
    header: bankfiles.Batch,
    *,
    by: Officer,
    copy_of: int | None = None,
) -> PaymentFile:
    """Write the file beside ``path``, then record it and rename it into place in one
    transaction: the path never holds a file the ledger does not record, nor half a file."""
    lines = bankfiles.lines(carried, merge=options.merge)
    ids = [p.id for p in carried]
    with partial_file(path) as partial:
        written = bankfiles.write(partial, path.suffix.lower(), layout, header, lines)
        placed = False
        try:
            with ledger.transaction() as tx:
                conn = tx.conn  # reads in this transaction
                batch = lock_batch(conn, code)
                if kind == "original" and [p.id for p in _unsent(conn, batch.id)] != ids:
                    raise WorkflowError(
                        _(
                            "batch {code}: another run wrote the payment file meanwhile: {file}"
                        ).format(code=code, file=_files(conn, batch.id)[-1].describe())
                    )
                file_id = tx.insert(
                    payment_files,
                    batch_id=batch.id,
                    kind=kind,
                    copy_of=copy_of,
                    first_payment_id=min(ids),
                    last_payment_id=max(ids),
                    payments=written.payments,
                    lines=written.lines,
                    total_fen=written.total_fen,
                    layout=_layout_source(options.layout),
                    merged=options.merge,
                    on_date=header.on,
                    payer_account=header.payer_account,
                    payer_name=header.payer_name,
                    sha256=written.sha256,
                    path=str(path.resolve()),
                    by=by.username,
                    at=now(),
                )
                if kind == "original" and written.transfers:
                    tx.insert_rows(
                        payment_transfers,
                        ("file_id", "reference", "payment_id"),
                        [
                            (file_id, reference, p)
                            for reference, members in written.transfers.items()
                            for p in members
                        ],
                    )
                audit(
                    tx,
                    by,
                    f"payment.file.{kind}",
                    code,
                    f"#{file_id}: {written.lines} lines, {written.payments} payments, "
                    f"{format_yuan_grouped(written.total_fen)} 元, sha256 {written.sha256} -> {path}",
                )
                put_in_place(partial, path)
                placed = True
                found = _files(conn, batch.id)[-1]
        except IntegrityError:
            raise WorkflowError(
                _(
                    "batch {code}: another run wrote the payment file of these payments meanwhile"
                ).format(code=code)
            ) from None
        except BaseException:
            if placed:  # renamed, but the record did not commit: take the file back
                path.unlink(missing_ok=True)
            raise
    return found
