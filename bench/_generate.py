"""Goji broker claims as cell text, generated in bulk (for ``calc.py``, ``xlsx.py`` and the
officers' files of ``_officer_files.py``).

Every value is drawn with numpy: a million 身份证号 with their check characters, dates as
text, names and places, in a few seconds; ``generate_claims`` also returns the truth per
row (the rule read independently on the generated values) to cross-check the pipeline.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from subsidies.domain.identity import (
    RESIDENT_CHECK,
    RESIDENT_WEIGHTS,
    resident_id_check_character,
)

COLUMNS = [
    "claim_id",
    "broker_name",
    "broker_id",
    "worker_name",
    "worker_id",
    "worker_hukou",
    "farmer_herder",
    "destination",
    "start_date",
    "end_date",
    "worker_group",
]

# 行政区划代码 of counties workers come from: Qinghai (63) and, for the ineligible share, Gansu (62)
QINGHAI_AREAS = (630102, 630121, 632122, 632123, 632126, 632521, 632801, 632802, 632321, 632623)
GANSU_AREAS = (620102, 620523, 622921)
SURNAMES = np.array(list("马李王张韩祁冶赵刘杨陈何朱鲁"), dtype=object)
GIVEN = np.array(
    ["建国", "玉兰", "生福", "秀英", "永红", "海林", "小军", "福海", "桂花", "德才", "晓燕", "成"],
    dtype=object,
)
TIBETAN = np.array(["才让", "卓玛", "扎西", "多杰", "拉毛", "索南", "尼玛", "央金"], dtype=object)
DESTINATIONS = np.array(["格尔木市", "德令哈", "海西州", "西宁"], dtype=object)  # 西宁: not 海西
DEST_P = (0.40, 0.30, 0.25, 0.05)
GROUPS = np.array(
    ["其他", "脱贫劳动力", "监测对象", "就业困难人员", "poverty_alleviated"], dtype=object
)
GROUP_P = (0.55, 0.25, 0.10, 0.08, 0.02)
TOP_UP = np.array([False, True, True, True, True])
FARMER = np.array(["是", "否", "yes", "1"], dtype=object)
FARMER_P = (0.88, 0.04, 0.04, 0.04)
FARMER_YES = np.array([True, False, True, True])
HUKOU_QH = np.array(["青海", "63", "青海省"], dtype=object)
HUKOU_QH_P = (0.70, 0.20, 0.10)
BAD_ID_SHARE = 0.002  # worker ids with a wrong check character (invalid rows)
DAY = np.timedelta64(1, "D")


def _add_months(days: np.ndarray, months) -> np.ndarray:
    """Same day-of-month ``months`` later, clamped to that month's last day (民法典 第二百零二条)."""
    month = days.astype("datetime64[M]")
    day = (days - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.asarray(months, dtype=np.int64).astype("timedelta64[M]")
    last = (target + 1).astype("datetime64[D]") - DAY
    return np.minimum(target.astype("datetime64[D]") + day, last)


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers as an (n, width) array of their decimal digits, zero-padded."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (np.asarray(values, dtype=np.int64)[:, None] // powers) % 10


def _text(codes: np.ndarray) -> np.ndarray:
    """An (n, width) array of ASCII codes as an object array of str, in one decode."""
    n, width = codes.shape
    lines = np.empty((n, width + 1), dtype=np.uint8)
    lines[:, :width] = codes
    lines[:, width] = ord("\n")
    return np.array(lines.tobytes().decode("ascii").split("\n")[:n], dtype=object)


def _day_table(days: np.ndarray) -> tuple[np.datetime64, np.ndarray]:
    """The first of ``days`` and every day from it to the last (for lookups by offset)."""
    first = days.min()
    return first, first + np.arange(int((days.max() - first) / DAY) + 1) * DAY


def _yyyymmdd(days: np.ndarray) -> np.ndarray:
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    months = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dom = (days - days.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    return years * 10_000 + months * 100 + dom


def date_texts(days: np.ndarray, slashed: np.ndarray | None = None) -> np.ndarray:
    """Days as YYYY-MM-DD (YYYY/MM/DD where ``slashed``): each distinct day formatted once."""
    first, table = _day_table(days)
    offset = ((days - first) / DAY).astype(np.int64)
    dashed = np.datetime_as_string(table, unit="D").astype(object)
    if slashed is None:
        return dashed[offset]
    with_slashes = np.array([t.replace("-", "/") for t in dashed], dtype=object)
    return np.where(slashed, with_slashes[offset], dashed[offset])


def resident_ids(
    rng: np.random.Generator,
    areas: np.ndarray,
    born: tuple[str, str],
    young_share: float = 0.0,
    wrong_check: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Unique 身份证号 for people from ``areas`` (one per row); returns (ids, birth dates).

    Area, birth date and sequence are drawn, repeats redrawn until every id differs. Each
    part's digits and its share of the weighted sum (weights of ``subsidies.domain.identity``)
    come from a small table (distinct areas, days, sequences), so the MOD 11-2 check
    character of a million ids is a few array lookups. Rows in ``wrong_check`` get the
    next character of the check table instead (a wrong check character: invalid).
    """
    n = len(areas)
    first, last = np.datetime64(born[0]), np.datetime64(born[1])
    births = first + rng.integers(0, int((last - first) / DAY), n) * DAY
    if young_share:
        # a few under 16 on their start date (劳动法 第十五条): born 2009-2010
        young = rng.random(n) < young_share
        births[young] = np.datetime64("2009-01-01") + rng.integers(0, 700, young.sum()) * DAY
    sequence = rng.integers(0, 1000, n)
    area_table, area_of = np.unique(areas, return_inverse=True)
    day0, day_table = _day_table(births)
    day_of = ((births - day0) / DAY).astype(np.int64)
    while True:  # redraw the sequence number of a repeated (area, birth date, sequence)
        key = (area_of * len(day_table) + day_of) * 1000 + sequence
        _, first_seen = np.unique(key, return_index=True)
        repeated = np.ones(n, dtype=bool)
        repeated[first_seen] = False
        if not repeated.any():
            break
        sequence[repeated] = rng.integers(0, 1000, repeated.sum())

    parts = [  # (digits of each distinct value, the row's index into them)
        (_digits(area_table, 6), area_of),
        (_digits(_yyyymmdd(day_table), 8), day_of),
        (_digits(np.arange(1000), 3), sequence),
    ]
    codes = np.empty((n, 18), dtype=np.uint8)
    weighted = np.zeros(n, dtype=np.int64)
    column = 0
    for digits, index in parts:
        width = digits.shape[1]
        codes[:, column : column + width] = (digits + ord("0")).astype(np.uint8)[index]
        weighted += (digits @ RESIDENT_WEIGHTS[column : column + width])[index]
        column += width
    remainder = weighted % 11
    if wrong_check is not None:
        remainder = np.where(wrong_check, (remainder + 1) % 11, remainder)
    codes[:, 17] = np.frombuffer(RESIDENT_CHECK.encode(), dtype=np.uint8)[remainder]
    return _text(codes), births


def _names(rng: np.random.Generator, n: int) -> np.ndarray:
    han = SURNAMES[rng.integers(0, len(SURNAMES), n)] + GIVEN[rng.integers(0, len(GIVEN), n)]
    return np.where(rng.random(n) < 0.15, TIBETAN[rng.integers(0, len(TIBETAN), n)], han)


def generate_claims(n: int, seed: int = 2024) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """``n`` claims as cell text under the English column names, and the truth per row.

    The truth (``eligible``, ``invalid`` and ``amount_fen``) is the rule read independently
    on the generated values, to cross-check the pipeline's answer; ``start`` and ``end`` are
    the picking periods' days.
    """
    rng = np.random.default_rng(seed)
    # workers: 94% Qinghai hukou (ids from Qinghai counties), 6% Gansu
    from_gansu = rng.random(n) < 0.06
    areas = np.where(
        from_gansu,
        np.array(GANSU_AREAS)[rng.integers(0, len(GANSU_AREAS), n)],
        np.array(QINGHAI_AREAS)[rng.integers(0, len(QINGHAI_AREAS), n)],
    )
    bad_id = rng.random(n) < BAD_ID_SHARE
    worker_id, worker_born = resident_ids(
        rng, areas, ("1964-01-01", "2006-12-31"), young_share=0.003, wrong_check=bad_id
    )
    hukou = np.where(from_gansu, "甘肃", HUKOU_QH[rng.choice(3, n, p=HUKOU_QH_P)])

    # brokers: one per ~40 workers, each submitting a contiguous block of claims
    brokers = max(1, n // 40)
    broker_of = np.sort(rng.integers(0, brokers, n))
    broker_ids, _ = resident_ids(
        rng,
        np.array(QINGHAI_AREAS)[rng.integers(0, len(QINGHAI_AREAS), brokers)],
        ("1965-01-01", "1995-12-31"),
    )
    broker_names = _names(rng, brokers)

    # picking periods from May to July 2024, around the 2- and 6-month boundaries
    start = np.datetime64("2024-05-01") + rng.integers(0, 92, n) * DAY
    kind = rng.choice(4, n, p=(0.30, 0.15, 0.45, 0.10))
    offset = rng.integers(-1, 2, n) * DAY  # the day before, on, or after the boundary
    end = np.select(
        [kind == 0, kind == 1, kind == 2],
        [
            _add_months(start, 2) - DAY + offset,
            _add_months(start, 6) - DAY + offset,
            start + rng.integers(61, 180, n) * DAY,
        ],
        start + rng.integers(20, 59, n) * DAY,
    )
    slashed = rng.random(n) < 0.05  # YYYY/MM/DD, as some sheets have it
    start_text = date_texts(start, slashed)
    end_text = date_texts(end, slashed)

    farmer = rng.choice(len(FARMER), n, p=FARMER_P)
    destination = rng.choice(len(DESTINATIONS), n, p=DEST_P)
    group = rng.choice(len(GROUPS), n, p=GROUP_P)

    raw = pd.DataFrame(
        {
            "claim_id": _text(
                np.concatenate(
                    [
                        np.frombuffer(b"QH-GJ-", dtype=np.uint8)[None, :].repeat(n, axis=0),
                        (_digits(np.arange(1, n + 1), 7) + ord("0")).astype(np.uint8),
                    ],
                    axis=1,
                )
            ),
            "broker_name": broker_names[broker_of],
            "broker_id": broker_ids[broker_of],
            "worker_name": _names(rng, n),
            "worker_id": worker_id,
            "worker_hukou": hukou.astype(object),
            "farmer_herder": FARMER[farmer],
            "destination": DESTINATIONS[destination],
            "start_date": start_text,
            "end_date": end_text,
            "worker_group": GROUPS[group],
        },
        columns=COLUMNS,
    )
    lasted = (end >= _add_months(start, 2) - DAY) & ~(end >= _add_months(start, 6) - DAY)
    of_age = _add_months(worker_born, 16 * 12) <= start
    eligible = ~bad_id & ~from_gansu & FARMER_YES[farmer] & (destination < 3) & lasted & of_age
    amount = np.where(eligible, 5000 + 5000 * TOP_UP[group], 0)
    truth = {"eligible": eligible, "invalid": bad_id, "amount_fen": amount}
    return raw, truth | {"start": start, "end": end}


def spot_check_ids(raw: pd.DataFrame, truth: dict[str, np.ndarray], k: int = 200) -> None:
    """A sample of generated ids against ``resident_id_check_character`` (the scalar one)."""
    good = np.flatnonzero(~truth["invalid"])[:k]
    for worker_id in raw["worker_id"].to_numpy()[good]:
        assert resident_id_check_character(worker_id[:17]) == worker_id[17], worker_id
    for broker_id in raw["broker_id"].to_numpy()[:k]:
        assert resident_id_check_character(broker_id[:17]) == broker_id[17], broker_id
