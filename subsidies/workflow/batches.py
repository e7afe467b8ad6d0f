"""Payout batches: submit (decide and screen), publish the notice (公示), approve or reject.

- **Submit** decides every claim and records the batch with each decision as evidence
  (the input row, status, amount, reasons, citation, the date whose parameters applied).
  One-time keys are screened against every approved batch of the program, not only within
  the file: only an approved (or paid) claim takes a key in the ledger
  (docs/policies/README.md). A claim holding the same key in a batch still awaiting
  approval is named in the reasons, not made a duplicate: approval screens again, so only
  one of the two is ever paid, and a rejected batch blocks nothing. Every claim states
  what has happened by the batch's as-of date: a date after it makes the claim
  ``invalid`` (:mod:`calculators.coerce`). No money moves.
- **Notice**: a batch cannot be approved until its notice period (公示, in working days)
  has passed after publication. Each program's document sets the shortest notice (its
  parameter ``notice_working_days``: 5 for Dalian, 大人社发〔2022〕187号 三(四)3(2); 0 where
  the document requires none); a batch takes it unless it sets more, never less.
- **Approve** (maker–checker: never the submitter) posts one accrual (计提应付补贴) per
  eligible claim in one transaction with the batch's approval event; the ledger refuses
  an overdraft of the fund for the whole batch, and each accrual's key
  ``accrual:PROGRAM:CLAIM_ID`` makes a claim_id payable once under its program. A second
  or concurrent approval finds the batch decided and posts nothing.

The steps are dated in order: the notice on or after the batch's as-of date (which is on
or after every claim's dates), the approval after the notice period (or, with no notice,
on or after the as-of date), a rejection on or after the as-of date and the notice. A step
dated out of order is refused and records nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Row, func, select

from calculators.duplicate_reasons import duplicate_prefix, fill
from calculators.duplicates import find_duplicates, screening_columns
from calculators.evaluate import evaluate
from calculators.parameters import ParameterValue, Program
from calculators.registry import calculator
from ledgers import Ledger, LedgerError, OverdraftError, Transaction, schemes
from ledgers import keys as ledger_keys
from ledgers.model import DraftBatch
from subsidies.claimfile import read_claims
from subsidies.domain.i18n import N_, _, pgettext, separator
from subsidies.domain.money import format_yuan_grouped
from subsidies.domain.progress import SILENT, Progress, counted
from subsidies.domain.workdays import notice_ends
from subsidies.workflow import brands_store
from subsidies.workflow.base import Officer, WorkflowError, audit, fetch_tuples, now
from subsidies.workflow.jsonrows import json_objects
from subsidies.workflow.officers import second_officer
from subsidies.workflow.people import people_rows
from subsidies.workflow.permissions import require
from subsidies.workflow.tables import batch_events, batch_totals, batches, claim_people, decisions

NOTICE_PARAMETER = "notice_working_days"
PROGRESS_CHUNK = 20_000  # claims decided between two progress reports
PENDING = N_("awaiting approval")  # what a claim of a batch not yet approved is called in reasons


@dataclass(frozen=True)
class Batch:
    id: int
    code: str
    program_id: str
    fund_code: str
    source_file: str
    as_of: dt.date
    notice_days: int
    submitted_by: str
    submitted_at: dt.datetime
    events: tuple[dict, ...] = ()

    @property
    def state(self) -> str:
        kinds = [e["kind"] for e in self.events]
        for decisive in ("approved", "rejected"):
            if decisive in kinds:
                return decisive
        return "noticed" if "notice_published" in kinds else "submitted"

    def event(self, kind: str) -> dict | None:
        """The latest event of ``kind`` (a re-published notice supersedes the earlier one)."""
        return next((e for e in reversed(self.events) if e["kind"] == kind), None)


def prior_claims(
    conn: Connection, program_id: str, *, pending: bool = False, excluding: int | None = None
) -> pd.DataFrame:
    """Eligible claims of the program's approved batches (or, with ``pending``, of its batches
    neither approved nor rejected), with their screening keys.

    Only an approved claim takes a key (docs/policies/README.md); a rejected batch takes none.
    """
    approved = select(batch_events.c.batch_id).where(batch_events.c.kind == "approved")
    query = (
        select(
            decisions.c.claim_id,
            decisions.c.row_no,
            decisions.c.keys_json,
            batches.c.code,
        )
        .join(batches, batches.c.id == decisions.c.batch_id)
        .where(batches.c.program_id == program_id, decisions.c.status == "eligible")
    )
    if pending:
        decided = select(batch_events.c.batch_id).where(
            batch_events.c.kind.in_(("approved", "rejected"))
        )
        query = query.where(batches.c.id.not_in(decided))
    else:
        query = query.where(batches.c.id.in_(approved))
    if excluding is not None:
        query = query.where(batches.c.id != excluding)
    rows = fetch_tuples(conn, query)
    calc = calculator(program_id)
    columns = screening_columns(calc)
    # every row's keys as one JSON array, parsed once (not a parse a row)
    claim_ids = [r[0] for r in rows]
    keys = pd.DataFrame(json.loads(f"[{','.join([r[2] for r in rows])}]"), columns=columns)
    keys["claim_id"] = claim_ids
    numbers = np.asarray([r[1] for r in rows], dtype=np.int64).astype(str).astype(object)
    codes = np.asarray([r[3] for r in rows], dtype=object)
    source = _("batch {code} row {row} ({waiting})") if pending else _("batch {code} row {row}")
    keys["source"] = fill(source, code=codes, row=numbers, waiting=_(PENDING))
    if calc.overlap is not None:
        for column in (calc.overlap.start, calc.overlap.end):
            keys[column] = pd.to_datetime(keys[column]).astype("datetime64[s]")
    return keys


def _next_code(tx: Transaction, on: dt.date) -> str:
    """The next batch code; the count is read under a lock so two submissions never share one."""
    tx.serialise("subsidies:batch-code")
    count = tx.conn.scalar(select(func.count()).select_from(batches)) or 0
    return f"B{on:%Y%m%d}-{count + 1:05d}"


def submit(
    ledger: Ledger,
    program_id: str,
    path: Path,
    *,
    fund_code: str,
    by: Officer,
    as_of: dt.date | None = None,
    notice_days: int | None = None,
    sheet: str | None = None,
    progress: Progress = SILENT,
) -> tuple[Batch, pd.DataFrame]:
    """Decide and record a claims file (in a workbook, ``sheet`` when named) as a batch;
    returns the batch and its decisions (经办: ``batch.submit``).

    ``notice_days`` is the batch's 公示 in working days: the program's minimum when None.
    ``progress`` is told the claims decided so far, a chunk at a time.
    """
    require(by, "batch.submit", ledger=ledger, subject=f"{program_id} {path}")
    if notice_days is not None and notice_days < 0:
        raise WorkflowError("notice days cannot be negative")
    calc = calculator(program_id)
    if calc.program.kind != "payout":
        what = {
            "loan": "a guaranteed-loan ceiling (the bank lends; the fund pays nothing)",
            "assessment": "a recognition standard (no money)",
        }.get(calc.program.kind, calc.program.kind)
        raise WorkflowError(
            f"{program_id} is {what}, not a payout: decide it with `subsidies calc`"
        )
    on = as_of or dt.date.today()
    notice_days = _notice_days(calc.program, on, notice_days)
    claims = read_claims(path, calc.template, sheet)
    if fund_code not in {f.code for f in ledger.funds()}:
        raise WorkflowError(f"no fund {fund_code!r}: add it with `subsidies fund add`")
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    key_columns = [f"key_{c}" for c in screening_columns(calc)]
    with ledger.transaction() as tx:
        prior = prior_claims(tx.conn, program_id)
        result = evaluate(
            calc,
            claims.raw,
            as_of=on,
            numeric=claims.numeric,
            rows=claims.source_rows,
            prior=prior,
            screen=lambda typed: brands_store.refusals(tx.conn, calc, typed, on),
            **_chunks(progress),
        )
        pending = prior_claims(tx.conn, program_id, pending=True)
        _name_pending(calc, result, pending, claims.source_rows)
        code = _next_code(tx, on)
        batch_id = tx.insert(
            batches,
            code=code,
            program_id=program_id,
            fund_code=fund_code,
            source_file=str(path),
            source_sha256=digest,
            as_of=on,
            notice_days=notice_days,
            submitted_by=by.username,
            submitted_at=now(),
        )
        columns = {  # in the table's order, so insert_rows takes the rows as they are
            "batch_id": [batch_id] * len(result),
            "row_no": [int(n) for n in claims.source_rows],
            "claim_id": result["claim_id"].tolist(),
            "status": result["status"].tolist(),
            "amount_fen": result["amount_fen"].astype("int64").tolist(),
            "reasons": result["reasons"].tolist(),
            "citation": result["citation"].tolist(),
            "decided_on": result["decided_on"].tolist(),
            "duplicate_of": result["duplicate_of"].tolist(),
            "keys_json": json_objects(result[key_columns], [k[4:] for k in key_columns]),
            "input_json": json_objects(claims.raw),
        }
        tx.insert_rows(decisions, list(columns), list(zip(*columns.values(), strict=True)))
        tx.insert_rows(
            batch_totals, ["batch_id", "status", "claims", "amount_fen"], _totals(batch_id, result)
        )
        people = people_rows(batch_id, columns["claim_id"], claims.raw)
        tx.insert_rows(claim_people, ["code", "batch_id", "claim_id"], people)
        audit(
            tx,
            by,
            "batch.submit",
            code,
            f"{program_id} {len(result)} claims from {path} (sha256 {digest[:12]}) fund {fund_code}",
        )
    return get(ledger, code), result


def _totals(batch_id: int, result: pd.DataFrame) -> list[tuple[int, str, int, int]]:
    """(batch, status, claims, fen) of the batch's decisions: the 批次 list reads these."""
    by_status = result.groupby("status")["amount_fen"].agg(["count", "sum"])
    return [(batch_id, str(s), int(n), int(fen)) for s, (n, fen) in by_status.iterrows()]


