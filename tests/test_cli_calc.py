"""The ``subsidies`` command: programs, show, template and calc, through click's CliRunner."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from calculators.registry import calculator, program_ids
from subsidies.claimfile import read_claims
from subsidies.cli import main
from subsidies.domain.identity import credit_code_check_character, resident_id_check_character

GOJI = "qinghai.goji_broker"
TEMPLATE = calculator(GOJI).template
NAMES = TEMPLATE.names
LABELS = [c.label for c in TEMPLATE.columns]
QUOTE = (
    "对劳务经纪人组织带领我省户籍农牧民赴海西采摘枸杞2个月以上不足6个月的,按每人50元标准给予补贴"
)

BROKER = "11010519491231002X"
BAD_BROKER = "110105194912310023"  # 11010519491231002X with a wrong check character
W1, W2, W3, W4 = "440524198001010013", "630102199001011235", "632802200002290040", "632801199506150023"  # fmt: skip

# claim ids deliberately out of order: results must keep the input order
CLAIMS = [
    # claim_id, broker, broker_id, worker, worker_id, hukou, farmer, destination, start, end, group
    ["C9", "张三", BROKER, "李四", W1, "青海", "是", "海西", "2024-07-01", "2024-08-31", "脱贫劳动力"],
    ["A1", "张三", BROKER, "王五", W2, "63", "是", "格尔木市", "2024-07-15", "2024-09-14", "其他"],
    ["B5", "张三", BROKER, "赵六", W3, "青海", "是", "西宁", "2024-07-01", "2024-08-31", "其他"],
    ["Z2", "张三", BAD_BROKER, "孙七", W4, "青海", "是", "海西", "2024-07-01", "2024-08-31", "其他"],
    ["D4", "张三", BROKER, "李四", W1, "青海", "是", "德令哈", "2024-08-31", "2024-11-30", "其他"],
    ["E3", "张三", BROKER, "孙七", W4, "青海", "是", "海西", "2021-07-01", "2021-08-31", "其他"],
]  # fmt: skip
EXPECTED = [
    ("C9", "eligible", "100.00"),
    ("A1", "eligible", "50.00"),
    ("B5", "ineligible", "0.00"),
    ("Z2", "invalid", "0.00"),
    ("D4", "duplicate", "0.00"),
    ("E3", "ineligible", "0.00"),
]
# what each result is found under: the officer's own 申请编号, then the columns added
RESULT_COLUMNS = ["申请编号", "status", "金额（元）", "原因", "政策依据"]
ADDED = ["审核结果", "金额（元）", "原因", "政策依据", "原表行号", "status"]
LABELLED = {"eligible": "符合", "ineligible": "不符合", "invalid": "数据有误", "duplicate": "重复"}


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8-sig") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def blocks(output: str) -> dict[str, str]:
    """`programs` output split into one text block per program id."""
    found: dict[str, str] = {}
    current = None
    for line in output.splitlines():
        if line and not line.startswith(" "):
            current = line.split()[0]
            found[current] = ""
        if current:
            found[current] += line + "\n"
    return found


# --- programs and show ----------------------------------------------------------------------


def test_programs_lists_every_program_with_amounts_in_force():
    result = run("programs", "--as-of", "2024-07-01")
    assert result.exit_code == 0, result.output
    listed = blocks(result.output)
    assert sorted(listed) == program_ids()
    goji = listed[GOJI]
    assert "三(六)" in goji
    assert "征求意见稿" in goji
    assert "50.00 元" in goji


@pytest.mark.parametrize(
    ("as_of", "in_force"), [("2021-01-01", False), ("2022-02-06", False), ("2022-02-07", True)]
)
def test_programs_as_of(as_of, in_force):
    result = run("programs", "--as-of", as_of)
    assert result.exit_code == 0, result.output
    goji = blocks(result.output)[GOJI]
    assert ("尚未施行" in goji) is not in_force
    assert ("50.00 元" in goji) is in_force


def test_programs_default_date_is_today():
    result = run("programs")
    assert result.exit_code == 0, result.output
    assert "50.00 元" in blocks(result.output)[GOJI]


@pytest.mark.parametrize("bad", ["2021-13-01", "yesterday", "01/07/2024"])
def test_programs_refuses_a_bad_date(bad):
    result = run("programs", "--as-of", bad)
    assert result.exit_code != 0
    assert bad in result.output


def test_show_prints_the_quoted_article():
    document = Path(__file__).resolve().parents[1] / "docs" / "policies" / "qinghai-2022-draft.txt"
    assert QUOTE in document.read_text(encoding="utf-8")  # the quote is the document's own words
    result = run("show", GOJI)
    assert result.exit_code == 0, result.output
    assert QUOTE in result.output
    assert "三(六)" in result.output
    assert "base_per_worker" in result.output
    assert "50.00 元" in result.output
    assert "适用日期：开始日期" in result.output  # the event date


@pytest.mark.parametrize("command", [["show"], ["template", "-o", "x.csv"]])
def test_unknown_program(tmp_path, command):
    args = [command[0], "qinghai.nothing", *command[1:]]
    if command[0] == "template":
        args[-1] = str(tmp_path / "x.csv")
    result = run(*args)
    assert result.exit_code != 0
    assert "没有项目 'qinghai.nothing'" in result.output
    assert GOJI in result.output  # lists the known ones
    assert not (tmp_path / "x.csv").exists()


# --- template ------------------------------------------------------------------------------------


def test_template_csv(tmp_path):
    path = tmp_path / "x.csv"
    result = run("template", GOJI, "-o", path)
    assert result.exit_code == 0, result.output
    assert str(path) in result.output
    assert read_csv(path) == [LABELS]
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerow(CLAIMS[0])
    claims = read_claims(path, TEMPLATE)
    assert list(claims.raw.columns) == NAMES
    assert claims.raw.to_numpy().tolist() == [CLAIMS[0]]


def test_template_other_suffix_is_refused(tmp_path):
    result = run("template", GOJI, "-o", tmp_path / "x.txt")
    assert result.exit_code != 0 and ".csv or .xlsx" in result.output
    assert not (tmp_path / "x.txt").exists()


def test_template_xlsx(tmp_path):
    path = tmp_path / "x.xlsx"
    result = run("template", GOJI, "-o", path)
    assert result.exit_code == 0, result.output
    book = load_workbook(path)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == LABELS
    id_column = LABELS.index("务工人员身份证号") + 1
    assert sheet.cell(row=2, column=id_column).number_format == "@"  # ids typed as text
    for column, value in enumerate(CLAIMS[0], start=1):
        sheet.cell(row=2, column=column, value=value)
    book.save(path)
    claims = read_claims(path, TEMPLATE)
    assert list(claims.raw.columns) == NAMES
    assert claims.raw.to_numpy().tolist() == [CLAIMS[0]]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_calc_on_a_blank_template_says_there_are_no_claims(tmp_path, suffix):
    template = tmp_path / f"blank{suffix}"
    assert run("template", GOJI, "-o", template).exit_code == 0
    result = run("calc", GOJI, template, "-o", tmp_path / "out.csv")
    assert isinstance(result.exception, SystemExit), result.exception  # a message, not a crash
    assert result.exit_code != 0
    assert "没有申报数据" in result.output


# --- calc ----------------------------------------------------------------------------------------


@pytest.fixture
def claims_csv(tmp_path) -> Path:
    return write_csv(tmp_path / "claims.csv", [LABELS, *CLAIMS])


def check_results(header: list[str], rows: list[list[str]]) -> None:
    """The officer's columns as they headed them, in their order, then the result columns."""
    assert header == [*LABELS, *ADDED]
    picked = [[row[header.index(c)] for c in RESULT_COLUMNS] for row in rows]
    assert [tuple(r[:3]) for r in picked] == EXPECTED
    for row in rows:  # the officer's 审核结果 beside the code scripts read
        assert row[header.index("审核结果")] == LABELLED[row[header.index("status")]]
    assert [r[: len(LABELS)] for r in rows] == CLAIMS  # their cells, as written
    for claim_id, _status, amount, reasons, citation in picked:
        assert re.fullmatch(r"\d+\.\d{2}", amount), (claim_id, amount)
        assert reasons, claim_id
        assert "三(六)" in citation, (claim_id, citation)
    by_id = {r[0]: r for r in picked}
    assert "西宁" in by_id["B5"][3]
    assert "校验码应为" in by_id["Z2"][3]
    assert "C9" in by_id["D4"][3]  # names the first claim
    assert "2021-07-01" in by_id["E3"][3]


