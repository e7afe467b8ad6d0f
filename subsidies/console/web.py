"""Routes and what each request goes through: the signed-in officer, the CSRF token of a
POST, the role the route's step needs, then its handler (run in a worker thread: the
workflow functions are plain, blocking Python).

A refusal by the workflow (its reason, in the officers' words) is shown on an error page
with status 409 and changes nothing; a missing sign-in redirects to 登录; a missing role
or CSRF token is 403.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from jinja2 import Environment, PackageLoader
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from calculators.registry import UnknownProgram
from ledgers import Ledger, LedgerError
from subsidies.claimfile import ClaimFileError
from subsidies.console import access
from subsidies.console.formatting import FILTERS
from subsidies.console.security import PRE_COOKIE, SESSION_COOKIE, csrf_ok, csrf_token
from subsidies.console.settings import Settings
from subsidies.domain.identity import mask_id, mask_name
from subsidies.domain.money import AmountError
from subsidies.workflow.base import WorkflowError

REFUSALS = (
    WorkflowError,
    ClaimFileError,
    UnknownProgram,
    LedgerError,
    AmountError,
    ValueError,
    OSError,
)

NAV = (  # (path, label, the step(s) of which one is needed to see it; None: every officer)
    ("/", "首页", None),
    ("/programs", "政策与项目", None),
    ("/claims", "申报受理", None),
    ("/batches", "批次", None),
    ("/payouts", "发放", None),
    ("/reconcile", "对账", None),
    ("/search", "查询", None),
    ("/reports", "报表", None),
    ("/brands", "品牌", None),
    ("/recoveries", "追回", ("recovery.raise", "recovery.repay", "audit.read")),
    ("/audit", "审计", "audit.read"),
    ("/ledger", "结账", "ledger.close"),
    ("/admin", "管理", None),
)


PASSWORD = "/password"  # where an officer who must change their password is sent


class Refused(Exception):
    """A request the console itself refuses (a bad upload, a missing field): 400."""


def environment() -> Environment:
    env = Environment(loader=PackageLoader("subsidies.console"), autoescape=True)
    env.filters.update(FILTERS)
    env.filters["mask_id"] = mask_id
    env.filters["mask_name"] = mask_name
    return env


@dataclass
class Ctx:
    """One request as a handler sees it."""

    request: Request
    officer: access.Officer
    token: str
    form: FormData | None = None
    params: dict = field(default_factory=dict)

    @property
    def app(self):
        return self.request.app

    @property
    def ledger(self) -> Ledger:
        return self.app.state.ledger

    @property
    def settings(self) -> Settings:
        return self.app.state.settings

    @property
    def by(self) -> access.Officer:
        return access.by(self.officer)

    def may(self, step: str) -> bool:
        return access.may(self.officer, step)

    def field(self, name: str, *, required: bool = True) -> str:
        value = (self.form.get(name) if self.form else None) or ""
        value = value.strip() if isinstance(value, str) else value
        if required and not value:
            raise Refused(f"请填写“{LABELS.get(name, name)}”")
        return value

    def date(self, name: str) -> dt.date | None:
        text = self.field(name, required=False)
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise Refused(f"“{LABELS.get(name, name)}”不是日期（年-月-日）：{text}") from None

    def flash(self, message: str) -> None:
        self.app.state.flash[self.token] = message

    def render(self, template: str, http_status: int = 200, **values) -> HTMLResponse:
        return render(self.request, template, self.officer, self.token, http_status, **values)

    def redirect(self, path: str, message: str = "") -> RedirectResponse:
        if message:
            self.flash(message)
        return RedirectResponse(path, status_code=303)


LABELS = {
    "reason": "理由",
    "program": "项目",
    "fund": "资金",
    "code": "代码",
    "name": "名称",
    "amount": "金额",
    "doc": "文号",
    "account": "账号",
    "line": "银行流水",
    "reference": "支付编号",
}


def _may_any(officer: access.Officer, steps: str | tuple[str, ...]) -> bool:
    return any(access.may(officer, s) for s in ((steps,) if isinstance(steps, str) else steps))


def render(
    request: Request,
    template: str,
    officer: access.Officer | None,
    token: str,
    http_status: int = 200,
    **values,
) -> HTMLResponse:
    env: Environment = request.app.state.templates
    bound = token or request.cookies.get(PRE_COOKIE, "")
    nav = [
        (path, label)
        for path, label, step in NAV
        if officer is not None and (step is None or _may_any(officer, step))
    ]
    html = env.get_template(template).render(
        request=request,
        officer=officer,
        roles=access.role_names(officer.roles) if officer else "",
        masked=access.masked_for(officer) if officer else True,
        may=(lambda step: access.may(officer, step)) if officer else (lambda step: False),
        csrf=csrf_token(request.app.state.settings.secret, bound) if bound else "",
        nav=nav,
        here=request.url.path,
        flash=request.app.state.flash.pop(token, "") if token else "",
        **values,
    )
    return HTMLResponse(html, status_code=http_status)


@dataclass(frozen=True)
class Page:
    """A route: its path, handler, the step it takes (None: reading, any officer) and method."""

    path: str
    handler: Callable[[Ctx], Response]
    step: str | None = None
    method: str = "GET"

    def route(self) -> Route:
        return Route(self.path, self._endpoint, methods=[self.method], name=self.path)

    async def _endpoint(self, request: Request) -> Response:
        token = request.cookies.get(SESSION_COOKIE, "")
        officer = await run_in_threadpool(signed_in, request, token)
        if officer is None:
            return RedirectResponse(f"/signin?next={quote(request.url.path)}", status_code=303)
        if officer.must_change_password and self.path != PASSWORD:
            return RedirectResponse(PASSWORD, status_code=303)
        ctx = Ctx(request, officer, token, params=dict(request.path_params))
        if self.method == "POST":
            settings: Settings = request.app.state.settings
            ctx.form = await request.form(max_files=2, max_fields=40)
            if not csrf_ok(settings.secret, token, ctx.form.get("csrf")):
                return forbidden(ctx, "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试")
        if self.step is not None and not access.may(officer, self.step):
            try:
                await run_in_threadpool(
                    access.require, officer, self.step, ledger=ctx.ledger, subject=request.url.path
                )
            except access.NotPermitted as refused:
                return forbidden(ctx, str(refused))
        try:
            return await run_in_threadpool(self.handler, ctx)
        except Refused as refused:
            return ctx.render("refused.html", 400, message=str(refused))
        except REFUSALS as refused:
            return ctx.render("refused.html", 409, message=str(refused))
        except SQLAlchemyError as error:
            detail = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
            return ctx.render("refused.html", 409, message=f"数据库拒绝了此操作：{detail}")


def forbidden(ctx: Ctx, message: str) -> HTMLResponse:
    return ctx.render("refused.html", 403, message=message, title="无权操作")


def signed_in(request: Request, token: str) -> access.Officer | None:
    if not token:
        return None
    try:
        return access.officer_for_token(request.app.state.ledger, token)
    except access.NotSignedIn:
        return None