def _chunks(progress: Progress) -> dict:
    """evaluate()'s chunk and progress arguments: decided whole when nobody watches, else a
    chunk at a time so that ``progress`` hears of each."""
    return {} if progress is SILENT else {"chunk": PROGRESS_CHUNK, "progress": progress}


def minimum_notice(program: Program, on: dt.date) -> ParameterValue:
    """The shortest 公示 the program's document allows, in working days, in force on ``on``
    (0 where the document requires none, which the value's note says)."""
    parameter = program.parameters.get(NOTICE_PARAMETER)
    if parameter is None:
        raise WorkflowError(
            f"{program.id} does not say how long its notice (公示) must be: its parameter file "
            f"needs `{NOTICE_PARAMETER}` (0, with a note, where its document requires none)"
        )
    return parameter.at(on) or parameter.values[0]  # before the document: its first value


def _notice_days(program: Program, on: dt.date, asked: int | None) -> int:
    """A batch's notice: the program's minimum, or more if asked; never less."""
    minimum = minimum_notice(program, on)
    if asked is None:
        return minimum.value
    if asked < minimum.value:
        raise WorkflowError(
            f"公示期不得少于 {minimum.value} 个工作日：{program.name_zh}依据 {minimum.citation}"
            f"「{minimum.quote}」，--notice-days {asked} 少于此数，批次未提交（公示期可以更长，"
            f"不能更短） / {program.id}: the notice lasts at least {minimum.value} working days "
            f"({minimum.citation}); --notice-days {asked} is shorter, so nothing was submitted"
        )
    return asked