def check_summary(output: str) -> None:
    assert re.search(r"^\s+符合\s+2 笔\s+150\.00 元$", output, re.M), output
    assert re.search(r"^\s+不符合\s+2 笔\s+0\.00 元$", output, re.M), output
    assert re.search(r"^\s+数据有误\s+1 笔\s+0\.00 元$", output, re.M), output
    assert re.search(r"^\s+重复\s+1 笔\s+0\.00 元$", output, re.M), output


def test_calc_writes_csv(tmp_path, claims_csv):
    out = tmp_path / "results.csv"
    result = run("calc", GOJI, claims_csv, "-o", out, "--as-of", "2024-12-31")
    assert result.exit_code == 0, result.output
    check_summary(result.output)
    header, *rows = read_csv(out)
    check_results(header, rows)


def test_calc_writes_xlsx(tmp_path, claims_csv):
    out = tmp_path / "results.xlsx"
    result = run("calc", GOJI, claims_csv, "-o", out, "--as-of", "2024-12-31")
    assert result.exit_code == 0, result.output
    check_summary(result.output)
    # amounts are numbers (yuan, #,##0.00) and a 合计 row ends the sheet (issue #17: the
    # sheet used to hold the amounts as text and no total)
    sheet = load_workbook(out).worksheets[0]
    header, *rows, total = [list(row) for row in sheet.iter_rows()]
    titles = [c.value for c in header]
    amount = titles.index("金额（元）")
    assert {(r[amount].data_type, r[amount].number_format) for r in rows} == {("n", "#,##0.00")}
    assert total[0].value.startswith("合计") and total[amount].value == 150
    dates = [titles.index("开始日期"), titles.index("结束日期")]  # dates, not text
    assert {r[i].number_format for r in rows for i in dates} == {"yyyy-mm-dd"}
    text = [
        [
            f"{c.value:.2f}"
            if i == amount
            else f"{c.value:%Y-%m-%d}"
            if i in dates
            else ""
            if c.value is None
            else str(c.value)
            for i, c in enumerate(r)
        ]
        for r in rows
    ]
    check_results(titles, text)


