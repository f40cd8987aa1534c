"""Who is let in, in the store: a person's feed token replaced at once, and when a login limit
frees again (SQLite, and PostgreSQL when set)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from arshjul.store.access import PersonFeedRepository, RateLimitRepository

NOW = dt.datetime(2026, 12, 7, 12, 0, 7, tzinfo=dt.UTC)
WINDOW = dt.timedelta(minutes=15)


def test_a_replaced_feed_token_is_retired_at_once(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        repo = PersonFeedRepository(session)
        first = repo.current(org_id="org", email="Ingrid.Falk@example.org", now=NOW)
        assert repo.current(org_id="org", email="ingrid.falk@example.org", now=NOW) == first
        assert repo.current(org_id="other", email="ingrid.falk@example.org", now=NOW) != first
    with sessions.begin() as session:
        repo = PersonFeedRepository(session)
        second = repo.replace(org_id="org", email="ingrid.falk@example.org", now=NOW)
        assert second != first and len(second) >= 43
    with sessions() as session:
        repo = PersonFeedRepository(session)
        old, new = repo.find(org_id="org", token=first), repo.find(org_id="org", token=second)
        assert old is not None and old.replaced_at == NOW
        assert new is not None and new.replaced_at is None
        assert repo.current(org_id="org", email="ingrid.falk@example.org", now=NOW) == second
        assert repo.find(org_id="other", token=second) is None
        assert repo.find(org_id="org", token="x" * 500) is None


def test_a_limit_frees_when_its_oldest_attempt_leaves_the_window(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        rates = RateLimitRepository(session)
        assert rates.free_at(key="k", now=NOW, window=WINDOW) == NOW
        for minutes in (0, 4, 9):
            at = NOW + dt.timedelta(minutes=minutes)
            assert rates.hit(key="k", now=at, window=WINDOW, limit=3)
        later = NOW + dt.timedelta(minutes=10)
        assert not rates.hit(key="k", now=later, window=WINDOW, limit=3)
        assert rates.free_at(key="k", now=later, window=WINDOW) == NOW + WINDOW
        assert rates.hit(key="k", now=NOW + WINDOW, window=WINDOW, limit=3)
