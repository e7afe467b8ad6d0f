"""Claim files as officers have them, for ``calc.py``: the same person claimed again, claim
ids entered twice, and many invalid rows, under the Chinese headers of
``docs/spec/claim-templates.md``, written as CSV (UTF-8 with BOM) or XLSX the way an office
keeps them: a title row, a 填报单位/填报日期 row, the header, a 序号 column, the claims and
a 合计 row.

Three programs, one for each way a claim repeats another:

- ``qinghai.goji_broker`` (no one-time key; the worker's picking periods may not share a
  day): a repeated row is the same worker again, in a period that overlaps the other claim
  (70%), in last year's season (15%: not a duplicate), or the whole row entered twice under
  its 申请编号 (15%);
- ``qinghai.transport`` (one one-time key, the person): the same person again in another
  job (85%), or the row entered twice (15%);
- ``qinghai.startup_grant`` (two one-time keys, the founder and the business): the founder
  with another business (40%), the business with another founder (30%), both again under a
  new 申请编号 (15%), or the row entered twice (15%).

``repeats`` is the share of rows that repeat another row (each repeats one of the rows
that do not, chosen at random, so a person may be claimed three or four times and the
repeat may come before the row it repeats). Then ``INVALID_SHARE`` of all rows are damaged,
one way after another: a wrong 身份证号 check character, a 身份证号 that Excel turned into a
number, a blank cell, an impossible date, an end before its start. What each row then is
(eligible, duplicate, …) is for the pipeline to decide; ``calc.py`` holds its answer to the
plain reading of :mod:`calculators.duplicates_reference`.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from _generate import (
    DAY,
    QINGHAI_AREAS,
    _names,
    _text,
    date_texts,
    generate_claims,
    resident_ids,
)

from calculators.registry import calculator
from subsidies.domain.identity import CREDIT_ALPHABET, CREDIT_WEIGHTS, RESIDENT_CHECK

INVALID_SHARE = 0.05
SERIAL = "序号"
YES_NO = np.array(["是", "否"], dtype=object)
WORK_PROVINCES = np.array(
    ["江苏", "浙江", "广东", "新疆", "西藏", "北京", "32", "青海"], dtype=object
)
WORK_P = (0.22, 0.2, 0.18, 0.12, 0.08, 0.08, 0.07, 0.05)  # 青海: not 跨省
HUKOU = np.array(["青海", "63", "青海省", "甘肃"], dtype=object)
HUKOU_P = (0.70, 0.17, 0.10, 0.03)
TRANSPORT_GROUPS = np.array(["脱贫人口", "监测帮扶对象", "其他"], dtype=object)
FORMS = np.array(["小微企业", "个体工商户", "其他"], dtype=object)
TRADES = np.array(
    ["枸杞种植合作社", "餐饮店", "商贸有限公司", "牦牛肉加工厂", "民宿"], dtype=object
)
TITLES = {
    "qinghai.goji_broker": "2024年青海省劳务经纪人枸杞采摘补贴申报表",
    "qinghai.transport": "2024年青海省跨省就业一次性交通补助申报花名册",
    "qinghai.startup_grant": "2024年青海省一次性创业补贴申报表",
}
UNIT_LINE = "填报单位：海西州人力资源和社会保障局    填报日期：2025年3月20日"


@dataclass(frozen=True)
class Layout:
    """Which columns a program's damage and repeats touch."""

    person_id: str  # a 身份证号 column
    dates: tuple[str, str]  # a start and its end (ordered in the template)
    blanks: tuple[str, ...]  # required cells an officer leaves blank


LAYOUTS = {
    "qinghai.goji_broker": Layout(
        "worker_id",
        ("start_date", "end_date"),
        ("worker_name", "destination", "start_date", "worker_group"),
    ),
    "qinghai.transport": Layout(
        "person_id",
        ("employed_from", "employed_until"),
        ("person_name", "fare", "work_province", "person_group"),
    ),
    "qinghai.startup_grant": Layout(
        "founder_id",
        ("licensed_on", "assessed_on"),
        ("founder_name", "credit_code", "business_form", "assessed_on"),
    ),
}


