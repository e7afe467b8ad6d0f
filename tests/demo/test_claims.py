"""subsidies.demo.synthetic: claim files made from the programs, written as officers keep them, read back with
subsidies.claimfile and decided by the calculators, row by row as the generator meant."""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from calculators.duplicates import screening_columns
from calculators.evaluate import STATUSES, evaluate
from calculators.registry import calculator, program_ids
from subsidies.claimfile import read_claims
from subsidies.demo import synthetic
from subsidies.demo.synthetic import BANK_ACCOUNT, SERIAL, cases, generate, write_sheet
from subsidies.domain.identity import (
    CREDIT_ALPHABET,
    check_credit_codes,
    check_resident_ids,
    credit_code_check_character,
    resident_id_check_character,
)

YEAR = 2024
AS_OF = dt.date(YEAR, 12, 31)
N = 200
PROGRAMS = program_ids()
SOURCE = "batch 1"


def keyed(program_id: str) -> bool:
    calc = calculator(program_id)
    return bool(calc.one_time_keys) or calc.overlap is not None


def intended(frame: pd.DataFrame) -> np.ndarray:
    """The status each row was made to get ("ineligible: …" -> "ineligible")."""
    return np.array([i.split(":")[0] for i in frame.attrs["intent"]], dtype=object)


def decide(program_id: str, path: Path, prior: pd.DataFrame | None = None) -> pd.DataFrame:
    calc = calculator(program_id)
    cf = read_claims(path, calc.template)
    return evaluate(calc, cf.raw, as_of=AS_OF, numeric=cf.numeric, rows=cf.source_rows, prior=prior)


def prior_from(program_id: str, result: pd.DataFrame) -> pd.DataFrame:
    """Earlier eligible claims as the ledger keeps them: key columns, claim_id, source."""
    eligible = result[result["status"] == "eligible"]
    keys = [f"key_{c}" for c in screening_columns(calculator(program_id))]
    prior = eligible[keys].rename(columns=lambda c: c.removeprefix("key_"))
    prior["claim_id"] = eligible["claim_id"].to_numpy()
    prior["source"] = SOURCE
    return prior.reset_index(drop=True)


def write(frame: pd.DataFrame, path: Path, program_id: str) -> Path:
    name = calculator(program_id).program.name_zh
    return write_sheet(
        frame,
        path,
        program_id=program_id,
        title=f"{YEAR}年{name}申报表",
        unit="海东市乐都区人社局",
        filled_on=dt.date(YEAR, 10, 8),
    )


_made: dict[str, tuple] = {}


@pytest.fixture(scope="module")
def batches(tmp_path_factory):
    """Per program (made once): both frames, the first decided from XLSX and from CSV, the
    second from CSV with and without the first as ``prior``."""
    folder = tmp_path_factory.mktemp("claims")

    def made(program_id: str):
        if program_id not in _made:
            first = generate(program_id, N, seed=7, year=YEAR)
            second = generate(program_id, N, seed=8, year=YEAR, id_prefix="B2-", earlier=first)
            xlsx = write(first, folder / f"{program_id}-1.xlsx", program_id)
            csv = write(first, folder / f"{program_id}-1.csv", program_id)
            result = decide(program_id, xlsx)
            later = write(second, folder / f"{program_id}-2.csv", program_id)
            _made[program_id] = {
                "first": first,
                "second": second,
                "xlsx": xlsx,
                "csv": csv,
                "result": result,
                "result_csv": decide(program_id, csv),
                "second_result": decide(program_id, later, prior_from(program_id, result)),
                "second_alone": decide(program_id, later),
            }
        return _made[program_id]

    return made


def test_every_program_has_a_generator():
    assert len(PROGRAMS) == 13
    assert sorted(synthetic.PROGRAMS) == PROGRAMS


