"""Small wording helpers for what the CLI prints."""

from __future__ import annotations

import numpy as np

from subsidies.domain.i18n import ngettext


def count_text(n: int, singular: str, plural: str) -> str:
    """A count in every message: ``count_text(119529, "{n} claim", "{n} claims")`` is
    ``119,529 claims``, in Chinese ``119,529 笔`` (money is :func:`~subsidies.domain.money.yuan`)."""
    return ngettext(singular, plural, n).format(n=f"{n:,}")


def counted(n: int, noun: str) -> str:
    """``1 claim``, ``2 claims``, ``1,000 claims`` (English only: :func:`count_text` replaces it)."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def plain_ascii(text: str, *, lower: bool = True) -> bool:
    """Whether ``text`` is ASCII without spaces or control characters (nor lower-case
    letters, unless ``lower``): NFKC and strip (and upper-casing) leave such text, and any
    part of it, as it is. One pass over the bytes, for a column's cells joined."""
    if not text.isascii():
        return False
    codes = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    odd = codes <= ord(" ")
    if not lower:
        odd |= (codes >= ord("a")) & (codes <= ord("z"))
    return not odd.any()
