"""Reconciliation: bank and treasury lines against the payments sent, in order —

1. by payment reference;
2. one line for a merged transfer (one payee's payments on one line of a payment file),
   against the sum of its payments, which it settles or returns together;
3. one line paying a whole batch, against the sum of its pending payments;
4. by account and amount within a date window, for lines without a usable reference.

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
from sqlalchemy import Connection, and_, func, select

from ledgers import Kind, Ledger, Transaction, fetch_tuples, listed, one_of, schemes
from ledgers import keys as ledger_keys
from ledgers.schema import entries, postings
from ledgers.seals import SEAL_COLUMNS
from subsidies.domain.i18n import N_, _, fill, separator
from subsidies.domain.money import yuan, yuan_each
from subsidies.workflow.base import Officer, WorkflowError, audit, now
from subsidies.workflow.payments import already, no_payment
from subsidies.workflow.permissions import require
from subsidies.workflow.statements import Layout, normalise_account, read_statement
from subsidies.workflow.tables import (
    batches,
    line_matches,
    payment_events,
    payment_transfers,
    payments,
    statement_lines,
)

EXCEPTION_TYPES = {  # the code scripts read, and the name officers read
    "amount_differs": "金额不符",
    "paid_twice": "重复支付",
    "no_payment": "银行有记录、账面无支付",
    "stale": "账面已付、银行无记录",
    "name_differs": "收款人名称不符",
    "ambiguous": "无法唯一匹配",
    "state_conflict": "与支付状态矛盾",
}

LINE_COLUMNS = (  # as the statement gives them; the table's order is LINE_ROW
    "line_hash",
    "row_no",
    "value_date",
    "serial",
    "reference",
    "payee_name",
    "account",
    "amount_fen",
    "status",
    "return_reason",
)
LINE_ROW = tuple(c.name for c in statement_lines.columns if c.name not in ("id", *SEAL_COLUMNS))
EVENT_COLUMNS = ("payment_id", "kind", "on_date", "by", "at", "detail", "entry_id")
MATCH_COLUMNS = ("line_id", "payment_id", "rule", "by", "at", "detail")


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
            payment_transfers.c.reference.label("transfer"),
        )
        .join(batches, batches.c.id == payments.c.batch_id)
        .join(entries, entries.c.id == payments.c.entry_id)
        .outerjoin(decided, decided.c.payment_id == payments.c.id)
        .outerjoin(payment_transfers, payment_transfers.c.payment_id == payments.c.id)
    )
    frame = _fetch(
        conn,
        query,
        [
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
            "transfer",
        ],
    )
    frame["account"] = normalise_account(frame["account"])
    frame["state"] = frame["decided"].fillna("pending")
    frame["paid_on"] = _datetimes(frame["paid_on"], "s")
    return frame.drop(columns=["decided"])


def _fetch(conn: Connection, query, columns: list[str], params: dict | None = None) -> pd.DataFrame:
    """The rows of ``query`` as a frame, read as plain tuples (no per-row result processing:
    dates come as the driver gives them, convert with :func:`_datetimes`)."""
    rows = fetch_tuples(conn, query, params)
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame.from_records(rows, columns=columns)


def _datetimes(values: pd.Series, unit: str = "us") -> pd.Series:
    """Dates or timestamps (as the driver gives them: objects, or ISO text on SQLite) as
    ``datetime64[unit]``, converted once per distinct value."""
    if not len(values):
        return pd.to_datetime(values).astype(f"datetime64[{unit}]")
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    converted = pd.to_datetime(pd.Series(uniques, dtype=object)).astype(f"datetime64[{unit}]")
    return pd.Series(converted.to_numpy()[codes], index=values.index)


def _lines(
    conn: Connection, *, open_only: bool, where=None, params: dict | None = None
) -> pd.DataFrame:
    columns = [c for c in statement_lines.columns if c.name not in SEAL_COLUMNS]
    query = select(*columns).order_by(statement_lines.c.id)
    if open_only:
        query = query.where(statement_lines.c.id.not_in(select(line_matches.c.line_id)))
    if where is not None:
        query = query.where(where)
    frame = _fetch(conn, query, [c.name for c in columns], params)
    frame = frame.rename(columns={"id": "line_id"})
    frame["value_date"] = _datetimes(frame["value_date"], "s")
    frame["imported_at"] = _datetimes(frame["imported_at"])
    return frame


def _open_lines(
    conn: Connection, new: pd.DataFrame, before: int, source: dict[str, object]
) -> pd.DataFrame:
    """The open lines, as ``_lines(conn, open_only=True)`` gives them, the ``new`` ones just
    inserted (after line id ``before``) taken from memory with their ids rather than read back."""
    old = _lines(conn, open_only=True, where=statement_lines.c.id <= before)
    if not len(new):
        return old
    ids = _fetch(
        conn,
        select(statement_lines.c.id, statement_lines.c.line_hash).where(
            statement_lines.c.id > before
        ),
        ["line_id", "line_hash"],
    )
    ours = ids["line_hash"].isin(new["line_hash"]).to_numpy(dtype=bool)
    id_of = pd.Series(ids["line_id"].to_numpy()[ours], index=ids["line_hash"].to_numpy()[ours])
    fresh = new.assign(
        line_id=new["line_hash"].map(id_of).to_numpy(dtype=np.int64),
        value_date=_datetimes(new["value_date"], "s").to_numpy(),
        **{name: value for name, value in source.items() if name != "imported_at"},
        imported_at=pd.Timestamp(source["imported_at"]).as_unit("us"),
    )
    parts = [old, fresh]
    if not ours.all():  # lines another session imported meanwhile
        others = {"others": listed(conn, ids["line_id"].to_numpy()[~ours].tolist())}
        where = one_of(statement_lines.c.id, "others")
        parts.append(_lines(conn, open_only=True, where=where, params=others))
    columns = list(old.columns)
    frame = pd.concat([p[columns] for p in parts if len(p)], ignore_index=True)
    return frame.sort_values("line_id", kind="stable", ignore_index=True)


def _same_name(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Equal payee names, whitespace aside, or one of them blank: compared as written first,
    and cleaned only where they differ."""
    a = a.fillna("").to_numpy(dtype=object)
    b = b.fillna("").to_numpy(dtype=object)
    same = (a == b) | (a == "") | (b == "")
    for i in np.flatnonzero(~same):
        x, y = "".join(a[i].split()), "".join(b[i].split())
        same[i] = x == y or x == "" or y == ""
    return same


