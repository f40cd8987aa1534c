"""Who a person signed in through the municipality's IdP is in arshjul: their claim values
(app roles or groups) mapped through the YAML's `sign_in.grants` to roles, committees and units.

The IdP is the source of truth: a person's roles come from the token, not from their address in
the YAML, so a chef whose account is closed loses access with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from arshjul.calendar.config import ArshjulConfig
from arshjul.web.auth.user import WebUser


def claim_values(claims: Mapping[str, Any], claim: str) -> list[str]:
    """Returns the values of the role claim (a list, or one string) as strings."""
    value = claims.get(claim)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return []


def identity(claims: Mapping[str, Any]) -> tuple[str, str]:
    """Returns (address, name) from the ID token (Entra ID may send only preferred_username)."""
    email = (
        str(claims.get("email") or claims.get("preferred_username") or claims.get("upn") or "")
        .strip()
        .lower()
    )
    name = str(claims.get("name") or email or claims.get("sub") or "")
    return email, name


def user_for_values(
    config: ArshjulConfig, *, email: str, name: str, values: Iterable[str]
) -> WebUser | None:
    """Maps claim values to the person's roles; None when no value grants anything."""
    grants = config.sign_in.grants if config.sign_in else {}
    roles: set[str] = set()
    units: set[str] = set()
    for value in values:
        grant = grants.get(value)
        if grant is None:
            continue
        roles.update(grant.roles, grant.committees)
        units.update(grant.units)
    if not roles and not units:
        return None
    return WebUser(email=email, name=name, roles=frozenset(roles), units=frozenset(units))


def role_claim(config: ArshjulConfig) -> str:
    """Returns the name of the claim that carries app roles or groups."""
    return config.sign_in.role_claim if config.sign_in else "roles"
