"""Reading entries back: rows of entries and postings to :class:`~ledgers.model.Entry`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, bindparam, select

from ledgers.model import Entry, Kind, Posting
from ledgers.schema import entries, postings

CHUNK = 900  # bound parameters per IN (…) list, well inside SQLite's limit


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
    )


ENTRIES_BY_KEY = entries.c.key.in_(bindparam("keys", expanding=True))
ENTRIES_BY_ID = entries.c.id.in_(bindparam("ids", expanding=True))
_POSTINGS_OF = (
    select(postings)
    .where(postings.c.entry_id.in_(bindparam("ids", expanding=True)))
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
    for part in chunks([row.id for row in rows]):
        for p in conn.execute(_POSTINGS_OF, {"ids": part}):
            lines[p.entry_id].append(Posting(p.account, p.fund, p.debit, p.credit))
    return [entry_from_row(row, lines[row.id]) for row in rows]
