"""Reconciliation: bank and treasury lines against the payments sent, in order —

1. by payment reference;
2. one line paying a whole batch, against the sum of its pending payments;
3. by account and amount within a date window, for lines without a usable reference.

A match settles the pending payment (or, for a returned line, posts 退回 and frees the
claim for reissue). Nothing is settled by guesswork: every line that cannot be matched
cleanly is an exception with its reason — amount differs, paid twice, bank line with no
payment, payee name differs, ambiguous, conflicting with the payment's state — and so is
a payment with no bank line after ``stale_days``. An officer settles an exception with
:func:`resolve`, which the audit log records.

Matching is vectorised (pandas merges over all open lines and payments), and what it
decides is written in one transaction with bulk statements.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Connection, and_, func, insert, select

from ledgers import Kind, Ledger, schemes
from ledgers.db import reading, writing
from ledgers.schema import entries, postings
from ledgers.writer import post_batch
from subsidies.workflow.base import WorkflowError, audit, now
from subsidies.workflow.statements import Layout, normalise_account, read_statement
from subsidies.workflow.tables import (
    batches,
    line_matches,
    payment_events,
    payments,
    statement_lines,
)

EXCEPTION_TYPES = {
    "amount_differs": "金额不符 amount differs",
    "paid_twice": "重复支付 paid twice",
    "no_payment": "银行有记录、账面无支付 bank line with no payment",
    "stale": "账面已付、银行无记录 payment with no bank line",
    "name_differs": "收款人名称不符 payee name differs",
    "ambiguous": "无法唯一匹配 ambiguous match",
    "state_conflict": "与支付状态矛盾 conflicts with the payment's state",
}

HASH_LOOKUP_CHUNK = 10_000  # line hashes per `IN (…)`: PostgreSQL takes 65,535 binds at most


@dataclass
class Outcome:
    settle: pd.DataFrame  # line_id, payment_id, rule, amount_fen (the payment's)
    returned: pd.DataFrame  # line_id, payment_id, rule, amount_fen (the payment's)
    exceptions: pd.DataFrame  # type, line_id, payment_id (both Int64, <NA> if none), detail
    imported: int = 0
    already: int = 0
    posted: dict = field(default_factory=dict)


# ------------------------------------------------------------------ loading


def _payments(conn: Connection) -> pd.DataFrame:
    decided = (
        select(payment_events.c.payment_id, payment_events.c.kind)
        .where(payment_events.c.kind.in_(("settled", "returned")))
        .subquery()
    )
    query = (
        select(
            payments.c.id.label("payment_id"),
            payments.c.reference,
            payments.c.claim_id,
            payments.c.program_id,
            payments.c.fund_code,
            payments.c.payee_name,
            payments.c.account,
            payments.c.amount_fen,
            batches.c.code.label("batch"),
            entries.c.entry_date.label("paid_on"),
            decided.c.kind.label("decided"),
        )
        .join(batches, batches.c.id == payments.c.batch_id)
        .join(entries, entries.c.id == payments.c.entry_id)
        .outerjoin(decided, decided.c.payment_id == payments.c.id)
    )
    frame = pd.DataFrame(
        conn.execute(query).all(),
        columns=[
            "payment_id",
            "reference",
            "claim_id",
            "program_id",
            "fund_code",
            "payee_name",
            "account",
            "amount_fen",
            "batch",
            "paid_on",
            "decided",
        ],
    )
    frame["account"] = normalise_account(frame["account"])
    frame["state"] = frame["decided"].fillna("pending")
    frame["paid_on"] = pd.to_datetime(frame["paid_on"])
    return frame.drop(columns=["decided"])


def _lines(conn: Connection, *, open_only: bool) -> pd.DataFrame:
    query = select(statement_lines)
    if open_only:
        query = query.where(statement_lines.c.id.not_in(select(line_matches.c.line_id)))
    frame = pd.DataFrame(conn.execute(query).mappings().all())
    if frame.empty:
        frame = pd.DataFrame(columns=[c.name for c in statement_lines.columns])
    frame = frame.rename(columns={"id": "line_id"})
    frame["value_date"] = pd.to_datetime(frame["value_date"])
    return frame


def _same_name(a: pd.Series, b: pd.Series) -> np.ndarray:
    clean = lambda s: s.fillna("").str.replace(r"\s", "", regex=True)  # noqa: E731
    a, b = clean(a), clean(b)
    return ((a == b) | (a == "") | (b == "")).to_numpy()


# ------------------------------------------------------------------ matching


def plan(
    lines: pd.DataFrame, pays: pd.DataFrame, *, window_days: int, as_of: dt.date, stale_days: int
) -> Outcome:
    """Decide every open line and pending payment (pure: nothing is written)."""
    exceptions: list[pd.DataFrame] = []
    settle: list[pd.DataFrame] = []
    returned: list[pd.DataFrame] = []

    def exception(kind: str, frame: pd.DataFrame, detail) -> None:
        """Record ``frame``'s rows as exceptions; ``detail`` may cover more rows than ``frame``."""
        if len(frame):
            text = detail if isinstance(detail, str) else detail.loc[frame.index].to_numpy()
            exceptions.append(
                pd.DataFrame(
                    {
                        "type": kind,
                        "line_id": frame["line_id"].to_numpy() if "line_id" in frame else None,
                        "payment_id": frame["payment_id"].to_numpy()
                        if "payment_id" in frame
                        else None,
                        "detail": text,
                    }
                )
            )

    # 1. by payment reference
    by_ref = lines.merge(pays, on="reference", suffixes=("", "_p"))
    used_lines = set(by_ref["line_id"])
    by_ref = by_ref.sort_values(["payment_id", "value_date", "serial"])
    success = by_ref["status"] == "success"
    pending = by_ref["state"] == "pending"
    first = by_ref.groupby(["payment_id", "status"]).cumcount() == 0
    both = by_ref.groupby("payment_id")["status"].transform("nunique") > 1
    amount_ok = by_ref["amount_fen"] == by_ref["amount_fen_p"]
    name_ok = _same_name(by_ref["payee_name"], by_ref["payee_name_p"])
    conflict = (success & (by_ref["state"] == "returned")) | (
        ~success & (by_ref["state"] != "pending")
    )
    twice = success & ((by_ref["state"] == "settled") | (pending & ~first))
    ambiguous = pending & both & ~twice
    returned_again = pending & ~success & ~both & ~first
    undecided = pending & ~twice & ~ambiguous & ~returned_again
    differs = undecided & ~amount_ok
    renamed = undecided & amount_ok & ~name_ok
    clean = undecided & amount_ok & name_ok
    exception(
        "state_conflict",
        by_ref[conflict & ~twice],
        "line "
        + by_ref["status"]
        + " but payment "
        + by_ref["reference"]
        + " is already "
        + by_ref["state"],
    )
    exception(
        "state_conflict",
        by_ref[returned_again],
        "a second returned line for payment " + by_ref["reference"],
    )
    exception(
        "paid_twice",
        by_ref[twice],
        "a second success line for payment "
        + by_ref["reference"]
        + " (claim "
        + by_ref["claim_id"]
        + ")",
    )
    exception(
        "ambiguous",
        by_ref[ambiguous],
        "payment " + by_ref["reference"] + " has both success and returned lines",
    )
    exception(
        "amount_differs",
        by_ref[differs],
        "bank "
        + _yuan(by_ref["amount_fen"])
        + " vs payment "
        + by_ref["reference"]
        + " "
        + _yuan(by_ref["amount_fen_p"]),
    )
    exception(
        "name_differs",
        by_ref[renamed],
        "bank payee "
        + by_ref["payee_name"]
        + " vs "
        + by_ref["payee_name_p"]
        + " on payment "
        + by_ref["reference"],
    )
    settle.append(by_ref[clean & success][["line_id", "payment_id"]].assign(rule="reference"))
    returned.append(by_ref[clean & ~success][["line_id", "payment_id"]].assign(rule="reference"))
    taken = set(by_ref.loc[clean, "payment_id"])

    # 2. one line for a whole batch: the first exact line settles it, another pays it twice
    rest = lines[~lines["line_id"].isin(used_lines) & (lines["status"] == "success")]
    open_pays = pays[(pays["state"] == "pending") & ~pays["payment_id"].isin(taken)]
    sums = open_pays.groupby("batch")["amount_fen"].agg(["sum", "count"]).reset_index()
    by_batch = rest.merge(sums, left_on="reference", right_on="batch").sort_values(
        ["value_date", "serial"]
    )
    exact = by_batch["amount_fen"] == by_batch["sum"]
    again = exact & (by_batch.groupby(["batch", exact]).cumcount() > 0)
    exception(
        "amount_differs",
        by_batch[~exact],
        "bank "
        + _yuan(by_batch["amount_fen"])
        + " vs batch "
        + by_batch["batch"]
        + " pending "
        + _yuan(by_batch["sum"])
        + " ("
        + by_batch["count"].astype(str)
        + " payments)",
    )
    sent = pays[pays["state"] != "returned"].groupby("batch")["amount_fen"].agg(["sum", "count"])
    done = rest[~rest["reference"].isin(sums["batch"])].merge(
        sent.reset_index(), left_on="reference", right_on="batch"
    )
    twice_b = pd.concat([by_batch[again], done[done["amount_fen"] == done["sum"]]])
    exception(
        "paid_twice",
        twice_b,
        "a second line for batch "
        + twice_b["batch"]
        + ": its "
        + twice_b["count"].astype(str)
        + " payments ("
        + _yuan(twice_b["sum"])
        + ") are settled already",
    )
    whole = by_batch[exact & ~again][["line_id", "batch"]].merge(
        open_pays[["payment_id", "batch"]], on="batch"
    )
    settle.append(whole[["line_id", "payment_id"]].assign(rule="batch"))
    disputed = set(
        open_pays.loc[open_pays["batch"].isin(by_batch.loc[~exact, "batch"]), "payment_id"]
    )
    used_lines |= set(by_batch["line_id"]) | set(twice_b["line_id"])
    taken |= set(whole["payment_id"])

    # 3. account and amount within the window
    rest = lines[~lines["line_id"].isin(used_lines) & (lines["account"] != "")]
    open_pays = pays[(pays["state"] == "pending") & ~pays["payment_id"].isin(taken)]
    pairs = rest.merge(open_pays, on=["account", "amount_fen"], suffixes=("", "_p"))
    days = (pairs["value_date"] - pairs["paid_on"]).dt.days
    pairs = pairs[(days >= 0) & (days <= window_days)]
    per_line = pairs.groupby("line_id")["payment_id"].transform("count")
    per_payment = pairs.groupby("payment_id")["line_id"].transform("count")
    unique = (per_line == 1) & (per_payment == 1)
    ok_name = _same_name(pairs["payee_name"], pairs["payee_name_p"])
    found = pairs[unique & ok_name]
    settle.append(
        found[found["status"] == "success"][["line_id", "payment_id"]].assign(rule="account_amount")
    )
    returned.append(
        found[found["status"] != "success"][["line_id", "payment_id"]].assign(rule="account_amount")
    )
    exception(
        "name_differs",
        pairs[unique & ~ok_name],
        "bank payee "
        + pairs["payee_name"]
        + " vs "
        + pairs["payee_name_p"]
        + " on payment "
        + pairs["reference_p"]
        + " (matched by account and amount)",
    )
    several = (
        pairs[~unique]
        .groupby("line_id")["reference_p"]
        .agg(
            lambda r: (
                "account and amount fit several payments: " + ", ".join(sorted(r))
                if len(r) > 1
                else f"account and amount fit payment {r.iloc[0]}, and so does another line"
            )
        )
    )
    amb = pd.DataFrame({"line_id": several.index})
    exception("ambiguous", amb, several.reset_index(drop=True))
    used_lines |= set(pairs["line_id"])
    taken |= set(found["payment_id"])
    disputed |= set(pairs.loc[~unique, "payment_id"])

    # 4. lines nobody can explain
    unknown = lines[~lines["line_id"].isin(used_lines) & (lines["status"] == "success")]
    exception(
        "no_payment",
        unknown,
        "no payment has reference "
        + unknown["reference"].where(unknown["reference"] != "", "(none)")
        + ", and none fits account "
        + unknown["account"]
        + " and amount "
        + _yuan(unknown["amount_fen"]),
    )
    unknown_returns = lines[~lines["line_id"].isin(used_lines) & (lines["status"] != "success")]
    exception(
        "no_payment",
        unknown_returns,
        "a returned line with no payment: " + unknown_returns["reference"],
    )

    # 5. payments the bank has not shown after stale_days
    limit = pd.Timestamp(as_of) - pd.Timedelta(days=stale_days)
    disputed |= {p for e in exceptions for p in e["payment_id"].dropna()}  # a line fits it
    waiting = pays[
        (pays["state"] == "pending")
        & ~pays["payment_id"].isin(taken | disputed)
        & (pays["paid_on"] <= limit)
    ]
    exception(
        "stale",
        waiting,
        "payment "
        + waiting["reference"]
        + " of "
        + waiting["paid_on"].dt.strftime("%Y-%m-%d")
        + " ("
        + _yuan(waiting["amount_fen"])
        + ") has no bank line after "
        + str(stale_days)
        + " days",
    )

    fen = pays.set_index("payment_id")["amount_fen"]

    def matched(frames: list[pd.DataFrame]) -> pd.DataFrame:
        frame = pd.concat(frames, ignore_index=True)
        return frame.assign(amount_fen=frame["payment_id"].map(fen).astype(np.int64))

    found_ex = (
        pd.concat(exceptions, ignore_index=True)
        if exceptions
        else pd.DataFrame(columns=["type", "line_id", "payment_id", "detail"])
    )
    return Outcome(
        settle=matched(settle),
        returned=matched(returned),
        exceptions=found_ex.astype({"line_id": "Int64", "payment_id": "Int64"}),
    )