def _name_pending(calc, result: pd.DataFrame, pending: pd.DataFrame, rows) -> None:
    """Name, in an eligible claim's reasons, a claim of another batch awaiting approval that
    holds the same one-time key (``rows``: the claims' rows in the file). Neither takes the
    key before it is approved; approval screens again, so only the batch approved first is
    paid."""
    if pending.empty:
        return
    columns = screening_columns(calc)
    keys = result[[f"key_{c}" for c in columns]].set_axis(columns, axis=1)
    keys["claim_id"] = result["claim_id"]
    # only rows sharing a claim_id, a key's first column or the person with a pending claim
    # can hold its key: the rest are not looked at (a file's own rows were settled already)
    near = keys["claim_id"].isin(pending["claim_id"])
    firsts = [key.columns[0] for key in calc.one_time_keys]
    for column in firsts + ([calc.overlap.person] if calc.overlap else []):
        near |= keys[column].isin(pending[column])
    eligible = near & (result["status"] == "eligible")
    if not eligible.any():
        return
    found = find_duplicates(calc, keys, eligible, pd.Series(rows, index=result.index), pending)
    held = found.to_numpy() != ""
    if held.any():
        note = _(
            "also claimed, not yet approved: {what}; approval screens again, so only one is paid"
        )
        notes = [note.format(what=text.removeprefix(duplicate_prefix())) for text in found[held]]
        result.loc[held, "reasons"] = (
            pd.Series(notes, index=found.index[held]) + separator() + (result.loc[held, "reasons"])
        )


