"""Login by magic link: ask for a link, open it, confirm, get a session; and log out (here or
everywhere). Sessions themselves are auth/sessions.py's, shared with every other login method."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from arshjul.models.rounds import Recipient
from arshjul.notifications import tokens
from arshjul.notifications.sender import SendError
from arshjul.store.access import RateLimitRepository
from arshjul.store.db import utc_now
from arshjul.web.auth.access import link_errors
from arshjul.web.auth.csrf import check_csrf
from arshjul.web.auth.sessions import session_from_idp, sign_in, sign_out, sign_out_everywhere
from arshjul.web.auth.user import lookup_user
from arshjul.web.core.deps import Limits, WebState, web_state
from arshjul.web.core.inputs import CleanText, safe_next
from arshjul.web.core.mail import send_login_link
from arshjul.web.login.oidc import logout_redirect
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
) -> Literal["send", "client", "address"]:
    # The requester is limited first: an attacker's requests count against the attacker, and
    # the person whose address was used can still ask from their own desk.
    rates, now = RateLimitRepository(session), utc_now()
    window = dt.timedelta(seconds=limits.login_window_seconds)
    if not rates.hit(
        key=f"login-client:{client}", now=now, window=window, limit=limits.login_requests_per_client
    ):
        return "client"
    if not rates.hit(
        key=f"login-mail:{address}", now=now, window=window, limit=limits.login_links_per_window
    ):
        return "address"
    return "send"


@router.post("/login", dependencies=[Depends(check_csrf), Depends(require_magic_links)])
async def request_link(
    request: Request,
    email: Annotated[CleanText, Form(max_length=320)] = "",
    next: Annotated[CleanText, Form(max_length=500)] = "/",
    state: WebState = Depends(web_state),
) -> Response:
    """Sends a login link when the address is in the configuration (same answer either way).

    A person's inbox gets at most a few links per quarter hour; beyond that the answer is the
    same but no mail goes out, and the links already sent (valid 30 minutes) still work.
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
    verdict = await state.db(_login_allowed, client, address, state.limits)
    if verdict == "client":
        raise HTTPException(429, "too many login links asked for by this client")
    if user is not None and verdict == "address":
        log.info("login link to %s not sent again: the links sent lately still work", user.email)
    elif user is not None:
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
            log.warning("login link to %s not sent: %s", user.email, err)
            return login_page(
                request,
                503,
                next=safe_next(next),
                error="E-posten kunde inte skickas just nu. Försök igen om en stund.",
            )
    else:
        log.info("login link asked for an unknown address")
    return render(request, "login_sent.html", title="Kolla din e-post")


def _unused_login(session: Session, raw: str, secret_key: str) -> tokens.TokenScope:
    scope = tokens.verify(session, raw, purpose=tokens.PURPOSE_LOGIN, secret_key=secret_key)
    if tokens.is_used(session, scope):
        raise tokens.UsedTokenError("token already used")
    return scope


@router.get("/login/{raw}", dependencies=[Depends(require_magic_links)])
async def confirm_form(
    request: Request, raw: str, next: str | None = None, state: WebState = Depends(web_state)
) -> Response:
    """Shows a button to finish logging in (a GET never uses the link: mail scanners open links).

    A link already used shows no button, only that it has been used (410).
    """
    with link_errors("login"):
        scope = await state.db(_unused_login, raw, state.settings.secret_key)
    user = await lookup_user(state, scope.email or "")
    if user is None:
        raise HTTPException(403, "address no longer in the configuration")
    return render(
        request,
        "login_confirm.html",
        title="Logga in",
        person=user,
        raw=raw,
        next=safe_next(next),
    )


@router.post("/login/{raw}", dependencies=[Depends(check_csrf), Depends(require_magic_links)])
async def confirm(
    request: Request,
    raw: str,
    next: Annotated[CleanText, Form(max_length=500)] = "/",
    state: WebState = Depends(web_state),
) -> Response:
    """Uses the login link once and starts the session."""
    with link_errors("login"):
        scope = await state.db(
            tokens.consume, raw, purpose=tokens.PURPOSE_LOGIN, secret_key=state.settings.secret_key
        )
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
