"""Every refusal the ledger can give. Amounts are kept in fen; messages show yuan."""

from __future__ import annotations

from subsidies.domain.i18n import _
from subsidies.domain.money import yuan


class LedgerError(Exception):
    """Base of all ledger refusals; the message is one line an officer can read."""


class SchemaError(LedgerError):
    """The database has no ledger schema, or an older one."""


class UnknownFundError(LedgerError):
    pass


class UnknownAccountError(LedgerError):
    pass


class UnknownEntryError(LedgerError):
    pass


class FundExistsError(LedgerError):
    pass


class InvalidEntryError(LedgerError):
    """A draft that is malformed: no postings, a zero amount, an unknown kind."""


class UnbalancedEntryError(InvalidEntryError):
    """Debits differ from credits within one track and fund."""


class IdempotencyConflictError(LedgerError):
    """An entry key already used for different content."""


class PeriodClosedError(LedgerError):
    pass


class ReversalError(LedgerError):
    """A reversal that does not mirror its original, or a second reversal of one entry."""


class OverdraftError(LedgerError):
    """Posting would take a fund's available balance below zero.

    ``available`` and ``requested`` are in fen; the message shows them in yuan.
    """

    def __init__(self, fund: str, available: int, requested: int) -> None:
        self.fund, self.available, self.requested = fund, available, requested
        super().__init__(
            _(
                "overdraft refused: fund {fund} has {available} available, {requested} requested"
            ).format(fund=fund, available=yuan(available), requested=yuan(requested))
        )


class BalanceBoundError(LedgerError):
    """An account of a fund would cross to the wrong side (pay more than is payable, …)."""

    def __init__(self, account: str, fund: str, balance: int, change: int) -> None:
        self.account, self.fund, self.balance, self.change = account, fund, balance, change
        super().__init__(
            _("refused: {account} in fund {fund} holds {balance}, the entry takes {change}").format(
                account=account, fund=fund, balance=yuan(balance), change=yuan(change)
            )
        )
