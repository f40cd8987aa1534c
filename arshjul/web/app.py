"""The FastAPI application: routers, limits, error pages, and the lazily built dependencies."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException
from temporalio.client import Client

from arshjul.calendar.config import ArshjulConfig
from arshjul.settings import Settings, get_settings
from arshjul.web.auth import RateLimiter, set_csrf_cookie
from arshjul.web.rounds import RoundGateway, RoundUnavailable

log = logging.getLogger(__name__)
RECONNECT_AFTER_SECONDS = 15.0

ERROR_PAGES: dict[int, tuple[str, str]] = {
    400: ("Felaktig begäran", "Sidan kunde inte visas eftersom begäran var felaktig."),
    401: ("Logga in", "Du behöver logga in för att se den här sidan."),
    403: ("Åtkomst nekad", "Du har inte behörighet att göra det här. Inget har ändrats."),
    404: ("Sidan finns inte", "Sidan du sökte finns inte. Kontrollera adressen."),
    405: ("Metoden stöds inte", "Den här sidan kan inte användas på det sättet."),
    410: ("Länken har gått ut", "Länken gäller inte längre. Be om en ny länk."),
    413: ("För stor fil", "Filen eller formuläret är för stort. Inget har sparats."),
    422: ("Felaktiga uppgifter", "Uppgifterna kunde inte tolkas. Inget har ändrats."),
    429: ("För många försök", "Du har gjort för många försök. Vänta en stund och försök igen."),
    503: ("Tjänsten är inte tillgänglig", "Tjänsten svarar inte just nu. Försök igen om en stund."),
}


@dataclass
class Limits:
    """Upload and request limits (bytes) and the login-link rate limit."""

    max_attachment_bytes: int = 10 * 1024 * 1024
    max_request_bytes: int = 25 * 1024 * 1024
    login_links_per_window: int = 5
    login_window_seconds: float = 900.0
    temporal_timeout_seconds: float = 10.0


@dataclass
class WebState:
    """What every request needs, built once per app (the Temporal client on first use)."""

    settings: Settings
    limits: Limits
    _config: ArshjulConfig | None = None
    _session_maker: sessionmaker[Session] | None = None
    _client: Client | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _failed_at: float = float("-inf")
    # Rendered feeds by (kind, id, year, time of the data's last change).
    feed_cache: dict[tuple[str | int, ...], bytes] = field(default_factory=dict)
    login_limiter: RateLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.login_limiter = RateLimiter(
            self.limits.login_links_per_window, self.limits.login_window_seconds
        )

    @property
    def config(self) -> ArshjulConfig:
        """Returns the årshjul configuration (loaded from ARSHJUL_CONFIG on first use)."""
        if self._config is None:
            from arshjul.calendar.loader import load_config

            self._config = load_config(self.settings.arshjul_config)
            _sync_people(self, self._config)
        return self._config

    @property
    def session_maker(self) -> sessionmaker[Session]:
        """Returns the session factory (engine built from DATABASE_URL on first use)."""
        if self._session_maker is None:
            from arshjul.store.db import make_engine, make_session_maker

            self._session_maker = make_session_maker(make_engine(self.settings.database_url))
        return self._session_maker

    async def gateway(self) -> RoundGateway:
        """Returns the round gateway, connecting to Temporal on first use."""
        async with self._lock:
            if self._client is None:
                from temporalio.contrib.pydantic import pydantic_data_converter

                # After a failed connect, pages answer from SQL at once for a while instead of
                # each waiting for its own timeout.
                if time.monotonic() - self._failed_at < RECONNECT_AFTER_SECONDS:
                    raise RoundUnavailable("Temporal was unreachable a moment ago")
                try:
                    self._client = await asyncio.wait_for(
                        Client.connect(
                            self.settings.temporal_address,
                            namespace=self.settings.temporal_namespace,
                            data_converter=pydantic_data_converter,
                        ),
                        self.limits.temporal_timeout_seconds,
                    )
                except (TimeoutError, RuntimeError, OSError) as err:
                    self._failed_at = time.monotonic()
                    raise RoundUnavailable(f"cannot connect to Temporal: {err}") from err
        return RoundGateway(self._client, self.limits.temporal_timeout_seconds)


def _sync_people(state: WebState, config: ArshjulConfig) -> None:
    # People, units and roles in SQL follow the configuration the app serves; a store that is
    # not migrated yet must not keep the pages from answering.
    from sqlalchemy.exc import SQLAlchemyError

    from arshjul.store.repositories import sync_config

    try:
        with state.session_maker.begin() as session:
            sync_config(session, config)
    except SQLAlchemyError as err:
        log.warning("could not sync people from the configuration into the database: %s", err)


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Loads (and syncs) the configuration at start and resends pending submissions in the
    # background; ASGI test transports skip the lifespan, so tests start the loop themselves.
    from arshjul.web.redelivery import redelivery_loop

    state: WebState = app.state.web
    try:
        state.config  # noqa: B018  # loaded for its side effect: people synced into SQL
    except Exception:  # a broken configuration is reported by the first page that needs it
        log.exception("could not load the configuration at start")
    interval = state.settings.redelivery_seconds
    task = asyncio.create_task(redelivery_loop(state, interval)) if interval > 0 else None
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def web_state(request: Request) -> WebState:
    """FastAPI dependency: the app's shared state."""
    return request.app.state.web  # type: ignore[no-any-return]


