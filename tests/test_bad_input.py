"""Malformed claim files through the CLI (issue #18, "Bad input"), for `subsidies calc` and
`subsidies batch submit` alike: each is read as it sensibly can be, or refused with one
clear line in Chinese naming the file (and the row, column and value where there is one),
a non-zero exit and no traceback; a refused submit leaves every table as it was."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook
from sqlalchemy import inspect, text

from calculators.registry import calculator
from ledgers import Ledger
from subsidies.cli import main

GOJI = "qinghai.goji_broker"
LABELS = [c.label for c in calculator(GOJI).template.columns]
AS_OF = "2024-12-31"
BROKER = "11010519491231002X"
WORKERS = ["440524198001010013", "630102199001011235", "632802200002290040"]


def row(n: int, worker: str = "李四", worker_id: str | None = None) -> list[str]:
    worker_id = worker_id or WORKERS[n % 3]
    return [f"{1000 + n}", "张三", BROKER, worker, worker_id, "青海", "是", "海西",
            "2024-07-01", "2024-08-31", "其他"]  # fmt: skip


GOOD = [LABELS, row(1), row(2)]


def as_csv(rows: list[list], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def as_xlsx(*sheets: tuple[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for values in rows:
            sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_cell(rows: list[list], at: tuple[int, int], value: str) -> list[list]:
    changed = [list(r) for r in rows]
    changed[at[0]][at[1]] = value
    return changed


INSTRUCTIONS = [["填表说明"], ["1. 身份证号请设置为文本格式"], ["2. 日期写作 2024-07-01"]]
NAMES = calculator(GOJI).template.names
BIG5 = as_csv(  # a traditional-Chinese Excel's CSV: Big5, English headers
    [
        NAMES,
        *(with_cell([row(n, name)], (0, 1), "張三")[0] for n, name in ((1, "陳大文"), (2, "張偉"))),
    ],
    "big5",
)
HUGE = "X" * 200_000
TWO_ID_COLUMNS = [[*LABELS, "身份证号"]] + [[*r, r[4]] for r in GOOD[1:]]


@dataclass(frozen=True)
class Case:
    name: str
    file: str
    content: bytes
    refused: str | None = None  # a pattern of the one-line refusal; None: read
    claims: int = 0  # how many claims a file that is read holds
    shows: tuple[str, ...] = ()  # what its results file shows


CASES = [
    Case("empty", "c.csv", b"", "c.csv: 文件是空的"),
    Case("bom only", "c.csv", "\ufeff".encode(), "文件是空的"),
    Case("empty xlsx", "c.xlsx", b"", r"c.xlsx: 扩展名是 \.xlsx，但文件是空的"),
    Case("header only", "c.csv", as_csv([LABELS]), "第 1 行表头下没有申报数据"),
    Case("header only xlsx", "c.xlsx", as_xlsx(("申报表", [LABELS])), "没有申报数据"),
    Case("header and blank rows", "c.csv", as_csv([LABELS, [""] * 11, []]), "没有申报数据"),
    Case("binary garbage", "c.csv", bytes(range(128, 256)) * 8, "不是文本文件"),
    Case("png renamed csv", "c.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "不是文本文件"),
    Case("big5", "c.csv", BIG5, None, 2, ("陳大文", "張偉")),
    Case(
        "shift_jis",
        "c.csv",
        as_csv([["名前", "住所"], ["やまだ", "東京都"]], "shift_jis"),
        "Shift_JIS",
    ),  # fmt: skip
    Case(
        "euc-kr", "c.csv", as_csv([["이름", "주소"], ["김철수", "서울특별시"]], "euc-kr"), "EUC-KR"
    ),
    Case("utf-16", "c.csv", as_csv(GOOD, "utf-16"), "UTF-16"),
    Case("gb18030 kept", "c.csv", as_csv([LABELS, row(1, "王五")], "gb18030"), None, 1, ("王五",)),
    Case("utf-8 kept", "c.csv", as_csv(GOOD), None, 2),
    Case("utf-8 bom kept", "c.csv", as_csv(GOOD, "utf-8-sig"), None, 2),
    Case(
        "huge cell",
        "c.csv",
        as_csv(with_cell(GOOD, (2, 3), HUGE)),
        r"第 3 行 D 列（200,000 个字符：“XXXXXXXXXXXXXXXXXXXX…”）",
    ),  # fmt: skip
    Case("huge cell in the header rows", "c.csv", as_csv([[HUGE], *GOOD]), "第 1 行 A 列"),
    Case(
        "huge cell xlsx",
        "c.xlsx",
        as_xlsx(("申报表", with_cell(GOOD, (1, 1), HUGE))),
        "工作表「申报表」: 单元格达到或超过 Excel 单元格上限 32,767 个字符.*第 2 行 B 列",
    ),  # fmt: skip
    Case(
        "two id columns differing",
        "c.csv",
        as_csv([[*LABELS, "身份证号"], [*row(1), WORKERS[2]], [*row(2), WORKERS[2]]]),
        "E 列「务工人员身份证号」与 L 列「身份证号」都是 worker_id.*第 2 行",
    ),  # fmt: skip
    Case("two id columns the same", "c.csv", as_csv(TWO_ID_COLUMNS), None, 2),
    Case(
        "missing required column",
        "c.csv",
        as_csv([r[:-1] for r in GOOD]),
        r"缺少必填列（1 列）: worker_group",
    ),  # fmt: skip
    Case("totals row", "c.csv", as_csv([*GOOD, ["合计", *[""] * 9, "2人"]]), None, 2),
    Case("汇总 row", "c.csv", as_csv([*GOOD, ["", "汇总", *[""] * 9]]), None, 2),
    Case(
        "merged-looking blank rows",
        "c.xlsx",
        as_xlsx(("申报表", [["2024年申报表"], LABELS, row(1), [None] * 11, [], row(2), []])),
        None,
        2,
    ),  # fmt: skip
    Case("xlsx with no header", "c.xlsx", as_xlsx(("申报表", GOOD[1:])), "缺少必填列"),
    Case("xlsx that is a csv", "c.xlsx", as_csv(GOOD), "内容不是 Excel 工作簿.*改为 \\.csv"),
    Case("csv that is an xlsx", "c.csv", as_xlsx(("申报表", GOOD)), "内容是 Excel 工作簿（XLSX）"),
    Case("xls renamed csv", "c.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), r"\.xls"),
    Case("damaged xlsx", "c.xlsx", b"PK\x03\x04 not a workbook", "不是可读的 XLSX 工作簿"),
    Case("unsupported type", "c.ods", b"x", "不支持的文件类型"),
    Case(
        "a row wider than the header",
        "c.csv",
        as_csv([*GOOD] + [row(n) for n in range(3, 14)] + [[*row(14), "多余"]]),
        "第 15 行有 12 个单元格.*多了逗号",
    ),  # fmt: skip
    Case("unterminated quote", "c.csv", as_csv(GOOD) + b'1003,"unfinished\r\n', "无法按 CSV 读取"),
    Case(
        "instructions sheet first",
        "c.xlsx",
        as_xlsx(("填表说明", INSTRUCTIONS), ("申报表", GOOD)),
        None,
        2,
    ),  # fmt: skip
    Case(
        "no sheet has the header",
        "c.xlsx",
        as_xlsx(("填表说明", INSTRUCTIONS), ("申报表", [r[:-1] for r in GOOD])),
        "工作表「申报表」: 缺少必填列",
    ),  # fmt: skip
    Case(
        "header below the first ten rows",
        "c.csv",
        as_csv([[f"说明{i}"] for i in range(10)] + GOOD),
        "缺少必填列",
    ),  # fmt: skip
]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _written(tmp_path: Path, case: Case) -> Path:
    path = tmp_path / case.file
    path.write_bytes(case.content)
    return path


def _no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )


def _one_line_refusal(result: Result, case: Case) -> None:
    assert result.exit_code != 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("错误："), result.output
    assert re.search(case.refused, lines[0]), (case.refused, lines[0])
    assert case.file in lines[0]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_calc(runner, tmp_path, case):
    source, out = _written(tmp_path, case), tmp_path / "results.csv"
    result = runner.invoke(main, ["calc", GOJI, str(source), "-o", str(out), "--as-of", AS_OF])
    _no_traceback(result)
    if case.refused:
        _one_line_refusal(result, case)
        assert not out.exists()
        return
    assert result.exit_code == 0, result.output
    assert f"{case.claims} 笔申报" in result.output
    written = out.read_text(encoding="utf-8-sig")
    assert written.count(",eligible\n") == case.claims, written  # every claim read right
    for shown in case.shows:
        assert shown in written


def _tables(led: Ledger) -> dict[str, list]:
    with led.engine.connect() as conn:
        return {
            t: sorted((tuple(r) for r in conn.execute(text(f'SELECT * FROM "{t}"'))), key=repr)
            for t in sorted(inspect(conn).get_table_names())
        }


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_batch_submit(runner, tmp_path, db_url, case, as_officer):
    def invoke(*args, by=None) -> Result:
        env = {} if args[0] == "init" else as_officer(db_url, by)
        return runner.invoke(main, [*args, "--db", db_url], env=env)

    assert invoke("init").exit_code == 0
    assert invoke("fund", "add", "QH2024", "2024 青海").exit_code == 0
    invoke("whoami", by="wang.maker")  # signed in before the tables are compared
    source = _written(tmp_path, case)
    with Ledger.connect(db_url) as led:
        before = _tables(led)
    result = invoke("batch", "submit", GOJI, str(source), "--fund", "QH2024", "--as-of", AS_OF, "-o", str(tmp_path / "decisions.csv"), by="wang.maker")  # fmt: skip
    _no_traceback(result)
    with Ledger.connect(db_url) as led:
        after = _tables(led)
    if case.refused:
        _one_line_refusal(result, case)
        assert after == before
        return
    assert result.exit_code == 0, result.output
    assert f"qinghai.goji_broker，{case.claims} 笔，" in result.output
    assert len(after["decisions"]) == len(before["decisions"]) + case.claims
    written = (tmp_path / "decisions.csv").read_text(encoding="utf-8-sig")
    assert written.count("\n") == case.claims + 1
    assert written.count(",eligible,") == case.claims, written  # every claim read right


WORKBOOK = as_xlsx(("填表说明", INSTRUCTIONS), ("第一批", GOOD), ("第二批", [LABELS, row(5)]))


def test_calc_sheet_option(runner, tmp_path):
    source, out = tmp_path / "c.xlsx", tmp_path / "r.csv"
    source.write_bytes(WORKBOOK)
    args = ["calc", GOJI, str(source), "-o", str(out), "--as-of", AS_OF]
    assert "2 笔申报" in runner.invoke(main, args).output  # the first sheet with the header
    assert "1 笔申报" in runner.invoke(main, [*args, "--sheet", "第二批"]).output
    assert "1005" in out.read_text(encoding="utf-8-sig")
    refused = runner.invoke(main, [*args, "--sheet", "第三批"])
    assert refused.exit_code == 1
    assert (
        "没有名为「第三批」的工作表；工作簿中有 「填表说明」、「第一批」、「第二批」"
        in refused.output
    )
    refused = runner.invoke(main, [*args, "--sheet", "填表说明"])
    assert refused.exit_code == 1 and "工作表「填表说明」: 缺少必填列" in refused.output
    csv_source = tmp_path / "c.csv"
    csv_source.write_bytes(as_csv(GOOD))
    refused = runner.invoke(main, ["calc", GOJI, str(csv_source), "-o", str(out), "--sheet", "x"])
    assert refused.exit_code == 1 and "--sheet 只用于 XLSX 工作簿" in refused.output


def test_batch_submit_sheet_option(runner, tmp_path, db_url, as_officer):
    source = tmp_path / "c.xlsx"
    source.write_bytes(WORKBOOK)

    def invoke(*args, by=None) -> Result:
        env = {} if args[0] == "init" else as_officer(db_url, by)
        return runner.invoke(main, [*args, "--db", db_url], env=env)

    assert invoke("init").exit_code == 0
    assert invoke("fund", "add", "QH2024", "2024 青海").exit_code == 0
    result = invoke("batch", "submit", GOJI, str(source), "--fund", "QH2024", "--as-of", AS_OF, "--sheet", "第二批", by="wang.maker")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "qinghai.goji_broker，1 笔，" in result.output
