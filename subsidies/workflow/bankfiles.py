"""Bank payment files (代发) in the layouts banks take, as CSV or XLSX.

A layout (``subsidies/data/payment-layouts/NAME.yaml``, or any YAML file given by path;
chosen like the statement layouts of :mod:`subsidies.workflow.statements`) names:

- ``header``: the batch header, label → field (payer_account, payer_name, count, total,
  payments, batch, date, program), written as a row of labels over a row of values;
- ``columns``: each line's columns, label → field (seq, reference, payee_name, payee_id,
  account, amount, purpose, batch, claim_id, payments);
- ``purpose``: the line's 用途, a template over program, claim_id and batch;
- optionally ``payer_account`` and ``payer_name``, the paying unit's account.

*Merged*, one payee's payments (same account and name) of the file are one transfer: its
line carries their sum and a transfer reference of its own (``SM`` and the digits of its
first payment's reference), which the bank's statement gives back; the ledger keeps each
payment, and reconciliation settles or returns all of a transfer's payments by it.

Every text cell is neutralised (:mod:`reports.cells`); amounts are yuan with two decimals
in CSV, numbers in XLSX (:mod:`reports.sheets`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from reports.cells import neutralised
from reports.document import yuan
from reports.sheets import Column, Sheet, total_row, write_xlsx
from subsidies.domain.i18n import _, separator
from subsidies.domain.money import format_yuan
from subsidies.workflow.base import WorkflowError

LINE_FIELDS = (
    "seq",
    "reference",
    "payee_name",
    "payee_id",
    "account",
    "amount",
    "purpose",
    "batch",
    "claim_id",
    "payments",
)
HEADER_FIELDS = (
    "payer_account",
    "payer_name",
    "count",
    "payments",
    "total",
    "batch",
    "date",
    "program",
)
KINDS = {"seq": "number", "amount": "fen", "payments": "count"}
MERGED_PREFIX = "SM"
COPY_MARK = "副本"


@dataclass(frozen=True)
class PaymentLayout:
    name: str
    description: str
    header: dict[str, str]  # label -> header field
    columns: dict[str, str]  # label -> line field
    purpose: str
    payer_account: str = ""
    payer_name: str = ""

    def needs_payer(self) -> bool:
        return "payer_account" in self.header.values()


def _folder():
    return resources.files("subsidies") / "data" / "payment-layouts"


def payment_layouts() -> list[str]:
    return sorted(
        p.name.removesuffix(".yaml") for p in _folder().iterdir() if p.name.endswith(".yaml")
    )


def load_payment_layout(name: str) -> PaymentLayout:
    """A built-in payment file layout by name, or a layout file by path."""
    path = Path(name)
    if not path.suffix:
        path = Path(str(_folder() / f"{name}.yaml"))
    if not path.exists():
        raise WorkflowError(
            _("no payment file layout {name}; built in: {layouts}, or give a YAML file").format(
                name=repr(name), layouts=", ".join(payment_layouts())
            )
        )
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    header, columns = data.get("header") or {}, data.get("columns") or {}
    problems = [
        _("unknown header field {field}").format(field=repr(f))
        for f in header.values()
        if f not in HEADER_FIELDS
    ]
    problems += [
        _("unknown line field {field}").format(field=repr(f))
        for f in columns.values()
        if f not in LINE_FIELDS
    ]
    if not columns:
        problems.append(_("no columns"))
    if problems:
        raise WorkflowError(
            _("{path}: {problems}; header fields are {header}; line fields are {line}").format(
                path=path,
                problems=separator().join(problems),
                header=", ".join(HEADER_FIELDS),
                line=", ".join(LINE_FIELDS),
            )
        )
    return PaymentLayout(
        name=data.get("name", path.stem),
        description=data.get("description", ""),
        header={str(k): v for k, v in header.items()},
        columns={str(k): v for k, v in columns.items()},
        purpose=data.get("purpose", "{program} {claim_id}"),
        payer_account=str(data.get("payer_account") or ""),
        payer_name=str(data.get("payer_name") or ""),
    )


@dataclass(frozen=True)
class Line:
    """One transfer: a payment, or one payee's payments merged."""

    reference: str
    payee_name: str
    payee_id: str
    account: str
    amount_fen: int
    claim_id: str  # the first claim, and 等N笔 when merged
    payment_ids: tuple[int, ...]
    merged: bool = False


