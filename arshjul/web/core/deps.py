"""What every request shares (settings, limits, store, Temporal) and the dependencies routers use.

The web's one concurrency rule: endpoints are `async def` and never block the event loop.
Database work is a plain function taking a `Session` first, run by `await state.db(fn, ...)`: in
a worker thread, as one transaction, at most `db_pool_size` at a time (the pool holds as many
connections, so a thread never waits for one). Temporal and SMTP are awaited directly, each
call with a timeout. Heavy pure computation (feeds, charts) goes through `anyio.to_thread`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Concatenate, ParamSpec, TypeVar

import anyio
from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.loader import load_config
from arshjul.protocol.seal import Seal
from arshjul.settings import Settings
from arshjul.store.configuration import ConfigSource
from arshjul.store.db import make_engine, make_session_maker, utc_now
from arshjul.web.core.rounds import RoundGateway, RoundUnavailable

log = logging.getLogger(__name__)
RECONNECT_AFTER_SECONDS = 15.0
P = ParamSpec("P")
T = TypeVar("T")


@dataclass
class Limits:
    """What one request may ask for, and how long the web waits for others (sizes in bytes)."""

    max_attachment_bytes: int = 10 * 1024 * 1024
    # Multipart bodies (the report form with its attachments), chunked ones included.
    max_request_bytes: int = 25 * 1024 * 1024
    # Every other body: login, decisions, extensions are a few hundred bytes.
    max_form_bytes: int = 4 * 1024 * 1024
    # Requests of one client (address) handled at once; more wait, beyond the queue get 429.
    requests_per_client: int = 8
    queued_per_client: int = 200
    # Login links: mails per address (more requests are answered but send nothing, the links
    # already sent stay valid) and requests per client, within the window.
    login_links_per_window: int = 3
    login_requests_per_client: int = 20
    login_window_seconds: float = 900.0
    session_idle_seconds: float = 2 * 3600.0
    session_absolute_seconds: float = 12 * 3600.0
    temporal_timeout_seconds: float = 10.0
    # After Temporal accepted an update, how long a page waits for its side effects (mail, §).
    update_settle_seconds: float = 5.0
    readiness_seconds: float = 3.0


@dataclass
class WebState:
    """What every request needs, built once per app (the Temporal client on first use)."""

    settings: Settings
    limits: Limits
    _config: ArshjulConfig | None = None  # given by the caller: used while the store has none
    _config_source: ConfigSource | None = None
    _session_maker: sessionmaker[Session] | None = None
    _client: Client | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _failed_at: float = float("-inf")
    # Rendered feeds by (kind, id, year, time of the data's last change).
    feed_cache: dict[tuple[str | int, ...], bytes] = field(default_factory=dict)
    # The wall clock (aware UTC) every page counts "today" from; a test moves it by passing its own.
    clock: Callable[[], dt.datetime] = utc_now
    # The kommun's seal for protocols' archive copies (None: they are stored unsigned).
    seal: Seal | None = None
    db_limiter: anyio.CapacityLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.db_limiter = anyio.CapacityLimiter(self.settings.db_pool_size)

    @property
    def config(self) -> ArshjulConfig:
        """Returns the årshjul configuration: the store's newest version, else the one given to
        the app, else ARSHJUL_CONFIG's file."""
        return self.config_source()

    @property
    def config_source(self) -> ConfigSource:
        """Returns where the configuration comes from (the store, read again every few seconds)."""
        if self._config_source is None:
            self._config_source = ConfigSource(self.session_maker, self._given_config)
        return self._config_source

    def _given_config(self) -> ArshjulConfig:
        if self._config is None:
            self._config = load_config(self.settings.arshjul_config)
        return self._config

    @property
    def session_maker(self) -> sessionmaker[Session]:
        """Returns the session factory (engine built from DATABASE_URL on first use)."""
        if self._session_maker is None:
            engine = make_engine(self.settings.database_url, pool_size=self.settings.db_pool_size)
            self._session_maker = make_session_maker(engine)
        return self._session_maker

    async def db(
        self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Runs `fn(session, ...)` in a worker thread as one transaction and returns its result.

        Committed when `fn` returns, rolled back when it raises. A cancelled request still lets
        the transaction finish, so nothing is left half-written.
        """
        call = functools.partial(self._in_transaction, fn, *args, **kwargs)
        return await anyio.to_thread.run_sync(call, limiter=self.db_limiter)

    def _in_transaction(
        self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        with self.session_maker() as session:
            result = fn(session, *args, **kwargs)
            session.commit()
            return result

    async def gateway(self) -> RoundGateway:
        """Returns the round gateway, connecting to Temporal on first use."""
        return RoundGateway(
            await self.temporal_client(),
            self.limits.temporal_timeout_seconds,
            settle=self.limits.update_settle_seconds,
        )

    async def temporal_client(self) -> Client:
        """Returns the Temporal client, connecting on first use (RoundUnavailable when away)."""
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
        return self._client


async def web_state(request: Request) -> WebState:
    """FastAPI dependency: the app's shared state (async: a sync one would cost a thread hop)."""
    return request.app.state.web
