"""Text made to fit a width: wrapped into lines, or set smaller, so nothing is drawn over
the next cell, label or page edge. Widths are reportlab's, in points."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth

SLACK = 0.01  # points: a width summed in another order may differ in its last bits


def wrap(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    """``text`` broken into lines no wider than ``width``: at its line breaks, and where a
    line would overflow — between any two characters, as CJK text breaks, but before a
    Latin word or number rather than inside it when the line has room for the break."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for char in paragraph:
            if line and stringWidth(line + char, font, size) > width + SLACK:
                cut = _word_start(line) if _in_word(char) else len(line)
                lines.append(line[:cut].rstrip() or line)
                line = line[cut:].lstrip() if line[:cut].rstrip() else ""
            line += char
        lines.append(line)
    return tuple(lines)


def _in_word(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in ".,_-")


def _word_start(line: str) -> int:
    """Where the Latin word or number ``line`` ends in starts (its length if it is one)."""
    start = len(line)
    while start and _in_word(line[start - 1]):
        start -= 1
    return start or len(line)


def in_lines(
    text: str, font: str, size: float, width: float, most: int, least: float
) -> tuple[tuple[str, ...], float]:
    """``text`` wrapped into at most ``most`` lines of ``width``, set smaller (down to
    ``least``) if it must; past that it takes the lines it needs."""
    while True:
        lines = wrap(text, font, size, width)
        if len(lines) <= most or size <= least:
            return lines, size
        size = max(least, size - 0.5)


def one_line(text: str, font: str, size: float, room: float, least: float) -> tuple[str, float]:
    """``text`` in at most ``room`` points on one line: set smaller, down to ``least``, then
    cut short with "…" (for a running header, whose whole text the first page prints)."""
    natural = stringWidth(text, font, size)
    if natural <= room:
        return text, size
    size = max(least, size * room / natural)
    if stringWidth(text, font, size) <= room + SLACK:
        return text, size
    while text and stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text + "…", size