def lines(payments: Sequence, *, merge: bool) -> list[Line]:
    """The file's lines in the payments' order; merged, a payee's later payments join the
    line of their first (a payee: the same account, spaces aside, and the same name)."""
    groups: dict[tuple, list] = {}
    for p in payments:
        key = ("".join(p.account.split()), p.payee_name.strip()) if merge else p.id
        groups.setdefault(key, []).append(p)
    out = []
    for group in groups.values():
        first = group[0]
        several = len(group) > 1
        out.append(
            Line(
                reference=MERGED_PREFIX + first.reference[2:] if several else first.reference,
                payee_name=first.payee_name,
                payee_id=first.payee_id,
                account=first.account,
                amount_fen=sum(p.amount_fen for p in group),
                claim_id=f"{first.claim_id} 等{len(group)}笔" if several else first.claim_id,
                payment_ids=tuple(p.id for p in group),
                merged=several,
            )
        )
    return out


@dataclass(frozen=True)
class Batch:
    """What the file's header and purposes say about the batch it pays."""

    code: str
    program: str  # the program's Chinese name
    on: dt.date
    payer_account: str = ""
    payer_name: str = ""
    copy: str = ""  # for a copy (副本): what it copies, shown on its first row


@dataclass(frozen=True)
class Written:
    lines: int
    payments: int
    total_fen: int
    sha256: str
    transfers: dict[str, tuple[int, ...]] = field(default_factory=dict)  # merged lines


def write(
    path: Path, suffix: str, layout: PaymentLayout, batch: Batch, found: list[Line]
) -> Written:
    """Write the file (``suffix`` .csv or .xlsx) to ``path``; returns what it holds."""
    total = sum(line.amount_fen for line in found)
    header = _header(layout, batch, found, total)
    rows = [_cells(layout, batch, n, line) for n, line in enumerate(found, start=1)]
    if suffix == ".xlsx":
        _xlsx(path, layout, batch, header, rows)
    else:
        _csv(path, layout, batch, header, rows)
    return Written(
        lines=len(found),
        payments=sum(len(line.payment_ids) for line in found),
        total_fen=total,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        transfers={line.reference: line.payment_ids for line in found if line.merged},
    )


def _header(layout: PaymentLayout, batch: Batch, found: list[Line], total: int) -> list:
    values = {
        "payer_account": batch.payer_account or layout.payer_account,
        "payer_name": batch.payer_name or layout.payer_name,
        "count": len(found),
        "payments": sum(len(line.payment_ids) for line in found),
        "total": total,
        "batch": batch.code,
        "date": batch.on,
        "program": batch.program,
    }
    return [values[f] for f in layout.header.values()]


def _cells(layout: PaymentLayout, batch: Batch, n: int, line: Line) -> list:
    purpose = layout.purpose.format(program=batch.program, claim_id=line.claim_id, batch=batch.code)
    values = {
        "seq": n,
        "reference": line.reference,
        "payee_name": line.payee_name,
        "payee_id": line.payee_id,
        "account": line.account,
        "amount": line.amount_fen,
        "purpose": purpose,
        "batch": batch.code,
        "claim_id": line.claim_id,
        "payments": len(line.payment_ids),
    }
    return [values[f] for f in layout.columns.values()]


def _copy_row(batch: Batch) -> list[str]:
    return [f"{COPY_MARK} COPY", batch.copy] if batch.copy else []


def _csv(path: Path, layout: PaymentLayout, batch: Batch, header: list, rows: list[list]) -> None:
    fields = list(layout.columns.values())
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        if batch.copy:
            writer.writerow([neutralised(v) for v in _copy_row(batch)])
        if layout.header:
            writer.writerow([neutralised(label) for label in layout.header])
            writer.writerow(
                [_csv_text(f, v) for f, v in zip(layout.header.values(), header, strict=True)]
            )
        writer.writerow([neutralised(label) for label in layout.columns])
        writer.writerows(
            [_csv_text(f, v) for f, v in zip(fields, row, strict=True)] for row in rows
        )


def _csv_text(name: str, value) -> str:
    if name in ("amount", "total"):
        return format_yuan(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralised(str(value))


def _xlsx(path: Path, layout: PaymentLayout, batch: Batch, header: list, rows: list[list]) -> None:
    above = [_copy_row(batch)] if batch.copy else []
    if layout.header:
        shown = [
            yuan(v) if f == "total" else v
            for f, v in zip(layout.header.values(), header, strict=True)
        ]
        above += [list(layout.header), shown, []]
    columns = [Column(label, KINDS.get(f, "text")) for label, f in layout.columns.items()]
    data = [[row[i] for row in rows] for i in range(len(columns))]
    name = "代发明细" + (f"（{COPY_MARK}）" if batch.copy else "")
    write_xlsx(path, [Sheet(name, columns, data, above=above, totals=[total_row(columns, data)])])
