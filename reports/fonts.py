"""The CJK font the PDFs print with: a system TrueType font, embedded, else STSong-Light.

Order: ``$SUBSIDIES_PDF_FONT`` (a font file, or ``STSong-Light``), the files listed in
``reports/data/fonts.yaml``, then what ``fc-list :lang=zh`` finds. reportlab embeds only
TrueType outlines, so a CFF-based font (most Noto Sans CJK builds) is tried and skipped.
Without any, reportlab's built-in ``STSong-Light`` (Adobe-GB1, not embedded) is used, which
every PDF reader shows with its own Song face: the PDF is valid on a machine with no fonts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

BUILTIN = "STSong-Light"
ENV = "SUBSIDIES_PDF_FONT"


class FontError(ValueError):
    """The font named in ``$SUBSIDIES_PDF_FONT`` cannot be used."""


@dataclass(frozen=True)
class Font:
    name: str  # the name registered with reportlab
    source: str  # the file, or "STSong-Light"
    embedded: bool


def cjk_font() -> Font:
    """The font for this process's reports (``$SUBSIDIES_PDF_FONT`` is read each call)."""
    return _font(os.environ.get(ENV, "").strip())


@cache
def _font(choice: str) -> Font:
    if choice == BUILTIN:
        return _builtin()
    if choice:
        found = _truetype(Path(choice), 0)
        if found is None:
            raise FontError(f"{ENV}={choice}: not a TrueType font reportlab can embed")
        return found
    for path, index in (*_configured(), *_fc_list()):
        found = _truetype(path, index)
        if found is not None:
            return found
    return _builtin()


def _builtin() -> Font:
    pdfmetrics.registerFont(UnicodeCIDFont(BUILTIN))
    return Font(BUILTIN, BUILTIN, embedded=False)


def _truetype(path: Path, index: int) -> Font | None:
    if not path.is_file():
        return None
    name = f"CJK-{path.stem}-{index}"
    try:
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
    except (TTFError, OSError, KeyError, ValueError):
        return None
    return Font(name, str(path), embedded=True)


def _configured() -> list[tuple[Path, int]]:
    listed = yaml.safe_load((resources.files("reports") / "data" / "fonts.yaml").read_text("utf-8"))
    return [(Path(p), 0) for p in listed["files"]]


def _fc_list() -> list[tuple[Path, int]]:
    """TrueType files fontconfig knows for Chinese, regular faces first."""
    if shutil.which("fc-list") is None:
        return []
    try:
        out = subprocess.run(
            ["fc-list", "-f", "%{file}|%{index}|%{style}\n", ":lang=zh"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in out.splitlines():
        file, _, rest = line.partition("|")
        index, _, style = rest.partition("|")
        if file.lower().endswith((".ttf", ".ttc")) and index.isdigit():
            found.append((style.lower() not in ("regular", "book", ""), Path(file), int(index)))
    return [(path, index) for _, path, index in sorted(found)]
