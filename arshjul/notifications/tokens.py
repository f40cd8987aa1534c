"""Link tokens: a random token goes into the mail; only its HMAC and expiry are stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from pydantic import BaseModel
from sqlalchemy.orm import Session

from arshjul.settings import get_settings
from arshjul.store.db import utc_now
from arshjul.store.models import LinkToken
from arshjul.store.records import TokenRepository

PURPOSE_SUBMIT = "submit"
PURPOSE_LOGIN = "login"


class TokenError(Exception):
    """A link that cannot be used; `message_sv` is what the page tells the person."""

    message_sv = "Länken är ogiltig."


class UnknownTokenError(TokenError):
    """No such token: mistyped, tampered with, or signed with another key."""

    message_sv = "Länken är ogiltig. Kontrollera att du har kopierat hela länken."


class ExpiredTokenError(TokenError):
    """The link is past its expiry; the person asks for a new one."""

    message_sv = "Länken har gått ut. Be om en ny länk."


class WrongPurposeError(TokenError):
    """The token exists but was issued for something else (or for another round)."""

    message_sv = "Länken gäller inte det här."


class UsedTokenError(TokenError):
    """A one-time link (a login link) that was already used."""

    message_sv = "Länken har redan använts. Be om en ny länk."


class TokenScope(BaseModel):
    """What a verified token allows."""

    token_id: int
    purpose: str
    workflow_id: str | None = None
    unit_id: str | None = None
    email: str | None = None
    expires_at: dt.datetime


def token_hash(raw: str, secret_key: str | None = None) -> str:
    """Returns the HMAC-SHA256 of a raw token under the secret key, hex-encoded."""
    key = (secret_key or get_settings().secret_key).encode()
    return hmac.new(key, raw.encode(), hashlib.sha256).hexdigest()


def issue(
    session: Session,
    *,
    purpose: str,
    ttl: dt.timedelta,
    workflow_id: str | None = None,
    unit_id: str | None = None,
    email: str | None = None,
    secret_key: str | None = None,
    now: dt.datetime | None = None,
) -> str:
    """Creates a token for this scope and returns the raw, URL-safe value (never stored)."""
    raw = secrets.token_urlsafe(32)
    TokenRepository(session).add(
        token_hash=token_hash(raw, secret_key),
        purpose=purpose,
        expires_at=(now or utc_now()) + ttl,
        workflow_id=workflow_id,
        unit_id=unit_id,
        email=email.strip().lower() if email else None,
    )
    return raw


def issue_for_round(
    session: Session,
    *,
    workflow_id: str,
    unit_id: str,
    ttl: dt.timedelta,
    secret_key: str | None = None,
) -> str:
    """Creates the token of a link to one unit's round form (submit, drafts, receipts)."""
    return issue(
        session,
        purpose=PURPOSE_SUBMIT,
        ttl=ttl,
        workflow_id=workflow_id,
        unit_id=unit_id,
        secret_key=secret_key,
    )


def issue_for_login(
    session: Session, *, email: str, ttl: dt.timedelta, secret_key: str | None = None
) -> str:
    """Creates the token of a magic login link for this address."""
    return issue(session, purpose=PURPOSE_LOGIN, ttl=ttl, email=email, secret_key=secret_key)


def round_url(base_url: str, raw: str) -> str:
    """Returns the absolute link a mail carries to a round's form, for a raw submit token."""
    return f"{base_url.rstrip('/')}/s/{raw}"


def login_url(base_url: str, raw: str) -> str:
    """Returns the absolute magic login link for a raw login token (without `?next=`)."""
    return f"{base_url.rstrip('/')}/login/{raw}"


def verify(
    session: Session,
    raw: str,
    *,
    purpose: str,
    workflow_id: str | None = None,
    secret_key: str | None = None,
    now: dt.datetime | None = None,
) -> TokenScope:
    """Checks a raw token for a purpose (and round, if given) and returns its scope."""
    if not raw or len(raw) > 200:
        raise UnknownTokenError("empty or oversized token")
    token = TokenRepository(session).get_by_hash(token_hash=token_hash(raw, secret_key))
    if token is None:
        raise UnknownTokenError("unknown token")
    if token.purpose != purpose or (workflow_id is not None and token.workflow_id != workflow_id):
        raise WrongPurposeError(f"token for {token.purpose}/{token.workflow_id}")
    if (now or utc_now()) >= token.expires_at:
        raise ExpiredTokenError(f"token expired at {token.expires_at.isoformat()}")
    return _scope_of(token)


def _scope_of(token: LinkToken) -> TokenScope:
    return TokenScope(
        token_id=token.id,
        purpose=token.purpose,
        workflow_id=token.workflow_id,
        unit_id=token.unit_id,
        email=token.email,
        expires_at=token.expires_at,
    )


def expired_scope(
    session: Session, raw: str, *, purpose: str, secret_key: str | None = None
) -> TokenScope | None:
    """The scope of a real token of this purpose that has expired (what it was sent for), else
    None: what a person typed behind a link that ran out is still theirs to keep."""
    try:
        verify(session, raw, purpose=purpose, secret_key=secret_key)
    except ExpiredTokenError:
        token = TokenRepository(session).get_by_hash(token_hash=token_hash(raw, secret_key))
        return _scope_of(token) if token is not None else None
    except TokenError:
        return None
    return None


def is_used(session: Session, scope: TokenScope) -> bool:
    """Tells whether a verified single-use token (login) was used already."""
    token = TokenRepository(session).get(token_id=scope.token_id)
    return token is not None and token.used_at is not None


def consume(
    session: Session,
    raw: str,
    *,
    purpose: str,
    secret_key: str | None = None,
    now: dt.datetime | None = None,
) -> TokenScope:
    """Verifies a single-use token (login) and marks it used; a second use is refused."""
    scope = verify(session, raw, purpose=purpose, secret_key=secret_key, now=now)
    repo = TokenRepository(session)
    token = repo.get_by_hash(token_hash=token_hash(raw, secret_key))
    if token is None or token.used_at is not None:
        raise UsedTokenError("token already used")
    repo.mark_used(token_id=scope.token_id, at=now)
    return scope
