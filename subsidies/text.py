"""Small wording helpers for what the CLI prints."""

from __future__ import annotations


def counted(n: int, noun: str) -> str:
    """``1 claim``, ``2 claims``, ``1,000 claims``."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
