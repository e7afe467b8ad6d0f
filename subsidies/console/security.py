"""What a web application must have: security headers with a Content-Security-Policy
without inline script, a CSRF token on every form, and a rate limit on sign-in.

The CSRF token is bound to the session (an HMAC of the session cookie under the server's
secret); before sign-in, to a random ``pre`` cookie. A POST without the right token is
refused with 403 before its handler runs.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import defaultdict, deque

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "subsidies_session"
PRE_COOKIE = "subsidies_pre"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeaders:
    """Adds the headers to every response; pages (person data) are never cached."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.extra = [(b"strict-transport-security", b"max-age=31536000")] if https else []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith(("/static/", "/fonts/"))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += HEADERS + self.extra
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def csrf_token(secret: bytes, bound_to: str) -> str:
    return hmac.new(secret, bound_to.encode(), hashlib.sha256).hexdigest()


def csrf_ok(secret: bytes, bound_to: str | None, given: str | None) -> bool:
    if not bound_to or not given:
        return False
    return hmac.compare_digest(csrf_token(secret, bound_to), given)


class RateLimit:
    """At most ``count`` events per ``seconds`` for one key (a client address)."""

    def __init__(self, count: int, seconds: float = 60.0) -> None:
        self.count, self.seconds = count, seconds
        self.seen: dict[str, deque[float]] = defaultdict(deque)

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        seen = self.seen[key]
        while seen and seen[0] <= now - self.seconds:
            seen.popleft()
        if len(seen) >= self.count:
            return False
        seen.append(now)
        return True


class BodyLimit:
    """Refuses a request body over ``limit`` bytes (413) before the app reads it, and a POST
    without a Content-Length (411): a browser's form always has one."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            length = dict(scope["headers"]).get(b"content-length")
            status = 411 if length is None else 413 if int(length) > self.limit else 0
            if status:
                await _plain(
                    send, status, "请求过大：上传文件超过大小限制" if status == 413 else ""
                )
                return
        await self.app(scope, receive, send)


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": body})
