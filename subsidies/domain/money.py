"""Exact money: integer fen inside, py-moneyed ``Money`` (CNY) at the edges.

Nothing here ever touches a float. Officers type amounts as "1000", "1,000.00",
"¥1,000" or "1000元"; :func:`parse_yuan` turns each into integer fen and refuses
anything that would need rounding (more than two decimals) or guessing.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal

import numpy as np
import pandas as pd
from moneyed import CNY, Money

FEN_PER_YUAN = 100

_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)  # no rounding at any size
# What officers write around a number of yuan ("¥1,000.00元", "RMB 12.5", "人民币500"), and
# the number itself: digits, grouping commas only in threes, at most two decimals. The
# claim-file reader applies the same two patterns to whole columns.
DECORATION = r"\s|^[¥￥]|^(?:RMB|CNY)|^人民币|元$"
YUAN = r"^(-)?((?:[0-9]{1,3}(?:,[0-9]{3})+)|[0-9]+)(?:\.([0-9]{1,2}))?$"
_DECORATION = re.compile(DECORATION, re.IGNORECASE)
_YUAN = re.compile(YUAN)


class AmountError(ValueError):
    """An amount that cannot be read exactly."""


def parse_yuan(text: str | int | Decimal | Money) -> int:
    """Return the amount in integer fen.

    Accepts text as officers type it, an ``int`` of yuan, a ``Decimal`` with at
    most two places, or a CNY ``Money``. A ``float`` is refused: its value is
    already inexact, so reading it would be a silent rounding.
    """
    if isinstance(text, (bool, float)):
        raise TypeError(f"money must not be a {type(text).__name__}: {text!r}")
    if isinstance(text, Money):
        return from_money(text)
    if isinstance(text, int):
        return text * FEN_PER_YUAN
    if isinstance(text, Decimal):
        return _decimal_to_fen(text, repr(text))
    if not isinstance(text, str):
        raise TypeError(f"money must be text, int, Decimal or Money, not {type(text).__name__}")
    cleaned = _DECORATION.sub("", unicodedata.normalize("NFKC", text).strip())
    match = _YUAN.match(cleaned)
    if not match:
        raise AmountError(f"{text!r} is not an amount in yuan with at most two decimals")
    sign, whole, frac = match.groups()
    fen = int(whole.replace(",", "")) * FEN_PER_YUAN + int((frac or "").ljust(2, "0"))
    return -fen if sign else fen


def _decimal_to_fen(value: Decimal, shown: str) -> int:
    if not value.is_finite():
        raise AmountError(f"{shown} is not a finite amount")
    fen = value.scaleb(2, _EXACT)
    if fen != fen.to_integral_value(context=_EXACT):
        raise AmountError(f"{shown} has fractions of a fen")
    return int(fen)


def to_money(fen: int) -> Money:
    """Integer fen to a CNY ``Money`` for display or an API edge."""
    if not isinstance(fen, int) or isinstance(fen, bool):
        raise TypeError(f"fen must be an int, not {type(fen).__name__}")
    return Money(Decimal(f"{fen}e-2"), CNY)  # built from text: exact at any size


def from_money(money: Money) -> int:
    """A CNY ``Money`` to integer fen; other currencies are refused."""
    if money.currency != CNY:
        raise AmountError(f"{money.amount} {money.currency} is not in CNY")
    return _decimal_to_fen(money.amount, f"{money.amount} {money.currency}")


def format_yuan(fen: int) -> str:
    """``123456`` fen -> ``"1234.56"`` (the results files' amount format)."""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(int(fen)), FEN_PER_YUAN)
    return f"{sign}{whole}.{part:02d}"


def format_yuan_grouped(fen: int) -> str:
    """``123456789`` fen -> ``"1,234,567.89"`` for printed reports."""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(int(fen)), FEN_PER_YUAN)
    return f"{sign}{whole:,}.{part:02d}"


def yuan(fen: int) -> str:
    """``100000`` fen -> ``"1,000.00 元"``: money in every message, in either language."""
    return f"{format_yuan_grouped(fen)} 元"


def yuan_each(fen) -> np.ndarray:
    """:func:`yuan` of every amount of a column (each distinct amount formatted once)."""
    return format_yuan_each(fen, grouped=True) + " 元"


def format_yuan_each(fen, *, grouped: bool = False) -> np.ndarray:
    """:func:`format_yuan` (``grouped``: :func:`format_yuan_grouped`) of every amount of a
    column, as text; each distinct amount is formatted once (a batch repeats a few)."""
    values = np.asarray(fen, dtype=np.int64)
    codes, distinct = pd.factorize(values)
    shown = format_yuan_grouped if grouped else format_yuan
    return np.array([shown(int(v)) for v in distinct], dtype=object)[codes]
