"""The printed plan as officers get it: PDF read back, page 1 as an image, XLSX numbers, CSV."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from pdf_checks import fonts_not_embedded
from PIL import Image
from pypdf import PdfReader
from report_helpers import SCENARIOS, pdf_pages

import reports.fonts
from reports import output
from reports.document import Column, Report, Table
from reports.fonts import ENV, SHIPPED, FontError, cjk_font
from reports.plan import make_plan
from reports.plan_report import plan_report
from reports.scenario import load
from subsidies.domain.money import format_yuan_grouped


@pytest.fixture(scope="module")
def guangxi():
    plan = make_plan(load(SCENARIOS / "guangxi-2025.yaml"))
    return plan, plan_report(plan, unit="广西壮族自治区人力资源和社会保障厅")


def test_plan_pdf_prints_the_plans_totals(guangxi, tmp_path: Path) -> None:
    plan, report = guangxi
    path = output.write(report, tmp_path / "plan.pdf")
    pages = pdf_pages(path)
    text = "\n".join(pages)
    assert format_yuan_grouped(plan.total) == "51,000,000.00"
    assert f"合计 {format_yuan_grouped(plan.total)}" in text
    for year, fen in plan.by_year().items():
        assert f"{year}年小计 {format_yuan_grouped(fen)}" in text
    for row in plan.by_fund():
        assert (
            f"{row.fund} {format_yuan_grouped(row.planned)} {format_yuan_grouped(row.appropriated)}"
            in text
        )
    assert "广西壮族自治区人力资源和社会保障厅" in pages[0] and "编制单位" in pages[0]
    assert "桂政办发〔2021〕141号四(一)2" in text.replace(
        " ", ""
    )  # the article in calculators/data
    for n, page in enumerate(pages, start=1):
        assert f"第 {n} 页 共 {len(pages)} 页" in page
    reader = PdfReader(path)
    assert {tuple(map(round, p.mediabox[2:])) for p in reader.pages} == {(842, 595)}  # A4 landscape
    fonts = {f["/BaseFont"] for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert fonts and all(name.endswith("+LXGWWenKai-Regular") for name in fonts)  # shipped, subset


def test_page_one_renders_to_png(guangxi, tmp_path: Path) -> None:
    """Page 1 as an image a person can look at (kept at $REPORTS_PNG_DIR when set)."""
    if shutil.which("pdftoppm") is None:
        missing = "pdftoppm is not installed (apt-get install poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(f"{missing}; .ci/run installs it, so CI must run this test")
        pytest.skip(missing)
    _, report = guangxi
    pdf = output.write(report, tmp_path / "plan.pdf")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(tmp_path / "page1"),
        ],
        check=True,
        timeout=60,
    )
    image = Image.open(tmp_path / "page1.png").convert("L")
    assert abs(image.size[0] - 936) <= 1 and abs(image.size[1] - 662) <= 1  # A4 landscape, 80 dpi
    dark = sum(image.histogram()[:128])
    assert 0.01 < dark / (image.size[0] * image.size[1]) < 0.5  # ink on the page, not a blank
    print(f"page 1 of the Guangxi plan: {tmp_path / 'page1.png'} (font {cjk_font().source})")


def test_xlsx_figures_are_numbers(guangxi, tmp_path: Path) -> None:
    plan, report = guangxi
    book = openpyxl.load_workbook(output.write(report, tmp_path / "plan.xlsx"))
    sheet = book["测算明细"]
    header = next(r for r in sheet.iter_rows() if r[0].value == "序号")
    amount = [c.value for c in header].index("金额")
    rows = list(sheet.iter_rows(min_row=header[0].row + 1))
    lines, total = rows[:-1], rows[-1]
    assert all(r[amount].data_type == "n" and r[amount].number_format == "#,##0.00" for r in rows)
    assert sum(Decimal(str(r[amount].value)) for r in lines) == Decimal(str(total[amount].value))
    assert Decimal(str(total[amount].value)) == Decimal(plan.total) / 100 == Decimal("51000000")
    count = [c.value for c in header].index("数量")
    assert all(isinstance(r[count].value, int) for r in lines)
    against = book["拨款对比"]
    assert any(
        c.value == -200000 and c.data_type == "n" for row in against.iter_rows() for c in row
    )


def test_csv_reads_back_exactly(guangxi, tmp_path: Path) -> None:
    plan, report = guangxi
    path = output.write(report, tmp_path / "plan.csv")
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    totals = [r for r in rows if r and r[0] == "合计"]
    assert "51000000.00" in totals[0]


@pytest.mark.parametrize("n", [300, 1_000], ids=["wrapped cells", "fixed rows"])
def test_a_long_table_repeats_its_header_on_every_page(tmp_path: Path, n: int) -> None:
    rows = [[str(i), f"申请{i:05d}", i * 100] for i in range(1, n + 1)]
    total = ["合计", None, sum(r[2] for r in rows)]
    table = Table(
        "明细", (Column("序号"), Column("申请编号"), Column("金额", "fen")), rows, (total,)
    )
    report = Report("测试明细表", "F1", "2024年", "某单位", [table])
    pages = pdf_pages(output.write(report, tmp_path / "long.pdf"))
    assert len(pages) >= n // 60
    assert all("序号 申请编号 金额" in page for page in pages)
    text = " ".join(pages)
    assert all(f"{i} 申请{i:05d} {format_yuan_grouped(i * 100)}" in text for i in (1, n // 2, n))
    assert f"合计 {format_yuan_grouped(total[2])}" in pages[-1]
    assert all(f"第 {k} 页 共 {len(pages)} 页" in page for k, page in enumerate(pages, start=1))


def test_unknown_output_format_is_refused(guangxi, tmp_path: Path) -> None:
    with pytest.raises(output.OutputError, match=r"write .pdf, .xlsx or .csv"):
        output.write(guangxi[1], tmp_path / "plan.docx")


def test_a_font_that_cannot_be_embedded_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    not_a_font = tmp_path / "font.ttf"
    not_a_font.write_bytes(b"not a font")
    monkeypatch.setenv(ENV, str(not_a_font))
    with pytest.raises(FontError, match="not a TrueType font"):
        cjk_font()
    monkeypatch.setenv(ENV, str(tmp_path / "nowhere.ttf"))
    with pytest.raises(FontError, match="no such font file"):
        cjk_font()


def test_another_truetype_font_is_embedded_in_its_place(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """$SUBSIDIES_PDF_FONT names a TrueType file (a copy of the shipped one here)."""
    copy = tmp_path / "OfficeKai.ttf"
    copy.write_bytes(
        (Path(reports.fonts.__file__).parent / "data" / "fonts" / SHIPPED).read_bytes()
    )
    monkeypatch.setenv(ENV, f"{copy}#0")
    assert cjk_font().source == str(copy)
    path = output.write(Report("名单", "F1", "2024年", "某单位", []), tmp_path / "other.pdf")
    fonts = {
        f["/BaseFont"] for p in PdfReader(path).pages for f in p["/Resources"]["/Font"].values()
    }
    assert {name.split("+")[1] for name in fonts} == {"LXGWWenKai-Regular"}
    assert not fonts_not_embedded(path)
