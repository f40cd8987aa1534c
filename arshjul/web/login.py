"""Login by magic link: ask for a link, open it, confirm, get a session; and log out."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from arshjul.models.rounds import Recipient
from arshjul.notifications import tokens
from arshjul.notifications.sender import SendError
from arshjul.web.auth import (
    check_csrf,
    clear_session,
    link_errors,
    set_session,
    user_for_email,
)
from arshjul.web.deps import WebState, web_state
from arshjul.web.inputs import CleanText
from arshjul.web.mail import send_login_link
from arshjul.web.templating import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
LOGIN_TTL = dt.timedelta(minutes=30)


def safe_next(value: str | None) -> str:
    """Keeps a redirect target on this site (a path, never another host)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


@router.get("/login")
async def login_form(request: Request, next: str | None = None) -> Response:
    """Shows the form that asks for an address to send a login link to."""
    return render(request, "login.html", title="Logga in", next=safe_next(next))


@router.post("/login", dependencies=[Depends(check_csrf)])
async def request_link(
    request: Request,
    email: Annotated[CleanText, Form(max_length=320)] = "",
    next: Annotated[CleanText, Form(max_length=500)] = "/",
    state: WebState = Depends(web_state),
) -> Response:
    """Sends a login link when the address is in the configuration (same answer either way)."""
    address = email.strip().lower()
    if not address or "@" not in address:
        return render(
            request,
            "login.html",
            400,
            title="Logga in",
            next=safe_next(next),
            email=email,
            error="Ange din e-postadress, till exempel namn@kommun.se.",
        )
    client = request.client.host if request.client else "unknown"
    if not (state.login_limiter.hit(f"ip:{client}") and state.login_limiter.hit(f"to:{address}")):
        raise HTTPException(429, "too many login links")
    user = user_for_email(state.config, address)
    if user is not None:
        raw = await state.db(
            tokens.issue,
            purpose=tokens.PURPOSE_LOGIN,
            ttl=LOGIN_TTL,
            email=user.email,
            secret_key=state.settings.secret_key,
        )
        link = f"{state.settings.base_url.rstrip('/')}/login/{raw}?next={safe_next(next)}"
        try:
            await send_login_link(
                state.settings,
                to=Recipient(name=user.name, email=user.email),
                link=link,
                org_name=state.config.organisation.name,
            )
        except SendError as err:
            log.warning("login link to %s not sent: %s", user.email, err)
            return render(
                request,
                "login.html",
                503,
                title="Logga in",
                next=safe_next(next),
                error="E-posten kunde inte skickas just nu. Försök igen om en stund.",
            )
    else:
        log.info("login link asked for an unknown address")
    return render(request, "login_sent.html", title="Kolla din e-post")


@router.get("/login/{raw}")
async def confirm_form(
    request: Request, raw: str, next: str | None = None, state: WebState = Depends(web_state)
) -> Response:
    """Shows a button to finish logging in (a GET never uses the link: mail scanners open links)."""
    with link_errors("login"):
        scope = await state.db(
            tokens.verify, raw, purpose=tokens.PURPOSE_LOGIN, secret_key=state.settings.secret_key
        )
    user = user_for_email(state.config, scope.email or "")
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


@router.post("/login/{raw}", dependencies=[Depends(check_csrf)])
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
    user = user_for_email(state.config, scope.email or "")
    if user is None:
        raise HTTPException(403, "address no longer in the configuration")
    response = RedirectResponse(safe_next(next), 303)
    set_session(response, request, user.email)
    return response


@router.post("/logout", dependencies=[Depends(check_csrf)])
async def logout() -> Response:
    """Ends the session."""
    response = RedirectResponse("/login", 303)
    clear_session(response)
    return response
