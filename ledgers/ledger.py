"""The ledger's front door: :class:`Ledger` over one database."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from filelock import FileLock
from sqlalchemy import Connection, Engine, Table, insert, select, text

from ledgers import chart, keys, migrate, reports, schemes
from ledgers.anchor import Anchor
from ledgers.anchor import read as read_anchor
from ledgers.anchor import take as take_anchor
from ledgers.anchor import write as write_anchor
from ledgers.chart import Account
from ledgers.db import create_ledger_engine, reading, resolve_url, writing
from ledgers.errors import (
    FundExistsError,
    LedgerError,
    SchemaError,
    UnknownEntryError,
    UnknownFundError,
)
from ledgers.model import Entry, EntryDraft, Fund, period_of
from ledgers.posting import account_row, closed_through, lock_chain_head, open_account, post_batch
from ledgers.records import fetch_entries
from ledgers.schema import accounts, closed_periods, entries, funds
from ledgers.sealer import hold_writers_lock
from ledgers.transaction import Transaction
from ledgers.verify import VerifyResult, verify_ledger
from subsidies.domain.i18n import _

PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Ledger:
    """A double-entry fund ledger on SQLite or PostgreSQL. Amounts are integer fen."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def connect(cls, url: str | None = None) -> Ledger:
        """``url``, else ``$SUBSIDIES_DB``, else ``sqlite:///subsidies.db``."""
        return cls(create_ledger_engine(resolve_url(url)))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # transactions

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """A write transaction for entries and the caller's own rows: committed when the block
        ends, rolled back (nothing written) on any exception.

        On PostgreSQL it first takes the writers' lock (``ledgers/sealer.py``): write
        transactions take turns, as on SQLite, so the rows they seal are chained in order.
        """
        with writing(self.engine) as conn:
            hold_writers_lock(conn)
            tx = Transaction(conn)
            yield tx
            tx.finish()

    @contextmanager
    def one_at_a_time(self, name: str, key: str = "") -> Iterator[None]:
        """Hold the lock ``name`` (for ``key``) across several transactions, until the block
        ends or the process dies, so that a step made of several transactions (post, then
        write a file, then record it) runs once at a time.

        PostgreSQL: a session advisory lock on ``name:key``, on a connection of its own (the
        server releases it when a killed client's connection ends). SQLite, where writers
        take turns anyway: one lock file per ``name`` beside the database (the operating
        system releases it with the process); an in-memory database has only one process.
        """
        if self.engine.dialect.name == "postgresql":
            held = {"name": f"{name}:{key}"}
            with self.engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(hashtext(:name))"), held)
                conn.commit()
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(hashtext(:name))"), held)
                    conn.commit()
            return
        database = self.engine.url.database
        if not database or database == ":memory:":
            yield
            return
        with FileLock(f"{database}.{name}.lock", mode=0o600):
            yield

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read transaction: one consistent snapshot, never committed."""
        with reading(self.engine) as conn:
            yield conn

    # schema

    def upgrade(self) -> None:
        """Create or upgrade the schema (Alembic ``upgrade head``) and open the chart's accounts."""
        with writing(self.engine) as conn:
            migrate.upgrade(conn)
            present = set(conn.scalars(select(accounts.c.code)))
            missing = [account_row(a) for a in chart.CHART if a.code not in present]
            if missing:
                conn.execute(insert(accounts), missing)

    def require_schema(self) -> None:
        with reading(self.engine) as conn:
            current = migrate.current_revision(conn)
        if current != migrate.head_revision():
            shown = self.engine.url.render_as_string(hide_password=True)
            if current is None:
                message = _("the database {url} has no ledger schema: run `subsidies init`")
            else:
                message = _("the database {url} has schema {revision}: run `subsidies init`")
            raise SchemaError(message.format(url=shown, revision=current))

    # funds and accounts

    def add_fund(
        self,
        code: str,
        name: str,
        year: int | None = None,
        level: str | None = None,
        region: str | None = None,
    ) -> Fund:
        """Open a fund; adding the same fund again returns it, a different one under its code is refused."""
        if not code or code != code.strip() or not name.strip():
            raise LedgerError(
                _("a fund needs a code without surrounding spaces and a name: {code!r}").format(
                    code=code
                )
            )
        fund = Fund(code, name, year, level, region)
        with writing(self.engine) as conn:
            row = conn.execute(select(funds).where(funds.c.code == code)).first()
            if row is None:
                conn.execute(insert(funds).values(**_fund_row(fund), created_at=_now()))
                return fund
        existing = Fund(row.code, row.name, row.year, row.level, row.region)
        if existing != fund:
            raise FundExistsError(
                _("fund {code} already exists as {name}").format(code=code, name=existing.name)
            )
        return existing

    def funds(self) -> list[Fund]:
        with reading(self.engine) as conn:
            rows = conn.execute(select(funds).order_by(funds.c.code))
            return [Fund(r.code, r.name, r.year, r.level, r.region) for r in rows]

    def accounts(self) -> list[Account]:
        with reading(self.engine) as conn:
            rows = conn.execute(select(accounts).order_by(accounts.c.code))
            return [
                Account(r.code, r.name_zh, r.category, r.normal_side, r.bounded, r.parent)
                for r in rows
            ]

    def add_account(self, code: str, name_zh: str) -> Account:
        """Open a named sub-account ``PARENT.SUFFIX`` (e.g. a program under 5001) before first use."""
        with writing(self.engine) as conn:
            lock_chain_head(conn)  # account rows are added under the writers' lock
            return open_account(conn, code, name_zh)

    # posting

    def post(self, draft: EntryDraft) -> Entry:
        return self.post_many([draft])[0]

    def post_many(self, drafts: Iterable[EntryDraft]) -> list[Entry]:
        """Post all drafts in one transaction (all or none), in order; replays return the originals."""
        drafts = list(drafts)
        if not drafts:
            return []
        with writing(self.engine) as conn:
            return post_batch(conn, drafts, today=date.today(), now=_now())

    def appropriate(
        self,
        fund_code: str,
        fen: int,
        *,
        doc: str,
        key: str | None = None,
        on: date | None = None,
        by: str = "",
        memo: str = "",
    ) -> Entry:
        """拨款. The key defaults to ``appropriation:FUND:DOC``: one appropriation per document."""
        key = key or keys.appropriation(fund_code, doc)
        return self.post(
            schemes.appropriation(fund_code, fen, key=key, doc=doc, on=on, by=by, memo=memo)
        )

    def reverse(
        self,
        entry_id: int,
        reason: str,
        key: str | None = None,
        by: str = "",
        on: date | None = None,
    ) -> Entry:
        """冲销 an entry by its mirror, dated ``on`` (default today). The key defaults to ``reversal:ID``."""
        original = self.entry(entry_id)
        draft = schemes.reversal(
            original, key=key or keys.reversal(entry_id), reason=reason, on=on, by=by
        )
        return self.post(draft)

    def close_period(self, period: str, by: str = "") -> bool:
        """Close a month and every month before it; False if it was already closed."""
        match = PERIOD.match(period)
        if not match:
            raise LedgerError(
                _("a period is written YYYY-MM, not {period!r}").format(period=period)
            )
        if period > period_of(date.today()):
            raise LedgerError(
                _("period {period} has not begun and cannot be closed").format(period=period)
            )
        with writing(self.engine) as conn:
            lock_chain_head(conn)
            through = closed_through(conn)
            if through is not None and period <= through:
                return False
            conn.execute(
                insert(closed_periods).values(period=period, closed_at=_now(), closed_by=by)
            )
            return True

    # reading

    def closed_through(self) -> str | None:
        with reading(self.engine) as conn:
            return closed_through(conn)

    def entry(self, entry_id: int) -> Entry:
        with reading(self.engine) as conn:
            found = fetch_entries(conn, entries.c.id == entry_id)
        if not found:
            raise UnknownEntryError(_("no entry {entry}").format(entry=entry_id))
        return found[0]

    def balance(self, account: str, fund_code: str | None = None, as_of: date | None = None) -> int:
        """Balance on the account's normal side (debit for 1011, credit for 2303), sub-accounts included."""
        with reading(self.engine) as conn:
            found = reports.load_account(conn, account)
            net = reports.net_balance(conn, account, fund_code, as_of)
        return net if found.normal_side == "debit" else -net

    def available(self, fund_code: str) -> int:
        """What the fund can still commit: 1011 debit balance less 2303 credit balance."""
        with reading(self.engine) as conn:
            if conn.scalar(select(funds.c.code).where(funds.c.code == fund_code)) is None:
                raise UnknownFundError(_("no fund {fund}").format(fund=fund_code))
            return reports.available(conn, fund_code)

    def balances(self, fund_code: str | None = None) -> list[reports.BalanceRow]:
        with reading(self.engine) as conn:
            return reports.balance_rows(conn, fund_code)

    def trial_balance(
        self, as_of: date | None = None, fund_code: str | None = None
    ) -> reports.TrialBalance:
        with reading(self.engine) as conn:
            return reports.trial_balance(conn, as_of, fund_code)

    def journal(
        self,
        date_from: date | None = None,
        date_to: date | None = None,
        fund_code: str | None = None,
    ) -> list[Entry]:
        with reading(self.engine) as conn:
            return reports.journal(conn, date_from, date_to, fund_code)

    def statement(
        self,
        account: str,
        fund_code: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> reports.Statement:
        with reading(self.engine) as conn:
            return reports.statement(conn, account, fund_code, date_from, date_to)

    def verify(
        self,
        sealed: Sequence[Table] = (),
        anchor: Path | None = None,
        key: bytes | None = None,
    ) -> VerifyResult:
        """Recompute the hash chain and all balances, and every sealed table's chain (those
        the database records, and ``sealed``, which must have one); the result names the
        first bad entry and each row that does not hold. With ``anchor`` (a file written by
        :meth:`write_anchor`; ``key`` checks its signature) the chains must extend the
        anchored ones: entries and rows up to it neither rewritten nor deleted."""
        anchored = read_anchor(anchor) if anchor is not None else None
        with reading(self.engine) as conn:
            return verify_ledger(conn, sealed, anchored, key)

    def anchor(self) -> Anchor:
        """The journal's and every seal chain's head, with their counts, as of now."""
        with reading(self.engine) as conn:
            return take_anchor(conn, _now().isoformat(timespec="seconds") + "Z")

    def write_anchor(self, path: Path, key: bytes | None = None) -> Anchor:
        """Export :meth:`anchor` to ``path`` (signed with ``key`` if given), for the office to
        keep outside the database; returns it."""
        anchor = self.anchor()
        write_anchor(path, anchor, key)
        return anchor


def _fund_row(fund: Fund) -> dict:
    return {
        "code": fund.code,
        "name": fund.name,
        "year": fund.year,
        "level": fund.level,
        "region": fund.region,
    }