def get(ledger: Ledger, code: str) -> Batch:
    with ledger.reading() as conn:
        return _load(conn, code)


def get_by_id(ledger: Ledger, batch_id: int) -> Batch:
    with ledger.reading() as conn:
        code = conn.scalar(select(batches.c.code).where(batches.c.id == batch_id))
        if code is None:
            raise WorkflowError(f"no batch with id {batch_id}")
        return _load(conn, code)


def _load(conn: Connection, code: str) -> Batch:
    row = conn.execute(select(batches).where(batches.c.code == code)).first()
    if row is None:
        raise WorkflowError(f"no batch {code!r}: `subsidies batch list` shows them")
    events = (
        conn.execute(
            select(batch_events)
            .where(batch_events.c.batch_id == row.id)
            .order_by(batch_events.c.id)
        )
        .mappings()
        .all()
    )
    return _batch(row, events)


def _batch(row: Row, events: Iterable[Mapping]) -> Batch:
    return Batch(
        row.id,
        row.code,
        row.program_id,
        row.fund_code,
        row.source_file,
        row.as_of,
        row.notice_days,
        row.submitted_by,
        row.submitted_at,
        tuple(dict(e) for e in events),
    )


def list_batches(ledger: Ledger) -> list[Batch]:
    """Every batch with its events, oldest first: two queries, however many batches."""
    with ledger.reading() as conn:
        rows = conn.execute(select(batches).order_by(batches.c.id)).all()
        events = conn.execute(select(batch_events).order_by(batch_events.c.id)).mappings().all()
    by_batch: dict[int, list] = {}
    for event in events:
        by_batch.setdefault(event["batch_id"], []).append(event)
    return [_batch(row, by_batch.get(row.id, ())) for row in rows]


def claim_totals(ledger: Ledger) -> dict[int, tuple[int, int]]:
    """batch id -> (claims, eligible fen), from the totals written with each batch's
    decisions (a few rows a batch, not the decisions themselves)."""
    totals: dict[int, list[int]] = {}
    with ledger.reading() as conn:
        for batch_id, status, claims, fen in conn.execute(select(batch_totals)):
            total = totals.setdefault(batch_id, [0, 0])
            total[0] += claims
            total[1] += fen if status == "eligible" else 0
    return {batch_id: (n, fen) for batch_id, (n, fen) in totals.items()}


def batch_decisions(ledger: Ledger, code: str) -> pd.DataFrame:
    with ledger.reading() as conn:
        batch = _load(conn, code)
        rows = (
            conn.execute(
                select(decisions)
                .where(decisions.c.batch_id == batch.id)
                .order_by(decisions.c.row_no)
            )
            .mappings()
            .all()
        )
    return pd.DataFrame([dict(r) for r in rows])