def _text(column: pd.Series) -> np.ndarray:
    return column.to_numpy(dtype=object)


def _sorted(frame: pd.DataFrame, first: str, second: str, third: str) -> pd.DataFrame:
    """``frame.sort_values([first, second, third])`` (stable) for integer/datetime ``first``
    and ``second``: sorted on those two, and on ``third`` (text) only where they tie."""
    kinds = {frame[first].dtype.kind, frame[second].dtype.kind}
    if len(frame) < 2 or not kinds <= {"i", "M"}:
        return frame.sort_values([first, second, third])
    one = frame[first].to_numpy().view(np.int64)
    two = frame[second].to_numpy().view(np.int64)
    order = np.lexsort((two, one))
    one, two = one[order], two[order]
    same = (one[1:] == one[:-1]) & (two[1:] == two[:-1])
    tied = np.zeros(len(order), dtype=bool)
    tied[1:] |= same
    tied[:-1] |= same
    if tied.any():
        at = np.flatnonzero(tied)
        part = frame.iloc[order[at]][[first, second, third]].reset_index(drop=True)
        order[at] = order[at][part.sort_values([first, second, third]).index.to_numpy()]
    return frame.iloc[order]


# ------------------------------------------------------------------ matching


@dataclass
class _Matching:
    """What the matching stages of :func:`plan` have decided so far: matched pairs,
    exceptions, and the lines and payments already used or in dispute."""

    lines: pd.DataFrame
    pays: pd.DataFrame
    settle: list[pd.DataFrame] = field(default_factory=list)
    returned: list[pd.DataFrame] = field(default_factory=list)
    exceptions: list[pd.DataFrame] = field(default_factory=list)
    used_lines: list[np.ndarray] = field(default_factory=list)
    taken: list[np.ndarray] = field(default_factory=list)  # payments matched
    disputed: set = field(default_factory=set)  # payments a disputed line may be for

    def exception(self, kind: str, frame: pd.DataFrame, detail) -> None:
        """Record ``frame``'s rows as exceptions; ``detail``: one text, a function of the rows,
        or a Series over them."""
        if not len(frame):
            return
        if callable(detail):
            text = np.asarray(detail(frame), dtype=object)
        elif isinstance(detail, str):
            text = detail
        else:
            text = detail.loc[frame.index].to_numpy()
        self.exceptions.append(
            pd.DataFrame(
                {
                    "type": kind,
                    "line_id": frame["line_id"].to_numpy() if "line_id" in frame else None,
                    "payment_id": frame["payment_id"].to_numpy() if "payment_id" in frame else None,
                    "detail": text,
                }
            )
        )

    def unused_lines(self) -> np.ndarray:
        """Lines no stage has used yet (a mask over ``lines``)."""
        used = np.concatenate(self.used_lines) if self.used_lines else np.array([], np.int64)
        return ~np.isin(self.lines["line_id"].to_numpy(), used)

    def open_payments(self) -> pd.DataFrame:
        """Pending payments no stage has matched yet."""
        pending = _text(self.pays["state"]) == "pending"
        taken = np.concatenate(self.taken) if self.taken else np.array([], np.int64)
        return self.pays[pending & ~np.isin(self.pays["payment_id"].to_numpy(), taken)]

    def outcome(self) -> Outcome:
        fen = self.pays.set_index("payment_id")["amount_fen"]

        def matched(frames: list[pd.DataFrame]) -> pd.DataFrame:
            frame = pd.concat(frames, ignore_index=True)
            return frame.assign(amount_fen=frame["payment_id"].map(fen).astype(np.int64))

        found = (
            pd.concat(self.exceptions, ignore_index=True)
            if self.exceptions
            else pd.DataFrame(columns=["type", "line_id", "payment_id", "detail"])
        )
        return Outcome(
            settle=matched(self.settle),
            returned=matched(self.returned),
            exceptions=found.astype({"line_id": "Int64", "payment_id": "Int64"}),
        )