@pytest.mark.parametrize("program_id", PROGRAMS)
def test_headers_as_the_template_names_them(program_id, batches):
    frame = batches(program_id)["first"]
    calc = calculator(program_id)
    columns = list(frame.columns)
    assert columns[0] == SERIAL
    found = calc.template.match_header(columns)
    assert sorted(found.values()) == sorted(calc.template.names)
    for position, name in found.items():
        assert columns[position].startswith(calc.template.column(name).label)
    payout = program_id not in (
        "qinghai.guarantee_loan",
        "dalian.brand_assessment",
        "yingkou.brand_assessment",
        "shandong.brand_assessment",
    )
    assert (columns[-1] == BANK_ACCOUNT) is payout
    if payout:
        assert frame[BANK_ACCOUNT].str.fullmatch(r"[1-9][0-9]{15,18}").all()
    assert frame[SERIAL].tolist() == [str(k) for k in range(1, N + 1)]
    assert all(isinstance(v, str) for v in frame.to_numpy().ravel())
    assert len(frame.attrs["intent"]) == len(frame.attrs["duplicate_of"]) == N


@pytest.mark.parametrize("program_id", PROGRAMS)
def test_same_seed_same_claims(program_id, batches):
    made = batches(program_id)
    again = generate(program_id, N, seed=7, year=YEAR)
    pd.testing.assert_frame_equal(again, made["first"])
    assert again.attrs == made["first"].attrs
    second = generate(program_id, N, seed=8, year=YEAR, id_prefix="B2-", earlier=again)
    pd.testing.assert_frame_equal(second, made["second"])
    other = generate(program_id, N, seed=9, year=YEAR)
    assert not other.drop(columns=SERIAL).equals(made["first"].drop(columns=SERIAL))


@pytest.mark.parametrize("program_id", PROGRAMS)
def test_decided_as_meant_with_the_usual_mix(program_id, batches):
    made = batches(program_id)
    frame, result = made["first"], made["result"]
    assert len(result) == N  # title rows, header and 合计 read past
    assert result["claim_id"].tolist() == frame.iloc[:, 1].tolist()
    # every row gets the status it was made for, from XLSX and from CSV alike
    assert result["status"].tolist() == intended(frame).tolist()
    assert made["result_csv"]["status"].tolist() == result["status"].tolist()
    assert made["result_csv"]["amount"].tolist() == result["amount"].tolist()

    share = result["status"].value_counts(normalize=True).reindex(list(STATUSES), fill_value=0)
    assert share["eligible"] > 0.7
    assert 0.04 <= share["invalid"] <= 0.06
    if cases(program_id)["ineligible"]:
        assert 0.10 <= share["ineligible"] <= 0.14
    else:  # a loan has no condition to fail: its amount is capped, never refused
        assert share["ineligible"] == 0
    if keyed(program_id):
        assert 0.04 <= share["duplicate"] <= 0.06
    else:  # no one-time key: only a resubmitted 申请编号 can be a duplicate (second batch)
        assert share["duplicate"] == 0

    # each condition of the rule and each kind of bad data is shown
    made_cases = {i.split(": ", 1)[1] for i in frame.attrs["intent"] if ": " in i}
    wanted = cases(program_id)
    assert set(wanted["ineligible"]) <= made_cases
    assert set(wanted["invalid"]) <= made_cases
    assert result.loc[result["status"] != "eligible", "amount"].eq("0.00").all()


@pytest.mark.parametrize("program_id", PROGRAMS)
def test_duplicates_in_the_file_name_the_earlier_row(program_id, batches):
    made = batches(program_id)
    frame, result = made["first"], made["result"]
    rows = [i for i, d in enumerate(frame.attrs["duplicate_of"]) if d]
    assert bool(rows) is keyed(program_id)
    ids = result["claim_id"].tolist()
    for i in rows:
        first = frame.attrs["duplicate_of"][i]
        assert ids.index(first) < i  # the later row is the duplicate
        assert result.at[i, "status"] == "duplicate"
        assert f"行的申请 {first} " in result.at[i, "reasons"]
        assert result.at[ids.index(first), "status"] == "eligible"


