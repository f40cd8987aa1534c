"""Login by magic link: ask for a link, open it, confirm, get a session; and log out (here or
everywhere). Sessions themselves are auth/sessions.py's, shared with every other login method."""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Literal
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from arshjul.models.rounds import Recipient
from arshjul.notifications import tokens
from arshjul.notifications.sender import SendError
from arshjul.privacy import pseudonym
from arshjul.store.access import RateLimitRepository
from arshjul.store.db import utc_now
from arshjul.web.auth.access import link_errors
from arshjul.web.auth.csrf import check_csrf
from arshjul.web.auth.current import optional_user
from arshjul.web.auth.sessions import session_from_idp, sign_in, sign_out, sign_out_everywhere
from arshjul.web.auth.user import lookup_user
from arshjul.web.core.deps import Limits, WebState, web_state
from arshjul.web.core.inputs import CleanText, safe_next
from arshjul.web.core.mail import send_login_link
from arshjul.web.login.oidc import logout_redirect
from arshjul.web.pages.errors import page_contact
from arshjul.web.pages.templating import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
LOGIN_TTL = dt.timedelta(minutes=30)


def magic_links(request: Request) -> bool:
    """Tells whether login links by mail are on (a municipality on its IdP may turn them off)."""
    sign_in = request.app.state.web.config.sign_in
    return sign_in is None or sign_in.magic_links


def require_magic_links(request: Request) -> None:
    """Refuses (403) login by mailed link when the configuration has turned it off."""
    if not magic_links(request):
        raise HTTPException(403, "login links are switched off; sign in through the IdP")


def login_page(request: Request, status: int = 200, **context: Any) -> Response:
    """Renders the login page: the IdP's button and/or the form for a login link."""
    return render(
        request,
        "login.html",
        status,
        title="Logga in",
        idp=getattr(request.app.state, "idp", None) is not None,
        magic_links=magic_links(request),
        **context,
    )


@router.get("/login")
async def login_form(request: Request, next: str | None = None) -> Response:
    """Shows the form that asks for an address to send a login link to."""
    return login_page(request, next=safe_next(next))


def _login_allowed(
    session: Session, client: str, address: str, limits: Limits
) -> tuple[Literal["send", "client", "address"], dt.datetime]:
    # The requester is limited first: an attacker's requests count against the attacker, and
    # the person whose address was used can still ask from their own desk. Every address is
    # counted, known or not, so that the limit's answer tells nothing about who is known.
    rates, now = RateLimitRepository(session), utc_now()
    window = dt.timedelta(seconds=limits.login_window_seconds)
    checks: list[tuple[Literal["client", "address"], str, int]] = [
        ("client", f"login-client:{client}", limits.login_requests_per_client),
        ("address", f"login-mail:{address}", limits.login_links_per_window),
    ]
    for verdict, key, limit in checks:
        if not rates.hit(key=key, now=now, window=window, limit=limit):
            return verdict, rates.free_at(key=key, now=now, window=window)
    return "send", now


def _limit_page(
    request: Request, state: WebState, verdict: str, free_at: dt.datetime, next: str
) -> Response:
    # Says when a new link can be asked for (the minute rounded up, so it is true when read),
    # and the same words for an unknown address as for a known one.
    local = free_at.astimezone(ZoneInfo(state.config.organisation.timezone))
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    wait = max(1, math.ceil((free_at - utc_now()).total_seconds()))
    response = render(
        request,
        "login_limit.html",
        429,
        title="För många försök",
        at=f"{local:%H.%M}",
        by_address=verdict == "address",
        links=state.limits.login_links_per_window,
        minutes=round(state.limits.login_window_seconds / 60),
        next=next,
        contact=page_contact(request),
    )
    response.headers["Retry-After"] = str(wait)
    return response


