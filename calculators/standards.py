"""What the recognition standards (认定标准, no money) share: their columns and their checks.

The standards themselves are programs (``calculators/programs/*/brand_assessment.py``):
Dalian 大人社发〔2022〕187号 三(四)2, Yingkou 营人社〔2023〕43号 第八条, Shandong
鲁就办〔2021〕22号 二(二). Their status says whether a unit meets the standard.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from calculators.base import Checks
from calculators.common import text
from calculators.template import Column, Template
from subsidies.domain.i18n import _


def yes_column(column: str, label: str, *aliases: str) -> Column:
    return Column(column, label, "yes_no", aliases=aliases)


def count_column(column: str, label: str, *aliases: str) -> Column:
    return Column(column, label, "count", aliases=aliases)


def percent_column(column: str, label: str, *aliases: str) -> Column:
    return Column(column, label, "percent", aliases=aliases)


def percent_text(hundredths) -> np.ndarray:
    """Hundredths of a percent as "85%" / "85.5%"."""
    values = np.asarray(hundredths, dtype=np.int64)
    whole, part = values // 100, values % 100
    return (
        np.where(
            part == 0,
            text(whole),
            text(whole)
            + "."
            + pd.Series(part).astype(str).str.zfill(2).str.rstrip("0").to_numpy(dtype=object),
        )
        + "%"
    )


def check_conditions(
    checks: Checks, claims: pd.DataFrame, template: Template, names: tuple[str, ...]
) -> None:
    for name in names:
        column = template.column(name)
        checks.check(
            _("{label} ({name})").format(label=column.label, name=name),
            claims[name].to_numpy(dtype=bool),
        )
