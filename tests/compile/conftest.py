"""Fixtures of the compile area: the default example, its delårsrapport inputs, a seeded store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.loader import load_config
from arshjul.compile.model import CompileInputs
from arshjul.settings import BUNDLED_CONFIG
from arshjul.store.db import make_engine, make_session_maker, upgrade
from tests.compile import scenario as sc
from tests.compile.seed import seed_year


@pytest.fixture(scope="session")
def example_config() -> ArshjulConfig:
    """The bundled Hedemora example configuration (ten units)."""
    return load_config(BUNDLED_CONFIG)


@pytest.fixture
def delar_inputs(example_config: ArshjulConfig) -> CompileInputs:
    """The delårsrapport 2026-08 inputs of the scenario, built directly (no store)."""
    return sc.delar_inputs(example_config)


@pytest.fixture
def seeded_store(
    database_url: str, example_config: ArshjulConfig
) -> Iterator[sessionmaker[Session]]:
    """A migrated store (SQLite, and PostgreSQL when set) holding the scenario's year."""
    upgrade(database_url)
    engine = make_engine(database_url)
    sessions = make_session_maker(engine)
    with sessions.begin() as session:
        seed_year(session, example_config)
    try:
        yield sessions
    finally:
        engine.dispose()