def db_session(request: Request) -> Iterator[Session]:
    """FastAPI dependency: one session per request; handlers commit at the edge."""
    session = web_state(request).session_maker()
    try:
        yield session
    finally:
        session.close()


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


def error_response(request: Request, status: int, detail: str | None = None) -> Response:
    """Renders a Swedish error page (or JSON under /api) for an HTTP status."""
    from arshjul.web.templating import render

    title, text = ERROR_PAGES.get(status, ("Något gick fel", "Ett oväntat fel inträffade."))
    if _wants_json(request):
        return JSONResponse({"error": title, "message": text, "detail": detail}, status)
    if status == 401 and request.method == "GET":
        return RedirectResponse(f"/login?next={request.url.path}", 303)
    return render(request, "error.html", status, title=title, text=text, status=status)


def _include_optional(app: FastAPI, module: str) -> bool:
    try:
        router = importlib.import_module(module).router
    except ImportError as err:
        if err.name != module:  # the module exists but is broken: say so rather than hide it
            raise
        return False
    app.include_router(router)
    return True


def create_app(
    settings: Settings | None = None,
    *,
    temporal_client: Client | None = None,
    session_maker: sessionmaker[Session] | None = None,
    config: ArshjulConfig | None = None,
    limits: Limits | None = None,
) -> FastAPI:
    """Builds the web app; what is not given is built from the settings on first use."""
    from arshjul.web import (
        api,
        committee,
        export,
        feeds,
        login,
        overview,
        overview_actions,
        submit,
        units,
    )

    settings = settings or get_settings()
    app = FastAPI(
        title="arshjul",
        description="Årshjul: rapportomgångar, inlämningar, beslut och kalender.",
        version="0.1.0",
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.web = WebState(
        settings=settings,
        limits=limits or Limits(),
        _config=config,
        _session_maker=session_maker,
        _client=temporal_client,
    )
    for module in (
        login,
        submit,
        committee,
        overview,
        overview_actions,
        export,
        units,
        feeds,
        api,
    ):
        app.include_router(module.router)
    app.include_router(feeds.page)
    if settings.dev_maildir is not None:
        _include_optional(app, "arshjul.web.devmail")
    _include_optional(app, "arshjul.web.sammanstallning")
    _include_optional(app, "arshjul.web.ledger")

    @app.middleware("http")
    async def limits_and_cookies(request: Request, call_next):  # type: ignore[no-untyped-def]
        """Refuses oversized requests, sets the CSRF cookie and security headers."""
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > app.state.web.limits.max_request_bytes:
            return error_response(request, 413)
        response = await call_next(request)
        set_csrf_cookie(request, response)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """Renders HTTP errors as Swedish pages (JSON under /api)."""
        return error_response(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        """Answers malformed parameters with 422."""
        return error_response(request, 422, "invalid request parameters")

    @app.exception_handler(RoundUnavailable)
    async def unavailable(request: Request, exc: RoundUnavailable) -> Response:
        """Answers 503 when Temporal is away and SQL cannot stand in."""
        log.warning("Temporal unavailable: %s", exc)
        return error_response(request, 503)

    return app


__all__ = ["HTTPException", "Limits", "WebState", "create_app", "db_session", "web_state"]
