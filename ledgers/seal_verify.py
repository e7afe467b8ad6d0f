"""Walk every sealed table's chain (:mod:`ledgers.seals`) and name the rows that do not hold:
a row edited after it was written, rows deleted (in the middle or at the end), a row
inserted outside the ledger, a chain head that does not match its table."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, MetaData, Table, bindparam, inspect, literal, select
from sqlalchemy import table as table_clause

from ledgers.chain import GENESIS
from ledgers.schema import seals
from ledgers.seals import canonical_rows, seal_of

PAGE = 5000


@dataclass(frozen=True, slots=True)
class SealCheck:
    """What verify found in one sealed table: its rows, and each problem named."""

    table: str
    rows: int
    problems: tuple[str, ...]


def verify_sealed(conn: Connection, declared: Sequence[Table] = ()) -> list[SealCheck]:
    """Every chain the ``seals`` table records, and every ``declared`` sealed table (a
    declared table without a chain is a problem: its record was deleted)."""
    heads = {name: (rows, head) for name, rows, head in conn.execute(select(seals))}
    tables = {t.name: t for t in declared}
    present = set(inspect(conn).get_table_names())
    checks = []
    for name in sorted(set(heads) | set(tables)):
        if name not in present:
            checks.append(
                SealCheck(name, 0, (f"{name}: sealed, but the database has no such table",))
            )
            continue
        table = tables.get(name)
        if table is None:
            if heads[name] == (0, GENESIS) and _empty(conn, name):
                checks.append(SealCheck(name, 0, ()))
                continue
            table = Table(name, MetaData(), autoload_with=conn)  # its columns' types
        checks.append(_verify_table(conn, table, heads.get(name)))
    return checks


def _empty(conn: Connection, name: str) -> bool:
    return conn.execute(select(literal(1)).select_from(table_clause(name)).limit(1)).first() is None


def _pages(conn: Connection, table: Table) -> Iterator[list]:
    query = select(table).where(table.c.id > bindparam("after")).order_by(table.c.id)
    query = query.limit(PAGE)
    after = 0
    while rows := conn.execute(query, {"after": after}).all():
        yield rows
        after = rows[-1].id


def _verify_table(conn: Connection, table: Table, head: tuple[int, str] | None) -> SealCheck:
    name = table.name
    problems: list[str] = []
    if head is None:
        problems.append(f"{name}: the seals table has no head for it (its record deleted)")
    prev, last, count = GENESIS, 0, 0  # the chain so far: last seal, its number
    foreign: list[int] = []  # ids of rows outside the chain
    names = [c.name for c in table.columns]
    for rows in _pages(conn, table):
        count += len(rows)
        columns = dict(zip(names, zip(*rows, strict=True), strict=True))
        contents = canonical_rows(table, columns, len(rows))
        for row, content in zip(rows, contents, strict=True):
            if row.seal is None or row.seal_no is None:
                problems.append(f"{name} id {row.id}: no seal: inserted outside the ledger")
                foreign.append(row.id)
                continue
            if row.seal_no != last + 1:
                problem = _out_of_place(table, row, columns, prev, last)
                problems.append(problem)
                if row.seal_no <= last:
                    foreign.append(row.id)
                    continue
            elif seal_of(prev, content) != row.seal:
                problems.append(
                    f"{name} id {row.id}: does not match its seal: edited after it was written"
                )
            prev, last = row.seal, row.seal_no
    if head is not None:
        problems += _against_head(name, head, prev, last)
    return SealCheck(name, count, tuple(problems))


def _out_of_place(table: Table, row, columns: dict, prev: str, last: int) -> str:
    """A row whose seal number is not the next one: its number edited, rows deleted before
    it, or a row put in out of order."""
    name = table.name
    as_next = dict(row._mapping)
    as_next["seal_no"] = last + 1
    (content,) = canonical_rows(table, {k: [v] for k, v in as_next.items()}, 1)
    if seal_of(prev, content) == row.seal:
        return (
            f"{name} id {row.id}: its seal number was edited ({row.seal_no}, sealed as {last + 1})"
        )
    if row.seal_no > last + 1:
        missing = f"{last + 1}" if row.seal_no == last + 2 else f"{last + 1}–{row.seal_no - 1}"
        return f"{name}: row(s) sealed as {missing} missing before id {row.id}: deleted"
    return (
        f"{name} id {row.id}: sealed as row {row.seal_no} after row {last}: "
        "inserted outside the ledger, or its seal copied"
    )


def _against_head(name: str, head: tuple[int, str], prev: str, last: int) -> list[str]:
    rows, head_hash = head
    if last < rows:
        missing = f"{rows}" if last + 1 == rows else f"{last + 1}–{rows}"
        return [f"{name}: the last {rows - last} row(s), sealed as {missing}, deleted"]
    if last > rows:
        return [
            f"{name}: rows sealed as {rows + 1}–{last} are beyond the recorded head "
            f"({rows} rows): inserted outside the ledger, or the head moved back"
        ]
    if prev != head_hash:
        return [
            f"{name}: the last row's seal is not the recorded head: the table or its head edited"
        ]
    return []
