"""Activity fixtures: a migrated SQLite store, settings pointing at the sink, the activities."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from arshjul.activities.rounds import RoundActivities
from arshjul.notifications.sender import SmtpSender
from arshjul.settings import Settings
from tests.conftest import MailSink
from tests.store.conftest import migrated


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    """A session maker on a freshly migrated database, as in the store tests."""
    with migrated(database_url) as maker:
        yield maker


@pytest.fixture
def settings(smtp_sink: MailSink) -> Settings:
    """Settings whose SMTP server is the sink."""
    return Settings.model_validate(
        {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": smtp_sink.port,
            "SECRET_KEY": "activity-test-key",
            "BASE_URL": "https://arshjul.hedemora.se",
            "MAIL_FROM": "Årshjulet Hedemora <arshjul@hedemora.se>",
        }
    )


@pytest.fixture
def acts(sessions: sessionmaker[Session], settings: Settings) -> RoundActivities:
    """The round activities on the real store and a real SMTP sender."""
    sender = SmtpSender.from_settings(settings)
    sender.timeout = 5
    return RoundActivities(sessions, sender, settings)
