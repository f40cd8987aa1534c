"""The FastAPI application, assembled: state, routers, middleware, error pages, lifespan.

What requests share and the dependencies routers use live in `arshjul.web.core.deps`; how the web
stays responsive (no blocking call on the event loop) is written there and in the README.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable

from fastapi import Depends, FastAPI
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client

from arshjul.calendar.config import ArshjulConfig
from arshjul.protocol.seal import configured_seal
from arshjul.settings import Settings, get_settings
from arshjul.store.repositories import sync_config
from arshjul.web import devmail, feeds, ledger
from arshjul.web.anslagstavla import board as anslagstavla
from arshjul.web.api import docs as api_docs
from arshjul.web.api import routes as api
from arshjul.web.auth.current import resolve_user
from arshjul.web.committees import agenda, delegation, handlingar, meeting, proceedings
from arshjul.web.configuration import committees as configuration_committees
from arshjul.web.configuration import editor as configuration_editor
from arshjul.web.configuration import flow as configuration_flow
from arshjul.web.configuration import units as configuration_units
from arshjul.web.configuration import versions as configuration_versions
from arshjul.web.core.deps import Limits, WebState
from arshjul.web.login import links as login
from arshjul.web.login import oidc
from arshjul.web.middleware import BodyLimit, ClientLimit, CookiesAndHeaders, PlainTarget
from arshjul.web.motions import pages as motions
from arshjul.web.ops import health, metrics
from arshjul.web.overview import actions as overview_actions
from arshjul.web.overview import export, sammanstallning, units
from arshjul.web.overview import page as overview
from arshjul.web.pages.errors import install_error_handlers
from arshjul.web.submission import form as submission
from arshjul.web.submission.redelivery import redelivery_loop

log = logging.getLogger(__name__)


async def _sync_people(state: WebState) -> None:
    # People, units and roles in SQL follow the configuration the app serves; a store that is
    # not migrated yet must not keep the pages from answering.
    try:
        await state.db(sync_config, state.config)
    except SQLAlchemyError as err:
        log.warning("could not sync people from the configuration into the database: %s", err)


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Loads (and syncs) the configuration at start and resends pending submissions in the
    # background; ASGI test transports skip the lifespan, so tests start the loop themselves.
    state: WebState = app.state.web
    try:
        await _sync_people(state)
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


def create_app(
    settings: Settings | None = None,
    *,
    temporal_client: Client | None = None,
    session_maker: sessionmaker[Session] | None = None,
    config: ArshjulConfig | None = None,
    limits: Limits | None = None,
    clock: Callable[[], dt.datetime] | None = None,
) -> FastAPI:
    """Builds the web app; what is not given is built from the settings on first use.

    Raises SealError when the configured signing certificate cannot be used.
    """
    settings = settings or get_settings()
    limits = limits or Limits()
    app = FastAPI(
        title="arshjul",
        description="Årshjul: rapportomgångar, inlämningar, beslut och kalender.",
        version="0.2.0",
        docs_url=None,  # arshjul.web.api.docs: rendered here, nothing loaded from a CDN
        openapi_url="/api/openapi.json",
        redoc_url=None,
        lifespan=_lifespan,
        # Every route knows its person (pages show who is logged in); one lookup per request.
        dependencies=[Depends(resolve_user)],
    )
    app.state.web = WebState(
        settings=settings,
        limits=limits,
        _config=config,
        _session_maker=session_maker,
        _client=temporal_client,
        seal=configured_seal(settings.seal_source()),
    )
    if clock is not None:  # tests move "today" of every page with it
        app.state.web.clock = clock
    for module in (
        health,
        login,
        submission,
        overview,
        overview_actions,
        export,
        units,
        feeds,
        api,
        api_docs,
    ):
        app.include_router(module.router)
    app.include_router(feeds.page)
    if settings.dev_maildir is not None:
        app.include_router(devmail.router)
    for module in (
        sammanstallning,
        meeting,
        delegation,
        handlingar,
        proceedings,
        motions,
        ledger,
        anslagstavla,
    ):
        app.include_router(module.router)
    for module in (
        configuration_versions,
        configuration_flow,
        configuration_committees,
        configuration_editor,
        configuration_units,
    ):
        app.include_router(module.router)
    oidc.install(app, settings)  # sign-in through the municipality's IdP, when configured
    api_docs.install(app)  # the OpenAPI document in Swedish, as /api/docs shows it
    app.include_router(metrics.router)
    # Last: `/{committee_id}` must not shadow the fixed paths above.
    app.include_router(agenda.router)

    app.add_middleware(CookiesAndHeaders)
    app.add_middleware(PlainTarget)
    app.add_middleware(BodyLimit, multipart=limits.max_request_bytes, other=limits.max_form_bytes)
    metrics.install(app)  # times every answer, inside the client limit
    # Outermost: a client's surplus requests wait here before they cost anything.
    app.add_middleware(
        ClientLimit, per_client=limits.requests_per_client, queue=limits.queued_per_client
    )
    install_error_handlers(app)
    return app


__all__ = ["create_app"]
