"""Payout registers (发放明细表) and public notices (公示) read from the ledger.

What a register holds and how it is masked is :mod:`reports.register`; this reads the
batches, their decisions and the recoveries raised since, writes the notice file and
publishes it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import func, select

from calculators.registry import calculator
from ledgers import Ledger
from reports import output
from reports.atomic import partial_file, put_in_place
from reports.register import Notice, Register, RegisterLine, masker
from reports.register_report import notice_report
from subsidies.domain.i18n import _
from subsidies.domain.progress import SILENT, Progress
from subsidies.domain.workdays import notice_ends
from subsidies.workflow.base import Officer
from subsidies.workflow.batches import (
    Batch,
    WorkflowError,
    batch_decisions,
    check_publication,
    get,
    list_batches,
    nothing_to_notice,
    publish_notice,
)
from subsidies.workflow.permissions import require
from subsidies.workflow.tables import recoveries


def _batches(ledger: Ledger, codes: list[str], program: str | None) -> list[Batch]:
    chosen = [get(ledger, code) for code in codes]
    if program:
        chosen += [
            b
            for b in list_batches(ledger)
            if b.program_id == program and b.state == "approved" and b.code not in codes
        ]
    if not chosen:
        raise WorkflowError(
            _("no batch: name batch codes, or a program with approved batches"),
            command="--program PROGRAM",
        )
    programs = {b.program_id for b in chosen}
    if len(programs) > 1:
        raise WorkflowError(
            _("a register is of one program; these batches are of {programs}").format(
                programs=", ".join(sorted(programs))
            )
        )
    rejected = [b.code for b in chosen if b.state == "rejected"]
    if rejected:
        raise WorkflowError(
            _("batch {codes} was rejected: nothing is paid from it").format(
                codes=", ".join(rejected)
            )
        )
    return chosen


def _recovered(ledger: Ledger, program_id: str) -> dict[str, int]:
    """Fen of recoveries (追回) raised per claim of the program."""
    with ledger.reading() as conn:
        rows = conn.execute(
            select(recoveries.c.claim_id, func.sum(recoveries.c.amount_fen))
            .where(recoveries.c.program_id == program_id, recoveries.c.kind == "raised")
            .group_by(recoveries.c.claim_id)
        ).all()
    return {claim_id: int(fen) for claim_id, fen in rows}


def register(ledger: Ledger, codes: list[str], program: str | None = None) -> Register:
    """The register of the batches ``codes`` (any not rejected, for review before payment)
    and/or every approved batch of ``program``."""
    batches = _batches(ledger, codes, program)
    calc = calculator(batches[0].program_id)
    payee = masker(calc.template, *calc.payee)
    subject = masker(calc.template, *calc.subject) if calc.subject else None
    recovered = _recovered(ledger, calc.program_id)
    fund_names = {f.code: f.name for f in ledger.funds()}
    lines = []
    for batch in batches:
        decisions = batch_decisions(ledger, batch.code)
        paid = decisions[(decisions["status"] == "eligible") & (decisions["amount_fen"] > 0)]
        for claim_id, raw, fen in zip(
            paid["claim_id"], paid["input_json"], paid["amount_fen"], strict=True
        ):
            row = json.loads(raw)
            lines.append(
                RegisterLine(
                    batch.code,
                    claim_id,
                    *payee(row),
                    *(subject(row) if subject else ("", "")),
                    int(fen),
                    recovered.get(claim_id, 0),
                )
            )
    return Register(
        calc.program_id,
        calc.program.name_zh,
        calc.program.citation,
        tuple(batches),
        tuple(lines),
        subject is not None,
        {b.fund_code: fund_names[b.fund_code] for b in batches if b.fund_code in fund_names},
    )


def notice(ledger: Ledger, code: str, on: dt.date | None = None) -> Notice:
    """The public notice (公示) of one batch: published when recorded, else on ``on`` (today)."""
    event = get(ledger, code).event("notice_published")
    return _notice(ledger, code, event["on_date"] if event else (on or dt.date.today()))


def _notice(ledger: Ledger, code: str, published: dt.date) -> Notice:
    """The notice of batch ``code`` published on ``published``, its period counted."""
    reg = register(ledger, [code])
    if not reg.lines:
        raise WorkflowError(nothing_to_notice(code))
    batch = reg.batches[0]
    if batch.notice_days < 1:
        raise WorkflowError(
            _("batch {code} was submitted without a notice period").format(code=code)
        )
    return Notice(reg, published, notice_ends(published, batch.notice_days), batch.notice_days)


def publish(
    ledger: Ledger,
    code: str,
    path: Path,
    *,
    on: dt.date,
    by: Officer,
    unit: str = "",
    progress: Progress = SILENT,
) -> tuple[Batch, int]:
    """Publish batch ``code``'s 公示 on ``on``: write it to ``path`` and record the
    publication, all or nothing. Returns the batch and the notice's total in fen.

    The step is checked and the period counted (a day whose holiday calendar is not known
    is refused here), and the file written beside ``path``, before anything is recorded; the
    file is moved into place in the transaction that records the publication, and removed
    again should that transaction not commit. Publishing again on the same day reprints it.
    ``progress`` hears of the writing. 经办: ``batch.notice``.
    """
    require(by, "batch.notice", ledger=ledger, subject=code)
    check_publication(get(ledger, code), on)
    found = _notice(ledger, code, on)
    with partial_file(Path(path)) as staged:
        output.write(notice_report(found, unit), staged, progress, shown=Path(path).name)
        try:
            batch = publish_notice(
                ledger, code, on=on, by=by, then=lambda: put_in_place(staged, Path(path))
            )
        except BaseException:
            if not staged.exists():  # moved into place, then the transaction did not commit
                Path(path).unlink(missing_ok=True)
            raise
    return batch, found.register.total


def write_notice(
    ledger: Ledger, code: str, path: Path, *, on: dt.date | None = None, unit: str = ""
) -> int:
    """Write batch ``code``'s 公示 to ``path`` (.pdf, .xlsx or .csv); returns its total in fen.

    The period runs from the recorded publication, or from ``on`` for a notice about to be
    published.
    """
    found = notice(ledger, code, on)
    output.write(notice_report(found, unit), path)
    return found.register.total
