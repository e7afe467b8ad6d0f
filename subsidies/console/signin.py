"""登录 and 退出: the session cookie (HttpOnly, SameSite=Strict, Secure behind HTTPS), the
CSRF token of the sign-in form (bound to a random ``pre`` cookie), and a rate limit per
client address."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from subsidies.console import access
from subsidies.console.security import PRE_COOKIE, SESSION_COOKIE, csrf_ok, new_secret
from subsidies.console.web import render, signed_in


def _next(request: Request, value: str | None) -> str:
    """Only a path of this site: never an address elsewhere."""
    value = value or "/"
    return value if value.startswith("/") and not value.startswith("//") else "/"


async def sign_in_page(request: Request) -> Response:
    pre = request.cookies.get(PRE_COOKIE) or new_secret()
    response = render(
        request, "signin.html", None, pre, next=_next(request, request.query_params.get("next"))
    )
    _cookie(request, response, PRE_COOKIE, pre)
    return response


async def sign_in(request: Request) -> Response:
    form = await request.form()
    pre = request.cookies.get(PRE_COOKIE, "")
    settings = request.app.state.settings
    if not csrf_ok(settings.secret, pre, form.get("csrf")):
        return render(request, "signin.html", None, "", 403, error="表单已过期，请刷新页面后重试")
    address = request.client.host if request.client else "?"
    if not request.app.state.sign_in_limit.allow(address):
        return render(
            request, "signin.html", None, pre, 429, error="登录尝试过于频繁，请一分钟后再试"
        )
    username, password = str(form.get("username", "")).strip(), str(form.get("password", ""))
    ledger = request.app.state.ledger
    try:
        signed = await run_in_threadpool(access.sign_in, ledger, username, password, address)
    except access.SignInRefused as refused:
        return render(request, "signin.html", None, pre, 401, error=str(refused))
    response = RedirectResponse(_next(request, str(form.get("next", ""))), status_code=303)
    _cookie(request, response, SESSION_COOKIE, signed.token)
    response.delete_cookie(PRE_COOKIE)
    return response


async def sign_out(request: Request) -> Response:
    token = request.cookies.get(SESSION_COOKIE, "")
    form = await request.form()
    officer = await run_in_threadpool(signed_in, request, token)
    if officer is not None and csrf_ok(request.app.state.settings.secret, token, form.get("csrf")):
        await run_in_threadpool(access.sign_out, request.app.state.ledger, token)
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _cookie(request: Request, response: Response, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        httponly=True,
        samesite="strict",
        secure=request.app.state.settings.https,
        path="/",
    )


def routes() -> list[Route]:
    return [
        Route("/signin", sign_in_page, methods=["GET"]),
        Route("/signin", sign_in, methods=["POST"]),
        Route("/signout", sign_out, methods=["POST"]),
    ]
