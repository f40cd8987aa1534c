"""ASGI middleware that bounds what one request, and one client, can make the web do."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import unquote_plus

from fastapi import HTTPException
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from arshjul.text import has_control_characters
from arshjul.web.auth.csrf import set_csrf_cookie
from arshjul.web.pages.errors import error_response

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
        """Lets the request through when the client has a free slot; waits or answers 429 if not."""
        if scope["type"] != "http" or scope["path"] in UNLIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        key = client[0] if client else "unknown"
        gate = self._gates.get(key)
        if gate is None:
            gate = self._gates[key] = _Gate(asyncio.Semaphore(self.per_client))
        if gate.users >= self.per_client + self.queue:
            await _refuse(scope, receive, send, 429, "too many requests from this client")
            return
        gate.users += 1
        try:
            async with gate.running:
                await self.app(scope, receive, send)
        finally:
            gate.users -= 1
            if gate.users == 0:
                self._gates.pop(key, None)


class RequestTooLarge(HTTPException):
    """A body over the limit: answered with 413 and the Swedish page, nothing stored."""

    def __init__(self) -> None:
        super().__init__(413, "request body too large")


class BodyLimit:
    """Refuses bodies over the limit, whether declared (Content-Length) or streamed (chunked).

    Multipart bodies (the report form with attachments) may be `multipart` bytes, others
    `other`; a streamed body is cut off the moment it passes the limit.
    """

    def __init__(self, app: ASGIApp, *, multipart: int, other: int) -> None:
        self.app = app
        self.multipart = multipart
        self.other = other

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Passes the request on with its body counted; over the limit answers 413."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        is_multipart = headers.get("content-type", "").startswith("multipart/form-data")
        limit = self.multipart if is_multipart else self.other
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _refuse(scope, receive, send, 413, "request body too large")
            return
        if declared is None and not is_multipart:
            # A streamed form or JSON body is read whole before the app sees it (parsers hold
            # it in memory anyway): over the limit it is a 413, not a parser's 400 for the first
            # field that grew past its own cap.
            body = await _read_within(receive, limit)
            if body is None:
                await _refuse(scope, receive, send, 413, "request body too large")
                return
            receive = _replay(body, receive)
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise RequestTooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except RequestTooLarge:
            if started:
                raise
            await _refuse(scope, receive, send, 413, "request body too large")


async def _read_within(receive: Receive, limit: int) -> bytes | None:
    """Reads a request body to its end; None as soon as it passes `limit` bytes."""
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(parts)  # the client left: the app sees what came
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        parts.append(chunk)
        if not message.get("more_body", False):
            return b"".join(parts)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that gives the body read already once, then waits on the real one."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
    response = error_response(Request(scope, receive), status, detail)
    await response(scope, receive, send)


class PlainTarget:
    """Answers 400 to a path or query with control characters (a NUL in a round's id would
    reach PostgreSQL, which refuses it), before any route sees it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Passes the request on unless its path or query holds a control character."""
        if scope["type"] == "http":
            query = unquote_plus(scope.get("query_string", b"").decode("latin-1"))
            if has_control_characters(scope["path"]) or has_control_characters(query):
                await _refuse(scope, receive, send, 400, "control characters in the address")
                return
        await self.app(scope, receive, send)


SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)


class CookiesAndHeaders:
    """Adds the CSRF cookie (when the page created one) and the security headers to answers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Passes the request on and adds the cookie and headers to its answer."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                cookie = Response()
                set_csrf_cookie(Request(scope), cookie)
                for key, value in cookie.raw_headers:
                    if key == b"set-cookie":
                        headers.append("set-cookie", value.decode("latin-1"))
                for key, value in SECURITY_HEADERS:
                    if key.decode() not in headers:
                        headers[key.decode()] = value.decode()
            await send(message)

        await self.app(scope, receive, send_with_headers)
