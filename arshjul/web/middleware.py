"""ASGI middleware that bounds what one client can make the web do at once."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

# Health probes must answer even while one client floods the web.
UNLIMITED_PATHS = frozenset({"/healthz", "/readyz"})


@dataclass
class _Gate:
    running: asyncio.Semaphore
    users: int = 0  # running and waiting


class ClientLimit:
    """At most `per_client` requests of one client address run at once; the next ones wait their
    turn, and a client with `queue` requests already waiting gets 429 at once.

    Behind a proxy the address is the forwarded one (uvicorn's proxy headers), so one noisy
    client slows itself down, not the people beside it.
    """

    def __init__(self, app: ASGIApp, *, per_client: int, queue: int) -> None:
        self.app = app
        self.per_client = per_client
        self.queue = queue
        self._gates: dict[str, _Gate] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNLIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        key = client[0] if client else "unknown"
        gate = self._gates.get(key)
        if gate is None:
            gate = self._gates[key] = _Gate(asyncio.Semaphore(self.per_client))
        if gate.users >= self.per_client + self.queue:
            await _too_many(scope, receive, send)
            return
        gate.users += 1
        try:
            async with gate.running:
                await self.app(scope, receive, send)
        finally:
            gate.users -= 1
            if gate.users == 0:
                self._gates.pop(key, None)


async def _too_many(scope: Scope, receive: Receive, send: Send) -> None:
    from arshjul.web.errors import error_response

    response = error_response(Request(scope, receive), 429, "too many requests from this client")
    await response(scope, receive, send)
