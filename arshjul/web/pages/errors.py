"""Error answers: a Swedish page for every HTTP status (JSON under /api), and their handlers."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from arshjul.notifications.render import Contact
from arshjul.web.auth.access import LinkRefused
from arshjul.web.core.inputs import FormInputError, safe_next
from arshjul.web.core.rounds import RoundUnavailable
from arshjul.web.pages.templating import render

log = logging.getLogger(__name__)

ERROR_PAGES: dict[int, tuple[str, str]] = {
    400: ("Felaktig begäran", "Sidan kunde inte visas eftersom begäran var felaktig."),
    401: ("Logga in", "Du behöver logga in för att se den här sidan."),
    403: ("Åtkomst nekad", "Du har inte behörighet att göra det här. Inget har ändrats."),
    404: ("Sidan finns inte", "Sidan du sökte finns inte. Kontrollera adressen."),
    405: ("Metoden stöds inte", "Den här sidan kan inte användas på det sättet."),
    409: ("Det gick inte", "Åtgärden krockade med en annan ändring. Ladda om sidan."),
    410: ("Länken har gått ut", "Länken gäller inte längre. Be om en ny länk."),
    413: ("För stor fil", "Filen eller formuläret är för stort. Inget har sparats."),
    422: ("Felaktiga uppgifter", "Uppgifterna kunde inte tolkas. Inget har ändrats."),
    429: ("För många försök", "Du har gjort för många försök. Vänta en stund och försök igen."),
    503: ("Tjänsten är inte tillgänglig", "Tjänsten svarar inte just nu. Försök igen om en stund."),
}


class ApiError(BaseModel):
    """An error answer in JSON: the Swedish title and sentence, and an English detail."""

    error: str
    message: str
    detail: str | None = None


# Documented on every operation of the OpenAPI (the API and the feeds), so that the contract
# names each answer a client can get: JSON under /api, a Swedish page elsewhere.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "model": ApiError,
        "description": ERROR_PAGES[status][0],
        "content": {"text/html": {"schema": {"type": "string"}}},
    }
    for status in (400, 401, 403, 404, 413, 422, 429, 503)
}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


def page_contact(request: Request) -> Contact | None:
    """Returns the person the mails name for questions, from the configuration the app serves.

    The configuration's contact role, its first person (the order the store syncs, which the
    mails read); None when there is none or the configuration cannot be read.
    """
    try:
        config = request.app.state.web.config
        role_id = config.contact_role_id()
        role = next((r for r in config.roles if r.id == role_id), None)
    except Exception:  # noqa: BLE001 - an error page must render even when the configuration is broken
        return None
    if role is None or not role.people:
        return None
    person = role.people[0]
    return Contact(name=person.name, title=role.title, email=person.email)


def _going_to(path: str, query: str) -> str:
    # A login page's own target is where the person was going; any other page is itself.
    if path == "/login" or path.startswith("/login/"):
        return safe_next(parse_qs(query).get("next", ["/"])[0])
    return safe_next(path + (f"?{query}" if query else ""))


def login_next(request: Request) -> str:
    """Returns where logging in from an error page leads: where the person was going."""
    if request.method in ("GET", "HEAD"):
        return _going_to(request.url.path, request.url.query)
    # A refused form: back to the page the form was on, when that page is this site's.
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.url.netloc:
        return "/"
    return _going_to(referer.path, referer.query)


def error_response(
    request: Request,
    status: int,
    detail: str | None = None,
    *,
    text: str | None = None,
    title: str | None = None,
    next: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Renders a Swedish error page (or JSON under /api) for an HTTP status.

    `text` (and `title`) replace the status's standard words when the page has something better
    to say; `next` is where the page's login link leads (else where the person was going).
    """
    standard_title, standard = ERROR_PAGES.get(
        status, ("Något gick fel", "Ett oväntat fel inträffade.")
    )
    title, text = title or standard_title, text or standard
    if _wants_json(request):
        body = ApiError(error=title, message=text, detail=detail).model_dump()
        return JSONResponse(body, status, headers=headers)
    if status == 401 and request.method == "GET":
        return RedirectResponse(f"/login?next={quote(request.url.path)}", 303)
    response = render(
        request,
        "error.html",
        status,
        title=title,
        text=text,
        status=status,
        login_next=safe_next(next) if next else login_next(request),
        contact=page_contact(request),
    )
    response.headers.update(headers or {})
    return response


def install_error_handlers(app: FastAPI) -> None:
    """Answers HTTP errors, malformed parameters and an absent Temporal with the pages above."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """Renders HTTP errors as Swedish pages (JSON under /api)."""
        # 405 carries its Allow header, 401 may carry WWW-Authenticate: pass them on.
        if isinstance(exc, LinkRefused):
            return error_response(
                request,
                exc.status_code,
                str(exc.detail),
                text=exc.text,
                title=exc.title,
                next=exc.login_next,
                headers=exc.headers,
            )
        return error_response(request, exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        """Answers malformed parameters with 422."""
        return error_response(request, 422, "invalid request parameters")

    @app.exception_handler(FormInputError)
    async def form_input_error(request: Request, exc: FormInputError) -> Response:
        """Answers a form refused as a whole (e.g. a control character) with 400 and why."""
        return error_response(request, 400, "form refused", text=exc.message_sv)

    @app.exception_handler(RoundUnavailable)
    async def unavailable(request: Request, exc: RoundUnavailable) -> Response:
        """Answers 503 when Temporal is away and SQL cannot stand in."""
        log.warning("Temporal unavailable: %s", exc)
        return error_response(request, 503)
