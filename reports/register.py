"""Payout registers (发放明细表) and public notices (公示) of payout batches, as data.

A register lists a batch's eligible claims with an amount — who is paid, for whom, how
much — with person data masked for print (``mask_name``, ``mask_id``): a name or number
is a person's when its column holds a 身份证号; a unit's name and 统一社会信用代码 are
public and shown whole. The workflow reads them from the ledger
(``subsidies.workflow.registers``); :mod:`reports.register_report` prints them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from calculators.template import Template
from subsidies.domain.identity import mask_id, mask_name

PERSON_KINDS = ("resident_id", "party_id")
STATES = {"submitted": "待公示", "noticed": "公示中", "approved": "已审批", "rejected": "已驳回"}


class BatchShown(Protocol):
    """What a register prints of a batch."""

    code: str
    fund_code: str
    as_of: dt.date

    @property
    def state(self) -> str: ...


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
    batches: tuple[BatchShown, ...]
    lines: tuple[RegisterLine, ...]
    has_subject: bool
    fund_names: dict[str, str] = field(default_factory=dict)  # 资金名称 by fund code

    def funds(self, *, with_codes: bool) -> str:
        """The batches' funds by name (``with_codes``: 名称（代码）); a fund with no name by code."""
        shown = []
        for code in dict.fromkeys(b.fund_code for b in self.batches):
            name = self.fund_names.get(code)
            shown.append(f"{name}（{code}）" if name and with_codes else name or code)
        return "、".join(shown)

    @property
    def total(self) -> int:
        return sum(line.fen for line in self.lines)

    def batch_total(self, code: str) -> int:
        return sum(line.fen for line in self.lines if line.batch == code)

    @property
    def recovered(self) -> int:
        return sum(line.recovered_fen for line in self.lines)


def masker(template: Template, name_column: str, id_column: str):
    """(name, id) as printed: masked when the id column holds a person's number."""
    person = template.column(id_column).kind in PERSON_KINDS

    def mask(row: dict) -> tuple[str, str]:
        name, number = str(row.get(name_column) or ""), str(row.get(id_column) or "")
        return (mask_name(name), mask_id(number)) if person else (name, number)

    return mask


@dataclass(frozen=True)
class Notice:
    register: Register
    published_on: dt.date
    ends_on: dt.date
    working_days: int
