"""The demo's tests read its files back with the workflow tests' readers (``written_files``)."""

from __future__ import annotations

import sys
from pathlib import Path

_WORKFLOW = Path(__file__).resolve().parent.parent / "workflow"
if str(_WORKFLOW) not in sys.path:
    sys.path.append(str(_WORKFLOW))
