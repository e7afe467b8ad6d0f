"""The steps the console took over from the CLI (issue #16), each through HTTP as the
officer whose role takes it: the brand registry, 追回 and its repayments, settling a payment
by hand, writing and reprinting bank files, period close, officers' roles and the office's
settings. Each calls the workflow function the command calls: its result is read back from
the ledger, and its refusal is shown in its own words and changes nothing. On SQLite and
PostgreSQL. Approval and disbursement tell the one progress mechanism how far they are."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from console_helpers import AS_OF, FUND, app_for, build, by, csrf_of, signed_in, snapshot
from workflow_helpers import TRANSPORT

from ledgers import Ledger
from subsidies.workflow import batches as wf
from subsidies.workflow import brands_store, officers, payfiles
from subsidies.workflow import payments as pay


@pytest.fixture
def world(db_url, tmp_path):
    return build(db_url, tmp_path)


def _post(client, path: str, form: dict, page: str = "/"):
    return client.post(path, data=form | {"csrf": csrf_of(client.get(page).text)})


def _refused_changes_nothing(world, client, path: str, form: dict, words: str) -> None:
    before = snapshot(world.url)
    response = _post(client, path, form)
    assert response.status_code in (400, 409), (path, response.status_code)
    assert words in response.text, _error(response.text)
    assert "账簿未作任何改动" in response.text
    assert "subsidies " not in _error(response.text), "a CLI command shown in the console"
    assert snapshot(world.url) == before, f"refused {path} changed the ledger"


def _error(html: str) -> str:
    shown = re.search(r'class="error"[^>]*>([^<]*)<', html)
    return shown.group(1) if shown else html[:800]


def _flash(client, response) -> str:
    assert response.status_code == 303, _error(response.text)
    page = client.get(response.headers["location"]).text
    return re.search(r'class="flash"[^>]*>([^<]*)<', page).group(1)


def test_a_clerk_keeps_the_brand_registry(world) -> None:
    app = app_for(world)
    with signed_in(app, "clerk") as clerk:
        page = clerk.get(f"/brands/{world.brand_id}").text
        assert "青海拉面" in page and "登记事件" in page
        done = _post(
            clerk,
            f"/brands/{world.brand_id}/events",
            {"kind": "annual_report", "on": "2023-10-20", "for_year": "2023", "note": "按时报送"},
        )
        assert "已登记：年度报告" in _flash(clerk, done)
        added = _post(
            clerk,
            "/brands/add",
            {"unit_name": "青海某劳务公司", "credit_code": world_code(world),
             "brand_name": "青海枸杞采摘", "level": "city", "recognised_on": "2024-03-01"},
        )  # fmt: skip
        assert "已登记品牌" in _flash(clerk, added)
        renamed = _post(
            clerk,
            "/brands/rename",
            {"credit_code": world_code(world), "new_name": "青海新劳务公司",
             "reason": "2024年4月工商变更登记", "on": "2024-04-02"},
        )  # fmt: skip
        assert "已更名为 青海新劳务公司" in _flash(clerk, renamed)
        _refused_changes_nothing(
            world, clerk, f"/brands/{world.brand_id}/events",
            {"kind": "review", "on": "2023-10-21"}, "review",
        )  # fmt: skip
        _refused_changes_nothing(
            world, clerk, "/brands/add",
            {"unit_name": "某单位", "credit_code": "123", "brand_name": "某品牌", "level": "city",
             "recognised_on": "2024-01-01"}, "统一社会信用代码",
        )  # fmt: skip
    with Ledger.connect(world.url) as led:
        reg = brands_store.find(led, str(world.brand_id))
        assert [(str(e.kind), e.for_year) for e in reg.events] == [("annual_report", 2023)]
        assert reg.brand.unit_name == "青海新劳务公司"
        assert len(brands_store.registered(led)) == 2


def world_code(world) -> str:
    with Ledger.connect(world.url) as led:
        return brands_store.find(led, str(world.brand_id)).brand.credit_code


def test_a_checker_cannot_recover_for_a_brand_not_removed_for_fraud(world) -> None:
    app = app_for(world)
    with signed_in(app, "checker") as checker:
        _refused_changes_nothing(
            world, checker, f"/brands/{world.brand_id}/recover", {}, "不是因弄虚作假被移出目录"
        )


def test_a_checker_raises_a_recovery_and_the_cashier_records_its_repayment(world) -> None:
    app = app_for(world)
    with Ledger.connect(world.url) as led:
        settled = next(p for p in pay.batch_payments(led, world.paid) if p.state == "settled")
    with signed_in(app, "checker") as checker, signed_in(app, "cashier") as cashier:
        assert "发起追回" in checker.get("/recoveries").text
        assert "登记收款" not in checker.get("/recoveries").text
        raised = _post(
            checker, "/recoveries/raise", {"claim": settled.claim_id, "reason": "重复领取"}
        )
        assert f"发起追回 ¥{settled.amount_fen // 100:,}.00" in _flash(checker, raised)
        _refused_changes_nothing(
            world, checker, "/recoveries/raise", {"claim": settled.claim_id, "reason": "再次"},
            f"申请 {settled.claim_id} 已追回",
        )  # fmt: skip
        repaid = _post(cashier, "/recoveries/repay", {"claim": settled.claim_id, "amount": "100"})
        owed = settled.amount_fen - 100_00
        assert f"尚欠 ¥{owed // 100:,}.{owed % 100:02d}" in _flash(cashier, repaid)
        _refused_changes_nothing(
            world, cashier, "/recoveries/repay", {"claim": "NO-SUCH", "amount": "1"},
            "申请 NO-SUCH 没有支付记录",
        )  # fmt: skip
    with Ledger.connect(world.url) as led:
        (recovery,) = pay.recoveries_raised(led)
    assert (recovery.claim_id, recovery.raised_fen, recovery.repaid_fen) == (
        settled.claim_id,
        settled.amount_fen,
        100_00,
    )


def test_the_cashier_settles_by_hand_writes_and_reprints_bank_files(world) -> None:
    app = app_for(world)
    with signed_in(app, "cashier") as cashier:
        page = cashier.get(f"/payouts/{world.paid}").text
        assert "确认到账" in page and "重印副本" in page and "写出银行文件" in page
        settled = _post(cashier, f"/payments/{world.pending}/settle", {"detail": "流水 S9"})
        assert f"已确认 {world.pending} 到账" in _flash(cashier, settled)
        _refused_changes_nothing(world, cashier, f"/payments/{world.returned}/settle", {}, "已退票")
        copy = _post(cashier, f"/payouts/{world.paid}/reprint", {"file_id": str(world.file_id)})
        assert f"已重印第 {world.file_id} 号文件的副本" in _flash(cashier, copy)
        _refused_changes_nothing(
            world, cashier, f"/payouts/{world.paid}/file", {}, "已支付：其付款见"
        )
    with Ledger.connect(world.url) as led:
        assert pay.find_payment(led, world.pending).state == "settled"
        kinds = [(f.kind, f.copy_of) for f in payfiles.files(led, world.paid)]
    assert kinds == [("original", None), ("copy", world.file_id)]


def test_the_administrator_closes_a_period_and_reverses_an_entry(world) -> None:
    app = app_for(world)
    with signed_in(app, "admin") as admin:
        assert "结账" in admin.get("/").text
        closed = _post(admin, "/ledger/close", {"period": "2024-05"})
        assert "已结账至 2024-05" in _flash(admin, closed)
        _refused_changes_nothing(
            world, admin, "/ledger/reverse", {"entry": "99999", "reason": "录入错误"}, "99999"
        )
        _refused_changes_nothing(  # the appropriation's money is committed already
            world, admin, "/ledger/reverse", {"entry": "1", "reason": "文号有误"}, "超支，已拒绝"
        )
        with Ledger.connect(world.url) as led:
            available = led.available(FUND)
        more = _post(
            admin,
            f"/admin/funds/{FUND}/appropriate",
            {"amount": "500", "doc": "青财社〔2024〕99号"},
        )
        entry = re.search(r"凭证 #(\d+)", _flash(admin, more)).group(1)
        reversed_ = _post(admin, "/ledger/reverse", {"entry": entry, "reason": "文号有误"})
        assert f"冲销凭证 #{entry}" in _flash(admin, reversed_)
    with Ledger.connect(world.url) as led:
        assert led.closed_through() == "2024-05"
        assert led.available(FUND) == available
    with signed_in(app, "clerk") as clerk:
        assert 'href="/ledger"' not in clerk.get("/").text  # 结账 is the administrator's


def test_the_administrator_grants_revokes_disables_and_resets(world) -> None:
    app = app_for(world)
    clerk = by("clerk")
    with signed_in(app, "admin") as admin:
        page = f"/admin/officers/{clerk}"
        assert "授予" in admin.get(page).text
        granted = _post(admin, f"{page}/grant", {"role": "auditor"})
        assert "现有角色：经办、审计" in _flash(admin, granted)
        revoked = _post(admin, f"{page}/revoke", {"role": "auditor"})
        assert "现有角色：经办" in _flash(admin, revoked)
        _refused_changes_nothing(
            world, admin, f"/admin/officers/{by('admin')}/revoke", {"role": "admin"}, "唯一的管理员"
        )
        _refused_changes_nothing(world, admin, f"{page}/password", {"password": "short"}, "密码")
        reset = _post(admin, f"{page}/password", {"password": "Reset-by-admin-2024!"})
        assert "密码已重设" in _flash(admin, reset)
        disabled = _post(admin, f"/admin/officers/{by('auditor')}/disable", {})
        assert "已停用" in _flash(admin, disabled)
    with Ledger.connect(world.url) as led:
        accounts = {a.officer.username: a for a in officers.list_officers(led)}
    assert accounts[clerk].officer.roles == {"clerk"}
    assert accounts[clerk].officer.must_change_password
    assert accounts[by("auditor")].disabled


def test_the_administrator_sets_an_office_setting(world) -> None:
    app = app_for(world)
    with signed_in(app, "admin") as admin:
        done = _post(admin, "/admin/settings", {"name": "lockout_failures", "value": "9"})
        assert "lockout_failures：5 → 9" in _flash(admin, done)
        _refused_changes_nothing(
            world, admin, "/admin/settings", {"name": "session_hours", "value": "-1"}, "正整数"
        )
    with signed_in(app, "clerk") as clerk:
        page = clerk.get("/admin/settings").text
        assert "lockout_failures" in page and "修改</button>" not in page
    with Ledger.connect(world.url) as led:
        assert officers.settings(led)["lockout_failures"] == "9"


class Recorded:
    """A Progress that remembers each stage and how far it got."""

    def __init__(self) -> None:
        self.stages: list[list] = []

    def stage(self, label: str, total: int | None = None, unit: str = "") -> None:
        self.stages.append([label, total, 0])

    def advance(self, done: int = 1) -> None:
        self.stages[-1][2] += done


def test_approval_and_disbursement_report_their_progress(world) -> None:
    with Ledger.connect(world.url) as led:
        clerk, checker, cashier = (
            officers.find(led, by(r)) for r in ("clerk", "checker", "cashier")
        )
        code = wf.submit(led, TRANSPORT, world.claims, fund_code=FUND, by=clerk, as_of=AS_OF)[
            0
        ].code
        approving, paying = Recorded(), Recorded()
        wf.approve(led, code, by=checker, on=AS_OF + dt.timedelta(days=1), progress=approving)
        payfiles.send(
            led, code, world.folder / "fresh-bank.csv", payfiles.Options(), by=cashier,
            progress=paying,
        )  # fmt: skip
    assert approving.stages == [["过账：计提应付补贴", 3, 3]]
    assert paying.stages[0] == ["过账：支付", 3, 3]
    assert paying.stages[-1][0] == "写入文件 fresh-bank.csv"