def _repeats(rng: np.random.Generator, n: int, share: float) -> tuple[np.ndarray, np.ndarray]:
    """Rows that repeat another, and the row each repeats (one of the rows that repeat none)."""
    repeat = np.sort(rng.choice(n, round(share * n), replace=False)) if share else np.array([], int)
    others = np.setdiff1d(np.arange(n), repeat)
    return repeat, others[rng.integers(0, len(others), len(repeat))]


def _kinds(rng: np.random.Generator, k: int, shares: tuple[float, ...]) -> np.ndarray:
    return rng.choice(len(shares), k, p=shares)


def _copy(raw: pd.DataFrame, columns: list[str], rows: np.ndarray, sources: np.ndarray) -> None:
    for column in columns:
        values = raw[column].to_numpy(dtype=object)
        values[rows] = values[sources]
        raw[column] = values


def goji(n: int, repeats: float, seed: int = 2024) -> pd.DataFrame:
    raw, truth = generate_claims(n, seed)
    rng = np.random.default_rng(seed + 1)
    rows, sources = _repeats(rng, n, repeats)
    kind = _kinds(rng, len(rows), (0.70, 0.15, 0.15))
    worker = ["worker_name", "worker_id", "worker_hukou", "farmer_herder", "worker_group"]
    _copy(raw, worker, rows, sources)
    start, end = truth["start"].copy(), truth["end"].copy()
    shift = np.where(kind == 0, rng.integers(-20, 21, len(rows)), -365) * DAY
    again = kind == 2
    start[rows] = np.where(again, start[rows], start[sources] + shift)
    end[rows] = np.where(again, end[rows], start[rows] + (end[rows] - truth["start"][rows]))
    raw["start_date"], raw["end_date"] = date_texts(start), date_texts(end)
    _copy(raw, list(raw.columns), rows[again], sources[again])
    return raw


