"""Fixtures every area shares: databases (SQLite, and PostgreSQL when configured), Temporal, SMTP.

Area-specific fixtures live in the conftest.py of that area's folder.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from arshjul.calendar.config import ArshjulConfig
    from arshjul.models.rounds import RoundSpec

VENV_BIN = Path(sys.executable).parent
TEST_SERVER = VENV_BIN / "temporal-test-server"
DEV_SERVER = VENV_BIN / "temporal"
PG_URL = os.environ.get("ARSHJUL_TEST_DATABASE_URL")
# The CLI's rich console takes a COLUMNS set at import as its fixed width, and then ignores the
# width a CLI test asks for; xdist's workers have COLUMNS=80 in their environment.
os.environ.pop("COLUMNS", None)


@pytest.fixture(autouse=True)
def _root_logging_restored() -> Iterator[None]:
    """Undoes a test's `configure_logging` (CLI commands run in process): its handler writes to
    the runner's stream, which is closed after the test, and later log lines would fail there."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)


def free_port() -> int:
    """Returns a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _postgres_database() -> Iterator[str]:
    # A throwaway database per test keeps runs independent and leaves the server clean.
    assert PG_URL
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"arshjul_t_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


DB_BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


@pytest.fixture(params=DB_BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: SQLite always, PostgreSQL too when ARSHJUL_TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'arshjul.sqlite'}"
    else:
        if not PG_URL:  # asked for by name (a PostgreSQL-only test): say what is missing
            pytest.fail("this test needs PostgreSQL: set ARSHJUL_TEST_DATABASE_URL (.ci/run does)")
        yield from _postgres_database()


@pytest.fixture
def one_database_url(tmp_path: Path) -> Iterator[str]:
    """One empty database, PostgreSQL when set, else SQLite: for a test that goes through the
    store but is not about it (a browser journey), which both engines would only make twice."""
    if PG_URL:
        yield from _postgres_database()
    else:
        yield f"sqlite:///{tmp_path / 'arshjul.sqlite'}"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An empty SQLite database, for tests that are not about the store."""
    return f"sqlite:///{tmp_path / 'arshjul.sqlite'}"


@pytest.fixture(scope="session")
async def temporal_env() -> AsyncIterator[object]:
    """One time-skipping Temporal test server for the session (pydantic data converter)."""
    from temporalio.contrib.pydantic import pydantic_data_converter
    from temporalio.testing import WorkflowEnvironment

    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(TEST_SERVER), data_converter=pydantic_data_converter
    )
    try:
        yield env
    finally:
        await env.shutdown()


class MailSink:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message it receives."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[EmailMessage] = []
        self.port = free_port()
        self.refuse = False
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        if self.refuse:
            return "451 4.3.0 try again later"
        content = envelope.original_content or envelope.content  # type: ignore[attr-defined]
        self.messages.append(message_from_bytes(content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()


@pytest.fixture
def smtp_sink() -> Iterator[MailSink]:
    """A running SMTP sink; `smtp_sink.refuse = True` makes it answer 451 (temporarily down)."""
    sink = MailSink()
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


def session_cookie(sessions: object, email: str) -> str:
    """Starts a web session for `email` straight in the store; returns the cookie's value.

    For tests about what a logged-in person sees, not about how they logged in.
    """
    from arshjul.store.access import WebSessionRepository
    from arshjul.store.db import utc_now

    with sessions.begin() as session:  # type: ignore[attr-defined]
        return WebSessionRepository(session).create(email=email, method="test", now=utc_now())


def monthly_round(config: ArshjulConfig, unit_id: str, **fields: Any) -> RoundSpec:
    """A månadsrapport (economy only) of a configured unit, sent to its chef; `fields` give the
    period, dates and review of the test's round."""
    from arshjul.models.rounds import Recipient, RoundSpec

    unit = config.unit(unit_id)
    return RoundSpec(
        org_id=config.organisation.id,
        org_name=config.organisation.name,
        report_id="manadsrapport",
        report_title="Månadsrapport",
        sections=["economic"],
        unit_id=unit.id,
        unit_name=unit.name,
        recipients=[Recipient(name=unit.chef.name, email=unit.chef.email)],
        **fields,
    )