@router.post("/login", dependencies=[Depends(check_csrf), Depends(require_magic_links)])
async def request_link(
    request: Request,
    email: Annotated[CleanText, Form(max_length=320)] = "",
    next: Annotated[CleanText, Form(max_length=500)] = "/",
    state: WebState = Depends(web_state),
) -> Response:
    """Sends a login link when the address is in the configuration (same answer either way).

    A person's inbox gets at most a few links per quarter hour; beyond that the page says the
    limit is reached and when to ask again (429), for a known and an unknown address alike,
    and the links already sent (valid 30 minutes) still work.
    """
    address = email.strip().lower()
    if not address or "@" not in address:
        return login_page(
            request,
            400,
            next=safe_next(next),
            email=email,
            error="Ange din e-postadress, till exempel namn@kommun.se.",
        )
    client = request.client.host if request.client else "unknown"
    user = await lookup_user(state, address)
    verdict, free_at = await state.db(_login_allowed, client, address, state.limits)
    if verdict != "send":
        if user is not None:
            log.info(
                "login link to %s not sent: %s limit reached",
                pseudonym(user.email, state.settings.secret_key),
                verdict,
            )
        return _limit_page(request, state, verdict, free_at, safe_next(next))
    if user is not None:
        raw = await state.db(
            tokens.issue_for_login,
            email=user.email,
            ttl=LOGIN_TTL,
            secret_key=state.settings.secret_key,
        )
        target = quote(safe_next(next), safe="/?=&")
        link = f"{tokens.login_url(state.settings.base_url, raw)}?next={target}"
        try:
            await send_login_link(state, to=Recipient(name=user.name, email=user.email), link=link)
        except SendError as err:
            log.warning(
                "login link to %s not sent: %s",
                pseudonym(user.email, state.settings.secret_key),
                err,
            )
            return login_page(
                request,
                503,
                next=safe_next(next),
                error="E-posten kunde inte skickas just nu. Försök igen om en stund.",
            )
    else:
        log.info("login link asked for an unknown address")
    return render(request, "login_sent.html", title="Kolla din e-post")


def _login_link(session: Session, raw: str, secret_key: str) -> tuple[tokens.TokenScope, bool]:
    scope = tokens.verify(session, raw, purpose=tokens.PURPOSE_LOGIN, secret_key=secret_key)
    return scope, tokens.is_used(session, scope)


def _signed_in_as(request: Request, scope: tokens.TokenScope) -> bool:
    # A used link opened again by the person it was for, already logged in: they simply go on.
    user = optional_user(request)
    return user is not None and user.email == (scope.email or "").lower()


@router.get("/login/{raw}", dependencies=[Depends(require_magic_links)])
async def confirm_form(
    request: Request, raw: str, next: str | None = None, state: WebState = Depends(web_state)
) -> Response:
    """Shows a button to finish logging in (a GET never uses the link: mail scanners open links).

    A link already used shows no button, only that it has been used (410), unless its person is
    logged in here already: then they go on to where the link leads.
    """
    target = safe_next(next)
    with link_errors("login", target):
        scope, used = await state.db(_login_link, raw, state.settings.secret_key)
        if used and _signed_in_as(request, scope):
            return RedirectResponse(target, 303)
        if used:
            raise tokens.UsedTokenError("token already used")
    user = await lookup_user(state, scope.email or "")
    if user is None:
        raise HTTPException(403, "address no longer in the configuration")
    return render(
        request,
        "login_confirm.html",
        title="Logga in",
        person=user,
        raw=raw,
        next=target,
    )


@router.post("/login/{raw}", dependencies=[Depends(check_csrf), Depends(require_magic_links)])
async def confirm(
    request: Request,
    raw: str,
    next: Annotated[CleanText, Form(max_length=500)] = "/",
    state: WebState = Depends(web_state),
) -> Response:
    """Uses the login link once and starts the session (a second use by the person already
    logged in with it goes on instead)."""
    with link_errors("login", safe_next(next)):
        try:
            scope = await state.db(
                tokens.consume,
                raw,
                purpose=tokens.PURPOSE_LOGIN,
                secret_key=state.settings.secret_key,
            )
        except tokens.UsedTokenError:
            scope, _ = await state.db(_login_link, raw, state.settings.secret_key)
            if not _signed_in_as(request, scope):
                raise
            return RedirectResponse(safe_next(next), 303)
    user = await lookup_user(state, scope.email or "")
    if user is None:
        raise HTTPException(403, "address no longer in the configuration")
    response = RedirectResponse(safe_next(next), 303)
    await sign_in(request, response, email=user.email, method="magic_link")
    return response


async def _signed_out(
    request: Request, end: Callable[[Request, Response], Awaitable[Any]]
) -> Response:
    # On to the IdP's logout when the session came from there (it ends its own), else the login.
    target = await logout_redirect(request) if await session_from_idp(request) else None
    response = RedirectResponse(target or "/login", 303)
    await end(request, response)
    return response


@router.post("/logout", dependencies=[Depends(check_csrf)])
async def logout(request: Request) -> Response:
    """Ends this browser's session; one from the municipality's IdP ends there too."""
    return await _signed_out(request, sign_out)


@router.post("/logout/everywhere", dependencies=[Depends(check_csrf)])
async def logout_everywhere(request: Request) -> Response:
    """Ends every session of the person, on every device ("Logga ut överallt"), and the IdP's."""
    return await _signed_out(request, sign_out_everywhere)