@pytest.mark.parametrize("program_id", PROGRAMS)
def test_second_batch_repeats_keys_of_the_first(program_id, batches):
    made = batches(program_id)
    second, result = made["second"], made["second_result"]
    assert result["status"].tolist() == intended(second).tolist()
    first_ids = set(made["first"].iloc[:, 1])
    earlier = [i for i, t in enumerate(second.attrs["intent"]) if t.endswith("(earlier batch)")]
    assert round(0.04 * N) <= len(earlier) <= round(0.06 * N)
    for i in earlier:
        named = second.attrs["duplicate_of"][i]
        assert named in first_ids
        assert result.at[i, "status"] == "duplicate"
        assert named in result.at[i, "reasons"] and SOURCE in result.at[i, "reasons"]
    # without the first batch's claims the same rows pass: the screening is what finds them
    alone = made["second_alone"]["status"]
    assert (alone.iloc[earlier] == "eligible").all()
    # a fresh 申请编号 series: none reused by accident (only by a resubmission or a row
    # whose 申请编号 was entered twice)
    intent = second.attrs["intent"]
    fresh = [i for i in range(N) if i not in earlier and "entered twice" not in intent[i]]
    assert not first_ids & set(result["claim_id"].iloc[fresh])


@pytest.mark.parametrize("program_id", ["qinghai.transport", "qinghai.hiring_bonus"])
def test_xlsx_as_officers_keep_it(program_id, batches):
    made = batches(program_id)
    sheet = load_workbook(made["xlsx"]).worksheets[0]
    assert sheet["A1"].value.startswith(f"{YEAR}年") and sheet["A1"].value.endswith("申报表")
    assert "A1" in {str(r).split(":")[0] for r in sheet.merged_cells.ranges}
    assert sheet["A2"].value.startswith("填报单位：") and "填报日期：" in sheet["A2"].value
    header = [c.value for c in sheet[3]]
    assert header == list(made["first"].columns)
    totals = [c.value for c in sheet[sheet.max_row]]
    assert totals[0] == "合计" and totals[2] == f"共{N}条" and totals[1] is None
    for name in ("身份证号", "统一社会信用代码", BANK_ACCOUNT):
        if name in header:
            column = header.index(name) + 1
            cells = [sheet.cell(row=r, column=column) for r in range(4, 4 + N)]
            assert all(c.number_format == "@" for c in cells if isinstance(c.value, str))
    text = made["csv"].read_bytes()
    assert text.startswith("\ufeff".encode())
    lines = text.decode("utf-8-sig").splitlines()
    assert lines[0].startswith(f"{YEAR}年") and lines[1].startswith("填报单位：")
    assert lines[-1].startswith("合计,,")


def test_an_id_excel_turned_into_a_number_says_so(batches):
    made = batches("qinghai.goji_broker")
    frame, result = made["first"], made["result"]
    rows = [i for i, t in enumerate(frame.attrs["intent"]) if "6.30102E+17" in t]
    assert rows
    for i in rows:
        assert re.fullmatch(r"[0-9]\.[0-9]{5}E\+17", frame.at[i, "务工人员身份证号"])
        assert "请把该列设为文本格式" in result.at[i, "reasons"]


def test_people_dates_and_amounts_are_plausible(batches):
    made = batches("qinghai.transport")
    frame, result = made["first"], made["result"]
    eligible = (result["status"] == "eligible").to_numpy()
    ids = frame["身份证号"].str.upper()[eligible]
    assert ids.str[:2].eq("63").all()
    born = pd.to_datetime(ids.str[6:14], format="%Y%m%d")
    started = pd.to_datetime(result.loc[eligible, "decided_on"]).to_numpy()
    age = (started - born.to_numpy()) / np.timedelta64(1, "D") / 365.25
    assert age.min() >= 18 and age.max() < 60
    assert (started >= np.datetime64(f"{YEAR}-01-01")).all()
    fares = frame["交通费（元）"]
    assert fares.str.contains(",").any() and fares.str.startswith("¥").any()
    assert fares.str.fullmatch(r"[0-9]+").any()
    assert (result.loc[eligible, "amount"] == "1000.00").any()  # some fares over the cap
    dates = frame["就业开始日期"]
    assert dates.str.fullmatch(r"\d{4}-\d{2}-\d{2}").any() and dates.str.contains("/").any()