def publish_notice(
    ledger: Ledger,
    code: str,
    *,
    on: dt.date,
    by: Officer,
    then: Callable[[], None] | None = None,
) -> Batch:
    """Record that the batch's notice (公示) was published on ``on``; ``then`` runs last, in
    the same transaction (the notice file moved into place: if it fails, nothing is recorded).
    经办: ``batch.notice``.

    Printing it again on the same day changes nothing; publishing it on a later day restarts
    the notice period from that day, since that is the notice the public saw.
    """
    require(by, "batch.notice", ledger=ledger, subject=code)
    with ledger.transaction() as tx:
        batch = lock_batch(tx.conn, code)
        check_publication(batch, on)
        if not payable_count(tx.conn, batch):
            raise WorkflowError(nothing_to_notice(code))
        earlier = batch.event("notice_published")
        if earlier is None or on > earlier["on_date"]:
            again = (
                ""
                if earlier is None
                else f" again (first {earlier['on_date']}); the period restarts"
            )
            _event(tx, batch, "notice_published", on, by, f"{batch.notice_days} working days")
            audit(tx, by, "batch.notice", code, f"published {on}{again}")
        if then is not None:
            then()
    return get(ledger, code)


def payable_count(conn: Connection, batch: Batch) -> int:
    """The batch's claims decided eligible with an amount: the names its 公示 lists."""
    return conn.scalar(
        select(func.count())
        .select_from(decisions)
        .where(
            decisions.c.batch_id == batch.id,
            decisions.c.status == "eligible",
            decisions.c.amount_fen > 0,
        )
    )


def nothing_to_notice(code: str) -> str:
    return f"batch {code} has no eligible claim with an amount: a 公示 of no names is not published"


def check_publication(batch: Batch, on: dt.date) -> None:
    """Refuse a notice the batch cannot have: decided, none asked for, or dated out of order."""
    code = batch.code
    if batch.state in ("approved", "rejected"):
        raise WorkflowError(f"batch {code} is already {batch.state}")
    if batch.notice_days < 1:
        raise WorkflowError(
            f"batch {code} was submitted with --notice-days 0: it has no notice to publish"
        )
    earlier = batch.event("notice_published")
    if earlier is not None and on < earlier["on_date"]:
        raise WorkflowError(
            f"batch {code}: its notice was published on {earlier['on_date']}; "
            f"a notice published again cannot be dated earlier ({on})"
        )
    if on < batch.as_of:
        raise WorkflowError(
            f"batch {code}: a notice published {on} is dated before the batch's as-of date "
            f"{batch.as_of}, on which its claims were decided; publish it on or after {batch.as_of}"
        )


def lock_batch(conn: Connection, code: str) -> Batch:
    """Read the batch in a write transaction, which excludes every other writer (SQLite's
    ``BEGIN IMMEDIATE``, PostgreSQL's writers' lock), so its state holds until the commit;
    no row lock, which the product's database role may not take on an append-only table."""
    return _load(conn, code)


def _event(tx: Transaction, batch: Batch, kind: str, on: dt.date, by: Officer, detail: str) -> None:
    tx.insert(
        batch_events,
        batch_id=batch.id,
        kind=kind,
        on_date=on,
        by=by.username,
        at=now(),
        detail=detail,
    )


