"""docs/adding-a-program.md, followed: a toy program laid out as a built-in one (a module with
its YAML beside it, pricing, an entry point), in a scratch folder, is found, decided, priced
and run by `subsidies calc` as the page says. (The plugin path, a package of its own, is
tests/test_example_plugin.py.)"""

from __future__ import annotations

import csv
import datetime as dt
import re
import textwrap
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from calculators import registry
from calculators.evaluate import evaluate
from calculators.pricing import AT_CAP, PricingError, Quantity
from subsidies.cli import main
from subsidies.domain.identity import resident_id_check_character

PROGRAM = "toyland.meal_allowance"

MODULE = '''
"""TOY 培训伙食补贴: a made-up program (docs/adding-a-program.md, followed in a test)."""

import numpy as np
import pandas as pd

from calculators.base import Assessment, Calculator, Checks, OneTimeKey
from calculators.common import group, labelled, text
from calculators.parameters import BoundParameters
from calculators.pricing import PerHead
from calculators.template import Column, Template

TRAINEE_GROUP = Column(
    "trainee_group",
    "人员类别",
    "choice",
    choices=(group("poverty_alleviated", "脱贫劳动力"), group("other", "其他")),
)


class MealAllowance(Calculator):
    program_id = "toyland.meal_allowance"
    template = Template(
        (
            Column("trainee_name", "学员姓名"),
            Column("trainee_id", "身份证号", "resident_id"),
            TRAINEE_GROUP,
            Column("start_date", "开班日期", "date"),
            Column("training_days", "实际培训天数", "count"),
        )
    )
    payee = ("trainee_name", "trainee_id")
    one_time_keys = (OneTimeKey("the trainee", ("trainee_id",)),)
    pricing = PerHead("cap_per_person", at_cap=True)

    def assess(self, claims: pd.DataFrame, params: BoundParameters) -> Assessment:
        checks = Checks(claims.index)
        checks.check(
            "trainee " + labelled(TRAINEE_GROUP, claims["trainee_group"]) + " is of a listed group",
            params.member("groups", claims["trainee_group"]),
        )
        days = claims["training_days"].to_numpy(dtype=np.int64)
        least = params.values("min_days")
        checks.check("trained " + text(days) + " days ≥ " + text(least), days >= least)
        amount = np.minimum(days * params.values("daily_rate"), params.values("cap_per_person"))
        return Assessment(checks, amount, params.citation("daily_rate"))
'''

PARAMETERS = """
id: toyland.meal_allowance
name_zh: 示例 培训伙食补贴（TOY，非真实政策）
name_en: TOY meal allowance (made up in a test)
kind: payout
document:
  id: toy-2024-1
  number: 示例人社发〔2024〕9号（TOY）
  title: 示例培训伙食补贴办法（TOY）
  issuer: 示例人社厅（TOY）
  issued_on: 2024-01-01
  status: trial
article: 第二条
quote: 按每人每天30元给予伙食补贴，最高不超过300元
event_date: start_date
parameters:
  daily_rate:
    description: 每人每天 / per day
    unit: yuan
    values:
      2024-01-01: {value: 30, quote: 按每人每天30元给予伙食补贴}
  cap_per_person:
    description: 每人上限 / at most per person
    unit: yuan
    values:
      2024-01-01: {value: 300, quote: 最高不超过300元}
  min_days:
    description: 最少培训天数 / days at least
    unit: count
    values:
      2024-01-01: {value: 3, quote: 按每人每天30元给予伙食补贴}
  groups:
    description: 补贴对象 / groups
    unit: list
    values:
      2024-01-01: {value: [poverty_alleviated], quote: 按每人每天30元给予伙食补贴}
  notice_working_days:
    description: 公示期 / public notice
    unit: working_days
    values:
      2024-01-01: {value: 0, note: 未规定公示 / no public notice}
"""


def resident_id(birth: str, sequence: int = 1) -> str:
    first17 = f"632801{birth}{sequence:03d}"
    return first17 + resident_id_check_character(first17)


