"""Sign-in through the municipality's OpenID Connect provider (Entra ID, Keycloak, an eID broker).

Authorization-code flow with PKCE (S256) through Authlib: the ID token's signature (the
provider's JWKS), issuer, audience, expiry and nonce are checked before anyone is let in.
Logging out ends the arshjul session and then the provider's (RP-initiated logout).
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
from authlib.integrations.starlette_client import OAuth, OAuthError
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.middleware.sessions import SessionMiddleware

from arshjul.privacy import pseudonym
from arshjul.settings import Settings
from arshjul.web.auth.idp import claim_values, identity, role_claim, user_for_values
from arshjul.web.auth.sessions import sign_in
from arshjul.web.core.inputs import safe_next
from arshjul.web.pages.templating import render

# Authlib talks to the IdP through httpx (or its successor httpx2 when installed).
try:
    import httpx2

    NETWORK_ERRORS: tuple[type[Exception], ...] = (httpx.HTTPError, httpx2.HTTPError, OSError)
except ImportError:
    NETWORK_ERRORS = (httpx.HTTPError, OSError)

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
CALLBACK = "/oidc/callback"
FLOW_COOKIE = "arshjul_oidc"  # state, nonce and PKCE verifier while the person is at the IdP
FLOW_SECONDS = 600
TIMEOUT_SECONDS = 10.0


def config_key(request: Request) -> str:
    """The app's secret, which keys the log's pseudonyms."""
    return str(request.app.state.web.settings.secret_key)


def enabled(settings: Settings) -> bool:
    """Tells whether sign-in through an OpenID Connect provider is configured."""
    return bool(settings.oidc_issuer and settings.oidc_client_id)


class IdentityProvider:
    """The registered OpenID Connect client (its metadata is fetched on first use)."""

    def __init__(self, settings: Settings) -> None:
        issuer = (settings.oidc_issuer or "").rstrip("/")
        self.settings = settings
        self.oauth = OAuth()
        self.client: Any = self.oauth.register(
            name="idp",
            server_metadata_url=f"{issuer}/.well-known/openid-configuration",
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret,
            client_kwargs={
                "scope": settings.oidc_scopes,
                "code_challenge_method": "S256",
                "timeout": TIMEOUT_SECONDS,
            },
        )

    def url(self, path: str) -> str:
        """Returns an absolute address of this app (what the IdP redirects back to)."""
        return self.settings.base_url.rstrip("/") + path

    async def end_session_url(self) -> str | None:
        """Returns the provider's logout address for this app, or None when it has none."""
        metadata = await self.client.load_server_metadata()
        endpoint = metadata.get("end_session_endpoint")
        if not endpoint:
            return None
        query = httpx.QueryParams(
            client_id=self.settings.oidc_client_id, post_logout_redirect_uri=self.url("/login")
        )
        return f"{endpoint}?{query}"


def provider(request: Request) -> IdentityProvider | None:
    """Returns the app's identity provider client, or None when sign-in by IdP is off."""
    return getattr(request.app.state, "idp", None)


def _unreachable(request: Request, err: Exception) -> Response:
    log.warning("identity provider unreachable: %s", err)
    return _problem(
        request,
        503,
        "Kommunens inloggning svarar inte",
        "Inloggningstjänsten svarar inte just nu. Försök igen om en stund.",
    )


def _problem(request: Request, status: int, title: str, text: str, **extra: Any) -> Response:
    return render(request, "oidc_problem.html", status, title=title, text=text, **extra)


@router.get("/oidc/login")
async def start(request: Request, next: str | None = None) -> Response:
    """Sends the browser to the municipality's sign-in page."""
    idp = provider(request)
    if idp is None:
        return RedirectResponse("/login", 303)
    request.session.clear()
    request.session["next"] = safe_next(next)
    try:
        return await idp.client.authorize_redirect(request, idp.url(CALLBACK))  # type: ignore[no-any-return]
    except (*NETWORK_ERRORS, OAuthError, ValueError) as err:
        return _unreachable(request, err)


@router.get(CALLBACK)
async def callback(request: Request) -> Response:
    """Checks the ID token and starts the session, or says why the person cannot come in."""
    idp = provider(request)
    if idp is None:
        return RedirectResponse("/login", 303)
    try:
        token = await idp.client.authorize_access_token(request)
    except OAuthError as err:
        log.info("sign-in through the IdP refused: %s %s", err.error, err.description)
        request.session.clear()
        return _problem(
            request,
            400,
            "Inloggningen kunde inte slutföras",
            "Inloggningen avbröts eller kunde inte bekräftas. Inget har ändrats. Försök igen.",
        )
    except NETWORK_ERRORS as err:
        return _unreachable(request, err)
    next_page = str(request.session.get("next") or "/")
    request.session.clear()
    claims = dict(token.get("userinfo") or {})
    config = request.app.state.web.config
    email, name = identity(claims)
    values = claim_values(claims, role_claim(config))
    user = user_for_values(config, email=email, name=name, values=values)
    if user is None:
        who = pseudonym(str(email or claims.get("sub") or ""), config_key(request))
        log.info("signed in at the IdP without a mapped role: %s", who)
        return _problem(
            request,
            403,
            "Du har ingen roll i årshjulet",
            f"Du är inloggad hos kommunen som {name}"
            + (f" ({email})" if email and email != name else "")
            + ", men ditt konto har ingen roll i årshjulet. Be ekonomikontoret eller "
            "IT-avdelningen att ge ditt konto rätt roll (till exempel ekonomichef, ledamot i "
            "ett utskott eller förvaltningschef). Rapporter kan alltid lämnas via länken i "
            "e-posten.",
            end_session=await logout_redirect(request),
        )
    log.info("signed in through the IdP: %s", pseudonym(email or "", config_key(request)))
    response = RedirectResponse(next_page, 303)
    await sign_in(
        request,
        response,
        email=user.email,
        method="oidc",
        idp={"name": user.name, "values": values},
    )
    return response


async def logout_redirect(request: Request) -> str | None:
    """Returns where a logout sends the browser to end the IdP's session too (or None)."""
    idp = provider(request)
    if idp is None:
        return None
    try:
        return await idp.end_session_url()
    except (*NETWORK_ERRORS, OAuthError, ValueError) as err:
        log.warning("identity provider unreachable at logout: %s", err)
        return None


def install(app: FastAPI, settings: Settings) -> None:
    """Adds sign-in through the IdP when it is configured (and the short-lived flow cookie)."""
    if not enabled(settings):
        return
    app.state.idp = IdentityProvider(settings)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=FLOW_COOKIE,
        max_age=FLOW_SECONDS,
        same_site="lax",
        https_only=settings.base_url.startswith("https://"),
    )
    app.include_router(router)
