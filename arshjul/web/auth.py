"""Who is asking: the person of the session (web/sessions.py), CSRF tokens and role checks.

Only people the årshjul knows may log in: those the configuration names (committee members and
secretaries, role holders such as the ekonomichef, units' chefs) and those a unit added (a deputy
during their dates, extra recipients). Roles are committee and role ids; units are unit ids.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fastapi import Depends, HTTPException, Request, Response
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from arshjul.calendar.config import ArshjulConfig
from arshjul.notifications import tokens
from arshjul.store.db import local_date, utc_now
from arshjul.store.unit_people import UnitPeopleRepository, UnitRole
from arshjul.web.sessions import session_email, session_idp

if TYPE_CHECKING:
    from arshjul.web.deps import WebState

log = logging.getLogger(__name__)

CSRF_COOKIE = "arshjul_csrf"


@dataclass(frozen=True)
class WebUser:
    """A logged-in person: address, name, roles (committee and role ids) and the units they
    answer for (as chef, deputy or recipient)."""

    email: str
    name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    units: frozenset[str] = field(default_factory=frozenset)

    def has(self, *role_ids: str) -> bool:
        """Tells whether the person holds any of these roles."""
        return bool(self.roles.intersection(role_ids))


def user_for_email(
    config: ArshjulConfig, email: str, unit_roles: Iterable[UnitRole] = ()
) -> WebUser | None:
    """Returns the person with this address, their roles and units, or None if unknown.

    `unit_roles` are what the store adds (deputies today, extra recipients).
    """
    wanted = email.strip().lower()
    name: str | None = None
    roles: set[str] = set()
    units: set[str] = set()
    for role in unit_roles:
        if role.org_id == config.organisation.id:
            units.add(role.unit_id)
            name = role.name
    for unit in config.units:
        if unit.chef.email.lower() == wanted:
            name = unit.chef.name
            units.add(unit.id)
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
    return WebUser(email=wanted, name=name, roles=frozenset(roles), units=frozenset(units))


def _units_today(session: Session, email: str, timezone: str) -> list[UnitRole]:
    day = local_date(utc_now(), timezone)
    return UnitPeopleRepository(session).units_of(email=email, day=day)


async def lookup_user(state: WebState, email: str) -> WebUser | None:
    """Returns the person with this address as the configuration and the store know them today."""
    address = email.strip().lower()
    try:
        found = await state.db(_units_today, address, state.config.organisation.timezone)
    except SQLAlchemyError as err:  # a store not migrated yet: the configuration still serves
        log.warning("unit people not read: %s", err)
        found = []
    return user_for_email(state.config, address, found)


def _secure(request: Request) -> bool:
    return request.app.state.web.settings.base_url.startswith("https://")


async def resolve_user(request: Request) -> WebUser | None:
    """App-wide dependency: the person of this request's live session, or None.

    Roles come from the configuration (and units from the store, as deputy or recipient today)
    on every request, so a person removed from either loses access at once, whatever their
    session says. A session begun at the municipality's IdP gets its roles from the IdP's claim
    values, mapped through the YAML's `sign_in.grants`.
    """
    if hasattr(request.state, "user"):
        return request.state.user  # type: ignore[no-any-return]
    email = await session_email(request)
    idp = await session_idp(request)
    if email and idp is not None:
        # Signed in at the municipality's IdP: roles from its claim values, through the YAML.
        from arshjul.web.idp import user_for_values

        values = [str(v) for v in idp.get("values", [])]
        name = str(idp.get("name", email))
        user = user_for_values(request.app.state.web.config, email=email, name=name, values=values)
    else:
        user = await lookup_user(request.app.state.web, email) if email else None
    request.state.user = user
    return user


current_user = resolve_user  # the same dependency, by the name a route reads best with


def optional_user(request: Request) -> WebUser | None:
    """Returns the person `resolve_user` found for this request, or None."""
    return getattr(request.state, "user", None)


def require_roles(*role_ids: str) -> Callable[..., Awaitable[WebUser]]:
    """FastAPI dependency factory: a logged-in person with one of `role_ids` (anyone if none).

    Answers 401 without a login and 403 with the wrong role.
    """

    async def dependency(user: WebUser | None = Depends(resolve_user)) -> WebUser:
        """Returns the person, or refuses with 401 or 403."""
        if user is None:
            raise HTTPException(401, "login required")
        if role_ids and not user.has(*role_ids):
            raise HTTPException(403, f"needs one of the roles {', '.join(role_ids)}")
        return user

    return dependency


@contextlib.contextmanager
def link_errors(what: str) -> Iterator[None]:
    """Turns a refused link into the page's answer: 410 when expired or used, 403 otherwise."""
    try:
        yield
    except (tokens.ExpiredTokenError, tokens.UsedTokenError) as err:
        raise HTTPException(410, f"{what} link expired or used") from err
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
