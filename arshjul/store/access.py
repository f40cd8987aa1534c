"""Who is let in: server-side web sessions and rate limits, in SQL so every web process agrees."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any, cast

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from arshjul.store.models import PersonFeed, RateLimitHit, WebSession

# Writing last_seen_at on every request would make each page a write; a minute is precise enough
# for an idle timeout counted in hours.
TOUCH_AFTER = dt.timedelta(minutes=1)


def session_hash(raw: str) -> str:
    """Returns the SHA-256 of a session token (the token itself is never stored)."""
    return hashlib.sha256(raw.encode()).hexdigest()


class WebSessionRepository:
    """Creates, verifies and revokes login sessions."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def create(
        self, *, email: str, method: str, now: dt.datetime, idp: dict[str, Any] | None = None
    ) -> str:
        """Starts a session for `email` and returns the raw token for the cookie."""
        raw = secrets.token_urlsafe(32)
        self.session.add(
            WebSession(
                token_hash=session_hash(raw),
                email=email.strip().lower(),
                method=method,
                created_at=now,
                last_seen_at=now,
                idp=idp,
            )
        )
        self.session.flush()
        return raw

    def verify(
        self, raw: str, *, now: dt.datetime, idle: dt.timedelta, absolute: dt.timedelta
    ) -> WebSession | None:
        """Returns the live session of this token (and notes the visit), or None.

        A session ends when revoked, after `idle` without a visit, or `absolute` after login.
        """
        if not raw or len(raw) > 200:
            return None
        row = self.session.scalar(
            select(WebSession).where(WebSession.token_hash == session_hash(raw))
        )
        if row is None or row.revoked_at is not None:
            return None
        if now - row.last_seen_at > idle or now - row.created_at > absolute:
            return None
        if now - row.last_seen_at > TOUCH_AFTER:
            row.last_seen_at = now
            self.session.flush()
        return row

    def prune(self, *, before: dt.datetime) -> None:
        """Forgets sessions begun before `before` (past the absolute limit: dead anyway)."""
        self.session.execute(delete(WebSession).where(WebSession.created_at < before))

    def revoke(self, raw: str, *, now: dt.datetime) -> None:
        """Ends one session (logout)."""
        self.session.execute(
            update(WebSession)
            .where(WebSession.token_hash == session_hash(raw), WebSession.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    def revoke_all(self, *, email: str, now: dt.datetime) -> int:
        """Ends every session of a person ("logga ut överallt"); returns how many were live."""
        result = cast(
            "CursorResult[Any]",  # an UPDATE's result is a cursor's, with its rowcount
            self.session.execute(
                update(WebSession)
                .where(WebSession.email == email.strip().lower(), WebSession.revoked_at.is_(None))
                .values(revoked_at=now)
            ),
        )
        return int(result.rowcount or 0)


class RateLimitRepository:
    """Counts attempts per key in a sliding window."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def count(self, *, key: str, now: dt.datetime, window: dt.timedelta) -> int:
        """Counts the key's attempts within the window (and forgets older ones)."""
        self.session.execute(
            delete(RateLimitHit).where(RateLimitHit.key == key, RateLimitHit.at <= now - window)
        )
        counted = self.session.scalar(
            select(func.count()).select_from(RateLimitHit).where(RateLimitHit.key == key)
        )
        return int(counted or 0)

    def hit(self, *, key: str, now: dt.datetime, window: dt.timedelta, limit: int) -> bool:
        """Counts an attempt unless the key is at its limit; returns whether it was allowed."""
        if self.count(key=key, now=now, window=window) >= limit:
            return False
        self.session.add(RateLimitHit(key=key, at=now))
        self.session.flush()
        return True

    def free_at(self, *, key: str, now: dt.datetime, window: dt.timedelta) -> dt.datetime:
        """Returns when the key may be counted again: its oldest attempt leaves the window then."""
        oldest = self.session.scalar(
            select(RateLimitHit.at)
            .where(RateLimitHit.key == key, RateLimitHit.at > now - window)
            .order_by(RateLimitHit.at)
            .limit(1)
        )
        return now if oldest is None else max(now, oldest + window)


class PersonFeedRepository:
    """The tokens of people's own calendar feeds: one live token per person, replaceable."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def current(self, *, org_id: str, email: str, now: dt.datetime) -> str:
        """Returns the person's live feed token, making one on first use."""
        row = self.session.scalar(
            select(PersonFeed).where(
                PersonFeed.org_id == org_id,
                PersonFeed.email == email.strip().lower(),
                PersonFeed.replaced_at.is_(None),
            )
        )
        return row.token if row is not None else self._new(org_id, email, now)

    def replace(self, *, org_id: str, email: str, now: dt.datetime) -> str:
        """Retires the person's feed token (its address stops at once) and returns a new one."""
        self.session.execute(
            update(PersonFeed)
            .where(
                PersonFeed.org_id == org_id,
                PersonFeed.email == email.strip().lower(),
                PersonFeed.replaced_at.is_(None),
            )
            .values(replaced_at=now)
        )
        return self._new(org_id, email, now)

    def find(self, *, org_id: str, token: str) -> PersonFeed | None:
        """Returns the row of a feed token, live or replaced, or None when unknown."""
        if not token or len(token) > 64:
            return None
        return self.session.scalar(
            select(PersonFeed).where(PersonFeed.org_id == org_id, PersonFeed.token == token)
        )

    def _new(self, org_id: str, email: str, now: dt.datetime) -> str:
        token = secrets.token_urlsafe(32)
        self.session.add(
            PersonFeed(org_id=org_id, email=email.strip().lower(), token=token, created_at=now)
        )
        self.session.flush()
        return token
