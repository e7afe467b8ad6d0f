"""Identity numbers, checked in bulk, and masked for print.

- 公民身份号码 (GB 11643-1999): 17 digits and an ISO 7064 MOD 11-2 check
  character (0-9 or X, read case-blind); digits 7-14 are a real birth date. A number is
  also plausible, or it is refused: its first two digits are a province-level code of
  GB/T 2260 (:data:`~subsidies.domain.places.PROVINCES`) and the birth date falls from
  1900-01-01 to the day the claims are read (``today``, always given, never a clock).
- 统一社会信用代码 (GB 32100-2015): 18 characters from the 31-character set
  ``0-9 A-Z`` without I O S V Z: a registration-authority code (登记管理部门代码,
  1-9, A, N or Y), an organisation category, a six-digit division code (登记管理机关
  行政区划码), the organisation code, and a weighted mod-31 check character. A
  plausible 身份证号 typed in the column is named as such (about one in 31 would pass
  the check character alone); a code that merely also passes the 身份证号 check character
  (``912102001207209936``: "91" is no province, 0012 no birth year) is a code.

Each checker takes a pandas Series of text and returns the normalised values and
a Series of reasons ("" where the number is good), so a million rows cost a few
vectorised passes, not a Python loop per row.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

import numpy as np
import pandas as pd

from subsidies.domain.i18n import N_, _
from subsidies.domain.places import PROVINCES
from subsidies.domain.text import plain_ascii

RESIDENT_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
RESIDENT_CHECK = "10X98765432"  # indexed by (weighted sum mod 11)
EARLIEST_BIRTH = dt.date(1900, 1, 1)
_PROVINCE = np.isin(np.arange(100), [int(code) for code in PROVINCES])  # by the first 2 digits
_NFKC = functools.partial(unicodedata.normalize, "NFKC")

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_AUTHORITIES = "123456789ANY"
CREDIT_SHAPE = f"[{CREDIT_AUTHORITIES}][{CREDIT_ALPHABET}][0-9]{{6}}[{CREDIT_ALPHABET}]{{10}}"
CREDIT_WEIGHTS = np.array(
    [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int64
)

_SCIENTIFIC = r"^[0-9](\.[0-9]+)?[eE]\+?[0-9]+$"
_RESIDENT_SHAPE = N_("must be 18 characters: 17 digits and a check digit or X (GB 11643-1999)")
EXCEL_NUMBER_HINT = N_(
    "looks like a number Excel converted (digits lost); format the column as text and re-enter it"
)  # a message id: shown as _(EXCEL_NUMBER_HINT)


def _normalised(values: pd.Series) -> pd.Series:
    """Full-width characters typed with a Chinese input method read as ASCII (NFKC),
    stripped and upper-cased; missing values are "". A value that needs no change is kept
    as the same str, not a copy (a million ids take 70 MB)."""
    cells = values.tolist()
    try:
        joined = "".join(cells)
    except TypeError:  # not all text
        cells = [v if isinstance(v, str) else "" for v in cells]
        joined = "".join(cells)
    if plain_ascii(joined, lower=False):  # nothing to change: every cell is kept as it is
        return pd.Series(cells, index=values.index, dtype="string")
    stripped = list(map(str.strip, map(_NFKC, cells)))
    text = np.array(stripped, dtype=object)
    upper = np.array(list(map(str.upper, stripped)), dtype=object)
    return pd.Series(np.where(upper == text, text, upper), index=values.index, dtype="string")


def _fixed_width_ascii(text: list[str], width: int) -> np.ndarray:
    """Which values are ``width`` ASCII characters long (the only ones worth checking)."""
    n = len(text)
    sized = np.fromiter(map(len, text), dtype=np.int64, count=n) == width
    return sized & np.fromiter(map(str.isascii, text), dtype=bool, count=n)


def _real_dates(yyyymmdd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``YYYYMMDD`` numbers as datetime64[s] and whether each is a real date."""
    year, month, day = yyyymmdd // 10000, yyyymmdd // 100 % 100, yyyymmdd % 100
    ok = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)
    first = (year - 1970).astype("datetime64[Y]").astype("datetime64[M]")
    first = first + (np.clip(month, 1, 12) - 1).astype("timedelta64[M]")
    days_in_month = (
        (first + np.timedelta64(1, "M")).astype("datetime64[D]") - first.astype("datetime64[D]")
    ).astype(np.int64)
    ok &= day <= days_in_month
    dates = first.astype("datetime64[D]") + (np.clip(day, 1, 31) - 1).astype("timedelta64[D]")
    return dates.astype("datetime64[s]"), ok