def _yuan(fen: pd.Series) -> pd.Series:
    fen = fen.astype(np.int64)
    return (fen // 100).map("{:,}".format).astype(str) + "." + (fen % 100).astype(str).str.zfill(2)


# ------------------------------------------------------------------ writing


def reconcile(
    ledger: Ledger,
    path: Path,
    layout: Layout,
    *,
    by: str,
    window_days: int = 7,
    stale_days: int = 30,
    as_of: dt.date | None = None,
) -> Outcome:
    """Import a statement (new lines only) and match every open line, in one transaction."""
    lines = read_statement(path, layout)
    with writing(ledger.engine) as conn:
        hashes = lines["line_hash"].tolist()
        known = {
            known_hash
            for start in range(0, len(hashes), HASH_LOOKUP_CHUNK)
            for known_hash in conn.scalars(
                select(statement_lines.c.line_hash).where(
                    statement_lines.c.line_hash.in_(hashes[start : start + HASH_LOOKUP_CHUNK])
                )
            )
        }
        new = lines[~lines["line_hash"].isin(known)]
        if len(new):
            stamp = now()
            conn.execute(
                insert(statement_lines),
                [
                    dict(
                        r,
                        source_file=str(path),
                        layout=layout.name,
                        imported_by=by,
                        imported_at=stamp,
                    )
                    for r in new.to_dict("records")
                ],
            )
        open_lines = _lines(conn, open_only=True)
        pays = _payments(conn)
        latest = conn.scalar(select(func.max(statement_lines.c.value_date)))
        on = as_of or latest or dt.date.today()
        outcome = plan(open_lines, pays, window_days=window_days, as_of=on, stale_days=stale_days)
        outcome.imported, outcome.already = len(new), len(lines) - len(new)
        _apply(conn, outcome, pays, open_lines, by=by)
        audit(
            conn,
            by,
            "reconcile",
            str(path),
            f"{len(new)} new lines ({len(lines) - len(new)} already imported); "
            f"{len(outcome.settle)} settled, {len(outcome.returned)} returned, "
            f"{len(outcome.exceptions)} exceptions",
        )
    return outcome


def _apply(
    conn: Connection, outcome: Outcome, pays: pd.DataFrame, lines: pd.DataFrame, *, by: str
) -> None:
    stamp = now()
    dates = lines.set_index("line_id")["value_date"]
    serials = lines.set_index("line_id")["serial"]
    pay = pays.set_index("payment_id")
    events, matches = [], []
    for frame, kind in ((outcome.settle, "settled"), (outcome.returned, "returned")):
        if frame.empty:
            continue
        entry_ids = [None] * len(frame)
        if kind == "returned":
            reasons = lines.set_index("line_id")["return_reason"]
            drafts = [
                schemes.returned_payment(
                    pay.at[p, "fund_code"],
                    int(pay.at[p, "amount_fen"]),
                    key=f"return:{pay.at[p, 'reference']}",
                    ref=pay.at[p, "reference"],
                    on=dates[line].date(),
                    by=by,
                    memo=f"退回 {reasons[line] or ''} (银行流水 {serials[line]})".strip(),
                )
                for line, p in zip(frame["line_id"], frame["payment_id"], strict=True)
            ]
            entry_ids = [e.id for e in post_batch(conn, drafts, today=dt.date.today(), now=stamp)]
        for (line, p, rule), entry_id in zip(
            frame[["line_id", "payment_id", "rule"]].itertuples(index=False), entry_ids, strict=True
        ):
            events.append(
                {
                    "payment_id": int(p),
                    "kind": kind,
                    "on_date": dates[line].date(),
                    "by": by,
                    "at": stamp,
                    "detail": f"bank line {serials[line]} ({rule})",
                    "entry_id": entry_id,
                }
            )
            matches.append(
                {
                    "line_id": int(line),
                    "payment_id": int(p),
                    "rule": rule,
                    "by": by,
                    "at": stamp,
                    "detail": kind,
                }
            )
    if events:
        conn.execute(insert(payment_events), events)
        conn.execute(insert(line_matches), matches)


def resolve(ledger: Ledger, line_id: int, reference: str, *, reason: str, by: str) -> str:
    """An officer matches an exception line to a payment by hand; returns what was done."""
    if not reason.strip():
        raise WorkflowError("a resolution needs --reason")
    with writing(ledger.engine) as conn:
        line = (
            conn.execute(select(statement_lines).where(statement_lines.c.id == line_id))
            .mappings()
            .first()
        )
        if line is None:
            raise WorkflowError(f"no statement line {line_id}")
        if conn.scalar(
            select(func.count()).select_from(line_matches).where(line_matches.c.line_id == line_id)
        ):
            raise WorkflowError(f"statement line {line_id} is already matched")
        pays = _payments(conn)
        found = pays[pays["reference"] == reference]
        if found.empty:
            raise WorkflowError(f"no payment with reference {reference!r}")
        p = found.iloc[0]
        if p["state"] != "pending":
            raise WorkflowError(f"payment {reference} is already {p['state']}")
        kind = "settled" if line["status"] == "success" else "returned"
        outcome = Outcome(
            settle=pd.DataFrame(
                {"line_id": [line_id], "payment_id": [int(p["payment_id"])], "rule": ["resolved"]}
            )
            if kind == "settled"
            else pd.DataFrame(columns=["line_id", "payment_id", "rule"]),
            returned=pd.DataFrame(
                {"line_id": [line_id], "payment_id": [int(p["payment_id"])], "rule": ["resolved"]}
            )
            if kind == "returned"
            else pd.DataFrame(columns=["line_id", "payment_id", "rule"]),
            exceptions=pd.DataFrame(),
        )
        _apply(conn, outcome, pays, _lines(conn, open_only=False), by=by)
        audit(conn, by, "reconcile.resolve", f"line {line_id} -> {reference}", reason)
    difference = int(line["amount_fen"]) - int(p["amount_fen"])
    note = f"; bank and payment differ by {difference / 100:.2f} 元" if difference else ""
    return f"line {line_id} {kind} payment {reference}{note}"


# ------------------------------------------------------------------ the reconciliation statement


@dataclass(frozen=True)
class Statement:
    """银行存款余额调节表, on payments: what the ledger says was paid against what the bank says."""

    ledger_paid: int  # from the postings: 支付 credited to 1011, less 退回 debited back
    payments_paid: int  # payments sent and not returned (pending + settled)
    in_transit: int  # 单位已付、银行未付: payments the bank has not shown
    bank_paid: int  # success lines on the statements
    bank_only: int  # 银行已付、单位未付: success lines matched to no payment
    matched_difference: int  # bank − book on lines settled by hand with another amount

    @property
    def adjusted_ledger(self) -> int:
        return self.ledger_paid - self.in_transit + self.bank_only

    @property
    def adjusted_bank(self) -> int:
        return self.bank_paid - self.matched_difference

    @property
    def difference(self) -> int:
        return self.adjusted_bank - self.adjusted_ledger


def statement(ledger: Ledger) -> Statement:
    with reading(ledger.engine) as conn:

        def kind_total(kind: Kind, side) -> int:
            return int(
                conn.scalar(
                    select(func.coalesce(func.sum(side), 0))
                    .select_from(postings.join(entries, entries.c.id == postings.c.entry_id))
                    .where(and_(entries.c.kind == str(kind), postings.c.account == "1011"))
                )
            )

        ledger_paid = kind_total(Kind.DISBURSEMENT, postings.c.credit) - kind_total(
            Kind.RETURNED_PAYMENT, postings.c.debit
        )
        pays = _payments(conn)
        lines = _lines(conn, open_only=False)
        matched = pd.DataFrame(
            conn.execute(select(line_matches.c.line_id, line_matches.c.payment_id)).all(),
            columns=["line_id", "payment_id"],
        )
    live = pays[pays["state"] != "returned"]
    success = lines[lines["status"] == "success"]
    matched_success = success[success["line_id"].isin(matched["line_id"])]
    pairs = matched.merge(success[["line_id", "amount_fen"]], on="line_id").merge(
        pays[["payment_id", "amount_fen"]], on="payment_id", suffixes=("_line", "_pay")
    )
    by_line = pairs.groupby("line_id").agg(
        line=("amount_fen_line", "first"), pay=("amount_fen_pay", "sum")
    )
    return Statement(
        ledger_paid=ledger_paid,
        payments_paid=int(live["amount_fen"].sum()),
        in_transit=int(live[live["state"] == "pending"]["amount_fen"].sum()),
        bank_paid=int(success["amount_fen"].sum()),
        bank_only=int(
            success[~success["line_id"].isin(matched_success["line_id"])]["amount_fen"].sum()
        ),
        matched_difference=int((by_line["line"] - by_line["pay"]).sum()),
    )


def open_exceptions(
    ledger: Ledger, *, window_days: int = 7, stale_days: int = 30, as_of: dt.date | None = None
) -> pd.DataFrame:
    """The exceptions as they stand now (recomputed, nothing written)."""
    with reading(ledger.engine) as conn:
        lines = _lines(conn, open_only=True)
        every = _lines(conn, open_only=False)
        pays = _payments(conn)
    latest = every["value_date"].max()
    on = as_of or (latest.date() if pd.notna(latest) else dt.date.today())
    outcome = plan(lines, pays, window_days=window_days, as_of=on, stale_days=stale_days)
    line_cols = ["row_no", "value_date", "serial", "reference", "payee_name", "account"]
    ex = outcome.exceptions.merge(
        every[["line_id", *line_cols, "amount_fen", "status"]].astype({"line_id": "Int64"}),
        on="line_id",
        how="left",
    )
    return ex.merge(
        pays[["payment_id", "reference", "claim_id", "amount_fen"]]
        .astype({"payment_id": "Int64"})
        .rename(columns={"reference": "payment_reference", "amount_fen": "payment_fen"}),
        on="payment_id",
        how="left",
    )
