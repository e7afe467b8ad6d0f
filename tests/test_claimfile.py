"""subsidies.claimfile.read_claims: claim files as officers keep them (docs/spec/claim-templates.md)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from calculators.evaluate import evaluate
from calculators.registry import calculator, program_ids
from subsidies.claimfile import ClaimFileError, read_claims, read_grid

GOJI = calculator("qinghai.goji_broker")
TEMPLATE = GOJI.template
NAMES = TEMPLATE.names
LABELS = [c.label for c in TEMPLATE.columns]
AS_OF = dt.date(2024, 12, 31)

BROKER = "11010519491231002X"  # GB 11643-1999's own example
WORKERS = ["440524198001010013", "630102199001011235", "632802200002290040"]

ROW_1 = ["1001", "张三", BROKER, "李四", WORKERS[0], "青海", "是", "海西", "2024-07-01", "2024-08-31", "脱贫劳动力"]  # fmt: skip
ROW_2 = ["1002", "张三", BROKER, "王五", WORKERS[1], "63", "否", "格尔木市", "2024-07-15", "2024-09-13", "其他"]  # fmt: skip
ROW_3 = ["1003", "张三", BROKER, "赵六", WORKERS[2], "青海省", "yes", "德令哈", "2024/06/01", "2024/11/29", "other"]  # fmt: skip


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list], merge: str | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None and value != "":
                sheet.cell(row=number, column=column, value=value)
    if merge:
        sheet.merge_cells(merge)
    book.save(path)
    return path


def by_name(row: list[str]) -> dict[str, str]:
    return dict(zip(NAMES, row, strict=True))


# --- encodings and header spellings -------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings(tmp_path, encoding):
    path = write_csv(tmp_path / "claims.csv", [LABELS, ROW_1, ROW_2], encoding)
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")  # really exercises the GB18030 fallback
    claims = read_claims(path, TEMPLATE)
    assert list(claims.raw.columns) == NAMES
    assert claims.raw.to_numpy().tolist() == [ROW_1, ROW_2]
    assert claims.source_rows.tolist() == [2, 3]
    assert claims.header_row == 1
    assert claims.extra_columns == []
    assert claims.numeric is None


ENGLISH = NAMES
MIXED = ["Claim ID", "Broker Name", "BROKER_ID", "worker  name", "Worker ID", "Worker-Hukou",
         "Farmer Herder", " Destination ", "START date", "End Date", "worker_group"]  # fmt: skip
NOTED = ["申请编号*", "经纪人姓名（必填）", "经纪人身份证号(18位)", "务工人员姓名", "务工人员身份证号【文本格式】",
         "户籍所在省", "农牧民（是/否）", "务工地", "开始日期（必填）", "结束日期 (YYYY-MM-DD)", "人员类别"]  # fmt: skip
ALIASES = ["编号", "经纪人", "经纪人身份证号", "姓名", "身份证号", "户籍",
           "是否农牧民", "采摘地", "采摘开始日期", "采摘结束日期", "人员类别"]  # fmt: skip


@pytest.mark.parametrize(
    "headers", [LABELS, ENGLISH, MIXED, NOTED, ALIASES], ids=["zh", "en", "mixed", "noted", "alias"]
)
@pytest.mark.parametrize("order", ["as-is", "reversed", "shuffled"])
def test_headers_in_any_spelling_and_order(tmp_path, headers, order):
    positions = list(range(len(NAMES)))
    if order == "reversed":
        positions.reverse()
    elif order == "shuffled":
        random.Random(11643).shuffle(positions)
    rows = [[row[p] for p in positions] for row in (headers, ROW_1, ROW_3)]
    claims = read_claims(write_csv(tmp_path / "claims.csv", rows), TEMPLATE)
    assert sorted(claims.raw.columns) == sorted(NAMES)
    assert claims.raw[NAMES].to_numpy().tolist() == [ROW_1, ROW_3]
    assert claims.extra_columns == []


def test_extra_columns_are_kept(tmp_path):
    rows = [
        ["序号", *LABELS[:5], "备注", *LABELS[5:], "Remarks"],
        ["1", *ROW_1[:5], "第一批", *ROW_1[5:], "x"],
        ["2", *ROW_2[:5], "", *ROW_2[5:], "y"],
    ]
    claims = read_claims(write_csv(tmp_path / "claims.csv", rows), TEMPLATE)
    assert claims.extra_columns == ["序号", "备注", "Remarks"]
    assert claims.raw["序号"].tolist() == ["1", "2"]
    assert claims.raw["备注"].tolist() == ["第一批", ""]
    assert claims.raw["Remarks"].tolist() == ["x", "y"]
    assert claims.raw[NAMES].to_numpy().tolist() == [ROW_1, ROW_2]


# --- files that cannot be used --------------------------------------------------------------


@pytest.mark.parametrize(
    "dropped",
    [
        ["broker_id"],
        ["claim_id"],
        ["start_date", "end_date", "worker_group"],
        ["broker_name", "worker_hukou", "farmer_herder", "destination"],
        NAMES[1:],
    ],
    ids=lambda d: "+".join(d) if len(d) < 5 else "all-but-claim_id",
)
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_missing_required_columns_are_all_listed(tmp_path, dropped, suffix):
    keep = [i for i, name in enumerate(NAMES) if name not in dropped]
    rows = [["备注"] + [LABELS[i] for i in keep], ["x"] + [ROW_1[i] for i in keep]]
    path = tmp_path / f"申报表{suffix}"
    (write_csv if suffix == ".csv" else write_xlsx)(path, rows)
    with pytest.raises(ClaimFileError) as caught:
        read_claims(path, TEMPLATE)
    message = str(caught.value)
    assert str(path) in message
    assert f"（{len(dropped)} 列）" in message
    for name in dropped:
        assert name in message
        assert TEMPLATE.column(name).label in message
    for name in set(NAMES) - set(dropped) - {"claim_id"}:
        assert f"{name} " not in message.split("缺少必填列")[1]


@pytest.mark.parametrize("suffix", [".ods", ".xls", ".json", ".pdf"])
def test_unsupported_file_type(tmp_path, suffix):
    path = tmp_path / f"claims{suffix}"
    path.write_bytes(b"claim_id\n1\n")
    with pytest.raises(ClaimFileError, match="不支持的文件类型") as caught:
        read_claims(path, TEMPLATE)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.csv", b""),
        ("bom-only.csv", "\ufeff".encode()),
        ("blank-lines.csv", b"\r\n\r\n\r\n"),
        ("garbage.csv", bytes(range(128, 256)) * 4),
        ("damaged.xlsx", b"PK\x03\x04 not really a workbook"),
        ("text.xlsx", b"claim_id,broker_name\n1,a\n"),
    ],
)
def test_unusable_files(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ClaimFileError) as caught:
        read_claims(path, TEMPLATE)
    assert str(path) in str(caught.value)


def test_empty_workbook(tmp_path):
    path = tmp_path / "empty.xlsx"
    Workbook().save(path)
    with pytest.raises(ClaimFileError, match="是空的") as caught:
        read_claims(path, TEMPLATE)
    assert str(path) in str(caught.value)


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.csv"
    with pytest.raises(ClaimFileError, match="找不到文件") as caught:
        read_claims(path, TEMPLATE)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    "rows",
    [[LABELS], [["2024年申报表"], LABELS], [LABELS, [""] * len(LABELS), []]],
    ids=["header-only", "title-and-header", "header-and-blank-rows"],
)
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_header_without_claims(tmp_path, rows, suffix):
    """A blank template (as `subsidies template` writes it) is a clean ClaimFileError."""
    path = tmp_path / f"blank{suffix}"
    (write_csv if suffix == ".csv" else write_xlsx)(path, rows)
    with pytest.raises(ClaimFileError, match="没有申报数据") as caught:
        read_claims(path, TEMPLATE)
    assert str(path) in str(caught.value)


# --- sheets as officers keep them -------------------------------------------------------------


def officer_sheet() -> list[list]:
    """A title merged over the header, a 填报单位 line, 序号, typed cells, a gap and a total."""
    header = ["序号", "申请编号", "经纪人姓名", "经纪人身份证号", "务工人员姓名", "务工人员身份证号（文本）",
              "户籍所在省", "农牧民", "务工地", "开始日期（必填）", "结束日期（必填）", "人员类别", "补贴金额（元）"]  # fmt: skip

    def claim(seq, claim_id, worker, worker_id, hukou, farmer, place, start, end, group, amount):
        return [seq, claim_id, "张三", BROKER, worker, worker_id, hukou, farmer, place, start, end,
                group, amount]  # fmt: skip

    jul_1, aug_31, jul_15, sep_14 = (
        dt.date(2024, 7, 1), dt.datetime(2024, 8, 31), dt.datetime(2024, 7, 15), dt.date(2024, 9, 14)
    )  # fmt: skip
    text_dates = ("2024-06-01", "2024/11/29")
    return [
        ["2024年青海省劳务经纪人枸杞采摘补贴申报表"],  # row 1, merged A1:M1
        ["填报单位：海西州人力资源和社会保障局", *[None] * 8, "填报日期：2024年12月1日"],  # row 2
        header,  # row 3
        # row 4: claim_id typed as the number 1001, dates typed as Excel dates
        claim(1, 1001, "李四", WORKERS[0], "青海", "是", "海西", jul_1, aug_31, "脱贫劳动力", 100),
        [],  # row 5: blank
        # row 6: the 身份证号 typed as a number (Excel shows 6.30102E+17); 1002.0, 63, TRUE
        claim(
            2, 1002.0, "王五", 630102199001011235, 63, True, "格尔木", jul_15, sep_14, "其他", 50
        ),
        # row 7: dates typed as text
        claim(3, "1003", "赵六", WORKERS[2], "青海省", "yes", "德令哈", *text_dates, "其他", 50),
        [],  # row 8
        [],  # row 9
        # row 10: the same kind of id as the float Excel really stores
        claim(
            4, 1004, "孙七", 6.30102199001011e17, "青海", "是", "海西", jul_1, aug_31, "其他", 50
        ),
        ["合计", *[None] * 11, 250],  # row 11
    ]


@pytest.fixture
def officer_xlsx(tmp_path) -> Path:
    return write_xlsx(tmp_path / "2024年申报表.xlsx", officer_sheet(), merge="A1:M1")


def test_officer_xlsx_layout(officer_xlsx):
    claims = read_claims(officer_xlsx, TEMPLATE)
    assert claims.header_row == 3
    assert claims.source_rows.tolist() == [4, 6, 7, 10]
    assert claims.raw["claim_id"].tolist() == ["1001", "1002", "1003", "1004"]
    assert claims.raw["序号"].tolist() == ["1", "2", "3", "4"]  # kept, and the 合计 row is gone
    assert claims.extra_columns == ["序号", "补贴金额（元）"]
    assert claims.raw["start_date"].tolist()[:2] == ["2024-07-01", "2024-07-15"]
    assert claims.raw["end_date"].tolist()[:2] == ["2024-08-31", "2024-09-14"]
    assert claims.raw["worker_id"].iloc[0] == WORKERS[0]
    assert claims.raw["worker_hukou"].iloc[1] == "63"
    assert claims.numeric["worker_id"].tolist() == [False, True, False, True]
    assert not claims.numeric["claim_id"].iloc[2]


def test_officer_xlsx_decisions(officer_xlsx):
    claims = read_claims(officer_xlsx, TEMPLATE)
    result = evaluate(
        GOJI, claims.raw, as_of=AS_OF, numeric=claims.numeric, rows=claims.source_rows
    )
    assert result["claim_id"].tolist() == ["1001", "1002", "1003", "1004"]
    assert result["status"].tolist() == ["eligible", "invalid", "eligible", "invalid"]
    assert result["amount"].tolist() == ["100.00", "0.00", "50.00", "0.00"]
    for reasons in result["reasons"].iloc[[1, 3]]:
        assert "务工人员身份证号" in reasons
        assert "设为文本格式" in reasons


def test_csv_with_excel_scientific_id_is_invalid_with_hint(tmp_path):
    row = list(ROW_1)
    row[NAMES.index("worker_id")] = "6.30102E+17"
    claims = read_claims(write_csv(tmp_path / "claims.csv", [LABELS, row, ROW_3]), TEMPLATE)
    result = evaluate(GOJI, claims.raw, as_of=AS_OF, rows=claims.source_rows)
    assert result["status"].tolist() == ["invalid", "eligible"]
    assert "设为文本格式" in result["reasons"].iloc[0]


def test_officer_csv_layout(tmp_path):
    """Title rows, 序号, blank rows and a totals row in a GB18030 CSV as Excel saves it."""
    rows = [
        ["2024年枸杞采摘补贴申报表", *[""] * 11],
        ["填报单位：德令哈市就业服务局", *[""] * 11],
        ["序号", *LABELS],
        ["1", *ROW_1],
        [""] * 12,
        ["2", *ROW_2],
        ["3", *ROW_3],
        [""] * 12,
        ["合计", *[""] * 10, "3人"],
    ]
    claims = read_claims(write_csv(tmp_path / "claims.csv", rows, "gb18030"), TEMPLATE)
    assert claims.header_row == 3
    assert claims.source_rows.tolist() == [4, 6, 7]
    assert claims.raw[NAMES].to_numpy().tolist() == [ROW_1, ROW_2, ROW_3]


@pytest.mark.parametrize(
    "totals",
    [
        ["合计", *[""] * 10, "150"],  # 合计 where the claim_id would be
        ["", "总计", *[""] * 9, "150"],
        ["", "", "", "合 计", *[""] * 7, ""],
        ["", *[""] * 9, "总 计"],
    ],
    ids=["合计-in-claim_id-column", "总计", "合 计", "总 计-last-cell"],
)
def test_totals_row_is_not_a_claim(tmp_path, totals):
    rows = [LABELS, ROW_1, ROW_2, totals]
    claims = read_claims(write_csv(tmp_path / "claims.csv", rows), TEMPLATE)
    assert claims.raw["claim_id"].tolist() == ["1001", "1002"]
    assert claims.source_rows.tolist() == [2, 3]


def test_row_without_claim_id_is_still_read(tmp_path):
    """Only a totals row is skipped: a claim missing its claim_id is reported, not dropped."""
    row = list(ROW_2)
    row[0] = ""
    claims = read_claims(write_csv(tmp_path / "claims.csv", [LABELS, ROW_1, row]), TEMPLATE)
    assert claims.source_rows.tolist() == [2, 3]
    result = evaluate(GOJI, claims.raw, as_of=AS_OF, rows=claims.source_rows)
    assert result["status"].tolist() == ["eligible", "invalid"]
    assert "申请编号：缺少" in result["reasons"].iloc[1]


def test_header_found_below_ten_rows_is_refused(tmp_path):
    rows = [[f"说明第{i}行"] for i in range(10)] + [LABELS, ROW_1]
    path = write_csv(tmp_path / "claims.csv", rows)
    with pytest.raises(ClaimFileError, match="缺少必填列"):
        read_claims(path, TEMPLATE)
    claims = read_claims(write_csv(tmp_path / "ok.csv", rows[1:]), TEMPLATE)
    assert claims.header_row == 10
    assert claims.source_rows.tolist() == [11]


# --- every program's template --------------------------------------------------------------


def _loadable(program_id: str):
    try:
        return calculator(program_id)
    except ImportError as error:  # another engineer's calculator, not there yet
        pytest.skip(f"{program_id} not importable: {error}")


@pytest.mark.parametrize("program_id", program_ids())
@pytest.mark.parametrize("headers", ["label", "name"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_every_template_reads_back_in_reverse_order(tmp_path, program_id, headers, suffix):
    template = _loadable(program_id).template
    columns = list(reversed(template.columns))
    values = [f"v{i}" for i in range(len(columns))]
    rows = [["2024年申报表"], ["序号", *(getattr(c, headers) for c in columns)], ["1", *values]]
    path = tmp_path / f"{program_id}{suffix}"
    (write_csv if suffix == ".csv" else write_xlsx)(path, rows)
    claims = read_claims(path, template)
    assert claims.header_row == 2
    assert claims.source_rows.tolist() == [3]
    for column, value in zip(columns, values, strict=True):
        assert claims.raw[column.name].tolist() == [value]
    assert claims.extra_columns == ["序号"]


def test_row_whose_note_mentions_totals_is_not_dropped(tmp_path):
    """A claim without a claim_id whose remark mentions 合计 is a claim to report, not a totals row."""
    row = [*ROW_2, "合计发放两个月"]
    row[0] = ""
    rows = [[*LABELS, "备注"], [*ROW_1, ""], row]
    claims = read_claims(write_csv(tmp_path / "claims.csv", rows), TEMPLATE)
    assert claims.source_rows.tolist() == [2, 3]


# --- Excel percentages --------------------------------------------------------------------


def test_excel_percentage_cells_read_as_shown(tmp_path):
    """A rate typed as 85% in Excel is stored as 0.85 with a % format; it is read as 85%."""
    dalian = calculator("dalian.brand_assessment")
    labels = [c.label for c in dalian.template.columns]
    values = {
        "claim_id": "DA-1", "unit_name": "大连海员劳务有限公司", "credit_code": "91210200MA0Q123456",
        "level": "市级", "registered_in_dalian": "是", "independent_legal_person": "是",
        "brand_identity": "是", "lawful_conduct": "是", "trained_per_year": 600,
        "training_pass_rate": 0.855, "placed_per_year": 1200, "placed_trained_share": 1,
        "contract_rate": 0.9, "filing_rate": 0.95,
    }  # fmt: skip
    path = write_xlsx(
        tmp_path / "rates.xlsx", [labels, [values[c.name] for c in dalian.template.columns]]
    )
    from openpyxl import load_workbook

    book = load_workbook(path)
    for name in ("training_pass_rate", "placed_trained_share", "contract_rate", "filing_rate"):
        column = dalian.template.names.index(name) + 1
        book.active.cell(row=2, column=column).number_format = "0.0%"
    book.save(path)
    claims = read_claims(path, dalian.template)
    row = claims.raw.iloc[0]
    assert (row["training_pass_rate"], row["placed_trained_share"]) == ("85.5%", "100%")
    assert (row["contract_rate"], row["filing_rate"]) == ("90%", "95%")


# --- XLSX read by calamine, cell for cell as the openpyxl reader read it (issue #17) --------


def openpyxl_grid(path: Path) -> tuple[list[list[str]], list[list[bool]]]:
    """The reader before calamine (openpyxl, read-only), kept here as the reference, but for
    whole numbers of 1e15 and more (see below: no id or amount is one)."""
    from decimal import Decimal

    from openpyxl import load_workbook

    def cell_text(value, number_format):
        if value is None:
            return "", False
        if isinstance(value, bool):
            return ("yes" if value else "no"), False
        if isinstance(value, dt.datetime):
            return (
                value.date().isoformat() if value.time() == dt.time() else value.isoformat()
            ), False
        if isinstance(value, dt.date):
            return value.isoformat(), False
        if isinstance(value, int | float) and number_format and "%" in number_format:
            return f"{(Decimal(repr(value)) * 100).normalize():f}%", True
        # calamine reads every number as a float: a whole number is written whole up to 2**53
        # (the openpyxl reader: below 1e15 if written as a float), one past 2**53 as a float
        if isinstance(value, int) and abs(value) <= 2**53:
            return str(value), True
        if isinstance(value, int | float):
            if float(value).is_integer() and abs(value) <= 2**53:
                return str(int(value)), True
            return repr(float(value)), True
        return str(value), False

    book = load_workbook(path, read_only=True, data_only=True)
    rows = [
        [cell_text(c.value, getattr(c, "number_format", None)) for c in r]
        for r in book.worksheets[0].iter_rows()
    ]
    book.close()
    width = max(map(len, rows))
    rows = [r + [("", False)] * (width - len(r)) for r in rows]
    return [[t for t, _ in r] for r in rows], [[n for _, n in r] for r in rows]


FORMATS = ["General", "0", "0.00", "0%", "0.0%", "0.00%", "@", "yyyy-mm-dd", 'yyyy"年"m"月"d"日"',
           "m/d/yy h:mm", "h:mm:ss", "#,##0.00", "[$-F800]dddd, mmmm dd, yyyy"]  # fmt: skip
CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**18), 10**18),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e20, max_value=1e20),
    st.sampled_from(
        [-0.0, 0.855, 1.0, 0.1 + 0.2, 1002.0, 6.30102199001011e17, 123456789012345, 5e-324]
    ),
    st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)).map(
        lambda d: d.replace(microsecond=0)
    ),
    st.text("0123456789", min_size=1, max_size=20),  # leading zeros, typed as text
    st.text(min_size=1, max_size=10).filter(lambda t: not t.startswith("=") and t.isprintable()),
)


DATE_FORMATS = {
    "yyyy-mm-dd",
    'yyyy"年"m"月"d"日"',
    "m/d/yy h:mm",
    "h:mm:ss",
    "[$-F800]dddd, mmmm dd, yyyy",
}


def _a_date_if_dated(cell: tuple) -> bool:
    """A number shown as a date is one from 1900-03-01 to 9999-12-31 (serials 61 to 2958465),
    as a date cell holds: beyond, the readers differ (openpyxl: #VALUE!, calamine: 00:00:00
    or refused)."""
    value, number_format = cell
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return not (number and number_format in DATE_FORMATS) or 61 <= value <= 2958465


CELL_AND_FORMAT = st.tuples(CELLS, st.sampled_from(FORMATS)).filter(_a_date_if_dated)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(CELL_AND_FORMAT, min_size=1, max_size=6), min_size=1, max_size=8))
def test_xlsx_cells_read_as_the_openpyxl_reader_read_them(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("xlsx") / "cells.xlsx"
    book = Workbook()
    sheet = book.active
    for r, cells in enumerate(rows, start=1):
        for c, (value, number_format) in enumerate(cells, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.number_format = number_format
    sheet.cell(row=len(rows) + 1, column=1, value="end")  # no sheet is all empty
    book.save(path)
    texts, numbers = openpyxl_grid(path)
    cells, numeric = read_grid(path)
    width = max(len(texts[0]), cells.shape[1])
    # every reader strips a cell (calamine reads one of white space alone as "")
    got = [[c.strip() for c in r] + [""] * (width - len(r)) for r in cells.to_numpy().tolist()]
    assert got == [[c.strip() for c in r] + [""] * (width - len(r)) for r in texts]
    flags = [list(r) + [False] * (width - len(r)) for r in numeric.to_numpy().tolist()]
    assert flags == [r + [False] * (width - len(r)) for r in numbers]


def test_error_cells_read_as_excel_shows_them(tmp_path):
    path = tmp_path / "errors.xlsx"
    book = Workbook()
    book.active.append(["#N/A", "#DIV/0!", "ok", 1])
    book.active["A1"].data_type = "e"
    book.active["B1"].data_type = "e"
    book.save(path)
    cells, numeric = read_grid(path)
    assert cells.iloc[0].tolist() == ["#N/A", "#DIV/0!", "ok", "1"]
    assert numeric.iloc[0].tolist() == [False, False, False, True]


def test_a_date_cell_far_out_of_range_is_refused(tmp_path):
    path = tmp_path / "dates.xlsx"
    book = Workbook()
    book.active.append(LABELS)
    book.active.append(ROW_1)
    book.active["I2"] = -1e16  # calamine panics on it
    book.active["I2"].number_format = "yyyy-mm-dd"
    book.save(path)
    with pytest.raises(ClaimFileError, match="设为日期格式的单元格") as caught:
        read_claims(path, TEMPLATE)
    assert str(path) in str(caught.value)
