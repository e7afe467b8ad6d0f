"""What a decided claims file comes to, as the command prints it: each status with its
count and total (``符合  2 笔  150.00 元``)."""

from __future__ import annotations

import pandas as pd

from calculators.evaluate import status_labels, summarise
from subsidies.cli.options import print_table
from subsidies.domain.money import yuan
from subsidies.domain.text import count_text


def print_decisions(result: pd.DataFrame) -> None:
    """One line a status, every status listed, indented under the command's first line."""
    labels = status_labels()
    rows = [
        ["", labels[status], count_text(int(line["count"]), "{n} claim", "{n} claims"),
         yuan(int(line["sum"]))]
        for status, line in summarise(result).iterrows()
    ]  # fmt: skip
    print_table(rows, right={2, 3})