@pytest.fixture
def toyland(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The program as the page lays out a built-in one: ``toyland/meal_allowance.py`` with
    ``meal_allowance.yaml`` beside it, and its entry point (installed metadata, as
    ``pip install -e .`` writes it from pyproject.toml)."""
    package = tmp_path / "toyland"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "meal_allowance.py").write_text(textwrap.dedent(MODULE), encoding="utf-8")
    (package / "meal_allowance.yaml").write_text(PARAMETERS, encoding="utf-8")
    info = tmp_path / "toyland_programs-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: toyland-programs\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        f"[{registry.GROUP}]\n{PROGRAM} = toyland.meal_allowance:MealAllowance\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    registry._entry_points.cache_clear()
    registry.calculator.cache_clear()
    yield tmp_path
    registry._entry_points.cache_clear()
    registry.calculator.cache_clear()


CASES = [  # (what, changes to the base claim, status, amount)
    ("5 days", {}, "eligible", "150.00"),
    ("3 days, the least (以上 includes it)", {"training_days": "3"}, "eligible", "90.00"),
    ("2 days", {"training_days": "2"}, "ineligible", "0.00"),
    ("12 days, capped at 300", {"training_days": "12"}, "eligible", "300.00"),
    ("group 其他", {"trainee_group": "其他"}, "ineligible", "0.00"),
    (
        "wrong check character",
        {"trainee_id": resident_id("19900101")[:-1] + "0"},
        "invalid",
        "0.00",
    ),
    ("before the document", {"start_date": "2023-12-31"}, "ineligible", "0.00"),
]
BASE = {
    "claim_id": "T1",
    "trainee_name": "卓玛",
    "trainee_id": resident_id("19900101"),
    "trainee_group": "脱贫劳动力",
    "start_date": "2024-03-04",
    "training_days": "5",
}


def test_found_decided_and_priced_as_the_page_says(toyland):
    assert PROGRAM in registry.program_ids()
    calc = registry.calculator(PROGRAM)
    assert calc.program.parameter("daily_rate").at(dt.date(2024, 6, 1)).value == 30_00
    rows = [  # a trainee of her own on each row
        {**BASE, "claim_id": f"T{k}", "trainee_id": resident_id("19900101", k + 1), **changes}
        for k, (_, changes, _, _) in enumerate(CASES)
    ]
    rows.append({**BASE, "claim_id": "T-again"})  # T0's trainee again: paid once (一次性)
    result = evaluate(calc, pd.DataFrame(rows, dtype=object), as_of=dt.date(2024, 12, 31))
    expected = [(status, amount) for _, _, status, amount in CASES] + [("duplicate", "0.00")]
    assert list(zip(result["status"], result["amount"], strict=True)) == expected
    price = calc.pricing.price(calc.program, Quantity(10), dt.date(2024, 6, 1), {})
    assert (price.fen, price.remark) == (3_000_00, AT_CAP)
    with pytest.raises(PricingError, match="takes no top_up_share"):
        calc.pricing.price(
            calc.program, Quantity(10, top_up_share=Decimal("0.5")), dt.date(2024, 6, 1), {}
        )


def test_subsidies_calc_runs_it(toyland):
    claims = toyland / "claims.csv"
    with claims.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["申请编号", "学员姓名", "身份证号", "人员类别", "开班日期", "实际培训天数"]
        )
        writer.writerow(["T1", "卓玛", BASE["trainee_id"], "脱贫劳动力", "2024-03-04", "5"])
    results = toyland / "results.csv"
    outcome = CliRunner().invoke(
        main, ["calc", PROGRAM, str(claims), "-o", str(results), "--as-of", "2024-12-31"]
    )
    assert outcome.exit_code == 0, outcome.output
    assert re.search(r"^\s+符合\s+1 笔\s+150\.00 元$", outcome.output, re.M), outcome.output