def plan(
    lines: pd.DataFrame, pays: pd.DataFrame, *, window_days: int, as_of: dt.date, stale_days: int
) -> Outcome:
    """Decide every open line and pending payment (pure: nothing is written), stage by stage:
    1. by payment reference; 2. one line for a merged transfer; 3. one line for a whole
    batch; 4. account and amount within ``window_days``; 5. lines nobody can explain;
    6. payments the bank has not shown after ``stale_days``. Text is compared as object arrays (or integer codes) once, and each
    exception's reason is written for its own rows only."""
    m = _Matching(lines, pays)
    _by_reference(m)
    _by_transfer(m)
    _by_batch(m)
    _by_account_and_amount(m, window_days)
    _unexplained(m)
    _stale(m, as_of, stale_days)
    return m.outcome()


def _by_reference(m: _Matching) -> None:
    """1. A line naming a payment's reference settles or returns it, unless the amount or the
    payee differs, the payment is decided already, or it has lines of both kinds."""
    lines, pays = m.lines, m.pays
    by_ref = lines[
        ["line_id", "reference", "value_date", "serial", "status", "amount_fen", "payee_name"]
    ].merge(
        pays[["payment_id", "reference", "state", "amount_fen", "payee_name", "claim_id"]],
        on="reference",
        suffixes=("", "_p"),
    )
    m.used_lines.append(by_ref["line_id"].to_numpy())
    by_ref = _sorted(by_ref, "payment_id", "value_date", "serial")
    success = _text(by_ref["status"]) == "success"
    ref_state = _text(by_ref["state"])
    pending = ref_state == "pending"
    status_code = pd.factorize(by_ref["status"])[0]
    keys = pd.DataFrame({"payment_id": by_ref["payment_id"].to_numpy(), "status": status_code})
    first = ~keys.duplicated().to_numpy()
    per_payment = keys.groupby("payment_id")["status"]
    both = (per_payment.transform("min") != per_payment.transform("max")).to_numpy()
    amount_ok = by_ref["amount_fen"].to_numpy() == by_ref["amount_fen_p"].to_numpy()
    name_ok = _same_name(by_ref["payee_name"], by_ref["payee_name_p"])
    conflict = (success & (ref_state == "returned")) | (~success & ~pending)
    twice = success & ((ref_state == "settled") | (pending & ~first))
    ambiguous = pending & both & ~twice
    returned_again = pending & ~success & ~both & ~first
    undecided = pending & ~twice & ~ambiguous & ~returned_again
    differs = undecided & ~amount_ok
    renamed = undecided & amount_ok & ~name_ok
    clean = undecided & amount_ok & name_ok
    m.exception(
        "state_conflict",
        by_ref[conflict & ~twice],
        lambda f: fill(
            _("line {status} but payment {reference} is already {state}"),
            status=_words(f["status"]),
            reference=f["reference"],
            state=_words(f["state"]),
        ),
    )
    m.exception(
        "state_conflict",
        by_ref[returned_again],
        lambda f: fill(
            _("a second returned line for payment {reference}"), reference=f["reference"]
        ),
    )
    m.exception(
        "paid_twice",
        by_ref[twice],
        lambda f: fill(
            _("a second success line for payment {reference} (claim {claim})"),
            reference=f["reference"],
            claim=f["claim_id"],
        ),
    )
    m.exception(
        "ambiguous",
        by_ref[ambiguous],
        lambda f: fill(
            _("payment {reference} has both success and returned lines"), reference=f["reference"]
        ),
    )
    m.exception(
        "amount_differs",
        by_ref[differs],
        lambda f: fill(
            _("bank {bank} vs payment {reference} {paid}"),
            bank=_yuan(f["amount_fen"]),
            reference=f["reference"],
            paid=_yuan(f["amount_fen_p"]),
        ),
    )
    m.exception(
        "name_differs",
        by_ref[renamed],
        lambda f: fill(
            _("bank payee {bank} vs {paid} on payment {reference}"),
            bank=f["payee_name"],
            paid=f["payee_name_p"],
            reference=f["reference"],
        ),
    )
    m.settle.append(by_ref[clean & success][["line_id", "payment_id"]].assign(rule="reference"))
    m.returned.append(by_ref[clean & ~success][["line_id", "payment_id"]].assign(rule="reference"))
    m.taken.append(by_ref["payment_id"].to_numpy()[clean])


