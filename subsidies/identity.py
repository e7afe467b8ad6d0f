"""Identity numbers, checked in bulk, and masked for print.

- 公民身份号码 (GB 11643-1999): 17 digits and an ISO 7064 MOD 11-2 check
  character (0-9 or X, read case-blind); digits 7-14 are a real birth date.
- 统一社会信用代码 (GB 32100-2015): 18 characters from the 31-character set
  ``0-9 A-Z`` without I O S V Z: a registration-authority code (登记管理部门代码,
  1-9, A, N or Y), an organisation category, a six-digit division code (登记管理机关
  行政区划码), the organisation code, and a weighted mod-31 check character. A
  valid 身份证号 typed in the column is named as such (about one in 31 would pass
  the check character alone).

Each checker takes a pandas Series of text and returns the normalised values and
a Series of reasons ("" where the number is good), so a million rows cost a few
vectorised passes, not a Python loop per row.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

RESIDENT_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
RESIDENT_CHECK = "10X98765432"  # indexed by (weighted sum mod 11)

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_AUTHORITIES = "123456789ANY"
CREDIT_SHAPE = f"[{CREDIT_AUTHORITIES}][{CREDIT_ALPHABET}][0-9]{{6}}[{CREDIT_ALPHABET}]{{10}}"
CREDIT_WEIGHTS = np.array(
    [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int64
)

_SCIENTIFIC = r"^[0-9](\.[0-9]+)?[eE]\+?[0-9]+$"
EXCEL_NUMBER_HINT = (
    "looks like a number Excel converted (digits lost); format the column as text and re-enter it"
)


def _normalise_one(value) -> str:
    if not isinstance(value, str):
        return ""
    if not value.isascii():  # NFKC leaves ASCII as it is
        value = unicodedata.normalize("NFKC", value)
    return value.strip().upper()


def _normalised(values: pd.Series) -> pd.Series:
    """Full-width characters typed with a Chinese input method read as ASCII (NFKC),
    stripped and upper-cased; missing values are ""."""
    return pd.Series(
        [_normalise_one(v) for v in values.tolist()], index=values.index, dtype="string"
    )


def _fixed_width_ascii(text: pd.Series, width: int) -> np.ndarray:
    """Which values are ``width`` ASCII characters long (the only ones worth checking)."""
    return np.fromiter(
        (len(v) == width and v.isascii() for v in text.tolist()), dtype=bool, count=len(text)
    )


def _real_dates(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``YYYYMMDD`` byte codes (n, 8) as datetime64[s] and whether each is a real date."""
    digits = codes.astype(np.int64) - ord("0")
    year = digits[:, 0] * 1000 + digits[:, 1] * 100 + digits[:, 2] * 10 + digits[:, 3]
    month = digits[:, 4] * 10 + digits[:, 5]
    day = digits[:, 6] * 10 + digits[:, 7]
    ok = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)
    first = (year - 1970).astype("datetime64[Y]").astype("datetime64[M]")
    first = first + (np.clip(month, 1, 12) - 1).astype("timedelta64[M]")
    days_in_month = (
        (first + np.timedelta64(1, "M")).astype("datetime64[D]") - first.astype("datetime64[D]")
    ).astype(np.int64)
    ok &= day <= days_in_month
    dates = first.astype("datetime64[D]") + (np.clip(day, 1, 31) - 1).astype("timedelta64[D]")
    return dates.astype("datetime64[s]"), ok


def _as_codes(values: pd.Series, width: int) -> np.ndarray:
    """Fixed-width ASCII text as an (n, width) array of byte codes."""
    raw = np.array(values.tolist(), dtype=f"S{width}")
    return raw.view(np.uint8).reshape(len(values), width)


def check_resident_ids(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Check 身份证号 values.

    Returns ``(normalised, reasons, birth_dates)``: the ids upper-cased, a reason
    for each bad one ("" when good), and the birth date (NaT when bad).
    """
    text = _normalised(values)
    reasons = pd.Series("", index=values.index, dtype=object)
    births = pd.Series(pd.NaT, index=values.index, dtype="datetime64[s]")

    shaped = pd.Series(False, index=values.index)
    sized = _fixed_width_ascii(text, 18)
    codes = _as_codes(text[sized], 18)
    digit = (codes >= ord("0")) & (codes <= ord("9"))
    well_formed = digit[:, :17].all(axis=1) & (digit[:, 17] | (codes[:, 17] == ord("X")))
    shaped[sized] = well_formed
    codes = codes[well_formed]
    blank = text == ""
    odd = ~shaped & ~blank
    scientific = pd.Series(False, index=values.index)
    scientific[odd] = text[odd].str.fullmatch(_SCIENTIFIC).fillna(False).astype(bool)
    reasons[blank] = "missing"
    reasons[scientific] = EXCEL_NUMBER_HINT
    other = odd & ~scientific
    reasons[other] = "must be 18 characters: 17 digits and a check digit or X (GB 11643-1999)"
    if shaped.any():
        ok = text[shaped]
        digits = codes[:, :17].astype(np.int64) - ord("0")
        expected = np.array(list(RESIDENT_CHECK))[(digits @ RESIDENT_WEIGHTS) % 11]
        given = codes[:, 17].view("S1").astype(str)
        bad_check = expected != given
        birth, real = _real_dates(codes[:, 6:14])
        bad_birth = ~real
        index = ok.index
        if bad_birth.any():
            reasons[index[bad_birth]] = (
                "birth date " + ok[bad_birth].str[6:14] + " is not a real date"
            )
        wrong = bad_check & ~bad_birth
        if wrong.any():
            reasons[index[wrong]] = (
                "check character should be "
                + pd.Series(expected[wrong], index=index[wrong])
                + ", not "
                + pd.Series(given[wrong], index=index[wrong])
                + " (GB 11643-1999)"
            )
        good = ~bad_check & ~bad_birth
        births[index[good]] = birth[good]
    return text, reasons, births


def check_credit_codes(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Check 统一社会信用代码 values; returns ``(normalised, reasons)``."""
    text = _normalised(values)
    reasons = pd.Series("", index=values.index, dtype=object)
    blank = text == ""
    scientific = text.str.fullmatch(_SCIENTIFIC).fillna(False).astype(bool)
    shaped = text.str.fullmatch(f"[{CREDIT_ALPHABET}]{{18}}").fillna(False).astype(bool)
    reasons[blank] = "missing"
    reasons[scientific] = EXCEL_NUMBER_HINT
    other = ~shaped & ~blank & ~scientific
    reasons[other] = "must be 18 characters from 0-9 and A-Z without I, O, S, V, Z (GB 32100-2015)"
    structured = text.str.fullmatch(CREDIT_SHAPE).fillna(False).astype(bool)
    reasons[shaped & ~structured] = (
        "must start with a registration-authority code (1-9, A, N or Y) and have a six-digit "
        "division code in positions 3-8 (GB 32100-2015)"
    )
    shaped &= structured
    if shaped.any():
        _, not_resident, _ = check_resident_ids(text[shaped])
        resident = not_resident[not_resident == ""].index
        reasons[resident] = "is a 身份证号 (resident ID), not a 统一社会信用代码"
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
            reasons[index] = (
                "check character should be "
                + pd.Series(expected, index=index)
                + ", not "
                + ok[index].str[17]
                + " (GB 32100-2015)"
            )
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
