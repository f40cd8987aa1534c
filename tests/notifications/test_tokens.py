"""Link tokens: only the right, unexpired, untampered token for the right purpose works."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from arshjul.notifications import tokens
from arshjul.store.models import LinkToken
from tests.store.conftest import migrated

KEY = "test-secret"
NOW = dt.datetime(2026, 9, 1, 8, tzinfo=dt.UTC)
WID = "round/hedemora/delar/2026-08/sbf"


@pytest.fixture
def sessions(sqlite_url: str) -> Iterator[sessionmaker[Session]]:
    with migrated(sqlite_url) as maker:
        yield maker


def issue(sessions: sessionmaker[Session], **kw: object) -> str:
    values: dict[str, object] = {
        "purpose": "submit",
        "ttl": dt.timedelta(days=30),
        "workflow_id": WID,
        "unit_id": "sbf",
        "secret_key": KEY,
        "now": NOW,
    }
    values.update(kw)
    with sessions.begin() as session:
        return tokens.issue(session, **values)  # type: ignore[arg-type]


def test_a_fresh_token_opens_its_round_and_only_its_hash_is_stored(
    sessions: sessionmaker[Session],
) -> None:
    raw = issue(sessions)
    with sessions() as session:
        scope = tokens.verify(
            session,
            raw,
            purpose="submit",
            workflow_id=WID,
            secret_key=KEY,
            now=NOW + dt.timedelta(days=29),
        )
        assert (scope.workflow_id, scope.unit_id) == (WID, "sbf")
        stored = session.scalars(select(LinkToken)).one()
        assert raw not in stored.token_hash and len(stored.token_hash) == 64


@pytest.mark.parametrize(
    ("mutate", "verify_kw", "error"),
    [
        (lambda raw: raw[:-1] + ("A" if raw[-1] != "A" else "B"), {}, tokens.UnknownTokenError),
        (lambda raw: raw, {"secret_key": "another-key"}, tokens.UnknownTokenError),
        (lambda raw: raw, {"now": NOW + dt.timedelta(days=30)}, tokens.ExpiredTokenError),
        (lambda raw: raw, {"purpose": "login"}, tokens.WrongPurposeError),
        (
            lambda raw: raw,
            {"workflow_id": "round/hedemora/delar/2026-08/buf"},
            tokens.WrongPurposeError,
        ),
        (lambda raw: "", {}, tokens.UnknownTokenError),
    ],
    ids=["tampered", "other-key", "expired", "wrong-purpose", "foreign-round", "empty"],
)
def test_bad_tokens_are_refused(
    sessions: sessionmaker[Session], mutate: object, verify_kw: dict[str, object], error: type
) -> None:
    raw = issue(sessions)
    kw: dict[str, object] = {"purpose": "submit", "secret_key": KEY, "now": NOW}
    kw.update(verify_kw)
    with sessions() as session, pytest.raises(error) as caught:
        tokens.verify(session, mutate(raw), **kw)  # type: ignore[operator, arg-type]
    assert caught.value.message_sv  # the page has a Swedish sentence to show


def test_a_login_link_works_once(sessions: sessionmaker[Session]) -> None:
    raw = issue(
        sessions,
        purpose="login",
        workflow_id=None,
        unit_id=None,
        email="Eva@X.se",
        ttl=dt.timedelta(minutes=30),
    )
    with sessions.begin() as session:
        scope = tokens.verify(session, raw, purpose="login", secret_key=KEY, now=NOW)
        assert not tokens.is_used(session, scope)
        scope = tokens.consume(session, raw, purpose="login", secret_key=KEY, now=NOW)
        assert scope.email == "eva@x.se"
        assert tokens.is_used(session, scope)
    with sessions.begin() as session, pytest.raises(tokens.UsedTokenError):
        tokens.consume(session, raw, purpose="login", secret_key=KEY, now=NOW)
