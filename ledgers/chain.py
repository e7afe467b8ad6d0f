"""Tamper evidence: each entry's hash covers its content and the previous entry's hash.

:func:`entry_hash` is the only place a hash is computed; the writer and
:mod:`ledgers.verify` both build the content with :func:`entry_content` from the same
fields, so a recomputed hash is reproducible on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from ledgers.model import Posting

GENESIS = "0" * 64


def entry_content(
    *,
    id: int,
    key: str,
    kind: str,
    entry_date: date,
    period: str,
    memo: str,
    ref: str,
    by: str,
    created_at: datetime,
    reverses_entry_id: int | None,
    postings: Iterable[Posting],
) -> dict[str, Any]:
    """The sealed fields of an entry, postings sorted, as plain JSON values."""
    return {
        "id": id,
        "key": key,
        "kind": str(kind),
        "entry_date": entry_date.isoformat(),
        "period": period,
        "memo": memo,
        "ref": ref,
        "by": by,
        "created_at": created_at.isoformat(timespec="microseconds"),
        "reverses_entry_id": reverses_entry_id,
        "postings": sorted([p.account, p.fund_code, p.debit, p.credit] for p in postings),
    }


_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(content: Mapping[str, Any]) -> bytes:
    """Keys sorted, no spaces, UTF-8: the same bytes for the same content, anywhere."""
    return _ENCODER.encode(content).encode()


def entry_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    """SHA-256 over the previous hash and the canonical JSON of the entry content."""
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical_json(content)).hexdigest()
