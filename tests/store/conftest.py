"""Store fixtures: a migrated database and small builders for round records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy.orm import Session, sessionmaker

from arshjul.models.effects import RoundEventRecord
from arshjul.models.rounds import Recipient, RoundSpec, RoundState
from arshjul.store.db import make_engine, make_session_maker, upgrade


@contextmanager
def migrated(url: str) -> Iterator[sessionmaker[Session]]:
    """Migrates the database at `url` and yields a session maker on it."""
    upgrade(url)
    engine = make_engine(url)
    try:
        yield make_session_maker(engine)
    finally:
        engine.dispose()


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    """A session maker on a freshly migrated database (SQLite, and PostgreSQL when set)."""
    with migrated(database_url) as maker:
        yield maker


def round_spec(
    unit_id: str = "bun", period: str = "2026-03", report_id: str = "manad"
) -> RoundSpec:
    """Returns a plain round specification for tests."""
    return RoundSpec(
        org_id="hedemora",
        org_name="Hedemora kommun",
        report_id=report_id,
        report_title="Månadsrapport",
        sections=["economic"],
        period=period,
        period_end=dt.date(2026, 3, 31),
        unit_id=unit_id,
        unit_name="Barn- och utbildningsförvaltningen",
        recipients=[Recipient(name="Åsa Öberg", email="asa@example.org")],
        opens=dt.date(2026, 4, 1),
        due=dt.date(2026, 4, 13),
    )


def event(
    spec: RoundSpec, seq: int, name: str, state: RoundState, **extra: object
) -> RoundEventRecord:
    """Returns a history event of the round in `spec`."""
    base: dict[str, object] = {
        "workflow_id": spec.workflow_id,
        "seq": seq,
        "event": name,
        "time": dt.datetime(2026, 4, 1, 6, 0, tzinfo=dt.UTC) + dt.timedelta(hours=seq),
        "actor": "system",
        "state": state,
        "due": spec.due,
        "spec": spec,
    }
    base.update(extra)
    return RoundEventRecord.model_validate(base)
