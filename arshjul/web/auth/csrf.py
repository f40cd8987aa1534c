"""CSRF: a random seed in an HttpOnly cookie; every form carries an HMAC of it."""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request, Response

from arshjul.web.auth.sessions import secure_cookies
from arshjul.web.core.formdata import MAX_FIELDS, MAX_FILES, cleans_itself
from arshjul.web.core.inputs import read_form, refuse_control_characters

CSRF_COOKIE = "arshjul_csrf"


def _csrf_seed(request: Request) -> str:
    seed = getattr(request.state, "csrf_seed", None) or request.cookies.get(CSRF_COOKIE)
    if not seed or len(seed) > 100:
        seed = secrets.token_urlsafe(24)
        request.state.new_csrf_seed = seed
    request.state.csrf_seed = seed
    return seed


def _csrf_for(request: Request, seed: str) -> str:
    key = request.app.state.web.settings.secret_key.encode()
    return hmac.new(key, f"csrf:{seed}".encode(), "sha256").hexdigest()


def csrf_token(request: Request) -> str:
    """Returns the CSRF token for this browser's forms (creating its cookie when missing)."""
    return _csrf_for(request, _csrf_seed(request))


def set_csrf_cookie(request: Request, response: Response) -> None:
    """Sets the CSRF seed cookie when this request created one (called by the app's middleware)."""
    seed = getattr(request.state, "new_csrf_seed", None)
    if seed:
        response.set_cookie(
            CSRF_COOKIE,
            seed,
            httponly=True,
            samesite="lax",
            secure=secure_cookies(request),
            path="/",
        )


async def check_csrf(request: Request) -> None:
    """FastAPI dependency for every form POST: refuses (403) a missing or wrong CSRF token.

    The form is parsed here, within the caps of the largest form (the report's), and refused
    (400, Swedish) when a field holds a control character: this is every form's one reader.
    """
    form = await read_form(request, max_fields=MAX_FIELDS, max_files=MAX_FILES)
    sent = str(form.get("csrf", ""))
    seed = request.cookies.get(CSRF_COOKIE)
    if not seed or not hmac.compare_digest(sent, _csrf_for(request, seed)):
        raise HTTPException(403, "missing or wrong CSRF token")
    refuse_control_characters(form, cleans_itself)
