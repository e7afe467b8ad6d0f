"""Benchmark: reading a claims workbook, openpyxl (the reader before) against python-calamine;
writing its results, the project's writer (XlsxWriter) against the engine before (openpyxl).

    python bench/xlsx.py [--n 200000] [--repeat 1] [--keep FILE]

The workbook is N goji claims as ``bench/calc.py`` decides them in memory (the project's
synthetic claims, :mod:`subsidies.demo.synthetic`: 11 columns) written as an officer keeps
them: a title row over the header, ids and names as text, the dates of most rows as Excel
date cells, and an amount column as numbers. It is read four ways:

1. openpyxl, read-only, every cell turned into text as ``subsidies/claimfile.py`` did
   before calamine (``openpyxl_grid`` below is that code);
2. python-calamine alone (``CalamineWorkbook.to_python``: the values, no text);
3. ``read_grid``: calamine plus our cell text (dates, whole numbers, percentages);
4. ``read_claims(path, template)`` end to end (header search, totals, the claims frame).

Then the claims are decided and their results (the claims under the officer's headers, then
审核结果, 金额, 原因, 政策依据, the row, status: what ``subsidies calc -o results.xlsx``
writes) are written two ways:

5. ``write_table`` (``subsidies/tablefile.py`` → ``reports/sheets.py``, XlsxWriter in
   constant memory): typed amounts, dates and row numbers, formats, widths, a 合计 row;
6. ``DataFrame.to_excel(engine="openpyxl")``: how ``subsidies calc`` wrote results before
   the one writer (every cell as given, no formats).

Each figure is the best of ``--repeat`` runs, wall clock and this process's CPU seconds
(the machine is shared: CPU seconds drift less); the ratio is openpyxl's time over ours.
The two readers' grids are compared cell for cell, and both written files are read back
(their 申请编号 and status columns equal to the results'), so a fast wrong answer cannot
pass.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import numpy as np

_HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(_HERE))

from calc import AS_OF, IN_MEMORY, YEAR  # noqa: E402

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import pandas as pd  # noqa: E402
import python_calamine  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from calculators.evaluate import evaluate  # noqa: E402
from calculators.registry import calculator  # noqa: E402
from subsidies.claimfile import read_claims, read_grid, result_headers  # noqa: E402
from subsidies.demo.synthetic import BANK_ACCOUNT, generate  # noqa: E402
from subsidies.tablefile import write_table  # noqa: E402

GOJI = calculator("qinghai.goji_broker")
SHEET = "审核结果"


def _date_cell(text: str) -> dt.date | str:
    """A YYYY-MM-DD cell as a date cell (as typed into a date-formatted column); YYYY/M/D
    and impossible dates (2024-02-30) stay the text typed."""
    try:
        return dt.date.fromisoformat(text) if "-" in text else text
    except ValueError:
        return text


def write_workbook(path: Path, n: int) -> None:
    raw = generate(GOJI, n, seed=2024, year=YEAR, mix=IN_MEMORY, headers="ids")
    raw = raw.drop(columns=BANK_ACCOUNT)
    labels = [c.label for c in GOJI.template.columns] + ["补贴金额（元）"]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("申报表")
    sheet.append(["2024年青海省劳务经纪人枸杞采摘补贴申报表"])
    sheet.append(labels)
    dated = ("start_date", "end_date")
    columns = [raw[c].to_numpy(dtype=object) for c in raw.columns]
    position = {c: i for i, c in enumerate(raw.columns)}
    for i in range(n):
        values = [column[i] for column in columns]
        for name in dated:
            values[position[name]] = _date_cell(values[position[name]])
        sheet.append([*values, 50 if i % 3 else 100])
    book.save(path)


def openpyxl_grid(path: Path) -> tuple[list[list[str]], list[list[bool]]]:
    """The XLSX reader before calamine: openpyxl read-only, a cell at a time."""

    def cell_text(value, number_format):
        if value is None:
            return "", False
        if isinstance(value, bool):
            return ("yes" if value else "no"), False
        if isinstance(value, dt.datetime):
            whole = value.time() == dt.time()
            return (value.date().isoformat() if whole else value.isoformat()), False
        if isinstance(value, dt.date):
            return value.isoformat(), False
        if isinstance(value, int | float) and number_format and "%" in number_format:
            return f"{(Decimal(repr(value)) * 100).normalize():f}%", True
        if isinstance(value, int):
            return str(value), True
        if isinstance(value, float):
            if value.is_integer() and abs(value) < 1e15:
                return str(int(value)), True
            return repr(value), True
        return str(value), False

    book = load_workbook(path, read_only=True, data_only=True)
    texts, numbers = [], []
    for row in book.worksheets[0].iter_rows():
        cells = [cell_text(c.value, getattr(c, "number_format", None)) for c in row]
        texts.append([c[0] for c in cells])
        numbers.append([c[1] for c in cells])
    book.close()
    return texts, numbers


def best(repeat: int, run) -> tuple[tuple[float, float], object]:
    """The best wall and CPU seconds of ``repeat`` runs, and the result."""
    times, result = [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = run()
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    return (min(t[0] for t in times), min(t[1] for t in times)), result


def write_results(found, directory: Path, repeat: int):
    """The claims decided, their results written by the project's writer and by the engine
    before; (before, ours) as (wall, CPU) seconds. Both files are read back."""
    result = evaluate(GOJI, found.raw, as_of=AS_OF, numeric=found.numeric, rows=found.source_rows)
    table, typed = found.with_results(result, GOJI.template)
    ours_path, old_path = directory / "results.xlsx", directory / "results-openpyxl.xlsx"
    ours, _ = best(repeat, lambda: write_table(table, ours_path, sheet=SHEET, typed=typed))
    old, _ = best(
        repeat,
        lambda: table.to_excel(old_path, sheet_name=SHEET, index=False, engine="openpyxl"),
    )
    for path in (ours_path, old_path):
        _check_written(path, table)
    return old, ours


def _check_written(path: Path, table: pd.DataFrame) -> None:
    """The first column (申请编号) and the status column read back as the results have them."""
    cells, _ = read_grid(path)
    header = cells.iloc[0].tolist()
    rows = cells.iloc[1 : len(table) + 1]
    status = result_headers()["status"]
    assert header[0] == table.columns[0] and status in header, (path, header)
    assert rows.iloc[:, 0].tolist() == table.iloc[:, 0].tolist(), path
    assert rows.iloc[:, header.index(status)].tolist() == table[status].tolist(), path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, help="Write (or reuse) this file.")
    args = parser.parse_args()

    path = args.keep or Path(tempfile.mkdtemp()) / "claims.xlsx"
    if not path.exists():
        start = time.perf_counter()
        write_workbook(path, args.n)
        print(
            f"wrote {path} ({path.stat().st_size / 2**20:.1f} MiB) in {time.perf_counter() - start:.1f} s"
        )
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {platform.python_implementation()} "
          f"{platform.python_version()}, {os.cpu_count()} cores, load average {load}; "
          f"{args.n:,} claims, best of {args.repeat}")  # fmt: skip

    def calamine_values():
        with python_calamine.CalamineWorkbook.from_path(path) as book:
            return book.get_sheet_by_index(0).to_python(skip_empty_area=False)

    old, (texts, numbers) = best(args.repeat, lambda: openpyxl_grid(path))
    raw, _ = best(args.repeat, calamine_values)
    grid, (cells, numeric) = best(args.repeat, lambda: read_grid(path))
    claims, found = best(args.repeat, lambda: read_claims(path, GOJI.template))

    width = cells.shape[1]
    expected = [r + [""] * (width - len(r)) for r in texts]
    assert cells.to_numpy().tolist() == expected, "the readers' cells differ"
    assert np.array_equal(
        numeric.to_numpy(), np.array([r + [False] * (width - len(r)) for r in numbers])
    )
    assert len(found) == args.n

    rows = [
        ("openpyxl, read-only, cell text (before)", old),
        ("python-calamine, values only", raw),
        ("read_grid: calamine + cell text", grid),
        ("read_claims end to end", claims),
    ]
    print(f"{'reader':<42} {'wall s':>8} {'CPU s':>8} {'openpyxl ÷ this (wall, CPU)':>28}")
    for name, (wall, cpu) in rows:
        print(f"{name:<42} {wall:>8.2f} {cpu:>8.2f} {old[0] / wall:>13.1f}× {old[1] / cpu:>12.1f}×")

    before, ours = write_results(found, path.parent, args.repeat)
    print()
    print(f"{'writer, the results of ' + format(args.n, ',') + ' claims':<42} {'wall s':>8} "
          f"{'CPU s':>8} {'openpyxl ÷ this (wall, CPU)':>28}")  # fmt: skip
    for name, (wall, cpu) in [
        ("to_excel, openpyxl (before)", before),
        ("write_table: XlsxWriter, constant memory", ours),
    ]:
        print(
            f"{name:<42} {wall:>8.2f} {cpu:>8.2f} {before[0] / wall:>13.1f}× {before[1] / cpu:>12.1f}×"
        )
    print(f"load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
