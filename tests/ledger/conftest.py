from __future__ import annotations

import sys
from pathlib import Path

import pytest

# pytest runs in importlib mode (tests/ is not on sys.path); the ledger tests share
# ledger_helpers, which the spawned worker processes of the concurrency test import too.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ledger_helpers import FUND, FUND_NAME, JUNE  # noqa: E402

from ledgers import Ledger  # noqa: E402


@pytest.fixture
def funded(ledger: Ledger) -> Ledger:
    """A ledger with fund QH2024 holding 10,000.00 yuan, appropriated on 2024-06-03."""
    ledger.add_fund(FUND, FUND_NAME, year=2024, level="中央", region="青海")
    ledger.appropriate(FUND, 1_000_000, doc="青财社指〔2024〕12号", on=JUNE, by="li")
    return ledger
