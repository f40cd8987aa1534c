"""Who is asking: magic-link login, the signed session cookie, CSRF tokens and role checks.

Only people named in the configuration may log in (KSAU and KS members and secretaries, role
holders such as the ekonomichef). Their roles are the committee ids they sit on and role ids.
"""

from __future__ import annotations

import contextlib
import hmac
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from fastapi import HTTPException, Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from arshjul.calendar.config import ArshjulConfig
from arshjul.notifications import tokens

SESSION_COOKIE = "arshjul_session"
CSRF_COOKIE = "arshjul_csrf"
SESSION_MAX_AGE = 12 * 3600


@dataclass(frozen=True)
class WebUser:
    """A logged-in person: address, name and roles (committee ids and role ids)."""

    email: str
    name: str
    roles: frozenset[str] = field(default_factory=frozenset)

    def has(self, *role_ids: str) -> bool:
        """Tells whether the person holds any of these roles."""
        return bool(self.roles.intersection(role_ids))


def user_for_email(config: ArshjulConfig, email: str) -> WebUser | None:
    """Returns the person with this address and their roles, or None if not configured."""
    wanted = email.strip().lower()
    name: str | None = None
    roles: set[str] = set()
    for committee in config.committees:
        people = [*committee.members, *([committee.secretary] if committee.secretary else [])]
        for person in people:
            if person.email.lower() == wanted:
                name = person.name
                roles.add(committee.id)
    for role in config.roles:
        for person in role.people:
            if person.email.lower() == wanted:
                name = person.name
                roles.add(role.id)
    if name is None:
        return None
    return WebUser(email=wanted, name=name, roles=frozenset(roles))


def _serializer(request: Request, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.web.settings.secret_key, salt=salt)


def _secure(request: Request) -> bool:
    return request.app.state.web.settings.base_url.startswith("https://")


def set_session(response: Response, request: Request, email: str) -> None:
    """Puts a signed session for `email` into an HttpOnly SameSite=Lax cookie."""
    value = _serializer(request, "session").dumps({"e": email})
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )


def clear_session(response: Response) -> None:
    """Removes the session cookie."""
    response.delete_cookie(SESSION_COOKIE, path="/")


def optional_user(request: Request) -> WebUser | None:
    """Returns the logged-in person, or None (bad, old or foreign cookies count as none)."""
    if hasattr(request.state, "user"):
        return request.state.user  # type: ignore[no-any-return]
    user = None
    raw = request.cookies.get(SESSION_COOKIE)
    if raw:
        try:
            data = _serializer(request, "session").loads(raw, max_age=SESSION_MAX_AGE)
            user = user_for_email(request.app.state.web.config, str(data.get("e", "")))
        except (BadSignature, AttributeError):
            user = None
    request.state.user = user
    return user


async def current_user(request: Request) -> WebUser | None:
    """FastAPI dependency: the logged-in person, or None."""
    return optional_user(request)


def require_roles(*role_ids: str) -> Callable[[Request], WebUser]:
    """FastAPI dependency factory: a logged-in person with one of `role_ids` (anyone if none).

    Answers 401 without a login and 403 with the wrong role.
    """

    async def dependency(request: Request) -> WebUser:
        """Returns the person, or refuses with 401 or 403."""
        user = optional_user(request)
        if user is None:
            raise HTTPException(401, "login required")
        if role_ids and not user.has(*role_ids):
            raise HTTPException(403, f"needs one of the roles {', '.join(role_ids)}")
        return user

    return dependency


@contextlib.contextmanager
def link_errors(what: str) -> Iterator[None]:
    """Turns a refused link into the page's answer: 410 when it expired, 403 otherwise."""
    try:
        yield
    except tokens.ExpiredTokenError as err:
        raise HTTPException(410, f"{what} link expired") from err
    except tokens.TokenError as err:
        raise HTTPException(403, f"bad {what} link: {type(err).__name__}") from err


# --- CSRF: a random seed in an HttpOnly cookie; forms carry an HMAC of it --------------------


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
            CSRF_COOKIE, seed, httponly=True, samesite="lax", secure=_secure(request), path="/"
        )


async def check_csrf(request: Request) -> None:
    """FastAPI dependency for every form POST: refuses (403) a missing or wrong CSRF token.

    The form is parsed here, within the caps of the largest form (the report's).
    """
    from arshjul.web.formdata import MAX_FIELDS, MAX_FILES
    from arshjul.web.inputs import read_form

    form = await read_form(request, max_fields=MAX_FIELDS, max_files=MAX_FILES)
    sent = str(form.get("csrf", ""))
    seed = request.cookies.get(CSRF_COOKIE)
    if not seed or not hmac.compare_digest(sent, _csrf_for(request, seed)):
        raise HTTPException(403, "missing or wrong CSRF token")


# --- rate limit for login-link requests ------------------------------------------------------


class RateLimiter:
    """At most `limit` hits per key within `window` seconds (in memory, per process)."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._hits: dict[str, deque[float]] = defaultdict(deque)

    def hit(self, key: str) -> bool:
        """Counts a hit; returns False when the key is over its limit."""
        now = self.clock()
        hits = self._hits[key]
        while hits and now - hits[0] > self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        return True
