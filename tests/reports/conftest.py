"""Fixtures for the report tests; the builders are in ``report_helpers``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reports import fonts

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(params=["system", "builtin"])
def font(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> fonts.Font:
    """Each PDF test runs with the system's CJK TrueType font (embedded) and with STSong-Light."""
    if request.param == "builtin":
        monkeypatch.setenv(fonts.ENV, fonts.BUILTIN)
    else:
        monkeypatch.delenv(fonts.ENV, raising=False)
        if not fonts.cjk_font().embedded:
            pytest.skip("no CJK TrueType font on this system (fc-list :lang=zh finds none)")
    return fonts.cjk_font()
