"""A double-entry fund ledger for employment subsidy funds (就业补助资金).

Balanced, immutable, idempotent, never overdrawn, tamper-evident; SQLite by default,
PostgreSQL when shared. See ``ledgers/README.md`` for the accounting scheme.
"""

from ledgers.chart import Account
from ledgers.errors import (
    BalanceBoundError,
    FundExistsError,
    IdempotencyConflictError,
    InvalidEntryError,
    LedgerError,
    OverdraftError,
    PeriodClosedError,
    ReversalError,
    SchemaError,
    UnbalancedEntryError,
    UnknownAccountError,
    UnknownEntryError,
    UnknownFundError,
)
from ledgers.ledger import Ledger
from ledgers.lists import listed, one_of
from ledgers.model import Entry, EntryDraft, Fund, Kind, Posting
from ledgers.reports import BalanceRow, Statement, TrialBalance
from ledgers.transaction import Transaction, fetch_tuples, utc_now
from ledgers.verify import VerifyResult

__all__ = [
    "Account",
    "BalanceBoundError",
    "BalanceRow",
    "Entry",
    "EntryDraft",
    "Fund",
    "FundExistsError",
    "IdempotencyConflictError",
    "InvalidEntryError",
    "Kind",
    "Ledger",
    "LedgerError",
    "OverdraftError",
    "Posting",
    "PeriodClosedError",
    "ReversalError",
    "SchemaError",
    "Statement",
    "Transaction",
    "TrialBalance",
    "UnbalancedEntryError",
    "UnknownAccountError",
    "UnknownEntryError",
    "UnknownFundError",
    "VerifyResult",
    "fetch_tuples",
    "listed",
    "one_of",
    "utc_now",
]