def test_codes_are_from_the_programs_places(batches):
    for program_id, prefixes in (
        ("dalian.brand_recognition", ("912102",)),
        ("guangxi.training_base", ("914501", "914502", "914503", "914505", "914508", "52450")),
        ("qinghai.specialised_sme", ("916301", "916321", "916325", "916328", "916322", "916323")),
    ):
        made = batches(program_id)
        eligible = made["result"]["status"] == "eligible"
        codes = made["first"]["统一社会信用代码"][eligible.to_numpy()]
        assert codes.str[:2].isin(["91", "52"]).all()
        assert codes.str[2:4].eq(prefixes[0][2:4]).all()


def test_a_year_before_the_document_is_refused():
    with pytest.raises(ValueError, match="took effect"):
        generate("yingkou.brand_assessment", 10, seed=1, year=2022)
    frame = generate("dalian.brand_recognition", 50, seed=1, year=2022)
    result = evaluate(
        calculator("dalian.brand_recognition"),
        _raw("dalian.brand_recognition", frame),
        as_of=dt.date(2022, 12, 31),
    )
    assert result["status"].tolist() == intended(frame).tolist()


def _raw(program_id: str, frame: pd.DataFrame) -> pd.DataFrame:
    found = calculator(program_id).template.match_header(list(frame.columns))
    return pd.DataFrame({name: frame.iloc[:, pos].to_numpy() for pos, name in found.items()})


def test_two_thousand_claims_in_well_under_a_second():
    for program_id in PROGRAMS:
        generate(program_id, 20, seed=1)  # imports and caches warm
        times = []
        for _ in range(2):
            start = time.perf_counter()
            frame = generate(program_id, 2000, seed=3)
            times.append(time.perf_counter() - start)
            if times[-1] < 1.0:
                break
        assert min(times) < 1.0, (program_id, times)
        assert len(frame) == 2000


def test_an_earlier_frame_without_attrs_is_screened_by_the_rule(batches):
    """A first batch read back from its file has no intents: its eligible rows are found by
    deciding it, and the second batch comes out the same."""
    made = batches("qinghai.goji_broker")
    bare = pd.DataFrame(made["first"].to_numpy(), columns=made["first"].columns)
    assert not bare.attrs
    second = generate("qinghai.goji_broker", N, seed=8, year=YEAR, id_prefix="B2-", earlier=bare)
    pd.testing.assert_frame_equal(second, made["second"])
    assert second.attrs == made["second"].attrs
    assert made["first"].copy().attrs["intent"] is made["first"].attrs["intent"]  # shared, cheap


@pytest.mark.parametrize("program_id", PROGRAMS)
def test_identity_numbers_with_a_right_check_character_are_plausible(program_id):
    """Every 身份证号 the generator writes with a right check character is a plausible one on
    the as-of date (a province code, born 1900..as-of), and every 统一社会信用代码 with a
    right check character passes, never taken for a 身份证号 (issue #18)."""
    frame = generate(program_id, 2_000, seed=11, year=YEAR)
    for column in calculator(program_id).template.columns:
        if column.kind not in ("resident_id", "credit_code", "party_id"):
            continue
        values = frame[column.label].astype(str).str.strip().str.upper()
        shaped = values[values.str.fullmatch(r"[0-9]{17}[0-9X]")]
        resident = shaped[[resident_id_check_character(v[:17]) == v[17] for v in shaped]]
        _, reasons, _ = check_resident_ids(resident, today=AS_OF)
        if column.kind == "credit_code":
            coded = values[values.str.fullmatch(f"[{CREDIT_ALPHABET}]{{18}}")]
            right = coded[[credit_code_check_character(v[:17]) == v[17] for v in coded]]
            _, credit_reasons = check_credit_codes(right, today=AS_OF)
            assert (credit_reasons == "").all(), right[credit_reasons != ""].tolist()
            assert resident.empty, resident.tolist()  # none even passes the 身份证号 check
        else:
            assert (reasons == "").all(), resident[reasons != ""].tolist()
