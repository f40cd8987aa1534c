"""Login sessions: the one API every way of logging in uses (magic link today, OpenID Connect and
the förvaltningschef's link next).

A login method that has proved who the person is calls `sign_in`; each request finds its
session through `session_email` (the app-wide dependency `auth.resolve_user` does); `sign_out`
and `sign_out_everywhere` end one or all of a person's sessions. The cookie holds a random token
and the store its hash, when it began and was last used, and whether it was revoked: a copied
cookie dies with logout, after the idle time and at the absolute limit, on every web process.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Request, Response
from sqlalchemy.orm import Session

from arshjul.store.access import WebSessionRepository
from arshjul.store.db import utc_now
from arshjul.web.core.deps import WebState

SESSION_COOKIE = "arshjul_session"
_UNSET = object()


def secure_cookies(request: Request) -> bool:
    """Tells whether cookies must be Secure: the site is served over https."""
    return request.app.state.web.settings.base_url.startswith("https://")


def _create(
    session: Session,
    email: str,
    method: str,
    absolute: dt.timedelta,
    idp: dict[str, Any] | None,
) -> str:
    repo = WebSessionRepository(session)
    now = utc_now()
    repo.prune(before=now - absolute)
    return repo.create(email=email, method=method, now=now, idp=idp)


async def sign_in(
    request: Request,
    response: Response,
    *,
    email: str,
    method: str,
    idp: dict[str, Any] | None = None,
) -> None:
    """Starts a session for a person the login method has verified, and sets its cookie.

    `method` names how they proved it ("magic_link", "oidc", …); it is kept with the session.
    `idp` ({"name": …, "values": [claim values]}) is what the municipality's IdP said of the
    person: their roles then come from those values, not from their address.
    """
    state: WebState = request.app.state.web
    absolute = dt.timedelta(seconds=state.limits.session_absolute_seconds)
    raw = await state.db(_create, email, method, absolute, idp)
    response.set_cookie(
        SESSION_COOKIE,
        raw,
        max_age=int(absolute.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
        path="/",
    )
    request.state.session_email = email.strip().lower()
    request.state.session_idp = idp


def _verify(
    session: Session, raw: str, idle: dt.timedelta, absolute: dt.timedelta
) -> tuple[str, dict[str, Any] | None] | None:
    row = WebSessionRepository(session).verify(raw, now=utc_now(), idle=idle, absolute=absolute)
    return (row.email, row.idp) if row is not None else None


async def session_email(request: Request) -> str | None:
    """Returns the address of this request's live session, or None (checked once per request)."""
    known = getattr(request.state, "session_email", _UNSET)
    if known is not _UNSET:
        return known  # type: ignore[return-value]
    raw = request.cookies.get(SESSION_COOKIE)
    found = None
    if raw:
        state: WebState = request.app.state.web
        idle = dt.timedelta(seconds=state.limits.session_idle_seconds)
        absolute = dt.timedelta(seconds=state.limits.session_absolute_seconds)
        found = await state.db(_verify, raw, idle, absolute)
    request.state.session_email, request.state.session_idp = found or (None, None)
    return request.state.session_email  # type: ignore[no-any-return]


async def session_idp(request: Request) -> dict[str, Any] | None:
    """Returns what the IdP said of this session's person, or None (a magic-link session)."""
    if await session_email(request) is None:
        return None
    return getattr(request.state, "session_idp", None)


async def session_from_idp(request: Request) -> bool:
    """Tells whether this browser's live session began at the municipality's IdP."""
    return await session_idp(request) is not None


def _revoke(session: Session, raw: str) -> None:
    WebSessionRepository(session).revoke(raw, now=utc_now())


def _revoke_all(session: Session, email: str) -> int:
    return WebSessionRepository(session).revoke_all(email=email, now=utc_now())


async def sign_out(request: Request, response: Response) -> None:
    """Ends this browser's session (the cookie is dead on every process, even if copied)."""
    raw = request.cookies.get(SESSION_COOKIE)
    if raw:
        await request.app.state.web.db(_revoke, raw)
    response.delete_cookie(SESSION_COOKIE, path="/")


async def sign_out_everywhere(request: Request, response: Response) -> int:
    """Ends every session of this browser's person ("logga ut överallt"); returns how many."""
    email = await session_email(request)
    ended = await request.app.state.web.db(_revoke_all, email) if email else 0
    response.delete_cookie(SESSION_COOKIE, path="/")
    return int(ended)