def _by_transfer(m: _Matching) -> None:
    """2. One line for a merged transfer (one payee's payments of a batch sent as one): the
    first exact line settles or returns all of it."""
    lines, pays = m.lines, m.pays
    unused = m.unused_lines()
    merged = pays[pays["transfer"].notna().to_numpy(dtype=bool)]
    groups = (
        merged.assign(
            open=_text(merged["state"]) == "pending", paid=_text(merged["state"]) == "settled"
        )
        .groupby("transfer")
        .agg(
            sum=("amount_fen", "sum"),
            count=("payment_id", "size"),
            open=("open", "all"),
            paid=("paid", "all"),
            payee=("payee_name", "first"),
        )
        .reset_index()
    )
    by_transfer = (
        lines[unused]
        .merge(groups, left_on="reference", right_on="transfer")
        .sort_values(["value_date", "serial"])
    )
    first_line = ~by_transfer.duplicated("transfer").to_numpy()
    exact = (by_transfer["amount_fen"] == by_transfer["sum"]).to_numpy()
    still_open = by_transfer["open"].to_numpy(dtype=bool)
    named = _same_name(by_transfer["payee_name"], by_transfer["payee"])
    success = _text(by_transfer["status"]) == "success"
    whole = first_line & exact & still_open & named

    def transfer_text(f: pd.DataFrame):
        return fill(
            _("transfer {transfer} ({count} payments"),
            transfer=f["transfer"],
            count=f["count"].astype(str),
        )

    m.exception(
        "amount_differs",
        by_transfer[first_line & ~exact],
        lambda f: fill(
            _("bank {bank} vs {transfer}, {paid})"),
            bank=_yuan(f["amount_fen"]),
            transfer=transfer_text(f),
            paid=_yuan(f["sum"]),
        ),
    )
    m.exception(
        "name_differs",
        by_transfer[first_line & exact & still_open & ~named],
        lambda f: fill(
            _("bank payee {bank} vs {paid} on {transfer})"),
            bank=f["payee_name"],
            paid=f["payee"],
            transfer=transfer_text(f),
        ),
    )
    paid_before = by_transfer["paid"].to_numpy(dtype=bool) & success
    m.exception(
        "state_conflict",
        by_transfer[first_line & exact & ~still_open & ~paid_before],
        lambda f: fill(
            _("line {status} but {transfer}) is not all pending"),
            status=_words(f["status"]),
            transfer=transfer_text(f),
        ),
    )
    m.exception(
        "paid_twice",
        by_transfer[~first_line | (exact & ~still_open & paid_before)],
        lambda f: fill(_("a second line for {transfer})"), transfer=transfer_text(f)),
    )
    members = merged[["payment_id", "transfer"]]
    for frame, wanted in ((m.settle, success), (m.returned, ~success)):
        found = by_transfer[whole & wanted][["line_id", "transfer"]].merge(members, on="transfer")
        frame.append(found[["line_id", "payment_id"]].assign(rule="transfer"))
        m.taken.append(found["payment_id"].to_numpy())
    m.used_lines.append(by_transfer["line_id"].to_numpy())