_BYTES = np.uint64(0x0101010101010101)  # one in each byte of a uint64


def eight_digit_numbers(codes: np.ndarray) -> np.ndarray | None:
    """Byte codes (n, 8) of ASCII digits as the numbers they write ("20240701" -> 20240701),
    or None if a byte is not a digit. Each row is read as one little-endian uint64 and its
    digits are paired, paired again and again (2, 4, then 8 digits): three multiplications
    a row, not eight."""
    eight = np.ascontiguousarray(codes, dtype=np.uint8).view("<u8").ravel()
    zeros, high = _BYTES * np.uint64(0x30), _BYTES * np.uint64(0xF0)
    # every byte 0x30-0x39: its high half 3, and still 3 once 6 is added (no carry: 0x3F + 6)
    if not (((eight & high) == zeros) & (((eight + _BYTES * np.uint64(6)) & high) == zeros)).all():
        return None
    x = eight - zeros  # a digit in each byte, the first in the lowest
    for shift, lanes in ((8, 0x00FF00FF00FF00FF), (16, 0x0000FFFF0000FFFF), (32, 0xFFFFFFFF)):
        x = (x * np.uint64(10 ** (shift // 8)) + (x >> np.uint64(shift))) & np.uint64(lanes)
    return x.astype(np.int64)


def _weighted_digits(codes: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Σ weight × digit per row of digit byte codes (n, len(weights)), a column at a time
    (no (n, k) int64 copy)."""
    total = np.zeros(len(codes), dtype=np.int64)
    for position, weight in enumerate(weights):
        total += weight * codes[:, position]
    return total - ord("0") * int(weights.sum())


def _birth_dates(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Digits 7-14 of well-formed 身份证号 byte codes (n, 18) as dates, and whether each is a
    real date; each distinct date is read once."""
    which, yyyymmdd = pd.factorize(eight_digit_numbers(codes[:, 6:14]))
    dates, real = _real_dates(yyyymmdd)
    return dates[which], real[which]


def fixed_width_codes(cells: list, width: int) -> np.ndarray | None:
    """Cells that are all ``width`` ASCII characters other than a newline as an (n, width)
    array of byte codes (read-only), else None. The cells are joined by newlines in one
    pass: each is ``width`` long exactly when there are n - 1 newlines and each falls every
    ``width`` + 1 bytes."""
    n = len(cells)
    try:
        joined = "\n".join(cells).encode("ascii")
    except (TypeError, UnicodeEncodeError):  # not all text, or not all ASCII
        return None
    if n == 0 or len(joined) != (width + 1) * n - 1 or joined.count(b"\n") != n - 1:
        return None
    data = np.frombuffer(joined, dtype=np.uint8)
    if not (data[width :: width + 1] == ord("\n")).all():
        return None
    # row i: the ``width`` bytes from i * (width + 1), a view (the last has no newline after it)
    return np.lib.stride_tricks.as_strided(
        data, shape=(n, width), strides=(width + 1, 1), writeable=False
    )


def _as_codes(values, width: int) -> np.ndarray:
    """Fixed-width ASCII text (a sequence of str, each ``width`` ASCII characters) as an
    (n, width) array of byte codes, read-only: the bytes of the values joined."""
    joined = "".join(values)
    return np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(-1, width)


def _resident_check_reasons(
    text: np.ndarray, codes: np.ndarray, today: dt.date
) -> tuple[np.ndarray, np.ndarray]:
    """For well-formed 身份证号 (``text`` and its byte ``codes``): a reason for each bad one
    ("" when good), and the birth date (NaT when bad). The first that applies: no real
    birth date, a wrong check character, no province-level code, a birth date before
    1900 or after ``today``."""
    remainder = _weighted_digits(codes[:, :17], RESIDENT_WEIGHTS) % 11
    expected = np.frombuffer(RESIDENT_CHECK.encode(), dtype=np.uint8)[remainder]
    birth, real = _birth_dates(codes)
    checked = real & (expected == codes[:, 17])
    province = _PROVINCE[(codes[:, 0].astype(np.int64) - ord("0")) * 10 + codes[:, 1] - ord("0")]
    born_in_range = (birth >= np.datetime64(EARLIEST_BIRTH, "s")) & (
        birth <= np.datetime64(today, "s")
    )
    reasons = np.full(len(text), "", dtype=object)
    for row in np.flatnonzero(~real):
        reasons[row] = _("birth date {digits} is not a real date").format(digits=text[row][6:14])
    check = _("check character should be {expected}, not {found} (GB 11643-1999)")
    for row in np.flatnonzero(real & ~checked):
        reasons[row] = check.format(expected=chr(expected[row]), found=text[row][17])
    for row in np.flatnonzero(checked & ~province):
        reasons[row] = _(
            "the first two digits {digits} are no province-level division code (GB/T 2260)"
        ).format(digits=text[row][:2])
    for row in np.flatnonzero(checked & province & ~born_in_range):
        reasons[row] = _("birth date {birth} is not between {earliest} and {today}").format(
            birth=_iso(text[row][6:14]),
            earliest=EARLIEST_BIRTH.isoformat(),
            today=today.isoformat(),
        )
    return reasons, np.where(reasons == "", birth, np.datetime64("NaT"))


def _iso(yyyymmdd: str) -> str:
    return f"{yyyymmdd[:4]}-{yyyymmdd[4:6]}-{yyyymmdd[6:]}"


def check_resident_ids(
    values: pd.Series, *, today: dt.date
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Check 身份证号 values read on ``today`` (the batch's as-of date: no one is born later).

    Returns ``(normalised, reasons, birth_dates)``: the ids upper-cased, a reason
    for each bad one ("" when good), and the birth date (NaT when bad).
    """
    normal = _normalised(values)
    text = normal.to_numpy(dtype=object)
    reasons = np.full(len(text), "", dtype=object)
    births = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[s]")

    cells = text.tolist()
    codes = fixed_width_codes(cells, 18)
    if codes is None:  # some are not 18 ASCII characters: only those that are are read
        sized = np.flatnonzero(_fixed_width_ascii(cells, 18))
        codes = _as_codes(text[sized], 18)
    else:
        sized = np.arange(len(text))
    digit = (codes >= ord("0")) & (codes <= ord("9"))
    well_formed = digit[:, :17].all(axis=1) & (digit[:, 17] | (codes[:, 17] == ord("X")))
    shaped = sized[well_formed]
    odd = np.ones(len(text), dtype=bool)
    odd[shaped] = False
    blank = text == ""
    odd &= ~blank
    reasons[blank] = _("missing")
    for row in np.flatnonzero(odd):
        scientific = re.fullmatch(_SCIENTIFIC, text[row])
        reasons[row] = _(EXCEL_NUMBER_HINT if scientific else _RESIDENT_SHAPE)
    reasons[shaped], births[shaped] = _resident_check_reasons(
        text[shaped], codes[well_formed], today
    )
    index = values.index
    return (
        normal,
        pd.Series(reasons, index=index, dtype=object),
        pd.Series(births, index=index, dtype="datetime64[s]"),
    )


def check_credit_codes(values: pd.Series, *, today: dt.date) -> tuple[pd.Series, pd.Series]:
    """Check 统一社会信用代码 values; returns ``(normalised, reasons)``. One that is a
    plausible 身份证号 on ``today`` is refused as such."""
    text = _normalised(values)
    reasons = pd.Series("", index=values.index, dtype=object)
    blank = text == ""
    scientific = text.str.fullmatch(_SCIENTIFIC).fillna(False).astype(bool)
    shaped = text.str.fullmatch(f"[{CREDIT_ALPHABET}]{{18}}").fillna(False).astype(bool)
    reasons[blank] = _("missing")
    reasons[scientific] = _(EXCEL_NUMBER_HINT)
    other = ~shaped & ~blank & ~scientific
    reasons[other] = _(
        "must be 18 characters from 0-9 and A-Z without I, O, S, V, Z (GB 32100-2015)"
    )
    structured = text.str.fullmatch(CREDIT_SHAPE).fillna(False).astype(bool)
    reasons[shaped & ~structured] = _(
        "must start with a registration-authority code (1-9, A, N or Y) and have a six-digit "
        "division code in positions 3-8 (GB 32100-2015)"
    )
    shaped &= structured
    if shaped.any():
        not_resident = check_resident_ids(text[shaped], today=today)[1]
        resident = not_resident[not_resident == ""].index
        reasons[resident] = _("is a 身份证号 (resident ID), not a 统一社会信用代码")
        shaped[resident] = False
    if shaped.any():
        ok = text[shaped]
        codes = _as_codes(ok, 18)
        lookup = np.full(128, -1, dtype=np.int64)
        for position, char in enumerate(CREDIT_ALPHABET):
            lookup[ord(char)] = position
        values_ = lookup[codes]
        expected_value = (31 - (values_[:, :17] @ CREDIT_WEIGHTS) % 31) % 31
        wrong = expected_value != values_[:, 17]
        if wrong.any():
            index = ok.index[wrong]
            expected = np.array(list(CREDIT_ALPHABET))[expected_value[wrong]]
            shown = _("check character should be {expected}, not {found} (GB 32100-2015)")
            reasons[index] = [
                shown.format(expected=e, found=f)
                for e, f in zip(expected, ok[index].str[17], strict=True)
            ]
    return text, reasons


def resident_id_check_character(first17: str) -> str:
    """The MOD 11-2 check character for 17 digits (used to make test and demo data)."""
    digits = np.array([int(c) for c in first17], dtype=np.int64)
    return RESIDENT_CHECK[int(digits @ RESIDENT_WEIGHTS) % 11]


def credit_code_check_character(first17: str) -> str:
    """The mod-31 check character for 17 characters (used to make test and demo data)."""
    total = sum(
        CREDIT_ALPHABET.index(c) * int(w) for c, w in zip(first17, CREDIT_WEIGHTS, strict=False)
    )
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def mask_id(value: str) -> str:
    """``630102199001011234`` -> ``630102********1234`` (6 shown, the rest starred, 4 shown)."""
    value = (value or "").strip()
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_name(value: str) -> str:
    """``张三`` -> ``张*``, ``欧阳小明`` -> ``欧***``: the family initial only."""
    value = (value or "").strip()
    return value[:1] + "*" * (len(value) - 1) if value else ""


def mask_account(value: str) -> str:
    """``6217002870001234529`` -> ``***************4529``: the last 4 digits only."""
    value = (value or "").strip()
    return "*" * max(len(value) - 4, 0) + value[-4:] if len(value) > 4 else "*" * len(value)


_RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_LONG_NUMBER = re.compile(r"(?<![0-9A-Za-z*])\d{10,}(?![0-9A-Za-z])")


def mask_numbers(text: str) -> str:
    """Every 身份证号 in ``text`` masked as :func:`mask_id`, then every other run of ten or
    more digits (a bank or 社保卡 account) as :func:`mask_account`; the rest unchanged."""
    text = _RESIDENT_ID.sub(lambda m: mask_id(m.group()), text)
    return _LONG_NUMBER.sub(lambda m: mask_account(m.group()), text)


# a whole cell that is a 身份证号 or a 统一社会信用代码 (the 查询 finds a claim by it)
PERSON_CODE = r"\d{17}[\dXx]|[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}"
_PERSON_CODE = re.compile(PERSON_CODE)


def person_codes(cells) -> set[str]:
    """The cells (stripped, upper-cased) that are a 身份证号 or a 统一社会信用代码."""
    found = set()
    for cell in cells:
        if isinstance(cell, str) and _PERSON_CODE.fullmatch(code := cell.strip().upper()):
            found.add(code)
    return found
