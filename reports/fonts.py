"""The font every PDF prints with: shipped, embedded and subset, the same on any machine.

The font is LXGW WenKai (霞鹜文楷, OFL-1.1) in ``reports/data/fonts/`` (its README says where
it came from and why): a TrueType (glyf) font, which reportlab embeds as a subset of the
characters a PDF uses, so a report prints the same on a server with no Chinese fonts.
``$SUBSIDIES_PDF_FONT`` names another TrueType file (``path`` or ``path#N`` for face N of a
collection); one reportlab cannot embed is refused, never replaced by a font left out of
the PDF.

A character the font has no glyph for is never printed blank: :meth:`Font.printable` puts
``[U+XXXX]`` (its code point) in its place and logs a warning naming it (once a process).
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

ENV = "SUBSIDIES_PDF_FONT"
SHIPPED = "LXGWWenKai-Regular.ttf"
LAYOUT = frozenset("\n\r\t")  # not drawn: line breaks and tabs need no glyph

log = logging.getLogger(__name__)


class FontError(ValueError):
    """The font named in ``$SUBSIDIES_PDF_FONT`` cannot be embedded."""


@dataclass(frozen=True, eq=False)
class Font:
    name: str  # the name registered with reportlab
    source: str  # the font file (``#N`` for a face of a collection)
    chars: frozenset[int]  # the code points it has a glyph for

    def covers(self, char: str) -> bool:
        return ord(char) in self.chars or char in LAYOUT

    def printable(self, text: str) -> str:
        """``text`` with each character the font has no glyph for shown as ``[U+XXXX]``."""
        if all(self.covers(c) for c in text):
            return text
        for char in sorted({c for c in text if not self.covers(c)}):
            _warn(Path(self.source).name, char)
        return "".join(c if self.covers(c) else f"[U+{ord(c):04X}]" for c in text)


@cache
def _warn(font: str, char: str) -> None:
    """Say once per process which character a font cannot print."""
    log.warning("%s has no glyph for %s U+%04X: printed as its code point", font, char, ord(char))


def cjk_font() -> Font:
    """The font for this process's reports (``$SUBSIDIES_PDF_FONT`` is read each call)."""
    return _font(os.environ.get(ENV, "").strip())


@cache
def _font(choice: str) -> Font:
    if not choice:
        with resources.as_file(resources.files("reports") / "data" / "fonts" / SHIPPED) as path:
            return _truetype(path, 0)
    match = re.fullmatch(r"(.*?)(?:#(\d+))?", choice)
    path, index = Path(match[1]), int(match[2] or 0)
    if not path.is_file():
        raise FontError(f"{ENV}={choice}: no such font file")
    try:
        return _truetype(path, index)
    except (TTFError, OSError, KeyError, ValueError) as error:
        raise FontError(
            f"{ENV}={choice}: not a TrueType font reportlab can embed ({error})"
        ) from None


def _truetype(path: Path, index: int) -> Font:
    font = TTFont(f"CJK-{path.stem}-{index}", str(path), subfontIndex=index)
    pdfmetrics.registerFont(font)
    chars = frozenset(c for c, glyph in font.face.charToGlyph.items() if glyph)
    return Font(font.fontName, str(path) + (f"#{index}" if index else ""), chars)


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap of a subset, with each character written in UTF-16BE.

    reportlab writes 𠮷 (U+20BB7) as ``<20BB7>``, which readers cannot parse (pdftotext
    copies the name as "₻"); a ToUnicode CMap holds UTF-16BE, ``<D842DFB7>``.
    """
    chars = (
        f"<{i:02X}> <{chr(v).encode('utf-16-be').hex().upper()}>" for i, v in enumerate(subset)
    )
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            f"/CIDSystemInfo << /Registry ({fontname}) /Ordering ({fontname}) /Supplement 0 >> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *chars,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # read by TTFont.addObjects as it writes a PDF
