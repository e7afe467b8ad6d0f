"""The whole payout job in a real browser (Debian's Chromium driven by Playwright), one
officer per role (issue #16): the administrator sets up a fund; a clerk uploads a claims
file and submits it; the 公示 is published and downloaded; the clerk cannot approve their
own batch (no button, and a forged POST is refused); the checker approves; the cashier
pays and downloads the bank file; the reconciler imports a statement with a return and
resolves an exception; anyone searches a person and follows 追溯 to the article; the
auditor sees every page and can change nothing; the administrator grants an officer a
role; a clerk registers a brand and records its annual report. A screenshot of each page is saved in
the test run's folder (``$SUBSIDIES_SCREENSHOTS``, else pytest's temporary folder).

One server for the module, in a thread on a free port; the browser is never downloaded:
``/usr/bin/chromium`` (``apt-get install chromium``; ``.ci/run`` installs it).
"""

from __future__ import annotations

import csv
import os
import re
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from console_helpers import OFFICERS, SCRIPT, office, password
from playwright.sync_api import Page, expect, sync_playwright
from workflow_helpers import TRANSPORT, claim, credit_code, new_person, write_claims

from ledgers import Ledger
from subsidies.console.app import create_app
from subsidies.console.settings import Settings
from subsidies.domain.money import format_yuan
from subsidies.workflow import batches as wf
from subsidies.workflow import payments as pay

CHROMIUM = "/usr/bin/chromium"
AS_OF, PUBLISHED, APPROVED, PAID = "2024-06-28", "2024-07-01", "2024-07-09", "2024-07-10"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(base URL, ledger URL, folder, screenshots folder) of a console serving a new ledger."""
    folder = tmp_path_factory.mktemp("console")
    url = f"sqlite:///{folder / 'ledger.db'}"
    with Ledger.connect(url) as led:
        led.upgrade()
        office(led)
    app = create_app(Settings(db=url, files=folder / "files", sign_in_attempts=50))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    shots = Path(os.environ.get("SUBSIDIES_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    yield f"http://127.0.0.1:{port}", url, folder, shots
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


class Officer:
    """One officer's browser session; ``shot`` saves the page as NN-role-name.png."""

    count = 0

    def __init__(self, browser, site, role: str) -> None:
        self.base, self.url, self.folder, self.shots = site
        self.role = role
        self.context = browser.new_context(accept_downloads=True, locale="zh-CN")
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        username = OFFICERS[role][0]
        self.go("/")
        expect(self.page.locator("h1")).to_have_text("登录")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password(username))
        self.page.click("button:has-text('登录')")
        expect(self.page.locator("header .who")).to_contain_text(OFFICERS[role][1])

    def go(self, path: str) -> Page:
        self.page.goto(self.base + path)
        return self.page

    def shot(self, name: str) -> None:
        Officer.count += 1
        self.page.screenshot(
            path=self.shots / f"{Officer.count:02d}-{self.role}-{name}.png", full_page=True
        )

    def wait_for_job(self) -> None:
        """On a job's page: htmx polls until the job is done."""
        if not self.page.url.startswith(f"{self.base}/jobs/"):
            raise AssertionError(f"no job started: {self.page.locator('main').inner_text()}")
        expect(self.page.locator(".state-done, .state-failed")).to_be_visible(timeout=60_000)
        failed = self.page.locator(".state-failed")
        assert not failed.count(), self.page.locator(".error").inner_text()

    def close(self) -> None:
        assert not self.errors, f"{self.role}: browser console errors {self.errors}"
        self.context.close()


