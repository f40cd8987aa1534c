"""Anslagstavla fixtures: the example's KSAU with a justerat protocol posted on a known day, and
the app over that store with a clock the test moves (no Temporal needed for these pages)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

from arshjul.protocol.justering import MeetingDetails, record_anslag, save_details, sign
from arshjul.settings import Settings
from arshjul.web.app import create_app
from tests.protocol.conftest import (  # noqa: F401 - fixtures used here
    ADJUSTER,
    CHAIR,
    MEETING,
    MEMBER,
    SECRETARY,
    Committee,
    committee,
    config,
)

BASE = "https://arshjul.example.org"
JUSTERAT_AT = dt.datetime(2026, 10, 8, 9, 0, tzinfo=dt.UTC)  # Thursday after the meeting
ANSLAG = dt.date(2026, 10, 9)  # a Friday: the notice goes up
APPEAL_UNTIL = dt.date(2026, 10, 30)  # three weeks on, a Friday (KL 13:6)


def post_protocol(c: Committee, *, anslag: dt.date = ANSLAG) -> None:
    """Records a decision, the details, both signatures and the anslag of the KSAU meeting."""
    c.decide("bun", "approved")
    details = MeetingDetails(
        starts_at="08:30",
        place="Stadshuset",
        present=[CHAIR, ADJUSTER, MEMBER],
        adjusters=[ADJUSTER],
    )
    with c.sessions.begin() as session:
        save_details(session, c.config, "ksau", MEETING, details)
        sign(session, c.config, "ksau", MEETING, email=CHAIR, name="Gunnar Ståhl", now=JUSTERAT_AT)
        sign(
            session, c.config, "ksau", MEETING, email=ADJUSTER, name="Ingrid Falk", now=JUSTERAT_AT
        )
        record_anslag(
            session, c.config, "ksau", MEETING, anslag_date=anslag, by=SECRETARY, base_url=BASE
        )


@dataclass
class Clock:
    """The web's wall clock, set to noon (Stockholm) of the day the test says."""

    day: dt.date = ANSLAG

    def __call__(self) -> dt.datetime:
        return dt.datetime.combine(self.day, dt.time(11, 0), tzinfo=dt.UTC)


@dataclass
class Board:
    """The public client (nobody logged in), the app and its clock."""

    http: httpx.AsyncClient
    app: FastAPI
    clock: Clock
    committee: Committee


@pytest.fixture
async def board(committee: Committee) -> AsyncIterator[Board]:  # noqa: F811
    """The app over the committee's store, with a clock the test moves."""
    clock = Clock()
    settings = Settings.model_validate({"SECRET_KEY": "test-secret-anslagstavla", "BASE_URL": BASE})
    app = create_app(
        settings, session_maker=committee.sessions, config=committee.config, clock=clock
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as http:
        yield Board(http, app, clock, committee)
