"""The person of this request (from the session of web/auth/sessions.py) and role checks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Depends, HTTPException, Request

from arshjul.web.auth.idp import user_for_values
from arshjul.web.auth.sessions import session_email, session_idp
from arshjul.web.auth.user import WebUser, lookup_user


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
