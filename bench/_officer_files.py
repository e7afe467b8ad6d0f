"""Claim files as officers have them, for ``calc.py``: the project's synthetic claims
(:mod:`subsidies.demo.synthetic`, drawn from each program's template and parameters in
force) with a given share of duplicates and 5% invalid rows, written the way an office
keeps them (``write_sheet``: a title row, a 填报单位/填报日期 row, the Chinese headers with a
序号 column, the claims and a 合计 row; CSV in UTF-8 with BOM, or XLSX).

Three programs, one for each way a claim repeats another:

- ``qinghai.goji_broker`` (no one-time key; a worker's picking periods may not share a
  day): the same worker again in an overlapping period;
- ``qinghai.transport`` (one one-time key, the person): the same person again;
- ``qinghai.startup_grant`` (two one-time keys, the founder and the business): the same
  founder with another business, or the same business under another founder.

``duplicates`` is the share of rows made to repeat an eligible row above them (one row may
be repeated several times). Of the rest, 12% fail one condition of the rule and 5% are
invalid, each of a named kind in turn (a wrong 身份证号 check character, a 身份证号 Excel
turned into a number, an impossible date, an end before its start, a blank cell, a
申请编号 entered twice …). ``calc.py`` holds the pipeline's duplicates to the plain reading
of :mod:`calculators.duplicates_reference`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from calculators.registry import calculator
from subsidies.demo.synthetic import BANK_ACCOUNT, Mix, generate, write_sheet

PROGRAMS = ("qinghai.goji_broker", "qinghai.transport", "qinghai.startup_grant")
INVALID_SHARE = 0.05
SEED = 2024
YEAR = 2024
UNIT = "海西州人力资源和社会保障局"
FILLED_ON = dt.date(2025, 3, 20)


def claims_file(program_id: str, n: int, duplicates: float) -> pd.DataFrame:
    """``n`` claims of ``program_id``, ``duplicates`` of them repeating another, some invalid,
    under the officer's headers (no 银行账号 column: the files' shape as the bench had it)."""
    mix = Mix(duplicate=duplicates, invalid=INVALID_SHARE, repeat=0)
    frame = generate(program_id, n, seed=SEED, year=YEAR, mix=mix)
    return frame.drop(columns=BANK_ACCOUNT, errors="ignore")


def write(frame: pd.DataFrame, program_id: str, path: Path) -> Path:
    """The claims as the office's file: CSV or XLSX by ``path``'s suffix."""
    title = f"{YEAR}年{calculator(program_id).program.name_zh}申报表"
    return write_sheet(
        frame, path, program_id=program_id, title=title, unit=UNIT, filled_on=FILLED_ON
    )
