"""Fixtures for the reconciliation tests; the builders are in ``recon_helpers``.

Every test takes ``db_url`` / ``ledger`` from ``tests/conftest.py``, so it runs on SQLite
(a file) and on PostgreSQL (a fresh schema). The claim builders come from
``tests/workflow/workflow_helpers.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_TESTS = Path(__file__).resolve().parent.parent


if str(_TESTS / "workflow") not in sys.path:  # workflow_helpers, when run on its own
    sys.path.append(str(_TESTS / "workflow"))
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from recon_helpers import Paid, pay_batch  # noqa: E402
from workflow_helpers import fund_ledger  # noqa: E402

from ledgers import Ledger  # noqa: E402


@pytest.fixture
def funded(ledger: Ledger) -> Ledger:
    """A ledger (SQLite or PostgreSQL) with fund QH2024 holding 50,000,000.00 元."""
    return fund_ledger(ledger)


@pytest.fixture
def paid(funded: Ledger, tmp_path: Path) -> Paid:
    """Six pending payments of one approved goji batch, paid 2024-10-14: 100, 50, 100, 50,
    100, 50 元, each to its own account, payee 马经纪 (the broker)."""
    return pay_batch(funded, tmp_path, groups=["脱贫劳动力", "其他"] * 3)
