"""Every route × every role at the HTTP level (issue #16): anonymous → 登录; a role the
step does not allow → 403; a POST without its CSRF token → 403; a refused request changed
nothing (every row of every table byte-identical, but for the one ``refused`` line in the
audit log that a refusal for lack of a role writes, issue #15); every page an officer may read → 200
with the security headers and no inline script; a claimant named
``<script>alert(1)</script>`` shown as text. On SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from console_helpers import (
    BRAND,
    OFFICERS,
    SCRIPT,
    app_for,
    build,
    by,
    csrf_of,
    password,
    refusals,
    signed_in,
    snapshot,
    without_refusals,
)
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from subsidies.console.access import PERMISSIONS
from subsidies.console.pages import PAGES

# what each state-changing route takes: a change here is a change of who may do what
STEPS = {
    "/claims/calc": "batch.submit",
    "/claims/submit": "batch.submit",
    "/batches/{code}/notice": "batch.notice",
    "/batches/{code}/approve": "batch.approve",
    "/batches/{code}/reject": "batch.reject",
    "/payouts/{code}/disburse": "payment.disburse",
    "/payments/{reference}/return": "payment.return",
    "/payments/{reference}/reissue": "payment.reissue",
    "/payments/{reference}/approve": "payment.approve",
    "/payments/{reference}/reject": "payment.reject",
    "/reconcile/import": "reconcile.statement",
    "/reconcile/resolve": "reconcile.resolve",
    "/admin/funds": "fund.manage",
    "/admin/funds/{code}/appropriate": "fund.manage",
    "/admin/officers": "officer.manage",
    "/brands/add": "brand.register",
    "/brands/rename": "brand.register",
    "/brands/{brand_id}/events": "brand.register",
    "/brands/{brand_id}/recover": "recovery.raise",
    "/payments/{reference}/settle": "payment.settle",
    "/payouts/{code}/file": "payment.file",
    "/payouts/{code}/reprint": "payment.file",
    "/recoveries/raise": "recovery.raise",
    "/recoveries/repay": "recovery.repay",
    "/ledger/close": "ledger.close",
    "/ledger/reverse": "ledger.close",
    "/admin/officers/{username}/grant": "officer.manage",
    "/admin/officers/{username}/revoke": "officer.manage",
    "/admin/officers/{username}/disable": "officer.manage",
    "/admin/officers/{username}/password": "officer.manage",
    "/admin/settings": "officer.manage",
    "/password": None,  # an officer's own password: the old one is asked
    "/reports/plan": None,  # prices a scenario file: reads, writes nothing
}
QUERY = {"/reports/register.{suffix}": "?program=qinghai.transport"}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|\sstyle=", re.I)


def _path(page, world, job_id: int) -> str:
    code = world.paid if page.path.startswith(("/payouts", "/admin/funds/")) else world.waiting
    if page.path.startswith("/admin/funds/"):
        code = "QH2024"
    values = {
        "code": code,
        "reference": world.pending,
        "file_id": world.file_id,
        "job_id": job_id,
        "program_id": "qinghai.transport",
        "suffix": "pdf",
        "brand_id": world.brand_id,
        "username": by("clerk"),
    }
    path = re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), page.path)
    return path + QUERY.get(page.path, "")


def _form(page) -> dict:
    """A filled form, so a refusal is for the role or the token, never a missing field."""
    return {
        "reason": "理由",
        "program": "qinghai.transport",
        "fund": "QH2024",
        "code": "NEW",
        "name": "新资金",
        "amount": "100",
        "doc": "文号",
        "account": "6217000000009999",
        "line": "1",
        "reference": "SL1",
        "claim": "T-1",
        "unit_name": "某单位",
        "credit_code": BRAND.credit_code,
        "new_name": "新名称",
        "brand_name": "新品牌",
        "level": "city",
        "recognised_on": "2024-01-02",
        "kind": "annual_report",
        "on": "2024-10-08",
        "period": "2024-06",
        "entry": "1",
        "role": "auditor",
        "password": "Another-password-2024!",
        "value": "9",
    }


def test_every_state_changing_route_is_a_post_with_its_step() -> None:
    posts = {p.path: p.step for p in PAGES if p.method == "POST"}
    assert posts == STEPS
    for path, step in STEPS.items():
        assert step is None or step in PERMISSIONS, path


@pytest.fixture
def world(db_url, tmp_path):
    return build(db_url, tmp_path)


def test_every_route_for_every_role(world) -> None:
    app = app_for(world, sign_in_attempts=100)
    with TestClient(app, follow_redirects=False) as anonymous:
        clients = {role: signed_in(app, role) for role in OFFICERS}
        calc = clients["clerk"].post(
            "/claims/calc",
            data={
                "csrf": csrf_of(clients["clerk"].get("/claims").text),
                "program": "qinghai.transport",
            },
            files={"file": ("claims.csv", world.claims.read_bytes(), "text/csv")},
        )
        job_id = int(calc.headers["location"].rsplit("/", 1)[1])
        app.state.runner.wait(job_id, 60)
        routes = {r.path for r in app.routes if isinstance(r, Route)}
        routes -= {"/signin", "/signout", "/fonts/cjk.ttf"}
        assert routes == {p.path for p in PAGES}
        assert any(isinstance(r, Mount) and r.path == "/static" for r in app.routes)
        before = snapshot(world.url)
        refused = refusals(before)
        for page in PAGES:
            path = _path(page, world, job_id)
            if page.method == "GET":
                response = anonymous.get(path)
            else:
                response = anonymous.post(path, data=_form(page))
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/signin?next="), path
            for role, client in clients.items():
                allowed = page.step is None or role in PERMISSIONS[page.step]
                if page.method == "GET":
                    response = client.get(path)
                    expected = 200 if allowed else 403
                    assert response.status_code == expected, (path, role, response.text[:500])
                    _secure(response, path)
                    refused += not allowed
                    continue
                token = csrf_of(client.get("/").text)
                if not allowed:
                    response = client.post(path, data=_form(page) | {"csrf": token})
                    assert response.status_code == 403, (path, role)
                    assert "无权" in response.text, (path, role)
                    refused += 1
                else:
                    response = client.post(path, data=_form(page))  # no CSRF token
                    assert response.status_code == 403, (path, role)
                    assert "CSRF" in response.text
                    forged = client.post(path, data=_form(page) | {"csrf": "0" * 64})
                    assert forged.status_code == 403, (path, role)
                after = snapshot(world.url)
                assert without_refusals(after) == without_refusals(before), (
                    f"refused {path} as {role} changed the ledger"
                )
                assert refusals(after) == refused, (path, role)
        for client in clients.values():
            client.close()


def _secure(response, path: str) -> None:
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
    assert "script-src 'self'" in response.headers["content-security-policy"], path
    assert response.headers["x-content-type-options"] == "nosniff"
    if response.headers["content-type"].startswith("text/html"):
        assert response.headers["cache-control"] == "no-store", path
        assert not INLINE_SCRIPT.search(response.text), (path, INLINE_SCRIPT.search(response.text))


def test_a_claimant_named_script_is_shown_as_text(world) -> None:
    app = app_for(world)
    with signed_in(app, "auditor") as auditor:
        pages = [f"/payouts/{world.paid}", f"/search?q={SCRIPT}", "/explain?what=T-1"]
        for path in pages:
            html = auditor.get(path).text
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
            assert SCRIPT not in html, path


def test_person_data_is_masked_for_a_clerk_and_shown_to_the_auditor(world) -> None:
    app = app_for(world, sign_in_attempts=10)
    with signed_in(app, "clerk") as clerk, signed_in(app, "auditor") as auditor:
        masked, full = (c.get(f"/payouts/{world.paid}").text for c in (clerk, auditor))
    account = re.search(r"6217\d{15}", full).group()
    assert account not in masked
    assert f"**** {account[-4:]}" in masked


def test_sign_in_is_rate_limited_and_the_cookie_is_http_only(world) -> None:
    app = app_for(world, sign_in_attempts=3)
    with TestClient(app, follow_redirects=False) as client:
        token = csrf_of(client.get("/signin").text)
        for _ in range(3):
            wrong = client.post(
                "/signin", data={"csrf": token, "username": by("clerk"), "password": "x"}
            )
            assert wrong.status_code == 401
        right = {"csrf": token, "username": by("clerk"), "password": password(by("clerk"))}
        assert client.post("/signin", data=right).status_code == 429
    with TestClient(app, follow_redirects=False) as fresh:
        app.state.sign_in_limit.seen.clear()
        token = csrf_of(fresh.get("/signin").text)
        done = fresh.post("/signin", data=right | {"csrf": token})
        cookie = done.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
        assert fresh.post("/signin", data=right | {"csrf": "x"}).status_code == 403


def test_secure_cookie_behind_https(world) -> None:
    app = app_for(world, https=True)
    with TestClient(app, follow_redirects=False, base_url="https://testserver") as client:
        token = csrf_of(client.get("/signin").text)
        done = client.post(
            "/signin", data={"csrf": token, "username": by("clerk"), "password": password("zhang")}
        )
        assert "secure" in done.headers["set-cookie"].lower()
        assert "strict-transport-security" in done.headers


def test_an_upload_too_large_or_of_another_kind_is_refused(world) -> None:
    app = app_for(world, max_upload_bytes=1024)
    with signed_in(app, "clerk") as clerk:
        token = csrf_of(clerk.get("/claims").text)
        form = {"csrf": token, "program": "qinghai.transport"}
        big = clerk.post(
            "/claims/calc", data=form, files={"file": ("c.csv", b"x" * 200_000, "text/csv")}
        )
        assert big.status_code == 413
        exe = clerk.post(
            "/claims/calc", data=form, files={"file": ("c.exe", b"MZ", "application/octet-stream")}
        )
        assert exe.status_code == 400 and "只接受" in exe.text
        fake = clerk.post(
            "/claims/calc",
            data=form,
            files={"file": ("c.xlsx", b"not a zip", "application/octet-stream")},
        )
        assert fake.status_code == 400 and "不是 XLSX" in fake.text
