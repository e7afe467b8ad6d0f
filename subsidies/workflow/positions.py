"""资金情况: each fund's money (appropriated, committed, paid, returned, available) as the
console's 首页 shows it, from the ledger's running totals per event
(:func:`reports.execution.fund_totals`): a few rows, however many payouts the ledger holds.
The budget execution report sums the same figures from the postings; they agree to the fen
(``tests/workflow/test_positions.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ledgers import Ledger
from ledgers.schema import funds
from reports.execution import Figures, fund_totals


@dataclass(frozen=True)
class FundPosition:
    code: str
    name: str
    figures: Figures

    @property
    def available(self) -> int:
        """可用: appropriated − committed + recovered (1011 less 2303)."""
        return self.figures.available_change


def fund_positions(ledger: Ledger) -> list[FundPosition]:
    """Every fund, by code, with its figures over every period."""
    with ledger.reading() as conn:
        names = conn.execute(select(funds.c.code, funds.c.name).order_by(funds.c.code)).all()
        totals = fund_totals(conn)
    return [FundPosition(code, name, totals.get(code, Figures())) for code, name in names]