def test_the_whole_job_one_officer_per_role(site, browser) -> None:
    base, url, folder, shots = site
    admin = Officer(browser, site, "admin")
    admin.go("/admin")
    admin.page.fill("#add-fund input[name=code]", "QH2024")
    admin.page.fill("#add-fund input[name=name]", "2024 中央就业补助资金 青海")
    admin.page.fill("#add-fund input[name=year]", "2024")
    admin.page.click("#add-fund button")
    expect(admin.page.locator(".flash")).to_contain_text("已添加资金 QH2024")
    row = admin.page.locator("tr", has_text="QH2024")
    row.locator("input[name=amount]").fill("1000000")
    row.locator("input[name=doc]").fill("青财社〔2024〕12号")
    row.locator("input[name=on]").fill(AS_OF)
    row.locator("button").click()
    expect(admin.page.locator(".flash")).to_contain_text("拨款 QH2024")
    expect(admin.page.locator("tr", has_text="QH2024")).to_contain_text("¥1,000,000.00")
    admin.shot("funds")
    admin.close()

    clerk = Officer(browser, site, "clerk")
    people = [new_person() for _ in range(3)]
    rows = [claim(TRANSPORT, f"T-{i}", person_id=p) for i, p in enumerate(people, 1)]
    rows[0]["person_name"] = SCRIPT
    claims = write_claims(folder / "transport.csv", rows)
    clerk.go("/claims")
    clerk.page.select_option("select[name=program]", TRANSPORT)
    clerk.page.set_input_files("input[name=file]", str(claims))
    clerk.page.fill("input[name=as_of]", AS_OF)
    clerk.page.select_option("select[name=fund]", "QH2024")
    clerk.page.fill("input[name=notice_days]", "5")
    clerk.shot("claims-upload")
    clerk.page.click("button:has-text('提交为批次')")
    clerk.wait_for_job()
    clerk.shot("job-done")
    clerk.page.click("text=已生成批次 >> a")
    code = clerk.page.locator("h1").inner_text().split()[1]
    expect(clerk.page.locator("h1")).to_contain_text("公示" if False else code)
    expect(clerk.page.locator("table").nth(1)).to_contain_text("符合")
    clerk.page.fill("form[action$='/notice'] input[name=on]", PUBLISHED)
    clerk.page.click("button:has-text('发布公示')")
    expect(clerk.page.locator(".flash")).to_contain_text("发布公示")
    with clerk.page.expect_download() as download:
        clerk.page.click("text=下载公示 PDF")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    expect(clerk.page.locator("button:has-text('审核通过')")).to_have_count(0)
    clerk.shot("batch-noticed")
    token = clerk.page.locator("input[name=csrf]").first.get_attribute("value")
    forged = clerk.page.request.post(
        f"{base}/batches/{code}/approve", form={"csrf": token, "on": APPROVED}, max_redirects=0
    )
    assert forged.status == 403
    with Ledger.connect(url) as led:
        assert wf.get(led, code).state == "noticed"
    clerk.close()

    checker = Officer(browser, site, "checker")
    checker.go("/")
    checker.page.click(f"text={code}")
    checker.page.fill("form[action$='/approve'] input[name=on]", APPROVED)
    checker.shot("batch-to-approve")
    checker.page.click("button:has-text('审核通过')")
    checker.wait_for_job()
    expect(checker.page.locator(".card")).to_contain_text("已审核通过，计提 3 笔")
    checker.shot("approved")
    checker.close()

    cashier = Officer(browser, site, "cashier")
    cashier.go(f"/payouts/{code}")
    cashier.page.fill("#disburse input[name=on]", PAID)
    cashier.page.fill("#disburse input[name=payer_account]", "2100 1234 5678 0000 001")
    cashier.page.fill("#disburse input[name=payer_name]", "市就业服务中心")
    cashier.page.select_option("#disburse select[name=format]", ".csv")
    cashier.page.click("#disburse button")
    cashier.wait_for_job()
    cashier.page.click("text=查看")
    with cashier.page.expect_download() as download:
        cashier.page.click("text=下载")
    bank_file = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert people[1] in bank_file or "6217" in bank_file
    cashier.shot("paid")
    cashier.close()

    with Ledger.connect(url) as led:
        one, two, three = pay.batch_payments(led, code)
    statement = folder / "statement.csv"
    with statement.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["交易日期", "流水号", "摘要", "收款人", "账号", "金额", "状态", "备注"])
        day = "2024-07-12"
        writer.writerow(
            [
                day,
                "S1",
                one.reference,
                one.payee_name,
                one.account,
                format_yuan(one.amount_fen),
                "成功",
                "",
            ]
        )
        writer.writerow(
            [
                day,
                "S2",
                two.reference,
                two.payee_name,
                two.account,
                format_yuan(two.amount_fen),
                "失败",
                "账户已销户",
            ]
        )
        writer.writerow(
            [
                day,
                "S3",
                "",
                "某收款人",
                "6217000000001234",
                format_yuan(three.amount_fen),
                "成功",
                "",
            ]
        )
    reconciler = Officer(browser, site, "reconciler")
    reconciler.go("/reconcile")
    reconciler.page.set_input_files("#statement input[name=file]", str(statement))
    reconciler.page.select_option("#statement select[name=layout]", "bank-cn")
    reconciler.page.click("#statement button")
    reconciler.wait_for_job()
    expect(reconciler.page.locator(".card")).to_contain_text("退票 1 笔")
    reconciler.go("/reconcile")
    exception = reconciler.page.locator("tr", has_text="S3")  # the payee name is masked
    exception.locator("input[name=reference]").fill(three.reference)
    exception.locator("input[name=reason]").fill("银行回单核对为同一笔")
    reconciler.shot("exceptions")
    exception.locator("button").click()
    expect(reconciler.page.locator(".flash")).to_contain_text(f"已确认支付 {three.reference} 到账")
    expect(reconciler.page.locator("table").first).to_contain_text("（平衡）")
    reconciler.shot("reconciled")
    reconciler.close()

    anyone = Officer(browser, site, "clerk")
    anyone.go("/search")
    anyone.page.fill("input[name=q]", people[1])
    anyone.page.click("button:has-text('查询')")
    expect(anyone.page.locator("table").first).to_contain_text(two.reference)
    expect(anyone.page.locator("table").nth(1)).to_contain_text("账户已销户")
    anyone.shot("search")
    anyone.page.locator("a:has-text('追溯')").first.click()
    expect(anyone.page.locator("pre")).to_contain_text("returned 2024-07-12")
    expect(anyone.page.locator("pre")).to_contain_text("「")
    assert people[1] not in anyone.page.content()  # a clerk sees the 身份证号 masked
    anyone.shot("explain")
    anyone.page.click(f"a[href='/programs/{TRANSPORT}']")
    expect(anyone.page.locator(".quote").first).to_contain_text("「")
    anyone.shot("article")
    anyone.close()

    auditor = Officer(browser, site, "auditor")
    for path in ("/", "/programs", "/claims", "/batches", f"/batches/{code}", "/payouts",
                 f"/payouts/{code}", "/reconcile", f"/search?q={people[0]}", "/reports",
                 "/audit", "/audit/verify", "/admin", "/brands", "/recoveries", "/ledger",
                 "/admin/settings"):  # fmt: skip
        auditor.go(path)
        expect(auditor.page.locator("h1")).to_be_visible()
        posts = auditor.page.locator(  # signing out and pricing a plan change nothing
            "form[method=post]:not([action='/signout']):not([action='/reports/plan'])"
        )
        assert posts.count() == 0, f"the auditor is offered a change on {path}"
        auditor.shot(re.sub(r"\W+", "-", path.strip("/")) or "home")
    auditor.go("/audit")
    expect(auditor.page.locator("table")).to_contain_text("batch.approve")
    auditor.go("/audit/verify")
    expect(auditor.page.locator(".flash")).to_contain_text("通过")
    assert SCRIPT not in auditor.go(f"/payouts/{code}").content()
    expect(auditor.page.locator("td", has_text=SCRIPT)).to_have_count(1)
    token = auditor.page.locator("input[name=csrf]").first.get_attribute("value")
    refused = auditor.page.request.post(
        f"{base}/batches/{code}/reject", form={"csrf": token, "reason": "x"}, max_redirects=0
    )
    assert refused.status == 403
    auditor.close()

    admin = Officer(browser, site, "admin")
    reconciler_name = OFFICERS["reconciler"][0]
    admin.go("/admin")
    admin.page.click(f"a[href='/admin/officers/{reconciler_name}']")
    admin.page.select_option("#grant select[name=role]", "auditor")
    admin.page.click("#grant button")
    expect(admin.page.locator(".flash")).to_contain_text("现有角色：对账、审计")
    expect(admin.page.locator("#roles")).to_have_text("对账、审计")
    admin.shot("officer-roles")
    admin.close()

    clerk = Officer(browser, site, "clerk")
    clerk.go("/brands")
    clerk.page.fill("#add-brand input[name=unit_name]", "青海某劳务公司")
    clerk.page.fill("#add-brand input[name=credit_code]", credit_code(7))
    clerk.page.fill("#add-brand input[name=brand_name]", "青海拉面")
    clerk.page.fill("#add-brand input[name=recognised_on]", "2023-05-01")
    clerk.page.click("#add-brand button")
    expect(clerk.page.locator(".flash")).to_contain_text("已登记品牌")
    clerk.page.select_option("#brand-event select[name=kind]", "annual_report")
    clerk.page.fill("#brand-event input[name=on]", "2023-10-20")
    clerk.page.fill("#brand-event input[name=for_year]", "2023")
    clerk.page.click("#brand-event button")
    expect(clerk.page.locator(".flash")).to_contain_text("已登记：年度报告")
    expect(clerk.page.locator("table").first).to_contain_text("2023 年度")
    clerk.shot("brand")
    clerk.close()
    assert len(list(shots.glob("*.png"))) >= 20
