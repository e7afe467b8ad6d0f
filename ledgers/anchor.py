"""An anchor kept outside the database (issue #18): the journal's chain head and every seal
chain's head, each with its count of entries or rows.

The hashes are public and unkeyed: someone who has read ``ledgers/chain.py`` can edit a
row, recompute every later hash and move the heads, or delete the last entries and move
the head back, and ``verify`` alone then finds nothing. The anchor, exported to a file
the office keeps and printed on each period's close, fixes what the chains held then:
``verify --anchor FILE`` requires that entry *N* (row *N* of each sealed table), *N* the
count anchored, still exists and still has the anchored hash — so history up to the
anchor was neither rewritten nor cut.

With ``$SUBSIDIES_ANCHOR_KEY`` set (a secret kept outside the database), the file carries
an HMAC-SHA256 of its content: an anchor edited to match a rewritten ledger is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import orjson
from sqlalchemy import Connection, TableClause, column, func, inspect, select, table

from ledgers.errors import LedgerError
from ledgers.schema import chain_head, closed_periods, entries, seals

FORMAT = "subsidies-ledger-anchor/1"
KEY_VARIABLE = "SUBSIDIES_ANCHOR_KEY"
JOURNAL = "journal"  # the name of the entries' chain in an anchor


class AnchorError(LedgerError):
    """An anchor file that cannot be read, or whose signature does not hold."""


@dataclass(frozen=True, slots=True)
class Head:
    """A chain's head: how many entries or rows it has, and the last one's hash."""

    count: int
    hash: str


@dataclass(frozen=True, slots=True)
class Anchor:
    taken_at: str  # UTC, ISO 8601
    closed_through: str | None
    chains: dict[str, Head]  # JOURNAL and each sealed table's name -> its head

    def body(self) -> dict:
        return {
            "format": FORMAT,
            "taken_at": self.taken_at,
            "closed_through": self.closed_through,
            "chains": {
                name: {"count": head.count, "hash": head.hash}
                for name, head in sorted(self.chains.items())
            },
        }


def take(conn: Connection, taken_at: str) -> Anchor:
    """The chains' heads as the connection's transaction sees them."""
    last, head = conn.execute(select(chain_head.c.last_entry_id, chain_head.c.head_hash)).one()
    chains = {JOURNAL: Head(last, head)}
    for name, rows, seal in conn.execute(select(seals).order_by(seals.c.table_name)):
        chains[name] = Head(rows, seal)
    closed = conn.scalar(select(func.max(closed_periods.c.period)))
    return Anchor(taken_at, closed, chains)


def key_from_environment() -> bytes | None:
    key = os.environ.get(KEY_VARIABLE)
    return key.encode() if key else None


def _signature(body: dict, key: bytes) -> str:
    return hmac.new(
        key, orjson.dumps(body, option=orjson.OPT_SORT_KEYS), hashlib.sha256
    ).hexdigest()


def dumps(anchor: Anchor, key: bytes | None) -> bytes:
    """The anchor file's content: JSON, signed when a key is given."""
    body = anchor.body()
    if key:
        body["hmac_sha256"] = _signature(anchor.body(), key)
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2) + b"\n"


def write(path: Path, anchor: Anchor, key: bytes | None) -> None:
    """Write the anchor file whole or not at all (a temporary file renamed into place)."""
    path = Path(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(dumps(anchor, key))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read(path: Path) -> tuple[Anchor, str | None]:
    """The anchor in ``path`` and its signature (None if unsigned)."""
    try:
        body = orjson.loads(Path(path).read_bytes())
        if body.get("format") != FORMAT:
            raise ValueError(f"format is {body.get('format')!r}, not {FORMAT!r}")
        chains = {
            str(name): Head(int(head["count"]), str(head["hash"]))
            for name, head in body["chains"].items()
        }
        anchor = Anchor(str(body["taken_at"]), body.get("closed_through"), chains)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise AnchorError(f"{path}: not a ledger anchor ({error})") from None
    return anchor, body.get("hmac_sha256")


def check(conn: Connection, anchor: Anchor, signature: str | None, key: bytes | None) -> list[str]:
    """What in the database does not extend the anchored chains, each named."""
    problems = _signature_problems(anchor, signature, key)
    when = f"the anchor of {anchor.taken_at}"
    present = set(inspect(conn).get_table_names())
    for name, head in sorted(anchor.chains.items()):
        if name == JOURNAL:
            problems += _journal_problems(conn, head, when)
        elif name not in present:
            problems.append(f"{name}: in {when} ({head.count} rows), not in the database")
        else:
            sealed = table(name, column("id"), column("seal_no"), column("seal"))
            problems += _table_problems(conn, sealed, head, when)
    return problems


def _signature_problems(anchor: Anchor, signature: str | None, key: bytes | None) -> list[str]:
    if signature is None:
        if key:
            return [
                f"the anchor is not signed, yet {KEY_VARIABLE} is set: a signed one was expected"
            ]
        return []
    if not key:
        return [f"the anchor is signed: set {KEY_VARIABLE} to the office's key to check it"]
    if not hmac.compare_digest(signature, _signature(anchor.body(), key)):
        return ["the anchor file was altered: its signature (HMAC) does not match its content"]
    return []


def _journal_problems(conn: Connection, head: Head, when: str) -> list[str]:
    if head.count == 0:
        return []
    stored = conn.scalar(select(entries.c.hash).where(entries.c.id == head.count))
    if stored is None:
        last = conn.scalar(select(func.max(entries.c.id))) or 0
        return [
            f"journal: {when} records {head.count} entries, the ledger ends at entry {last}: "
            f"entries {last + 1}–{head.count} deleted"
        ]
    if stored != head.hash:
        return [
            f"journal: entry {head.count} is not the one anchored ({when}): the chain was "
            f"rewritten at or before entry {head.count}"
        ]
    return []


def _table_problems(conn: Connection, sealed: TableClause, head: Head, when: str) -> list[str]:
    if head.count == 0:
        return []
    name = sealed.name
    found = conn.execute(
        select(sealed.c.id, sealed.c.seal).where(sealed.c.seal_no == head.count)
    ).all()
    if not found:
        last = conn.scalar(select(func.max(sealed.c.seal_no))) or 0
        return [
            f"{name}: {when} records {head.count} rows, the table's chain ends at row {last}: "
            f"rows sealed as {last + 1}–{head.count} deleted"
        ]
    if all(seal != head.hash for _id, seal in found):
        return [
            f"{name}: row {head.count} (id {found[0][0]}) is not the one anchored ({when}): "
            f"the table's chain was rewritten at or before it"
        ]
    return []
