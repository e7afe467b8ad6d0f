"""A file is decided row by row: a batch gives each row what it would get alone.

Deciding the file a few rows at a time (``chunk``) changes nothing either.
The only thing a row's neighbours may change is the one-time / overlap rule
(docs/policies/README.md, "一次性"): a row that is ``duplicate`` in the batch must be
``eligible`` alone, with its own amount, and its batch reasons are its own reasons with
the duplicate notice in front. Claims are random: a small pool of people (so keys
collide), valid and broken ids, dates on and around the period and in-force boundaries,
every enumeration label and yes/no spelling, and some junk.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

AS_OF = dt.date(2025, 6, 30)

# People: 19900101 is an adult; 20080701 turns 16 on 2024-07-01; 20080229 on 2024-02-29.
PEOPLE = [
    "ID:19900101",
    "ID:19900101:002",
    "XID:19950505",
    "XIDUP:19950505",  # the same person as XID:19950505
    "ID:20080701",  # 16 on 2024-07-01
    "ID:20080229",  # 16 on 2024-02-29
]
BAD_PEOPLE = ["BADID:19900101", "RAWID:63280119900230001", "ID:20260101"]  # last: born after as-of
CREDIT_CODES = ["CC:1", "CC:2", "CC:3"]
YES = ["是", "yes", "1", "true", "Y", "TRUE"]
NO = ["否", "no", "0", "false"]
PROVINCES = ["青海", "青海省", "63"]
OTHER_PROVINCES = ["甘肃", "62", "江苏", "广东省"]
STARTS = [  # the first five are in force; 2022-02-06 is the day before the Qinghai draft
    dt.date(2024, 7, 1),
    dt.date(2022, 2, 7),
    dt.date(2022, 12, 31),
    dt.date(2023, 12, 31),
    dt.date(2024, 2, 29),
    dt.date(2022, 2, 6),
    dt.date(2023, 3, 15),
    dt.date(2024, 1, 31),
    dt.date(2024, 2, 28),
    dt.date(2024, 7, 15),
]


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day-of-month ``months`` later, or that month's last day (README period rule)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@st.composite
def period(draw, months, good, clean=False):
    """(start, end) text around the "N months" boundaries (``good`` are lengths that pass),
    sometimes reversed, unparseable, or written with slashes."""
    start = draw(st.sampled_from(STARTS[:5] if clean else STARTS))
    n = draw(st.sampled_from(good if clean else months))
    nudge = 0 if clean else draw(st.sampled_from([-2, -1, 0, 0, 0, 1]))
    end = add_months(start, n) - dt.timedelta(days=1) + dt.timedelta(days=nudge)
    if n == 0:
        end = start + dt.timedelta(days=nudge)  # one day, or reversed
    start_text, end_text = start.isoformat(), end.isoformat()
    if not clean and draw(st.integers(0, 39)) == 17:
        start_text = draw(st.sampled_from(["2024-02-30", "下个月", ""]))
    if draw(st.integers(0, 9)) == 5:
        end_text = end.strftime("%Y/%m/%d")
    return start_text, end_text


def one_of(values):
    return st.sampled_from(values)


@st.composite
def mostly(draw, good, bad=(), junk=(), clean=False):
    """Usually a value that passes (~85%), sometimes one that fails the rule (~10%), rarely
    bad data (~2.5%). Hypothesis favours the ends of a range, so the rare rolls sit in the middle."""
    kind = "good" if clean else draw(st.sampled_from(_KINDS))
    if kind == "junk" and junk:
        return draw(st.sampled_from(list(junk)))
    if kind == "bad" and bad:
        return draw(st.sampled_from(list(bad)))
    return draw(st.sampled_from(list(good)))


_KINDS = ["good"] * 18 + ["bad"] * 2 + ["junk"] + ["bad"] * 2 + ["good"] * 18


def yes_no(clean=False):
    return mostly(YES, NO, ["也许", ""], clean=clean)


def person(clean=False):
    """Few people, so one-time keys and overlaps collide; the last two are 16 in 2024."""
    return mostly(PEOPLE[:4], PEOPLE[4:], BAD_PEOPLE, clean=clean)


def credit_code(clean=False):
    return mostly(CREDIT_CODES, junk=["BADCC:1", ""], clean=clean)


@st.composite
def goji(draw, clean=False):
    start, end = draw(period((0, 1, 2, 3, 5, 6, 7), (2, 3, 4, 5), clean))
    return {
        "broker_name": "马经纪",
        "broker_id": draw(
            mostly(["ID:19800505:011", "ID:19750303:021"], junk=["BADID:19800505:011"], clean=clean)
        ),
        "worker_name": draw(mostly(["李四"], junk=[""], clean=clean)),
        "worker_id": draw(person(clean)),
        "worker_hukou": draw(mostly(PROVINCES, OTHER_PROVINCES, ["火星"], clean=clean)),
        "farmer_herder": draw(yes_no(clean)),
        "destination": draw(
            mostly(
                [
                    "海西",
                    "海西州",
                    "海西蒙古族藏族自治州",
                    "格尔木市",
                    "青海省海西州",
                    "德令哈",
                    "天峻县",
                ],
                ["西宁", "海东市"],
                clean=clean,
            )
        ),
        "start_date": start,
        "end_date": end,
        "worker_group": draw(
            mostly(
                ["脱贫劳动力", "监测对象", "就业困难人员", "其他"],
                ["poverty_alleviated", "monitored", "difficulty", "other"],
                ["学生"],
                clean=clean,
            )
        ),
    }


@st.composite
def hiring(draw, clean=False):
    group = draw(
        mostly(
            ["就业困难人员", "离校2年未就业高校毕业生", "退役军人", "脱贫劳动力", "监测帮扶对象"],
            [
                "其他",
                "other",
                "difficulty",
                "graduate",
                "veteran",
                "poverty_alleviated",
                "monitored",
            ],
            ["农民工"],
            clean=clean,
        )
    )
    hired = draw(one_of(STARTS))
    graduated = ""
    if group in ("离校2年未就业高校毕业生", "graduate") or draw(st.integers(0, 4)) == 2:
        back = draw(st.sampled_from([-1, 0, 1, 12, 23, 24, 24, 25]))
        day = add_months(hired, -back) if back >= 0 else hired + dt.timedelta(days=1)
        graduated = (day + dt.timedelta(days=draw(st.sampled_from([-1, 0, 0, 1])))).isoformat()
        if draw(st.integers(0, 19)) == 7:
            graduated = ""
    return {
        "employer_name": "青海高原劳务有限公司",
        "employer_credit_code": draw(credit_code(clean)),
        "employer_type": draw(
            mostly(
                ["劳务品牌企业", "就业帮扶车间", "brand_enterprise", "assistance_workshop"],
                ["其他", "other"],
                ["国企"],
                clean=clean,
            )
        ),
        "employee_name": "王五",
        "employee_id": draw(person(clean)),
        "employee_group": group,
        "hired_on": draw(mostly([hired.isoformat()], junk=["2024-13-01"], clean=clean)),
        "new_post": draw(yes_no(clean)),
        "contract_signed": draw(yes_no(clean)),
        "social_insurance_paid": draw(yes_no(clean)),
        "graduated_on": graduated,
    }


@st.composite
def transport(draw, clean=False):
    start, end = draw(period((0, 2, 3, 4, 12), (3, 4, 12), clean))
    return {
        "person_name": "才让",
        "person_id": draw(person(clean)),
        "hukou_province": draw(mostly(PROVINCES, OTHER_PROVINCES, ["火星"], clean=clean)),
        "person_group": draw(
            mostly(
                ["脱贫人口", "监测帮扶对象", "poverty_alleviated", "monitored"],
                ["其他", "other"],
                ["低保户"],
                clean=clean,
            )
        ),
        "work_province": draw(mostly(OTHER_PROVINCES, PROVINCES, ["海西"], clean=clean)),
        "employed_from": start,
        "employed_until": end,
        "fare": draw(
            mostly(
                ["800", "999.99", "1000", "1000.01", "1200", "1,000.00", "¥650.50"],
                junk=["八百", ""],
                clean=clean,
            )
        ),
    }


@st.composite
def startup(draw, clean=False):
    licensed, assessed = draw(period((0, 6, 11, 12, 13, 24), (12, 13, 24), clean))
    return {
        "founder_name": "韩梅",
        "founder_id": draw(person(clean)),
        "brand_entrepreneur": draw(yes_no(clean)),
        "business_name": "西宁青绣工坊",
        "credit_code": draw(credit_code(clean)),
        "business_form": draw(
            mostly(
                ["小微企业", "个体工商户", "small_micro_enterprise", "individual_business"],
                ["其他", "other"],
                ["上市公司"],
                clean=clean,
            )
        ),
        "registered_province": draw(mostly(PROVINCES, OTHER_PROVINCES, ["西宁"], clean=clean)),
        "licensed_on": licensed,
        "assessed_on": assessed,
        "operating_normally": draw(yes_no(clean)),
    }


def _names(reasons: str, claim_id: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(claim_id)}(?![\w-])", reasons) is not None


GENERATORS = {
    "qinghai.goji_broker": goji,
    "qinghai.hiring_bonus": hiring,
    "qinghai.transport": transport,
    "qinghai.startup_grant": startup,
}


@st.composite
def claim_files(draw, program):
    """A first claim (often clean), then claims that copy it with a few cells redrawn
    (so people, businesses and periods collide), or fresh ones."""
    make = GENERATORS[program]
    base = draw(make(clean=draw(st.booleans())))
    rows = [base]
    for _ in range(draw(st.integers(0, 3))):
        other = draw(make(clean=draw(st.booleans())))
        changed = draw(st.sets(st.sampled_from(sorted(other)), max_size=len(other)))
        rows.append({**base, **{key: other[key] for key in changed}})
    return [{"claim_id": f"R{i}", **row} for i, row in enumerate(rows, start=1)]


def batch_equals_rows(run_rows, program, rows):
    batch = run_rows(program, rows, AS_OF)
    assert len(batch) == len(rows)
    if len(rows) > 2:  # decided two rows at a time, the file settles the same way
        chunked = run_rows(program, rows, AS_OF, chunk=2)
        columns = ["claim_id", "status", "amount_fen", "amount", "reasons", "citation"]
        assert chunked[columns].to_dict("records") == batch[columns].to_dict("records")
    for status in sorted(set(batch["status"])):
        event(f"{program}: some row {status}")
    for index, row in enumerate(rows):
        alone = run_rows(program, [row], AS_OF).iloc[0]
        together = batch.iloc[index]
        assert together["claim_id"] == alone["claim_id"] == row["claim_id"]
        if together["status"] == "duplicate":
            assert alone["status"] == "eligible", (program, row, together["reasons"])
            assert int(together["amount_fen"]) == 0
            assert together["reasons"].endswith(alone["reasons"])
            # it names an earlier row, and that row is eligible (only eligible claims take keys)
            named = [
                i for i in range(index) if f"claim {rows[i]['claim_id']} " in together["reasons"]
            ]
            assert named, together["reasons"]
            assert batch.iloc[named[0]]["status"] == "eligible", together["reasons"]
            continue
        assert together["status"] == alone["status"], (
            program,
            row,
            together["reasons"],
            alone["reasons"],
        )
        assert together["amount_fen"] == alone["amount_fen"]
        assert together["amount"] == alone["amount"]
        assert together["reasons"] == alone["reasons"]
        assert together["citation"] == alone["citation"]


# One property, four programs; 13 examples each (52 in all) keeps the whole run to a few seconds.
SETTINGS = settings(
    max_examples=13,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(rows=claim_files("qinghai.goji_broker"))
def test_goji_broker(run_rows, rows):
    batch_equals_rows(run_rows, "qinghai.goji_broker", rows)


@SETTINGS
@given(rows=claim_files("qinghai.hiring_bonus"))
def test_hiring_bonus(run_rows, rows):
    batch_equals_rows(run_rows, "qinghai.hiring_bonus", rows)


@SETTINGS
@given(rows=claim_files("qinghai.transport"))
def test_transport(run_rows, rows):
    batch_equals_rows(run_rows, "qinghai.transport", rows)


@SETTINGS
@given(rows=claim_files("qinghai.startup_grant"))
def test_startup_grant(run_rows, rows):
    batch_equals_rows(run_rows, "qinghai.startup_grant", rows)


def test_add_months_follows_the_readme_examples():
    """The generator's own period arithmetic (README: S + N months, month-end clamp)."""
    assert add_months(dt.date(2024, 7, 15), 2) == dt.date(2024, 9, 15)
    assert add_months(dt.date(2022, 12, 31), 2) == dt.date(2023, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 8, 31), -6) == dt.date(2024, 2, 29)
