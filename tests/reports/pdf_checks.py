"""Checks of a PDF as it prints, read back from the file: every font embedded, every
character drawn with a glyph of its embedded font, no text drawn over other text or off
the page. Each returns what it found wrong (empty when the PDF is right), so a failing
test shows the page and the text.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTComponent, LTContainer
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
OVERLAP = 0.2  # of the smaller box, across and up: touching neighbours overlap by ~0


def _fonts(resources: DictionaryObject | None):
    """Every font of a page's resources, the fonts of its form XObjects included."""
    if not resources:
        return
    for ref in (resources.get("/Font") or {}).values():
        yield ref.get_object()
    for ref in (resources.get("/XObject") or {}).values():
        form = ref.get_object()
        if form.get("/Subtype") == "/Form":
            yield from _fonts(form.get("/Resources"))


def _descriptor(font) -> DictionaryObject:
    if "/DescendantFonts" in font:
        font = font["/DescendantFonts"][0].get_object()
    return (font.get("/FontDescriptor") or DictionaryObject()).get_object()


def fonts_not_embedded(path: Path) -> list[str]:
    """Fonts of any page whose descriptor carries no font file (a reader substitutes them)."""
    return [
        f"page {n}: {font['/BaseFont']}"
        for n, page in enumerate(PdfReader(path).pages, start=1)
        for font in _fonts(page.get("/Resources"))
        if not any(key in _descriptor(font) for key in FONT_FILES)
    ]


def _to_unicode(font) -> dict[int, str]:
    """The font's ToUnicode CMap as code -> text (``bfchar`` entries, UTF-16BE)."""
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    return {
        int(code, 16): bytes.fromhex(text).decode("utf-16-be")
        for code, text in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", cmap.split("beginbfchar", 1)[-1]
        )
    }


def _glyphs_of(font) -> dict[str, bool]:
    """Each character of the font's ToUnicode CMap: whether its code has a glyph with an
    outline (not .notdef, not empty) in the embedded TrueType file."""
    embedded = _descriptor(font).get("/FontFile2")
    if embedded is None or "/ToUnicode" not in font:
        return {}
    face = TTFont(io.BytesIO(embedded.get_object().get_data()))
    names = {code: name for table in face["cmap"].tables for code, name in table.cmap.items()}
    glyf = face["glyf"]
    return {
        text: code in names
        and face.getGlyphID(names[code]) != 0
        and glyf[names[code]].numberOfContours != 0
        for code, text in _to_unicode(font).items()
    }


def font_glyphs(path: Path) -> dict[str, dict[str, bool]]:
    """Every font of the PDF by name (subset prefix included): :func:`_glyphs_of`."""
    return {
        str(font["/BaseFont"]).lstrip("/"): _glyphs_of(font)
        for page in PdfReader(path).pages
        for font in _fonts(page.get("/Resources"))
    }


@dataclass(frozen=True)
class Glyph:
    text: str
    font: str
    x0: float
    y0: float
    x1: float
    y1: float


def _chars(item: LTComponent):
    if isinstance(item, LTChar):
        yield item
    elif isinstance(item, LTContainer):
        for child in item:
            yield from _chars(child)


def page_glyphs(path: Path) -> list[tuple[list[Glyph], tuple[float, float, float, float]]]:
    """Each page's printed characters (white space left out) with their boxes, and the page's box."""
    pages = []
    for page in extract_pages(path):
        glyphs = [
            Glyph(c.get_text(), c.fontname, c.x0, c.y0, c.x1, c.y1)
            for c in _chars(page)
            if c.get_text().strip()
        ]
        pages.append((glyphs, page.bbox))
    return pages


def _overlap(a: Glyph, b: Glyph) -> bool:
    across = min(a.x1, b.x1) - max(a.x0, b.x0)
    up = min(a.y1, b.y1) - max(a.y0, b.y0)
    return across > OVERLAP * min(a.x1 - a.x0, b.x1 - b.x0) and up > OVERLAP * min(
        a.y1 - a.y0, b.y1 - b.y0
    )


def _near(glyphs: list[Glyph], g: Glyph) -> str:
    """The text printed on ``g``'s line around it, to say where it is."""
    line = sorted(
        (o for o in glyphs if abs(o.y0 - g.y0) < 1 and abs(o.x0 - g.x0) < 120), key=lambda o: o.x0
    )
    return "".join(o.text for o in line)


def _overprints(n: int, glyphs: list[Glyph]) -> list[str]:
    wrong = []
    ordered = sorted(glyphs, key=lambda g: g.x0)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.x0 >= a.x1:
                break
            if _overlap(a, b):
                wrong.append(
                    f"page {n}: {a.text!r} of {_near(glyphs, a)!r} over "
                    f"{b.text!r} of {_near(glyphs, b)!r} at ({a.x0:.0f}, {a.y0:.0f})"
                )
    return wrong


def _off_the_page(n: int, glyphs: list[Glyph], box: tuple[float, ...]) -> list[str]:
    left, bottom, right, top = box
    return [
        f"page {n}: {g.text!r} of {_near(glyphs, g)!r} off the page at ({g.x0:.0f}, {g.y0:.0f})"
        for g in glyphs
        if g.x0 < left - 0.5 or g.x1 > right + 0.5 or g.y0 < bottom - 0.5 or g.y1 > top + 0.5
    ]


def _without_glyph(n: int, glyphs: list[Glyph], fonts: dict[str, dict[str, bool]]) -> list[str]:
    return [
        f"page {n}: {g.text!r} (U+{ord(g.text[0]):04X}) of {_near(glyphs, g)!r} "
        f"has no glyph in {g.font}"
        for g in glyphs
        if not fonts.get(g.font, {}).get(g.text, False)
    ]


def print_faults(path: Path) -> list[str]:
    """What a reader would print wrong: fonts not embedded, characters printed without a
    glyph in their embedded font, characters drawn over each other (boxes overlapping by
    more than OVERLAP both ways) or (partly) off the page."""
    fonts = font_glyphs(path)
    return fonts_not_embedded(path) + [
        fault
        for n, (glyphs, box) in enumerate(page_glyphs(path), start=1)
        for fault in _without_glyph(n, glyphs, fonts)
        + _overprints(n, glyphs)
        + _off_the_page(n, glyphs, box)
    ]