def approve(
    ledger: Ledger,
    code: str,
    *,
    by: Officer,
    on: dt.date | None = None,
    progress: Progress = SILENT,
) -> tuple[Batch, int]:
    """Approve and post the accruals, telling ``progress`` of each one posted; returns the
    batch and the number of entries posted (审核: ``batch.approve``, never the submitter)."""
    require(by, "batch.approve", ledger=ledger, subject=code)
    on = on or dt.date.today()
    calc = calculator(get(ledger, code).program_id)
    with ledger.transaction() as tx:
        batch = lock_batch(tx.conn, code)
        if batch.state == "approved":
            raise WorkflowError(
                f"batch {code} was already approved by {batch.event('approved')['by']}; nothing posted again"
            )
        if batch.state == "rejected":
            raise WorkflowError(
                f"batch {code} was rejected; submit the corrected claims as a new batch"
            )
        second_officer(batch.submitted_by, by, f"submitted batch {code}")
        _not_before_as_of(batch, "an approval", on)
        if batch.notice_days > 0:
            notice = batch.event("notice_published")
            if notice is None:
                raise WorkflowError(
                    f"batch {code} has no public notice yet: `subsidies batch notice {code}` first"
                )
            ends = notice_ends(notice["on_date"], batch.notice_days)
            if on <= ends:
                raise WorkflowError(
                    _(
                        "batch {code}: the notice published {published} runs {days} working "
                        "days to {ends}; approve from {first}"
                    ).format(
                        code=code,
                        published=notice["on_date"],
                        days=batch.notice_days,
                        ends=ends,
                        first=ends + dt.timedelta(days=1),
                    )
                )
        # Approvals of one program screen and post one at a time, so two batches sharing a
        # person cannot both pass the screen (lock order: batch, program, funds, chain head).
        tx.serialise(f"subsidies:approve:{batch.program_id}")
        eligible = _eligible(tx.conn, batch)
        _screen_against_approved(tx.conn, batch, calc, eligible)
        _screen_brands(tx.conn, batch, calc, eligible, on)
        paid = eligible[eligible["amount_fen"] > 0]
        claim_ids = paid["claim_id"].tolist()
        citations = paid["citation"].tolist()
        name = calc.program.name_zh
        drafts = schemes.payout_accruals(  # each draft built as it is posted
            batch.fund_code,
            batch.program_id,
            paid["amount_fen"].astype("int64").tolist(),
            keys=ledger_keys.accruals(batch.program_id, claim_ids),
            refs=(f"{code}/{claim_id}" for claim_id in claim_ids),
            memos=(
                f"{name} {claim_id} ({citation})"
                for claim_id, citation in zip(claim_ids, citations, strict=True)
            ),
            on=on,
            by=by.username,
        )
        tx.open_account(schemes.program_account(batch.program_id), name)
        total = int(eligible["amount_fen"].sum())
        try:
            posted = tx.post(posting(drafts, progress, _("posting the accruals")))
        except OverdraftError:
            available = tx.available(batch.fund_code)
            raise WorkflowError(
                f"batch {code} not approved: fund {batch.fund_code} can commit "
                f"{format_yuan_grouped(available)} 元 and the batch needs "
                f"{format_yuan_grouped(total)} 元 for {len(drafts)} claims, "
                f"{format_yuan_grouped(total - available)} 元 short; nothing was posted "
                "(appropriate more to the fund, or reject and resubmit fewer claims)"
            ) from None
        except LedgerError as error:
            raise WorkflowError(f"batch {code} not approved: {error}") from None
        detail = f"{len(posted)} accruals, {format_yuan_grouped(total)} 元"
        _event(tx, batch, "approved", on, by, detail)
        audit(tx, by, "batch.approve", code, detail)
    return get(ledger, code), len(posted)


def posting(drafts: DraftBatch, progress: Progress, label: str) -> DraftBatch:
    """``drafts`` told to ``progress`` as they are built, one by one as they are posted."""
    return replace(
        drafts,
        drafts=counted(
            progress, drafts.drafts, label, len(drafts), pgettext("unit", "entries"), 1_000
        ),
    )


def _eligible_rows(batch: Batch, *columns):
    """``columns`` of the batch's eligible decisions, in row order."""
    return (
        select(*columns)
        .where(decisions.c.batch_id == batch.id, decisions.c.status == "eligible")
        .order_by(decisions.c.row_no)
    )


def _eligible(conn: Connection, batch: Batch) -> pd.DataFrame:
    """The batch's eligible claims in row order: what approval posts."""
    names = ["claim_id", "row_no", "amount_fen", "citation"]
    rows = fetch_tuples(conn, _eligible_rows(batch, *(decisions.c[n] for n in names)))
    return pd.DataFrame.from_records(rows, columns=names)


