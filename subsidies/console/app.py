"""The console as an ASGI application: :func:`create_app` for ``subsidies serve`` and tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import FileResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ledgers import Ledger
from reports.fonts import SHIPPED
from subsidies.console import signin
from subsidies.console.jobs import Runner
from subsidies.console.pages import PAGES
from subsidies.console.security import BodyLimit, RateLimit, SecurityHeaders
from subsidies.console.settings import Settings
from subsidies.console.web import environment
from subsidies.workflow import jobs

FORM_OVERHEAD = 64 * 1024  # the form fields around an uploaded file
STATIC = Path(__file__).parent / "static"
FONT = Path(str(files("reports") / "data" / "fonts" / SHIPPED))


async def cjk_font(request) -> FileResponse:
    """The reports' shipped CJK font (LXGW WenKai, OFL), the stylesheet's last fallback for
    a machine without a Chinese font: served by the app, never fetched from outside."""
    return FileResponse(FONT, headers={"cache-control": "max-age=31536000, immutable"})


def _closing(ledger: Ledger):
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        ledger.close()

    return lifespan


def create_app(settings: Settings) -> Starlette:
    """The console over the ledger at ``settings.db`` (its schema must be current); jobs a
    stopped server left running on this host are marked failed first."""
    ledger = Ledger.connect(settings.db)
    ledger.require_schema()
    jobs.fail_abandoned(ledger)
    settings.files.mkdir(parents=True, exist_ok=True)
    routes = [page.route() for page in PAGES] + signin.routes()
    routes.append(Mount("/static", StaticFiles(directory=STATIC), name="static"))
    routes.append(Route("/fonts/cjk.ttf", cjk_font))
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders, https=settings.https),
            Middleware(BodyLimit, limit=settings.max_upload_bytes + FORM_OVERHEAD),
        ],
        lifespan=_closing(ledger),
    )
    app.state.settings = settings
    app.state.ledger = ledger
    app.state.templates = environment()
    app.state.flash = {}
    app.state.sign_in_limit = RateLimit(settings.sign_in_attempts)
    app.state.runner = Runner(ledger)
    return app