def _fares(rng: np.random.Generator, n: int) -> np.ndarray:
    """Fares in yuan as officers type them: 356, 1,200.00, ¥480, 865.5."""
    fen = rng.integers(150, 1500, n) * 100 + np.where(rng.random(n) < 0.2, 50, 0)
    whole, part = fen // 100, fen % 100
    plain = whole.astype(str).astype(object)
    decimals = plain + np.where(part == 0, ".00", "." + (part // 10).astype(str)).astype(object)
    grouped = np.array([f"{w:,}.{p:02d}" for w, p in zip(whole, part, strict=True)], dtype=object)
    style = rng.choice(4, n, p=(0.6, 0.15, 0.15, 0.1))
    out = np.where(part == 0, plain, decimals)
    out = np.where(style == 1, grouped, out)
    return np.where(style == 2, "¥" + out, out)


def transport(n: int, repeats: float, seed: int = 2024) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    areas = np.array(QINGHAI_AREAS)[rng.integers(0, len(QINGHAI_AREAS), n)]
    ids, _ = resident_ids(rng, areas, ("1966-01-01", "2004-12-31"))
    start = np.datetime64("2024-01-01") + rng.integers(0, 240, n) * DAY
    end = start + rng.integers(60, 200, n) * DAY
    raw = pd.DataFrame(
        {
            "claim_id": np.array([f"QH-JT-2024-{k:06d}" for k in range(1, n + 1)], dtype=object),
            "person_name": _names(rng, n),
            "person_id": ids,
            "hukou_province": HUKOU[rng.choice(len(HUKOU), n, p=HUKOU_P)],
            "person_group": TRANSPORT_GROUPS[rng.choice(3, n, p=(0.6, 0.25, 0.15))],
            "work_province": WORK_PROVINCES[rng.choice(len(WORK_PROVINCES), n, p=WORK_P)],
            "employed_from": date_texts(start),
            "employed_until": date_texts(end),
            "fare": _fares(rng, n),
        }
    )
    rows, sources = _repeats(rng, n, repeats)
    again = _kinds(rng, len(rows), (0.85, 0.15)) == 1
    _copy(raw, ["person_name", "person_id", "hukou_province", "person_group"], rows, sources)
    _copy(raw, list(raw.columns), rows[again], sources[again])
    return raw


def credit_codes(rng: np.random.Generator, n: int) -> np.ndarray:
    """统一社会信用代码 of Qinghai businesses: 91 (enterprise) or 92 (个体工商户), a county's
    code, nine characters and the GB 32100 check character."""
    alphabet = np.frombuffer(CREDIT_ALPHABET.encode(), dtype=np.uint8)
    values = np.empty((n, 17), dtype=np.int64)
    values[:, 0] = 9
    values[:, 1] = np.where(rng.random(n) < 0.6, 1, 2)
    area = np.array(QINGHAI_AREAS)[rng.integers(0, len(QINGHAI_AREAS), n)]
    values[:, 2:8] = (area[:, None] // 10 ** np.arange(5, -1, -1)) % 10
    values[:, 8:17] = rng.integers(0, 31, (n, 9))
    check = (31 - (values @ CREDIT_WEIGHTS) % 31) % 31
    return _text(np.concatenate([alphabet[values], alphabet[check][:, None]], axis=1))


def startup_grant(n: int, repeats: float, seed: int = 2024) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    areas = np.array(QINGHAI_AREAS)[rng.integers(0, len(QINGHAI_AREAS), n)]
    ids, _ = resident_ids(rng, areas, ("1970-01-01", "2003-12-31"))
    names = _names(rng, n)
    licensed = np.datetime64("2022-03-01") + rng.integers(0, 760, n) * DAY
    assessed = np.minimum(licensed + rng.integers(200, 1000, n) * DAY, np.datetime64("2025-03-31"))
    raw = pd.DataFrame(
        {
            "claim_id": np.array([f"QH-CY-2024-{k:06d}" for k in range(1, n + 1)], dtype=object),
            "founder_name": names,
            "founder_id": ids,
            "brand_entrepreneur": YES_NO[(rng.random(n) < 0.1).astype(int)],
            "business_name": names + TRADES[rng.integers(0, len(TRADES), n)],
            "credit_code": credit_codes(rng, n),
            "business_form": FORMS[rng.choice(3, n, p=(0.45, 0.45, 0.1))],
            "registered_province": HUKOU[rng.choice(len(HUKOU), n, p=HUKOU_P)],
            "licensed_on": date_texts(licensed),
            "assessed_on": date_texts(assessed),
            "operating_normally": YES_NO[(rng.random(n) < 0.05).astype(int)],
        }
    )
    rows, sources = _repeats(rng, n, repeats)
    kind = _kinds(rng, len(rows), (0.40, 0.30, 0.15, 0.15))
    founder = ["founder_name", "founder_id", "brand_entrepreneur"]
    business = [
        "business_name",
        "credit_code",
        "business_form",
        "registered_province",
        "licensed_on",
    ]
    _copy(raw, founder, rows[kind != 1], sources[kind != 1])
    _copy(raw, business, rows[kind >= 1], sources[kind >= 1])
    _copy(raw, list(raw.columns), rows[kind == 3], sources[kind == 3])
    licensed_text = raw["licensed_on"].to_numpy(dtype=object)
    assessed_text = raw["assessed_on"].to_numpy(dtype=object)
    late = licensed_text > assessed_text  # a copied licence date after this row's assessment
    raw["assessed_on"] = np.where(late, "2025-03-20", assessed_text)
    return raw


GENERATORS: dict[str, Callable[[int, float], pd.DataFrame]] = {
    "qinghai.goji_broker": goji,
    "qinghai.transport": transport,
    "qinghai.startup_grant": startup_grant,
}


def damaged(raw: pd.DataFrame, program_id: str, seed: int = 7) -> pd.DataFrame:
    """``raw`` with ``INVALID_SHARE`` of its rows made invalid, one kind of damage after another."""
    layout = LAYOUTS[program_id]
    rng = np.random.default_rng(seed)
    n = len(raw)
    rows = np.sort(rng.choice(n, round(INVALID_SHARE * n), replace=False))
    kind = np.arange(len(rows)) % 5
    out = raw.copy()
    ids = out[layout.person_id].to_numpy(dtype=object).copy()
    chosen = rows[kind == 0]  # the next check character: wrong
    following = {c: RESIDENT_CHECK[(RESIDENT_CHECK.index(c) + 1) % 11] for c in RESIDENT_CHECK}
    ids[chosen] = [v[:17] + following[v[17]] for v in ids[chosen]]
    chosen = rows[kind == 1]  # Excel turned the id into a number
    ids[chosen] = [f"{int(v[:17]) / 1e16:.5f}E+17" for v in ids[chosen]]
    out[layout.person_id] = ids
    chosen = rows[kind == 2]
    for k, column in enumerate(layout.blanks):
        values = out[column].to_numpy(dtype=object).copy()
        values[chosen[k :: len(layout.blanks)]] = ""
        out[column] = values
    first, last = layout.dates
    starts = out[first].to_numpy(dtype=object).copy()
    ends = out[last].to_numpy(dtype=object).copy()
    chosen = rows[kind == 3]  # impossible dates
    starts[chosen[0::2]] = "2024-02-30"
    ends[chosen[1::2]] = "2024-13-01"
    chosen = rows[kind == 4]  # the end before the start
    starts[chosen], ends[chosen] = ends[chosen], starts[chosen].copy()
    out[first], out[last] = starts, ends
    return out


def claims_file(program_id: str, n: int, repeats: float) -> pd.DataFrame:
    """``n`` claims of ``program_id``, ``repeats`` of them repeating another, some invalid."""
    return damaged(GENERATORS[program_id](n, repeats), program_id)


def _sheet(raw: pd.DataFrame, program_id: str) -> tuple[list[str], pd.DataFrame]:
    """Chinese headers (a 序号 column first) and the cells under them."""
    template = calculator(program_id).template
    headers = [SERIAL] + [template.column(c).label for c in raw.columns]
    cells = raw.copy()
    cells.insert(0, SERIAL, np.arange(1, len(raw) + 1).astype(str).astype(object))
    return headers, cells


def _totals(n: int, width: int) -> list[str]:
    """The 合计 row: its label under 序号, the count beside the 申请编号 column."""
    return ["合计", "", f"共{n}条"] + [""] * (width - 3)


def write_csv(raw: pd.DataFrame, program_id: str, path: Path) -> Path:
    """The claims as a CSV an office saves from Excel (UTF-8 with BOM)."""
    headers, cells = _sheet(raw, program_id)
    width = len(headers)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow([TITLES[program_id]] + [""] * (width - 1))
        out.writerow([UNIT_LINE] + [""] * (width - 1))
        out.writerow(headers)
        out.writerows(cells.to_numpy(dtype=object).tolist())
        out.writerow(_totals(len(raw), width))
    return path


def write_xlsx(raw: pd.DataFrame, program_id: str, path: Path) -> Path:
    """The claims as an office's workbook: ids and names as text cells, well-formed dates
    as date cells (the rest as the text typed), a title, a 填报单位 line and a 合计 row."""
    from openpyxl import Workbook

    headers, cells = _sheet(raw, program_id)
    template = calculator(program_id).template
    dated = [
        p for p, c in enumerate(cells.columns) if c != SERIAL and template.column(c).kind == "date"
    ]
    columns = [cells[c].to_numpy(dtype=object) for c in cells.columns]
    for position in dated:
        columns[position] = _date_cells(columns[position])
    book = Workbook(write_only=True)
    sheet = book.create_sheet("申报表")
    sheet.append([TITLES[program_id]])
    sheet.append([UNIT_LINE])
    sheet.append(headers)
    for row in zip(*columns, strict=True):
        sheet.append(row)
    sheet.append(_totals(len(raw), len(headers)))
    book.save(path)
    return path


def _date_cells(texts: np.ndarray) -> np.ndarray:
    """YYYY-MM-DD text as dates (each distinct day converted once), other text as it is."""
    distinct, index = np.unique(texts.astype(str), return_inverse=True)
    cells = np.empty(len(distinct), dtype=object)
    for k, text in enumerate(distinct):
        try:
            cells[k] = dt.date.fromisoformat(text) if len(text) == 10 and text[4] == "-" else text
        except ValueError:
            cells[k] = text
    return cells[index]