def _by_batch(m: _Matching) -> None:
    """3. One line for a whole batch: the first exact line settles it, another pays it twice."""
    lines, pays = m.lines, m.pays
    rest = lines[m.unused_lines() & (_text(lines["status"]) == "success")]
    open_pays = m.open_payments()
    sums = open_pays.groupby("batch")["amount_fen"].agg(["sum", "count"]).reset_index()
    by_batch = rest.merge(sums, left_on="reference", right_on="batch").sort_values(
        ["value_date", "serial"]
    )
    exact = by_batch["amount_fen"] == by_batch["sum"]
    again = exact & (by_batch.groupby(["batch", exact]).cumcount() > 0)
    m.exception(
        "amount_differs",
        by_batch[~exact],
        lambda f: fill(
            _("bank {bank} vs batch {batch} pending {pending} ({count} payments)"),
            bank=_yuan(f["amount_fen"]),
            batch=f["batch"],
            pending=_yuan(f["sum"]),
            count=f["count"].astype(str),
        ),
    )
    named = rest[~rest["reference"].isin(sums["batch"])]
    sent_pays = pays[pays["batch"].isin(named["reference"]) & (_text(pays["state"]) != "returned")]
    sent = sent_pays.groupby("batch")["amount_fen"].agg(["sum", "count"])
    done = named.merge(sent.reset_index(), left_on="reference", right_on="batch")
    twice_b = pd.concat([by_batch[again], done[done["amount_fen"] == done["sum"]]])
    m.exception(
        "paid_twice",
        twice_b,
        lambda f: fill(
            _("a second line for batch {batch}: its {count} payments ({paid}) are settled already"),
            batch=f["batch"],
            count=f["count"].astype(str),
            paid=_yuan(f["sum"]),
        ),
    )
    whole = by_batch[exact & ~again][["line_id", "batch"]].merge(
        open_pays[["payment_id", "batch"]], on="batch"
    )
    m.settle.append(whole[["line_id", "payment_id"]].assign(rule="batch"))
    m.disputed |= set(
        open_pays.loc[open_pays["batch"].isin(by_batch.loc[~exact, "batch"]), "payment_id"]
    )
    m.used_lines += [by_batch["line_id"].to_numpy(), twice_b["line_id"].to_numpy()]
    m.taken.append(whole["payment_id"].to_numpy())


