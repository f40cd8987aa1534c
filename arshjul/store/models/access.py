"""Who is let in: web sessions and rate limits, shared by every web process."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from arshjul.store.models.base import Base


class WebSession(Base):
    """A login session: the cookie holds a random token, only its SHA-256 is stored here."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    method: Mapped[str] = mapped_column(String(32))  # how the person logged in: magic_link, oidc
    # What the municipality's IdP said of the person ({"name": …, "values": [role claim values]});
    # None for a magic-link session. Roles are mapped from it through the YAML on every request.
    idp: Mapped[dict[str, Any] | None]
    created_at: Mapped[dt.datetime]
    last_seen_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]


class RateLimitHit(Base):
    """One counted attempt (a login-link request) under a key such as "login-client:10.0.0.7"."""

    __tablename__ = "rate_limit_hits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(400))
    at: Mapped[dt.datetime]

    __table_args__ = (Index("ix_rate_limit_hits_key_at", "key", "at"),)


class PersonFeed(Base):
    """The address of a person's own calendar feed: a random token, replaceable by the person.

    The token is kept as it is (not hashed) because the calendar page shows the address again on
    every visit; it opens dates and titles only, which anyone who can read this table sees anyway.
    A replaced token keeps its row (replaced_at set) so that its old address can say it moved.
    """

    __tablename__ = "person_feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(64))
    email: Mapped[str] = mapped_column(String(320))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime]
    replaced_at: Mapped[dt.datetime | None]

    __table_args__ = (Index("ix_person_feeds_org_id_email", "org_id", "email"),)
