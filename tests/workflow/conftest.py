"""Fixtures for the payout workflow tests; the builders are in ``workflow_helpers``.

Every workflow test takes the ``ledger`` / ``db_url`` fixtures of ``tests/conftest.py``, so
it runs on SQLite (a file) and on PostgreSQL (a fresh schema).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

_TESTS = Path(__file__).resolve().parent.parent


# the shared builders, importable by the test modules under either import mode
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from workflow_helpers import fund_ledger, write_claims  # noqa: E402

from ledgers import Ledger  # noqa: E402


@pytest.fixture
def funded(ledger: Ledger) -> Ledger:
    """A ledger (SQLite or PostgreSQL) with fund QH2024 holding 50,000,000.00 元."""
    return fund_ledger(ledger)


@pytest.fixture
def files(tmp_path: Path) -> Callable[..., Path]:
    """``files(rows, name=None)``: write claim rows to a fresh CSV under tmp_path."""
    count = 0

    def make(rows: list[dict] | pd.DataFrame, name: str | None = None) -> Path:
        nonlocal count
        count += 1
        return write_claims(tmp_path / (name or f"claims-{count}.csv"), rows)

    return make
