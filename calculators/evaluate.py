"""The one path every claim takes, for a batch of one or a million.

Per row (:func:`decide`, which can run chunk by chunk):
1. every column read into its type (:mod:`calculators.coerce`); a bad value is ``invalid``;
2. the claim's date covered by the program's document, else ``ineligible``;
3. the rule (:meth:`Calculator.assess`): every check with its actual values.

Over the whole file (:func:`settle`):
4. ``claim_id`` unique in the file (a repeat makes the later row ``invalid``);
5. one-time keys (:mod:`calculators.duplicates`): a second eligible claim is ``duplicate``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from calculators.base import Calculator, answer
from calculators.coerce import coerce
from calculators.distinct import SAMPLE, by_distinct, filled
from calculators.duplicates import find_duplicates, screening_columns
from subsidies.domain.i18n import _, fill, pgettext, separator
from subsidies.domain.money import format_yuan_each
from subsidies.domain.progress import SILENT, Progress

STATUSES = ("eligible", "ineligible", "invalid", "duplicate")
RESULT_COLUMNS = ["claim_id", "status", "amount", "reasons", "citation"]


def status_labels() -> dict[str, str]:
    """Each status as the officer reads it: 符合 / 不符合 / 数据有误 / 重复 (the ``status``
    codes themselves stay as they are, for scripts)."""
    return {
        "eligible": pgettext("status", "eligible"),
        "ineligible": pgettext("status", "ineligible"),
        "invalid": pgettext("status", "invalid"),
        "duplicate": pgettext("status", "duplicate"),
    }


@dataclass
class Decided:
    """Decisions for some rows, with the typed claims the whole-file pass needs."""

    claims: pd.DataFrame
    result: pd.DataFrame


def decide(
    calculator: Calculator,
    raw: pd.DataFrame,
    *,
    as_of: dt.date,
    numeric: pd.DataFrame | None = None,
) -> Decided:
    """Steps 1–3 for the rows of ``raw`` (cell text under the template's column names)."""
    program = calculator.program
    index = raw.index
    claims, problems = coerce(calculator.template, raw, today=as_of, numeric=numeric)
    calculator.row_errors(claims, problems, as_of)
    invalid = problems.any.to_numpy()

    if program.event_date:
        decided_on = claims[program.event_date].to_numpy(dtype="datetime64[D]")
    else:
        decided_on = np.full(len(index), np.datetime64(as_of, "D"))
    doc = program.document
    before = ~invalid & (decided_on < np.datetime64(program.in_force_from, "D"))
    after = ~invalid & (decided_on > np.datetime64(doc.until, "D")) if doc.until else before & False

    status = filled(len(index), "ineligible")
    amount = np.zeros(len(index), dtype=np.int64)
    reasons = filled(len(index), "")
    citation = filled(len(index), program.citation)

    status[invalid] = "invalid"
    reasons[invalid] = problems.joined().to_numpy()[invalid]
    event = _event_named(calculator)
    shown = by_distinct(_iso_dates, decided_on).astype(object)
    if before.any():
        reasons[before] = answer(
            fill(
                _("{event} {day} is on or after {document} took effect on {effective}"),
                event=event,
                day=shown[before],
                document=doc.number,
                effective=doc.effective_from,
            ),
            False,
        )
    if doc.until and after.any():
        reasons[after] = answer(
            fill(
                _("{event} {day} is within {document} (ceased {until})"),
                event=event,
                day=shown[after],
                document=doc.number,
                until=doc.until,
            ),
            False,
        )

    assessable = ~invalid & ~before & ~after
    if assessable.any():
        outcome = calculator.assess(claims[assessable], program.bind(decided_on[assessable]))
        passed = outcome.checks.passed
        status[np.flatnonzero(assessable)[passed]] = "eligible"  # one str shared by the rows
        amount[assessable] = np.where(passed, np.asarray(outcome.amount_fen, dtype=np.int64), 0)
        reasons[assessable] = outcome.checks.reasons()
        citation[assessable] = outcome.citation

    result = pd.DataFrame(
        {
            "claim_id": claims["claim_id"].to_numpy(dtype=object),
            "status": status,
            "amount_fen": amount,
            "reasons": reasons,
            "citation": citation,
            "decided_on": shown,
        },
        index=index,
    )
    return Decided(claims, result)


def _event_named(calculator: Calculator) -> str:
    """The date a claim is decided on, as a reason names it: its own date column, or the
    as-of date."""
    event = calculator.program.event_date
    if event is None:
        return _("as-of date")
    label = calculator.template.column(event).label
    return pgettext("column", "{name} {label}").format(name=event, label=label)


def settle(
    calculator: Calculator,
    parts: Iterable[Decided],
    *,
    rows: np.ndarray | None = None,
    prior: pd.DataFrame | None = None,
    screen: Callable[[pd.DataFrame], pd.Series] | None = None,
) -> pd.DataFrame:
    """Steps 4–5 over the whole file; returns the final results in input order.

    ``screen`` (the workflow's checks against its registers, e.g. a suspended brand) maps
    the typed claims to a refusal per row ("" where none); a refused eligible claim is
    ``ineligible`` before the one-time keys are taken.

    ``prior`` holds earlier eligible claims (the ledger's) with the key columns,
    ``claim_id`` and ``source``; a key or claim_id seen there is a duplicate too.
    ``rows`` are the rows' numbers in the file, for messages (default 1, 2, …).
    """
    parts = list(parts)
    claims = pd.concat([p.claims for p in parts]) if len(parts) > 1 else parts[0].claims
    result = pd.concat([p.result for p in parts]) if len(parts) > 1 else parts[0].result.copy()
    index = result.index
    row_numbers = pd.Series(np.arange(1, len(index) + 1) if rows is None else rows, index=index)

    claim_ids = result["claim_id"]
    repeated = _repeated(claim_ids)
    if repeated.any():
        first_row = row_numbers.groupby(claim_ids.to_numpy()).transform("first")
        message = fill(
            _("claim_id 申请编号 '{claim}' repeats row {row}"),
            claim=claim_ids.to_numpy(dtype=object)[repeated],
            row=first_row.astype(str).to_numpy(dtype=object)[repeated],
        )
        was_invalid = (result["status"] == "invalid").to_numpy()[repeated]
        old = result["reasons"].to_numpy()[repeated]
        result.loc[repeated, "reasons"] = np.where(
            was_invalid, message + separator() + old, message
        )
        result.loc[repeated, ["status", "amount_fen"]] = ["invalid", 0]

    if screen is not None:
        refusals = screen(claims).reindex(index, fill_value="")
        refused = (refusals != "") & (result["status"] == "eligible")
        if refused.any():
            refusal = answer(refusals[refused].to_numpy(dtype=object), False)
            result.loc[refused, "reasons"] = refusal + separator() + result.loc[refused, "reasons"]
            result.loc[refused, ["status", "amount_fen"]] = ["ineligible", 0]

    eligible = pd.Series(result["status"].to_numpy(dtype=object) == "eligible", index=index)
    duplicate_of = find_duplicates(calculator, claims, eligible, row_numbers, prior)
    is_duplicate = duplicate_of.to_numpy() != ""
    if is_duplicate.any():
        old = result["reasons"].to_numpy()[is_duplicate]
        result.loc[is_duplicate, "reasons"] = duplicate_of[is_duplicate] + separator() + old
        result.loc[is_duplicate, ["status", "amount_fen"]] = ["duplicate", 0]
    result["duplicate_of"] = duplicate_of
    result["amount"] = yuan_text(result["amount_fen"])
    for column in screening_columns(calculator):  # what a later batch is screened against
        result[f"key_{column}"] = claims[column].to_numpy()
    return result


def _repeated(claim_ids: pd.Series) -> np.ndarray:
    """Rows whose claim_id (not blank) is on an earlier row. Ids in increasing order (as a
    file numbers its claims) all differ, which one comparison of neighbours shows without
    hashing every id."""
    if _increasing(claim_ids.to_numpy(dtype=object)):
        return np.zeros(len(claim_ids), dtype=bool)
    return (claim_ids.duplicated(keep="first") & (claim_ids != "")).to_numpy()


def _increasing(values: np.ndarray) -> bool:
    """Whether each value is greater than the one before (looked at first for the first
    SAMPLE values); False for values that do not compare (text and a number)."""
    try:
        head = values[:SAMPLE]
        if not (head[1:] > head[:-1]).all():
            return False
        return bool((values[1:] > values[:-1]).all())
    except TypeError:
        return False


def _settled_columns(calculator: Calculator, part: Decided) -> Decided:
    """``part`` with the typed columns the whole-file pass reads without a screen (``claim_id``
    and the screening columns): the rest need not be kept while other parts are decided."""
    columns = list(dict.fromkeys(["claim_id", *screening_columns(calculator)]))
    return Decided(part.claims[columns], part.result)


def evaluate(
    calculator: Calculator,
    raw: pd.DataFrame,
    *,
    as_of: dt.date,
    numeric: pd.DataFrame | None = None,
    prior: pd.DataFrame | None = None,
    rows: np.ndarray | None = None,
    chunk: int | None = None,
    progress: Progress = SILENT,
    screen: Callable[[pd.DataFrame], pd.Series] | None = None,
) -> pd.DataFrame:
    """All five steps; ``chunk`` decides that many rows at a time, telling ``progress`` of
    each, then the whole file's checks as a stage of their own."""
    size = chunk or max(len(raw), 1)
    parts = []
    progress.stage(_("deciding the claims"), len(raw), pgettext("unit", "claims"))
    for start in range(0, len(raw), size):
        piece = raw.iloc[start : start + size]
        numbers = numeric.iloc[start : start + size] if numeric is not None else None
        part = decide(calculator, piece, as_of=as_of, numeric=numbers)
        parts.append(part if screen is not None else _settled_columns(calculator, part))
        progress.advance(len(piece))
    if not parts:
        parts = [decide(calculator, raw, as_of=as_of, numeric=numeric)]
    progress.stage(_("checking repeated claims across the file"))
    return settle(calculator, parts, rows=rows, prior=prior, screen=screen)


def yuan_text(fen: pd.Series) -> pd.Series:
    """Fen -> "1000.00", for a whole column at once (each amount shown once)."""
    return pd.Series(format_yuan_each(fen.to_numpy()), index=fen.index, name=fen.name)


def _iso_dates(days: pd.Index) -> pd.Series:
    """Days as YYYY-MM-DD, "" for none."""
    return pd.Series(days).dt.strftime("%Y-%m-%d").fillna("")


def summarise(result: pd.DataFrame) -> pd.DataFrame:
    """Count and total (fen) by status, every status listed."""
    grouped = result.groupby("status")["amount_fen"].agg(["count", "sum"])
    return grouped.reindex(list(STATUSES), fill_value=0).astype(np.int64)
