"""Fixtures for the console's tests: an office with one officer per role, a ledger in the
states the pages show (built by the workflow's own functions, as those officers), and
signed-in HTTP clients of the real application."""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
for folder in (_HERE, _HERE.parent / "workflow"):  # console_helpers, workflow_helpers
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