def _by_account_and_amount(m: _Matching, window_days: int) -> None:
    """4. A line with the account and amount of exactly one open payment paid within
    ``window_days`` before it (and that payment fits no other line) matches it."""
    lines = m.lines
    rest = lines[m.unused_lines() & (_text(lines["account"]) != "")]
    open_pays = m.open_payments()
    pairs = rest.merge(open_pays, on=["account", "amount_fen"], suffixes=("", "_p"))
    days = (pairs["value_date"] - pairs["paid_on"]).dt.days
    pairs = pairs[(days >= 0) & (days <= window_days)]
    per_line = pairs.groupby("line_id")["payment_id"].transform("count")
    per_payment = pairs.groupby("payment_id")["line_id"].transform("count")
    unique = (per_line == 1) & (per_payment == 1)
    ok_name = _same_name(pairs["payee_name"], pairs["payee_name_p"])
    found = pairs[unique & ok_name]
    m.settle.append(
        found[found["status"] == "success"][["line_id", "payment_id"]].assign(rule="account_amount")
    )
    m.returned.append(
        found[found["status"] != "success"][["line_id", "payment_id"]].assign(rule="account_amount")
    )
    m.exception(
        "name_differs",
        pairs[unique & ~ok_name],
        lambda f: fill(
            _("bank payee {bank} vs {paid} on payment {reference} (matched by account and amount)"),
            bank=f["payee_name"],
            paid=f["payee_name_p"],
            reference=f["reference_p"],
        ),
    )
    several = (
        pairs[~unique]
        .groupby("line_id")["reference_p"]
        .agg(
            lambda r: (
                _("account and amount fit several payments: {references}").format(
                    references=_("; ").join(sorted(r))
                )
                if len(r) > 1
                else _(
                    "account and amount fit payment {reference}, and so does another line"
                ).format(reference=r.iloc[0])
            )
        )
    )
    amb = pd.DataFrame({"line_id": several.index})
    m.exception("ambiguous", amb, several.reset_index(drop=True))
    m.used_lines.append(pairs["line_id"].to_numpy())
    m.taken.append(found["payment_id"].to_numpy())
    m.disputed |= set(pairs.loc[~unique, "payment_id"])


def _unexplained(m: _Matching) -> None:
    """5. Lines nobody can explain."""
    lines = m.lines
    unused, line_success = m.unused_lines(), _text(lines["status"]) == "success"
    m.exception(
        "no_payment",
        lines[unused & line_success],
        lambda f: fill(
            _(
                "no payment has reference {reference}, and none fits account {account} and amount {amount}"
            ),
            reference=f["reference"].where(f["reference"] != "", _("(none)")),
            account=f["account"],
            amount=_yuan(f["amount_fen"]),
        ),
    )
    m.exception(
        "no_payment",
        lines[unused & ~line_success],
        lambda f: fill(_("a returned line with no payment: {reference}"), reference=f["reference"]),
    )


def _stale(m: _Matching, as_of: dt.date, stale_days: int) -> None:
    """6. Pending payments the bank has not shown ``stale_days`` after they were paid (and no
    line is in dispute over)."""
    pays = m.pays
    limit = pd.Timestamp(as_of) - pd.Timedelta(days=stale_days)
    disputed = m.disputed | {p for e in m.exceptions for p in e["payment_id"].dropna()}
    settled_or_disputed = np.concatenate([*m.taken, np.fromiter(disputed, np.int64, len(disputed))])
    waiting = pays[
        (_text(pays["state"]) == "pending")
        & ~np.isin(pays["payment_id"].to_numpy(), settled_or_disputed)
        & (pays["paid_on"] <= limit).to_numpy(dtype=bool)
    ]
    m.exception(
        "stale",
        waiting,
        lambda f: fill(
            _("payment {reference} of {paid_on} ({amount}) has no bank line after {days} days"),
            reference=f["reference"],
            paid_on=f["paid_on"].dt.strftime("%Y-%m-%d"),
            amount=_yuan(f["amount_fen"]),
            days=str(stale_days),
        ),
    )


