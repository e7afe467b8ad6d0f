"""Reading entries back: rows of entries and postings to :class:`~ledgers.model.Entry`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, select

from ledgers.lists import listed, one_of
from ledgers.model import Entry, Kind, Posting
from ledgers.schema import entries, postings


def as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def as_datetime(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def entry_from_row(row: Any, lines: Iterable[Posting]) -> Entry:
    return Entry(
        id=row.id,
        key=row.key,
        kind=Kind(row.kind),
        entry_date=as_date(row.entry_date),
        period=row.period,
        memo=row.memo,
        ref=row.ref,
        by=row.posted_by,
        created_at=as_datetime(row.created_at),
        reverses_entry_id=row.reverses_entry_id,
        hash=row.hash,
        prev_hash=row.prev_hash,
        postings=tuple(lines),
        program=row.program,
    )


# the lists bound as ``keys`` / ``ids``: :func:`ledgers.lists.listed`
ENTRIES_BY_KEY = one_of(entries.c.key, "keys")
ENTRIES_BY_ID = one_of(entries.c.id, "ids")
_POSTINGS_OF = (
    select(postings)
    .where(one_of(postings.c.entry_id, "ids"))
    .order_by(postings.c.entry_id, postings.c.line)
)


def fetch_entries(
    conn: Connection, where: ColumnElement[bool], params: dict | None = None
) -> list[Entry]:
    """Entries matching ``where`` (with ``params`` for its bound parameters), with their postings, in id order."""
    rows = conn.execute(select(entries).where(where).order_by(entries.c.id), params or {}).all()
    if not rows:
        return []
    lines: dict[int, list[Posting]] = defaultdict(list)
    for p in conn.execute(_POSTINGS_OF, {"ids": listed(conn, [row.id for row in rows])}):
        lines[p.entry_id].append(Posting(p.account, p.fund, p.debit, p.credit))
    return [entry_from_row(row, lines[row.id]) for row in rows]
