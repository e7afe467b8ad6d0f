"""Progress of the long steps (issue #17): a 200,000-claim file decided by ``subsidies calc``
shows each stage on stderr with a Chinese label and its counts, the file's writing as a
stage of its own (never a bar frozen at 100% while the file is written); nothing is drawn
when stderr is not a terminal; every writer tells a stage by rows, then its saving."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from reports.document import Column, Report, Table
from reports.output import write
from subsidies.console.jobs import Running
from subsidies.domain.identity import resident_id_check_character
from subsidies.domain.progress import counted
from subsidies.tablefile import write_table

RUN = "import sys; from subsidies.cli import main; main(sys.argv[1:])"
CLAIMS = 200_000
HEADER = ["申请编号", "经纪人姓名", "经纪人身份证号", "务工人员姓名", "务工人员身份证号",
          "户籍所在省", "农牧民", "务工地", "开始日期", "结束日期", "人员类别"]  # fmt: skip
BROKER = "632123197803040112"


class Recorder:
    """Every stage and how far it got, as (label, total, unit, done)."""

    def __init__(self) -> None:
        self.stages: list[list] = []

    def stage(self, label: str, total: int | None = None, unit: str = "") -> None:
        self.stages.append([label, total, unit, 0])

    def advance(self, done: int = 1) -> None:
        self.stages[-1][3] += done


def _claims(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        out = csv.writer(file)
        out.writerow(HEADER)
        for k in range(n):
            # a person per row: 28 birth days x 1,000 sequences, a new region every 28,000
            person = f"{632122 + k // 28_000:06d}{19800101 + k % 28:08d}{k // 28 % 1000:03d}"
            person += resident_id_check_character(person)
            out.writerow([f"G{k:06d}", "马建国", BROKER, "韩玉兰", person, "青海", "是",
                          "格尔木", "2024-07-01", "2024-08-31", "其他"])  # fmt: skip
    return path


def _shown(stderr: bytes) -> list[str]:
    """The distinct lines the bars drew, without colours, bars and times."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stderr.decode("utf-8"))
    lines = []
    for line in re.split(r"[\r\n]", text):
        line = re.sub(r"\s+", " ", re.sub(r"[━╸╺]", "", line))
        line = re.sub(r" \d+:\d\d:\d\d$", "", line.strip())
        if line and line not in lines:
            lines.append(line)
    return lines


def _calc(folder: Path, progress: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SUBSIDIES_PROGRESS"}
    env |= {"SUBSIDIES_LANG": "zh_CN", "COLUMNS": "120"}
    if progress is not None:
        env["SUBSIDIES_PROGRESS"] = progress
    argv = ["calc", "qinghai.goji_broker", "claims.csv", "-o", "results.csv",
            "--as-of", "2025-03-31"]  # fmt: skip
    return subprocess.run(
        [sys.executable, "-c", RUN, *argv], cwd=folder, env=env, capture_output=True, timeout=600
    )


def test_a_200000_claim_file_shows_each_stage_with_its_counts(tmp_path: Path) -> None:
    _claims(tmp_path / "claims.csv", CLAIMS)
    done = _calc(tmp_path, "1")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    shown = _shown(done.stderr)
    assert "读取 claims.csv" in shown
    assert "审核申报 200,000/200,000 笔" in shown
    assert "审核申报 100,000/200,000 笔" in shown  # a step on the way, not only the end
    assert "核查全文件的重复申领" in shown
    assert "写入文件 results.csv 200,000/200,000 行" in shown
    # the deciding bar is full before the file is written, which is a stage of its own
    full = shown.index("审核申报 200,000/200,000 笔")
    writing = next(i for i, line in enumerate(shown) if line.startswith("写入文件 results.csv"))
    assert full < writing
    assert "符合" in done.stdout.decode("utf-8") and "200,000 笔" in done.stdout.decode("utf-8")
    assert len(pd.read_csv(tmp_path / "results.csv", dtype=str)) == CLAIMS


def test_nothing_is_drawn_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    _claims(tmp_path / "claims.csv", 20)
    done = _calc(tmp_path, None)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_table_is_written_row_by_row_then_saved(tmp_path: Path, suffix: str) -> None:
    rows = 25_001
    frame = pd.DataFrame({"姓名": ["张三"] * rows, "金额": ["1.00"] * rows})
    seen = Recorder()
    write_table(frame, tmp_path / f"out{suffix}", sheet="明细", progress=seen)
    assert seen.stages[0] == [f"写入文件 out{suffix}", rows, "行", rows]
    if suffix == ".xlsx":  # the workbook is compressed after its rows: a stage of its own
        assert seen.stages[-1][0] == "保存文件 out.xlsx"


def test_a_console_job_shows_its_stage_and_count() -> None:
    running = Running()
    assert running.fraction is None
    seen = []
    for _ in counted(running, range(5), "审核申报", 5, "笔", every=2):
        seen.append((running.label, running.done, running.total, running.unit))
    assert seen == [("审核申报", d, 5, "笔") for d in (0, 0, 2, 2, 4)]
    assert running.fraction == 1.0
    running.stage("写入文件")  # a stage of unknown length: no bar to fill
    assert (running.label, running.done, running.fraction) == ("写入文件", 0, None)


@pytest.mark.parametrize("suffix", [".pdf", ".xlsx", ".csv"])
def test_a_report_tells_its_pages_or_rows_then_its_saving(tmp_path: Path, suffix: str) -> None:
    table = Table(
        "发放明细",
        (Column("姓名"), Column("金额", "fen")),
        [["张*", 100_00]] * 400,
        ([None, 400_00],),
    )
    report = Report("发放明细表", "QH2024", "2024年", "某区人社局", [table])
    seen = Recorder()
    write(report, tmp_path / f"register{suffix}", seen)
    first = seen.stages[0]
    if suffix == ".pdf":  # pages: how many is known at the end only
        assert first[:3] == ["排版 register.pdf", None, "页"] and first[3] > 5
        assert seen.stages[-1][0] == "保存文件 register.pdf"
    else:
        assert first == [f"写入文件 register{suffix}", 401 if suffix == ".csv" else 400, "行",
                         401 if suffix == ".csv" else 400]  # fmt: skip