WORDS = {  # a line's status and a payment's state, as a reason names them
    "success": N_("success"),
    "returned": N_("returned"),
    "pending": N_("pending"),
    "settled": N_("settled"),
}


def _words(codes: pd.Series) -> pd.Series:
    """Status and state codes in the officer's language."""
    return codes.map(lambda code: _(WORDS[code]) if code in WORDS else code)


def _yuan(fen: pd.Series) -> pd.Series:
    """Amounts as a reason shows them: ``1,000.00 元``."""
    return pd.Series(yuan_each(fen), index=fen.index)


# ------------------------------------------------------------------ writing


def reconcile(
    ledger: Ledger,
    path: Path,
    layout: Layout,
    *,
    by: Officer,
    window_days: int = 7,
    stale_days: int = 30,
    as_of: dt.date | None = None,
    sheet: str | None = None,
) -> Outcome:
    """Import a statement (new lines only; in a workbook, from ``sheet`` when named) and match
    every open line, in one transaction (对账: ``reconcile.statement``)."""
    require(by, "reconcile.statement", ledger=ledger, subject=str(path))
    lines = read_statement(path, layout, sheet)
    with ledger.transaction() as tx:
        conn = tx.conn  # reads in this transaction
        known = _known_hashes(conn, lines["line_hash"].tolist())
        new = lines[~lines["line_hash"].isin(known)] if known else lines
        before = conn.scalar(select(func.coalesce(func.max(statement_lines.c.id), 0)))
        source = {
            "source_file": str(path),
            "layout": layout.name,
            "imported_by": by.username,
            "imported_at": now(),
        }
        if len(new):
            count = len(new)
            values = {c: new[c].tolist() for c in LINE_COLUMNS}
            values |= {name: [value] * count for name, value in source.items()}
            _insert(tx, statement_lines, LINE_ROW, [values[c] for c in LINE_ROW])
        open_lines = _open_lines(conn, new, before, source)
        pays = _payments(conn)
        latest = conn.scalar(select(func.max(statement_lines.c.value_date)))
        on = as_of or latest or dt.date.today()
        outcome = plan(open_lines, pays, window_days=window_days, as_of=on, stale_days=stale_days)
        outcome.imported, outcome.already = len(new), len(lines) - len(new)
        _apply(tx, outcome, pays, open_lines, by=by)
        audit(
            tx,
            by,
            "reconcile",
            str(path),
            f"{len(new)} new lines ({len(lines) - len(new)} already imported); "
            f"{len(outcome.settle)} settled, {len(outcome.returned)} returned, "
            f"{len(outcome.exceptions)} exceptions",
        )
    return outcome


def _known_hashes(conn: Connection, hashes: list[str]) -> set[str]:
    """Which of ``hashes`` are imported already."""
    query = select(statement_lines.c.line_hash).where(one_of(statement_lines.c.line_hash, "hashes"))
    return {known for (known,) in fetch_tuples(conn, query, {"hashes": listed(conn, hashes)})}


