"""Tamper evidence: each entry's hash covers its content and the previous entry's hash.

:func:`entry_content` is the only place an entry's content is serialised and
:func:`entry_hash` the only place a hash is computed; the writer and
:mod:`ledgers.verify` both call them with the same fields, so a recomputed hash is
reproducible on SQLite and PostgreSQL alike.

The content is canonical JSON — keys sorted, no spaces, UTF-8, postings sorted — written
out field by field rather than through :class:`json.JSONEncoder`: the bytes are exactly
those ``json.dumps(…, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`` gives
for the same fields (``tests/ledger/test_ledger_scheme.py`` holds it to that), so every
hash ever written still verifies, at a fraction of the cost.

An entry's program (``entries.program``, migration 0016) is sealed when it has one: the
content then holds ``"program"`` (between ``postings`` and ``ref``, in sorted order). An
entry without one is written exactly as before the column existed, so every hash posted
before 0016 still verifies; those entries' programs, filled in by the migration, are held
to what the entry itself says instead (:mod:`ledgers.programs`).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from datetime import date, datetime
from json.encoder import encode_basestring

from ledgers.model import Posting

GENESIS = "0" * 64

_sha256 = hashlib.sha256


@functools.lru_cache(maxsize=4096)
def _string(value: str) -> str:
    """A JSON string literal (``ensure_ascii=False``); memoised: accounts, funds, kinds repeat."""
    return encode_basestring(value)


@functools.lru_cache(maxsize=256)
def _day(value: date) -> str:
    return encode_basestring(value.isoformat())


@functools.lru_cache(maxsize=256)
def _stamp(value: datetime, offset: object) -> str:
    """Keyed with the UTC offset too: equal aware datetimes may be written differently."""
    return encode_basestring(value.isoformat(timespec="microseconds"))


@functools.lru_cache(maxsize=4096)
def _line_head(account: str, fund: str) -> str:
    return f"[{encode_basestring(account)},{encode_basestring(fund)},"


def postings_json(postings: Iterable[Posting]) -> str:
    """The postings part of an entry's content (see :func:`entry_content`), without its brackets.

    The writer computes it once per distinct postings tuple of a batch and passes it on.
    """
    lines = [(p.account, p.fund_code, p.debit, p.credit) for p in postings]
    lines.sort()
    head = _line_head
    return ",".join([f"{head(a, f)}{dr},{cr}]" for a, f, dr, cr in lines])


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
    postings: Iterable[Posting] | str,
    program: str | None = None,
) -> bytes:
    """The sealed fields of an entry, postings sorted, as canonical JSON (UTF-8 bytes).

    ``postings`` are the entry's postings, or :func:`postings_json` of them.

    Keys in sorted order: by, created_at, entry_date, id, key, kind, memo, period,
    postings, program (only if not None), ref, reverses_entry_id. Amounts are integer fen. Numbers are written as
    they are (``str``), not coerced: a value altered to a fraction in the database must
    not hash like the integer it was.
    """
    reverses = "null" if reverses_entry_id is None else reverses_entry_id
    if not isinstance(postings, str):
        postings = postings_json(postings)
    sealed = "" if program is None else f',"program":{_string(program)}'
    return (
        f'{{"by":{encode_basestring(by)},"created_at":{_stamp(created_at, created_at.utcoffset())},'
        f'"entry_date":{_day(entry_date)},"id":{id},"key":{encode_basestring(key)},'
        f'"kind":{_string(str(kind))},"memo":{encode_basestring(memo)},'
        f'"period":{_string(period)},"postings":[{postings}]{sealed},'
        f'"ref":{encode_basestring(ref)},"reverses_entry_id":{reverses}}}'
    ).encode()


def entry_hash(prev_hash: str, content: bytes) -> str:
    """SHA-256 over the previous hash, a newline and the entry's canonical content."""
    return _sha256(prev_hash.encode() + b"\n" + content).hexdigest()