def _eligible_json(conn: Connection, batch: Batch, column) -> pd.DataFrame:
    """One JSON column of the eligible claims (in the order of ``_eligible``), read as a frame:
    every row's object as one JSON array, parsed once (not a parse a row)."""
    values = conn.execute(_eligible_rows(batch, column)).scalars().all()
    return pd.DataFrame(json.loads(f"[{','.join(values)}]"))


def _screen_against_approved(conn: Connection, batch: Batch, calc, eligible: pd.DataFrame) -> None:
    """Refuse approval if an eligible claim's one-time key was approved in another batch since."""
    if eligible.empty or not screening_columns(calc):
        return
    approved = prior_claims(conn, batch.program_id, excluding=batch.id)
    if approved.empty:
        return
    claims = _eligible_json(conn, batch, decisions.c.keys_json)
    claims["claim_id"] = eligible["claim_id"].to_numpy()
    if calc.overlap is not None:
        for column in (calc.overlap.start, calc.overlap.end):
            claims[column] = pd.to_datetime(claims[column]).astype("datetime64[s]")
    found = find_duplicates(
        calc, claims, pd.Series(True, index=claims.index), eligible["row_no"], approved
    )
    clashes = found[found != ""]
    if len(clashes):
        listed = "; ".join(f"{claims.at[i, 'claim_id']}: {found[i]}" for i in clashes.index[:5])
        raise WorkflowError(
            f"batch {batch.code} not approved: {len(clashes)} claims were approved in another batch "
            f"since it was submitted ({listed}); reject it and resubmit the rest"
        )


def _screen_brands(
    conn: Connection, batch: Batch, calc, eligible: pd.DataFrame, on: dt.date
) -> None:
    """Refuse approval if a claim's brand was suspended or removed since submission."""
    if calc.brand_unit is None or eligible.empty:
        return
    inputs = _eligible_json(conn, batch, decisions.c.input_json)
    if calc.brand_unit in inputs:
        inputs[calc.brand_unit] = inputs[calc.brand_unit].str.strip().str.upper()
    refused = brands_store.refusals(conn, calc, inputs, on)
    refused = refused[refused != ""]
    if len(refused):
        listed = "; ".join(
            f"{eligible['claim_id'].iat[i]}: {refused[i]}" for i in refused.index[:5]
        )
        raise WorkflowError(
            f"batch {batch.code} not approved: {len(refused)} claims are for a brand that may not "
            f"be paid on {on} ({listed}); reject the batch and resubmit the rest"
        )


def _not_before_as_of(batch: Batch, step: str, on: dt.date) -> None:
    if on < batch.as_of:
        raise WorkflowError(
            f"batch {batch.code}: {step} dated {on} is before the batch's as-of date "
            f"{batch.as_of}, on which its claims were decided"
        )


def reject(
    ledger: Ledger, code: str, *, by: Officer, reason: str, on: dt.date | None = None
) -> Batch:
    """Reject the batch on ``on`` (on or after its as-of date and its notice); 审核:
    ``batch.reject``."""
    require(by, "batch.reject", ledger=ledger, subject=code)
    if not reason.strip():
        raise WorkflowError("a rejection needs --reason")
    on = on or dt.date.today()
    with ledger.transaction() as tx:
        batch = lock_batch(tx.conn, code)
        if batch.state in ("approved", "rejected"):
            raise WorkflowError(f"batch {code} is already {batch.state}")
        _not_before_as_of(batch, "a rejection", on)
        notice = batch.event("notice_published")
        if notice is not None and on < notice["on_date"]:
            raise WorkflowError(
                f"batch {code}: a rejection dated {on} is before its notice, published "
                f"{notice['on_date']}"
            )
        _event(tx, batch, "rejected", on, by, reason)
        audit(tx, by, "batch.reject", code, reason)
    return get(ledger, code)