def test_calc_reads_xlsx_input(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["2024年申报表"])
    sheet.append(LABELS)
    for row in CLAIMS:
        sheet.append(row)
    sheet.append(["合计", None, None, None, None, None, None, None, None, None, None])
    source = tmp_path / "claims.xlsx"
    book.save(source)
    out = tmp_path / "results.csv"
    result = run("calc", GOJI, source, "-o", out, "--as-of", "2024-12-31")
    assert result.exit_code == 0, result.output
    header, *rows = read_csv(out)
    check_results(header, rows)
    assert [r[header.index("原表行号")] for r in rows] == ["3", "4", "5", "6", "7", "8"]


def test_calc_exits_zero_when_nothing_is_eligible(tmp_path):
    rows = [LABELS, CLAIMS[2], CLAIMS[3]]
    out = tmp_path / "results.csv"
    result = run("calc", GOJI, write_csv(tmp_path / "c.csv", rows), "-o", out)
    assert result.exit_code == 0, result.output
    header, *rows = read_csv(out)
    assert [r[header.index("status")] for r in rows] == ["ineligible", "invalid"]
    assert [r[header.index("审核结果")] for r in rows] == ["不符合", "数据有误"]
    assert [r[header.index("金额（元）")] for r in rows] == ["0.00", "0.00"]


def test_results_come_back_under_the_officer_s_own_headers(tmp_path):
    """Their 序号, their spellings of the headers, their order and their extra columns,
    then the result columns; a results file decided again keeps its old results, marked."""
    theirs = ["序号", "身份证号", "申请编号", "经纪人", "经纪人身份证号", "姓名", "户籍",
              "是否农牧民", "采摘地", "采摘开始日期", "采摘结束日期", "人员类别", "备注"]  # fmt: skip
    order = [4, 0, 1, 2, 3, 5, 6, 7, 8, 9, 10]  # which of ours each of theirs is, less 序号
    rows = [
        [str(n), *[claim[i] for i in order], "核对中"]
        for n, claim in enumerate(CLAIMS[:2], start=1)
    ]
    out = tmp_path / "results.csv"
    source = write_csv(tmp_path / "claims.csv", [theirs, *rows])
    assert run("calc", GOJI, source, "-o", out, "--as-of", "2024-12-31").exit_code == 0
    header, *written = read_csv(out)
    assert header == [*theirs, *ADDED]
    assert [r[: len(theirs)] for r in written] == rows
    assert [r[header.index("审核结果")] for r in written] == ["符合", "符合"]

    again = tmp_path / "again.csv"
    assert run("calc", GOJI, out, "-o", again, "--as-of", "2024-12-31").exit_code == 0
    header, *_ = read_csv(again)
    marked = [f"{h}（原表）" for h in ADDED[:-1]] + ["status（原表）"]
    assert header == [*theirs, *marked, *ADDED]


def test_in_english_the_added_headers_are_english_and_status_is_the_same(tmp_path, monkeypatch):
    monkeypatch.setenv("SUBSIDIES_LANG", "en")
    out = tmp_path / "results.csv"
    source = write_csv(tmp_path / "claims.csv", [LABELS, *CLAIMS])
    result = run("calc", GOJI, source, "-o", out, "--as-of", "2024-12-31")
    assert re.search(r"^\s+eligible\s+2 claims\s+150\.00 元$", result.output, re.M), result.output
    header, *rows = read_csv(out)
    assert header == [*LABELS, "result", "amount (yuan)", "reasons", "citation",
                      "row in the file", "status"]  # fmt: skip
    assert [r[header.index("status")] for r in rows] == [e[1] for e in EXPECTED]