def _apply(
    tx: Transaction, outcome: Outcome, pays: pd.DataFrame, lines: pd.DataFrame, *, by: Officer
) -> None:
    stamp = now()
    by_line = lines.set_index("line_id")
    pay = pays.set_index("payment_id")
    events: list[list] = [[] for _ in EVENT_COLUMNS]
    matches: list[list] = [[] for _ in MATCH_COLUMNS]
    for frame, kind in ((outcome.settle, "settled"), (outcome.returned, "returned")):
        if frame.empty:
            continue
        count = len(frame)
        line_ids = frame["line_id"].to_numpy(dtype=np.int64)
        payment_ids = frame["payment_id"].to_numpy(dtype=np.int64)
        rules = frame["rule"].to_numpy(dtype=object)
        line = by_line.reindex(line_ids)
        codes, days = pd.factorize(line["value_date"], use_na_sentinel=False)
        dates = np.array([d.date() for d in days], dtype=object)[codes]
        serials = line["serial"].to_numpy(dtype=object)
        entry_ids: list = [None] * count
        if kind == "returned":
            p = pay.reindex(payment_ids)
            drafts = [
                schemes.returned_payment(
                    fund,
                    int(fen),
                    program=program,
                    key=ledger_keys.returned_payment(ref),
                    ref=ref,
                    on=on,
                    by=by.username,
                    memo=f"退回 {reason or ''} (银行流水 {serial})".strip(),
                )
                for fund, program, fen, ref, on, reason, serial in zip(
                    p["fund_code"],
                    p["program_id"],
                    p["amount_fen"],
                    p["reference"],
                    dates,
                    line["return_reason"],
                    serials,
                    strict=True,
                )
            ]
            entry_ids = [e.id for e in tx.post(drafts)]
        details = [f"bank line {s} ({r})" for s, r in zip(serials, rules, strict=True)]
        payment_list, line_list = payment_ids.tolist(), line_ids.tolist()
        for column, values in zip(
            events,
            (
                payment_list,
                [kind] * count,
                dates.tolist(),
                [by.username] * count,
                [stamp] * count,
                details,
                entry_ids,
            ),
            strict=True,
        ):
            column.extend(values)
        for column, values in zip(
            matches,
            (
                line_list,
                payment_list,
                rules.tolist(),
                [by.username] * count,
                [stamp] * count,
                [kind] * count,
            ),
            strict=True,
        ):
            column.extend(values)
    _insert(tx, payment_events, EVENT_COLUMNS, events)
    _insert(tx, line_matches, MATCH_COLUMNS, matches)


def _insert(tx: Transaction, table, names: tuple[str, ...], columns: list[list]) -> None:
    """The rows whose values are ``columns`` (one list per name, ``names`` in the table's
    order), in one statement."""
    if columns and len(columns[0]):
        tx.insert_rows(table, names, list(zip(*columns, strict=True)))


def resolve(ledger: Ledger, line_id: int, reference: str, *, reason: str, by: Officer) -> str:
    """An officer matches an exception line to a payment by hand (对账:
    ``reconcile.resolve``); returns what was done."""
    require(by, "reconcile.resolve", ledger=ledger, subject=f"line {line_id}")
    if not reason.strip():
        raise WorkflowError(_("a resolution needs a reason"))
    with ledger.transaction() as tx:
        conn = tx.conn  # reads in this transaction
        line = (
            conn.execute(select(statement_lines).where(statement_lines.c.id == line_id))
            .mappings()
            .first()
        )
        if line is None:
            raise WorkflowError(_("no statement line {id}").format(id=line_id))
        if conn.scalar(
            select(func.count()).select_from(line_matches).where(line_matches.c.line_id == line_id)
        ):
            raise WorkflowError(_("statement line {id} is already matched").format(id=line_id))
        pays = _payments(conn)
        found = pays[pays["reference"] == reference]
        if found.empty:
            raise WorkflowError(no_payment(reference))
        p = found.iloc[0]
        if p["state"] != "pending":
            raise WorkflowError(already(reference, p["state"]))
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
        _apply(tx, outcome, pays, _lines(conn, open_only=False), by=by)
        audit(tx, by, "reconcile.resolve", f"line {line_id} -> {reference}", reason)
    difference = int(line["amount_fen"]) - int(p["amount_fen"])
    done = (
        _("line {id} settled payment {reference}")
        if kind == "settled"
        else _("line {id} returned payment {reference}")
    ).format(id=line_id, reference=reference)
    if difference:
        done += separator() + _("bank and payment differ by {amount}").format(
            amount=yuan(difference)
        )
    return done


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
    with ledger.reading() as conn:

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
    with ledger.reading() as conn:
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
