"""Payout registers (发放明细表) and public notices (公示) of payout batches.

A register lists a batch's eligible claims with an amount — who is paid, for whom, how
much — with person data masked for print (``mask_name``, ``mask_id``): a name or number
is a person's when its column holds a 身份证号; a unit's name and 统一社会信用代码 are
public and shown whole. A rejected batch has no register.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import func, select

from calculators.registry import calculator
from calculators.template import Template
from ledgers import Ledger
from ledgers.db import reading
from subsidies.domain.identity import mask_id, mask_name
from subsidies.domain.workdays import notice_ends
from subsidies.workflow.batches import Batch, WorkflowError, batch_decisions, get, list_batches
from subsidies.workflow.tables import recoveries

PERSON_KINDS = ("resident_id", "party_id")
STATES = {"submitted": "待公示", "noticed": "公示中", "approved": "已审批", "rejected": "已驳回"}


@dataclass(frozen=True)
class RegisterLine:
    batch: str
    claim_id: str
    payee_name: str
    payee_id: str
    subject_name: str
    subject_id: str
    fen: int
    recovered_fen: int = 0  # 追回 raised on the claim since it was paid


@dataclass(frozen=True)
class Register:
    program_id: str
    program_name: str
    citation: str
    batches: tuple[Batch, ...]
    lines: tuple[RegisterLine, ...]
    has_subject: bool

    @property
    def total(self) -> int:
        return sum(line.fen for line in self.lines)

    def batch_total(self, code: str) -> int:
        return sum(line.fen for line in self.lines if line.batch == code)

    @property
    def recovered(self) -> int:
        return sum(line.recovered_fen for line in self.lines)


def _masker(template: Template, name_column: str, id_column: str):
    """(name, id) as printed: masked when the id column holds a person's number."""
    person = template.column(id_column).kind in PERSON_KINDS

    def mask(row: dict) -> tuple[str, str]:
        name, number = str(row.get(name_column) or ""), str(row.get(id_column) or "")
        return (mask_name(name), mask_id(number)) if person else (name, number)

    return mask


def _batches(ledger: Ledger, codes: list[str], program: str | None) -> list[Batch]:
    chosen = [get(ledger, code) for code in codes]
    if program:
        chosen += [
            b
            for b in list_batches(ledger)
            if b.program_id == program and b.state == "approved" and b.code not in codes
        ]
    if not chosen:
        raise WorkflowError("no batch: name batch codes, or --program with approved batches")
    programs = {b.program_id for b in chosen}
    if len(programs) > 1:
        raise WorkflowError(
            f"a register is of one program; these batches are of {', '.join(sorted(programs))}"
        )
    rejected = [b.code for b in chosen if b.state == "rejected"]
    if rejected:
        raise WorkflowError(f"batch {', '.join(rejected)} was rejected: nothing is paid from it")
    return chosen


def _recovered(ledger: Ledger, program_id: str) -> dict[str, int]:
    """Fen of recoveries (追回) raised per claim of the program."""
    with reading(ledger.engine) as conn:
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
    payee = _masker(calc.template, *calc.payee)
    subject = _masker(calc.template, *calc.subject) if calc.subject else None
    recovered = _recovered(ledger, calc.program_id)
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
    )


@dataclass(frozen=True)
class Notice:
    register: Register
    published_on: dt.date
    ends_on: dt.date
    working_days: int


def notice(ledger: Ledger, code: str, on: dt.date | None = None) -> Notice:
    """The public notice (公示) of one batch: published when recorded, else on ``on`` (today)."""
    reg = register(ledger, [code])
    batch = reg.batches[0]
    event = batch.event("notice_published")
    if batch.notice_days < 1:
        raise WorkflowError(f"batch {code} was submitted without a notice period")
    published = event["on_date"] if event else (on or dt.date.today())
    return Notice(reg, published, notice_ends(published, batch.notice_days), batch.notice_days)