def test_calc_unknown_program(tmp_path, claims_csv):
    out = tmp_path / "results.csv"
    result = run("calc", "nowhere.nothing", claims_csv, "-o", out)
    assert result.exit_code != 0
    assert "没有项目 'nowhere.nothing'" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "找不到文件"),
        ("damaged.xlsx", b"PK\x03\x04 nothing", "不是可读的 XLSX 工作簿"),
        ("claims.ods", b"x", "不支持的文件类型"),
        ("empty.csv", b"", "文件是空的"),
        ("binary.csv", bytes(range(128, 256)) * 8, "不是文本文件"),
    ],
)
def test_calc_unreadable_file(tmp_path, name, content, message):
    source = tmp_path / name
    if content is not None:
        source.write_bytes(content)
    out = tmp_path / "results.csv"
    result = run("calc", GOJI, source, "-o", out)
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code != 0
    assert message in result.output
    assert str(source) in result.output
    assert not out.exists()


def test_calc_missing_columns_are_all_listed(tmp_path):
    dropped = ["broker_id", "worker_hukou", "end_date", "worker_group"]
    keep = [i for i, n in enumerate(NAMES) if n not in dropped]
    rows = [[row[i] for i in keep] for row in [LABELS, *CLAIMS]]
    source = write_csv(tmp_path / "c.csv", rows)
    out = tmp_path / "results.csv"
    result = run("calc", GOJI, source, "-o", out)
    assert result.exit_code != 0
    assert str(source) in result.output
    for name in dropped:
        assert name in result.output
        assert TEMPLATE.column(name).label in result.output
    assert not out.exists()


# --- numbers typed with full-width (全角) digits, as a Chinese input method may type them ---------


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in text)


def _person(n: int) -> str:
    body = f"63280119950615{n:03d}"
    return body + resident_id_check_character(body)


def _unit(n: int) -> str:
    body = f"91210200MA0{n:06d}"
    return body + credit_code_check_character(body)


TRANSPORT = {"person_name": "张三", "hukou_province": "青海", "person_group": "脱贫人口",
             "work_province": "江苏", "employed_from": "2024-03-01",
             "employed_until": "2024-06-30", "fare": "1000"}  # fmt: skip
SHANDONG = {"unit_name": "某劳务公司", "trained_per_year": "600", "placed_per_year": "600"}
DALIAN = {"unit_name": "某劳务公司", "level": "city", "registered_in_dalian": "是",
          "independent_legal_person": "是", "brand_identity": "是", "lawful_conduct": "是",
          "trained_per_year": "1200", "training_pass_rate": "90", "placed_per_year": "1200",
          "placed_trained_share": "60", "contract_rate": "100", "filing_rate": "100"}  # fmt: skip


@pytest.mark.parametrize(
    ("program_id", "base", "id_column", "make_id", "column"),
    [
        ("qinghai.transport", TRANSPORT, "person_id", _person, "fare"),  # amount
        ("shandong.brand_assessment", SHANDONG, "credit_code", _unit, "trained_per_year"),  # count
        ("dalian.brand_assessment", DALIAN, "credit_code", _unit, "training_pass_rate"),  # percent
        ("dalian.brand_assessment", DALIAN, "credit_code", _unit, "placed_per_year"),  # count
    ],
    ids=["transport-fare", "shandong-trained", "dalian-pass-rate", "dalian-placed"],
)
def test_fullwidth_digits_in_a_number_column(
    tmp_path, program_id, base, id_column, make_id, column
):
    """Read as the number, or refused quoting what was typed: never a crash, never a silent 0."""
    template = calculator(program_id).template
    typed = _fullwidth(base[column])
    rows = []
    for n, value in ((1, base[column]), (2, typed)):
        row = {**base, "claim_id": f"R{n}", id_column: make_id(n), column: value}
        rows.append([row.get(c.name, "") for c in template.columns])
    source = write_csv(tmp_path / "claims.csv", [[c.label for c in template.columns], *rows])
    out = tmp_path / "results.csv"
    result = run("calc", program_id, source, "-o", out, "--as-of", "2024-12-31")
    assert result.exit_code == 0, result.exception or result.output
    header, plain, fullwidth = read_csv(out)
    status, amount, reasons = (header.index(c) for c in ("status", "金额（元）", "原因"))
    assert plain[status] == "eligible", plain[reasons]
    if fullwidth[status] != plain[status]:
        assert fullwidth[status] == "invalid"
        assert typed in fullwidth[reasons], fullwidth[reasons]
    else:
        assert fullwidth[amount] == plain[amount]
