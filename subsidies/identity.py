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


def _normalised(values: pd.Series) -> pd.Series:
    """Full-width characters typed with a Chinese input method read as ASCII (NFKC)."""
    return values.astype("string").fillna("").str.normalize("NFKC").str.strip().str.upper()


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

    shaped = text.str.fullmatch(r"[0-9]{17}[0-9X]").fillna(False).astype(bool)
    blank = text == ""
    scientific = text.str.fullmatch(_SCIENTIFIC).fillna(False).astype(bool)
    reasons[blank] = "missing"
    reasons[scientific] = EXCEL_NUMBER_HINT
    other = ~shaped & ~blank & ~scientific
    reasons[other] = "must be 18 characters: 17 digits and a check digit or X (GB 11643-1999)"
    if shaped.any():
        ok = text[shaped]
        codes = _as_codes(ok, 18)
        digits = codes[:, :17].astype(np.int64) - ord("0")
        expected = np.array(list(RESIDENT_CHECK))[(digits @ RESIDENT_WEIGHTS) % 11]
        given = ok.str[17].to_numpy(dtype=object)
        bad_check = expected != given
        birth = pd.to_datetime(ok.str[6:14], format="%Y%m%d", errors="coerce")
        bad_birth = birth.isna().to_numpy()
        index = ok.index
        reasons[index[bad_birth]] = "birth date " + ok[bad_birth].str[6:14] + " is not a real date"
        wrong = bad_check & ~bad_birth
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
