"""Fixtures for the report tests; the builders are in ``report_helpers``, the checks of a
printed PDF in ``pdf_checks``."""

from __future__ import annotations

import sys
from pathlib import Path

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
